// RUN: %python %S/../../lib/make_harness.py %s bert > %t.bert.mlir
// RUN: fungible-opt %t.bert.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.bert.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b --rtol 0 --atol 0 | FileCheck %s --check-prefix=SAME
// RUN: fungible-opt %s -wl-import | FileCheck %s

// An attention written out (Q K^T, a scale, an additive mask, a softmax
// over the keys, the product with V; reshapes of the batch dimensions
// between them) is imported as one wl.attention, priced and lowered with
// its scores on chip. It computes the same numbers: wl-to-linalg lowers
// it to the same products, the scaled score plus the mask and the same
// softmax (the harness fills every input from its elements' indices, so
// a swapped operand would show). 2 heads x 8 rows x 4 = 64 values:
// SAME: compared 64 values, max abs error 0, 0 mismatches

// BERT's form (torch-mlir through linalg generics, 4-D scores with a unit
// dimension): the scale and the mask in one generic, the softmax written
// out over the 4-D scores. The mask (8 x 8) broadcasts over the heads.
// CHECK-LABEL: func.func @bert
// CHECK: %[[Q:.*]] = wl.reshape %arg0 : tensor<2x1x8x4xf32> -> tensor<2x8x4xf32>
// CHECK: %[[A:.*]] = wl.attention %[[Q]], %arg1, %arg2 mask %arg3 {scale = 1.250000e-01 : f64} : (tensor<2x8x4xf32>, tensor<2x8x4xf32>, tensor<2x8x4xf32>, tensor<8x8xf32>) -> tensor<2x8x4xf32>
// CHECK-NOT: wl.softmax
// CHECK-NOT: wl.batch_matmul
// CHECK: return
func.func @bert(%q: tensor<2x1x8x4xf32>, %k: tensor<2x8x4xf32>, %v: tensor<2x8x4xf32>, %mask: tensor<8x8xf32>) -> tensor<2x1x8x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<2x1x8x8xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<2x1x8x8xf32>) -> tensor<2x1x8x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<2x1x8x4xf32>, tensor<2x8x4xf32>) outs(%f0 : tensor<2x1x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %o, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x1x8x8xf32>
  %c = arith.constant 1.250000000e-01 : f32
  %e1 = tensor.empty() : tensor<2x1x8x8xf32>
  %x = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s, %mask : tensor<2x1x8x8xf32>, tensor<8x8xf32>) outs(%e1 : tensor<2x1x8x8xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %sc = arith.mulf %a, %c : f32
    %r = arith.addf %sc, %m : f32
    linalg.yield %r : f32
  } -> tensor<2x1x8x8xf32>
  %low = arith.constant -3.402823466e+38 : f32
  %e2 = tensor.empty() : tensor<2x1x8x1xf32>
  %f2 = linalg.fill ins(%low : f32) outs(%e2 : tensor<2x1x8x1xf32>) -> tensor<2x1x8x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x : tensor<2x1x8x8xf32>) outs(%f2 : tensor<2x1x8x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<2x1x8x1xf32>
  %e3 = tensor.empty() : tensor<2x1x8x8xf32>
  %ex = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %max : tensor<2x1x8x8xf32>, tensor<2x1x8x1xf32>) outs(%e3 : tensor<2x1x8x8xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %r = math.exp %d : f32
    linalg.yield %r : f32
  } -> tensor<2x1x8x8xf32>
  %e4 = tensor.empty() : tensor<2x1x8x1xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x1x8x1xf32>) -> tensor<2x1x8x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%ex : tensor<2x1x8x8xf32>) outs(%f4 : tensor<2x1x8x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<2x1x8x1xf32>
  %e5 = tensor.empty() : tensor<2x1x8x8xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ex, %sum : tensor<2x1x8x8xf32>, tensor<2x1x8x1xf32>) outs(%e5 : tensor<2x1x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<2x1x8x8xf32>
  %e6 = tensor.empty() : tensor<2x1x8x4xf32>
  %f6 = linalg.fill ins(%zero : f32) outs(%e6 : tensor<2x1x8x4xf32>) -> tensor<2x1x8x4xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%p, %v : tensor<2x1x8x8xf32>, tensor<2x8x4xf32>) outs(%f6 : tensor<2x1x8x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %o, %m : f32
    linalg.yield %r : f32
  } -> tensor<2x1x8x4xf32>
  return %o : tensor<2x1x8x4xf32>
}

