// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @rank(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{expects rank-3 operands and result, got ranks 2, 2 and 2}}
  %0 = wl.batch_matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @batch(%a: tensor<2x4x8xf32>, %b: tensor<3x8x16xf32>) {
  // expected-error @+1 {{batch sizes differ: 2 vs 3}}
  %0 = wl.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<3x8x16xf32>) -> tensor<2x4x16xf32>
  return
}

// -----

func.func @contraction(%a: tensor<2x4x8xf32>, %b: tensor<2x9x16xf32>) {
  // expected-error @+1 {{contraction dimensions differ: lhs has K = 8, rhs has K = 9}}
  %0 = wl.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x9x16xf32>) -> tensor<2x4x16xf32>
  return
}

// -----

func.func @result(%a: tensor<2x4x8xf32>, %b: tensor<2x8x16xf32>) {
  // expected-error @+1 {{result shape [2, 4, 15] does not match the expected [2, 4, 16]}}
  %0 = wl.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x4x15xf32>
  return
}
