// RUN: fungible-opt %s --wl-outline-kernels | FileCheck %s

// Kernel names are unique in the module: one count across functions, and
// a name already taken (a kernel outlined before, or written by hand) is
// skipped, so `<function>/<name>` and a variant's `<name>.<chip>` never
// clash.
// CHECK-LABEL: func.func @f
// CHECK: wl.kernel "relu_0"
// CHECK: wl.kernel "relu_1"
// CHECK-LABEL: func.func @g
// CHECK: wl.kernel "exp_2"
// CHECK-NOT: wl.kernel "relu_0"
func.func @f(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = wl.kernel "relu_0"(%a) : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    %1 = wl.relu %x : tensor<8xf32>
    wl.yield %1 : tensor<8xf32>
  }
  %2 = wl.relu %0 : tensor<8xf32>
  return %2 : tensor<8xf32>
}
func.func @g(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = wl.exp %a : tensor<8xf32>
  return %0 : tensor<8xf32>
}
