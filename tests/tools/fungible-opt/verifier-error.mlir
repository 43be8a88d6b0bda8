// RUN: not fungible-opt %s 2>&1 | FileCheck %s

// A well-formed but ill-typed file: the verifier names the op, its
// location and what is wrong; the exit code is non-zero.
// CHECK: verifier-error.mlir:9:8: error: 'wl.matmul' op contraction dimensions differ: lhs has K = 8, rhs has K = 9
// CHECK-NOT: Stack dump

func.func @f(%a: tensor<4x8xf32>, %b: tensor<9x2xf32>) -> tensor<4x2xf32> {
  %0 = wl.matmul %a, %b : (tensor<4x8xf32>, tensor<9x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
