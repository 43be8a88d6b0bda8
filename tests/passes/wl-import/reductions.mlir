// RUN: fungible-opt %s -wl-import -split-input-file | FileCheck %s

// A sum over the spatial dims with a keep-dim output map (constant 0).
#in = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#out = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-LABEL: func.func @mean_pool
// CHECK: %[[S:.*]] = wl.reduce sum %{{.*}} dims = [2, 3] : tensor<1x8x4x4xf32> -> tensor<1x8xf32>
// CHECK: wl.reshape %[[S]] : tensor<1x8xf32> -> tensor<1x8x1x1xf32>
// CHECK-NOT: linalg.generic
func.func @mean_pool(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x1x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x1x1xf32>) -> tensor<1x8x1x1xf32>
  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : tensor<1x8x4x4xf32>) outs(%f : tensor<1x8x1x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x8x1x1xf32>
  return %r : tensor<1x8x1x1xf32>
}

// -----

// A sum of squares over a transposed reduction: the expression is raised
// elementwise, then reduced; the output is in the parallel loops' order.
#in2 = affine_map<(d0, d1) -> (d1, d0)>
#out2 = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @sum_squares
// CHECK: %[[T:.*]] = wl.transpose %{{.*}} perm = [1, 0] : tensor<5x3xf32> -> tensor<3x5xf32>
// CHECK: %[[SQ:.*]] = wl.mul %[[T]], %[[T]] : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
// CHECK: wl.reduce sum %[[SQ]] dims = [1] : tensor<3x5xf32> -> tensor<3xf32>
func.func @sum_squares(%x: tensor<5x3xf32>) -> tensor<3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  %r = linalg.generic {indexing_maps = [#in2, #out2], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<5x3xf32>) outs(%f : tensor<3xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %sq = arith.mulf %a, %a : f32
    %s = arith.addf %acc, %sq : f32
    linalg.yield %s : f32
  } -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// A max whose init is -inf raises alone; a max into a real tensor is
// combined with it.
#in3 = affine_map<(d0, d1) -> (d0, d1)>
#out3 = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @max_rows
// CHECK-SAME: %[[INIT:[a-z0-9]+]]: tensor<4xf32>)
// CHECK: %[[M1:.*]] = wl.reduce max %{{.*}} dims = [1] : tensor<4x8xf32> -> tensor<4xf32>
// CHECK: %[[M2:.*]] = wl.reduce max %{{.*}} dims = [1] : tensor<4x8xf32> -> tensor<4xf32>
// CHECK: %[[C:.*]] = wl.max %[[M2]], %[[INIT]]
// CHECK: return %[[M1]], %[[C]]
func.func @max_rows(%x: tensor<4x8xf32>, %init: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#in3, #out3], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%f : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %r2 = linalg.generic {indexing_maps = [#in3, #out3], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %r, %r2 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK: wl.softmax %{{.*}} axis = 1 : tensor<2x16xf32>
func.func @softmax(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %e = tensor.empty() : tensor<2x16xf32>
  %s = linalg.softmax dimension(1) ins(%x : tensor<2x16xf32>) outs(%e : tensor<2x16xf32>) -> tensor<2x16xf32>
  return %s : tensor<2x16xf32>
}
