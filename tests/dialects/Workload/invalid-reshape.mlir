// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{cannot reshape 6 elements [2, 3] into 8 elements [2, 4]}}
  %0 = wl.reshape %x : tensor<2x3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = wl.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return
}
