// RUN: not fungible-opt %s -convert-wl-to-linalg 2>&1 | FileCheck %s

// Dynamic shapes are rejected by the verifier before any pass runs, with
// a message that says so.
// CHECK: dynamic-shape.mlir:9:8: error: 'wl.softmax' op dynamic shapes are not supported yet: operand #0 has type 'tensor<?x16xf32>'
// CHECK-NOT: Stack dump

func.func @f(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %0 = wl.softmax %x axis = 1 : tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}
