// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @window_size(%x: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'window' must have 2 entries, got 3}}
  %0 = wl.pool2d max %x {window = array<i64: 2, 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x7x7x3xf32>
  return
}

// -----

func.func @window_zero(%x: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'window' entries must be >= 1, got 0}}
  %0 = wl.pool2d max %x {window = array<i64: 0, 2>} : tensor<1x8x8x3xf32> -> tensor<1x7x7x3xf32>
  return
}

// -----

func.func @padding_vs_window(%x: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{padding 2 must be smaller than the window (2)}}
  %0 = wl.pool2d max %x {window = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : tensor<1x8x8x3xf32> -> tensor<1x9x7x3xf32>
  return
}

// -----

func.func @avg_of_integers(%x: tensor<1x8x8x3xi8>) {
  // expected-error @+1 {{'avg' needs a floating-point element type, got 'i8'}}
  %0 = wl.pool2d avg %x {window = array<i64: 2, 2>} : tensor<1x8x8x3xi8> -> tensor<1x7x7x3xi8>
  return
}

// -----

func.func @output(%x: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{result shape [1, 4, 4, 3] does not match the expected [1, 7, 7, 3]}}
  %0 = wl.pool2d max %x {window = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @rank(%x: tensor<8x8x3xf32>) {
  // expected-error @+1 {{expects rank-4 NHWC input and result, got ranks 3 and 3}}
  %0 = wl.pool2d max %x {window = array<i64: 2, 2>} : tensor<8x8x3xf32> -> tensor<7x7x3xf32>
  return
}

// -----

func.func @result_type(%x: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{result element type differs from the input's}}
  %0 = wl.pool2d max %x {window = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x7x7x3xf16>
  return
}
