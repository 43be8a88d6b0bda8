// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @dim(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{dim 2 is out of range for rank 2}}
  %0 = wl.concat %a, %a dim = 2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @other_dims(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+1 {{input #1 has size 3 in dimension 0, expected 2}}
  %0 = wl.concat %a, %b dim = 1 : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @sum(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{result has size 8 in dimension 1, the inputs add up to 7}}
  %0 = wl.concat %a, %b dim = 1 : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rank(%a: tensor<2x3xf32>, %b: tensor<6xf32>) {
  // expected-error @+1 {{input #1 has rank 1, expected 2}}
  %0 = wl.concat %a, %b dim = 1 : (tensor<2x3xf32>, tensor<6xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @no_inputs() {
  // expected-error @+1 {{expected 1 or more operands, but found 0}}
  %0 = "wl.concat"() {dim = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @size_overflow(%a: tensor<4611686018427387904xi8>, %b: tensor<4611686018427387904xi8>) {
  // expected-error @+1 {{the inputs' sizes in dimension 0 add up to more than fit in 64 bits}}
  %0 = wl.concat %a, %b dim = 0 : (tensor<4611686018427387904xi8>, tensor<4611686018427387904xi8>) -> tensor<8xi8>
  return
}
