// A transpose whose output rows are shorter than the CPU's 8 x 8 blocks
// (an NHWC -> NCHW of a 7 x 7 image: loops (n, c, h, w), w of 7) was read
// down a column per element, unblocked (48 us for VGG-11's 7 x 7 x 512; 8
// now). fungible-cpu-parallel-loops makes the loops every operand indexes
// one after the other one loop of a generic op on collapsed views, whose
// rows of H x W elements take blocks (CpuParallelLoops.cpp,
// collapseShortRows); rows that stay short (3 channels) around one long
// loop of pixels LLVM vectorises.
// RUN: fungible-opt %s --split-input-file --fungible-cpu-parallel-loops | FileCheck %s

// The numbers (Inputs/transpose.mlir): the host's code (fungible-run)
// agrees with upstream's lowering of the transposes as loops (inputs of
// 101 distinct values: an element out of place is off by 1/101 or more).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/make_harness.py %S/Inputs/transpose.mlir transposes > %t/h.mlir
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t/loops.txt
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/transpose.mlir transposes %t/in
// RUN: fungible-run %S/Inputs/transpose.mlir --devices=cpu-host --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/result1.npy %t/out/result2.npy %t/out/result3.npy > %t/host.txt
// RUN: %python %S/../../lib/compare_outputs.py %t/loops.txt %t/host.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 71488 values, {{.*}}, 0 mismatches

// VGG-11's: (n, c, hw) = (1, 512, 49), blocks of 8 channels x 8 pixels
// (the last of one pixel), on one thread (25088 elements).
// CHECK-LABEL: func.func @seven_by_seven
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3]] : memref<1x7x7x512xf32> into memref<1x49x512xf32>
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<1x512x7x7xf32> into memref<1x512x49xf32>
// CHECK-NOT: scf.forall
// CHECK: scf.for %{{.*}} = %c0 to %c512 step %c8 {
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c49 step %c8{{.*}} {
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<1x?x8xf32, {{.*}}>) outs(%{{.*}} : memref<1x8x?xf32, {{.*}}>)
// CHECK-NOT: linalg.transpose
func.func @seven_by_seven(%a: memref<1x7x7x512xf32>, %c: memref<1x512x7x7xf32>) {
  linalg.transpose ins(%a : memref<1x7x7x512xf32>) outs(%c : memref<1x512x7x7xf32>) permutation = [0, 3, 1, 2]
  return
}

// -----

// 2^16 elements (4 x 4 x 4096): (n, c, hw) = (1, 4096, 16) on the threads,
// as any transpose: channels in 256 chunks of a line (16), each chunk a
// 16 x 16 transpose in 8 x 8 blocks.
// CHECK-LABEL: func.func @threads
// CHECK: memref.collapse_shape
// CHECK: scf.forall (%{{.*}}) = (0) to (4096) step (16) {
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8 {
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c8{{.*}} {
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<1x8x8xf32, {{.*}}>) outs(%{{.*}} : memref<1x8x8xf32, {{.*}}>)
func.func @threads(%a: memref<1x4x4x4096xf32>, %c: memref<1x4096x4x4xf32>) {
  linalg.transpose ins(%a : memref<1x4x4x4096xf32>) outs(%c : memref<1x4096x4x4xf32>) permutation = [0, 3, 1, 2]
  return
}

// -----

// An image's NCHW -> NHWC of 3 channels (the torchvision models' input):
// its rows of 3 stay short, but the image's pixels become one loop of
// 1024, which LLVM vectorises as interleaving stores; nothing blocked.
// CHECK-LABEL: func.func @three_channels
// CHECK-DAG: memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<1x3x32x32xf32> into memref<1x3x1024xf32>
// CHECK-DAG: memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3]] : memref<1x32x32x3xf32> into memref<1x1024x3xf32>
// CHECK-NOT: scf.for
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<1x3x1024xf32>) outs(%{{.*}} : memref<1x1024x3xf32>)
func.func @three_channels(%a: memref<1x3x32x32xf32>, %c: memref<1x32x32x3xf32>) {
  linalg.transpose ins(%a : memref<1x3x32x32xf32>) outs(%c : memref<1x32x32x3xf32>) permutation = [0, 2, 3, 1]
  return
}

// -----

// Rows of 8 or more are blocked as they are: no collapse (a 56 x 56 image,
// tests/targets/cpu/passes.mlir); nor when no two loops are contiguous in
// every operand (a 2-D transpose of 512 x 4: rows of 4, nothing to merge).
// CHECK-LABEL: func.func @long_rows
// CHECK-NOT: memref.collapse_shape
// CHECK: linalg.transpose
// CHECK-LABEL: func.func @nothing_to_merge
// CHECK-NOT: memref.collapse_shape
// CHECK: linalg.transpose
func.func @long_rows(%a: memref<1x8x8x64xf32>, %c: memref<1x64x8x8xf32>) {
  linalg.transpose ins(%a : memref<1x8x8x64xf32>) outs(%c : memref<1x64x8x8xf32>) permutation = [0, 3, 1, 2]
  return
}
func.func @nothing_to_merge(%a: memref<4x512xf32>, %c: memref<512x4xf32>) {
  linalg.transpose ins(%a : memref<4x512xf32>) outs(%c : memref<512x4xf32>) permutation = [1, 0]
  return
}
