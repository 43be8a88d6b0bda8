// Rows and columns a matmul's tiles do not divide are matmuls of their own
// (targets/cpu/CpuMatmulEdges.cpp): 50 rows are 48 in 4-row register tiles
// and 2 in 2-row ones; 104 columns are 64 in a 4 x 64 register tile and 40
// in tiles of 32 and 8 columns. Each part's accumulator is a vector of its
// own shape in registers (loop-carried through K), with no mask: a masked
// 4 x 64 tile kept its accumulator in memory.
// RUN: fungible-opt %s --split-input-file --fungible-cpu-vectorize-matmuls | FileCheck %s

// CHECK-LABEL: func.func @ragged
// CHECK-NOT: mask
// CHECK: memref.subview %arg0[0, 0] [48, 16]
// CHECK: memref.subview %arg1[0, 0] [16, 64]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4x64xf32>)
// CHECK-COUNT-4: vector.fma {{.*}} : vector<64xf32>
// CHECK: memref.subview %arg1[0, 64] [16, 32]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4x32xf32>)
// CHECK-COUNT-4: vector.fma {{.*}} : vector<32xf32>
// CHECK: memref.subview %arg1[0, 96] [16, 8]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4x8xf32>)
// CHECK-COUNT-4: vector.fma {{.*}} : vector<8xf32>
// CHECK: memref.subview %arg0[48, 0] [2, 16]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<2x64xf32>)
// CHECK-COUNT-2: vector.fma {{.*}} : vector<64xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<2x32xf32>)
// CHECK-COUNT-2: vector.fma {{.*}} : vector<32xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<2x8xf32>)
// CHECK-COUNT-2: vector.fma {{.*}} : vector<8xf32>
// CHECK-NOT: mask
// CHECK: return
func.func @ragged(%a: memref<50x16xf32>, %b: memref<16x104xf32>, %c: memref<50x104xf32>) {
  linalg.matmul ins(%a, %b : memref<50x16xf32>, memref<16x104xf32>) outs(%c : memref<50x104xf32>)
  return
}

// -----

// One row of 300 columns: 128-column cache tiles divide 256 of them (a
// loop of 2 tiles: 4096 multiply-adds are too few for threads); the 44
// left are one matmul, in register tiles of 32, 8 and 4 columns. A single
// row's vectors lose the unit dimension.

// CHECK-LABEL: func.func @one_row
// CHECK-NOT: mask
// CHECK: memref.subview %arg1[0, 0] [16, 256]
// CHECK-NOT: scf.forall
// CHECK: scf.for {{.*}} = %c0 to %c256 step %c128
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<64xf32>)
// CHECK: vector.fma {{.*}} : vector<64xf32>
// CHECK: memref.subview %arg1[0, 256] [16, 44]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<32xf32>)
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>)
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4xf32>)
// CHECK-NOT: mask
// CHECK: return
func.func @one_row(%a: memref<1x16xf32>, %b: memref<16x300xf32>, %c: memref<1x300xf32>) {
  linalg.matmul ins(%a, %b : memref<1x16xf32>, memref<16x300xf32>) outs(%c : memref<1x300xf32>)
  return
}

// -----

// A matmul with a loop of 0 adds nothing to C: no rows, or an empty sum
// over K (C keeps its zero fill). It goes before any tiling (upstream's
// faults on a loop of 0).

// CHECK-LABEL: func.func @empty
// CHECK-NOT: linalg.matmul
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg5 : memref<8x64xf32>)
// CHECK-NOT: linalg.matmul
// CHECK: return
func.func @empty(%a: memref<0x16xf32>, %b: memref<16x300xf32>, %c: memref<0x300xf32>,
                 %d: memref<8x0xf32>, %e: memref<0x64xf32>, %f: memref<8x64xf32>) {
  linalg.matmul ins(%a, %b : memref<0x16xf32>, memref<16x300xf32>) outs(%c : memref<0x300xf32>)
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%f : memref<8x64xf32>)
  linalg.matmul ins(%d, %e : memref<8x0xf32>, memref<0x64xf32>) outs(%f : memref<8x64xf32>)
  return
}
