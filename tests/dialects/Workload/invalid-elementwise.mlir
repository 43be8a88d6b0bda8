// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand shapes [2, 3] and [4] are not broadcast-compatible}}
  %0 = wl.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @wrong_broadcast_result(%a: tensor<4x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{result shape [4, 1] does not match the broadcast shape [4, 3]}}
  %0 = wl.mul %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = wl.sub %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @unary_type_change(%a: tensor<4xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "wl.relu"(%a) : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @unary_shape_change(%a: tensor<4xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "wl.tanh"(%a) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @exp_of_integers(%a: tensor<4xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 64-bit float or 32-bit float or 16-bit float or bfloat16 type or f8E4M3FN type values, but got 'tensor<4xi32>'}}
  %0 = wl.exp %a : tensor<4xi32>
  return
}

// -----

func.func @gelu_of_integers(%a: tensor<4xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 64-bit float or 32-bit float}}
  %0 = wl.gelu %a : tensor<4xi8>
  return
}

// -----

func.func @max_mixed(%a: tensor<4xi32>, %b: tensor<4xi8>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = wl.max %a, %b : (tensor<4xi32>, tensor<4xi8>) -> tensor<4xi32>
  return
}
