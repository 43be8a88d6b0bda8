// A kernel that takes a scalar is planned for timing with the scalar 0 (a
// position valid in any buffer, as fungible-run gives a scalar it is not
// given): a decode step's attention, causal at the token's position,
// launches with the position as an argument. A kernel whose host side
// computes with the scalar (a row put into a cache at a position: the
// row's offset) is not planned, as a plan holds no host arithmetic. The
// others are planned as ever.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-opt %s --wl-import-and-outline --wl-compile=targets=h100 --mlir-print-op-generic -o %t/fat.mlir
// RUN: %python %fungible_src_root/scripts/gpu-check/plan.py --variants %t/fat.mlir %t/plans | FileCheck %s
// RUN: ls %t/plans | FileCheck %s --check-prefix=DIRS
// RUN: FileCheck %s --check-prefix=POSITION < %t/plans/attention_2/plan.txt

// CHECK: plan.py: @opaque_0 takes a scalar argument (index) the host computes with: no plan
// CHECK: plan.py: 3 PTX modules, 2 plans in
// DIRS:      attention_2
// DIRS-NEXT: ptx
// DIRS-NEXT: relu_1
// The attention is one launch, which takes the position among its
// arguments.
// POSITION: launch attention_2_kernel attention_2_kernel
// POSITION-NOT: launch
// POSITION: output

func.func @step(%cache: tensor<16x64xf32>, %row: tensor<1x64xf32>, %pos: index,
                %q: tensor<2x1x32xf32>, %k: tensor<2x16x32xf32>,
                %v: tensor<2x16x32xf32>)
    -> (tensor<16x64xf32>, tensor<1x64xf32>, tensor<2x1x32xf32>) {
  %new = tensor.insert_slice %row into %cache[%pos, 0] [1, 64] [1, 1]
      : tensor<1x64xf32> into tensor<16x64xf32>
  %r = wl.relu %row : tensor<1x64xf32>
  %a = wl.attention %q, %k, %v offset %pos {causal, normalize_after}
      : (tensor<2x1x32xf32>, tensor<2x16x32xf32>, tensor<2x16x32xf32>, index)
      -> tensor<2x1x32xf32>
  return %new, %r, %a : tensor<16x64xf32>, tensor<1x64xf32>, tensor<2x1x32xf32>
}
