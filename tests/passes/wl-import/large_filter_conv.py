#!/usr/bin/env python3
"""Writes a module with one NCHW 3x3 convolution on a 1x1 image padded by 1
whose filter is a dense constant of 64 x 32 x 3 x 3 = 18432 elements (more
than the 4096 the wl folds compute at any use), each element different:
conv-padding-taps.mlir checks that its centre taps fold into a constant
all the same (the constant is read by nothing else)."""
F, C = 64, 32
values = [((i * 7) % 23 - 11) / 16 for i in range(F * C * 9)]
rows = []
for f in range(F):
    chans = []
    for c in range(C):
        taps = values[(f * C + c) * 9:(f * C + c + 1) * 9]
        chans.append("[" + ", ".join(
            "[" + ", ".join(repr(v) for v in taps[r * 3:r * 3 + 3]) + "]"
            for r in range(3)) + "]")
    rows.append("[" + ", ".join(chans) + "]")
print(f"""func.func @large(%x: tensor<1x{C}x1x1xf32>) -> tensor<1x{F}x1x1xf32> {{
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[{", ".join(rows)}]> : tensor<{F}x{C}x3x3xf32>
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {{
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  }} : tensor<1x{C}x1x1xf32> to tensor<1x{C}x3x3xf32>
  %e = tensor.empty() : tensor<1x{F}x1x1xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x{F}x1x1xf32>) -> tensor<1x{F}x1x1xf32>
  %r = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}}
      ins(%p, %w : tensor<1x{C}x3x3xf32>, tensor<{F}x{C}x3x3xf32>) outs(%z : tensor<1x{F}x1x1xf32>) -> tensor<1x{F}x1x1xf32>
  return %r : tensor<1x{F}x1x1xf32>
}}""")
