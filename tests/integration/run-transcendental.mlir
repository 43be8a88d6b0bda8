// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of exp, tanh, sigmoid, gelu (erf and tanh forms), sqrt and
// rsqrt. Expected values were computed with Python's math module and are
// printed to six significant digits.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[-1.0, 0.0, 0.5, 2.0]> : tensor<4xf32>
  %exp = wl.exp %x : tensor<4xf32>
  %u0 = tensor.cast %exp : tensor<4xf32> to tensor<*xf32>
  // CHECK: [0.367879, 1, 1.64872, 7.38906]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  %tanh = wl.tanh %x : tensor<4xf32>
  %u1 = tensor.cast %tanh : tensor<4xf32> to tensor<*xf32>
  // CHECK: [-0.761594, 0, 0.462117, 0.964028]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  %sig = wl.sigmoid %x : tensor<4xf32>
  %u2 = tensor.cast %sig : tensor<4xf32> to tensor<*xf32>
  // CHECK: [0.268941, 0.5, 0.622459, 0.880797]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  %gelu = wl.gelu %x : tensor<4xf32>
  %u3 = tensor.cast %gelu : tensor<4xf32> to tensor<*xf32>
  // CHECK: [-0.158655, 0, 0.345731, 1.9545]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  %gelut = wl.gelu %x {approximate} : tensor<4xf32>
  %u4 = tensor.cast %gelut : tensor<4xf32> to tensor<*xf32>
  // CHECK: [-0.158808, 0, 0.345714, 1.9546]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()

  %y = arith.constant dense<[0.25, 1.0, 4.0, 16.0]> : tensor<4xf32>
  %sqrt = wl.sqrt %y : tensor<4xf32>
  %u5 = tensor.cast %sqrt : tensor<4xf32> to tensor<*xf32>
  // CHECK: [0.5, 1, 2, 4]
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()

  %rsqrt = wl.rsqrt %y : tensor<4xf32>
  %u6 = tensor.cast %rsqrt : tensor<4xf32> to tensor<*xf32>
  // CHECK: [2, 1, 0.5, 0.25]
  call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()
  return
}
