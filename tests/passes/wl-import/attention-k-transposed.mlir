// RUN: %python %S/../../lib/make_harness.py %s k_transposed > %t.mlir
// RUN: fungible-opt %t.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b --rtol 0 --atol 0 | FileCheck %s --check-prefix=SAME
// RUN: fungible-opt %s -wl-import | FileCheck %s
// RUN: fungible-opt %s -wl-import -wl-outline-kernels --wl-compile=targets=tpu-v5p -o %t.tpu.mlir
// RUN: %python %S/../../lib/count_programs.py %t.tpu.mlir tpu-v5p | FileCheck %s --check-prefix=ONE
// RUN: fungible-opt %s -wl-import -wl-outline-kernels --wl-compile=targets=trn2 -o %t.trn.mlir
// RUN: %python %S/../../lib/count_programs.py %t.trn.mlir trn2 | FileCheck %s --check-prefix=ONE
// RUN: fungible-opt %s -wl-import -wl-outline-kernels --wl-compile=targets=h100 -o %t.gpu.mlir
// RUN: %python %S/../../lib/count_programs.py %t.gpu.mlir h100 | FileCheck %s --check-prefix=ONE

// Attention whose K is given transposed, [B, D, Sk] (a KV cache laid out
// with the keys last), so that the scores' product reads it as it is
// (no transpose_rhs): wl-import fuses it as it does Q K^T, K transposed
// back for wl.attention ([B, Sk, D]), which the lowering's own transpose
// cancels (the outlined kernel takes the transpose with the attention).
// Before and after: equal to the bit. One program on the TPU, on Trainium
// and on the GPU, as for K given untransposed.
// CHECK-LABEL: func.func @k_transposed
// CHECK: %[[K:.*]] = wl.transpose %arg1 perm = [0, 2, 1] : tensor<2x4x6xf32> -> tensor<2x6x4xf32>
// CHECK: wl.attention %arg0, %[[K]], %arg2 mask %arg3 {scale = 5.000000e-01 : f64} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>, tensor<2x6x3xf32>, tensor<8x6xf32>) -> tensor<2x8x3xf32>
// CHECK-NOT: wl.softmax
// CHECK-NOT: wl.batch_matmul
// SAME: compared 48 values, max abs error 0, 0 mismatches
// ONE: 1 kernels: 1 one program, 0 none (views only), 0 more:
func.func @k_transposed(%q: tensor<2x8x4xf32>, %kt: tensor<2x4x6xf32>, %v: tensor<2x6x3xf32>, %mask: tensor<8x6xf32>) -> tensor<2x8x3xf32> {
  %s = wl.batch_matmul %q, %kt : (tensor<2x8x4xf32>, tensor<2x4x6xf32>) -> tensor<2x8x6xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %x = wl.mul %s, %half : (tensor<2x8x6xf32>, tensor<f32>) -> tensor<2x8x6xf32>
  %y = wl.add %x, %mask : (tensor<2x8x6xf32>, tensor<8x6xf32>) -> tensor<2x8x6xf32>
  %p = wl.softmax %y axis = 2 : tensor<2x8x6xf32>
  %o = wl.batch_matmul %p, %v : (tensor<2x8x6xf32>, tensor<2x6x3xf32>) -> tensor<2x8x3xf32>
  return %o : tensor<2x8x3xf32>
}
