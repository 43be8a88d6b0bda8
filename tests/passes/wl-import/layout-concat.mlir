// RUN: %python %S/../../lib/make_harness.py %s fire > %t.mlir
// RUN: fungible-opt %t.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b --rtol 0 --atol 0 | FileCheck %s
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR

// A SqueezeNet fire module's channel concat as torch-mlir writes it
// between NHWC convolutions: each branch transposed to NCHW, concatenated
// along the channels (dim 1), transposed back to NHWC. The transposes sink
// below the concat (the same permutation on every input), meet the one
// after it and cancel: the concat runs along NHWC's channels, where the
// convolutions' programs store into it. Only copies moved: the same
// numbers, 1 x 5 x 6 x 24 = 720 values.
// CHECK: compared 720 values, max abs error 0, 0 mismatches

// IR-LABEL: func.func @fire
// IR-NOT: wl.transpose
// IR: wl.concat %{{.*}}, %{{.*}} dim = 2 : (tensor<5x6x8x1xf32>, tensor<5x6x16x1xf32>) -> tensor<5x6x24x1xf32>
// IR-NOT: wl.transpose
// IR: return
func.func @fire(%a: tensor<1x5x6x8xf32>, %b: tensor<1x5x6x16xf32>) -> tensor<1x5x6x24xf32> {
  %ra = wl.relu %a : tensor<1x5x6x8xf32>
  %rb = wl.relu %b : tensor<1x5x6x16xf32>
  %ma = wl.reshape %ra : tensor<1x5x6x8xf32> -> tensor<5x6x8x1xf32>
  %mb = wl.reshape %rb : tensor<1x5x6x16xf32> -> tensor<5x6x16x1xf32>
  %ta = wl.transpose %ma perm = [3, 2, 0, 1] : tensor<5x6x8x1xf32> -> tensor<1x8x5x6xf32>
  %tb = wl.transpose %mb perm = [3, 2, 0, 1] : tensor<5x6x16x1xf32> -> tensor<1x16x5x6xf32>
  %c = wl.concat %ta, %tb dim = 1 : (tensor<1x8x5x6xf32>, tensor<1x16x5x6xf32>) -> tensor<1x24x5x6xf32>
  %n = wl.transpose %c perm = [0, 2, 3, 1] : tensor<1x24x5x6xf32> -> tensor<1x5x6x24xf32>
  return %n : tensor<1x5x6x24xf32>
}
