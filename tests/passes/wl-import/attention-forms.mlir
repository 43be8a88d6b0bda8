// RUN: fungible-opt %s -wl-import -split-input-file | FileCheck %s

// The forms of an attention written out that wl-import fuses into one
// wl.attention (attention.mlir has a whole one from linalg, run before and
// after), and those it leaves as written.

// Divided by a power of two (the reciprocal multiplies exactly), the mask
// the add's left operand and the scores' batch dimensions regrouped
// around the softmax; the mask's leading dimensions are the regrouped
// scores' (a reshape of it over the attention's one batch dimension).
// CHECK-LABEL: func.func @divided
// CHECK: %[[M:.*]] = wl.reshape %arg3 : tensor<2x1x8x6xf32> -> tensor<2x8x6xf32>
// CHECK: wl.attention %arg0, %arg1, %arg2 mask %[[M]] {scale = 5.000000e-01 : f64} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>, tensor<2x6x3xf32>, tensor<2x8x6xf32>) -> tensor<2x8x3xf32>
// CHECK-NOT: wl.softmax
func.func @divided(%q: tensor<2x8x4xf32>, %k: tensor<2x6x4xf32>, %v: tensor<2x6x3xf32>, %mask: tensor<2x1x8x6xf32>) -> tensor<2x8x3xf32> {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>) -> tensor<2x8x6xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %x = wl.div %s, %two : (tensor<2x8x6xf32>, tensor<f32>) -> tensor<2x8x6xf32>
  %r = wl.reshape %x : tensor<2x8x6xf32> -> tensor<2x1x8x6xf32>
  %y = wl.add %mask, %r : (tensor<2x1x8x6xf32>, tensor<2x1x8x6xf32>) -> tensor<2x1x8x6xf32>
  %p = wl.softmax %y axis = 3 : tensor<2x1x8x6xf32>
  %p3 = wl.reshape %p : tensor<2x1x8x6xf32> -> tensor<2x8x6xf32>
  %o = wl.batch_matmul %p3, %v : (tensor<2x8x6xf32>, tensor<2x6x3xf32>) -> tensor<2x8x3xf32>
  return %o : tensor<2x8x3xf32>
}

// -----

// No scale (1, not 1/sqrt(D)) and no mask.
// CHECK-LABEL: func.func @plain
// CHECK: wl.attention %arg0, %arg1, %arg2 {scale = 1.000000e+00 : f64} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>, tensor<2x6x3xf32>) -> tensor<2x8x3xf32>
// CHECK-NOT: wl.softmax
func.func @plain(%q: tensor<2x8x4xf32>, %k: tensor<2x6x4xf32>, %v: tensor<2x6x3xf32>) -> tensor<2x8x3xf32> {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>) -> tensor<2x8x6xf32>
  %p = wl.softmax %s axis = 2 : tensor<2x8x6xf32>
  %o = wl.batch_matmul %p, %v : (tensor<2x8x6xf32>, tensor<2x6x3xf32>) -> tensor<2x8x3xf32>
  return %o : tensor<2x8x3xf32>
}

// -----

// Grouped-query attention as Llama writes it: 2 query heads per key/value
// head folded into the scores' rows (2 x 4 = 8), split out for the mask
// and the softmax. Q is split into the heads, K and V shared by them (1
// along the group), and the result merged back.
// CHECK-LABEL: func.func @grouped
// CHECK-DAG: %[[V:.*]] = wl.reshape %arg2 : tensor<2x4x3xf32> -> tensor<2x1x4x3xf32>
// CHECK-DAG: %[[K:.*]] = wl.reshape %arg1 : tensor<2x4x4xf32> -> tensor<2x1x4x4xf32>
// CHECK-DAG: %[[Q:.*]] = wl.reshape %arg0 : tensor<2x8x4xf32> -> tensor<2x2x4x4xf32>
// CHECK: %[[A:.*]] = wl.attention %[[Q]], %[[K]], %[[V]] mask %arg3 {scale = 5.000000e-01 : f64} : (tensor<2x2x4x4xf32>, tensor<2x1x4x4xf32>, tensor<2x1x4x3xf32>, tensor<4x4xf32>) -> tensor<2x2x4x3xf32>
// CHECK: %[[O:.*]] = wl.reshape %[[A]] : tensor<2x2x4x3xf32> -> tensor<2x8x3xf32>
// CHECK: return %[[O]]
func.func @grouped(%q: tensor<2x8x4xf32>, %k: tensor<2x4x4xf32>, %v: tensor<2x4x3xf32>, %mask: tensor<4x4xf32>) -> tensor<2x8x3xf32> {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x8x4xf32>, tensor<2x4x4xf32>) -> tensor<2x8x4xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %x = wl.mul %s, %half : (tensor<2x8x4xf32>, tensor<f32>) -> tensor<2x8x4xf32>
  %r = wl.reshape %x : tensor<2x8x4xf32> -> tensor<2x2x4x4xf32>
  %y = wl.add %r, %mask : (tensor<2x2x4x4xf32>, tensor<4x4xf32>) -> tensor<2x2x4x4xf32>
  %p = wl.softmax %y axis = 3 : tensor<2x2x4x4xf32>
  %p3 = wl.reshape %p : tensor<2x2x4x4xf32> -> tensor<2x8x4xf32>
  %o = wl.batch_matmul %p3, %v : (tensor<2x8x4xf32>, tensor<2x4x3xf32>) -> tensor<2x8x3xf32>
  return %o : tensor<2x8x3xf32>
}

// -----

// Left as written: a division by 3 (x / 3 and x * (1/3) round apart), the
// probabilities read twice, bf16 (each op rounds its result; the fused op
// would round once). A mask whose batch dimensions broadcast over heads
// that are not a group's (2 x 1 against 2 x 3, the heads not split out of
// the scores' rows) is fused: the attention keeps the scores' leading
// dimensions (attention-padding-mask.mlir runs one).
// CHECK-LABEL: func.func @divided_by_three
// CHECK-NOT: wl.attention
// CHECK: wl.softmax
// CHECK-LABEL: func.func @probabilities_returned
// CHECK-NOT: wl.attention
// CHECK: wl.softmax
// CHECK-LABEL: func.func @mask_over_heads
// CHECK: wl.attention {{.*}} mask %arg3 {{.*}} : (tensor<2x3x8x4xf32>, tensor<2x3x6x4xf32>, tensor<2x3x6x3xf32>, tensor<2x1x8x6xf32>) -> tensor<2x3x8x3xf32>
// CHECK-NOT: wl.softmax
// CHECK-LABEL: func.func @bf16
// CHECK-NOT: wl.attention
// CHECK: wl.softmax
func.func @divided_by_three(%q: tensor<2x8x4xf32>, %k: tensor<2x6x4xf32>, %v: tensor<2x6x3xf32>) -> tensor<2x8x3xf32> {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>) -> tensor<2x8x6xf32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %x = wl.div %s, %three : (tensor<2x8x6xf32>, tensor<f32>) -> tensor<2x8x6xf32>
  %p = wl.softmax %x axis = 2 : tensor<2x8x6xf32>
  %o = wl.batch_matmul %p, %v : (tensor<2x8x6xf32>, tensor<2x6x3xf32>) -> tensor<2x8x3xf32>
  return %o : tensor<2x8x3xf32>
}
func.func @probabilities_returned(%q: tensor<2x8x4xf32>, %k: tensor<2x6x4xf32>, %v: tensor<2x6x3xf32>) -> (tensor<2x8x3xf32>, tensor<2x8x6xf32>) {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>) -> tensor<2x8x6xf32>
  %p = wl.softmax %s axis = 2 : tensor<2x8x6xf32>
  %o = wl.batch_matmul %p, %v : (tensor<2x8x6xf32>, tensor<2x6x3xf32>) -> tensor<2x8x3xf32>
  return %o, %p : tensor<2x8x3xf32>, tensor<2x8x6xf32>
}
func.func @mask_over_heads(%q: tensor<6x8x4xf32>, %k: tensor<6x6x4xf32>, %v: tensor<6x6x3xf32>, %mask: tensor<2x1x8x6xf32>) -> tensor<6x8x3xf32> {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<6x8x4xf32>, tensor<6x6x4xf32>) -> tensor<6x8x6xf32>
  %r = wl.reshape %s : tensor<6x8x6xf32> -> tensor<2x3x8x6xf32>
  %y = wl.add %r, %mask : (tensor<2x3x8x6xf32>, tensor<2x1x8x6xf32>) -> tensor<2x3x8x6xf32>
  %p = wl.softmax %y axis = 3 : tensor<2x3x8x6xf32>
  %p3 = wl.reshape %p : tensor<2x3x8x6xf32> -> tensor<6x8x6xf32>
  %o = wl.batch_matmul %p3, %v : (tensor<6x8x6xf32>, tensor<6x6x3xf32>) -> tensor<6x8x3xf32>
  return %o : tensor<6x8x3xf32>
}
func.func @bf16(%q: tensor<2x8x4xbf16>, %k: tensor<2x6x4xbf16>, %v: tensor<2x6x3xbf16>) -> tensor<2x8x3xbf16> {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x8x4xbf16>, tensor<2x6x4xbf16>) -> tensor<2x8x6xbf16>
  %p = wl.softmax %s axis = 2 : tensor<2x8x6xbf16>
  %o = wl.batch_matmul %p, %v : (tensor<2x8x6xbf16>, tensor<2x6x3xbf16>) -> tensor<2x8x3xbf16>
  return %o : tensor<2x8x3xbf16>
}
