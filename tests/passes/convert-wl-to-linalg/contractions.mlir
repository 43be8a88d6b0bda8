// RUN: fungible-opt %s -convert-wl-to-linalg -split-input-file | FileCheck %s

// Contractions lower to named linalg ops (so tiling and vectorisation
// recognise them) with a zero-filled accumulator.

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xbf16>, %[[B:.*]]: tensor<8x16xbf16>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<4x16xf32>)
// CHECK: %[[C:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xbf16>, tensor<8x16xbf16>) outs(%[[ACC]] : tensor<4x16xf32>)
// CHECK: return %[[C]]
// CHECK-NOT: wl.
func.func @matmul(%a: tensor<4x8xbf16>, %b: tensor<8x16xbf16>) -> tensor<4x16xf32> {
  %0 = wl.matmul %a, %b : (tensor<4x8xbf16>, tensor<8x16xbf16>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_transposed
// CHECK-SAME: (%[[A:.*]]: tensor<8x4xf32>, %[[B:.*]]: tensor<16x8xf32>)
// CHECK: %[[AT:.*]] = linalg.transpose ins(%[[A]] : tensor<8x4xf32>) outs(%{{.*}} : tensor<4x8xf32>) permutation = [1, 0]
// CHECK: %[[BT:.*]] = linalg.transpose ins(%[[B]] : tensor<16x8xf32>) outs(%{{.*}} : tensor<8x16xf32>) permutation = [1, 0]
// CHECK: linalg.matmul ins(%[[AT]], %[[BT]] : tensor<4x8xf32>, tensor<8x16xf32>)
func.func @matmul_transposed(%a: tensor<8x4xf32>, %b: tensor<16x8xf32>) -> tensor<4x16xf32> {
  %0 = wl.matmul %a, %b {transpose_lhs, transpose_rhs} : (tensor<8x4xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @batch_matmul
// CHECK: %[[BT:.*]] = linalg.transpose ins(%{{.*}} : tensor<2x16x8xf32>) outs(%{{.*}} : tensor<2x8x16xf32>) permutation = [0, 2, 1]
// CHECK: linalg.batch_matmul ins(%{{.*}}, %[[BT]] : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%{{.*}} : tensor<2x4x16xf32>)
func.func @batch_matmul(%a: tensor<2x4x8xf32>, %b: tensor<2x16x8xf32>) -> tensor<2x4x16xf32> {
  %0 = wl.batch_matmul %a, %b {transpose_rhs} : (tensor<2x4x8xf32>, tensor<2x16x8xf32>) -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// -----

// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x4xf32>, %[[W:.*]]: tensor<3x3x4x2xf32>)
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 1, 0, 0] high[0, 1, 2, 0]
// CHECK: tensor.yield %{{.*}} : f32
// CHECK: } : tensor<1x8x8x4xf32> to tensor<1x10x10x4xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[P]], %[[W]] : tensor<1x10x10x4xf32>, tensor<3x3x4x2xf32>) outs(%{{.*}} : tensor<1x4x4x2xf32>)
func.func @conv(%x: tensor<1x8x8x4xf32>, %w: tensor<3x3x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = wl.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 2>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %0 : tensor<1x4x4x2xf32>
}

// -----

// Grouped convolutions split the channels into an explicit group dim and
// contract per group; strides and dilations appear in the input map.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 * 2 + d5 * 3, d2 * 2 + d6 * 3, d3, d7)>
// CHECK-DAG: #[[FILT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d6, d7, d3, d4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @grouped
// CHECK: %[[X5:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 9, 9, 2, 4] : tensor<1x9x9x8xf32> into tensor<1x9x9x2x4xf32>
// CHECK: %[[W5:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] output_shape [2, 2, 4, 2, 3] : tensor<2x2x4x6xf32> into tensor<2x2x4x2x3xf32>
// CHECK: %[[Y5:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[FILT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[X5]], %[[W5]] : tensor<1x9x9x2x4xf32>, tensor<2x2x4x2x3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.collapse_shape %[[Y5]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x3x3x2x3xf32> into tensor<1x3x3x6xf32>
func.func @grouped(%x: tensor<1x9x9x8xf32>, %w: tensor<2x2x4x6xf32>) -> tensor<1x3x3x6xf32> {
  %0 = wl.conv2d %x, %w {groups = 2 : i64, strides = array<i64: 2, 2>, dilations = array<i64: 3, 3>} : (tensor<1x9x9x8xf32>, tensor<2x2x4x6xf32>) -> tensor<1x3x3x6xf32>
  return %0 : tensor<1x3x3x6xf32>
}

// -----

// Attention: scores, scale + causal mask, softmax, weighted sum. In f16
// both products take f16 operands into f32; the scores and softmax are
// f32, the probabilities rounded to f16 for the product with V (as fused
// attention kernels feed the matrix unit), the result rounded once at the
// end. The two products are named
// batch matmuls (every back end's matmul path takes them), K transposed
// first: the same sums in the same order as the contraction written out.
// CHECK-LABEL: func.func @attention
// CHECK: %[[KT:.*]] = linalg.transpose ins(%arg1 : tensor<2x6x8xf16>) outs(%{{.*}} : tensor<2x8x6xf16>) permutation = [0, 2, 1]
// CHECK: %[[S:.*]] = linalg.batch_matmul ins(%arg0, %[[KT]] : tensor<2x4x8xf16>, tensor<2x8x6xf16>) outs(%{{.*}} : tensor<2x4x6xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<2x4x6xf32>)
// CHECK: linalg.index 1
// CHECK: linalg.index 2
// CHECK: arith.cmpi ugt
// CHECK: arith.select
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2x4x6xf32>) outs(%{{.*}} : tensor<2x4x6xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: %[[O:.*]] = linalg.batch_matmul ins(%[[P]], %arg2 : tensor<2x4x6xf16>, tensor<2x6x3xf16>) outs(%{{.*}} : tensor<2x4x3xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[O]] : tensor<2x4x3xf32>) outs(%{{.*}} : tensor<2x4x3xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: return %{{.*}} : tensor<2x4x3xf16>
func.func @attention(%q: tensor<2x4x8xf16>, %k: tensor<2x6x8xf16>, %v: tensor<2x6x3xf16>) -> tensor<2x4x3xf16> {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<2x4x8xf16>, tensor<2x6x8xf16>, tensor<2x6x3xf16>) -> tensor<2x4x3xf16>
  return %0 : tensor<2x4x3xf16>
}

// -----

// Batch dimensions (batch, heads) collapse into the batch matmuls' one and
// expand back; without any, the products get a batch of one.
// CHECK-LABEL: func.func @attention_heads
// CHECK: linalg.transpose ins(%arg1 : tensor<2x3x5x4xf32>) outs(%{{.*}} : tensor<2x3x4x5xf32>) permutation = [0, 1, 3, 2]
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2], [3]] : tensor<2x3x5x4xf32> into tensor<6x5x4xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x5x4xf32>, tensor<6x4x5xf32>) outs(%{{.*}} : tensor<6x5x5xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] output_shape [2, 3, 5, 5] : tensor<6x5x5xf32> into tensor<2x3x5x5xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x5x5xf32>, tensor<6x5x4xf32>) outs(%{{.*}} : tensor<6x5x4xf32>)
// CHECK: return %{{.*}} : tensor<2x3x5x4xf32>
// CHECK-LABEL: func.func @attention_single
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0, 1], [2]] output_shape [1, 5, 4] : tensor<5x4xf32> into tensor<1x5x4xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x5x4xf32>, tensor<1x4x7xf32>) outs(%{{.*}} : tensor<1x5x7xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x5x7xf32> into tensor<5x7xf32>
// CHECK: return %{{.*}} : tensor<5x4xf32>
func.func @attention_heads(%q: tensor<2x3x5x4xf32>, %k: tensor<2x3x5x4xf32>, %v: tensor<2x3x5x4xf32>) -> tensor<2x3x5x4xf32> {
  %0 = wl.attention %q, %k, %v : (tensor<2x3x5x4xf32>, tensor<2x3x5x4xf32>, tensor<2x3x5x4xf32>) -> tensor<2x3x5x4xf32>
  return %0 : tensor<2x3x5x4xf32>
}
func.func @attention_single(%q: tensor<5x4xf32>, %k: tensor<7x4xf32>, %v: tensor<7x4xf32>) -> tensor<5x4xf32> {
  %0 = wl.attention %q, %k, %v : (tensor<5x4xf32>, tensor<7x4xf32>, tensor<7x4xf32>) -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// -----

// An additive mask is read through wl.add's broadcast map and added to the
// scaled score in the compute type, before the causal select.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEYS:.*]] = affine_map<(d0, d1, d2) -> (0, d2)>
// CHECK-LABEL: func.func @attention_mask
// CHECK: %[[S:.*]] = linalg.batch_matmul
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[KEYS]], #[[ID]]], {{.*}}} ins(%[[S]], %arg3 : tensor<2x4x6xf32>, tensor<1x6xf16>)
// CHECK-NEXT: ^bb0(%[[SC:.*]]: f32, %[[M:.*]]: f16, %{{.*}}: f32):
// CHECK-NEXT: arith.constant 0.353553385 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[SC]], %{{.*}} : f32
// CHECK-NEXT: %[[MF:.*]] = arith.extf %[[M]] : f16 to f32
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[SCALED]], %[[MF]] : f32
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[SUM]] : f32
// CHECK: math.exp
func.func @attention_mask(%q: tensor<2x4x8xf16>, %k: tensor<2x6x8xf16>, %v: tensor<2x6x3xf16>, %m: tensor<1x6xf16>) -> tensor<2x4x3xf16> {
  %0 = wl.attention %q, %k, %v mask %m {causal} : (tensor<2x4x8xf16>, tensor<2x6x8xf16>, tensor<2x6x3xf16>, tensor<1x6xf16>) -> tensor<2x4x3xf16>
  return %0 : tensor<2x4x3xf16>
}

// -----

// Grouped-query attention: the 3 query heads of each key/value head fold
// into the products' rows (3 x 5 = 15), so each group reads its K and V as
// one product; the scale, mask, causal select and softmax run over the
// scores expanded back to the heads (the causal row: one head's, index 2).
// CHECK-LABEL: func.func @attention_grouped
// CHECK: %[[KT:.*]] = linalg.transpose ins(%arg1 : tensor<2x1x7x4xf32>) outs(%{{.*}} : tensor<2x1x4x7xf32>) permutation = [0, 1, 3, 2]
// CHECK: %[[K3:.*]] = tensor.collapse_shape %[[KT]] {{\[\[}}0], [1, 2], [3]] : tensor<2x1x4x7xf32> into tensor<2x4x7xf32>
// CHECK: %[[Q3:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2], [3]] : tensor<2x3x5x4xf32> into tensor<2x15x4xf32>
// CHECK: %[[S3:.*]] = linalg.batch_matmul ins(%[[Q3]], %[[K3]] : tensor<2x15x4xf32>, tensor<2x4x7xf32>) outs(%{{.*}} : tensor<2x15x7xf32>)
// CHECK: %[[S:.*]] = tensor.expand_shape %[[S3]] {{\[\[}}0], [1, 2], [3]] output_shape [2, 3, 5, 7]
// CHECK: linalg.generic {{.*}} ins(%[[S]], %arg3 : tensor<2x3x5x7xf32>, tensor<5x7xf32>)
// CHECK: linalg.index 2 : index
// CHECK: math.exp
// CHECK: %[[V3:.*]] = tensor.collapse_shape %arg2 {{\[\[}}0], [1, 2], [3]] : tensor<2x1x7x6xf32> into tensor<2x7x6xf32>
// CHECK: %[[P3:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3]] : tensor<2x3x5x7xf32> into tensor<2x15x7xf32>
// CHECK: %[[O3:.*]] = linalg.batch_matmul ins(%[[P3]], %[[V3]] : tensor<2x15x7xf32>, tensor<2x7x6xf32>) outs(%{{.*}} : tensor<2x15x6xf32>)
// CHECK: %[[O:.*]] = tensor.expand_shape %[[O3]] {{\[\[}}0], [1, 2], [3]] output_shape [2, 3, 5, 6]
// CHECK: return %[[O]] : tensor<2x3x5x6xf32>
func.func @attention_grouped(%q: tensor<2x3x5x4xf32>, %k: tensor<2x1x7x4xf32>, %v: tensor<2x1x7x6xf32>, %m: tensor<5x7xf32>) -> tensor<2x3x5x6xf32> {
  %0 = wl.attention %q, %k, %v mask %m {causal} : (tensor<2x3x5x4xf32>, tensor<2x1x7x4xf32>, tensor<2x1x7x6xf32>, tensor<5x7xf32>) -> tensor<2x3x5x6xf32>
  return %0 : tensor<2x3x5x6xf32>
}
