// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of wl.attention. With a zero query every key scores the
// same, so each output row is the mean of the value rows it may see: all
// three without a mask, the first i+1 with a causal mask.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %q = arith.constant dense<0.0> : tensor<1x3x2xf32>
  %k = arith.constant dense<[[[1.0, -2.0], [0.5, 3.0], [2.0, 2.0]]]> : tensor<1x3x2xf32>
  %v = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]]> : tensor<1x3x2xf32>
  %0 = wl.attention %q, %k, %v : (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  %r0 = wl.reshape %0 : tensor<1x3x2xf32> -> tensor<3x2xf32>
  %u0 = tensor.cast %r0 : tensor<3x2xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 2]
  // CHECK-NEXT: [3, 4]
  // CHECK-NEXT: [3, 4]
  // CHECK-NEXT: [3, 4]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  %1 = wl.attention %q, %k, %v {causal} : (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  %r1 = wl.reshape %1 : tensor<1x3x2xf32> -> tensor<3x2xf32>
  %u1 = tensor.cast %r1 : tensor<3x2xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 2]
  // CHECK-NEXT: [1, 2]
  // CHECK-NEXT: [2, 3]
  // CHECK-NEXT: [3, 4]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  // Scores 0 and ln 3 (scale 1) give weights 1/4 and 3/4: 4/4 + 3*8/4 = 7.
  %q2 = arith.constant dense<[[1.0]]> : tensor<1x1xf32>
  %k2 = arith.constant dense<[[0.0], [1.0986122886681098]]> : tensor<2x1xf32>
  %v2 = arith.constant dense<[[4.0], [8.0]]> : tensor<2x1xf32>
  %2 = wl.attention %q2, %k2, %v2 {scale = 1.0 : f64} : (tensor<1x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<1x1xf32>
  %u2 = tensor.cast %2 : tensor<1x1xf32> to tensor<*xf32>
  // CHECK: sizes = [1, 1]
  // CHECK-NEXT: [7]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  // Causal with Sk > Sq (a KV cache): the single query row sees both keys.
  %3 = wl.attention %q2, %k2, %v2 {scale = 1.0 : f64, causal} : (tensor<1x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<1x1xf32>
  %u3 = tensor.cast %3 : tensor<1x1xf32> to tensor<*xf32>
  // CHECK: sizes = [1, 1]
  // CHECK-NEXT: [7]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  // An additive mask per query row, broadcast over two heads: row 0 adds
  // -1e9 to key 1 (only key 0's value 4 is left); row 1 adds ln 3 to key
  // 0 (scores ln 3 and ln 3: the mean of 4 and 8, 6). Head 1's values are
  // ten times head 0's.
  %q5 = arith.constant dense<1.0> : tensor<2x2x1xf32>
  %k5 = arith.constant dense<[[[0.0], [1.0986122886681098]], [[0.0], [1.0986122886681098]]]> : tensor<2x2x1xf32>
  %v5 = arith.constant dense<[[[4.0], [8.0]], [[40.0], [80.0]]]> : tensor<2x2x1xf32>
  %m5 = arith.constant dense<[[0.0, -1.0e9], [1.0986122886681098, 0.0]]> : tensor<2x2xf32>
  %5 = wl.attention %q5, %k5, %v5 mask %m5 {scale = 1.0 : f64} : (tensor<2x2x1xf32>, tensor<2x2x1xf32>, tensor<2x2x1xf32>, tensor<2x2xf32>) -> tensor<2x2x1xf32>
  %r5 = wl.reshape %5 : tensor<2x2x1xf32> -> tensor<2x2xf32>
  %u5 = tensor.cast %r5 : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [4, 6]
  // CHECK-NEXT: [40, 60]
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()

  // Grouped-query attention: two query heads share one key/value head
  // (K and V 1 x 1 x 2 x 1 against Q's 1 x 2). Head 0's query is 1 (scores
  // 0 and ln 3 with scale 1: weights 1/4 and 3/4, 4/4 + 3*8/4 = 7); head
  // 1's is 0 (equal weights: 6).
  %q6 = arith.constant dense<[[[[1.0]], [[0.0]]]]> : tensor<1x2x1x1xf32>
  %k6 = arith.constant dense<[[[[0.0], [1.0986122886681098]]]]> : tensor<1x1x2x1xf32>
  %v6 = arith.constant dense<[[[[4.0], [8.0]]]]> : tensor<1x1x2x1xf32>
  %6 = wl.attention %q6, %k6, %v6 {scale = 1.0 : f64} : (tensor<1x2x1x1xf32>, tensor<1x1x2x1xf32>, tensor<1x1x2x1xf32>) -> tensor<1x2x1x1xf32>
  %r6 = wl.reshape %6 : tensor<1x2x1x1xf32> -> tensor<2x1xf32>
  %u6 = tensor.cast %r6 : tensor<2x1xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 1]
  // CHECK-NEXT: [7]
  // CHECK-NEXT: [6]
  call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()

  // Two heads (batch dimensions 1 x 2, collapsed into the products' one):
  // a zero query again, so each row is the mean of the values it sees;
  // head 1's values are ten times head 0's.
  %q4 = arith.constant dense<0.0> : tensor<1x2x3x2xf32>
  %k4 = arith.constant dense<[[[[1.0, -2.0], [0.5, 3.0], [2.0, 2.0]], [[4.0, 1.0], [-1.0, 0.0], [2.5, 2.0]]]]> : tensor<1x2x3x2xf32>
  %v4 = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[10.0, 20.0], [30.0, 40.0], [50.0, 60.0]]]]> : tensor<1x2x3x2xf32>
  %4 = wl.attention %q4, %k4, %v4 {causal} : (tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32>
  %r4 = wl.reshape %4 : tensor<1x2x3x2xf32> -> tensor<6x2xf32>
  %u4 = tensor.cast %r4 : tensor<6x2xf32> to tensor<*xf32>
  // CHECK: sizes = [6, 2]
  // CHECK-NEXT: [1, 2]
  // CHECK-NEXT: [2, 3]
  // CHECK-NEXT: [3, 4]
  // CHECK-NEXT: [10, 20]
  // CHECK-NEXT: [20, 30]
  // CHECK-NEXT: [30, 40]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  return
}
