// RUN: fungible-opt %s --wl-wrap-leftovers | FileCheck %s
// RUN: fungible-opt %s --wl-import-and-outline | FileCheck %s --check-prefix=PIPE
// RUN: fungible-opt %s --wl-import-and-outline=fuse=false | FileCheck %s --check-prefix=NOFUSE

// Tensor ops left at a function's top level (here ones wl-import cannot
// raise either: an erf, an integer shift) become opaque kernels; constants,
// tensor.empty and wl ops stay as they are.
// CHECK-LABEL: func.func @f
// CHECK: arith.constant dense<1.000000e+00>
// CHECK: tensor.empty()
// CHECK: %[[ERF:.*]] = wl.opaque "math.erf"(%arg0)
// CHECK: math.erf
// CHECK: wl.add %[[ERF]]
// CHECK: wl.relu
// CHECK: wl.opaque "arith.shli"(%arg1)

// The pipeline every tool uses: the relu fuses into the add's kernel;
// without fusion every op is a kernel of its own. Names count across the
// module.
// PIPE: wl.kernel "opaque_0"(%arg0)
// PIPE: wl.kernel "add_1"
// PIPE-NOT: wl.kernel "relu
// PIPE: wl.kernel "opaque_2"(%arg1)
// NOFUSE: wl.kernel "opaque_0"
// NOFUSE: wl.kernel "add_1"
// NOFUSE: wl.kernel "relu_2"
// NOFUSE: wl.kernel "opaque_3"
func.func @f(%a: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %c = arith.constant dense<1.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4xf32>
  %0 = math.erf %a : tensor<4xf32>
  %1 = wl.add %0, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = wl.relu %1 : tensor<4xf32>
  %3 = arith.shli %i, %i : tensor<4xi32>
  return %2, %3 : tensor<4xf32>, tensor<4xi32>
}
