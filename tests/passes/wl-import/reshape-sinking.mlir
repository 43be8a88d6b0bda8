// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b --rtol 0 --atol 0 | FileCheck %s
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR

// torch-mlir drops a CNN's batch dim around each activation and residual
// add (a collapse_shape, the ops on rank 3, an expand_shape back).
// Elementwise ops do not care about shape, so the reshape sinks below them
// (below a binary op only towards the higher rank, its other operand
// reshaped to match) and meets the one after it, and the two fold: the
// ops run on the convolution's own NHWC result, where a matrix unit's
// epilogue applies them to its tiles (#17). Only reshapes went away: the
// numbers are the same to the bit.
// CHECK: compared 80 values, max abs error 0, 0 mismatches

// IR-LABEL: func.func @model
// IR: %[[C:.*]] = wl.conv2d
// IR-NEXT: %[[RES:.*]] = wl.reshape %arg2 : tensor<4x4x5xf32> -> tensor<1x4x4x5xf32>
// IR-NEXT: %[[A:.*]] = wl.add %[[C]], %[[RES]] : (tensor<1x4x4x5xf32>, tensor<1x4x4x5xf32>) -> tensor<1x4x4x5xf32>
// IR-NEXT: %[[R:.*]] = wl.relu %[[A]] : tensor<1x4x4x5xf32>
// IR-NEXT: %[[T:.*]] = wl.tanh %[[R]] : tensor<1x4x4x5xf32>
// IR-NEXT: return %[[T]]

#id = affine_map<(h, w, c) -> (h, w, c)>
func.func @model(%x: tensor<1x6x6x4xf32>, %w: tensor<3x3x4x5xf32>, %res: tensor<4x4x5xf32>) -> tensor<1x4x4x5xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x5xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x5xf32>) -> tensor<1x4x4x5xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x6x6x4xf32>, tensor<3x3x4x5xf32>) outs(%z : tensor<1x4x4x5xf32>) -> tensor<1x4x4x5xf32>
  %r = tensor.collapse_shape %c [[0, 1], [2], [3]] : tensor<1x4x4x5xf32> into tensor<4x4x5xf32>
  %e3 = tensor.empty() : tensor<4x4x5xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r, %res : tensor<4x4x5xf32>, tensor<4x4x5xf32>) outs(%e3 : tensor<4x4x5xf32>) {
  ^bb0(%v: f32, %u: f32, %o: f32):
    %a = arith.addf %v, %u : f32
    linalg.yield %a : f32
  } -> tensor<4x4x5xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sum : tensor<4x4x5xf32>) outs(%e3 : tensor<4x4x5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x4x5xf32>
  %tanh = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%relu : tensor<4x4x5xf32>) outs(%e3 : tensor<4x4x5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.tanh %v : f32
    linalg.yield %t : f32
  } -> tensor<4x4x5xf32>
  %back = tensor.expand_shape %tanh [[0, 1], [2], [3]] output_shape [1, 4, 4, 5] : tensor<4x4x5xf32> into tensor<1x4x4x5xf32>
  return %back : tensor<1x4x4x5xf32>
}
