// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-opt %s --wl-lower=target=h100 -o %t/h100.mlir
// RUN: %extract-ptx %t/h100.mlir %t/sm90 --ptxas %ptxas --arch sm_90a | FileCheck %s --check-prefix=SM90
// RUN: %ptxas -v -arch=sm_90a %t/sm90/gemm_kernel.ptx -o %t/gemm.cubin 2>&1 | FileCheck %s --check-prefix=GEMM
// RUN: fungible-opt %s --wl-lower=target=b200 -o %t/b200.mlir
// RUN: %extract-ptx %t/b200.mlir %t/sm100 --ptxas %ptxas --arch sm_100 | FileCheck %s --check-prefix=SM100

// NVIDIA's assembler accepts every kernel of the GPU lowering: a large
// bf16 tensor-core matmul (1 kernel: the zero fill of C is its zeroed
// accumulators); a softmax (fill
// and reduce for the row max, the exp of the difference, fill and reduce
// for the row sum, the division: 6; exp by polynomial approximation) and a
// tanh-approximated GELU (1): 8 in all.
// SM90: 8 kernels assembled for sm_90a
//
// The sm_90a GEMM keeps one K tile's wgmma in flight: ptxas neither
// serialises its wgmma (C7514, C7515: an instruction other than a wgmma
// touching the accumulators while one runs) nor injects a wait (C7517),
// and nothing spills.
// (ptxas may report it before the function's name.)
// GEMM-NOT: C75{{[0-9][0-9]}}
// GEMM:     Compiling entry function 'gemm_kernel' for 'sm_90a'
// GEMM-NOT: C75{{[0-9][0-9]}}
// GEMM:     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// GEMM-NOT: C75{{[0-9][0-9]}}
// SM100: 8 kernels assembled for sm_100
func.func @gemm(%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16> {
  %0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>
  return %0 : tensor<4096x4096xbf16>
}

func.func @softmax_gelu(%x: tensor<8x1000xf32>) -> tensor<8x1000xf32> {
  %0 = wl.softmax %x axis = 1 : tensor<8x1000xf32>
  %1 = wl.gelu %0 {approximate} : tensor<8x1000xf32>
  return %1 : tensor<8x1000xf32>
}
