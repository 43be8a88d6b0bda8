// RUN: fungible-opt %s -wl-import | FileCheck %s
// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b | FileCheck %s --check-prefix=NUM
// RUN: fungible-opt %s -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: %python %S/large_filter_conv.py > %t.large.mlir
// RUN: fungible-opt %t.large.mlir -wl-import | FileCheck %s --check-prefix=LARGE
// RUN: %python %S/../../lib/make_harness.py %t.large.mlir large > %t.large-h.mlir
// RUN: fungible-opt %t.large-h.mlir %reference-lowering | %run-harness > %t.large.a
// RUN: fungible-opt %t.large-h.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.large.b
// RUN: %python %S/../../lib/compare_outputs.py %t.large.a %t.large.b | FileCheck %s --check-prefix=LARGE-NUM

// A convolution's filter taps that read only padding (zeros) are sliced
// off at import (wl.conv2d's canonicalization), the padding shrinking to
// match. Tap t of output o reads input row o * stride + t * dilation - low;
// a tap is kept when some output reads a row of the input through it.
// Only a constant filter is sliced (the slice folds). Every input and
// filter differs per element (the harness fills the inputs from their
// indices), so a slice at the wrong offset changes the numbers.
// 2 + 2 + 18 + 8 + 6 + 4 + 32 + 2 output values:
// NUM: compared 74 values, {{.*}}, 0 mismatches

// Work, by hand (2 x outputs x kept taps x input channels a group), in
// the order below: 2*2*1*3 = 12, 2*2*4*3 = 48, 2*18*12*2 = 864,
// 2*8*1*2 = 32, 2*6*3*1 = 36, 2*4*1*2 = 16, and untouched 2*32*9*2 = 1152
// and 2*2*9*3 = 108.
// REPORT: wl-import total: {{[0-9]+}} raised ops (2268 FLOPs)

// A filter of more elements than the folds compute at any use (64 x 32 x
// 3 x 3), read by nothing else: the slice moves before the NCHW->HWCF
// transpose, folds into the constant, and the transpose of the centre taps
// (2048 elements) folds too.
// LARGE: %[[W:.*]] = arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<1x1x32x64xf32>
// LARGE-NOT: wl.slice
// LARGE-NOT: wl.transpose
// LARGE: wl.conv2d %{{.*}}, %[[W]] : (tensor<1x1x1x32xf32>, tensor<1x1x32x64xf32>) -> tensor<1x1x1x64xf32>
// LARGE-NUM: compared 64 values, {{.*}}, 0 mismatches

func.func @model(%a: tensor<1x3x1x1xf32>, %b: tensor<1x3x2x2xf32>,
                 %c: tensor<1x2x2x2xf32>, %d: tensor<1x2x2x2xf32>,
                 %e: tensor<1x2x1x3xf32>, %g: tensor<1x2x1x1xf32>,
                 %h: tensor<1x2x4x4xf32>, %fi: tensor<2x3x3x3xf32>)
    -> (tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>, tensor<1x2x3x3xf32>,
        tensor<1x2x2x2xf32>, tensor<1x2x1x3xf32>, tensor<1x4x1x1xf32>,
        tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) {
  %zero = arith.constant 0.0 : f32
  // Filters differ per element (constant, as a model's weights are).
  %fa = arith.constant dense<[[[[-0.6875, -0.25, 0.1875], [0.625, -0.375, 0.0625], [0.5, -0.5, -0.0625]], [[0.375, -0.625, -0.1875], [0.25, 0.6875, -0.3125], [0.125, 0.5625, -0.4375]], [[0.0, 0.4375, -0.5625], [-0.125, 0.3125, -0.6875], [-0.25, 0.1875, 0.625]]], [[[-0.375, 0.0625, 0.5], [-0.5, -0.0625, 0.375], [-0.625, -0.1875, 0.25]], [[0.6875, -0.3125, 0.125], [0.5625, -0.4375, 0.0], [0.4375, -0.5625, -0.125]], [[0.3125, -0.6875, -0.25], [0.1875, 0.625, -0.375], [0.0625, 0.5, -0.5]]]]> : tensor<2x3x3x3xf32>
  %fb = arith.constant dense<[[[[-0.375, 0.0625, 0.5], [-0.5, -0.0625, 0.375], [-0.625, -0.1875, 0.25]], [[0.6875, -0.3125, 0.125], [0.5625, -0.4375, 0.0], [0.4375, -0.5625, -0.125]], [[0.3125, -0.6875, -0.25], [0.1875, 0.625, -0.375], [0.0625, 0.5, -0.5]]], [[[-0.0625, 0.375, -0.625], [-0.1875, 0.25, 0.6875], [-0.3125, 0.125, 0.5625]], [[-0.4375, 0.0, 0.4375], [-0.5625, -0.125, 0.3125], [-0.6875, -0.25, 0.1875]], [[0.625, -0.375, 0.0625], [0.5, -0.5, -0.0625], [0.375, -0.625, -0.1875]]]]> : tensor<2x3x3x3xf32>
  %fc = arith.constant dense<[[[[-0.0625, 0.375, -0.625], [-0.1875, 0.25, 0.6875]], [[-0.3125, 0.125, 0.5625], [-0.4375, 0.0, 0.4375]], [[-0.5625, -0.125, 0.3125], [-0.6875, -0.25, 0.1875]], [[0.625, -0.375, 0.0625], [0.5, -0.5, -0.0625]], [[0.375, -0.625, -0.1875], [0.25, 0.6875, -0.3125]]], [[[0.125, 0.5625, -0.4375], [0.0, 0.4375, -0.5625]], [[-0.125, 0.3125, -0.6875], [-0.25, 0.1875, 0.625]], [[-0.375, 0.0625, 0.5], [-0.5, -0.0625, 0.375]], [[-0.625, -0.1875, 0.25], [0.6875, -0.3125, 0.125]], [[0.5625, -0.4375, 0.0], [0.4375, -0.5625, -0.125]]], [[[0.3125, -0.6875, -0.25], [0.1875, 0.625, -0.375]], [[0.0625, 0.5, -0.5], [-0.0625, 0.375, -0.625]], [[-0.1875, 0.25, 0.6875], [-0.3125, 0.125, 0.5625]], [[-0.4375, 0.0, 0.4375], [-0.5625, -0.125, 0.3125]], [[-0.6875, -0.25, 0.1875], [0.625, -0.375, 0.0625]]], [[[0.5, -0.5, -0.0625], [0.375, -0.625, -0.1875]], [[0.25, 0.6875, -0.3125], [0.125, 0.5625, -0.4375]], [[0.0, 0.4375, -0.5625], [-0.125, 0.3125, -0.6875]], [[-0.25, 0.1875, 0.625], [-0.375, 0.0625, 0.5]], [[-0.5, -0.0625, 0.375], [-0.625, -0.1875, 0.25]]], [[[0.6875, -0.3125, 0.125], [0.5625, -0.4375, 0.0]], [[0.4375, -0.5625, -0.125], [0.3125, -0.6875, -0.25]], [[0.1875, 0.625, -0.375], [0.0625, 0.5, -0.5]], [[-0.0625, 0.375, -0.625], [-0.1875, 0.25, 0.6875]], [[-0.3125, 0.125, 0.5625], [-0.4375, 0.0, 0.4375]]]]> : tensor<5x5x2x3xf32>
  %fd = arith.constant dense<[[[[0.25, 0.6875], [-0.3125, 0.125]], [[0.5625, -0.4375], [0.0, 0.4375]], [[-0.5625, -0.125], [0.3125, -0.6875]]], [[[-0.25, 0.1875], [0.625, -0.375]], [[0.0625, 0.5], [-0.5, -0.0625]], [[0.375, -0.625], [-0.1875, 0.25]]], [[[0.6875, -0.3125], [0.125, 0.5625]], [[-0.4375, 0.0], [0.4375, -0.5625]], [[-0.125, 0.3125], [-0.6875, -0.25]]]]> : tensor<3x3x2x2xf32>
  %fe = arith.constant dense<[[[0.5625, -0.4375, 0.0], [0.4375, -0.5625, -0.125], [0.3125, -0.6875, -0.25]], [[0.1875, 0.625, -0.375], [0.0625, 0.5, -0.5], [-0.0625, 0.375, -0.625]]]> : tensor<2x3x3xf32>
  %fg = arith.constant dense<[[[[-0.5625, -0.125, 0.3125], [-0.6875, -0.25, 0.1875], [0.625, -0.375, 0.0625]], [[0.5, -0.5, -0.0625], [0.375, -0.625, -0.1875], [0.25, 0.6875, -0.3125]]], [[[0.125, 0.5625, -0.4375], [0.0, 0.4375, -0.5625], [-0.125, 0.3125, -0.6875]], [[-0.25, 0.1875, 0.625], [-0.375, 0.0625, 0.5], [-0.5, -0.0625, 0.375]]], [[[-0.625, -0.1875, 0.25], [0.6875, -0.3125, 0.125], [0.5625, -0.4375, 0.0]], [[0.4375, -0.5625, -0.125], [0.3125, -0.6875, -0.25], [0.1875, 0.625, -0.375]]], [[[0.0625, 0.5, -0.5], [-0.0625, 0.375, -0.625], [-0.1875, 0.25, 0.6875]], [[-0.3125, 0.125, 0.5625], [-0.4375, 0.0, 0.4375], [-0.5625, -0.125, 0.3125]]]]> : tensor<4x2x3x3xf32>
  %fh = arith.constant dense<[[[[-0.25, 0.1875, 0.625], [-0.375, 0.0625, 0.5], [-0.5, -0.0625, 0.375]], [[-0.625, -0.1875, 0.25], [0.6875, -0.3125, 0.125], [0.5625, -0.4375, 0.0]]], [[[0.4375, -0.5625, -0.125], [0.3125, -0.6875, -0.25], [0.1875, 0.625, -0.375]], [[0.0625, 0.5, -0.5], [-0.0625, 0.375, -0.625], [-0.1875, 0.25, 0.6875]]]]> : tensor<2x2x3x3xf32>

  // CHECK-LABEL: func.func @model
  // The filters' slices fold into the constants (their transposes too).
  // CHECK-NOT: wl.slice
  // CHECK-NOT: wl.transpose %{{.*}} : tensor<{{[0-9]+}}x{{[0-9]+}}x3x3xf32>
  // A 3x3 filter on a 1x1 image padded by 1: the centre tap.
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} : (tensor<1x1x1x3xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x1x2xf32>
  %pa = tensor.pad %a low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x3x1x1xf32> to tensor<1x3x3x3xf32>
  %ea = tensor.empty() : tensor<1x2x1x1xf32>
  %za = linalg.fill ins(%zero : f32) outs(%ea : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  %ra = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%pa, %fa : tensor<1x3x3x3xf32>, tensor<2x3x3x3xf32>) outs(%za : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>

  // Stride 2 on a 2x2 image padded by 1: the one output reads rows -1..1,
  // so taps 1 and 2 of each axis; no padding is left.
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} {strides = array<i64: 2, 2>} : (tensor<1x2x2x3xf32>, tensor<2x2x3x2xf32>) -> tensor<1x1x1x2xf32>
  %pb = tensor.pad %b low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x3x2x2xf32> to tensor<1x3x4x4xf32>
  %eb = tensor.empty() : tensor<1x2x1x1xf32>
  %zb = linalg.fill ins(%zero : f32) outs(%eb : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  %rb = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%pb, %fb : tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) outs(%zb : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>

  // NHWC, 5x5 on a 2x2 image padded by 2 (rows) and by 2 and 3 (columns,
  // 3 outputs). Rows o + t - 2 in [0, 2) for o < 2 keep taps 1..3; columns
  // keep 0..3 (output 2 reads column 0 through tap 0; tap 4 reads columns
  // 2..4, past the image) -> 3x4, padding [1, 1, 2, 2].
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 2, 2>} : (tensor<1x2x2x2xf32>, tensor<3x4x2x3xf32>) -> tensor<1x2x3x3xf32>
  %pc = tensor.pad %c low[0, 2, 2, 0] high[0, 2, 3, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x2x2xf32> to tensor<1x6x7x2xf32>
  %ec = tensor.empty() : tensor<1x2x3x3xf32>
  %zc = linalg.fill ins(%zero : f32) outs(%ec : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %rc = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%pc, %fc : tensor<1x6x7x2xf32>, tensor<5x5x2x3xf32>) outs(%zc : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>

  // Dilation 2, padding 2, a 2x2 image: tap t reads rows o + 2t - 2, only
  // tap 1 reaches the image; no padding is left.
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>} : (tensor<1x2x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32>
  %pd = tensor.pad %d low[0, 2, 2, 0] high[0, 2, 2, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x2x2xf32> to tensor<1x6x6x2xf32>
  %ed = tensor.empty() : tensor<1x2x2x2xf32>
  %zd = linalg.fill ins(%zero : f32) outs(%ed : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %rd = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%pd, %fd : tensor<1x6x6x2xf32>, tensor<3x3x2x2xf32>) outs(%zd : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>

  // Depthwise on a 1x3 image padded by 1: the centre row of taps; the
  // columns all read the image.
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} {groups = 2 : i64, padding = array<i64: 0, 0, 1, 1>} : (tensor<1x1x3x2xf32>, tensor<1x3x1x2xf32>) -> tensor<1x1x3x2xf32>
  %pe = tensor.pad %e low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x1x3xf32> to tensor<1x2x3x5xf32>
  %ee = tensor.empty() : tensor<1x2x1x3xf32>
  %ze = linalg.fill ins(%zero : f32) outs(%ee : tensor<1x2x1x3xf32>) -> tensor<1x2x1x3xf32>
  %re = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%pe, %fe : tensor<1x2x3x5xf32>, tensor<2x3x3xf32>) outs(%ze : tensor<1x2x1x3xf32>) -> tensor<1x2x1x3xf32>

  // Padding only after a 1x1 image: tap 0 reads it, taps 1 and 2 padding.
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} : (tensor<1x1x1x2xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x1x4xf32>
  %pg = tensor.pad %g low[0, 0, 0, 0] high[0, 0, 2, 2] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x1x1xf32> to tensor<1x2x3x3xf32>
  %eg = tensor.empty() : tensor<1x4x1x1xf32>
  %zg = linalg.fill ins(%zero : f32) outs(%eg : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %rg = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%pg, %fg : tensor<1x2x3x3xf32>, tensor<4x2x3x3xf32>) outs(%zg : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>

  // A 4x4 image padded by 1: every tap reads the image for some output.
  // CHECK-NOT: wl.slice
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x3x2x2xf32>) -> tensor<1x4x4x2xf32>
  %ph = tensor.pad %h low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %eh = tensor.empty() : tensor<1x2x4x4xf32>
  %zh = linalg.fill ins(%zero : f32) outs(%eh : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %rh = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%ph, %fh : tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>) outs(%zh : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>

  // A filter computed at run time (an argument) would need a kernel of its
  // own to slice: left as it is.
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x1x1x3xf32>, tensor<3x3x3x2xf32>) -> tensor<1x1x1x2xf32>
  %ri = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%pa, %fi : tensor<1x3x3x3xf32>, tensor<2x3x3x3xf32>) outs(%za : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>

  return %ra, %rb, %rc, %rd, %re, %rg, %rh, %ri
      : tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>, tensor<1x2x3x3xf32>,
        tensor<1x2x2x2xf32>, tensor<1x2x1x3xf32>, tensor<1x4x1x1xf32>,
        tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>
}
