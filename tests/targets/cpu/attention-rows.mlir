// An attention whose scores exceed 1 MiB is computed in tiles of query
// rows (fungible-cpu-tile-attention-rows): 2 heads x 512 rows x 512 keys of
// f32 are 2 MiB; 256 rows of 512 scores are 512 KiB, so an scf.forall of
// 2 x 2 tiles, each computing its rows' scores, their scaling and causal
// mask, the softmax's passes and the product with V. K^T is computed once,
// outside (every tile reads all of it).
// RUN: fungible-opt %s --split-input-file --convert-wl-to-linalg --fungible-cpu-tile-attention-rows | FileCheck %s

// The numbers (Inputs/attention-rows.mlir): upstream's lowering of the
// tiled attentions prints what it prints of the whole ones, and the host's
// code (fungible-run) agrees with both.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/make_harness.py %S/Inputs/attention-rows.mlir rows > %t/h.mlir
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t/whole.txt
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg -fungible-cpu-tile-attention-rows %reference-lowering | %run-harness > %t/tiled.txt
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg -fungible-cpu-tile-attention-rows | FileCheck %s --check-prefix=TILED
// TILED-COUNT-2: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 512) step (1, 256)
// TILED: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 1024) step (1, 256)
// TILED: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (8, 256) step (1, 128)
// RUN: %python %S/../../lib/compare_outputs.py %t/whole.txt %t/tiled.txt --rtol 0 --atol 0 | FileCheck %s --check-prefix=SAME
// SAME: compared 196608 values, max abs error 0
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/attention-rows.mlir rows %t/in
// RUN: fungible-run %S/Inputs/attention-rows.mlir --devices=cpu-host --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/result1.npy %t/out/result2.npy %t/out/result3.npy > %t/host.txt
// RUN: %python %S/../../lib/compare_outputs.py %t/whole.txt %t/host.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 196608 values, {{.*}}, 0 mismatches

// CHECK-LABEL: func.func @causal
// CHECK: %[[KT:[a-z0-9_]+]] = linalg.transpose ins(%arg1 : tensor<2x512x32xf32>)
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %[[R:[a-z0-9_]+]]) = (0, 0) to (2, 512) step (1, 256)
// CHECK: tensor.extract_slice %arg0[%[[B]], %[[R]], 0] [1, 256, 32]
// CHECK: tensor.extract_slice %[[KT]][%[[B]], 0, 0] [1, 32, 512]
// CHECK-COUNT-2: linalg.batch_matmul
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[B]], %[[R]], 0] [1, 256, 32]
// CHECK-NOT: linalg.
// CHECK: return
func.func @causal(%q: tensor<2x512x32xf32>, %k: tensor<2x512x32xf32>, %v: tensor<2x512x32xf32>) -> tensor<2x512x32xf32> {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  return %0 : tensor<2x512x32xf32>
}

// -----

// Normalised after the product: the tile ends with the rows' scaling.
// CHECK-LABEL: func.func @late
// CHECK: scf.forall
// CHECK-COUNT-2: linalg.batch_matmul
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: tensor.parallel_insert_slice
func.func @late(%q: tensor<2x512x32xf32>, %k: tensor<2x512x32xf32>, %v: tensor<2x512x32xf32>) -> tensor<2x512x32xf32> {
  %0 = wl.attention %q, %k, %v {normalize_after} : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  return %0 : tensor<2x512x32xf32>
}

// -----

// Heads merged after the attention (GPT-2's block: a transpose to
// [rows, heads, D] in the same kernel): the tile ends with the product, the
// transpose reads the tiles' result.
// CHECK-LABEL: func.func @heads_merged
// CHECK: %[[O:[a-z0-9_]+]] = scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 512) step (1, 256)
// CHECK: linalg.transpose ins(%[[O]] : tensor<2x512x32xf32>) outs(%{{.*}} : tensor<512x2x32xf32>) permutation = [1, 0, 2]
func.func @heads_merged(%q: tensor<2x512x32xf32>, %k: tensor<2x512x32xf32>, %v: tensor<2x512x32xf32>) -> tensor<512x2x32xf32> {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<2x512x32xf32> -> tensor<512x2x32xf32>
  return %1 : tensor<512x2x32xf32>
}

// -----

// Two attentions in a row (the first one's output the second one's
// queries): one chain, tiled once by its end, the first attention fused
// into the second one's tiles.
// CHECK-LABEL: func.func @chained
// CHECK: scf.forall
// CHECK-COUNT-4: linalg.batch_matmul
// CHECK-NOT: scf.forall (
// CHECK: return
func.func @chained(%q: tensor<2x512x32xf32>, %k: tensor<2x512x32xf32>, %v: tensor<2x512x32xf32>) -> tensor<2x512x32xf32> {
  %0 = wl.attention %q, %k, %v : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  %1 = wl.attention %0, %k, %v : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  return %1 : tensor<2x512x32xf32>
}

// -----

// 2 x 256 x 256 scores are 512 KiB: they stay in cache whole.
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.forall
func.func @small(%q: tensor<2x256x32xf32>, %k: tensor<2x256x32xf32>, %v: tensor<2x256x32xf32>) -> tensor<2x256x32xf32> {
  %0 = wl.attention %q, %k, %v : (tensor<2x256x32xf32>, tensor<2x256x32xf32>, tensor<2x256x32xf32>) -> tensor<2x256x32xf32>
  return %0 : tensor<2x256x32xf32>
}

// -----

// The softmax's probabilities are also returned: they would be computed
// whole as well as in the tiles, so nothing is tiled.
// CHECK-LABEL: func.func @probabilities_returned
// CHECK-NOT: scf.forall
func.func @probabilities_returned(%q: tensor<2x512x32xf32>, %kt: tensor<2x32x512xf32>, %v: tensor<2x512x32xf32>) -> (tensor<2x512x32xf32>, tensor<2x512x512xf32>) {
  %s = wl.batch_matmul %q, %kt : (tensor<2x512x32xf32>, tensor<2x32x512xf32>) -> tensor<2x512x512xf32>
  %p = wl.softmax %s axis = 2 : tensor<2x512x512xf32>
  %o = wl.batch_matmul %p, %v : (tensor<2x512x512xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  return %o, %p : tensor<2x512x32xf32>, tensor<2x512x512xf32>
}

// -----

// The same unfused (scores, softmax, product) as three ops: tiled alike,
// the softmax's passes (max, exponentials, sum, division) in the tile.
// CHECK-LABEL: func.func @unfused
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 512) step (1, 256)
// CHECK: linalg.batch_matmul
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: linalg.batch_matmul
// CHECK: tensor.parallel_insert_slice
func.func @unfused(%q: tensor<2x512x32xf32>, %kt: tensor<2x32x512xf32>, %v: tensor<2x512x32xf32>) -> tensor<2x512x32xf32> {
  %s = wl.batch_matmul %q, %kt : (tensor<2x512x32xf32>, tensor<2x32x512xf32>) -> tensor<2x512x512xf32>
  %p = wl.softmax %s axis = 2 : tensor<2x512x512xf32>
  %o = wl.batch_matmul %p, %v : (tensor<2x512x512xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  return %o : tensor<2x512x32xf32>
}

// -----

// Grouped-query (4 query heads share each of 2 K/V heads): wl-to-linalg
// folds a group's heads into the products' rows ([2, 4 x 256, 32]) and
// reshapes the scores to [2, 4, 256, 256] between them. A tile of 256 of
// the 1024 merged rows is one head's rows (delinearized), so the whole
// chain, reshapes and the mask's rows included, is in the tile; K^T is
// transposed once, outside.
// CHECK-LABEL: func.func @grouped
// CHECK: %[[KT:[a-z0-9_]+]] = linalg.transpose ins(%arg1 : tensor<2x1x256x32xf32>)
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %[[R:[a-z0-9_]+]]) = (0, 0) to (2, 1024) step (1, 256)
// CHECK: %[[HR:[a-z0-9_]+]]:2 = affine.delinearize_index %[[R]] into (4, 256)
// CHECK: tensor.extract_slice %[[KT]][%[[B]], 0, 0, 0] [1, 1, 32, 256]
// CHECK: linalg.batch_matmul
// CHECK: tensor.extract_slice %arg3[%[[HR]]#1, 0] [256, 256]
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: linalg.batch_matmul
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[B]], %[[R]], 0] [1, 256, 32]
// CHECK-NOT: linalg.
// CHECK: tensor.expand_shape
// CHECK-NEXT: return
func.func @grouped(%q: tensor<2x4x256x32xf32>, %k: tensor<2x1x256x32xf32>, %v: tensor<2x1x256x32xf32>, %mask: tensor<256x256xf32>) -> tensor<2x4x256x32xf32> {
  %0 = wl.attention %q, %k, %v mask %mask {scale = 0.17677669529663687 : f64} : (tensor<2x4x256x32xf32>, tensor<2x1x256x32xf32>, tensor<2x1x256x32xf32>, tensor<256x256xf32>) -> tensor<2x4x256x32xf32>
  return %0 : tensor<2x4x256x32xf32>
}

// -----

// 4-D heads, each with its own K and V: batch and heads merged into the
// products' batch ([8, 256, 32]), tiles of one head's 128 rows; K^T is
// transposed once, outside.
// CHECK-LABEL: func.func @heads4d
// CHECK: %[[KT:[a-z0-9_]+]] = linalg.transpose ins(%arg1 : tensor<2x4x256x32xf32>)
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %{{.*}}) = (0, 0) to (8, 256) step (1, 128)
// CHECK: affine.delinearize_index %[[B]] into (2, 4)
// CHECK: tensor.extract_slice %[[KT]][%{{.*}}#0, %{{.*}}#1, 0, 0] [1, 1, 32, 256]
// CHECK-COUNT-2: linalg.batch_matmul
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: linalg.
// CHECK: return
func.func @heads4d(%q: tensor<2x4x256x32xf32>, %k: tensor<2x4x256x32xf32>, %v: tensor<2x4x256x32xf32>) -> tensor<2x4x256x32xf32> {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<2x4x256x32xf32>, tensor<2x4x256x32xf32>, tensor<2x4x256x32xf32>) -> tensor<2x4x256x32xf32>
  return %0 : tensor<2x4x256x32xf32>
}

// -----

// Grouped-query with 48 rows a head: the 384 merged rows' tile (128) would
// straddle heads, so nothing is tiled.
// CHECK-LABEL: func.func @grouped_straddling
// CHECK-NOT: scf.forall
func.func @grouped_straddling(%q: tensor<2x8x48x32xf32>, %k: tensor<2x1x512x32xf32>, %v: tensor<2x1x512x32xf32>) -> tensor<2x8x48x32xf32> {
  %0 = wl.attention %q, %k, %v : (tensor<2x8x48x32xf32>, tensor<2x1x512x32xf32>, tensor<2x1x512x32xf32>) -> tensor<2x8x48x32xf32>
  return %0 : tensor<2x8x48x32xf32>
}
