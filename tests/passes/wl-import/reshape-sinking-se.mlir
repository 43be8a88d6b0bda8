// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b --rtol 0 --atol 0 | FileCheck %s
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR

// A squeeze-excitation gate as torch-mlir writes it (EfficientNet-B0): a
// 1x1 convolution on the pooled 1x1x1x32 map, its result moved to NCHW
// through unit dims (1x1x1x8 -> 1x8x1x1), a per-channel bias constant in
// that shape, then SiLU, whose sigmoid and product both read the biased
// value, and back. The reshape sinks below every elementwise op: below the
// bias add with the constant reshaped to match (folded), below the sigmoid
// and the product though both read it (their copies meet as the product's
// operands), and meets the one back: the whole gate runs on the
// convolution's own NHWC result. Only reshapes went away: the numbers are
// the same to the bit.
// CHECK: compared 8 values, max abs error 0, 0 mismatches

// IR-LABEL: func.func @model
// IR: %[[C:.*]] = wl.conv2d
// IR-NEXT: %[[B:.*]] = wl.add %[[C]], %{{.*}} : (tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
// IR-NEXT: %[[S:.*]] = wl.sigmoid %[[B]] : tensor<1x1x1x8xf32>
// IR-NEXT: %[[M:.*]] = wl.mul %[[S]], %[[B]] : (tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
// IR-NEXT: return %[[M]]

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @model(%x: tensor<1x1x1x32xf32>, %w: tensor<1x1x32x8xf32>) -> tensor<1x1x1x8xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %bias = arith.constant dense<[[[[0.5]], [[-0.25]], [[1.0]], [[0.0]], [[2.0]], [[-1.5]], [[0.75]], [[0.125]]]]> : tensor<1x8x1x1xf32>
  %e = tensor.empty() : tensor<1x1x1x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x1x1x32xf32>, tensor<1x1x32x8xf32>) outs(%z : tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
  %flat = tensor.collapse_shape %c [[0, 1, 2, 3]] : tensor<1x1x1x8xf32> into tensor<8xf32>
  %nchw = tensor.expand_shape %flat [[0, 1, 2, 3]] output_shape [1, 8, 1, 1] : tensor<8xf32> into tensor<1x8x1x1xf32>
  %e2 = tensor.empty() : tensor<1x8x1x1xf32>
  %biased = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%nchw, %bias : tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>) outs(%e2 : tensor<1x8x1x1xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x8x1x1xf32>
  %sig = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%biased : tensor<1x8x1x1xf32>) outs(%e2 : tensor<1x8x1x1xf32>) {
  ^bb0(%v: f32, %o: f32):
    %n = arith.negf %v : f32
    %x2 = math.exp %n : f32
    %d = arith.addf %x2, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x8x1x1xf32>
  %silu = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sig, %biased : tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>) outs(%e2 : tensor<1x8x1x1xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x1x1xf32>
  %flat2 = tensor.collapse_shape %silu [[0, 1, 2, 3]] : tensor<1x8x1x1xf32> into tensor<8xf32>
  %back = tensor.expand_shape %flat2 [[0, 1, 2, 3]] output_shape [1, 1, 1, 8] : tensor<8xf32> into tensor<1x1x1x8xf32>
  return %back : tensor<1x1x1x8xf32>
}
