// The CPU back end vectorises NHWC poolings as it does depthwise
// convolutions (targets/cpu/CpuMatmulSchedule.cpp, vectorizeConvolution):
// output tiles of OWt x Ct, a loop over the window's rows, each row a 1-D
// pooling that upstream's vectoriser turns into vector adds or maxes into
// the tile, held in registers over the window. Each output still reduces
// its window in the same order (rows, then columns).
// RUN: fungible-opt %s --fungible-cpu-vectorize-matmuls | FileCheck %s

// The numbers (Inputs/pool.mlir): the host's code (fungible-run) agrees
// with upstream's lowering of the pools as loops (to the 6 digits the
// runner prints).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/make_harness.py %S/Inputs/pool.mlir pools > %t/h.mlir
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t/loops.txt
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/pool.mlir pools %t/in
// RUN: fungible-run %S/Inputs/pool.mlir --devices=cpu-host --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/result1.npy %t/out/result2.npy %t/out/result3.npy > %t/host.txt
// RUN: %python %S/../../lib/compare_outputs.py %t/loops.txt %t/host.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 4464 values, {{.*}}, 0 mismatches

// A global sum of 16 x 16 x 32 (EfficientNet's first squeeze): one tile
// of a column and 32 channels, read once, carried over the window's 16
// rows, written once; no pooling op is left.
// CHECK-LABEL: func.func @global_sum
// CHECK: %[[ACC:.*]] = vector.load {{.*}} vector<32xf32>
// CHECK: scf.for {{.*}} = %c0 to %c16 step %c1 iter_args(%{{.*}} = %[[ACC]]) -> (vector<32xf32>)
// CHECK-COUNT-16: arith.addf {{.*}} : vector<32xf32>
// CHECK: scf.yield {{.*}} : vector<32xf32>
// CHECK: vector.store {{.*}} vector<32xf32>
// CHECK-NOT: linalg.pooling
// CHECK: return
func.func @global_sum(%in: memref<1x16x16x32xf32>, %w: memref<16x16xf32>, %out: memref<1x1x1x32xf32>) {
  linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x16x16x32xf32>, memref<16x16xf32>) outs(%out : memref<1x1x1x32xf32>)
  return
}

// A 3 x 3 / 2 max pool of 112 x 112 x 64 (a ResNet stem's, its padding a
// copy already): 2^16 loop iterations or more, its tiles of 4 columns x 32
// channels on the threads, maxes over the window's rows.
// CHECK-LABEL: func.func @max_pool
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (56, 56, 64) step (1, 4, 32)
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<4x32xf32>)
// CHECK-COUNT-12: arith.maximumf {{.*}} : vector<32xf32>
// CHECK: scf.yield {{.*}} : vector<4x32xf32>
// CHECK-NOT: linalg.pooling
// CHECK: return
func.func @max_pool(%in: memref<1x113x113x64xf32>, %w: memref<3x3xf32>, %out: memref<1x56x56x64xf32>) {
  linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%in, %w : memref<1x113x113x64xf32>, memref<3x3xf32>) outs(%out : memref<1x56x56x64xf32>)
  return
}

// An i32 pool is not a float one: left to the loops.
// CHECK-LABEL: func.func @int_pool
// CHECK: linalg.pooling_nhwc_sum
func.func @int_pool(%in: memref<1x4x4x8xi32>, %w: memref<4x4xi32>, %out: memref<1x1x1x8xi32>) {
  linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x4x4x8xi32>, memref<4x4xi32>) outs(%out : memref<1x1x1x8xi32>)
  return
}
