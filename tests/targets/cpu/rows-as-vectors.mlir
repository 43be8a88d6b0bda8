// An elementwise op whose rows (its innermost loop) are short ran its
// row loops scalar: LLVM's vectoriser would need a runtime check that the
// pointers do not overlap, which its cost model prices above a short
// row's saving. BERT's 4 MiB head transpose ([B, S, H, D] -> [B, H, S, D],
// rows of 64) took 160-190 us, 57-83 as vectors; a squeeze-excitation gate
// broadcast over 28 x 28 x 40 21 us, 11. fungible-cpu-parallel-loops now
// computes rows of 16 to 256 bytes a row at a time as vectors
// (CpuParallelLoops.cpp, vectorizeRows); longer rows LLVM vectorises
// itself.
// RUN: fungible-opt %s --split-input-file --fungible-cpu-parallel-loops | FileCheck %s

// The numbers (Inputs/rows-as-vectors.mlir): the host's code
// (fungible-run) agrees with upstream's lowering of the ops as loops.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/make_harness.py %S/Inputs/rows-as-vectors.mlir rows > %t/h.mlir
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t/loops.txt
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/rows-as-vectors.mlir rows %t/in
// RUN: fungible-run %S/Inputs/rows-as-vectors.mlir --devices=cpu-host --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/result1.npy %t/out/result2.npy %t/out/result3.npy %t/out/result4.npy %t/out/result5.npy %t/out/result6.npy > %t/host.txt
// RUN: %python %S/../../lib/compare_outputs.py %t/loops.txt %t/host.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 203616 values, {{.*}}, 0 mismatches

// On the threads: chunks of 1 x 32 x 2 x 64 (the input's), each row of a
// chunk read as one vector at the input's (s, h) and written at the
// output's (h, s).
// CHECK-LABEL: func.func @heads
// CHECK: scf.forall (%[[B:.*]], %[[H:.*]]) = (0, 0) to (64, 8) step (1, 2) {
// CHECK: %[[IN:.*]] = memref.subview %{{.*}}[%[[B]], 0, %[[H]], 0] [1, 32, 2, 64]
// CHECK: %[[OUT:.*]] = memref.subview %{{.*}}[%[[B]], %[[H]], 0, 0] [1, 2, 32, 64]
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[FROM:.*]] = memref.subview %[[IN]][%[[I]], %[[K]], %[[J]], 0] [1, 1, 1, 64]
// CHECK: %[[TO:.*]] = memref.subview %[[OUT]][%[[I]], %[[J]], %[[K]], 0] [1, 1, 1, 64]
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[FROM]]{{.*}} : memref<1x1x1x64xf32, {{.*}}>, vector<1x1x1x64xf32>
// CHECK: vector.transfer_write %[[ROW]], %[[TO]]{{.*}} : vector<1x1x1x64xf32>, memref<1x1x1x64xf32, {{.*}}>
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
// CHECK: vector.transfer_write %{{.*}} : vector<1x1x1x16xf32>, memref<1x1x1x16xf32, strided<[768, 192, 16, 1], offset: ?>>
// CHECK-NOT: linalg.transpose
// CHECK-LABEL: func.func @strided_copy
// CHECK: vector.transfer_write %{{.*}} : vector<1x8xf32>, memref<1x8xf32, strided<[16, 1], offset: ?>>
// CHECK-NOT: linalg.copy
// A copy into a concat's half whose rows of 64 channels are followed by a
// unit dimension (SqueezeNet's [7, 7, 64, 1] into [7, 7, 128, 1]): a
// generic op on views with the unit dimension collapsed into the rows',
// its rows read and written as vectors.
// CHECK-LABEL: func.func @unit_after_rows
// CHECK-DAG: memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<7x7x64x1xf32> into memref<7x7x64xf32>
// CHECK-DAG: memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<7x7x64x1xf32, strided<[896, 128, 1, 1]>> into memref<7x7x64xf32, strided<[896, 128, 1]>>
// CHECK: vector.transfer_read %{{.*}} : memref<1x1x64xf32, {{.*}}>, vector<1x1x64xf32>
// CHECK: vector.transfer_write %{{.*}} : vector<1x1x64xf32>, memref<1x1x64xf32, strided<[896, 128, 1], offset: ?>>
// CHECK-NOT: linalg.copy
// A gate broadcast over the rows (its map (n, h, w, c) -> (0, 0, 0, c)):
// read as a vector of the row's channels; the image's rows at stride 1.
// CHECK-LABEL: func.func @gate
// CHECK: vector.transfer_read %{{.*}} : memref<1x1x1x40xf32, {{.*}}>, vector<1x1x1x40xf32>
// CHECK: arith.mulf %{{.*}} : vector<1x1x1x40xf32>
// CHECK: vector.transfer_write %{{.*}} : vector<1x1x1x40xf32>, memref<1x1x1x40xf32, {{.*}}>
// CHECK-NOT: linalg.generic
func.func @small(%a: memref<2x12x4x16xf32>, %c: memref<2x4x12x16xf32>) {
  linalg.transpose ins(%a : memref<2x12x4x16xf32>) outs(%c : memref<2x4x12x16xf32>) permutation = [0, 2, 1, 3]
  return
}
func.func @strided_copy(%a: memref<4x8xf32>, %c: memref<4x8xf32, strided<[16, 1]>>) {
  linalg.copy ins(%a : memref<4x8xf32>) outs(%c : memref<4x8xf32, strided<[16, 1]>>)
  return
}
func.func @unit_after_rows(%a: memref<7x7x64x1xf32>, %c: memref<7x7x64x1xf32, strided<[896, 128, 1, 1]>>) {
  linalg.copy ins(%a : memref<7x7x64x1xf32>) outs(%c : memref<7x7x64x1xf32, strided<[896, 128, 1, 1]>>)
  return
}
#image = affine_map<(n, h, w, c) -> (n, h, w, c)>
#gate = affine_map<(n, h, w, c) -> (0, 0, 0, c)>
func.func @gate(%x: memref<1x8x8x40xf32>, %g: memref<1x1x1x40xf32>, %y: memref<1x8x8x40xf32>) {
  linalg.generic {indexing_maps = [#image, #gate, #image], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %g : memref<1x8x8x40xf32>, memref<1x1x1x40xf32>) outs(%y : memref<1x8x8x40xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    linalg.yield %p : f32
  }
  return
}

// -----

// Left to LLVM: rows of 128 f32 (512 bytes: its loop is as fast), rows of
// 2 (8 bytes), a transpose that moves the innermost dimension (a gather,
// in 8 x 8 blocks), an exp (a call per lane as vectors; the CPU pipeline
// approximates it with a polynomial earlier), a row with a dynamic
// extent.
// CHECK-LABEL: func.func @long_rows
// CHECK: linalg.transpose
// CHECK-NOT: vector.transfer
// CHECK-LABEL: func.func @short_rows
// CHECK: linalg.transpose
// CHECK-NOT: vector.transfer
// CHECK-LABEL: func.func @gather
// CHECK-NOT: vector.transfer
// CHECK-LABEL: func.func @exp
// CHECK: linalg.exp
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: vector.transfer
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
func.func @exp(%a: memref<4x16xf32>, %c: memref<4x16xf32>) {
  linalg.exp ins(%a : memref<4x16xf32>) outs(%c : memref<4x16xf32>)
  return
}
func.func @dynamic(%a: memref<4x?xf32>, %c: memref<4x?xf32>) {
  linalg.copy ins(%a : memref<4x?xf32>) outs(%c : memref<4x?xf32>)
  return
}

// -----

// Rows before a unit dimension (written into a concat's half, so not
// collapsed as a transpose's loops are) whose body reads a loop's index,
// the unit one's among them: the collapsed op reads the row's loop and
// the unit loop's index is 0.
// CHECK-LABEL: func.func @indexed
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<4x4x64x1xf32, strided<[512, 128, 1, 1]>> into memref<4x4x64xf32, strided<[512, 128, 1]>>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
// CHECK: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK: arith.index_cast %[[ZERO]] : index to i32
// CHECK-NOT: linalg.index 3
#id4 = affine_map<(a, b, c, d) -> (a, b, c, d)>
func.func @indexed(%a: memref<4x4x64x1xf32>, %c: memref<4x4x64x1xf32, strided<[512, 128, 1, 1]>>) {
  linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a : memref<4x4x64x1xf32>) outs(%c : memref<4x4x64x1xf32, strided<[512, 128, 1, 1]>>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 3 : index
    %j = arith.index_cast %i : index to i32
    %f = arith.sitofp %j : i32 to f32
    %y = arith.addf %x, %f : f32
    linalg.yield %y : f32
  }
  return
}
