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
