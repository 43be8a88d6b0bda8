// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b | FileCheck %s
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR

// An NCHW SiLU between two convolutions, as torch-mlir writes EfficientNet
// and MobileNetV3: the sigmoid and the product both read the convolution's
// result, so the transpose to NCHW after the first convolution has two
// users. Both are layout-blind, so it sinks below each (the copies meet
// again as the product's two operands) and cancels against the transpose
// back before the second convolution: only the input's, the weights' and
// the output's remain, and the SiLU runs on the NHWC result, where a
// matrix unit's epilogue applies it. Only copies went away (the numbers
// equal the reference lowering's to rounding: wl's NHWC convolutions sum
// in another order than the NCHW reference).
// CHECK: compared 128 values, {{.*}}, 0 mismatches

// IR-LABEL: func.func @model
// IR: %[[X:.*]] = wl.transpose %arg0 perm = [0, 2, 3, 1]
// IR: %[[C1:.*]] = wl.conv2d %[[X]]
// IR-NEXT: %[[S:.*]] = wl.sigmoid %[[C1]] : tensor<1x4x4x8xf32>
// IR-NEXT: %[[M:.*]] = wl.mul %[[C1]], %[[S]] : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>)
// IR-NEXT: %[[W2:.*]] = wl.transpose %arg2 perm = [2, 3, 1, 0]
// IR-NEXT: %[[C2:.*]] = wl.conv2d %[[M]], %[[W2]]
// IR-NEXT: %[[Y:.*]] = wl.transpose %[[C2]] perm = [0, 3, 1, 2]
// IR-NEXT: return %[[Y]]

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @model(%x: tensor<1x3x6x6xf32>, %w1: tensor<8x3x3x3xf32>,
                 %w2: tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x3x6x6xf32>, tensor<8x3x3x3xf32>)
      outs(%z : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %sig = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c1 : tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %n = arith.negf %v : f32
    %x2 = math.exp %n : f32
    %d = arith.addf %x2, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x8x4x4xf32>
  %silu = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c1, %sig : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%silu, %w2 : tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>)
      outs(%z2 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %c2 : tensor<1x8x4x4xf32>
}
