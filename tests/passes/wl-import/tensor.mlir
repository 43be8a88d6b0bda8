// RUN: fungible-opt %s -wl-import | FileCheck %s

// Static tensor data movement raises to wl data-layout ops.
// CHECK-LABEL: func.func @moves
// (expand(collapse(x)) folds into one reshape of x.)
// CHECK: wl.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK: wl.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x2x2xf32>
// CHECK: %[[S:.*]] = wl.slice %{{.*}} offsets = [1, 0] {strides = array<i64: 2, 1>} : tensor<6x4xf32> -> tensor<2x4xf32>
// CHECK: wl.pad %{{.*}} low = [0, 1] high = [2, 0] {value = -1.000000e+00 : f64} : tensor<6x4xf32> -> tensor<8x5xf32>
// CHECK: wl.concat %{{.*}}, %{{.*}} dim = 0 : (tensor<6x4xf32>, tensor<6x4xf32>) -> tensor<12x4xf32>
// CHECK: %[[R:.*]] = wl.slice %{{.*}} offsets = [0, 1] {strides = array<i64: 1, 1>} : tensor<6x4xf32> -> tensor<1x2xf32>
// CHECK: wl.reshape %[[R]] : tensor<1x2xf32> -> tensor<2xf32>
// CHECK-NOT: tensor.
func.func @moves(%x: tensor<2x3x4xf32>) -> (tensor<6x2x2xf32>, tensor<2x4xf32>, tensor<8x5xf32>, tensor<12x4xf32>, tensor<2xf32>) {
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
  %e = tensor.expand_shape %c [[0], [1, 2]] output_shape [6, 2, 2] : tensor<6x4xf32> into tensor<6x2x2xf32>
  %s = tensor.extract_slice %c[1, 0] [2, 4] [2, 1] : tensor<6x4xf32> to tensor<2x4xf32>
  %m1 = arith.constant -1.0 : f32
  %p = tensor.pad %c low[0, 1] high[2, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %m1 : f32
  } : tensor<6x4xf32> to tensor<8x5xf32>
  %cat = tensor.concat dim(0) %c, %c : (tensor<6x4xf32>, tensor<6x4xf32>) -> tensor<12x4xf32>
  %r = tensor.extract_slice %c[0, 1] [1, 2] [1, 1] : tensor<6x4xf32> to tensor<2xf32>
  return %e, %s, %p, %cat, %r : tensor<6x2x2xf32>, tensor<2x4xf32>, tensor<8x5xf32>, tensor<12x4xf32>, tensor<2xf32>
}

// torch.cat as torch-mlir writes it: inserts filling an empty tensor along
// one dim become one wl.concat (inputs ordered by offset).
// CHECK-LABEL: func.func @cat
// CHECK-SAME: (%[[A:.*]]: tensor<1x2x3xf32>, %[[B:.*]]: tensor<1x4x3xf32>)
// CHECK-NEXT: %[[C:.*]] = wl.concat %[[A]], %[[B]] dim = 1 : (tensor<1x2x3xf32>, tensor<1x4x3xf32>) -> tensor<1x6x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @cat(%a: tensor<1x2x3xf32>, %b: tensor<1x4x3xf32>) -> tensor<1x6x3xf32> {
  %e = tensor.empty() : tensor<1x6x3xf32>
  %0 = tensor.insert_slice %b into %e[0, 2, 0] [1, 4, 3] [1, 1, 1] : tensor<1x4x3xf32> into tensor<1x6x3xf32>
  %1 = tensor.insert_slice %a into %0[0, 0, 0] [1, 2, 3] [1, 1, 1] : tensor<1x2x3xf32> into tensor<1x6x3xf32>
  return %1 : tensor<1x6x3xf32>
}

// Inserts that leave a gap are not a concat: they stay.
// CHECK-LABEL: func.func @gap
// CHECK-NOT: wl.concat
// CHECK: tensor.insert_slice
func.func @gap(%a: tensor<1x2x3xf32>) -> tensor<1x6x3xf32> {
  %e = tensor.empty() : tensor<1x6x3xf32>
  %0 = tensor.insert_slice %a into %e[0, 0, 0] [1, 2, 3] [1, 1, 1] : tensor<1x2x3xf32> into tensor<1x6x3xf32>
  %1 = tensor.insert_slice %a into %0[0, 4, 0] [1, 2, 3] [1, 1, 1] : tensor<1x2x3xf32> into tensor<1x6x3xf32>
  return %1 : tensor<1x6x3xf32>
}
