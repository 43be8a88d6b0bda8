// RUN: not fungible-opt %s 2>&1 | FileCheck %s

// CHECK: unknown-op.mlir:7:8: error: custom op 'wl.frobnicate' is unknown
// CHECK-NOT: Stack dump

func.func @f(%x: tensor<4xf32>) {
  %0 = wl.frobnicate %x : tensor<4xf32>
  return
}
