// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{axis 2 is out of range for a rank-2 input}}
  %0 = wl.softmax %x axis = 2 : tensor<4x8xf32>
  return
}

// -----

func.func @negative_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{axis -1 is out of range for a rank-2 input}}
  %0 = wl.softmax %x axis = -1 : tensor<4x8xf32>
  return
}

// -----

func.func @integers(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 64-bit float or 32-bit float}}
  %0 = wl.softmax %x axis = 1 : tensor<4x8xi8>
  return
}
