// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b | FileCheck %s
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR

// A squeeze-excitation gate as torch-mlir writes EfficientNet-B0's: the
// convolution's NCHW result with its batch dim dropped (8x4x4, CHW) times
// a per-channel gate (1x8x1x1), broadcast back to 1x8x4x4, then the next
// convolution. Raised, the CHW map is a rank-3 transpose of the NHWC
// result; the product's rank is 4, so the transpose is seen as the rank-4
// one it is (a unit batch dim in front) and sinks below the product, the
// gate transposed to match, and cancels against the transpose back: the
// gate multiplies the NHWC result. Only copies went away (the numbers
// equal the reference's to rounding: wl's NHWC convolutions sum in
// another order).
// CHECK: compared 128 values, {{.*}}, 0 mismatches

// IR-LABEL: func.func @model
// IR: %[[C1:.*]] = wl.conv2d
// IR-NOT: wl.transpose
// IR: %[[G:.*]] = wl.mul
// IR-SAME: tensor<1x4x4x8xf32>
// IR-NOT: wl.transpose %[[G]]
// IR: wl.conv2d %[[G]]

#chw = affine_map<(n, c, h, w) -> (c, h, w)>
#gate = affine_map<(n, c, h, w) -> (n, c, 0, 0)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @model(%x: tensor<1x3x6x6xf32>, %w1: tensor<8x3x3x3xf32>,
                 %gate: tensor<1x8x1x1xf32>, %w2: tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x3x6x6xf32>, tensor<8x3x3x3xf32>)
      outs(%z : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %map = tensor.collapse_shape %c1 [[0, 1], [2], [3]] : tensor<1x8x4x4xf32> into tensor<8x4x4xf32>
  %gated = linalg.generic {indexing_maps = [#gate, #chw, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%gate, %map : tensor<1x8x1x1xf32>, tensor<8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%g: f32, %v: f32, %o: f32):
    %m = arith.mulf %g, %v : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%gated, %w2 : tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>)
      outs(%z2 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %c2 : tensor<1x8x4x4xf32>
}
