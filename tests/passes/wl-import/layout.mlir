// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b | FileCheck %s
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR

// An NCHW network as torch-mlir writes it: convolution, a per-channel
// scale and shift (batch norm folded), a relu, max pooling, a second
// convolution and a residual add. wl's convolutions and pooling are NHWC,
// so raising puts a transpose to NCHW after each and one back before the
// next; the layout-blind ops between them run in NHWC instead (the
// per-channel vectors are reshaped to match) and the transposes cancel:
// only the input's, the weights' (into the filter layout; constants in a
// real model) and the output's remain. Only copies went away; the numbers
// equal the reference lowering's (to rounding: wl's NHWC convolutions sum
// in another order than the NCHW reference).
// CHECK: compared 128 values, {{.*}}, 0 mismatches

// IR-LABEL: func.func @model
// IR: %[[X:.*]] = wl.transpose %arg0 perm = [0, 2, 3, 1]
// IR: %[[C1:.*]] = wl.conv2d %[[X]]
// IR-NOT: wl.transpose %[[C1]]
// IR: %[[P:.*]] = wl.pool2d max
// IR-NOT: wl.transpose %[[P]]
// IR: %[[C2:.*]] = wl.conv2d %[[P]]
// IR: %[[R:.*]] = wl.add %[[C2]], %[[P]]
// IR: wl.transpose %[[R]] perm = [0, 3, 1, 2]
// IR-NOT: wl.transpose
// IR: return

#ch = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @model(%x: tensor<1x3x10x10xf32>, %w1: tensor<8x3x3x3xf32>,
                 %scale: tensor<8xf32>, %shift: tensor<8xf32>,
                 %w2: tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %low = arith.constant -3.40282347E+38 : f32
  %e8 = tensor.empty() : tensor<1x8x8x8xf32>
  %z8 = linalg.fill ins(%zero : f32) outs(%e8 : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x3x10x10xf32>, tensor<8x3x3x3xf32>)
      outs(%z8 : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %bn = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c1, %scale, %shift : tensor<1x8x8x8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e8 : tensor<1x8x8x8xf32>) {
  ^bb0(%v: f32, %s: f32, %t: f32, %o: f32):
    %m = arith.mulf %v, %s : f32
    %a = arith.addf %m, %t : f32
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x8xf32>
  %e4 = tensor.empty() : tensor<1x8x4x4xf32>
  %l4 = linalg.fill ins(%low : f32) outs(%e4 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%bn, %win : tensor<1x8x8x8xf32>, tensor<2x2xf32>) outs(%l4 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %pad = tensor.pad %p low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x8x4x4xf32> to tensor<1x8x6x6xf32>
  %z4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%pad, %w2 : tensor<1x8x6x6xf32>, tensor<8x8x3x3xf32>)
      outs(%z4 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %res = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c2, %p : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) outs(%e4 : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x8x4x4xf32>
  return %res : tensor<1x8x4x4xf32>
}
