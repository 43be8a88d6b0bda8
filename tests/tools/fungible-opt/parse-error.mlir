// RUN: not fungible-opt %s 2>&1 | FileCheck %s

// A syntax error: the diagnostic names the file, line and column.
// CHECK: parse-error.mlir:9:18: error: expected ':'
// CHECK-NOT: Stack dump
// CHECK-NOT: Assertion

func.func @f(%x: tensor<4xf32>) {
  %0 = wl.relu %x tensor<4xf32> {oops} = 3
  return
}
