// RUN: fungible-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = wl.transpose %x perm = [0, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_inverse_pair
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_inverse_pair(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = wl.transpose %x perm = [1, 2, 0] : tensor<2x3x5xf32> -> tensor<3x5x2xf32>
  %1 = wl.transpose %0 perm = [2, 0, 1] : tensor<3x5x2xf32> -> tensor<2x3x5xf32>
  return %1 : tensor<2x3x5xf32>
}

// -----

// Result dim d of the pair is x's dim inner[outer[d]] = [1,2,0][[1,2,0][d]]
// = [2, 0, 1].
// CHECK-LABEL: func.func @transpose_compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5xf32>)
// CHECK-NEXT: %[[T:.*]] = wl.transpose %[[X]] perm = [2, 0, 1] : tensor<2x3x5xf32> -> tensor<5x2x3xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_compose(%x: tensor<2x3x5xf32>) -> tensor<5x2x3xf32> {
  %0 = wl.transpose %x perm = [1, 2, 0] : tensor<2x3x5xf32> -> tensor<3x5x2xf32>
  %1 = wl.transpose %0 perm = [1, 2, 0] : tensor<3x5x2xf32> -> tensor<5x2x3xf32>
  return %1 : tensor<5x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = wl.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = wl.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = wl.reshape %0 : tensor<24xf32> -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_roundtrip
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_roundtrip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = wl.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %1 = wl.reshape %0 : tensor<6xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @same_shape_broadcast_cast_concat
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @same_shape_broadcast_cast_concat(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = wl.broadcast %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = wl.cast %0 : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = wl.concat %1 dim = 0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// -----

// A cast of a constant is the converted constant: i64 positions to f32
// (signed), f32 to bf16 rounded to nearest even (1 + 2^-8 is halfway
// between bf16's 1 and 1 + 2^-7: the even one is 1; 1 + 3 * 2^-8 is
// halfway between 1 + 2^-7 and 1 + 2^-6: the even one is 1 + 2^-6),
// a splat at any size.
// CHECK-LABEL: func.func @cast_of_constants
// CHECK-DAG: arith.constant dense<[0.000000e+00, 1.000000e+00, -3.000000e+00, 1.024000e+03]> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 1.015630e+00]> : tensor<2xbf16>
// CHECK-DAG: arith.constant dense<7.000000e+00> : tensor<4096x4096xf16>
// CHECK-NOT: wl.cast
func.func @cast_of_constants() -> (tensor<4xf32>, tensor<2xbf16>, tensor<4096x4096xf16>) {
  %p = arith.constant dense<[0, 1, -3, 1024]> : tensor<4xi64>
  %0 = wl.cast %p : tensor<4xi64> -> tensor<4xf32>
  %f = arith.constant dense<[1.00390625, 1.01171875]> : tensor<2xf32>
  %1 = wl.cast %f : tensor<2xf32> -> tensor<2xbf16>
  %s = arith.constant dense<7> : tensor<4096x4096xi32>
  %2 = wl.cast %s : tensor<4096x4096xi32> -> tensor<4096x4096xf16>
  return %0, %1, %2 : tensor<4xf32>, tensor<2xbf16>, tensor<4096x4096xf16>
}

// -----

// A constant cast to an integer type, and one of more than 4096 elements
// that is not a splat, stay casts.
// CHECK-LABEL: func.func @cast_not_folded
// CHECK: wl.cast %{{.*}} : tensor<2xf32> -> tensor<2xi32>
// CHECK: wl.cast %{{.*}} : tensor<4097xi64> -> tensor<4097xf32>
func.func @cast_not_folded(%big: tensor<4097xi64>) -> (tensor<2xi32>, tensor<4097xf32>) {
  %f = arith.constant dense<[1.5, -2.5]> : tensor<2xf32>
  %0 = wl.cast %f : tensor<2xf32> -> tensor<2xi32>
  %1 = wl.cast %big : tensor<4097xi64> -> tensor<4097xf32>
  return %0, %1 : tensor<2xi32>, tensor<4097xf32>
}

// -----

// A 1 x N vector's elementwise chain written through N (as torch-mlir
// imports a classifier's hard-swish): broadcasting the reshape back to the
// vector's type repeats nothing, so it is the vector.
// CHECK-LABEL: func.func @broadcast_of_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<1x1024xf32>)
// CHECK-NEXT: %[[R:.*]] = wl.relu %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @broadcast_of_reshape(%x: tensor<1x1024xf32>) -> tensor<1x1024xf32> {
  %0 = wl.reshape %x : tensor<1x1024xf32> -> tensor<1024xf32>
  %1 = wl.broadcast %0 : tensor<1024xf32> -> tensor<1x1024xf32>
  %2 = wl.relu %1 : tensor<1x1024xf32>
  return %2 : tensor<1x1024xf32>
}

// -----

// A broadcast of a reshape that repeats elements stays (as 1 x 4 -> 4 ->
// 3 x 4 does), and so does one to another type than the reshape's input.
// CHECK-LABEL: func.func @broadcast_of_reshape_kept
// CHECK: wl.reshape
// CHECK: wl.broadcast
// CHECK: wl.reshape
// CHECK: wl.broadcast
func.func @broadcast_of_reshape_kept(%x: tensor<1x4xf32>, %y: tensor<4x1xf32>) -> (tensor<3x4xf32>, tensor<1x4xf32>) {
  %0 = wl.reshape %x : tensor<1x4xf32> -> tensor<4xf32>
  %1 = wl.broadcast %0 : tensor<4xf32> -> tensor<3x4xf32>
  %2 = wl.reshape %y : tensor<4x1xf32> -> tensor<4xf32>
  %3 = wl.broadcast %2 : tensor<4xf32> -> tensor<1x4xf32>
  return %1, %3 : tensor<3x4xf32>, tensor<1x4xf32>
}

// -----

// Real broadcasts and non-identity transposes stay.
// CHECK-LABEL: func.func @kept
// CHECK: wl.broadcast
// CHECK: wl.transpose
func.func @kept(%x: tensor<3xf32>) -> tensor<3x2xf32> {
  %0 = wl.broadcast %x : tensor<3xf32> -> tensor<2x3xf32>
  %1 = wl.transpose %0 perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// Pure ops whose results are unused are removed.
// CHECK-LABEL: func.func @dead
// CHECK-NOT: wl.
// CHECK: return
func.func @dead(%a: tensor<4x4xf32>) {
  %0 = wl.matmul %a, %a : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

// Constants fold through layout ops: a splat keeps its value, a small
// constant is permuted element by element (transpose of [[1,2,3],[4,5,6]]
// is [[1,4],[2,5],[3,6]]), a reshape keeps the element order.
// CHECK-LABEL: func.func @fold_layout_of_constants
// CHECK-DAG: arith.constant dense<7.000000e+00> : tensor<3x2xf32>
// CHECK-DAG: arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]> : tensor<6xf32>
// CHECK-NOT: wl.
func.func @fold_layout_of_constants() -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<6xf32>) {
  %s = arith.constant dense<7.0> : tensor<2x3xf32>
  %c = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = wl.transpose %s perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = wl.transpose %c perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %2 = wl.reshape %c : tensor<2x3xf32> -> tensor<6xf32>
  return %0, %1, %2 : tensor<3x2xf32>, tensor<3x2xf32>, tensor<6xf32>
}

// -----

// Batch norm's per-channel arithmetic on constants folds, broadcasting as
// the ops do and rounding as the generated code does: rsqrt([4, 16] + 0)
// = [0.5, 0.25]; (x - [1, 2]) over rows [[3], [5]]: [[2, 1], [4, 3]];
// rsqrt(3) in f32 is 1/sqrt(3) rounded twice, 0.577350259.
// CHECK-LABEL: func.func @fold_constant_arithmetic
// CHECK-DAG: arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[}}[2.000000e+00, 1.000000e+00], [4.000000e+00, 3.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<0.577350259> : tensor<f32>
// CHECK-NOT: wl.
func.func @fold_constant_arithmetic() -> (tensor<2xf32>, tensor<2x2xf32>, tensor<f32>) {
  %v = arith.constant dense<[4.0, 16.0]> : tensor<2xf32>
  %z = arith.constant dense<0.0> : tensor<f32>
  %m = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %r = arith.constant dense<[[3.0], [5.0]]> : tensor<2x1xf32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %0 = wl.add %v, %z : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %1 = wl.rsqrt %0 : tensor<2xf32>
  %2 = wl.sub %r, %m : (tensor<2x1xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %3 = wl.rsqrt %three : tensor<f32>
  return %1, %2, %3 : tensor<2xf32>, tensor<2x2xf32>, tensor<f32>
}

// -----

// Splats fold at any size (one value); other constants up to 4096
// elements, so a model's large weights stay one constant.
// CHECK-LABEL: func.func @fold_large_splats
// CHECK: arith.constant dense<3.000000e+00> : tensor<64x65xf32>
// CHECK-NOT: wl.
func.func @fold_large_splats() -> tensor<64x65xf32> {
  %big = arith.constant dense<1.5> : tensor<64x65xf32>
  %0 = wl.add %big, %big : (tensor<64x65xf32>, tensor<64x65xf32>) -> tensor<64x65xf32>
  return %0 : tensor<64x65xf32>
}

// -----

// x * 1, 1 * x and x / 1 are x (exactly, in any type); a one that
// broadcasts x to a larger shape, 1 / x and x * 2 stay.
// CHECK-LABEL: func.func @multiply_by_one
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4x8xbf16>, %[[I:.*]]: tensor<4x8xi32>)
// CHECK-DAG: %[[BIG:.*]] = wl.mul %[[X]], %{{.*}} : (tensor<4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
// CHECK-DAG: %[[INV:.*]] = wl.div %{{.*}}, %[[X]] : (tensor<f32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-DAG: %[[TWO:.*]] = wl.mul %[[X]], %{{.*}} : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
// CHECK: return %[[X]], %[[B]], %[[I]], %[[X]], %[[BIG]], %[[INV]], %[[TWO]]
func.func @multiply_by_one(%x: tensor<4x8xf32>, %b: tensor<4x8xbf16>, %i: tensor<4x8xi32>) -> (tensor<4x8xf32>, tensor<4x8xbf16>, tensor<4x8xi32>, tensor<4x8xf32>, tensor<2x4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %oneb = arith.constant dense<1.0> : tensor<1x1xbf16>
  %onei = arith.constant dense<1> : tensor<i32>
  %ones = arith.constant dense<1.0> : tensor<2x4x8xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %0 = wl.mul %x, %one : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %1 = wl.mul %oneb, %b : (tensor<1x1xbf16>, tensor<4x8xbf16>) -> tensor<4x8xbf16>
  %2 = wl.mul %i, %onei : (tensor<4x8xi32>, tensor<i32>) -> tensor<4x8xi32>
  %3 = wl.div %x, %one : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %4 = wl.mul %x, %ones : (tensor<4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %5 = wl.div %one, %x : (tensor<f32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %6 = wl.mul %x, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4x8xf32>, tensor<4x8xbf16>, tensor<4x8xi32>, tensor<4x8xf32>, tensor<2x4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Slices of constants: a splat at any size, a small constant element by
// element (strided: rows 1 and 3 of [[0,1,2],[3,4,5],[6,7,8],[9,10,11]],
// columns 0 and 2), a whole-tensor slice is its input; a slice of an
// argument stays. slice(transpose(x)) becomes transpose(slice(x)) when
// the transpose has no other reader (offsets and strides permuted).
// CHECK-LABEL: func.func @slices
// CHECK-SAME: (%[[X:.*]]: tensor<4x6xf32>)
// CHECK-DAG: %[[SPLAT:.*]] = arith.constant dense<2.500000e+00> : tensor<100x3xf32>
// CHECK-DAG: %[[SMALL:.*]] = arith.constant dense<{{\[}}[3.000000e+00, 5.000000e+00], [9.000000e+00, 1.100000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[XS:.*]] = wl.slice %[[X]] offsets = [1, 0] {strides = array<i64: 2, 3>} : tensor<4x6xf32> -> tensor<2x2xf32>
// CHECK-DAG: %[[XT:.*]] = wl.transpose %[[XS]] perm = [1, 0] : tensor<2x2xf32> -> tensor<2x2xf32>
// CHECK: return %[[SPLAT]], %[[SMALL]], %[[X]], %[[XT]]
func.func @slices(%x: tensor<4x6xf32>) -> (tensor<100x3xf32>, tensor<2x2xf32>, tensor<4x6xf32>, tensor<2x2xf32>) {
  %splat = arith.constant dense<2.5> : tensor<1000x3xf32>
  %small = arith.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0], [9.0, 10.0, 11.0]]> : tensor<4x3xf32>
  %0 = wl.slice %splat offsets = [7, 0] : tensor<1000x3xf32> -> tensor<100x3xf32>
  %1 = wl.slice %small offsets = [1, 0] {strides = array<i64: 2, 2>} : tensor<4x3xf32> -> tensor<2x2xf32>
  %2 = wl.slice %x offsets = [0, 0] : tensor<4x6xf32> -> tensor<4x6xf32>
  %t = wl.transpose %x perm = [1, 0] : tensor<4x6xf32> -> tensor<6x4xf32>
  %3 = wl.slice %t offsets = [0, 1] {strides = array<i64: 3, 2>} : tensor<6x4xf32> -> tensor<2x2xf32>
  return %0, %1, %2, %3 : tensor<100x3xf32>, tensor<2x2xf32>, tensor<4x6xf32>, tensor<2x2xf32>
}

// -----

// A convolution's constant filter loses the taps that only read padding
// (docs/Import.md; numbers: tests/passes/wl-import/conv-padding-taps.mlir):
// on a 1x1 image padded by 1, the centre tap. A filter that is an
// argument, or taps that all read the image, stay.
// CHECK-LABEL: func.func @padding_taps
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x1x8xf32>, %[[Y:.*]]: tensor<1x3x3x8xf32>, %[[F:.*]]: tensor<3x3x8x4xf32>)
// CHECK: %[[C:.*]] = arith.constant dense<5.000000e-01> : tensor<1x1x8x4xf32>
// CHECK: wl.conv2d %[[X]], %[[C]] : (tensor<1x1x1x8xf32>, tensor<1x1x8x4xf32>) -> tensor<1x1x1x4xf32>
// CHECK: wl.conv2d %[[X]], %[[F]] {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x1x8xf32>, tensor<3x3x8x4xf32>) -> tensor<1x1x1x4xf32>
// CHECK: wl.conv2d %[[Y]], %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x3x8xf32>, tensor<3x3x8x4xf32>) -> tensor<1x3x3x4xf32>
func.func @padding_taps(%x: tensor<1x1x1x8xf32>, %y: tensor<1x3x3x8xf32>, %f: tensor<3x3x8x4xf32>) -> (tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>, tensor<1x3x3x4xf32>) {
  %w = arith.constant dense<0.5> : tensor<3x3x8x4xf32>
  %0 = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x1x8xf32>, tensor<3x3x8x4xf32>) -> tensor<1x1x1x4xf32>
  %1 = wl.conv2d %x, %f {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x1x8xf32>, tensor<3x3x8x4xf32>) -> tensor<1x1x1x4xf32>
  %2 = wl.conv2d %y, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x3x8xf32>, tensor<3x3x8x4xf32>) -> tensor<1x3x3x4xf32>
  return %0, %1, %2 : tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>, tensor<1x3x3x4xf32>
}
