// A norm's or softmax's passes over an input of 2^16 elements or more run
// in tiles of rows (fungible-cpu-tile-norm-rows): one scf.forall whose
// tile computes its rows' reductions and the result from them, instead of
// one fork and one pass over the whole input per op. The tile: R rows of
// the innermost row dimension (one of each outer one), the most, a power
// of two dividing it, within 256 KiB, at least two tiles.
// RUN: fungible-opt %s --split-input-file --convert-wl-to-linalg --fungible-cpu-tile-norm-rows | FileCheck %s

// The numbers (Inputs/norm-rows.mlir): upstream's lowering of the tiled
// chains prints what it prints of the whole ones, and the host's code
// (fungible-run) agrees with both.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/make_harness.py %S/Inputs/norm-rows.mlir rows > %t/h.mlir
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t/whole.txt
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg -fungible-cpu-tile-norm-rows %reference-lowering | %run-harness > %t/tiled.txt
// RUN: fungible-opt %t/h.mlir -convert-wl-to-linalg -fungible-cpu-tile-norm-rows | FileCheck %s --check-prefix=TILED
// TILED: scf.forall (%{{.*}}) = (0) to (256) step (128)
// TILED: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (4, 64) step (1, 64)
// TILED: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 128) step (1, 128)
// RUN: %python %S/../../lib/compare_outputs.py %t/whole.txt %t/tiled.txt --rtol 0 --atol 0 | FileCheck %s --check-prefix=SAME
// SAME: compared 327680 values, max abs error 0
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/norm-rows.mlir rows %t/in
// RUN: fungible-run %S/Inputs/norm-rows.mlir --devices=cpu-host --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/result1.npy %t/out/result2.npy > %t/host.txt
// RUN: %python %S/../../lib/compare_outputs.py %t/whole.txt %t/host.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 327680 values, {{.*}}, 0 mismatches

// BERT's layer norm, 128 x 768: tiles of 64 rows (192 KiB), the means,
// the centred rows, their variances and the result in the tile; the
// centred rows computed once (CSE).
// CHECK-LABEL: func.func @layer_norm
// CHECK: scf.forall (%[[R:[a-z0-9_]+]]) = (0) to (128) step (64)
// CHECK: tensor.extract_slice %arg0[%[[R]], 0] [64, 768]
// CHECK: linalg.generic {{.*}}["parallel", "reduction"]
// CHECK: linalg.generic {{.*}}["parallel", "parallel"]
// CHECK: linalg.generic {{.*}}["parallel", "reduction"]
// CHECK: linalg.generic {{.*}}["parallel", "parallel"]
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[R]], 0] [64, 768]
// CHECK-NOT: linalg.
// CHECK: return
func.func @layer_norm(%x: tensor<128x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<128x768xf32> {
  %0 = wl.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f64} : (tensor<128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<128x768xf32>
  return %0 : tensor<128x768xf32>
}

// -----

// The input's producer (a matmul, with its own schedule) is not fused: it
// is computed whole, before the tiles.
// CHECK-LABEL: func.func @after_matmul
// CHECK: %[[MM:[a-z0-9_]+]] = linalg.matmul
// CHECK: scf.forall
// CHECK: tensor.extract_slice %[[MM]]
// CHECK-NOT: linalg.matmul
// CHECK: tensor.parallel_insert_slice
func.func @after_matmul(%a: tensor<128x64xf32>, %w: tensor<64x768xf32>, %g: tensor<768xf32>) -> tensor<128x768xf32> {
  %0 = wl.matmul %a, %w : (tensor<128x64xf32>, tensor<64x768xf32>) -> tensor<128x768xf32>
  %1 = wl.rms_norm %0, %g : (tensor<128x768xf32>, tensor<768xf32>) -> tensor<128x768xf32>
  return %1 : tensor<128x768xf32>
}

// -----

// 64 x 768 is under 2^16 elements: its passes stay whole (and unforked).
// CHECK-LABEL: func.func @small
// CHECK-NOT: scf.forall
func.func @small(%x: tensor<64x768xf32>, %g: tensor<768xf32>) -> tensor<64x768xf32> {
  %0 = wl.rms_norm %x, %g : (tensor<64x768xf32>, tensor<768xf32>) -> tensor<64x768xf32>
  return %0 : tensor<64x768xf32>
}

// -----

// A row sum also returned (linalg as a user writes it): it would be
// computed whole as well as in the tiles, so nothing is tiled.
// CHECK-LABEL: func.func @sum_returned
// CHECK-NOT: scf.forall
func.func @sum_returned(%x: tensor<256x512xf32>) -> (tensor<256x512xf32>, tensor<256xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<256xf32>) -> tensor<256xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<256x512xf32>) outs(%init : tensor<256xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<256xf32>
  %e2 = tensor.empty() : tensor<256x512xf32>
  %d = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<256x512xf32>, tensor<256xf32>) outs(%e2 : tensor<256x512xf32>) {
  ^bb0(%in: f32, %sum: f32, %out: f32):
    %q = arith.divf %in, %sum : f32
    linalg.yield %q : f32
  } -> tensor<256x512xf32>
  return %d, %s : tensor<256x512xf32>, tensor<256xf32>
}

// -----

// The same without the sum returned: tiled.
// CHECK-LABEL: func.func @sum_internal
// CHECK: scf.forall (%{{.*}}) = (0) to (256) step (128)
func.func @sum_internal(%x: tensor<256x512xf32>) -> tensor<256x512xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<256xf32>) -> tensor<256xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<256x512xf32>) outs(%init : tensor<256xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<256xf32>
  %e2 = tensor.empty() : tensor<256x512xf32>
  %d = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<256x512xf32>, tensor<256xf32>) outs(%e2 : tensor<256x512xf32>) {
  ^bb0(%in: f32, %sum: f32, %out: f32):
    %q = arith.divf %in, %sum : f32
    linalg.yield %q : f32
  } -> tensor<256x512xf32>
  return %d : tensor<256x512xf32>
}
