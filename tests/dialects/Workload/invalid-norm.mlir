// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @scale_not_trailing(%x: tensor<4x8xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{parameter shape [4] is not a non-empty trailing part of the input shape [4, 8]}}
  %0 = wl.layer_norm %x, %g, %b : (tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @bias_shape(%x: tensor<4x8xf32>, %g: tensor<8xf32>, %b: tensor<4x8xf32>) {
  // expected-error @+1 {{scale and bias shapes differ}}
  %0 = wl.layer_norm %x, %g, %b : (tensor<4x8xf32>, tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @param_type(%x: tensor<4x8xf32>, %g: tensor<8xbf16>, %b: tensor<8xbf16>) {
  // expected-error @+1 {{parameter element type 'bf16' differs from the input's 'f32'}}
  %0 = wl.layer_norm %x, %g, %b : (tensor<4x8xf32>, tensor<8xbf16>, tensor<8xbf16>) -> tensor<4x8xf32>
  return
}

// -----

func.func @negative_epsilon(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{epsilon must be finite and >= 0, got -1.000000e+00}}
  %0 = wl.rms_norm %x, %g {epsilon = -1.0 : f64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @result_type(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{result type 'tensor<8x4xf32>' differs from the input type 'tensor<4x8xf32>'}}
  %0 = wl.rms_norm %x, %g : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<8x4xf32>
  return
}

// -----

func.func @scale_too_big(%x: tensor<8xf32>, %g: tensor<2x8xf32>) {
  // expected-error @+1 {{parameter shape [2, 8] is not a non-empty trailing part of the input shape [8]}}
  %0 = wl.rms_norm %x, %g : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<8xf32>
  return
}
