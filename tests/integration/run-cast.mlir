// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of wl.cast: float narrowing rounds to nearest even, float
// to integer truncates toward zero, integer to float is exact.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  // bf16 keeps 8 mantissa bits: 1 + 2^-9 is a tie and rounds to 1 (even),
  // 1 + 3*2^-9 rounds up to 1 + 2^-7; 3.140625 is exact in bf16.
  %x = arith.constant dense<[1.001953125, 1.005859375, 3.140625, -2.5]> : tensor<4xf32>
  %b = wl.cast %x : tensor<4xf32> -> tensor<4xbf16>
  %back = wl.cast %b : tensor<4xbf16> -> tensor<4xf32>
  %u0 = tensor.cast %back : tensor<4xf32> to tensor<*xf32>
  // CHECK: [1, 1.00781, 3.14062, -2.5]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  %f = arith.constant dense<[3.7, -3.7, 0.2, 100.9]> : tensor<4xf32>
  %i = wl.cast %f : tensor<4xf32> -> tensor<4xi32>
  %u1 = tensor.cast %i : tensor<4xi32> to tensor<*xi32>
  // CHECK: [3, -3, 0, 100]
  call @printMemrefI32(%u1) : (tensor<*xi32>) -> ()

  // i32 -> i8 keeps the low byte (300 = 256 + 44), i8 -> i32 sign-extends.
  %w = arith.constant dense<[300, -1, 127, -128]> : tensor<4xi32>
  %n = wl.cast %w : tensor<4xi32> -> tensor<4xi8>
  %e = wl.cast %n : tensor<4xi8> -> tensor<4xi32>
  %u2 = tensor.cast %e : tensor<4xi32> to tensor<*xi32>
  // CHECK: [44, -1, 127, -128]
  call @printMemrefI32(%u2) : (tensor<*xi32>) -> ()

  %g = wl.cast %n : tensor<4xi8> -> tensor<4xf32>
  %u3 = tensor.cast %g : tensor<4xf32> to tensor<*xf32>
  // CHECK: [44, -1, 127, -128]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  // f16 <-> bf16 goes through f32: 0.1 in f16 is 0.0999755859375,
  // in bf16 0.10009765625.
  %t = arith.constant dense<[0.1]> : tensor<1xf32>
  %h = wl.cast %t : tensor<1xf32> -> tensor<1xf16>
  %hb = wl.cast %h : tensor<1xf16> -> tensor<1xbf16>
  %hbf = wl.cast %hb : tensor<1xbf16> -> tensor<1xf32>
  %u4 = tensor.cast %hbf : tensor<1xf32> to tensor<*xf32>
  // CHECK: [0.100098]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  return
}
