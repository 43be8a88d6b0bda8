// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of wl.matmul (plain and transposed), wl.batch_matmul and
// an i8 -> i32 matmul against hand-computed products.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  %a = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  // [[1+3, 2+3], [4+6, 5+6]]
  %c = wl.matmul %a, %b : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %u0 = tensor.cast %c : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [4, 5]
  // CHECK-NEXT: [10, 11]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  // a^T (3x2) x a (2x3): entry (i, j) = sum_k a[k][i] * a[k][j].
  %d = wl.matmul %a, %a {transpose_lhs} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  %u1 = tensor.cast %d : tensor<3x3xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 3]
  // CHECK-NEXT: [17, 22, 27]
  // CHECK-NEXT: [22, 29, 36]
  // CHECK-NEXT: [27, 36, 45]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  // a (2x3) x a^T (3x2): row dot products.
  %e = wl.matmul %a, %a {transpose_rhs} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2xf32>
  %u2 = tensor.cast %e : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [14, 32]
  // CHECK-NEXT: [32, 77]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  // Two batches: identity then 2 * identity on the right.
  %ba = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]]]> : tensor<2x2x2xf32>
  %bb = arith.constant dense<[[[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [0.0, 2.0]]]> : tensor<2x2x2xf32>
  %bc = wl.batch_matmul %ba, %bb : (tensor<2x2x2xf32>, tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %u3 = tensor.cast %bc : tensor<2x2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2, 2]
  // CHECK-NEXT: {{\[\[\[}}1, 2]
  // CHECK-NEXT: [3, 4]]
  // CHECK-NEXT: {{\[\[}}2, 4]
  // CHECK-NEXT: [6, 8]]]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  // i8 operands accumulate in i32: 100 * 100 + 100 * 100 overflows i8, not i32.
  %ia = arith.constant dense<[[100, 100]]> : tensor<1x2xi8>
  %ib = arith.constant dense<[[100], [100]]> : tensor<2x1xi8>
  %ic = wl.matmul %ia, %ib : (tensor<1x2xi8>, tensor<2x1xi8>) -> tensor<1x1xi32>
  %u4 = tensor.cast %ic : tensor<1x1xi32> to tensor<*xi32>
  // CHECK: sizes = [1, 1]
  // CHECK-NEXT: [20000]
  call @printMemrefI32(%u4) : (tensor<*xi32>) -> ()
  return
}
