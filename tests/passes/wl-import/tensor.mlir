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
