// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of wl.reduce (sum, max, min, mean; kept and dropped dims)
// and wl.softmax, including a numerically hard softmax.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %sum = wl.reduce sum %x dims = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %u0 = tensor.cast %sum : tensor<2xf32> to tensor<*xf32>
  // CHECK: [6, 15]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  %all = wl.reduce sum %x dims = [0, 1] {keep_dims} : tensor<2x3xf32> -> tensor<1x1xf32>
  %u1 = tensor.cast %all : tensor<1x1xf32> to tensor<*xf32>
  // CHECK: sizes = [1, 1]
  // CHECK-NEXT: {{\[\[}}21]]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  %max = wl.reduce max %x dims = [0] : tensor<2x3xf32> -> tensor<3xf32>
  %u2 = tensor.cast %max : tensor<3xf32> to tensor<*xf32>
  // CHECK: [4, 5, 6]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  %neg = arith.constant dense<[[-1.0, -7.0], [-3.0, -2.0]]> : tensor<2x2xf32>
  %min = wl.reduce min %neg dims = [1] : tensor<2x2xf32> -> tensor<2xf32>
  %u3 = tensor.cast %min : tensor<2xf32> to tensor<*xf32>
  // CHECK: [-7, -3]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  // The max of all-negative values is not 0: the init is -inf.
  %negmax = wl.reduce max %neg dims = [1] : tensor<2x2xf32> -> tensor<2xf32>
  %u4 = tensor.cast %negmax : tensor<2xf32> to tensor<*xf32>
  // CHECK: [-1, -2]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()

  %mean = wl.reduce mean %x dims = [1] {keep_dims} : tensor<2x3xf32> -> tensor<2x1xf32>
  %u5 = tensor.cast %mean : tensor<2x1xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 1]
  // CHECK-NEXT: [2]
  // CHECK-NEXT: [5]
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()

  %i = arith.constant dense<[[5, -9], [3, 7]]> : tensor<2x2xi32>
  %isum = wl.reduce sum %i dims = [0] : tensor<2x2xi32> -> tensor<2xi32>
  %u6 = tensor.cast %isum : tensor<2xi32> to tensor<*xi32>
  // CHECK: [8, -2]
  call @printMemrefI32(%u6) : (tensor<*xi32>) -> ()
  %imin = wl.reduce min %i dims = [1] : tensor<2x2xi32> -> tensor<2xi32>
  %u7 = tensor.cast %imin : tensor<2xi32> to tensor<*xi32>
  // CHECK: [-9, 3]
  call @printMemrefI32(%u7) : (tensor<*xi32>) -> ()

  // softmax([0, ln 3]) = [1/4, 3/4]. Rows of 1000s must not overflow
  // (exp(1000) is inf in f32; the row max is subtracted first).
  %s = arith.constant dense<[[0.0, 1.0986122886681098], [1.0986122886681098, 0.0], [1000.0, 1000.0], [1000.0, 0.0]]> : tensor<4x2xf32>
  %p = wl.softmax %s axis = 1 : tensor<4x2xf32>
  %u8 = tensor.cast %p : tensor<4x2xf32> to tensor<*xf32>
  // CHECK: sizes = [4, 2]
  // CHECK-NEXT: [0.25, 0.75]
  // CHECK-NEXT: [0.75, 0.25]
  // CHECK-NEXT: [0.5, 0.5]
  // CHECK-NEXT: [1, 0]
  call @printMemrefF32(%u8) : (tensor<*xf32>) -> ()

  %col = arith.constant dense<[[0.0], [1.0986122886681098]]> : tensor<2x1xf32>
  %pc = wl.softmax %col axis = 0 : tensor<2x1xf32>
  %u9 = tensor.cast %pc : tensor<2x1xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 1]
  // CHECK-NEXT: [0.25]
  // CHECK-NEXT: [0.75]
  call @printMemrefF32(%u9) : (tensor<*xf32>) -> ()
  return
}
