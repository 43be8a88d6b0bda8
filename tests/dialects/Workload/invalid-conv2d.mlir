// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @filter_rank(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4xf32>) {
  // expected-error @+1 {{expects a rank-4 HWCF filter, got rank 3}}
  %0 = wl.conv2d %x, %w : (tensor<1x8x8x4xf32>, tensor<3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @input_rank(%x: tensor<8x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{expects rank-4 NHWC input and result, got ranks 3 and 4}}
  %0 = wl.conv2d %x, %w : (tensor<8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @channels(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x3x2xf32>) {
  // expected-error @+1 {{filter has 3 input channels per group, expected C / groups = 4}}
  %0 = wl.conv2d %x, %w : (tensor<1x8x8x4xf32>, tensor<3x3x3x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @groups_divide(%x: tensor<1x8x8x6xf32>, %w: tensor<3x3x2x4xf32>) {
  // expected-error @+1 {{input channels (6) and filters (4) must both be divisible by groups (3)}}
  %0 = wl.conv2d %x, %w {groups = 3 : i64} : (tensor<1x8x8x6xf32>, tensor<3x3x2x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @groups_positive(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{'groups' must be >= 1, got 0}}
  %0 = wl.conv2d %x, %w {groups = 0 : i64} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @stride(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{'strides' entries must be >= 1, got 0}}
  %0 = wl.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x6x6x2xf32>
  return
}

// -----

func.func @padding_size(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{'padding' must have 4 entries, got 2}}
  %0 = wl.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x8x8x2xf32>
  return
}

// -----

func.func @negative_padding(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{'padding' entries must be >= 0, got -1}}
  %0 = wl.conv2d %x, %w {padding = array<i64: -1, 0, 0, 0>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x5x6x2xf32>
  return
}

// -----

func.func @window_too_big(%x: tensor<1x2x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{window of 3 (dilation 1) does not fit input dimension 2 padded by 0 + 0}}
  %0 = wl.conv2d %x, %w : (tensor<1x2x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x1x6x2xf32>
  return
}

// -----

func.func @output_shape(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // (8 + 1 + 1 - 3) / 2 + 1 = 4
  // expected-error @+1 {{result shape [1, 3, 3, 2] does not match the expected [1, 4, 4, 2]}}
  %0 = wl.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x3x3x2xf32>
  return
}

// -----

func.func @types(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x2xf16>) {
  // expected-error @+1 {{input and filter element types differ: 'f32' vs 'f16'}}
  %0 = wl.conv2d %x, %w : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf16>) -> tensor<1x6x6x2xf32>
  return
}

// -----

// Padding near 2^63 no longer overflows the window arithmetic (#18).
func.func @padding_overflow(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{result shape [1, 6, 6, 2] does not match the expected [1, 9223372036854775807, 6, 2]}}
  %0 = wl.conv2d %x, %w {padding = array<i64: 9223372036854775807, 9223372036854775807, 0, 0>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x6x6x2xf32>
  return
}
