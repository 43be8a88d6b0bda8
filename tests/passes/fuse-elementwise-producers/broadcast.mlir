// RUN: fungible-opt %s --split-input-file --fungible-fuse-elementwise-producers | FileCheck %s
// RUN: fungible-opt %s --split-input-file --fungible-fuse-elementwise-producers=fuse-broadcasts=false | FileCheck %s --check-prefix=KEEP

// A squeeze-excitation gate: the bias and sigmoid of a [1, 1, 1, 8]
// product, multiplied into a [1, 4, 4, 8] image. Fused (the default), the
// bias and the sigmoid's exp run once per pixel: 16 times per channel.
// CHECK-LABEL: func.func @gate
// CHECK:       linalg.generic
// CHECK-SAME:    ins(%arg2, %arg0, %arg1 :
// CHECK:         arith.addf
// CHECK:         math.exp
// CHECK:         arith.mulf
// CHECK-NOT:   linalg.generic
// CHECK:       return
// With fuse-broadcasts=false (the CPU's pipeline) the gate is a loop of
// its own over its 8 channels (the bias fused into it: same shape), and
// the multiply reads it broadcast.
// KEEP-LABEL: func.func @gate
// KEEP:       %[[G:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<1x1x1x8xf32>, tensor<8xf32>)
// KEEP:         arith.addf
// KEEP:         math.exp
// KEEP:       -> tensor<1x1x1x8xf32>
// KEEP:       %[[Y:.*]] = linalg.generic {{.*}} ins(%arg2, %[[G]] : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>)
// KEEP-NEXT:  ^bb0
// KEEP-NEXT:    arith.mulf
// KEEP-NEXT:    linalg.yield
// KEEP:       return %[[Y]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c = affine_map<(d0, d1, d2, d3) -> (d3)>
#g = affine_map<(d0, d1, d2, d3) -> (0, 0, 0, d3)>
func.func @gate(%s: tensor<1x1x1x8xf32>, %b: tensor<8xf32>, %x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %e = tensor.empty() : tensor<1x1x1x8xf32>
  %one = arith.constant 1.0 : f32
  %biased = linalg.generic {indexing_maps = [#id, #c, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s, %b : tensor<1x1x1x8xf32>, tensor<8xf32>) outs(%e : tensor<1x1x1x8xf32>) {
  ^bb0(%a: f32, %bi: f32, %o: f32):
    %r = arith.addf %a, %bi : f32
    linalg.yield %r : f32
  } -> tensor<1x1x1x8xf32>
  %gate = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%biased : tensor<1x1x1x8xf32>) outs(%e : tensor<1x1x1x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %x0 = math.exp %n : f32
    %d = arith.addf %x0, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x1x1x8xf32>
  %e2 = tensor.empty() : tensor<1x4x4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #g, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %gate : tensor<1x4x4x8xf32>, tensor<1x1x1x8xf32>) outs(%e2 : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %g0: f32, %o: f32):
    %r = arith.mulf %a, %g0 : f32
    linalg.yield %r : f32
  } -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}
