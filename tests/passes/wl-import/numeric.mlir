// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b | FileCheck %s
// RUN: fungible-opt %s -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=REPORT

// Every raising pattern on inputs that differ per element (the harness
// fills each argument from its elements' indices): the program as written
// and its wl import print the same numbers. The real models' weights are
// splat constants, so this is where a wrong operand order or a dropped
// accumulator would show.
// 24 + 16 + 16 + 4 + 27 + 50 + 18 + 72 + 24 output values:
// CHECK: compared 251 values, {{.*}}, 0 mismatches
// REPORT: 0 opaque kernels

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0, 0)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
#red = affine_map<(d0, d1) -> (d0)>
#mk = affine_map<(m, n, k) -> (k, m)>
#kn = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @model(%x: tensor<4x6xf32>, %w: tensor<6x4xf32>, %acc: tensor<4x4xf32>,
                 %b: tensor<6xf32>, %c: tensor<4x1xf32>,
                 %img: tensor<1x2x7x7xf32>, %filt: tensor<3x2x3x3xf32>,
                 %dw: tensor<2x3x3xf32>)
    -> (tensor<4x6xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>,
        tensor<1x3x3x3xf32>, tensor<1x2x5x5xf32>, tensor<1x2x3x3xf32>,
        tensor<1x2x6x6xf32>, tensor<6x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %low = arith.constant -3.40282347E+38 : f32
  %e46 = tensor.empty() : tensor<4x6xf32>
  // Elementwise: (x - b) / (c + 2), relu'd, min/max, exp, tanh, sqrt/rsqrt
  // of a positive value, a round trip through bf16.
  %ew = linalg.generic {indexing_maps = [#id2, #row, #col, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b, %c : tensor<4x6xf32>, tensor<6xf32>, tensor<4x1xf32>) outs(%e46 : tensor<4x6xf32>) {
  ^bb0(%xi: f32, %bi: f32, %ci: f32, %o: f32):
    %two = arith.constant 2.0 : f32
    %d = arith.subf %xi, %bi : f32
    %den = arith.addf %ci, %two : f32
    %q = arith.divf %d, %den : f32
    %gt = arith.cmpf ogt, %q, %zero : f32
    %relu = arith.select %gt, %q, %zero : f32
    %lt = arith.cmpf olt, %xi, %bi : f32
    %mn = arith.select %lt, %xi, %bi : f32
    %gt2 = arith.cmpf ogt, %xi, %ci : f32
    %mn2 = arith.select %gt2, %ci, %xi : f32
    %mx0 = arith.maximumf %mn, %ci : f32
    %mx = arith.addf %mx0, %mn2 : f32
    %ex = math.exp %mx : f32
    %th = math.tanh %relu : f32
    %sq = arith.mulf %xi, %xi : f32
    %pos = arith.addf %sq, %half : f32
    %r = math.rsqrt %pos : f32
    %s = math.sqrt %pos : f32
    %bf = arith.truncf %s : f32 to bf16
    %back = arith.extf %bf : bf16 to f32
    %t1 = arith.addf %ex, %th : f32
    %t2 = arith.mulf %t1, %r : f32
    %t3 = arith.subf %t2, %back : f32
    %t4 = arith.negf %t3 : f32
    linalg.yield %t4 : f32
  } -> tensor<4x6xf32>
  // x^T-style contraction: out[m, n] = acc[m, n] + sum_k w[k, m] * x[n, k].
  %mm = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<6x4xf32>, tensor<4x6xf32>) outs(%acc : tensor<4x4xf32>) {
  ^bb0(%a: f32, %bb: f32, %o: f32):
    %p = arith.mulf %a, %bb : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  %named = linalg.matmul ins(%x, %w : tensor<4x6xf32>, tensor<6x4xf32>) outs(%acc : tensor<4x4xf32>) -> tensor<4x4xf32>
  // Row max into a non-identity init (the first column of acc... as 4).
  %e4 = tensor.empty() : tensor<4xf32>
  %init = linalg.fill ins(%half : f32) outs(%e4 : tensor<4xf32>) -> tensor<4xf32>
  %rmax = linalg.generic {indexing_maps = [#tr, #red], iterator_types = ["parallel", "reduction"]}
      ins(%w : tensor<6x4xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  // NCHW conv with a zero pad and stride 2; depthwise; pools.
  %pad = tensor.pad %img low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x7x7xf32> to tensor<1x2x9x9xf32>
  %ec = tensor.empty() : tensor<1x3x3x3xf32>
  %fc = linalg.fill ins(%zero : f32) outs(%ec : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<3> : vector<2xi64>}
      ins(%pad, %filt : tensor<1x2x9x9xf32>, tensor<3x2x3x3xf32>) outs(%fc : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %ed = tensor.empty() : tensor<1x2x5x5xf32>
  %fd = linalg.fill ins(%zero : f32) outs(%ed : tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  %dconv = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%img, %dw : tensor<1x2x7x7xf32>, tensor<2x3x3xf32>) outs(%fd : tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  %mpad = tensor.pad %img low[0, 0, 0, 0] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %low : f32
  } : tensor<1x2x7x7xf32> to tensor<1x2x8x8xf32>
  %ep = tensor.empty() : tensor<1x2x3x3xf32>
  %fp = linalg.fill ins(%low : f32) outs(%ep : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %maxp = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%mpad, %win : tensor<1x2x8x8xf32>, tensor<3x3xf32>) outs(%fp : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %es = tensor.empty() : tensor<1x2x6x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32>
  %win2 = tensor.empty() : tensor<2x2xf32>
  %sump = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%img, %win2 : tensor<1x2x7x7xf32>, tensor<2x2xf32>) outs(%fs : tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32>
  // Data movement: reshape, slice, concat.
  %flat = tensor.collapse_shape %x [[0, 1]] : tensor<4x6xf32> into tensor<24xf32>
  %re = tensor.expand_shape %flat [[0, 1]] output_shape [6, 4] : tensor<24xf32> into tensor<6x4xf32>
  %top = tensor.extract_slice %re[0, 0] [3, 4] [2, 1] : tensor<6x4xf32> to tensor<3x4xf32>
  %three = tensor.extract_slice %w[3, 0] [3, 4] [1, 1] : tensor<6x4xf32> to tensor<3x4xf32>
  %cat = tensor.concat dim(0) %top, %three : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<6x4xf32>
  return %ew, %mm, %named, %rmax, %conv, %dconv, %maxp, %sump, %cat
      : tensor<4x6xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>,
        tensor<1x3x3x3xf32>, tensor<1x2x5x5xf32>, tensor<1x2x3x3xf32>,
        tensor<1x2x6x6xf32>, tensor<6x4xf32>
}
