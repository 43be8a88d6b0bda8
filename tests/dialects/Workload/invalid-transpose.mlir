// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @not_a_permutation(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'permutation' [0, 0] is not a permutation of [0, 2)}}
  %0 = wl.transpose %x perm = [0, 0] : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation has 3 entries for a rank-2 input}}
  %0 = wl.transpose %x perm = [0, 1, 2] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'permutation' [0, 2] is not a permutation of [0, 2)}}
  %0 = wl.transpose %x perm = [0, 2] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape [2, 3] does not match the expected [3, 2]}}
  %0 = wl.transpose %x perm = [1, 0] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = wl.transpose %x perm = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf16>
  return
}
