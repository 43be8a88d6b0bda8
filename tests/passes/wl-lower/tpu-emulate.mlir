// Numeric tests of the TPU family's host emulator: each function is
// lowered to mxu programs (`wl-lower{target=... emulate}`: mxu -> loops on
// memref views -> LLVM), run on deterministic inputs, and compared with the
// reference lowering (%lower-to-llvm: wl -> linalg -> loops) of the same
// function. A 1 MB-VMEM spec makes the tiles small (128x128 for f32) so
// that every program has several tiles, ragged edges and K steps.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: for f in mm_f32 bmm_f32 ew_f32 bias_softmax mm_i8; do \
// RUN:   %python %S/../../lib/make_harness.py %s $f > %t/$f.mlir && \
// RUN:   fungible-opt %t/$f.mlir --wl-lower="target=tpu-small target-specs=%S/Inputs/tpu-small-vmem.json emulate" | %run-harness > %t/$f.tpu && \
// RUN:   fungible-opt %t/$f.mlir %lower-to-llvm | %run-harness > %t/$f.ref && \
// RUN:   %python %S/../../lib/compare_outputs.py %t/$f.ref %t/$f.tpu --rtol 0 --atol 0 >> %t/report.txt || exit 1; done
// RUN: FileCheck %s --check-prefix=SAME < %t/report.txt
//
// f32 products accumulate in f32 in the same K order in both: equal to the
// last bit. Elementwise, broadcast and reductions likewise.
// SAME: compared 52000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 48000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 12000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 2000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 3000 values, max abs error 0, 0 mismatches
//
// bf16: the MXU accumulates in f32 and rounds once; the reference is the
// f32 product of the same bf16 inputs, rounded to bf16 (equal to the bit).
// RUN: %python %S/../../lib/make_harness.py %s mm_bf16 > %t/bf16.mlir
// RUN: fungible-opt %t/bf16.mlir --wl-lower="target=tpu-small target-specs=%S/Inputs/tpu-small-vmem.json emulate" | %run-harness > %t/bf16.tpu
// RUN: %python %S/../../lib/make_harness.py %s mm_bf16_reference > %t/bf16-ref.mlir
// RUN: fungible-opt %t/bf16-ref.mlir %lower-to-llvm | %run-harness > %t/bf16.ref
// RUN: %python %S/../../lib/compare_outputs.py %t/bf16.ref %t/bf16.tpu --rtol 0 --atol 0 | FileCheck %s --check-prefix=BF16
// BF16: compared 52000 values, max abs error 0, 0 mismatches
//
// On the real v5p spec (2048-wide tiles: one tile, one K step) the result
// is the same.
// RUN: fungible-opt %t/mm_f32.mlir --wl-lower="target=tpu-v5p emulate" | %run-harness > %t/v5p.tpu
// RUN: %python %S/../../lib/compare_outputs.py %t/mm_f32.ref %t/v5p.tpu --rtol 0 --atol 0 | FileCheck %s --check-prefix=V5P
// V5P: compared 52000 values, max abs error 0, 0 mismatches

func.func @mm_f32(%a: tensor<200x300xf32>, %b: tensor<300x260xf32>) -> tensor<200x260xf32> {
  %c = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  return %c : tensor<200x260xf32>
}

func.func @bmm_f32(%a: tensor<3x40x200xf32>, %b: tensor<3x200x400xf32>) -> tensor<3x40x400xf32> {
  %c = wl.batch_matmul %a, %b : (tensor<3x40x200xf32>, tensor<3x200x400xf32>) -> tensor<3x40x400xf32>
  return %c : tensor<3x40x400xf32>
}

func.func @ew_f32(%a: tensor<4x10x300xf32>, %b: tensor<4x10x300xf32>) -> tensor<4x10x300xf32> {
  %c = wl.add %a, %b : (tensor<4x10x300xf32>, tensor<4x10x300xf32>) -> tensor<4x10x300xf32>
  %d = wl.exp %c : tensor<4x10x300xf32>
  %e = wl.mul %d, %a : (tensor<4x10x300xf32>, tensor<4x10x300xf32>) -> tensor<4x10x300xf32>
  return %e : tensor<4x10x300xf32>
}

func.func @bias_softmax(%a: tensor<20x100xf32>, %bias: tensor<100xf32>) -> tensor<20x100xf32> {
  %c = wl.add %a, %bias : (tensor<20x100xf32>, tensor<100xf32>) -> tensor<20x100xf32>
  %d = wl.softmax %c axis = 1 : tensor<20x100xf32>
  return %d : tensor<20x100xf32>
}

func.func @mm_i8(%a: tensor<30x300xi8>, %b: tensor<300x100xi8>) -> tensor<30x100xf32> {
  %c = wl.matmul %a, %b : (tensor<30x300xi8>, tensor<300x100xi8>) -> tensor<30x100xi32>
  %f = wl.cast %c : tensor<30x100xi32> -> tensor<30x100xf32>
  return %f : tensor<30x100xf32>
}

func.func @mm_bf16(%a: tensor<200x300xbf16>, %b: tensor<300x260xbf16>) -> tensor<200x260xbf16> {
  %c = wl.matmul %a, %b : (tensor<200x300xbf16>, tensor<300x260xbf16>) -> tensor<200x260xbf16>
  return %c : tensor<200x260xbf16>
}

func.func @mm_bf16_reference(%a: tensor<200x300xbf16>, %b: tensor<300x260xbf16>) -> tensor<200x260xbf16> {
  %a32 = wl.cast %a : tensor<200x300xbf16> -> tensor<200x300xf32>
  %b32 = wl.cast %b : tensor<300x260xbf16> -> tensor<300x260xf32>
  %c = wl.matmul %a32, %b32 : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  %c16 = wl.cast %c : tensor<200x260xf32> -> tensor<200x260xbf16>
  return %c16 : tensor<200x260xbf16>
}
