// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// A grouped (not depthwise) convolution: 4 input channels in 2 groups of 2,
// 2 filters per group. Filter f of group g reads only channels 2g, 2g+1:
//   group 0: f0 = c0 + c1, f1 = c0 - c1;  group 1: f2 = c2 + c3, f3 = 2*c3.
// One pixel (1, 2, 3, 4) and one pixel (10, 20, 30, 40), 1x1 kernel.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]]]]> : tensor<1x1x2x4xf32>
  // Filter HWCF = 1x1x2x4: [c_in_group][f].
  %w = arith.constant dense<[[[[1.0, 1.0, 1.0, 0.0], [1.0, -1.0, 1.0, 2.0]]]]> : tensor<1x1x2x4xf32>
  %y = wl.conv2d %x, %w {groups = 2 : i64} : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
  %r = wl.reshape %y : tensor<1x1x2x4xf32> -> tensor<2x4xf32>
  %u = tensor.cast %r : tensor<2x4xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 4]
  // CHECK-NEXT: [3, -1, 7, 8]
  // CHECK-NEXT: [30, -10, 70, 80]
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()

  // 3x3 depthwise with padding 1 on a 3x3 image of ones: each output counts
  // the in-bounds neighbours (4 at corners, 6 on edges, 9 in the centre),
  // times the channel's weight (1 and 10).
  %ones = arith.constant dense<1.0> : tensor<1x3x3x2xf32>
  %k = arith.constant dense<[[[[1.0, 10.0]], [[1.0, 10.0]], [[1.0, 10.0]]], [[[1.0, 10.0]], [[1.0, 10.0]], [[1.0, 10.0]]], [[[1.0, 10.0]], [[1.0, 10.0]], [[1.0, 10.0]]]]> : tensor<3x3x1x2xf32>
  %d = wl.conv2d %ones, %k {groups = 2 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x3x2xf32>, tensor<3x3x1x2xf32>) -> tensor<1x3x3x2xf32>
  %t = wl.transpose %d perm = [0, 3, 1, 2] : tensor<1x3x3x2xf32> -> tensor<1x2x3x3xf32>
  %rd = wl.reshape %t : tensor<1x2x3x3xf32> -> tensor<2x3x3xf32>
  %ud = tensor.cast %rd : tensor<2x3x3xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 3, 3]
  // CHECK-NEXT: {{\[\[\[}}4, 6, 4]
  // CHECK-NEXT: [6, 9, 6]
  // CHECK-NEXT: [4, 6, 4]]
  // CHECK-NEXT: {{\[\[}}40, 60, 40]
  // CHECK-NEXT: [60, 90, 60]
  // CHECK-NEXT: [40, 60, 40]]]
  call @printMemrefF32(%ud) : (tensor<*xf32>) -> ()
  return
}
