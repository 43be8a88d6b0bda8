// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @empty_dims(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'dims' must name at least one dimension}}
  %0 = wl.reduce sum %x dims = [] : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @out_of_range(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{dimension 2 is out of range for a rank-2 input}}
  %0 = wl.reduce sum %x dims = [2] : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @unsorted(%x: tensor<4x8x2xf32>) {
  // expected-error @+1 {{'dims' must be sorted and unique}}
  %0 = wl.reduce max %x dims = [2, 0] : tensor<4x8x2xf32> -> tensor<8xf32>
  return
}

// -----

func.func @duplicate(%x: tensor<4x8x2xf32>) {
  // expected-error @+1 {{'dims' must be sorted and unique}}
  %0 = wl.reduce max %x dims = [1, 1] : tensor<4x8x2xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @result_shape(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result shape [8] does not match the expected [4]}}
  %0 = wl.reduce sum %x dims = [1] : tensor<4x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @keep_dims_shape(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result shape [4] does not match the expected [4, 1]}}
  %0 = wl.reduce sum %x dims = [1] {keep_dims} : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

func.func @integer_mean(%x: tensor<4x8xi32>) {
  // expected-error @+1 {{'mean' needs a floating-point element type, got 'i32'}}
  %0 = wl.reduce mean %x dims = [1] : tensor<4x8xi32> -> tensor<4xi32>
  return
}

// -----

func.func @unknown_kind(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [sum, max, min, mean]}}
  %0 = wl.reduce prod %x dims = [1] : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

func.func @result_type(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result element type differs from the input's}}
  %0 = wl.reduce sum %x dims = [1] : tensor<4x8xf32> -> tensor<4xf16>
  return
}
