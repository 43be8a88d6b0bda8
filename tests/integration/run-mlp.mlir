// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// A whole (tiny) workload: two dense layers with bias and ReLU, then a
// softmax, as a user would write it in wl. Hand-computed:
//   h = relu([1, 2] . [[1, -1, 0], [0, 1, 2]] + [0, 0, -3]) = relu([1, 1, 1])
//   y = h . [[1, 0], [0, 1], [1, 1]] + [0, ln 3] = [2, 2 + ln 3]
//   softmax(y) = [1/4, 3/4]

func.func private @printMemrefF32(tensor<*xf32>)

func.func @mlp(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[1.0, -1.0, 0.0], [0.0, 1.0, 2.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.0, 0.0, -3.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %b2 = arith.constant dense<[0.0, 1.0986122886681098]> : tensor<2xf32>
  %0 = wl.matmul %x, %w1 : (tensor<1x2xf32>, tensor<2x3xf32>) -> tensor<1x3xf32>
  %1 = wl.add %0, %b1 : (tensor<1x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %2 = wl.relu %1 : tensor<1x3xf32>
  %3 = wl.matmul %2, %w2 : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %4 = wl.add %3, %b2 : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %5 = wl.softmax %4 axis = 1 : tensor<1x2xf32>
  return %5 : tensor<1x2xf32>
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %y = call @mlp(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %u = tensor.cast %y : tensor<1x2xf32> to tensor<*xf32>
  // CHECK: {{\[\[}}0.25, 0.75]]
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
