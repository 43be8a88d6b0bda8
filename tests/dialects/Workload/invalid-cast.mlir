// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @shape_change(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = wl.cast %a : tensor<4x8xf32> -> tensor<8x4xbf16>
  return
}

// -----

func.func @unsupported_target(%a: tensor<4xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 64-bit float or 32-bit float or 16-bit float or bfloat16 type or f8E4M3FN type or 8-bit signless integer or 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %0 = wl.cast %a : tensor<4xf32> -> tensor<4xi64>
  return
}

// -----

// Only wl.cast takes i64: other ops keep the Workload types.
func.func @i64_add(%a: tensor<4xi64>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 64-bit float or 32-bit float or 16-bit float or bfloat16 type or f8E4M3FN type or 8-bit signless integer or 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %0 = wl.add %a, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return
}
