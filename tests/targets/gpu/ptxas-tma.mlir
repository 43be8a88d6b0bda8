// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t/specs
// RUN: %python -c "import json, sys; s = json.load(open(sys.argv[1])); s['params']['wgmma_tma'] = {'value': 1, 'source': 'test'}; json.dump(s, open(sys.argv[2], 'w'))" %fungible_src_root/targets/specs/h100.json %t/specs/h100.json
// RUN: fungible-opt %s --wl-lower="target=h100 specs-dir=%t/specs" -o %t/h100.mlir
// RUN: %extract-ptx %t/h100.mlir %t/ptx --ptxas %ptxas --arch sm_90a | FileCheck %s --check-prefix=ASSEMBLED
// RUN: FileCheck %s --check-prefix=PTX < %t/ptx/gemm_kernel.ptx
// RUN: %ptxas -v -arch=sm_90a %t/ptx/gemm_kernel.ptx -o %t/gemm.cubin 2>&1 | FileCheck %s --check-prefix=GEMM
// RUN: fungible-opt %t/h100.mlir --mlir-print-op-generic -o %t/generic.mlir
// RUN: %python %fungible_src_root/scripts/gpu-check/plan.py %t/generic.mlir %t/plans
// RUN: FileCheck %s --check-prefix=PLAN < %t/plans/gemm/plan.txt

// The sm_90a GEMM with TMA loads (params.wgmma_tma = 1; Wgmma.cpp,
// wgmma-tma.mlir for its structure) through the whole h100 lowering:
// NVIDIA's assembler accepts it.
// ASSEMBLED: 1 kernels assembled for sm_90a
//
// The CTA is 384 threads (ptxas caps each at 168 registers: 64512 of the
// 65536); the producer warpgroup gives registers back down to 40, the two
// computing warpgroups take them up to 232 (128 x 40 + 256 x 232 = 64512).
// Each stage is one 2-D TMA load of A and four of B (64-column boxes of a
// 128 x 256 tile), completing on the stage's mbarrier.
// PTX:         .maxntid 384, 1, 1
// PTX:         fence.mbarrier_init.release.cluster;
// PTX-DAG:     setmaxnreg.inc.sync.aligned.u32 232;
// PTX-DAG:     setmaxnreg.dec.sync.aligned.u32 40;
// PTX-COUNT-5: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// PTX-NOT:     cp.async.bulk.tensor
//
// ptxas neither serialises the wgmma (C7514, C7515), nor injects a wait
// (C7517) or a fence (C7519: the accumulators' first values written
// between a wgmma.fence and the wgmma), and nothing spills.
// GEMM-NOT: C75{{[0-9][0-9]}}
// GEMM:     Compiling entry function 'gemm_kernel' for 'sm_90a'
// GEMM-NOT: C75{{[0-9][0-9]}}
// GEMM:     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// GEMM-NOT: C75{{[0-9][0-9]}}
//
// Its launch plan passes the two tensor maps (swizzled in 128-byte rows,
// boxes of 128 x 64 and 64 x 64) for fungible-gpu-check to encode; grid
// 4096 / 256 x 4096 / 128, 4 x 49152 + 72 + 1024 bytes of shared memory.
// PLAN:      buffer 0 bf16 2 4096 4096 input 1
// PLAN-NEXT: buffer 1 bf16 2 4096 4096 input 2
// PLAN-NEXT: buffer 2 bf16 2 4096 4096
// PLAN-NEXT: launch gemm_kernel gemm_kernel 16 32 1 384 1 1 197704
// PLAN-NEXT: arg tensormap 0 128 2 128 64
// PLAN-NEXT: arg tensormap 1 128 2 64 64
// PLAN:      arg memref 2
// PLAN-NEXT: end
// PLAN-NEXT: output 2
func.func @gemm(%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16> {
  %0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>
  return %0 : tensor<4096x4096xbf16>
}
