// RUN: fungible-opt %s --wl-lower=target=cpu-host | FileCheck %s

// The CPU lowering runs independent work on OpenMP threads. A matmul's
// (M, N) cache tiles (up to 256x128, dividing M and N where they can:
// matmulCacheTile) form one collapsed parallel loop when the matmul has
// at least 2^19 multiply-adds; any other linalg op with at least 2^16
// loop-body executions runs about 256 chunks of its parallel dimensions
// in parallel (whole outer dimensions, then one cut), its reduction
// dimensions sequentially inside; anything smaller stays on one thread
// (no fork: on the project's VM a fork and join costs more than a second
// thread saves below these, docs/Codegen.md).

// 300x600: the zero fill of C (180000 iterations) in 150 chunks of two
// rows, then the cache tiles: 300 rows in tiles of 100 (the largest
// multiple of 4 up to 256 that divides 300); no multiple of 64 from 128
// down divides 600, so the first 512 columns are 3 by 4 tiles of 128 and
// the 88 left a matmul of their own, 3 tiles of 100 x 88 (CpuMatmulEdges:
// every tile static), each a parallel loop; the three loops one after
// the other share one fork (fungible-cpu-merge-parallel-regions), each
// loop's end a barrier.
// CHECK-LABEL: llvm.func @mm_tiles(
// CHECK-DAG:     %[[W:.*]] = llvm.mlir.constant(512 : index) : i64
// CHECK-DAG:     %[[M:.*]] = llvm.mlir.constant(300 : index) : i64
// CHECK-DAG:     %[[CM:.*]] = llvm.mlir.constant(100 : index) : i64
// CHECK-DAG:     %[[CN:.*]] = llvm.mlir.constant(128 : index) : i64
// CHECK-DAG:     %[[ZERO:.*]] = llvm.mlir.constant(0 : index) : i64
// CHECK-DAG:     %[[TWO:.*]] = llvm.mlir.constant(2 : index) : i64
// CHECK:         omp.parallel {
// CHECK-NEXT:      omp.wsloop {
// CHECK-NEXT:        omp.loop_nest (%{{.*}}) : i64 = (%[[ZERO]]) to (%[[M]]) step (%[[TWO]]) {
// CHECK-NOT:     omp.parallel
// CHECK:           omp.wsloop {
// CHECK-NEXT:        omp.loop_nest (%{{.*}}, %{{.*}}) : i64 = (%[[ZERO]], %[[ZERO]]) to (%[[M]], %[[W]]) step (%[[CM]], %[[CN]]) collapse(2) {
// CHECK:             vector<64xf32>
// CHECK-NOT:     omp.parallel
// CHECK:           omp.wsloop {
// CHECK-NEXT:        omp.loop_nest (%{{.*}}) : i64 = (%[[ZERO]]) to (%[[M]]) step (%[[CM]]) {
// CHECK:             vector<64xf32>
// CHECK:             vector<16xf32>
// CHECK:             vector<8xf32>
// CHECK:       llvm.func @_mlir_ciface_mm_tiles
func.func @mm_tiles(%a: tensor<300x64xf32>, %b: tensor<64x600xf32>) -> tensor<300x600xf32> {
  %0 = wl.matmul %a, %b : (tensor<300x64xf32>, tensor<64x600xf32>) -> tensor<300x600xf32>
  return %0 : tensor<300x600xf32>
}

// One cache tile: no parallel tile loop left, and the 256x128 fill of C
// (32768 iterations, under 2^16) stays on one thread too.
// CHECK-LABEL: llvm.func @mm_one_tile(
// CHECK-NOT:     omp.
// CHECK:       llvm.func @_mlir_ciface_mm_one_tile
func.func @mm_one_tile(%a: tensor<256x64xf32>, %b: tensor<64x128xf32>) -> tensor<256x128xf32> {
  %0 = wl.matmul %a, %b : (tensor<256x64xf32>, tensor<64x128xf32>) -> tensor<256x128xf32>
  return %0 : tensor<256x128xf32>
}

// A small matmul (one tile, a 64x128 fill of 8192 iterations): no fork.
// CHECK-LABEL: llvm.func @mm_small(
// CHECK-NOT:     omp.
// CHECK:       llvm.func @_mlir_ciface_mm_small
func.func @mm_small(%a: tensor<64x32xf32>, %b: tensor<32x128xf32>) -> tensor<64x128xf32> {
  %0 = wl.matmul %a, %b : (tensor<64x32xf32>, tensor<32x128xf32>) -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// One row by 16 x 384: three cache tiles of 128 columns, but 6144
// multiply-adds, fewer than 2^19: the tiles are a loop, no fork.
// CHECK-LABEL: llvm.func @mm_one_row(
// CHECK-NOT:     omp.
// CHECK:       llvm.func @_mlir_ciface_mm_one_row
func.func @mm_one_row(%a: tensor<1x16xf32>, %b: tensor<16x384xf32>) -> tensor<1x384xf32> {
  %0 = wl.matmul %a, %b : (tensor<1x16xf32>, tensor<16x384xf32>) -> tensor<1x384xf32>
  return %0 : tensor<1x384xf32>
}

// 256 x 4 by 4 x 256: two cache tiles of 256 x 128, 2^18 multiply-adds,
// fewer than 2^19: the tiles are a loop; the fill of C (65536 = 2^16
// iterations) is the one parallel loop.
// CHECK-LABEL: llvm.func @mm_two_tiles_small(
// CHECK:         omp.parallel {
// CHECK:           llvm.store
// CHECK-NOT:     omp.parallel
// CHECK:           vector<64xf32>
// CHECK-NOT:     omp.parallel
// CHECK:       llvm.func @_mlir_ciface_mm_two_tiles_small
func.func @mm_two_tiles_small(%a: tensor<256x4xf32>, %b: tensor<4x256xf32>) -> tensor<256x256xf32> {
  %0 = wl.matmul %a, %b : (tensor<256x4xf32>, tensor<4x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}

// A row by a 512 x 512 weight: 2^18 multiply-adds, but 1 MiB of weight
// streamed (2^18 bytes or more): the four cache tiles of 128 columns are
// a parallel loop. By a 64 x 512 weight (128 KiB): a loop, no fork.
// CHECK-LABEL: llvm.func @mv_weight(
// CHECK:         omp.parallel {
// CHECK:           vector<64xf32>
// CHECK:       llvm.func @_mlir_ciface_mv_weight
// CHECK-LABEL: llvm.func @mv_small_weight(
// CHECK-NOT:     omp.
// CHECK:       llvm.func @_mlir_ciface_mv_small_weight
func.func @mv_weight(%a: tensor<1x512xf32>, %b: tensor<512x512xf32>) -> tensor<1x512xf32> {
  %0 = wl.matmul %a, %b : (tensor<1x512xf32>, tensor<512x512xf32>) -> tensor<1x512xf32>
  return %0 : tensor<1x512xf32>
}
func.func @mv_small_weight(%a: tensor<1x64xf32>, %b: tensor<64x512xf32>) -> tensor<1x512xf32> {
  %0 = wl.matmul %a, %b : (tensor<1x64xf32>, tensor<64x512xf32>) -> tensor<1x512xf32>
  return %0 : tensor<1x512xf32>
}

// Elementwise over 256x256 = 65536 elements: the 256 rows in parallel, each
// row a loop inside.
// CHECK-LABEL: llvm.func @ew_large(
// CHECK-DAG:     %[[C256:.*]] = llvm.mlir.constant(256 : index) : i64
// CHECK-DAG:     %[[C1:.*]] = llvm.mlir.constant(1 : index) : i64
// CHECK:         omp.parallel {
// CHECK:           omp.loop_nest (%{{.*}}) : i64 = ({{.*}}) to (%[[C256]]) step (%[[C1]]) {
// CHECK:             llvm.cond_br
// CHECK:             llvm.fadd
// CHECK:       llvm.func @_mlir_ciface_ew_large
func.func @ew_large(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %0 = wl.add %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}

// Elementwise over 256x128 = 32768 elements: one thread.
// CHECK-LABEL: llvm.func @ew_small(
// CHECK-NOT:     omp.
// CHECK:       llvm.func @_mlir_ciface_ew_small
func.func @ew_small(%a: tensor<256x128xf32>, %b: tensor<256x128xf32>) -> tensor<256x128xf32> {
  %0 = wl.add %a, %b : (tensor<256x128xf32>, tensor<256x128xf32>) -> tensor<256x128xf32>
  return %0 : tensor<256x128xf32>
}

// A row sum over 64x1024 (65536 iterations): the 64 rows in parallel, each
// row's 1024 terms added in order by one thread (a loop inside the body).
// CHECK-LABEL: llvm.func @row_sum(
// CHECK:         omp.parallel {
// CHECK:           omp.loop_nest (%{{.*}}) : i64 = {{.*}} {
// CHECK:             llvm.cond_br
// CHECK:             llvm.fadd
// CHECK:       llvm.func @_mlir_ciface_row_sum
func.func @row_sum(%a: tensor<64x1024xf32>) -> tensor<64xf32> {
  %0 = wl.reduce sum %a dims = [1] : tensor<64x1024xf32> -> tensor<64xf32>
  return %0 : tensor<64xf32>
}
