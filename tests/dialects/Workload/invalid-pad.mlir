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

// -----

// Found by mutation (#18): a rank-0 result read a dimension it does not have.
func.func @rank0_result(%x: tensor<4xi32>) {
  // expected-error @+1 {{result rank 0 differs from the input rank 1}}
  %0 = wl.pad %x low = [1] high = [1] : tensor<4xi32> -> tensor<i32>
  return
}

// -----

// Found by UBSan (#18): the padded size overflowed a signed add.
func.func @overflow(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{padded dimension 0 (4 + 9223372036854775807 + 0) does not fit in 64 bits}}
  %0 = wl.pad %x low = [9223372036854775807, 0] high = [0, 0] : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

// Found by UBSan (#18): 1e30 converted to i32 when lowered.
func.func @value_out_of_range(%x: tensor<4xi32>) {
  // expected-error @+1 {{padding value 1.000000e+30 does not fit in 'i32'}}
  %0 = wl.pad %x low = [1] high = [1] {value = 1.0e30 : f64} : tensor<4xi32> -> tensor<6xi32>
  return
}

// -----

func.func @i8_edge(%x: tensor<4xi8>) {
  // expected-error @+1 {{padding value 1.280000e+02 does not fit in 'i8'}}
  %0 = wl.pad %x low = [1] high = [1] {value = 128.0 : f64} : tensor<4xi8> -> tensor<6xi8>
  return
}

// -----

// The extremes an i8 holds are fine.
func.func @i8_ok(%x: tensor<4xi8>) {
  %0 = wl.pad %x low = [1] high = [1] {value = -128.0 : f64} : tensor<4xi8> -> tensor<6xi8>
  %1 = wl.pad %x low = [1] high = [1] {value = 127.0 : f64} : tensor<4xi8> -> tensor<6xi8>
  return
}
