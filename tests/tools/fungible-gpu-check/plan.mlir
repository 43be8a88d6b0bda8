// The host side of a GPU-lowered function becomes a launch plan
// (scripts/gpu-check/plan.py) that fungible-gpu-check replays on a GPU
// machine without MLIR. The grids are worked out by hand below. No GPU is
// needed here: the replay's own error paths are checked at the end; the
// replay on hardware is scripts/gpu-check.sh's job.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-opt %s --wl-lower=target=h100 --mlir-print-op-generic -o %t/lowered.mlir
// RUN: %python %fungible_src_root/scripts/gpu-check/plan.py %t/lowered.mlir %t/plans | FileCheck %s --check-prefix=SUMMARY
// RUN: FileCheck %s < %t/plans/mm/plan.txt
// RUN: ls %t/plans/ptx | FileCheck %s --check-prefix=PTX
// RUN: not fungible-gpu-check %t/plans/mm/plan.txt %t --driver %t/no-libcuda.so 2>&1 | FileCheck %s --check-prefix=NODRIVER
// RUN: printf 'module k k.ptx\nlaunch k k 1 1 1 1 1 1 0\narg memref 3\nend\n' > %t/bad.txt
// RUN: not fungible-gpu-check %t/bad.txt %t 2>&1 | FileCheck %s --check-prefix=BADPLAN
// RUN: not fungible-gpu-check %t/missing.txt %t 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: sed 's/"func.return"/"memref.copy"(%%arg0, %%arg0) : (memref<257x129xbf16>, memref<257x129xbf16>) -> ()\n    "func.return"/' %t/lowered.mlir > %t/copy.mlir
// RUN: not %python %fungible_src_root/scripts/gpu-check/plan.py %t/copy.mlir %t/copy 2>&1 | FileCheck %s --check-prefix=HOSTOP

// SUMMARY: plan.py: 2 PTX modules, 1 plans in

// PTX: mm_kernel.ptx
// PTX-NEXT: mm_kernel_0.ptx

// The arguments are buffers 0 and 1 (inputs); buffer 2 is the product,
// which the relu then rewrites in place.
// CHECK:      # fungible launch plan v1: @mm
// CHECK:      buffer 0 bf16 2 257 129 input 1
// CHECK-NEXT: buffer 1 bf16 2 129 300 input 2
// CHECK-NEXT: buffer 2 bf16 2 257 300
// The tensor-core matmul: 64x64 tiles, ceil(257/64) = 5 by
// ceil(300/64) = 5 CTAs of 4 warps, reading buffers 0 and 1 into 2 (rows
// of 129 halves are not whole 16-byte chunks: the mma.sync kernel, not
// the sm_90a one). The zero fill of C is its zeroed accumulators, not a
// launch. Its K loop's trip count (ceil(129/32) = 5) is an index
// argument; every other constant is in the kernel.
// CHECK-NEXT: launch mm_kernel mm_kernel 5 5 1 128 1 1 0
// CHECK:      arg memref 0
// CHECK-NEXT: arg memref 1
// CHECK:      arg memref 2
// CHECK:      end
// The relu, elementwise on buffer 2 in place: ceil(257 * 300 / 256) = 302
// CTAs of 256 threads.
// CHECK-NEXT: launch mm_kernel_0 mm_kernel 302 1 1 256 1 1 0
// CHECK-NEXT: arg memref 2
// CHECK-NEXT: end
// CHECK-NEXT: output 2

// NODRIVER: fungible-gpu-check: cannot load the CUDA driver ({{.*}}no-libcuda.so)
// BADPLAN: fungible-gpu-check: {{.*}}bad.txt:3: memref argument names buffer 3, which is not declared before the launch
// MISSING: fungible-gpu-check: cannot read the plan {{.*}}missing.txt
// HOSTOP: plan.py: {{.*}}copy.mlir: line {{[0-9]+}}: the host side of @mm holds 'memref.copy', which a launch plan cannot replay

func.func @mm(%a: tensor<257x129xbf16>, %b: tensor<129x300xbf16>) -> tensor<257x300xbf16> {
  %0 = wl.matmul %a, %b : (tensor<257x129xbf16>, tensor<129x300xbf16>) -> tensor<257x300xbf16>
  %1 = wl.relu %0 : tensor<257x300xbf16>
  return %1 : tensor<257x300xbf16>
}
