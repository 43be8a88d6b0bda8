// A matmul's right operand read transposed (wl.matmul {transpose_rhs}, as
// wl-to-linalg writes it: a linalg.transpose into a buffer, then the
// matmul) is read in place: each cache tile copies its K x N block into a
// panel, in 16 x 16 blocks transposed in registers, and the plain schedule
// multiplies the panel. The bits are those of the transposed matmul
// (CpuJitTest TransposedRightOperandIsPackedToTheSameBits).
// RUN: fungible-opt %s --split-input-file --fungible-cpu-vectorize-matmuls | FileCheck %s

// CHECK-LABEL: func.func @linear
// CHECK-NOT: linalg.transpose
// CHECK-NOT: memref<1536x8960xf32>
// CHECK: scf.forall (%[[N:[a-z0-9_]+]]) = (0) to (8960) step (128)
// CHECK: %[[W:[a-z0-9_]+]] = memref.subview %arg1[%[[N]], 0] [128, 1536]
// CHECK: %[[PANEL:[a-z0-9_]+]] = memref.alloc() {alignment = 64 : i64} : memref<128x128xf32>
// CHECK: scf.for %[[K:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[BLOCK:[a-z0-9_]+]] = memref.subview %[[W]][0, %[[K]]] [128, 128]
// CHECK: vector.load %[[BLOCK]]
// CHECK: vector.shuffle
// CHECK: vector.store %{{.*}}, %[[PANEL]]
// CHECK: vector.fma
// CHECK: memref.dealloc %[[PANEL]]
func.func @linear(%arg0: memref<40x1536xf32>, %arg1: memref<8960x1536xf32>) -> memref<40x8960xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<1536x8960xf32>
  linalg.transpose ins(%arg1 : memref<8960x1536xf32>) outs(%alloc : memref<1536x8960xf32>) permutation = [1, 0]
  %alloc_0 = memref.alloc() {alignment = 64 : i64} : memref<40x8960xf32>
  linalg.fill ins(%cst : f32) outs(%alloc_0 : memref<40x8960xf32>)
  linalg.matmul ins(%arg0, %alloc : memref<40x1536xf32>, memref<1536x8960xf32>) outs(%alloc_0 : memref<40x8960xf32>)
  memref.dealloc %alloc : memref<1536x8960xf32>
  return %alloc_0 : memref<40x8960xf32>
}

// -----

// Ragged N (200 = 128 + 72: a matmul each, CpuMatmulEdges.cpp) and K
// (300 = 2 x 128 + 44): each part packs its own columns; the last K step's
// part of a panel is a view of it, and a panel 72 wide is not in 16 x 16
// blocks: both copied by a linalg.transpose.
// CHECK-LABEL: func.func @ragged
// CHECK: memref.subview %arg1[0, 0] [128, 300]
// CHECK: %[[PANEL:[a-z0-9_]+]] = memref.alloc() {alignment = 64 : i64} : memref<128x128xf32>
// CHECK: scf.for
// CHECK: %[[PART:[a-z0-9_]+]] = memref.subview %[[PANEL]][0, 0] [%{{.*}}, 128] [1, 1]
// CHECK: linalg.transpose ins(%{{.*}} : memref<128x?xf32, strided<[300, 1], offset: ?>>) outs(%[[PART]] : {{.*}}) permutation = [1, 0]
// CHECK: memref.subview %arg1[128, 0] [72, 300]
// CHECK: %[[PANEL2:[a-z0-9_]+]] = memref.alloc() {alignment = 64 : i64} : memref<128x72xf32>
// CHECK: scf.for
// CHECK: %[[PART2:[a-z0-9_]+]] = memref.subview %[[PANEL2]][0, 0] [%{{.*}}, 72] [1, 1]
// CHECK: linalg.transpose ins(%{{.*}} : memref<72x?xf32, strided<[300, 1], offset: ?>>) outs(%[[PART2]] : {{.*}}) permutation = [1, 0]
// CHECK-NOT: memref<300x200xf32>
func.func @ragged(%arg0: memref<37x300xf32>, %arg1: memref<200x300xf32>) -> memref<37x200xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<300x200xf32>
  linalg.transpose ins(%arg1 : memref<200x300xf32>) outs(%alloc : memref<300x200xf32>) permutation = [1, 0]
  %alloc_0 = memref.alloc() {alignment = 64 : i64} : memref<37x200xf32>
  linalg.fill ins(%cst : f32) outs(%alloc_0 : memref<37x200xf32>)
  linalg.matmul ins(%arg0, %alloc : memref<37x300xf32>, memref<300x200xf32>) outs(%alloc_0 : memref<37x200xf32>)
  memref.dealloc %alloc : memref<300x200xf32>
  return %alloc_0 : memref<37x200xf32>
}

// -----

// The transposed buffer is also returned: it is a result, so it stays.
// CHECK-LABEL: func.func @also_returned
// CHECK: linalg.transpose ins(%arg1 : memref<64x32xf32>) outs(%[[T:[a-z0-9_]+]] : memref<32x64xf32>)
// CHECK: memref.subview %[[T]]
func.func @also_returned(%arg0: memref<16x32xf32>, %arg1: memref<64x32xf32>) -> (memref<16x64xf32>, memref<32x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<32x64xf32>
  linalg.transpose ins(%arg1 : memref<64x32xf32>) outs(%alloc : memref<32x64xf32>) permutation = [1, 0]
  %alloc_0 = memref.alloc() {alignment = 64 : i64} : memref<16x64xf32>
  linalg.fill ins(%cst : f32) outs(%alloc_0 : memref<16x64xf32>)
  linalg.matmul ins(%arg0, %alloc : memref<16x32xf32>, memref<32x64xf32>) outs(%alloc_0 : memref<16x64xf32>)
  return %alloc_0, %alloc : memref<16x64xf32>, memref<32x64xf32>
}

// -----

// The source is written between the transpose and the matmul: the matmul
// must read the values from before, so the transpose stays.
// CHECK-LABEL: func.func @source_written
// CHECK: linalg.transpose ins(%arg1 : memref<64x32xf32>) outs(%[[T:[a-z0-9_]+]] : memref<32x64xf32>)
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg1 : memref<64x32xf32>)
func.func @source_written(%arg0: memref<16x32xf32>, %arg1: memref<64x32xf32>) -> memref<16x64xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<32x64xf32>
  linalg.transpose ins(%arg1 : memref<64x32xf32>) outs(%alloc : memref<32x64xf32>) permutation = [1, 0]
  linalg.fill ins(%cst : f32) outs(%arg1 : memref<64x32xf32>)
  %alloc_0 = memref.alloc() {alignment = 64 : i64} : memref<16x64xf32>
  linalg.fill ins(%cst : f32) outs(%alloc_0 : memref<16x64xf32>)
  linalg.matmul ins(%arg0, %alloc : memref<16x32xf32>, memref<32x64xf32>) outs(%alloc_0 : memref<16x64xf32>)
  memref.dealloc %alloc : memref<32x64xf32>
  return %alloc_0 : memref<16x64xf32>
}

// -----

// Attention's operands out of a [S, H * D] cache (the decode step's): K^T,
// its [S, H, D] view transposed to [H, D, S], and V, transposed to
// [H, S, D], are read in place through memref.transpose views. Each head's
// K^T is columns of 512 apart, its N x K view rows of the cache: the matmul
// reads it transposed, packed in 16 x 16 blocks; each head's V is rows 512
// apart, read as they are (one query row: no panel). 8 x 64 x 128
// multiply-adds are under 2^19, but the keys are 256 KiB (and so are the
// values): the heads are streamed on the threads.
// CHECK-LABEL: func.func @heads
// CHECK-NOT: linalg.transpose
// CHECK-DAG: %[[V:[a-z0-9_]+]] = memref.transpose %[[VC:[a-z0-9_]+]] (d0, d1, d2) -> (d1, d0, d2) : memref<128x8x64xf32> to memref<8x128x64xf32, strided<[64, 512, 1]>>
// CHECK-DAG: %[[KT:[a-z0-9_]+]] = memref.transpose %[[KC:[a-z0-9_]+]] (d0, d1, d2) -> (d1, d2, d0) : memref<128x8x64xf32> to memref<8x64x128xf32, strided<[64, 1, 512]>>
// CHECK: scf.forall (%[[H:[a-z0-9_]+]]) in (8)
// CHECK: memref.subview %[[KT]][%[[H]], 0, 0] [1, 64, 128]
// CHECK: %[[NK:[a-z0-9_]+]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<64x128xf32, strided<[1, 512], offset: ?>> to memref<128x64xf32, strided<[512, 1], offset: ?>>
// CHECK: %[[PANEL:[a-z0-9_]+]] = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
// CHECK: vector.load %[[NK]]
// CHECK: vector.shuffle
// CHECK: vector.store %{{.*}}, %[[PANEL]]
// CHECK: scf.forall (%[[H2:[a-z0-9_]+]]) in (8)
// CHECK: memref.subview %[[V]][%[[H2]], 0, 0] [1, 128, 64]
// CHECK-NOT: memref.alloc
// CHECK: vector.fma
func.func @heads(%k: memref<128x512xf32>, %v: memref<128x512xf32>, %q: memref<8x1x64xf32>, %p: memref<8x1x128xf32>) -> (memref<8x1x128xf32>, memref<8x1x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  %kc = memref.expand_shape %k [[0], [1, 2]] output_shape [128, 8, 64] : memref<128x512xf32> into memref<128x8x64xf32>
  %vc = memref.expand_shape %v [[0], [1, 2]] output_shape [128, 8, 64] : memref<128x512xf32> into memref<128x8x64xf32>
  %vt = memref.alloc() {alignment = 64 : i64} : memref<8x128x64xf32>
  linalg.transpose ins(%vc : memref<128x8x64xf32>) outs(%vt : memref<8x128x64xf32>) permutation = [1, 0, 2]
  %kt = memref.alloc() {alignment = 64 : i64} : memref<8x64x128xf32>
  linalg.transpose ins(%kc : memref<128x8x64xf32>) outs(%kt : memref<8x64x128xf32>) permutation = [1, 2, 0]
  %s = memref.alloc() {alignment = 64 : i64} : memref<8x1x128xf32>
  linalg.fill ins(%cst : f32) outs(%s : memref<8x1x128xf32>)
  linalg.batch_matmul ins(%q, %kt : memref<8x1x64xf32>, memref<8x64x128xf32>) outs(%s : memref<8x1x128xf32>)
  %o = memref.alloc() {alignment = 64 : i64} : memref<8x1x64xf32>
  linalg.fill ins(%cst : f32) outs(%o : memref<8x1x64xf32>)
  linalg.batch_matmul ins(%p, %vt : memref<8x1x128xf32>, memref<8x128x64xf32>) outs(%o : memref<8x1x64xf32>)
  memref.dealloc %vt : memref<8x128x64xf32>
  memref.dealloc %kt : memref<8x64x128xf32>
  return %s, %o : memref<8x1x128xf32>, memref<8x1x64xf32>
}

// -----

// A batch matmul reads the permuted buffer as its left operand: the copy
// stays (only right operands are read through views).
// CHECK-LABEL: func.func @permuted_lhs
// CHECK: linalg.transpose ins(%{{.*}} : memref<16x4x32xf32>) outs(%{{.*}} : memref<4x16x32xf32>) permutation = [1, 0, 2]
// CHECK-NOT: memref.transpose %{{.*}} (d0, d1, d2)
func.func @permuted_lhs(%a: memref<16x128xf32>, %b: memref<4x32x8xf32>) -> memref<4x16x8xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %a3 = memref.expand_shape %a [[0], [1, 2]] output_shape [16, 4, 32] : memref<16x128xf32> into memref<16x4x32xf32>
  %at = memref.alloc() {alignment = 64 : i64} : memref<4x16x32xf32>
  linalg.transpose ins(%a3 : memref<16x4x32xf32>) outs(%at : memref<4x16x32xf32>) permutation = [1, 0, 2]
  %c = memref.alloc() {alignment = 64 : i64} : memref<4x16x8xf32>
  linalg.fill ins(%cst : f32) outs(%c : memref<4x16x8xf32>)
  linalg.batch_matmul ins(%at, %b : memref<4x16x32xf32>, memref<4x32x8xf32>) outs(%c : memref<4x16x8xf32>)
  memref.dealloc %at : memref<4x16x32xf32>
  return %c : memref<4x16x8xf32>
}

// -----

// The cache is written (the step's new row) between the transpose and the
// scores: they must read the old rows, so the copy stays.
// CHECK-LABEL: func.func @cache_written
// CHECK: linalg.transpose ins(%{{.*}} : memref<128x8x64xf32>) outs(%{{.*}} : memref<8x64x128xf32>) permutation = [1, 2, 0]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg0 : memref<128x512xf32>)
func.func @cache_written(%k: memref<128x512xf32>, %q: memref<8x1x64xf32>) -> memref<8x1x128xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %kc = memref.expand_shape %k [[0], [1, 2]] output_shape [128, 8, 64] : memref<128x512xf32> into memref<128x8x64xf32>
  %kt = memref.alloc() {alignment = 64 : i64} : memref<8x64x128xf32>
  linalg.transpose ins(%kc : memref<128x8x64xf32>) outs(%kt : memref<8x64x128xf32>) permutation = [1, 2, 0]
  linalg.fill ins(%cst : f32) outs(%k : memref<128x512xf32>)
  %s = memref.alloc() {alignment = 64 : i64} : memref<8x1x128xf32>
  linalg.fill ins(%cst : f32) outs(%s : memref<8x1x128xf32>)
  linalg.batch_matmul ins(%q, %kt : memref<8x1x64xf32>, memref<8x64x128xf32>) outs(%s : memref<8x1x128xf32>)
  memref.dealloc %kt : memref<8x64x128xf32>
  return %s : memref<8x1x128xf32>
}
