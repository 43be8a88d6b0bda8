// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// bf16 and f16 workloads: bf16 operands with an f32 accumulator, bf16
// elementwise ops (computed in f32, rounded once to bf16), bf16 softmax and
// normalisation, and an f16 attention.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  // 257 is not representable in bf16 (8 mantissa bits) but the f32
  // accumulator holds 256 + 1 exactly.
  %a = arith.constant dense<[[256.0, 1.0]]> : tensor<1x2xbf16>
  %b = arith.constant dense<[[1.0], [1.0]]> : tensor<2x1xbf16>
  %c = wl.matmul %a, %b : (tensor<1x2xbf16>, tensor<2x1xbf16>) -> tensor<1x1xf32>
  %u0 = tensor.cast %c : tensor<1x1xf32> to tensor<*xf32>
  // CHECK: {{\[\[}}257]]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  // The same sum in bf16 rounds 257 to the even neighbour 256.
  %cb = wl.matmul %a, %b : (tensor<1x2xbf16>, tensor<2x1xbf16>) -> tensor<1x1xbf16>
  %cf = wl.cast %cb : tensor<1x1xbf16> -> tensor<1x1xf32>
  %u1 = tensor.cast %cf : tensor<1x1xf32> to tensor<*xf32>
  // CHECK: {{\[\[}}256]]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  %x = arith.constant dense<[0.0, 1.0986122886681098]> : tensor<2xbf16>
  %p = wl.softmax %x axis = 0 : tensor<2xbf16>
  %pf = wl.cast %p : tensor<2xbf16> -> tensor<2xf32>
  %u2 = tensor.cast %pf : tensor<2xf32> to tensor<*xf32>
  // bf16(ln 3) = 1.1015625, so softmax = [0.24945, 0.75055]; in bf16
  // (spacing 2^-10 below 0.25, 2^-8 above 0.5) that rounds to
  // [0.2490234375, 0.75].
  // CHECK: [0.249023, 0.75]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  %y = arith.constant dense<[[1.0, 3.0]]> : tensor<1x2xbf16>
  %g = arith.constant dense<[2.0, 2.0]> : tensor<2xbf16>
  %be = arith.constant dense<[1.0, 0.0]> : tensor<2xbf16>
  %n = wl.layer_norm %y, %g, %be {epsilon = 0.0 : f64} : (tensor<1x2xbf16>, tensor<2xbf16>, tensor<2xbf16>) -> tensor<1x2xbf16>
  %nf = wl.cast %n : tensor<1x2xbf16> -> tensor<1x2xf32>
  %u3 = tensor.cast %nf : tensor<1x2xf32> to tensor<*xf32>
  // CHECK: {{\[\[}}-1, 2]]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  %q = arith.constant dense<0.0> : tensor<2x2xf16>
  %k = arith.constant dense<1.0> : tensor<2x2xf16>
  %v = arith.constant dense<[[2.0, 4.0], [6.0, 8.0]]> : tensor<2x2xf16>
  %o = wl.attention %q, %k, %v {causal} : (tensor<2x2xf16>, tensor<2x2xf16>, tensor<2x2xf16>) -> tensor<2x2xf16>
  %of = wl.cast %o : tensor<2x2xf16> -> tensor<2x2xf32>
  %u4 = tensor.cast %of : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [2, 4]
  // CHECK-NEXT: [4, 6]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  return
}
