// RUN: not fungible-opt %s 2>&1 | FileCheck %s

// A type the parser cannot read.
// CHECK: bad-type.mlir:7:27: error: expected non-function type
// CHECK-NOT: Stack dump

func.func @f(%x: tensor<4xfloat32>) {
  return
}
