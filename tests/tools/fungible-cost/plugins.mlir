// RUN: fungible-cost %s --load-target-plugin=%fungible_lib_dir/FungibleTestTargetPlugin.so --targets=test-chip,h100 | FileCheck %s
// RUN: fungible-cost %s --target-spec=%S/Inputs/my-chip.json --targets=my-chip | FileCheck %s --check-prefix=SPEC
// RUN: %python %S/../../lib/make_harness.py %S/../../../examples/workloads/mlp3.mlir mlp3 > /dev/null
// RUN: fungible-cost %S/../../../examples/workloads/mlp3.mlir --targets=h100 | FileCheck %s --check-prefix=IMPORT

// A plugin's target sits next to the built-in ones (the test plugin says
// a fixed 1 us for everything).
// CHECK: test-chip
// CHECK-NEXT: f/relu_0 elementwise 4 1.000e-06

// A user's own chip from a JSON spec, without recompiling.
// SPEC: my-chip
// SPEC-NEXT: f/relu_0

// Upstream linalg is imported first and outlined: the library MLP's three
// layers, each a matmul (2*32*784*512 FLOPs) with its bias add and relu
// (32*512 each) fused in.
// IMPORT: mlp3/matmul_0 contraction 25722880
// IMPORT-NEXT: mlp3/matmul_1 contraction 8404992
// IMPORT-NEXT: mlp3/matmul_2 contraction 164160

func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.relu %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}
