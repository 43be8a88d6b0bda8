// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of the data-layout ops and wl.transfer on [[1, 2, 3],
// [4, 5, 6]].

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>

  %t = wl.transpose %x perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %u0 = tensor.cast %t : tensor<3x2xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 2]
  // CHECK-NEXT: [1, 4]
  // CHECK-NEXT: [2, 5]
  // CHECK-NEXT: [3, 6]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  // 2x3 -> 3x2 has no reassociation: goes through a 1-D tensor, row-major.
  %r = wl.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  %u1 = tensor.cast %r : tensor<3x2xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 2]
  // CHECK-NEXT: [1, 2]
  // CHECK-NEXT: [3, 4]
  // CHECK-NEXT: [5, 6]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  %r6 = wl.reshape %x : tensor<2x3xf32> -> tensor<1x6x1xf32>
  %u2 = tensor.cast %r6 : tensor<1x6x1xf32> to tensor<*xf32>
  // CHECK: sizes = [1, 6, 1]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  %s = arith.constant dense<7.0> : tensor<f32>
  %s11 = wl.reshape %s : tensor<f32> -> tensor<1x1xf32>
  %u3 = tensor.cast %s11 : tensor<1x1xf32> to tensor<*xf32>
  // CHECK: sizes = [1, 1]
  // CHECK-NEXT: {{\[\[}}7]]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  %v = arith.constant dense<[[10.0], [20.0]]> : tensor<2x1xf32>
  %b = wl.broadcast %v : tensor<2x1xf32> -> tensor<3x2x2xf32>
  %u4 = tensor.cast %b : tensor<3x2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 2, 2]
  // CHECK-NEXT: {{\[\[\[}}10, 10]
  // CHECK-NEXT: [20, 20]]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()

  %y = arith.constant dense<[[7.0], [8.0]]> : tensor<2x1xf32>
  %c = wl.concat %x, %y, %x dim = 1 : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x7xf32>
  %u5 = tensor.cast %c : tensor<2x7xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 7]
  // CHECK-NEXT: [1, 2, 3, 7, 1, 2, 3]
  // CHECK-NEXT: [4, 5, 6, 8, 4, 5, 6]
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()

  %c0 = wl.concat %x, %x dim = 0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %u6 = tensor.cast %c0 : tensor<4x3xf32> to tensor<*xf32>
  // CHECK: sizes = [4, 3]
  // CHECK-NEXT: [1, 2, 3]
  // CHECK-NEXT: [4, 5, 6]
  // CHECK-NEXT: [1, 2, 3]
  // CHECK-NEXT: [4, 5, 6]
  call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()

  %sl = wl.slice %x offsets = [1, 0] {strides = array<i64: 1, 2>} : tensor<2x3xf32> -> tensor<1x2xf32>
  %u7 = tensor.cast %sl : tensor<1x2xf32> to tensor<*xf32>
  // CHECK: sizes = [1, 2]
  // CHECK-NEXT: {{\[\[}}4, 6]]
  call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()

  %p = wl.pad %x low = [0, 1] high = [1, 0] {value = -1.0 : f64} : tensor<2x3xf32> -> tensor<3x4xf32>
  %u8 = tensor.cast %p : tensor<3x4xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 4]
  // CHECK-NEXT: [-1, 1, 2, 3]
  // CHECK-NEXT: [-1, 4, 5, 6]
  // CHECK-NEXT: [-1, -1, -1, -1]
  call @printMemrefF32(%u8) : (tensor<*xf32>) -> ()

  %m = wl.transfer %x from "tpu-v5p:0" to "cpu-host" : tensor<2x3xf32>
  %u9 = tensor.cast %m : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: [1, 2, 3]
  // CHECK-NEXT: [4, 5, 6]
  call @printMemrefF32(%u9) : (tensor<*xf32>) -> ()
  return
}
