// RUN: fungible-opt %s -wl-import | FileCheck %s
// Each function computes what the upstream lowering of it computes.
// RUN: rm -rf %t && mkdir -p %t
// RUN: for f in scores weighted dot; do \
// RUN:   %python %S/../../lib/make_harness.py %s $f > %t/$f.mlir && \
// RUN:   fungible-opt %t/$f.mlir %reference-lowering | %run-harness > %t/$f.ref && \
// RUN:   fungible-opt %t/$f.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/$f.out && \
// RUN:   %python %S/../../lib/compare_outputs.py %t/$f.ref %t/$f.out || exit 1; done | FileCheck %s --check-prefix=SAME
// SAME: compared 128 values, {{.*}}, 0 mismatches
// SAME: compared 64 values, {{.*}}, 0 mismatches
// SAME: compared 1 values, {{.*}}, 0 mismatches

// Contractions with a side of no dims of its own are matmuls with a side
// of 1 (not a product and a sum), and the operands go in the order that
// keeps their innermost dims where they are.

// A query row per head against a cache's rows [T, H, D]: as C = A B the
// cache would be transposed to [H, D, T] (its innermost dim moved, a copy
// of its own); as C^T = B^T A^T it is read [H, T, D] (the heads' order
// only, which a batch matmul takes in place) times the query's column.
// CHECK-LABEL: @scores(
// CHECK-SAME:      %[[Q:.*]]: tensor<4x16xf32>, %[[K:.*]]: tensor<32x4x16xf32>)
// CHECK-NEXT:    %[[KT:.*]] = wl.transpose %[[K]] perm = [1, 0, 2] : tensor<32x4x16xf32> -> tensor<4x32x16xf32>
// CHECK-NEXT:    %[[QC:.*]] = wl.reshape %[[Q]] : tensor<4x16xf32> -> tensor<4x16x1xf32>
// CHECK-NEXT:    %[[S:.*]] = wl.batch_matmul %[[KT]], %[[QC]] : (tensor<4x32x16xf32>, tensor<4x16x1xf32>) -> tensor<4x32x1xf32>
// CHECK-NEXT:    wl.reshape %[[S]] : tensor<4x32x1xf32> -> tensor<4x32xf32>
#q = affine_map<(h, t, d) -> (h, d)>
#k = affine_map<(h, t, d) -> (t, h, d)>
#s = affine_map<(h, t, d) -> (h, t)>
func.func @scores(%q: tensor<4x16xf32>, %k: tensor<32x4x16xf32>) -> tensor<4x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x32xf32>) -> tensor<4x32xf32>
  %r = linalg.generic {indexing_maps = [#q, #k, #s], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<4x16xf32>, tensor<32x4x16xf32>) outs(%f : tensor<4x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %n = arith.addf %acc, %p : f32
    linalg.yield %n : f32
  } -> tensor<4x32xf32>
  return %r : tensor<4x32xf32>
}

// The weighted sum of the cache's rows: C = A B keeps both innermost dims.
// CHECK-LABEL: @weighted(
// CHECK-SAME:      %[[W:.*]]: tensor<4x32xf32>, %[[V:.*]]: tensor<32x4x16xf32>)
// CHECK-NEXT:    %[[WR:.*]] = wl.reshape %[[W]] : tensor<4x32xf32> -> tensor<4x1x32xf32>
// CHECK-NEXT:    %[[VT:.*]] = wl.transpose %[[V]] perm = [1, 0, 2] : tensor<32x4x16xf32> -> tensor<4x32x16xf32>
// CHECK-NEXT:    %[[O:.*]] = wl.batch_matmul %[[WR]], %[[VT]] : (tensor<4x1x32xf32>, tensor<4x32x16xf32>) -> tensor<4x1x16xf32>
// CHECK-NEXT:    wl.reshape %[[O]] : tensor<4x1x16xf32> -> tensor<4x16xf32>
#p = affine_map<(h, d, t) -> (h, t)>
#v = affine_map<(h, d, t) -> (t, h, d)>
#o = affine_map<(h, d, t) -> (h, d)>
func.func @weighted(%w: tensor<4x32xf32>, %v: tensor<32x4x16xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = linalg.generic {indexing_maps = [#p, #v, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %v : tensor<4x32xf32>, tensor<32x4x16xf32>) outs(%f : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %n = arith.addf %acc, %p : f32
    linalg.yield %n : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// A dot product: a row times a column.
// CHECK-LABEL: @dot(
// CHECK:         wl.matmul %{{.*}}, %{{.*}} : (tensor<1x64xf32>, tensor<64x1xf32>) -> tensor<1x1xf32>
func.func @dot(%a: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(j) -> (j)>, affine_map<(j) -> (j)>, affine_map<(j) -> ()>], iterator_types = ["reduction"]}
      ins(%a, %b : tensor<64xf32>, tensor<64xf32>) outs(%f : tensor<f32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %n = arith.addf %acc, %m : f32
    linalg.yield %n : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}
