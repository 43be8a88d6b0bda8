// RUN: fungible-opt %s --split-input-file --fungible-fuse-elementwise-producers | FileCheck %s
// RUN: fungible-opt %s --split-input-file --fungible-fuse-elementwise-producers=sink-transposes=false | FileCheck %s --check-prefix=KEEP

// An NCHW residual added to the transpose of an NHWC convolution's
// epilogue: the add runs in the convolution's order (its loops NHWC, the
// residual read at (n, c, h, w)), fused with the bias, and the transpose
// moves to the end, where a matrix unit's program stores through it.
// CHECK-DAG:   #[[NCHW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @residual
// CHECK:       %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf
// CHECK:       %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[NCHW]], #[[ID]], #[[BIAS]], #[[ID]]]
// CHECK-SAME:    ins(%arg3, %[[CONV]], %arg2 : tensor<1x8x6x5xf32>, tensor<1x6x5x8xf32>, tensor<8xf32>) outs({{.*}} : tensor<1x6x5x8xf32>)
// CHECK:         arith.addf
// CHECK:         arith.addf
// CHECK:       %[[T:.*]] = linalg.transpose ins(%[[SUM]] : tensor<1x6x5x8xf32>) outs({{.*}} : tensor<1x8x6x5xf32>) permutation = [0, 3, 1, 2]
// CHECK:       return %[[T]]
// Without sinking (the CPU's pipeline) the transpose stays where it is:
// the bias's one user is the transpose, so it is a loop of its own, and
// the residual add reads the transposed sum.
// KEEP-LABEL: func.func @residual
// KEEP:       %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf
// KEEP:       %[[B:.*]] = linalg.generic {{.*}} ins(%[[CONV]], %arg2 :
// KEEP:       %[[T:.*]] = linalg.transpose ins(%[[B]] : tensor<1x6x5x8xf32>)
// KEEP:       %[[SUM:.*]] = linalg.generic {{.*}} ins(%arg3, %[[T]] :
// KEEP:       return %[[SUM]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c = affine_map<(d0, d1, d2, d3) -> (d3)>
func.func @residual(%x: tensor<1x6x5x4xf32>, %w: tensor<1x1x4x8xf32>, %b: tensor<8xf32>, %r: tensor<1x8x6x5xf32>) -> tensor<1x8x6x5xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x6x5x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x5x8xf32>) -> tensor<1x6x5x8xf32>
  %conv = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x6x5x4xf32>, tensor<1x1x4x8xf32>) outs(%f : tensor<1x6x5x8xf32>) -> tensor<1x6x5x8xf32>
  %e1 = tensor.empty() : tensor<1x6x5x8xf32>
  %biased = linalg.generic {indexing_maps = [#id, #c, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b : tensor<1x6x5x8xf32>, tensor<8xf32>) outs(%e1 : tensor<1x6x5x8xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<1x6x5x8xf32>
  %e2 = tensor.empty() : tensor<1x8x6x5xf32>
  %t = linalg.transpose ins(%biased : tensor<1x6x5x8xf32>) outs(%e2 : tensor<1x8x6x5xf32>) permutation = [0, 3, 1, 2]
  %e3 = tensor.empty() : tensor<1x8x6x5xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%r, %t : tensor<1x8x6x5xf32>, tensor<1x8x6x5xf32>) outs(%e3 : tensor<1x8x6x5xf32>) {
  ^bb0(%a: f32, %c2: f32, %out: f32):
    %s = arith.addf %a, %c2 : f32
    linalg.yield %s : f32
  } -> tensor<1x8x6x5xf32>
  return %sum : tensor<1x8x6x5xf32>
}

// -----

// A transpose of an argument stays before the op that reads it (the other
// operand would be read transposed, which an elementwise program does not
// take), and so does one the op reads broadcast.
// CHECK-LABEL: func.func @left
// CHECK:       linalg.transpose
// CHECK:       linalg.generic
// CHECK:       linalg.transpose
// CHECK:       linalg.generic
// CHECK-NOT:   linalg.transpose
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1, d2) -> (d0, d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @left(%y: tensor<3x4xf32>, %z: tensor<4x3xf32>, %a: tensor<4x5xf32>, %b: tensor<5x6xf32>, %u: tensor<6x2x4xf32>) -> (tensor<4x3xf32>, tensor<6x2x4xf32>) {
  %e = tensor.empty() : tensor<4x3xf32>
  %t = linalg.transpose ins(%y : tensor<3x4xf32>) outs(%e : tensor<4x3xf32>) permutation = [1, 0]
  %d = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%t, %z : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %s = arith.subf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x3xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x6xf32>) -> tensor<4x6xf32>
  %m = linalg.matmul ins(%a, %b : tensor<4x5xf32>, tensor<5x6xf32>) outs(%f : tensor<4x6xf32>) -> tensor<4x6xf32>
  %e2 = tensor.empty() : tensor<6x4xf32>
  %mt = linalg.transpose ins(%m : tensor<4x6xf32>) outs(%e2 : tensor<6x4xf32>) permutation = [1, 0]
  %e3 = tensor.empty() : tensor<6x2x4xf32>
  %g = linalg.generic {indexing_maps = [#row, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%mt, %u : tensor<6x4xf32>, tensor<6x2x4xf32>) outs(%e3 : tensor<6x2x4xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<6x2x4xf32>
  return %d, %g : tensor<4x3xf32>, tensor<6x2x4xf32>
}

// -----

// Dynamic shapes are left as they are.
// CHECK-LABEL: func.func @dynamic
// CHECK:       linalg.matmul
// CHECK:       linalg.transpose
// CHECK:       linalg.generic
#id2d = affine_map<(d0, d1) -> (d0, d1)>
func.func @dynamic(%a: tensor<?x5xf32>, %b: tensor<5x6xf32>, %r: tensor<6x?xf32>, %n: index) -> tensor<6x?xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x6xf32>) -> tensor<?x6xf32>
  %m = linalg.matmul ins(%a, %b : tensor<?x5xf32>, tensor<5x6xf32>) outs(%f : tensor<?x6xf32>) -> tensor<?x6xf32>
  %e2 = tensor.empty(%n) : tensor<6x?xf32>
  %t = linalg.transpose ins(%m : tensor<?x6xf32>) outs(%e2 : tensor<6x?xf32>) permutation = [1, 0]
  %g = linalg.generic {indexing_maps = [#id2d, #id2d, #id2d], iterator_types = ["parallel", "parallel"]} ins(%t, %r : tensor<6x?xf32>, tensor<6x?xf32>) outs(%e2 : tensor<6x?xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<6x?xf32>
  return %g : tensor<6x?xf32>
}
