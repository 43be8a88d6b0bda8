// Kernel names are unique in a module, so a file with several functions
// compiles: one variant per kernel and chip, none clashing.
// RUN: fungible-opt %s --wl-outline-kernels --wl-compile=targets=cpu-host | FileCheck %s
// CHECK-LABEL: func.func @f
// CHECK: wl.kernel "matmul_0"
// CHECK-LABEL: func.func @g
// CHECK: wl.kernel "matmul_1"
// CHECK-DAG: module @"matmul_0.cpu-host" attributes {wl.kernel = "matmul_0", wl.kernel_fingerprint = "0x{{[0-9a-f]+}}", wl.target = "cpu-host"}
// CHECK-DAG: module @"matmul_1.cpu-host" attributes {wl.kernel = "matmul_1", wl.kernel_fingerprint = "0x{{[0-9a-f]+}}", wl.target = "cpu-host"}
func.func @f(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = wl.matmul %a, %b : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
func.func @g(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = wl.matmul %a, %b : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
