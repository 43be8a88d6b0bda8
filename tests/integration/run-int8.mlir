// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// An int8 inference path: i8 convolution and matmul accumulating in i32,
// then requantised with integer arithmetic (x * 3 / 64, clamp to i8).

func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  // 2x2 image, 2 channels; 1x1 filter summing the channels: 127 + 127 = 254
  // would overflow i8 but not the i32 accumulator.
  %x = arith.constant dense<[[[[127, 127], [-128, 1]], [[5, -5], [100, 27]]]]> : tensor<1x2x2x2xi8>
  %w = arith.constant dense<[[[[1], [1]]]]> : tensor<1x1x2x1xi8>
  %y = wl.conv2d %x, %w : (tensor<1x2x2x2xi8>, tensor<1x1x2x1xi8>) -> tensor<1x2x2x1xi32>
  %r = wl.reshape %y : tensor<1x2x2x1xi32> -> tensor<2x2xi32>
  %u0 = tensor.cast %r : tensor<2x2xi32> to tensor<*xi32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [254, -127]
  // CHECK-NEXT: [0, 127]
  call @printMemrefI32(%u0) : (tensor<*xi32>) -> ()

  // Requantise: (acc * 3) / 64 (truncating), clamped to [-128, 127].
  %three = arith.constant dense<3> : tensor<i32>
  %d = arith.constant dense<64> : tensor<i32>
  %lo = arith.constant dense<-128> : tensor<i32>
  %hi = arith.constant dense<127> : tensor<i32>
  %acc = arith.constant dense<[[4000, -5000], [100, 2000]]> : tensor<2x2xi32>
  %m = wl.mul %acc, %three : (tensor<2x2xi32>, tensor<i32>) -> tensor<2x2xi32>
  %q = wl.div %m, %d : (tensor<2x2xi32>, tensor<i32>) -> tensor<2x2xi32>
  %c1 = wl.max %q, %lo : (tensor<2x2xi32>, tensor<i32>) -> tensor<2x2xi32>
  %c2 = wl.min %c1, %hi : (tensor<2x2xi32>, tensor<i32>) -> tensor<2x2xi32>
  %u1 = tensor.cast %c2 : tensor<2x2xi32> to tensor<*xi32>
  // 12000/64 = 187 -> 127; -15000/64 = -234 -> -128; 300/64 = 4; 6000/64 = 93
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [127, -128]
  // CHECK-NEXT: [4, 93]
  call @printMemrefI32(%u1) : (tensor<*xi32>) -> ()
  return
}
