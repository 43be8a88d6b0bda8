// RUN: rm -rf %t && mkdir -p %t
// RUN: for f in late_scaled late_position; do \
// RUN:   %python %S/../../lib/make_harness.py %s $f > %t/$f.mlir && \
// RUN:   fungible-opt %t/$f.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t/$f.a && \
// RUN:   fungible-opt %t/$f.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/$f.b && \
// RUN:   %python %S/../../lib/compare_outputs.py %t/$f.a %t/$f.b --rtol 0 --atol 0 >> %t/same.txt || exit 1; done
// RUN: FileCheck %s --check-prefix=SAME < %t/same.txt
// RUN: fungible-opt %s -wl-import | FileCheck %s
// RUN: fungible-opt %s -wl-import -wl-outline-kernels --wl-compile=targets=tpu-v5p -o %t/tpu.mlir
// RUN: %python %S/../../lib/count_programs.py %t/tpu.mlir tpu-v5p | FileCheck %s --check-prefix=ONE
// RUN: fungible-opt %s -wl-import -wl-outline-kernels --wl-compile=targets=trn2 -o %t/trn.mlir
// RUN: %python %S/../../lib/count_programs.py %t/trn.mlir trn2 | FileCheck %s --check-prefix=ONE
// RUN: fungible-opt %s -wl-import -wl-outline-kernels --wl-compile=targets=h100 -o %t/gpu.mlir
// RUN: %python %S/../../lib/count_programs.py %t/gpu.mlir h100 | FileCheck %s --check-prefix=ONE

// Attention normalised after the product with V, as FlashAttention and a
// decode step's loops compute it: E = exp(X - max X) over the keys, then
// (E V) * (1 / sum E) per row. wl-import fuses it into one
// `wl.attention {normalize_after}`, which wl-to-linalg lowers to the same
// sums and products in the same order: before and after, equal to the
// bit. One program per kernel on the TPU, on Trainium and on the GPU (the
// program stores the rows' reciprocals, and the product's epilogue
// multiplies its tiles by them).
// SAME: compared 192 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 48 values, max abs error 0, 0 mismatches
// ONE: 2 kernels: 2 one program, 0 none (views only), 0 more:

// Q K^T scaled by 1/8 (K read transposed).
// CHECK-LABEL: func.func @late_scaled
// CHECK: wl.attention %arg0, %arg1, %arg2 {normalize_after, scale = 1.250000e-01 : f64} : (tensor<2x8x16xf32>, tensor<2x40x16xf32>, tensor<2x40x12xf32>) -> tensor<2x8x12xf32>
// CHECK-NOT: wl.batch_matmul
// CHECK-NOT: wl.exp
func.func @late_scaled(%q: tensor<2x8x16xf32>, %k: tensor<2x40x16xf32>, %v: tensor<2x40x12xf32>) -> tensor<2x8x12xf32> {
  %s = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x8x16xf32>, tensor<2x40x16xf32>) -> tensor<2x8x40xf32>
  %c = arith.constant dense<0.125> : tensor<f32>
  %x = wl.mul %s, %c : (tensor<2x8x40xf32>, tensor<f32>) -> tensor<2x8x40xf32>
  %m = wl.reduce max %x dims = [2] : tensor<2x8x40xf32> -> tensor<2x8xf32>
  %mr = wl.reshape %m : tensor<2x8xf32> -> tensor<2x8x1xf32>
  %d = wl.sub %x, %mr : (tensor<2x8x40xf32>, tensor<2x8x1xf32>) -> tensor<2x8x40xf32>
  %e = wl.exp %d : tensor<2x8x40xf32>
  %sum = wl.reduce sum %e dims = [2] : tensor<2x8x40xf32> -> tensor<2x8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %inv = wl.div %one, %sum : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %ir = wl.reshape %inv : tensor<2x8xf32> -> tensor<2x8x1xf32>
  %o = wl.batch_matmul %e, %v : (tensor<2x8x40xf32>, tensor<2x40x12xf32>) -> tensor<2x8x12xf32>
  %y = wl.mul %o, %ir : (tensor<2x8x12xf32>, tensor<2x8x1xf32>) -> tensor<2x8x12xf32>
  return %y : tensor<2x8x12xf32>
}

// The decode step's form (what wl-raise-buffer-loops makes of its loops):
// the cache's rows times the query (the keys as the product's rows), the
// scaling and the mask of the keys after the position in one generic,
// then the same normalisation; per head one query row. The attention is
// causal at the position's offset: the key j is masked when j >u pos,
// as the generic compares. (make_harness.py gives the position 5.)
// CHECK-LABEL: func.func @late_position
// CHECK-SAME: %[[POS:arg3]]: index
// CHECK: %[[Q:.*]] = wl.reshape %arg1 : tensor<4x16x1xf32> -> tensor<4x1x16xf32>
// CHECK: wl.attention %[[Q]], %arg0, %arg2 offset %[[POS]] {causal, normalize_after, scale = 1.250000e-01 : f64} : (tensor<4x1x16xf32>, tensor<4x40x16xf32>, tensor<4x40x12xf32>, index) -> tensor<4x1x12xf32>
// CHECK-NOT: linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @late_position(%k: tensor<4x40x16xf32>, %q: tensor<4x16x1xf32>, %v: tensor<4x40x12xf32>, %pos: index) -> tensor<4x12xf32> {
  %s3 = wl.batch_matmul %k, %q : (tensor<4x40x16xf32>, tensor<4x16x1xf32>) -> tensor<4x40x1xf32>
  %s = wl.reshape %s3 : tensor<4x40x1xf32> -> tensor<4x40xf32>
  %init = tensor.empty() : tensor<4x40xf32>
  %scale = arith.constant 0.125 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<4x40xf32>) outs(%init : tensor<4x40xf32>) {
  ^bb0(%in: f32, %out: f32):
    %j = linalg.index 1 : index
    %future = arith.cmpi ugt, %j, %pos : index
    %scaled = arith.mulf %in, %scale : f32
    %r = arith.select %future, %ninf, %scaled : f32
    linalg.yield %r : f32
  } -> tensor<4x40xf32>
  %m = wl.reduce max %x dims = [1] : tensor<4x40xf32> -> tensor<4xf32>
  %mr = wl.reshape %m : tensor<4xf32> -> tensor<4x1xf32>
  %d = wl.sub %x, %mr : (tensor<4x40xf32>, tensor<4x1xf32>) -> tensor<4x40xf32>
  %e = wl.exp %d : tensor<4x40xf32>
  %sum = wl.reduce sum %e dims = [1] : tensor<4x40xf32> -> tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %inv = wl.div %one, %sum : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %ir = wl.reshape %inv : tensor<4xf32> -> tensor<4x1xf32>
  %er = wl.reshape %e : tensor<4x40xf32> -> tensor<4x1x40xf32>
  %o3 = wl.batch_matmul %er, %v : (tensor<4x1x40xf32>, tensor<4x40x12xf32>) -> tensor<4x1x12xf32>
  %o = wl.reshape %o3 : tensor<4x1x12xf32> -> tensor<4x12xf32>
  %y = wl.mul %o, %ir : (tensor<4x12xf32>, tensor<4x1xf32>) -> tensor<4x12xf32>
  return %y : tensor<4x12xf32>
}
