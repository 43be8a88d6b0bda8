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
// The transpose's two reads are both the product's, so it sinks below it
// (Layout.h): the square is computed in the input's layout.
#in2 = affine_map<(d0, d1) -> (d1, d0)>
#out2 = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @sum_squares
// CHECK: %[[SQ:.*]] = wl.mul %arg0, %arg0 : (tensor<5x3xf32>, tensor<5x3xf32>) -> tensor<5x3xf32>
// CHECK: %[[T:.*]] = wl.transpose %[[SQ]] perm = [1, 0] : tensor<5x3xf32> -> tensor<3x5xf32>
// CHECK: wl.reduce sum %[[T]] dims = [1] : tensor<3x5xf32> -> tensor<3xf32>
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

// -----

// A softmax decomposed as torch-mlir writes it (max, exp(x - max), sum,
// divide, with keep-dim outputs) is fused back into one wl.softmax.
#id = affine_map<(d0, d1) -> (d0, d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @softmax_decomposed
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[S:.*]] = wl.softmax %[[X]] axis = 1 : tensor<2x8xf32>
// CHECK-NEXT: return %[[S]]
func.func @softmax_decomposed(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<2x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %m = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<2x8xf32>) outs(%fm : tensor<2x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.maximumf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<2x1xf32>
  %e = tensor.empty() : tensor<2x8xf32>
  %ex = linalg.generic {indexing_maps = [#id, #keep, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<2x8xf32>, tensor<2x1xf32>) outs(%e : tensor<2x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    %r = math.exp %d : f32
    linalg.yield %r : f32
  } -> tensor<2x8xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<2x8xf32>) outs(%fs : tensor<2x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<2x1xf32>
  %p = linalg.generic {indexing_maps = [#id, #keep, #id], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %s : tensor<2x8xf32>, tensor<2x1xf32>) outs(%e : tensor<2x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x8xf32>
  return %p : tensor<2x8xf32>
}

// -----

// A near-softmax whose exponent is taken of something else is left alone.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#keep2 = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @not_softmax
// CHECK-NOT: wl.softmax
// CHECK: wl.div
func.func @not_softmax(%x: tensor<2x8xf32>, %y: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<2x1xf32>
  %e = tensor.empty() : tensor<2x8xf32>
  %ex = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<2x8xf32>) outs(%e : tensor<2x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<2x8xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %s = linalg.generic {indexing_maps = [#id2, #keep2], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<2x8xf32>) outs(%fs : tensor<2x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<2x1xf32>
  %p = linalg.generic {indexing_maps = [#id2, #keep2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %s : tensor<2x8xf32>, tensor<2x1xf32>) outs(%e : tensor<2x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x8xf32>
  return %p : tensor<2x8xf32>
}
