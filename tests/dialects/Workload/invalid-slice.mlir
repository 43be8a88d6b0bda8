// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @out_of_bounds(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{slice of 4 elements from offset 6 with stride 1 exceeds dimension 1 of size 8}}
  %0 = wl.slice %x offsets = [0, 6] : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @strided_out_of_bounds(%x: tensor<4x8xf32>) {
  // offsets 1 + (4 - 1) * 3 = 10 >= 8
  // expected-error @+1 {{slice of 4 elements from offset 1 with stride 3 exceeds dimension 1 of size 8}}
  %0 = wl.slice %x offsets = [0, 1] {strides = array<i64: 1, 3>} : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @offsets_size(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'offsets' must have 2 entries, got 1}}
  %0 = wl.slice %x offsets = [0] : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @zero_stride(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'strides' entries must be >= 1, got 0}}
  %0 = wl.slice %x offsets = [0, 0] {strides = array<i64: 1, 0>} : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @rank(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result rank 1 differs from the input rank 2}}
  %0 = wl.slice %x offsets = [0, 0] : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

// An offset and stride whose last index overflows 64 bits.
func.func @stride_overflow(%x: tensor<8xf32>) {
  // expected-error @+1 {{exceeds dimension 0 of size 8}}
  %0 = wl.slice %x offsets = [1] {strides = array<i64: 9223372036854775807>} : tensor<8xf32> -> tensor<3xf32>
  return
}
