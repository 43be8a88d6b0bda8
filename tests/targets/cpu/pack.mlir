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
