// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-opt %s --wl-lower=target=h100 -o %t/h100.mlir
// RUN: %extract-ptx %t/h100.mlir %t/sm90 --ptxas %ptxas --arch sm_90a | FileCheck %s --check-prefix=SM90
// RUN: fungible-opt %s --wl-lower=target=b200 -o %t/b200.mlir
// RUN: %extract-ptx %t/b200.mlir %t/sm100 --ptxas %ptxas --arch sm_100 | FileCheck %s --check-prefix=SM100

// NVIDIA's assembler accepts every kernel of the GPU lowering: a large
// bf16 tensor-core matmul (1 kernel: the zero fill of C is its zeroed
// accumulators); a softmax (fill
// and reduce for the row max, the exp of the difference, fill and reduce
// for the row sum, the division: 6; exp by polynomial approximation) and a
// tanh-approximated GELU (1): 8 in all.
// SM90: 8 kernels assembled for sm_90a
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
