// RUN: %python %S/../../lib/make_harness.py %s repeated > %t.mlir
// RUN: fungible-opt %t.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b --rtol 0 --atol 0 | FileCheck %s --check-prefix=SAME
// RUN: fungible-opt %s -wl-import | FileCheck %s

// K and V repeated over the query heads of a group as TOSA's lowering of
// a grouped-query model writes it (buddy-mlir's transformer subgraph: x + 0
// broadcast from 2 key/value heads to 2 x 6 query heads, reshaped to the
// 12 heads) are read unrepeated: the fused wl.attention takes the
// grouped-query form, K and V 1 along the group, and nothing writes the
// repeated copies. The same numbers (x + 0 is x; -0 becomes 0, which
// compares equal): 12 x 8 x 3 = 288 values.
// SAME: compared 288 values, max abs error 0, 0 mismatches

// CHECK-LABEL: func.func @repeated
// CHECK-NOT: wl.add
// CHECK: %[[Q:.*]] = wl.reshape %arg0 : tensor<12x8x4xf32> -> tensor<1x2x6x8x4xf32>
// CHECK: %[[A:.*]] = wl.attention %[[Q]], %arg1, %arg2 mask %arg3 {scale = 5.000000e-01 : f64} : (tensor<1x2x6x8x4xf32>, tensor<1x2x1x6x4xf32>, tensor<1x2x1x6x3xf32>, tensor<1x6xf32>) -> tensor<1x2x6x8x3xf32>
// CHECK: %[[O:.*]] = wl.reshape %[[A]] : tensor<1x2x6x8x3xf32> -> tensor<12x8x3xf32>
// CHECK: return %[[O]]
func.func @repeated(%q: tensor<12x8x4xf32>, %k: tensor<1x2x1x6x4xf32>, %v: tensor<1x2x1x6x3xf32>, %mask: tensor<1x6xf32>) -> tensor<12x8x3xf32> {
  %zk = arith.constant dense<0.0> : tensor<1x2x6x6x4xf32>
  %zv = arith.constant dense<0.0> : tensor<1x2x6x6x3xf32>
  %kr = wl.add %k, %zk : (tensor<1x2x1x6x4xf32>, tensor<1x2x6x6x4xf32>) -> tensor<1x2x6x6x4xf32>
  %vr = wl.add %v, %zv : (tensor<1x2x1x6x3xf32>, tensor<1x2x6x6x3xf32>) -> tensor<1x2x6x6x3xf32>
  %k12 = wl.reshape %kr : tensor<1x2x6x6x4xf32> -> tensor<12x6x4xf32>
  %v12 = wl.reshape %vr : tensor<1x2x6x6x3xf32> -> tensor<12x6x3xf32>
  %s = wl.batch_matmul %q, %k12 {transpose_rhs} : (tensor<12x8x4xf32>, tensor<12x6x4xf32>) -> tensor<12x8x6xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %x = wl.mul %s, %half : (tensor<12x8x6xf32>, tensor<f32>) -> tensor<12x8x6xf32>
  %y = wl.add %x, %mask : (tensor<12x8x6xf32>, tensor<1x6xf32>) -> tensor<12x8x6xf32>
  %p = wl.softmax %y axis = 2 : tensor<12x8x6xf32>
  %o = wl.batch_matmul %p, %v12 : (tensor<12x8x6xf32>, tensor<12x6x3xf32>) -> tensor<12x8x3xf32>
  return %o : tensor<12x8x3xf32>
}
