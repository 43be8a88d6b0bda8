// RUN: fungible-opt --help | FileCheck %s

// fungible-opt lists Fungible's passes next to upstream ones.
// CHECK: Fungible optimizer driver
// CHECK-DAG: --convert-wl-to-linalg
// CHECK-DAG: Lower every wl op to linalg, tensor, arith and math on tensors
// CHECK-DAG: --wl-print-work
// CHECK-DAG: --one-shot-bufferize
// CHECK-DAG: --convert-linalg-to-loops
