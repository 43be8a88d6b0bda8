// An attention whose scores exceed 1 MiB is computed in tiles of query
// rows (fungible-cpu-tile-attention-rows): 2 heads x 512 rows x 512 keys of
// f32 are 2 MiB; 32 rows of 512 scores are 64 KiB, so an scf.forall of
// 2 x 16 tiles, each computing its rows' scores, their scaling and
// causal mask, the softmax's passes and the product with V. K^T is
// computed once, outside (every tile reads all of it).
// RUN: fungible-opt %s --split-input-file --convert-wl-to-linalg --fungible-cpu-tile-attention-rows | FileCheck %s

// The numbers (Inputs/attention-rows.mlir): upstream's lowering of the
// tiled attentions prints what it prints of the whole ones, and the host's
// code (fungible-run) agrees with both.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/make_harness.py %S/Inputs/attention-rows.mlir rows > %t/h.mlir
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t/whole.txt
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg -fungible-cpu-tile-attention-rows %reference-lowering | %run-harness > %t/tiled.txt
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg -fungible-cpu-tile-attention-rows | FileCheck %s --check-prefix=TILED
// TILED-COUNT-2: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 512) step (1, 32)
// RUN: %python %S/../../lib/compare_outputs.py %t/whole.txt %t/tiled.txt --rtol 0 --atol 0 | FileCheck %s --check-prefix=SAME
// SAME: compared 65536 values, max abs error 0
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/attention-rows.mlir rows %t/in
// RUN: fungible-run %S/Inputs/attention-rows.mlir --devices=cpu-host --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/result1.npy > %t/host.txt
// RUN: %python %S/../../lib/compare_outputs.py %t/whole.txt %t/host.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 65536 values, {{.*}}, 0 mismatches

// CHECK-LABEL: func.func @causal
// CHECK: %[[KT:[a-z0-9_]+]] = linalg.transpose ins(%arg1 : tensor<2x512x32xf32>)
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %[[R:[a-z0-9_]+]]) = (0, 0) to (2, 512) step (1, 32)
// CHECK: tensor.extract_slice %arg0[%[[B]], %[[R]], 0] [1, 32, 32]
// CHECK: tensor.extract_slice %[[KT]][%[[B]], 0, 0] [1, 32, 512]
// CHECK-COUNT-2: linalg.batch_matmul
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[B]], %[[R]], 0] [1, 32, 32]
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
// CHECK: %[[O:[a-z0-9_]+]] = scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 512) step (1, 32)
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
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 512) step (1, 32)
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
