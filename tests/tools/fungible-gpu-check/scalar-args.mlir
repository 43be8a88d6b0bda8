// A kernel that takes a scalar (a row put into a cache at a position) is
// not planned for timing: a plan has no scalar inputs, and the host's
// arithmetic on the position (the row's offset) is not a plan's. The
// others are planned as ever.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-opt %s --wl-import-and-outline --wl-compile=targets=h100 --mlir-print-op-generic -o %t/fat.mlir
// RUN: %python %fungible_src_root/scripts/gpu-check/plan.py --variants %t/fat.mlir %t/plans | FileCheck %s
// RUN: ls %t/plans | FileCheck %s --check-prefix=DIRS

// CHECK: plan.py: @opaque_0 takes a scalar argument (index): no plan
// CHECK: plan.py: 2 PTX modules, 1 plans in
// DIRS:      ptx
// DIRS-NEXT: relu_1

func.func @step(%cache: tensor<16x64xf32>, %row: tensor<1x64xf32>, %pos: index)
    -> (tensor<16x64xf32>, tensor<1x64xf32>) {
  %new = tensor.insert_slice %row into %cache[%pos, 0] [1, 64] [1, 1]
      : tensor<1x64xf32> into tensor<16x64xf32>
  %r = wl.relu %row : tensor<1x64xf32>
  return %new, %r : tensor<16x64xf32>, tensor<1x64xf32>
}
