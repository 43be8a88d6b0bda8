// RUN: fungible-opt %s -wl-print-work -o /dev/null | FileCheck %s

// Every function gets its own table, including functions in nested modules;
// ops of other dialects are not counted.

// CHECK-LABEL: wl work of @first: 1 ops
// CHECK: 0  wl.exp           elementwise                  16
// CHECK: total                                          16
// CHECK-LABEL: wl work of @inner: 2 ops
// CHECK: 0  wl.batch_matmul  contraction                 128
// CHECK: 1  wl.reduce        reduction                    32
// CHECK: total                                         160
func.func @first(%x: tensor<16xf32>) -> tensor<16xf32> {
  %c = arith.constant dense<1.0> : tensor<16xf32>
  %0 = arith.addf %x, %c : tensor<16xf32>
  %1 = wl.exp %0 : tensor<16xf32>
  return %1 : tensor<16xf32>
}

module @nested {
  // 2 * (2 batches * 4x4 outputs) * (K = 2) = 128; the reduction reads 32.
  func.func @inner(%a: tensor<2x4x2xf32>, %b: tensor<2x2x4xf32>) -> tensor<2x4xf32> {
    %0 = wl.batch_matmul %a, %b : (tensor<2x4x2xf32>, tensor<2x2x4xf32>) -> tensor<2x4x4xf32>
    %1 = wl.reduce sum %0 dims = [2] : tensor<2x4x4xf32> -> tensor<2x4xf32>
    return %1 : tensor<2x4xf32>
  }
}
