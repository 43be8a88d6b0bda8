// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Rank-0 tensors: a full reduction to a scalar broadcast back against the
// input (x / sum(x)), and a scalar reshaped, padded and concatenated.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 3.0], [4.0, 2.0]]> : tensor<2x2xf32>
  %s = wl.reduce sum %x dims = [0, 1] : tensor<2x2xf32> -> tensor<f32>
  %n = wl.div %x, %s : (tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %u0 = tensor.cast %n : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [0.1, 0.3]
  // CHECK-NEXT: [0.4, 0.2]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  %m = wl.reduce max %x dims = [0, 1] : tensor<2x2xf32> -> tensor<f32>
  %m1 = wl.reshape %m : tensor<f32> -> tensor<1xf32>
  %p = wl.pad %m1 low = [2] high = [1] {value = 0.5 : f64} : tensor<1xf32> -> tensor<4xf32>
  %c = wl.concat %p, %m1 dim = 0 : (tensor<4xf32>, tensor<1xf32>) -> tensor<5xf32>
  %u1 = tensor.cast %c : tensor<5xf32> to tensor<*xf32>
  // CHECK: [0.5, 0.5, 4, 0.5, 4]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  return
}
