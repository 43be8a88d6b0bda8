// RUN: fungible-opt %s -wl-import -split-input-file | FileCheck %s

// A named matmul accumulating into a zero fill is one wl.matmul.
// CHECK-LABEL: func.func @named_matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x16xf32>)
// CHECK-NEXT: %[[C:.*]] = wl.matmul %[[A]], %[[B]] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: return %[[C]]
func.func @named_matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %c = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %c : tensor<4x16xf32>
}

// -----

// Accumulating into a tensor that is not zero: one wl.matmul with that
// tensor as its accumulator (2*M*N*K FLOPs, as linalg computes it), no add.
// CHECK-LABEL: func.func @accumulate
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x16xf32>, %[[C:.*]]: tensor<4x16xf32>)
// CHECK-NEXT: %[[M:.*]] = wl.matmul %[[A]], %[[B]] acc %[[C]] : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: return %[[M]]
func.func @accumulate(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// A generic A^T B with bf16 inputs and an f32 accumulator: the transpose
// raising makes becomes the matmul's transpose_lhs.
#a = affine_map<(m, n, k) -> (k, m)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @generic_transposed
// CHECK-SAME: (%[[A:.*]]: tensor<8x4xbf16>, %[[B:.*]]: tensor<8x16xbf16>)
// CHECK-NOT: wl.transpose
// CHECK: wl.matmul %[[A]], %[[B]] {transpose_lhs} : (tensor<8x4xbf16>, tensor<8x16xbf16>) -> tensor<4x16xf32>
// CHECK-NOT: linalg.generic
func.func @generic_transposed(%a: tensor<8x4xbf16>, %b: tensor<8x16xbf16>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x4xbf16>, tensor<8x16xbf16>) outs(%f : tensor<4x16xf32>) {
  ^bb0(%x: bf16, %y: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// Two batch dims and a permuted output (BERT's softmax(QK^T) x V): batch
// dims are collapsed into one batch_matmul and the layout restored.
#q = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#v = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1, d4)>
#o = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, d4)>
// CHECK-LABEL: func.func @multi_batch
// CHECK: %[[Q3:.*]] = wl.reshape %{{.*}} : tensor<2x3x4x5xf32> -> tensor<6x4x5xf32>
// CHECK: %[[VT:.*]] = wl.transpose %{{.*}} perm = [0, 2, 1, 3] : tensor<2x5x3x7xf32> -> tensor<2x3x5x7xf32>
// CHECK: %[[V3:.*]] = wl.reshape %[[VT]] : tensor<2x3x5x7xf32> -> tensor<6x5x7xf32>
// CHECK: %[[BM:.*]] = wl.batch_matmul %[[Q3]], %[[V3]] : (tensor<6x4x5xf32>, tensor<6x5x7xf32>) -> tensor<6x4x7xf32>
// CHECK: %[[R4:.*]] = wl.reshape %[[BM]] : tensor<6x4x7xf32> -> tensor<2x3x4x7xf32>
// CHECK: wl.transpose %[[R4]] perm = [0, 2, 1, 3] : tensor<2x3x4x7xf32> -> tensor<2x4x3x7xf32>
func.func @multi_batch(%p: tensor<2x3x4x5xf32>, %v: tensor<2x5x3x7xf32>, %out: tensor<2x4x3x7xf32>) -> tensor<2x4x3x7xf32> {
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%out : tensor<2x4x3x7xf32>) -> tensor<2x4x3x7xf32>
  %r = linalg.generic {indexing_maps = [#q, #v, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]}
      ins(%p, %v : tensor<2x3x4x5xf32>, tensor<2x5x3x7xf32>) outs(%f : tensor<2x4x3x7xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4x3x7xf32>
  return %r : tensor<2x4x3x7xf32>
}

// -----

// Looks like a matmul but is not: the body subtracts. It must not be
// raised to wl.matmul; with a reduction it stays an opaque kernel.
#a2 = affine_map<(m, n, k) -> (m, k)>
#b2 = affine_map<(m, n, k) -> (k, n)>
#c2 = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @not_a_matmul
// CHECK-NOT: wl.matmul
// CHECK: wl.opaque "linalg.generic"
// CHECK: arith.subf
func.func @not_a_matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.generic {indexing_maps = [#a2, #b2, #c2], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.subf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    %t = arith.mulf %s, %s : f32
    linalg.yield %t : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// Multiply-accumulate maps that are not a matmul (B has no k dim): it is
// raised as what it is, sum_k a[m, k] * b[n], never as a wl.matmul.
#a3 = affine_map<(m, n, k) -> (m, k)>
#b3 = affine_map<(m, n, k) -> (n)>
#c3 = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @wrong_maps
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<16xf32>, %[[C:.*]]: tensor<4x16xf32>)
// CHECK-NOT: wl.matmul
// CHECK: %[[A3:.*]] = wl.reshape %[[A]] : tensor<4x8xf32> -> tensor<4x1x8xf32>
// CHECK: %[[B3:.*]] = wl.reshape %[[B]] : tensor<16xf32> -> tensor<1x16x1xf32>
// CHECK: %[[P:.*]] = wl.mul %[[A3]], %[[B3]] : (tensor<4x1x8xf32>, tensor<1x16x1xf32>) -> tensor<4x16x8xf32>
// CHECK: %[[S:.*]] = wl.reduce sum %[[P]] dims = [2] : tensor<4x16x8xf32> -> tensor<4x16xf32>
// CHECK: wl.add %[[S]], %[[C]]
func.func @wrong_maps(%a: tensor<4x8xf32>, %b: tensor<16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.generic {indexing_maps = [#a3, #b3, #c3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<16xf32>) outs(%c : tensor<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}
