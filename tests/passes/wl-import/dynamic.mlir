// RUN: fungible-opt %s -wl-import -split-input-file -verify-diagnostics

// Dynamic shapes get a diagnostic on the op that has them, not a crash.
func.func @dynamic(%a: tensor<?x8xf32>, %b: tensor<8x16xf32>, %c: tensor<?x16xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{dynamic shapes are not supported yet: 'linalg.matmul' has type 'tensor<?x8xf32>'}}
  %r = linalg.matmul ins(%a, %b : tensor<?x8xf32>, tensor<8x16xf32>) outs(%c : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}

// -----

func.func @unranked(%a: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{dynamic shapes are not supported yet: 'tosa.exp' has type 'tensor<*xf32>'}}
  %r = tosa.exp %a : (tensor<*xf32>) -> tensor<*xf32>
  return %r : tensor<*xf32>
}
