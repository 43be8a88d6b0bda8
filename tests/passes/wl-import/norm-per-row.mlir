// RUN: %python %S/../../lib/make_harness.py %s layer_norm > %t.ln.mlir
// RUN: fungible-opt %t.ln.mlir %reference-lowering | %run-harness > %t.ln.a
// RUN: fungible-opt %t.ln.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.ln.b
// RUN: %python %S/../../lib/compare_outputs.py %t.ln.a %t.ln.b | FileCheck %s
// RUN: %python %S/../../lib/make_harness.py %s near_miss > %t.nm.mlir
// RUN: fungible-opt %t.nm.mlir %reference-lowering | %run-harness > %t.nm.a
// RUN: fungible-opt %t.nm.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.nm.b
// RUN: %python %S/../../lib/compare_outputs.py %t.nm.a %t.nm.b | FileCheck %s
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR
// CHECK: compared 16 values, {{.*}}, 0 mismatches

// A layer norm whose per-row values are computed once a row, over the
// rows alone (the mean sum / n; rsqrt(variance / n + eps)), and read
// broadcast over each row by the centring and the normalisation: as
// convert-wl-to-linalg writes it, and as exporters write it (the rows'
// statistics [rows, 1], broadcast). Raised to one wl.layer_norm.
// IR-LABEL: @layer_norm
// IR: wl.layer_norm %arg0, %arg1, %arg2
// IR-NOT: wl.rsqrt
// IR: return

// The same ops, but the normalisation reads the rows' rsqrt along the
// last dim (map (d1)): each element is scaled by another row's deviation,
// which only a square input allows. Not a norm: it stays as written.
// IR-LABEL: @near_miss(
// IR-NOT: wl.layer_norm
// IR: wl.rsqrt
// IR: return

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
#one = affine_map<(d0) -> (d0)>
func.func @layer_norm(%x: tensor<4x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %n = arith.constant 4.000000e+00 : f32
  %eps = arith.constant 9.99999974E-6 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %e2 = tensor.empty() : tensor<4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x4xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %mean = linalg.generic {indexing_maps = [#one, #one], iterator_types = ["parallel"]} ins(%sum : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.divf %in, %n : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %c = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %mean : tensor<4x4xf32>, tensor<4xf32>) outs(%e2 : tensor<4x4xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %r = arith.subf %in, %m : f32
    linalg.yield %r : f32
  } -> tensor<4x4xf32>
  %sq = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%c : tensor<4x4xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.mulf %in, %in : f32
    %r = arith.addf %out, %s : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %rstd = linalg.generic {indexing_maps = [#one, #one], iterator_types = ["parallel"]} ins(%sq : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = arith.divf %in, %n : f32
    %ve = arith.addf %v, %eps : f32
    %r = math.rsqrt %ve : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #col, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %rstd, %g, %b : tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e2 : tensor<4x4xf32>) {
  ^bb0(%in: f32, %s: f32, %gi: f32, %bi: f32, %out: f32):
    %v = arith.mulf %in, %s : f32
    %w = arith.mulf %v, %gi : f32
    %r = arith.addf %w, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

func.func @near_miss(%x: tensor<4x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %n = arith.constant 4.000000e+00 : f32
  %eps = arith.constant 9.99999974E-6 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %e2 = tensor.empty() : tensor<4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x4xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %mean = linalg.generic {indexing_maps = [#one, #one], iterator_types = ["parallel"]} ins(%sum : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.divf %in, %n : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %c = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %mean : tensor<4x4xf32>, tensor<4xf32>) outs(%e2 : tensor<4x4xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %r = arith.subf %in, %m : f32
    linalg.yield %r : f32
  } -> tensor<4x4xf32>
  %sq = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%c : tensor<4x4xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.mulf %in, %in : f32
    %r = arith.addf %out, %s : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %rstd = linalg.generic {indexing_maps = [#one, #one], iterator_types = ["parallel"]} ins(%sq : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = arith.divf %in, %n : f32
    %ve = arith.addf %v, %eps : f32
    %r = math.rsqrt %ve : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #col, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%c, %rstd, %g, %b : tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e2 : tensor<4x4xf32>) {
  ^bb0(%in: f32, %s: f32, %gi: f32, %bi: f32, %out: f32):
    %v = arith.mulf %in, %s : f32
    %w = arith.mulf %v, %gi : f32
    %r = arith.addf %w, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}
