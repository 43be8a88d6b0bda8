// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{expects rank-2 operands and result, got ranks 3, 2 and 2}}
  %0 = wl.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @contraction_mismatch(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) {
  // expected-error @+1 {{contraction dimensions differ: lhs has K = 8, rhs has K = 7}}
  %0 = wl.matmul %a, %b : (tensor<4x8xf32>, tensor<7x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @transposed_contraction_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // transpose_rhs reads %b as N x K = 8 x 16, so K = 16 != 8.
  // expected-error @+1 {{contraction dimensions differ: lhs has K = 8, rhs has K = 16}}
  %0 = wl.matmul %a, %b {transpose_rhs} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @result_shape(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{result shape [16, 4] does not match the expected [4, 16]}}
  %0 = wl.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<16x4xf32>
  return
}

// -----

func.func @mixed_operands(%a: tensor<4x8xf32>, %b: tensor<8x16xbf16>) {
  // expected-error @+1 {{operand element types differ: 'f32' vs 'bf16'}}
  %0 = wl.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xbf16>) -> tensor<4x16xf32>
  return
}

// -----

func.func @bad_accumulator(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{result element type 'bf16' is neither the operand element type 'f32' nor its accumulator type (f32 for floats, i32 for i8)}}
  %0 = wl.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xbf16>
  return
}

// -----

func.func @int_to_float(%a: tensor<4x8xi8>, %b: tensor<8x16xi8>) {
  // expected-error @+1 {{result element type 'f32' is neither the operand element type 'i8'}}
  %0 = wl.matmul %a, %b : (tensor<4x8xi8>, tensor<8x16xi8>) -> tensor<4x16xf32>
  return
}

// -----

// Found by UBSan (#18): 2 x (2^21)^3 FLOPs overflowed int64_t and the
// normal build reported 0 FLOPs.
func.func @flops_overflow(%a: tensor<2097152x2097152xi8>, %b: tensor<2097152x2097152xi8>) {
  // expected-error @+1 {{its FLOP count does not fit in 64 bits}}
  %0 = wl.matmul %a, %b : (tensor<2097152x2097152xi8>, tensor<2097152x2097152xi8>) -> tensor<2097152x2097152xi32>
  return
}

// -----

// 2^20 cubed fits: 2^61 FLOPs.
func.func @flops_fit(%a: tensor<1048576x1048576xi8>, %b: tensor<1048576x1048576xi8>) -> tensor<1048576x1048576xi32> {
  %0 = wl.matmul %a, %b : (tensor<1048576x1048576xi8>, tensor<1048576x1048576xi8>) -> tensor<1048576x1048576xi32>
  return %0 : tensor<1048576x1048576xi32>
}

// -----

// The accumulator is the result's initial value: same type.
func.func @accumulator_type(%a: tensor<4x8xbf16>, %b: tensor<8x16xbf16>, %c: tensor<4x16xbf16>) -> tensor<4x16xf32> {
  // expected-error @+1 {{accumulator type 'tensor<4x16xbf16>' differs from the result type 'tensor<4x16xf32>'}}
  %0 = wl.matmul %a, %b acc %c : (tensor<4x8xbf16>, tensor<8x16xbf16>, tensor<4x16xbf16>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}
