// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of wl.conv2d: plain, padded + strided, dilated, and
// grouped (depthwise) convolutions against hand-computed sums.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  // 3x3 input 1..9, one channel; 2x2 filter of ones: window sums.
  %x = arith.constant dense<[[[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]], [[7.0], [8.0], [9.0]]]]> : tensor<1x3x3x1xf32>
  %ones = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %0 = wl.conv2d %x, %ones : (tensor<1x3x3x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x1xf32>
  %r0 = wl.reshape %0 : tensor<1x2x2x1xf32> -> tensor<2x2xf32>
  %u0 = tensor.cast %r0 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [12, 16]
  // CHECK-NEXT: [24, 28]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  // Padding 1 all round, stride 2: windows at rows/cols {-1, 1} of the input.
  // (0,0): 1;  (0,1): 2+3;  (1,0): 4+7;  (1,1): 5+6+8+9.
  %1 = wl.conv2d %x, %ones {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x3x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x1xf32>
  %r1 = wl.reshape %1 : tensor<1x2x2x1xf32> -> tensor<2x2xf32>
  %u1 = tensor.cast %r1 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [1, 5]
  // CHECK-NEXT: [11, 28]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  // Dilation 2: the 2x2 filter touches the four corners: 1+3+7+9.
  %2 = wl.conv2d %x, %ones {dilations = array<i64: 2, 2>} : (tensor<1x3x3x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x1x1x1xf32>
  %r2 = wl.reshape %2 : tensor<1x1x1x1xf32> -> tensor<1xf32>
  %u2 = tensor.cast %r2 : tensor<1xf32> to tensor<*xf32>
  // CHECK: sizes = [1]
  // CHECK-NEXT: [20]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  // Two input channels, two output filters mixing them: f0 = c0 + c1,
  // f1 = c0 - c1, 1x1 kernel on a 1x2 image with pixels (1, 10), (2, 20).
  %xc = arith.constant dense<[[[[1.0, 10.0], [2.0, 20.0]]]]> : tensor<1x1x2x2xf32>
  %wc = arith.constant dense<[[[[1.0, 1.0], [1.0, -1.0]]]]> : tensor<1x1x2x2xf32>
  %3 = wl.conv2d %xc, %wc : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %r3 = wl.reshape %3 : tensor<1x1x2x2xf32> -> tensor<2x2xf32>
  %u3 = tensor.cast %r3 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [11, -9]
  // CHECK-NEXT: [22, -18]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  // Depthwise (groups = 2): channel 0 is scaled by 1, channel 1 by 3 and
  // neither mixes with the other.
  %wd = arith.constant dense<[[[[1.0, 3.0]]]]> : tensor<1x1x1x2xf32>
  %4 = wl.conv2d %xc, %wd {groups = 2 : i64} : (tensor<1x1x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x2x2xf32>
  %r4 = wl.reshape %4 : tensor<1x1x2x2xf32> -> tensor<2x2xf32>
  %u4 = tensor.cast %r4 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [1, 30]
  // CHECK-NEXT: [2, 60]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  return
}
