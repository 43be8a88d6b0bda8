// RUN: fungible-opt %s --split-input-file --fungible-fuse-elementwise-producers | FileCheck %s
// RUN: fungible-opt %s --split-input-file --fungible-fuse-elementwise-producers=sink-transposes=false | FileCheck %s --check-prefix=KEEP

// A transpose read only by a broadcast (a generic that yields its input:
// the RoPE table's cos, transposed and repeated over both halves) folds
// into the broadcast's map: one layout copy, which a matrix unit's
// program does with its stores. Transpose dim d is input dim perm[d]:
// (d0, d1, d2, d3) read the transpose at (d0, d1, 0, d3), so its input
// 64x8x1x1 (perm [2, 1, 3, 0]) at (d3, d1, d0, 0).
// CHECK:       #[[READ:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d1, d0, 0)>
// CHECK-LABEL: func.func @repeated
// CHECK-NOT:   linalg.transpose
// CHECK:       linalg.generic {indexing_maps = [#[[READ]], #{{.*}}]
// CHECK-SAME:    ins(%arg0 : tensor<64x8x1x1xf32>) outs({{.*}} : tensor<1x8x2x64xf32>)
// CHECK-NEXT:  ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:    linalg.yield %[[IN]] : f32
// The CPU's pipeline keeps the two copies.
// KEEP-LABEL:  func.func @repeated
// KEEP:        linalg.transpose
// KEEP:        linalg.generic
#bcast = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @repeated(%x: tensor<64x8x1x1xf32>) -> tensor<1x8x2x64xf32> {
  %e = tensor.empty() : tensor<1x8x1x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x8x1x1xf32>) outs(%e : tensor<1x8x1x64xf32>) permutation = [2, 1, 3, 0]
  %o = tensor.empty() : tensor<1x8x2x64xf32>
  %b = linalg.generic {indexing_maps = [#bcast, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%t : tensor<1x8x1x64xf32>) outs(%o : tensor<1x8x2x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x2x64xf32>
  return %b : tensor<1x8x2x64xf32>
}

// -----

// A transpose read by a generic that computes is left: the vector units'
// elementwise programs read their operands untransposed.
// CHECK-LABEL: func.func @computes
// CHECK:       linalg.transpose
// CHECK:       math.cos
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @computes(%x: tensor<4x8xf32>) -> tensor<8x4xf32> {
  %e = tensor.empty() : tensor<8x4xf32>
  %t = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e : tensor<8x4xf32>) permutation = [1, 0]
  %o = tensor.empty() : tensor<8x4xf32>
  %c = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<8x4xf32>) outs(%o : tensor<8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = math.cos %in : f32
    linalg.yield %v : f32
  } -> tensor<8x4xf32>
  return %c : tensor<8x4xf32>
}
