// RUN: fungible-opt %s -convert-wl-to-linalg -split-input-file | FileCheck %s

// Data-layout ops become linalg.transpose, reshapes, tensor slices and
// pads; wl.transfer disappears (its semantics is the identity).

// CHECK-LABEL: func.func @transpose
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = wl.transpose %x perm = [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshapes
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, 3, 4] : tensor<6x4xf32> into tensor<2x3x4xf32>
// No reassociation between 2x3 and 3x2: through 1-D.
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// A unit dim moving (the batch dim to the end, before an NHWC -> NCHW
// transpose): through the coarsest shape both refine, 7x7x64, not 1-D, so
// elementwise fusion can move the reshapes through a kernel's ops.
// CHECK: %[[COMMON:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<1x7x7x64xf32> into tensor<7x7x64xf32>
// CHECK: tensor.expand_shape %[[COMMON]] {{\[\[}}0], [1], [2, 3]] output_shape [7, 7, 64, 1] : tensor<7x7x64xf32> into tensor<7x7x64x1xf32>
// Groups that merge on both sides (2x6x5 -> 3x4x5): 12x5.
// CHECK: %[[MERGED:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x6x5xf32> into tensor<12x5xf32>
// CHECK: tensor.expand_shape %[[MERGED]] {{\[\[}}0, 1], [2]] output_shape [3, 4, 5] : tensor<12x5xf32> into tensor<3x4x5xf32>
func.func @reshapes(%x: tensor<2x3x4xf32>, %y: tensor<6x4xf32>, %z: tensor<2x3xf32>, %u: tensor<1x7x7x64xf32>, %v: tensor<2x6x5xf32>) {
  %0 = wl.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = wl.reshape %y : tensor<6x4xf32> -> tensor<2x3x4xf32>
  %2 = wl.reshape %z : tensor<2x3xf32> -> tensor<3x2xf32>
  %3 = wl.reshape %u : tensor<1x7x7x64xf32> -> tensor<7x7x64x1xf32>
  %4 = wl.reshape %v : tensor<2x6x5xf32> -> tensor<3x4x5xf32>
  return
}

// -----

// CHECK-DAG: #[[SRC:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @broadcast
// CHECK: linalg.generic {indexing_maps = [#[[SRC]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]}
func.func @broadcast(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = wl.broadcast %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x9xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: %[[I1:.*]] = tensor.insert_slice %{{.*}} into %[[I0]][0, 3] [2, 6] [1, 1]
// CHECK: return %[[I1]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x6xf32>) -> tensor<2x9xf32> {
  %0 = wl.concat %a, %b dim = 1 : (tensor<2x3xf32>, tensor<2x6xf32>) -> tensor<2x9xf32>
  return %0 : tensor<2x9xf32>
}

// -----

// CHECK-LABEL: func.func @slice_pad
// CHECK: tensor.extract_slice %{{.*}}[1, 0] [2, 3] [1, 2] : tensor<4x8xf32> to tensor<2x3xf32>
// CHECK: %[[V:.*]] = arith.constant 7 : i32
// CHECK: tensor.pad %{{.*}} low[1] high[2]
// CHECK: tensor.yield %[[V]] : i32
func.func @slice_pad(%x: tensor<4x8xf32>, %i: tensor<4xi32>) -> (tensor<2x3xf32>, tensor<7xi32>) {
  %0 = wl.slice %x offsets = [1, 0] {strides = array<i64: 1, 2>} : tensor<4x8xf32> -> tensor<2x3xf32>
  %1 = wl.pad %i low = [1] high = [2] {value = 7.0 : f64} : tensor<4xi32> -> tensor<7xi32>
  return %0, %1 : tensor<2x3xf32>, tensor<7xi32>
}

// -----

// CHECK-LABEL: func.func @transfer
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transfer(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.transfer %x from "trn2:0" to "h100:1" : tensor<4xf32>
  return %0 : tensor<4xf32>
}
