// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of wl.pool2d on the 4x4 image 1..16: max and average,
// with and without padding (average counts padding, as PyTorch does), on
// negative values (padding must not win a max) and on i8.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  %x = arith.constant dense<[[[[1.0], [2.0], [3.0], [4.0]], [[5.0], [6.0], [7.0], [8.0]], [[9.0], [10.0], [11.0], [12.0]], [[13.0], [14.0], [15.0], [16.0]]]]> : tensor<1x4x4x1xf32>

  %0 = wl.pool2d max %x {window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x1xf32> -> tensor<1x2x2x1xf32>
  %r0 = wl.reshape %0 : tensor<1x2x2x1xf32> -> tensor<2x2xf32>
  %u0 = tensor.cast %r0 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [6, 8]
  // CHECK-NEXT: [14, 16]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  %1 = wl.pool2d avg %x {window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x1xf32> -> tensor<1x2x2x1xf32>
  %r1 = wl.reshape %1 : tensor<1x2x2x1xf32> -> tensor<2x2xf32>
  %u1 = tensor.cast %r1 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [3.5, 5.5]
  // CHECK-NEXT: [11.5, 13.5]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  // 3x3 windows, stride 2, padding 1: sums 14, 30, 57, 99 over 9 slots.
  %2 = wl.pool2d avg %x {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x1xf32> -> tensor<1x2x2x1xf32>
  %r2 = wl.reshape %2 : tensor<1x2x2x1xf32> -> tensor<2x2xf32>
  %u2 = tensor.cast %r2 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [1.55556, 3.33333]
  // CHECK-NEXT: [6.33333, 11]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  %n = wl.neg %x : tensor<1x4x4x1xf32>
  %3 = wl.pool2d max %n {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x1xf32> -> tensor<1x2x2x1xf32>
  %r3 = wl.reshape %3 : tensor<1x2x2x1xf32> -> tensor<2x2xf32>
  %u3 = tensor.cast %r3 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [-1, -2]
  // CHECK-NEXT: [-5, -6]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  %i = arith.constant dense<[[[[-100], [-7]], [[-3], [-128]]]]> : tensor<1x2x2x1xi8>
  %4 = wl.pool2d max %i {window = array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 0>} : tensor<1x2x2x1xi8> -> tensor<1x2x2x1xi8>
  %w = wl.cast %4 : tensor<1x2x2x1xi8> -> tensor<1x2x2x1xi32>
  %r4 = wl.reshape %w : tensor<1x2x2x1xi32> -> tensor<2x2xi32>
  %u4 = tensor.cast %r4 : tensor<2x2xi32> to tensor<*xi32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [-100, -7]
  // CHECK-NEXT: [-3, -3]
  call @printMemrefI32(%u4) : (tensor<*xi32>) -> ()
  return
}
