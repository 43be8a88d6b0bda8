// RUN: fungible-opt %s -convert-wl-to-linalg -split-input-file | FileCheck %s

// Reductions are linalg.generic ops with reduction iterators over an
// identity-filled accumulator (-inf for max, +inf for min, 0 for sums).

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @reduce_max_keep
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<3xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<3xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
func.func @reduce_max_keep(%x: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = wl.reduce max %x dims = [0, 2] {keep_dims} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_min_int
// CHECK: arith.constant 2147483647 : i32
// CHECK: arith.minsi
func.func @reduce_min_int(%x: tensor<2x3xi32>) -> tensor<2xi32> {
  %0 = wl.reduce min %x dims = [1] : tensor<2x3xi32> -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// Mean sums in f32 then divides by the reduced count (3 * 4 = 12).
// CHECK-LABEL: func.func @mean_bf16
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.addf
// CHECK: arith.constant 1.200000e+01 : f32
// CHECK: arith.divf
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @mean_bf16(%x: tensor<2x3x4xbf16>) -> tensor<2xbf16> {
  %0 = wl.reduce mean %x dims = [1, 2] : tensor<2x3x4xbf16> -> tensor<2xbf16>
  return %0 : tensor<2xbf16>
}

// -----

// Softmax: max, subtract + exp, sum, divide.
// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK-NEXT: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = wl.softmax %x axis = 1 : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// The per-row values (the mean, rsqrt(variance + eps)) are ops over the
// rows, computed once a row; the normalisation reads them broadcast and
// only multiplies and adds at each element.
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[LEAD:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[TRAIL:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @layer_norm
// CHECK: iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: linalg.generic {indexing_maps = [#[[ROW]], #[[ROW]]]
// CHECK: arith.divf
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: -> tensor<2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[LEAD]], #[[ID3]]]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.subf
// CHECK: iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: linalg.generic {indexing_maps = [#[[ROW]], #[[ROW]]]
// CHECK: arith.divf
// CHECK: arith.addf
// CHECK-NEXT: math.rsqrt
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: -> tensor<2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[LEAD]], #[[TRAIL]], #[[TRAIL]], #[[ID3]]]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.addf
// CHECK-NEXT: linalg.yield
func.func @layer_norm(%x: tensor<2x3x4xf32>, %g: tensor<3x4xf32>, %b: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = wl.layer_norm %x, %g, %b : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// RMS norm has no centring pass: one sum of squares, its rows' rsqrt,
// then the scale.
// CHECK-LABEL: func.func @rms_norm
// CHECK-NOT: arith.subf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: math.rsqrt
// CHECK: -> tensor<2xf32>
// CHECK: ^bb0
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: linalg.yield
// CHECK: -> tensor<2x8xf32>
func.func @rms_norm(%x: tensor<2x8xf32>, %w: tensor<8xf32>) -> tensor<2x8xf32> {
  %0 = wl.rms_norm %x, %w : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @pools
// CHECK: tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: linalg.pooling_nhwc_sum
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK: arith.divf
func.func @pools(%x: tensor<1x8x8x3xf32>) -> (tensor<1x4x4x3xf32>, tensor<1x7x7x3xf32>) {
  %0 = wl.pool2d max %x {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  %1 = wl.pool2d avg %x {window = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x7x7x3xf32>
  return %0, %1 : tensor<1x4x4x3xf32>, tensor<1x7x7x3xf32>
}
