// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @result(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result dimension 1 is 10, expected 11}}
  %0 = wl.pad %x low = [0, 1] high = [0, 2] : tensor<4x8xf32> -> tensor<4x10xf32>
  return
}

// -----

func.func @negative(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'low' entries must be >= 0, got -1}}
  %0 = wl.pad %x low = [0, -1] high = [0, 0] : tensor<4x8xf32> -> tensor<4x7xf32>
  return
}

// -----

func.func @fractional_int(%x: tensor<4xi32>) {
  // expected-error @+1 {{padding value 5.000000e-01 is not an integer, but the tensor holds 'i32'}}
  %0 = wl.pad %x low = [1] high = [1] {value = 0.5 : f64} : tensor<4xi32> -> tensor<6xi32>
  return
}

// -----

func.func @size(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'high' must have 2 entries, got 1}}
  %0 = wl.pad %x low = [0, 0] high = [1] : tensor<4x8xf32> -> tensor<5x8xf32>
  return
}
