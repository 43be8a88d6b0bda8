// RUN: fungible-opt %s -wl-import -split-input-file | FileCheck %s

// torch-mlir's NCHW convolution with its tensor.pad in front: the zero pad
// is absorbed into wl.conv2d's padding and the layout is converted around
// an NHWC convolution. With stride 2 the last padded row and column are
// never read ((4 - 1) * 2 + 3 = 9 = 1 + 8), so the high padding is 0.
// CHECK-LABEL: func.func @conv_nchw
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK-DAG: %[[XT:.*]] = wl.transpose %[[X]] perm = [0, 2, 3, 1] : tensor<1x3x8x8xf32> -> tensor<1x8x8x3xf32>
// CHECK-DAG: %[[WT:.*]] = wl.transpose %[[W]] perm = [2, 3, 1, 0] : tensor<4x3x3x3xf32> -> tensor<3x3x3x4xf32>
// CHECK: %[[C:.*]] = wl.conv2d %[[XT]], %[[WT]] {padding = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x4x4x4xf32>
// CHECK: wl.transpose %[[C]] perm = [0, 3, 1, 2] : tensor<1x4x4x4xf32> -> tensor<1x4x4x4xf32>
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.
func.func @conv_nchw(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%p, %w : tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%f : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %c : tensor<1x4x4x4xf32>
}

// -----

// Depthwise: CHW filter -> HW x 1 x C with groups = C (the unit dim
// reshape taken before the transpose, which moves the same data).
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[FR:.*]] = wl.reshape %{{.*}} : tensor<6x3x3xf32> -> tensor<6x3x3x1xf32>
// CHECK: %[[F4:.*]] = wl.transpose %[[FR]] perm = [1, 2, 3, 0] : tensor<6x3x3x1xf32> -> tensor<3x3x1x6xf32>
// CHECK: wl.conv2d %{{.*}}, %[[F4]] {groups = 6 : i64} : (tensor<1x5x5x6xf32>, tensor<3x3x1x6xf32>) -> tensor<1x3x3x6xf32>
func.func @depthwise(%x: tensor<1x6x5x5xf32>, %w: tensor<6x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x6x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<1x6x5x5xf32>, tensor<6x3x3xf32>) outs(%f : tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %c : tensor<1x6x3x3xf32>
}

// -----

// Max pooling with a -3.4e38 pad (torch-mlir's) and init: both absorbed.
// With PyTorch's ceil_mode the input is padded further than the output
// reads; the unread high padding is dropped (15 + 0 - 3) / 2 + 1 = 7.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: wl.pool2d max %{{.*}} {strides = array<i64: 2, 2>, window = array<i64: 3, 3>} : tensor<1x15x15x2xf32> -> tensor<1x7x7x2xf32>
// CHECK-NOT: wl.max
func.func @max_pool_ceil(%x: tensor<1x2x15x15xf32>) -> tensor<1x2x7x7xf32> {
  %low = arith.constant -3.40282347E+38 : f32
  %p = tensor.pad %x low[0, 0, 0, 0] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %low : f32
  } : tensor<1x2x15x15xf32> to tensor<1x2x16x16xf32>
  %e = tensor.empty() : tensor<1x2x7x7xf32>
  %f = linalg.fill ins(%low : f32) outs(%e : tensor<1x2x7x7xf32>) -> tensor<1x2x7x7xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%p, %w : tensor<1x2x16x16xf32>, tensor<3x3xf32>) outs(%f : tensor<1x2x7x7xf32>) -> tensor<1x2x7x7xf32>
  return %r : tensor<1x2x7x7xf32>
}

// -----

// Sum pooling (what torch-mlir emits for avg_pool2d before its divide).
// CHECK-LABEL: func.func @sum_pool
// CHECK: wl.pool2d sum %{{.*}} {window = array<i64: 2, 2>} : tensor<1x4x4x3xf32> -> tensor<1x3x3x3xf32>
func.func @sum_pool(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %w = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<1x3x4x4xf32>, tensor<2x2xf32>) outs(%f : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  return %r : tensor<1x3x3x3xf32>
}
