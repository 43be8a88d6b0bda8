// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @incompatible(%x: tensor<3xf32>) {
  // expected-error @+1 {{cannot broadcast [3] to [2, 4]}}
  %0 = wl.broadcast %x : tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @shrinks(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{cannot broadcast [2, 3] to [3]}}
  %0 = wl.broadcast %x : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @result_has_one(%x: tensor<4xf32>) {
  // A result dimension of 1 cannot receive an input dimension of 4.
  // expected-error @+1 {{cannot broadcast [4] to [2, 1]}}
  %0 = wl.broadcast %x : tensor<4xf32> -> tensor<2x1xf32>
  return
}
