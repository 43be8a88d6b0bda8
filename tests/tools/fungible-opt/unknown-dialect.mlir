// RUN: not fungible-opt %s 2>&1 | FileCheck %s

// An op of a dialect nobody registered is an error, not a crash.
// CHECK: unknown-dialect.mlir:8:8: error: Dialect `quantum' not found for custom op 'quantum.entangle'
// CHECK-NOT: Stack dump

func.func @f(%x: tensor<4xf32>) {
  %0 = quantum.entangle %x : tensor<4xf32>
  return
}
