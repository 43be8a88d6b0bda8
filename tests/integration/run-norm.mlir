// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of wl.layer_norm and wl.rms_norm against hand-computed
// values: [1, 3] has mean 2 and variance 1; [1, 2, 3, 4] has mean 2.5 and
// variance 1.25 (1/sqrt(1.25) = 0.894427); rms([3, 4]) = sqrt(12.5).

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 3.0], [10.0, 30.0]]> : tensor<2x2xf32>
  %g = arith.constant dense<[2.0, 2.0]> : tensor<2xf32>
  %b = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %0 = wl.layer_norm %x, %g, %b {epsilon = 0.0 : f64} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %u0 = tensor.cast %0 : tensor<2x2xf32> to tensor<*xf32>
  // Rows normalise to [-1, 1]; then * 2 + [1, 0].
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [-1, 2]
  // CHECK-NEXT: [-1, 2]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  %y = arith.constant dense<[[1.0, 2.0, 3.0, 4.0]]> : tensor<1x4xf32>
  %g4 = arith.constant dense<1.0> : tensor<4xf32>
  %b4 = arith.constant dense<0.0> : tensor<4xf32>
  %1 = wl.layer_norm %y, %g4, %b4 {epsilon = 0.0 : f64} : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %u1 = tensor.cast %1 : tensor<1x4xf32> to tensor<*xf32>
  // CHECK: [-1.34164, -0.447214, 0.447214, 1.34164]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  // epsilon = 0.25: 1/sqrt(1.5) = 0.816497.
  %2 = wl.layer_norm %y, %g4, %b4 {epsilon = 0.25 : f64} : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %u2 = tensor.cast %2 : tensor<1x4xf32> to tensor<*xf32>
  // CHECK: [-1.22474, -0.408248, 0.408248, 1.22474]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  // Normalising over two trailing dims: the same four values as a 2x2 block.
  %z = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>
  %g22 = arith.constant dense<1.0> : tensor<2x2xf32>
  %b22 = arith.constant dense<0.0> : tensor<2x2xf32>
  %3 = wl.layer_norm %z, %g22, %b22 {epsilon = 0.0 : f64} : (tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2xf32>
  %u3 = tensor.cast %3 : tensor<1x2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [1, 2, 2]
  // CHECK-NEXT: [-1.34164, -0.447214]
  // CHECK-NEXT: [0.447214, 1.34164]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  %r = arith.constant dense<[[3.0, 4.0]]> : tensor<1x2xf32>
  %w = arith.constant dense<[1.0, 10.0]> : tensor<2xf32>
  %4 = wl.rms_norm %r, %w {epsilon = 0.0 : f64} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %u4 = tensor.cast %4 : tensor<1x2xf32> to tensor<*xf32>
  // 3 / 3.53553 = 0.848528, 4 / 3.53553 * 10 = 11.3137
  // CHECK: [0.848528, 11.3137]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  return
}
