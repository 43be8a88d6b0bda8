// RUN: %python %S/../../lib/make_harness.py %s bert_padding > %t.mlir
// RUN: fungible-opt %t.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b --rtol 0 --atol 0 | FileCheck %s --check-prefix=SAME
// RUN: fungible-opt %s -wl-import | FileCheck %s

// Attention with a padding mask as BERT's exporters write it: the scores of
// 2 sequences x 3 heads computed as one batch of 6, divided by 8, viewed as
// [2, 3, 8, 6] to add the extended mask [2, 1, 1, 6] (one row of key
// offsets per sequence, broadcast over its heads and queries), softmax,
// then the product with V over the batch of 6. wl-import fuses it into one
// wl.attention over the scores' leading dimensions [2, 3], whose mask
// broadcasts itself; the result is merged back to the batch of 6.
// CHECK-LABEL: func.func @bert_padding
// CHECK-DAG:  %[[V:.*]] = wl.reshape %arg2 : tensor<6x6x3xf32> -> tensor<2x3x6x3xf32>
// CHECK-DAG:  %[[K:.*]] = wl.reshape %arg1 : tensor<6x6x4xf32> -> tensor<2x3x6x4xf32>
// CHECK-DAG:  %[[Q:.*]] = wl.reshape %arg0 : tensor<6x8x4xf32> -> tensor<2x3x8x4xf32>
// CHECK:      %[[A:.*]] = wl.attention %[[Q]], %[[K]], %[[V]] mask %arg3 {scale = 1.250000e-01 : f64} : (tensor<2x3x8x4xf32>, tensor<2x3x6x4xf32>, tensor<2x3x6x3xf32>, tensor<2x1x1x6xf32>) -> tensor<2x3x8x3xf32>
// CHECK:      %[[R:.*]] = wl.reshape %[[A]] : tensor<2x3x8x3xf32> -> tensor<6x8x3xf32>
// CHECK-NOT:  wl.softmax
// CHECK:      return %[[R]]
//
// The same numbers before and after (the mask's offsets distinct per
// sequence and key, so a mask read at the wrong sequence or key shows).
// SAME: compared 144 values, max abs error 0, 0 mismatches
func.func @bert_padding(%q: tensor<6x8x4xf32>, %k: tensor<6x6x4xf32>, %v: tensor<6x6x3xf32>, %mask: tensor<2x1x1x6xf32>) -> tensor<6x8x3xf32> {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<6x8x4xf32>, tensor<6x6x4xf32>) -> tensor<6x8x6xf32>
  %eight = arith.constant dense<8.0> : tensor<f32>
  %x = wl.div %s, %eight : (tensor<6x8x6xf32>, tensor<f32>) -> tensor<6x8x6xf32>
  %r = wl.reshape %x : tensor<6x8x6xf32> -> tensor<2x3x8x6xf32>
  %y = wl.add %r, %mask : (tensor<2x3x8x6xf32>, tensor<2x1x1x6xf32>) -> tensor<2x3x8x6xf32>
  %p = wl.softmax %y axis = 3 : tensor<2x3x8x6xf32>
  %p3 = wl.reshape %p : tensor<2x3x8x6xf32> -> tensor<6x8x6xf32>
  %o = wl.batch_matmul %p3, %v : (tensor<6x8x6xf32>, tensor<6x6x3xf32>) -> tensor<6x8x3xf32>
  return %o : tensor<6x8x3xf32>
}
