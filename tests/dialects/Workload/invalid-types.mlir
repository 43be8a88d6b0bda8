// RUN: fungible-opt %s -split-input-file -verify-diagnostics

// Element types and tensor kinds outside what wl supports.

func.func @i64(%x: tensor<4xi64>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 64-bit float or 32-bit float or 16-bit float or bfloat16 type or f8E4M3FN type or 8-bit signless integer or 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %0 = wl.relu %x : tensor<4xi64>
  return
}

// -----

func.func @i64(%a: tensor<4x4xi64>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of}}
  %0 = wl.matmul %a, %a : (tensor<4x4xi64>, tensor<4x4xi64>) -> tensor<4x4xi64>
  return
}

// -----

func.func @unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of}}
  %0 = "wl.relu"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @memref(%x: memref<4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of}}
  %0 = "wl.relu"(%x) : (memref<4xf32>) -> memref<4xf32>
  return
}
