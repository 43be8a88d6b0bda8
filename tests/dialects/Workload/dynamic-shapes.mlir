// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @dynamic_operand(%x: tensor<?x8xf32>) {
  // expected-error @+1 {{dynamic shapes are not supported yet: operand #0 has type 'tensor<?x8xf32>'}}
  %0 = wl.relu %x : tensor<?x8xf32>
  return
}

// -----

func.func @dynamic_matmul(%a: tensor<4x?xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{dynamic shapes are not supported yet: operand #0 has type 'tensor<4x?xf32>'}}
  %0 = wl.matmul %a, %b : (tensor<4x?xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @dynamic_result(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{dynamic shapes are not supported yet: result #0 has type 'tensor<?xf32>'}}
  %0 = wl.reduce sum %x dims = [1] : tensor<4x8xf32> -> tensor<?xf32>
  return
}

// -----

func.func @too_large(%x: tensor<4611686018427387904x4xf32>) {
  // expected-error @+1 {{tensor too large: the size in bytes of operand #0 ('tensor<4611686018427387904x4xf32>') does not fit in 64 bits}}
  %0 = wl.relu %x : tensor<4611686018427387904x4xf32>
  return
}

// -----

func.func @complex(%x: tensor<4xcomplex<f32>>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of}}
  %0 = wl.relu %x : tensor<4xcomplex<f32>>
  return
}
