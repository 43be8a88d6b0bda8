// RUN: not fungible-opt %t.does-not-exist.mlir 2>&1 | FileCheck %s

// CHECK: cannot open input file {{.*}}does-not-exist.mlir
