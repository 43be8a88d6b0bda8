#!/usr/bin/env python3
"""Generates the GPU model's fitting set: one function of independent wl
kernels (each op reads function arguments, so each is a kernel of its own),
spanning the regimes the gpu model distinguishes (docs/CostModel.md,
"gpu"):

- bf16 and f16 matmuls on the tensor cores, square from 128 to 8192 and
  ragged (one row, skinny, K-heavy, sizes off the 128x128x64 tile), with
  and without a bias epilogue, and batched (attention-shaped);
- f32 matmuls on the CUDA cores, 128 to 4096;
- streaming elementwise ops (add, ReLU, GELU) from 4K to 64M elements,
  in f32 and bf16: the launch-bound end and the bandwidth-bound end;
- row reductions, softmaxes and layer/RMS norms from 64x64 to 16384x4096;
- transposes and NHWC convolutions of a few sizes;
- appended after them (so that a stored run's kernels keep their names):
  CUDA-core contractions too small to fill the GPU (GEMVs, late, strided
  and depthwise convolutions) or reading an operand across its rows
  (transpose_rhs), f32 attentions, and the late convolutions of CNNs on
  small images (a few CTAs, a short chain of steps).

The validation set is different on purpose: the models of
../shared/workloads and examples/workloads (docs/Fidelity.md, "Fitting a
GPU"). Sizes stay within a few hundred MB per kernel so that the whole set
runs in a few minutes of a lent GPU.

  scripts/gpu-check/gen_sweep.py > gpu-sweep.mlir
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from sweep_function import SweepFunction, ty  # noqa: E402


def main():
    f = SweepFunction()
    arg, results = f.arg, f.results

    def op(text, shape, element="f32"):
        return f.op(text), ty(shape, element)

    def matmul(m, n, k, element, bias=False):
        a, b = arg([m, k], element), arg([k, n], element)
        v, t = op(f"wl.matmul {a}, {b} : ({ty([m, k], element)}, "
                  f"{ty([k, n], element)}) -> {ty([m, n], element)}",
                  [m, n], element)
        if bias:
            c = arg([n], element)
            v, t = op(f"wl.add {v}, {c} : ({t}, {ty([n], element)}) -> {t}",
                      [m, n], element)
        results.append((v, t))

    def conv(hw, cin, cout, k, stride, groups):
        # A square NHWC image, same padding; depthwise when groups = cin.
        pad, ohw = k // 2, (hw + 2 * (k // 2) - k) // stride + 1
        img, flt = [1, hw, hw, cin], [k, k, cin // groups, cout]
        out = [1, ohw, ohw, cout]
        x, w = arg(img), arg(flt)
        attrs = (f"padding = array<i64: {pad}, {pad}, {pad}, {pad}>, "
                 f"strides = array<i64: {stride}, {stride}>")
        if groups > 1:
            attrs = f"groups = {groups} : i64, " + attrs
        results.append(op(
            f"wl.conv2d {x}, {w} {{{attrs}}} : ({ty(img)}, {ty(flt)}) -> "
            f"{ty(out)}", out))

    for s in (128, 256, 512, 1024, 2048, 4096, 8192):
        matmul(s, s, s, "bf16")
    for m, n, k in ((1, 4096, 4096), (16, 4096, 4096), (128, 4096, 1024),
                    (4096, 128, 4096), (257, 300, 129), (3000, 1000, 500),
                    (1024, 1024, 64), (8192, 1024, 8192), (2048, 8192, 2048),
                    (1000, 1000, 1000), (96, 96, 4096)):
        matmul(m, n, k, "bf16", bias=(m * n) % 3 == 0)
    for s in (512, 2048, 4096):
        matmul(s, s, s, "f16", bias=s == 2048)
    for s in (128, 512, 1024, 2048, 4096):
        matmul(s, s, s, "f32")
    matmul(1000, 333, 257, "f32", bias=True)
    for b, m, n, k in ((12, 1024, 1024, 64), (12, 1024, 64, 1024),
                       (32, 512, 512, 128), (96, 128, 128, 64),
                       (8, 4096, 4096, 128)):
        sa, sb, so = [b, m, k], [b, k, n], [b, m, n]
        x, y = arg(sa, "bf16"), arg(sb, "bf16")
        results.append(op(f"wl.batch_matmul {x}, {y} : ({ty(sa, 'bf16')}, "
                          f"{ty(sb, 'bf16')}) -> {ty(so, 'bf16')}", so,
                          "bf16"))

    for rows, cols in ((4, 1024), (64, 1024), (1024, 1024), (4096, 4096),
                       (16384, 4096), (64, 1000000 // 64)):
        for element in ("f32", "bf16"):
            if element == "bf16" and rows in (4, 64):
                continue
            shape = [rows, cols]
            x, y = arg(shape, element), arg(shape, element)
            results.append(op(f"wl.add {x}, {y} : ({ty(shape, element)}, "
                              f"{ty(shape, element)}) -> {ty(shape, element)}",
                              shape, element))
        x = arg(shape)
        results.append(op(f"wl.relu {x} : {ty(shape)}", shape))
        x = arg(shape)
        results.append(op(f"wl.gelu {x} : {ty(shape)}", shape))

    for rows, cols in ((64, 64), (1024, 1024), (4096, 1000), (8192, 4096),
                       (16384, 4096), (128, 32000)):
        shape = [rows, cols]
        x = arg(shape)
        results.append(op(f"wl.softmax {x} axis = 1 : {ty(shape)}", shape))
        x = arg(shape)
        results.append(op(f"wl.reduce sum {x} dims = [1] : {ty(shape)} -> "
                          f"{ty([rows])}", [rows]))
        x, g, b = arg(shape), arg([cols]), arg([cols])
        results.append(op(f"wl.layer_norm {x}, {g}, {b} : ({ty(shape)}, "
                          f"{ty([cols])}, {ty([cols])}) -> {ty(shape)}",
                          shape))
        x, g = arg(shape), arg([cols])
        results.append(op(f"wl.rms_norm {x}, {g} : ({ty(shape)}, "
                          f"{ty([cols])}) -> {ty(shape)}", shape))

    for rows, cols in ((1024, 1024), (4096, 4096), (768, 8192)):
        x = arg([cols, rows])
        results.append(op(f"wl.transpose {x} perm = [1, 0] : "
                          f"{ty([cols, rows])} -> {ty([rows, cols])}",
                          [rows, cols]))

    for hw, cin, cout, k in ((56, 64, 64, 3), (28, 128, 128, 3),
                             (14, 256, 256, 3), (56, 64, 256, 1),
                             (7, 512, 512, 3), (112, 32, 32, 3)):
        pad = k // 2
        img, flt, out = [1, hw, hw, cin], [k, k, cin, cout], [1, hw, hw, cout]
        x, w = arg(img), arg(flt)
        results.append(op(
            f"wl.conv2d {x}, {w} {{padding = array<i64: {pad}, {pad}, {pad}, "
            f"{pad}>}} : ({ty(img)}, {ty(flt)}) -> {ty(out)}", out))

    # CUDA-core contractions whose grids are too small to hide a step's
    # latency (GEMVs, late and depthwise convolutions), and operands read
    # across their rows (transpose_rhs): the serial-step and load terms.
    # Appended, so that the kernels above keep their names (and a stored
    # run's times, measurements.py --times-from).
    for m, n, k, transposed in ((1, 4096, 25088, False),
                                (1, 1000, 4096, False),
                                (40, 1536, 8960, True),
                                (1, 4096, 4096, True),
                                (256, 1024, 1024, True)):
        sb = [n, k] if transposed else [k, n]
        x, y = arg([m, k]), arg(sb)
        attr = " {transpose_rhs}" if transposed else ""
        results.append(op(f"wl.matmul {x}, {y}{attr} : ({ty([m, k])}, "
                          f"{ty(sb)}) -> {ty([m, n])}", [m, n]))
    for hw, c, k, stride, groups in ((7, 512, 3, 1, 1), (14, 256, 3, 2, 1),
                                     (56, 144, 3, 1, 144),
                                     (14, 480, 5, 1, 480),
                                     (28, 240, 5, 2, 240)):
        conv(hw, c, c, k, stride, groups)

    # f32 attentions (chained contractions in one tile, the scores of a
    # tile's queries over all keys between them): GPT-2's and a short
    # one, causal and not.
    for heads, seq, dim, causal in ((12, 1024, 64, True), (4, 128, 64, False),
                                    (8, 2048, 128, True)):
        shape = [heads, seq, dim]
        q, k, v = arg(shape), arg(shape), arg(shape)
        attrs = "{causal, scale = 0.125 : f64} " if causal else ""
        results.append(op(f"wl.attention {q}, {k}, {v} {attrs}: ({ty(shape)}, "
                          f"{ty(shape)}, {ty(shape)}) -> {ty(shape)}", shape))

    # The late layers of the CNNs on small images: convolutions of 2 to 50
    # CTAs and 9 to 600 steps, whose time is the launch and a short chain
    # of steps (the H100 run of 2026-12-05 measured 40-120 ns a step
    # there, against the 28 ns the sweep above fitted; 200 of the models'
    # 345 kernels are convolutions, most of them like these). Each is
    # (image side, input channels, output channels, filter side, stride,
    # groups); depthwise when groups = channels.
    for hw, cin, cout, k, stride, groups in (
            (7, 576, 576, 3, 1, 576), (4, 96, 96, 5, 1, 96),
            (7, 672, 672, 5, 1, 672), (14, 240, 240, 5, 2, 240),
            (4, 480, 480, 3, 1, 480), (2, 576, 576, 3, 1, 576),
            (7, 96, 576, 1, 1, 1), (4, 64, 256, 1, 1, 1),
            (2, 512, 512, 1, 1, 1), (4, 256, 256, 3, 1, 1),
            (2, 512, 512, 3, 1, 1), (7, 48, 192, 3, 1, 1)):
        conv(hw, cin, cout, k, stride, groups)

    print("// Generated by scripts/gpu-check/gen_sweep.py: the GPU model's "
          "fitting set.")
    f.print("gpu_sweep")

if __name__ == "__main__":
    main()
