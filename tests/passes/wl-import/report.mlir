// RUN: fungible-opt %s -wl-import -wl-import-report -o /dev/null | FileCheck %s

// The report counts raised ops and their FLOPs, opaque kernels and what
// was left as is: matmul 2*4*16*8 = 1024, relu 64; the erf kernel counts
// its 2 arithmetic ops per element over 64 elements = 128.
// CHECK-LABEL: wl-import report for @f
// CHECK-NEXT: raised:     2 ops, 1088 FLOPs (wl.matmul 1, wl.relu 1)
// CHECK-NEXT: opaque:     1 kernels, 128 FLOPs (linalg.generic 1)
// CHECK-NEXT: left as is: 1 ops (tensor.insert_slice 1)
// CHECK-NEXT: wl-import total: 2 raised ops (1088 FLOPs), 1 opaque kernels (128 FLOPs), 1 left as is; 89.47% of FLOPs raised
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @f(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %big: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %m = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.maximumf %in, %zero : f32
    linalg.yield %c : f32
  } -> tensor<4x16xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.erf %in : f32
    %y = arith.addf %x, %in : f32
    linalg.yield %y : f32
  } -> tensor<4x16xf32>
  %ins = tensor.insert_slice %g into %big[0, 0] [4, 16] [1, 1] : tensor<4x16xf32> into tensor<8x16xf32>
  return %ins : tensor<8x16xf32>
}
