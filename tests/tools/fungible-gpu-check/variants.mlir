// The fidelity sets of scripts/gpu-check.sh: a fat module (wl-compile for
// h100) planned kernel by kernel for timing (plan.py --variants). Only the
// compiled kernels are planned, not the model's own function; a constant
// the program holds (memref.get_global) becomes a made-up input; the
// windows of a concatenation are views of its result, with offsets and
// strides worked out by hand below; a kernel whose result is a view of its
// operand launches nothing and gets no plan. fungible-gpu-check takes a
// list of plans and names a malformed list or plan before it needs a GPU.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-opt %s --wl-import-and-outline --wl-compile=targets=h100 --mlir-print-op-generic -o %t/fat.mlir
// RUN: %python %fungible_src_root/scripts/gpu-check/plan.py --variants %t/fat.mlir %t/plans | FileCheck %s --check-prefix=SUMMARY
// RUN: ls %t/plans | FileCheck %s --check-prefix=DIRS
// RUN: FileCheck %s --check-prefix=CONV < %t/plans/conv2d_0/plan.txt
// RUN: FileCheck %s --check-prefix=CONCAT < %t/plans/matmul_2/plan.txt
// RUN: printf '%t/plans/conv2d_0/plan.txt %t/out/conv\n%t/plans/matmul_2/plan.txt\n' > %t/badlist.txt
// RUN: not fungible-gpu-check --plans %t/badlist.txt 2>&1 | FileCheck %s --check-prefix=BADLIST
// RUN: printf '%t/plans/conv2d_0/plan.txt %t/out/conv\n%t/missing.txt %t/out/m\n' > %t/missing.txt.list
// RUN: not fungible-gpu-check --plans %t/missing.txt.list 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: printf '%t/plans/conv2d_0/plan.txt %t/out/conv\n%t/plans/matmul_2/plan.txt %t/out/mm\n' > %t/list.txt
// RUN: not fungible-gpu-check --plans %t/list.txt --runs 5 --no-data --driver %t/no-libcuda.so 2>&1 | FileCheck %s --check-prefix=NODRIVER
// RUN: not fungible-gpu-check --plans %t/list.txt %t/plans/conv2d_0/plan.txt 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not fungible-gpu-check --plans %t/list.txt --runs 0 2>&1 | FileCheck %s --check-prefix=RUNS

// SUMMARY: plan.py: @reshape_1 launches nothing (its results are views of its operands): no plan
// SUMMARY: plan.py: 6 PTX modules, 3 plans in

// DIRS:      conv2d_0
// DIRS-NEXT: matmul_2
// DIRS-NEXT: ptx
// DIRS-NEXT: relu_3

// CONV:      # fungible launch plan v1: @conv2d_0
// CONV-NEXT: module conv2d_0_kernel ../ptx/conv2d_0_kernel.ptx
// CONV-NEXT: buffer 0 f32 4 1 8 8 4 input 1
// The splat weights, a global of the program: made-up values, salt 100 + id.
// CONV-NEXT: buffer 1 f32 4 3 3 4 8 input 101
// CONV-NEXT: buffer 2 f32 4 1 8 8 8
// CONV-NEXT: launch conv2d_0_kernel conv2d_0_kernel

// The concatenation's 4x8 result (buffer 4): the product goes to columns
// 0-4 (offset 0, strides 8 and 1), the ReLU to columns 5-7 (offset 5).
// CONCAT:      # fungible launch plan v1: @matmul_2
// CONCAT:      buffer 0 f32 2 4 6 input 1
// CONCAT-NEXT: buffer 1 f32 2 6 5 input 2
// CONCAT-NEXT: buffer 2 f32 2 4 3 input 3
// CONCAT-NEXT: buffer 3 f32 2 4 5
// CONCAT-NEXT: buffer 4 f32 2 4 8
// CONCAT-NEXT: view 5 4 0 2 4 5 8 1
// CONCAT-NEXT: view 6 4 5 2 4 3 8 1
// CONCAT:      arg memref 5
// CONCAT:      arg memref 6
// CONCAT:      output 4

// BADLIST: fungible-gpu-check: {{.*}}badlist.txt:2: expected '<plan> <output directory>'
// MISSING: fungible-gpu-check: cannot read the plan {{.*}}missing.txt
// NODRIVER: fungible-gpu-check: cannot load the CUDA driver ({{.*}}no-libcuda.so)
// BOTH: fungible-gpu-check: --plans and a PLAN: give one (usage: fungible-gpu-check PLAN OUT | --plans LIST
// RUNS: fungible-gpu-check: --runs must be at least 1

func.func @f(%x: tensor<1x8x8x4xf32>, %a: tensor<4x6xf32>) -> (tensor<1x8x8x8xf32>, tensor<24xf32>) {
  %w = arith.constant dense<0.5> : tensor<3x3x4x8xf32>
  %c = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x8xf32>) -> tensor<1x8x8x8xf32>
  %r = wl.reshape %a : tensor<4x6xf32> -> tensor<24xf32>
  return %c, %r : tensor<1x8x8x8xf32>, tensor<24xf32>
}

func.func @g(%a: tensor<4x6xf32>, %b: tensor<6x5xf32>, %c: tensor<4x3xf32>) -> tensor<4x8xf32> {
  %m = wl.matmul %a, %b : (tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
  %r = wl.relu %c : tensor<4x3xf32>
  %j = wl.concat %m, %r dim = 1 : (tensor<4x5xf32>, tensor<4x3xf32>) -> tensor<4x8xf32>
  return %j : tensor<4x8xf32>
}
