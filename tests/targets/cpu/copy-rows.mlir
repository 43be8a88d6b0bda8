// A copy that keeps its rows (a transpose of outer dimensions: BERT's
// heads, [B, S, H, D] -> [B, H, S, D]) copied each 64-element row in a
// loop LLVM's vectoriser left scalar (the overlap check its two pointers
// need costs more than a row saves, by its cost model): 160-190 us for
// BERT's 4 MiB head transpose, 57-83 with one vector load and store a row
// (CpuParallelLoops.cpp, copyRowsAsVectors). Rows of 16 to 256 bytes;
// longer ones LLVM vectorises itself.
// RUN: fungible-opt %s --split-input-file --fungible-cpu-parallel-loops | FileCheck %s

// The numbers (Inputs/copy-rows.mlir): the host's code (fungible-run)
// agrees with upstream's lowering of the transposes as loops.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/make_harness.py %S/Inputs/copy-rows.mlir copies > %t/h.mlir
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t/loops.txt
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/copy-rows.mlir copies %t/in
// RUN: fungible-run %S/Inputs/copy-rows.mlir --devices=cpu-host --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/result1.npy %t/out/result2.npy %t/out/result3.npy > %t/host.txt
// RUN: %python %S/../../lib/compare_outputs.py %t/loops.txt %t/host.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 161280 values, {{.*}}, 0 mismatches

// On the threads: chunks of 1 x 32 x 2 x 64 (the input's), each row of a
// chunk one vector load from the input's (s, h) and one store at the
// output's (h, s).
// CHECK-LABEL: func.func @heads
// CHECK: scf.forall (%[[B:.*]], %[[H:.*]]) = (0, 0) to (64, 8) step (1, 2) {
// CHECK: %[[IN:.*]] = memref.subview %{{.*}}[%[[B]], 0, %[[H]], 0] [1, 32, 2, 64]
// CHECK: %[[OUT:.*]] = memref.subview %{{.*}}[%[[B]], %[[H]], 0, 0] [1, 2, 32, 64]
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[ROW:.*]] = vector.load %[[IN]][%[[I]], %[[K]], %[[J]], %{{.*}}] : memref<1x32x2x64xf32, {{.*}}>, vector<64xf32>
// CHECK: vector.store %[[ROW]], %[[OUT]][%[[I]], %[[J]], %[[K]], %{{.*}}] : memref<1x2x32x64xf32, {{.*}}>, vector<64xf32>
// CHECK-NOT: linalg.transpose
func.func @heads(%a: memref<64x32x8x64xf32>, %c: memref<64x8x32x64xf32>) {
  linalg.transpose ins(%a : memref<64x32x8x64xf32>) outs(%c : memref<64x8x32x64xf32>) permutation = [0, 2, 1, 3]
  return
}

// -----

// Too small for threads (1536 elements): loops on the caller's thread,
// rows of 16 (one AVX-512 register); and a plain copy of a strided view
// (a concat's half), rows of 8.
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.forall
// CHECK: vector.load %{{.*}} : memref<2x12x4x16xf32>, vector<16xf32>
// CHECK: vector.store %{{.*}} : memref<2x4x12x16xf32>, vector<16xf32>
// CHECK-NOT: linalg.transpose
// CHECK-LABEL: func.func @strided_copy
// CHECK: vector.load %{{.*}} : memref<4x8xf32>, vector<8xf32>
// CHECK: vector.store %{{.*}} : memref<4x8xf32, strided<[16, 1]>>, vector<8xf32>
// CHECK-NOT: linalg.copy
func.func @small(%a: memref<2x12x4x16xf32>, %c: memref<2x4x12x16xf32>) {
  linalg.transpose ins(%a : memref<2x12x4x16xf32>) outs(%c : memref<2x4x12x16xf32>) permutation = [0, 2, 1, 3]
  return
}
func.func @strided_copy(%a: memref<4x8xf32>, %c: memref<4x8xf32, strided<[16, 1]>>) {
  linalg.copy ins(%a : memref<4x8xf32>) outs(%c : memref<4x8xf32, strided<[16, 1]>>)
  return
}

// -----

// Left to LLVM: rows of 128 f32 (512 bytes: its loop is as fast), rows of
// 2 (8 bytes), a transpose that moves the innermost dimension (a gather,
// in 8 x 8 blocks), a copy that computes (an add), a row with a dynamic
// extent.
// CHECK-LABEL: func.func @long_rows
// CHECK: linalg.transpose
// CHECK-NOT: vector.load
// CHECK-LABEL: func.func @short_rows
// CHECK: linalg.transpose
// CHECK-NOT: vector.load
// CHECK-LABEL: func.func @gather
// CHECK-NOT: vector.load
// CHECK-LABEL: func.func @computes
// CHECK-NOT: vector.load
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: vector.load
func.func @long_rows(%a: memref<4x8x3x128xf32>, %c: memref<8x4x3x128xf32>) {
  linalg.transpose ins(%a : memref<4x8x3x128xf32>) outs(%c : memref<8x4x3x128xf32>) permutation = [1, 0, 2, 3]
  return
}
func.func @short_rows(%a: memref<4x8x2xf32>, %c: memref<8x4x2xf32>) {
  linalg.transpose ins(%a : memref<4x8x2xf32>) outs(%c : memref<8x4x2xf32>) permutation = [1, 0, 2]
  return
}
func.func @gather(%a: memref<16x64xf32>, %c: memref<64x16xf32>) {
  linalg.transpose ins(%a : memref<16x64xf32>) outs(%c : memref<64x16xf32>) permutation = [1, 0]
  return
}
func.func @computes(%a: memref<4x16xf32>, %b: memref<4x16xf32>, %c: memref<4x16xf32>) {
  linalg.add ins(%a, %b : memref<4x16xf32>, memref<4x16xf32>) outs(%c : memref<4x16xf32>)
  return
}
func.func @dynamic(%a: memref<4x?xf32>, %c: memref<4x?xf32>) {
  linalg.copy ins(%a : memref<4x?xf32>) outs(%c : memref<4x?xf32>)
  return
}
