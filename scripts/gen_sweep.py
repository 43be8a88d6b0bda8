#!/usr/bin/env python3
"""Generates the host model's fitting set: one function of independent
kernels as upstream linalg on tensors (each op reads function arguments,
so each is a kernel of its own), spanning the regimes the cpu model
distinguishes:

- matmuls, square from 8 to 512 and ragged (small M, large K; skinny N),
  and matrix-vector products of 1 to 3 rows whose right operand streams
  from the core's cache, the L3 or DRAM, some of 8 to 40 columns;
- elementwise adds from 256 to 4M elements (cache-resident to DRAM);
- row sums and softmaxes from 16x16 to 1024x1024;
- 3x3 convolutions (NHWC) of a few sizes;
- sin, cos and f64 exp (libm calls) from 1 Ki to 1 Mi elements;
- in wl, kernels of the kinds the models have, with their epilogues:
  convolutions (1x1, 3x3, 5x5, strided, depthwise, 1x1 of 1-3 pixel
  images) with bias or batch norm
  and ReLU, windowed and global pooling, GELU/exp/tanh/sigmoid, layer and
  RMS norms,
  transposes and pads, batched matmuls, matmuls with bias and GELU;
- kernels beyond the L3 (softmax, norms, GELU, a transpose and an add
  over 32-64 MiB, 2048^3 and GPT-2-sized matmuls, a 56x56 convolution);
- chains of 1 to 11 small ops in one kernel (the fixed costs per op, per
  fork and per call);
- chains of 1 to 8 fused elementwise ops (a pass over the elements apart
  from each op's arithmetic) and each transcendental alone, GELU in both
  forms; transposes of outer dimensions (rows kept) of 4-16 MiB, a
  product whose N x K weight streams from DRAM;
- random kernels of the models' kinds from a fixed seed.

The validation set is different on purpose: the models of
../shared/workloads and examples/workloads (docs/Fidelity.md).

  scripts/gen_sweep.py > sweep.mlir
"""
import random

from sweep_function import SweepFunction, ty


def main():
    f = SweepFunction()
    arg, fresh, result, body = f.arg, f.fresh, f.result, f.body

    def empty(shape):
        v = fresh()
        body.append(f"  {v} = tensor.empty() : {ty(shape)}")
        return v

    def zeros(shape):
        e, v = empty(shape), fresh()
        body.append(f"  {v} = linalg.fill ins(%zero : f32) outs({e} : {ty(shape)})"
                    f" -> {ty(shape)}")
        return v

    gemms = [(s, s, s) for s in (8, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512)]
    gemms += [(4, 256, 1024), (16, 1024, 256), (128, 8, 512), (384, 64, 384),
              (1, 512, 512), (1000, 32, 64), (64, 1000, 128)]
    # Fewer rows than a register tile: the right operand streams through
    # the FMAs (a classifier's 512 -> 1000, decode steps' projections).
    gemms += [(1, 1000, 512), (2, 1024, 1024), (3, 768, 768), (1, 3072, 768),
              (1, 256, 2048)]
    # ... and fewer columns than a vector or two (squeeze-excitation
    # reductions): each register tile one FMA chain over K.
    gemms += [(1, 24, 512), (1, 12, 1024), (2, 40, 384), (1, 8, 256),
              (3, 20, 640)]
    for m, nn, k in gemms:
        a, b, c = arg([m, k]), arg([k, nn]), zeros([m, nn])
        v = fresh()
        body.append(f"  {v} = linalg.matmul ins({a}, {b} : {ty([m, k])}, "
                    f"{ty([k, nn])}) outs({c} : {ty([m, nn])}) -> {ty([m, nn])}")
        result(v, [m, nn])
    for e in (256, 4096, 65536, 262144, 1048576, 4194304):
        shape = [e // 256, 256]
        a, b, o = arg(shape), arg(shape), empty(shape)
        v = fresh()
        body.append(f"  {v} = linalg.add ins({a}, {b} : {ty(shape)}, {ty(shape)})"
                    f" outs({o} : {ty(shape)}) -> {ty(shape)}")
        result(v, shape)
    for r in (16, 64, 256, 1024):
        shape = [r, r]
        a = arg(shape)
        o = zeros([r])
        v = fresh()
        body.append(f"  {v} = linalg.reduce ins({a} : {ty(shape)}) outs({o} : "
                    f"{ty([r])}) dimensions = [1]\n"
                    f"    (%x: f32, %acc: f32) {{\n"
                    f"      %s = arith.addf %x, %acc : f32\n"
                    f"      linalg.yield %s : f32\n    }}")
        result(v, [r])
        b, e = arg(shape), empty(shape)
        v = fresh()
        body.append(f"  {v} = linalg.softmax dimension(1) ins({b} : {ty(shape)})"
                    f" outs({e} : {ty(shape)}) -> {ty(shape)}")
        result(v, shape)
    for hw, cin, cout in ((16, 8, 16), (32, 16, 32), (56, 32, 32)):
        img, flt = [1, hw + 2, hw + 2, cin], [3, 3, cin, cout]
        out = [1, hw, hw, cout]
        a, b, c = arg(img), arg(flt), zeros(out)
        v = fresh()
        body.append(f"  {v} = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : "
                    f"tensor<2xi64>, strides = dense<1> : tensor<2xi64>}} ins({a}, "
                    f"{b} : {ty(img)}, {ty(flt)}) outs({c} : {ty(out)}) -> {ty(out)}")
        result(v, out)
    # Kernels of the kinds the models have, written in wl so that their
    # epilogues fuse into them as the models' do (wl-outline-kernels):
    # convolutions with bias/batch-norm and activation, depthwise and
    # strided ones, pooling, activations, norms, layout changes, batched
    # and epilogue-fused matmuls.
    def op(text, shape):
        return f.op(text)

    def epilogue(v, out, channels, kind):
        """Batch norm (bn) or bias, then ReLU, ReLU6 or SiLU, as `kind`
        names them ("bn_relu", "bias", "none", ...)."""
        if kind.startswith("bn"):
            sc, sh = arg([channels]), arg([channels])
            v = op(f"wl.mul {v}, {sc} : ({ty(out)}, {ty([channels])}) -> {ty(out)}", out)
            v = op(f"wl.add {v}, {sh} : ({ty(out)}, {ty([channels])}) -> {ty(out)}", out)
        if kind.startswith("bias"):
            bias = arg([channels])
            v = op(f"wl.add {v}, {bias} : ({ty(out)}, {ty([channels])}) -> {ty(out)}", out)
        if kind.endswith("relu") or kind.endswith("relu6"):
            v = op(f"wl.relu {v} : {ty(out)}", out)
        if kind.endswith("relu6"):
            six = arg(out)
            v = op(f"wl.min {v}, {six} : ({ty(out)}, {ty(out)}) -> {ty(out)}", out)
        if kind.endswith("silu"):
            s = op(f"wl.sigmoid {v} : {ty(out)}", out)
            v = op(f"wl.mul {v}, {s} : ({ty(out)}, {ty(out)}) -> {ty(out)}", out)
        return v

    for hw, cin, cout, k, s, groups, epi in (
            (28, 32, 64, 1, 1, 1, "bn_relu"), (14, 128, 128, 1, 1, 1, "bias"),
            (20, 16, 24, 3, 1, 1, "bn_relu"), (10, 64, 96, 3, 2, 1, "bias_relu"),
            (40, 48, 48, 3, 1, 48, "bn_relu"), (24, 96, 96, 5, 2, 96, "bias"),
            (7, 256, 512, 1, 1, 1, "none"), (12, 24, 144, 1, 1, 1, "bn_relu")):
        pad = k // 2
        out_hw = (hw + 2 * pad - k) // s + 1
        img, flt = [1, hw, hw, cin], [k, k, cin // groups, cout]
        out = [1, out_hw, out_hw, cout]
        a, b = arg(img), arg(flt)
        attrs = (f"strides = array<i64: {s}, {s}>, padding = array<i64: "
                 f"{pad}, {pad}, {pad}, {pad}>, groups = {groups} : i64")
        v = op(f"wl.conv2d {a}, {b} {{{attrs}}} : ({ty(img)}, {ty(flt)}) -> "
               f"{ty(out)}", out)
        result(epilogue(v, out, cout, epi), out)
    # 1x1 convolutions of images 1 to 3 pixels a side (a squeeze-excitation's
    # or a classifier's): output tiles of 1 to 3 columns by 16 to 64 lanes,
    # 1 to 12 accumulator vectors in flight, at 2-7 times the rate of wide
    # tiles (benchmarks/RESULTS.md, 2026-12-06 fifth session).
    for hw, cin, cout in ((1, 240, 16), (1, 64, 256), (1, 1024, 48),
                          (1, 512, 64), (1, 96, 32), (2, 256, 32), (2, 128, 64),
                          (3, 384, 16), (3, 160, 128), (1, 480, 128)):
        img, flt, out = [1, hw, hw, cin], [1, 1, cin, cout], [1, hw, hw, cout]
        a, b = arg(img), arg(flt)
        v = op(f"wl.conv2d {a}, {b} : ({ty(img)}, {ty(flt)}) -> {ty(out)}", out)
        result(epilogue(v, out, cout, "bias"), out)
    for hw, c, kind, win, s in ((56, 64, "max", 3, 2), (14, 256, "avg", 2, 2),
                                (28, 32, "max", 2, 2)):
        out_hw = (hw - win) // s + 1
        img, out = [1, hw, hw, c], [1, out_hw, out_hw, c]
        a = arg(img)
        result(op(f"wl.pool2d {kind} {a} {{window = array<i64: {win}, {win}>, "
                  f"strides = array<i64: {s}, {s}>}} : {ty(img)} -> {ty(out)}",
                  out), out)
    # Global average pools (a squeeze-excitation's): the window the whole
    # image, one contiguous sum per channel.
    for n, hw, c in ((1, 96, 24), (1, 48, 64), (1, 24, 192), (1, 12, 320),
                     (1, 6, 960), (2, 10, 512)):
        img, out = [n, hw, hw, c], [n, 1, 1, c]
        a = arg(img)
        result(op(f"wl.pool2d avg {a} {{window = array<i64: {hw}, {hw}>}} : "
                  f"{ty(img)} -> {ty(out)}", out), out)
    for name, rows, cols in (("gelu", 64, 1024), ("exp", 512, 512),
                             ("tanh", 16, 256), ("sigmoid", 1024, 1024),
                             ("gelu", 2048, 2048), ("sigmoid", 96, 96)):
        shape = [rows, cols]
        a = arg(shape)
        result(op(f"wl.{name} {a} : {ty(shape)}", shape), shape)
    for rows, cols, rms in ((128, 768, False), (2048, 1024, False),
                            (64, 64, True), (512, 4096, True), (16, 512, False)):
        shape = [rows, cols]
        a, g = arg(shape), arg([cols])
        if rms:
            text = f"wl.rms_norm {a}, {g} : ({ty(shape)}, {ty([cols])}) -> {ty(shape)}"
        else:
            b = arg([cols])
            text = (f"wl.layer_norm {a}, {g}, {b} : ({ty(shape)}, {ty([cols])}, "
                    f"{ty([cols])}) -> {ty(shape)}")
        result(op(text, shape), shape)
    for shape, perm in (([256, 384], [1, 0]), ([2048, 1024], [1, 0]),
                        ([64, 128, 96], [1, 0, 2]), ([8, 512, 64], [0, 2, 1]),
                        ([1, 32, 56, 56], [0, 2, 3, 1]),
                        ([1, 28, 28, 192], [0, 3, 1, 2])):
        out = [shape[p] for p in perm]
        a = arg(shape)
        result(op(f"wl.transpose {a} perm = {perm} : {ty(shape)} -> {ty(out)}",
                  out), out)
    for shape, low, high in (([1, 64, 64, 32], [0, 1, 1, 0], [0, 1, 1, 0]),
                             ([512, 500], [0, 0], [0, 12])):
        out = [d + lo + hi for d, lo, hi in zip(shape, low, high)]
        a = arg(shape)
        result(op(f"wl.pad {a} low = {low} high = {high} : {ty(shape)} -> "
                  f"{ty(out)}", out), out)
    for batch, m, nn, k in ((12, 128, 128, 64), (8, 256, 64, 256), (32, 16, 16, 64)):
        sa, sb, so = [batch, m, k], [batch, k, nn], [batch, m, nn]
        a, b = arg(sa), arg(sb)
        result(op(f"wl.batch_matmul {a}, {b} : ({ty(sa)}, {ty(sb)}) -> {ty(so)}",
                  so), so)
    for m, nn, k in ((256, 1024, 256), (64, 384, 1536)):
        sa, sb, so = [m, k], [k, nn], [m, nn]
        a, b, bias = arg(sa), arg(sb), arg([nn])
        v = op(f"wl.matmul {a}, {b} : ({ty(sa)}, {ty(sb)}) -> {ty(so)}", so)
        v = op(f"wl.add {v}, {bias} : ({ty(so)}, {ty([nn])}) -> {ty(so)}", so)
        result(op(f"wl.gelu {v} : {ty(so)}", so), so)
    # Narrow and transposed contractions, attention: each has its own rate
    # on the host (bf16 converts every element it loads; a transposed
    # operand is read across rows).
    for m, nn, k in ((64, 256, 512), (256, 512, 256), (16, 1024, 1024),
                     (3, 1024, 1024)):
        sa, sb, so = [m, k], [k, nn], [m, nn]
        a, b = arg(sa, "bf16"), arg(sb, "bf16")
        result(op(f"wl.matmul {a}, {b} : ({ty(sa, 'bf16')}, {ty(sb, 'bf16')})"
                  f" -> {ty(so, 'bf16')}", so), so, "bf16")
    for m, nn, k in ((128, 512, 256), (32, 2048, 512), (512, 96, 64)):
        sa, sb, so = [m, k], [nn, k], [m, nn]
        a, b = arg(sa), arg(sb)
        result(op(f"wl.matmul {a}, {b} {{transpose_rhs}} : ({ty(sa)}, {ty(sb)})"
                  f" -> {ty(so)}", so), so)
    for batch, s, d in ((4, 256, 64), (16, 64, 32)):
        sa, so = [batch, s, d], [batch, s, s]
        a, b = arg(sa), arg(sa)
        result(op(f"wl.batch_matmul {a}, {b} {{transpose_rhs}} : ({ty(sa)}, "
                  f"{ty(sa)}) -> {ty(so)}", so), so)
    # (The last one's 32 MiB of scores the host computes in tiles of query
    # rows.)
    for batch, s, d, causal in ((4, 256, 64, True), (8, 128, 32, False),
                                (8, 1024, 64, True)):
        sa = [batch, s, d]
        q, k, v = arg(sa), arg(sa), arg(sa)
        flag = " {causal}" if causal else ""
        result(op(f"wl.attention {q}, {k}, {v}{flag} : ({ty(sa)}, {ty(sa)}, "
                  f"{ty(sa)}) -> {ty(sa)}", sa), sa)
    # Attention over a [S, H * D] cache's heads (a decode step's, a chunk
    # of a prefill's): keys and values read in place through the head
    # split, K^T packed per head.
    for heads, rows, s_len, d in ((8, 1, 128, 64), (12, 16, 256, 64)):
        sq, sc, sh = [heads, rows, d], [s_len, heads * d], [s_len, heads, d]
        st = [heads, s_len, d]
        q, kc, vc = arg(sq), arg(sc), arg(sc)
        kv = []
        for c in (kc, vc):
            r = op(f"wl.reshape {c} : {ty(sc)} -> {ty(sh)}", sh)
            kv.append(op(f"wl.transpose {r} perm = [1, 0, 2] : {ty(sh)} -> "
                         f"{ty(st)}", st))
        result(op(f"wl.attention {q}, {kv[0]}, {kv[1]} : ({ty(sq)}, {ty(st)}, "
                  f"{ty(st)}) -> {ty(sq)}", sq), sq)
    # Convolutions whose filter outgrows the core's cache, and more small
    # ones, where the fixed costs show.
    for hw, cin, cout, k, epi in ((8, 384, 384, 3, "bias_relu"),
                                  (6, 256, 512, 3, "none"),
                                  (4, 512, 512, 3, "bias"),
                                  (14, 512, 1024, 1, "none"),
                                  (4, 8, 8, 3, "bias_relu"),
                                  (2, 64, 32, 1, "bias")):
        pad = k // 2
        img, flt, out = [1, hw, hw, cin], [k, k, cin, cout], [1, hw, hw, cout]
        a, b = arg(img), arg(flt)
        v = op(f"wl.conv2d {a}, {b} {{padding = array<i64: {pad}, {pad}, "
               f"{pad}, {pad}>}} : ({ty(img)}, {ty(flt)}) -> {ty(out)}", out)
        if epi.startswith("bias"):
            bias = arg([cout])
            v = op(f"wl.add {v}, {bias} : ({ty(out)}, {ty([cout])}) -> {ty(out)}", out)
        if epi.endswith("relu"):
            v = op(f"wl.relu {v} : {ty(out)}", out)
        result(v, out)
    # Elementwise chains with broadcasts and divisions, small to large.
    for rows, cols in ((4, 64), (32, 128), (256, 512), (1024, 2048)):
        shape = [rows, cols]
        a, b, c = arg(shape), arg([cols]), arg(shape)
        v = op(f"wl.mul {a}, {b} : ({ty(shape)}, {ty([cols])}) -> {ty(shape)}", shape)
        v = op(f"wl.div {v}, {c} : ({ty(shape)}, {ty(shape)}) -> {ty(shape)}", shape)
        result(op(f"wl.max {v}, {a} : ({ty(shape)}, {ty(shape)}) -> {ty(shape)}",
                  shape), shape)
    # Functions the JIT calls libm for, once per element: sin and cos (a
    # RoPE table's), and f64 ones.
    for rows, cols in ((16, 64), (64, 256), (256, 1024), (1024, 1024)):
        shape = [rows, cols]
        for fn in ("sin", "cos"):
            a = arg(shape)
            result(op(f"wl.{fn} {a} : {ty(shape)}", shape), shape)
    for rows, cols in ((32, 64), (256, 512)):
        shape = [rows, cols]
        a = arg(shape, "f64")
        result(op(f"wl.exp {a} : {ty(shape, 'f64')}", shape), shape, "f64")
    for shape, axis in (([8, 128, 128], 2), ([64, 1000], 1)):
        a = arg(shape)
        result(op(f"wl.softmax {a} axis = {axis} : {ty(shape)}", shape), shape)
    for shape in ([1, 14, 14, 256], [32, 49, 512]):
        a = arg(shape)
        out = [shape[0], shape[-1]]
        dims = list(range(1, len(shape) - 1))
        result(op(f"wl.reduce mean {a} dims = {dims} : {ty(shape)} -> {ty(out)}",
                  out), out)
    for rows, c1, c2 in ((1024, 256, 512), (49, 64, 64)):
        s1, s2, so = [rows, c1], [rows, c2], [rows, c1 + c2]
        a, b = arg(s1), arg(s2)
        result(op(f"wl.concat {a}, {b} dim = 1 : ({ty(s1)}, {ty(s2)}) -> {ty(so)}",
                  so), so)
    # Beyond the 32 MiB L3: what the large kernels of the models (GPT-2 at
    # batch 8, Llama's attention, VGG) stream from DRAM.
    for shape, kind in (([16, 1024, 1024], "softmax"), ([8192, 1024], "layer_norm"),
                        ([4096, 4096], "rms_norm"), ([4096, 4096], "gelu"),
                        ([4096, 4096], "transpose"), ([4096, 4096], "add")):
        a = arg(shape)
        rank = len(shape)
        if kind == "softmax":
            v = op(f"wl.softmax {a} axis = {rank - 1} : {ty(shape)}", shape)
        elif kind == "layer_norm":
            g, b = arg(shape[-1:]), arg(shape[-1:])
            v = op(f"wl.layer_norm {a}, {g}, {b} : ({ty(shape)}, {ty(shape[-1:])}, "
                   f"{ty(shape[-1:])}) -> {ty(shape)}", shape)
        elif kind == "rms_norm":
            g = arg(shape[-1:])
            v = op(f"wl.rms_norm {a}, {g} : ({ty(shape)}, {ty(shape[-1:])}) -> "
                   f"{ty(shape)}", shape)
        elif kind == "transpose":
            shape = shape[::-1]
            v = op(f"wl.transpose {a} perm = [1, 0] : {ty(shape[::-1])} -> {ty(shape)}",
                   shape)
        elif kind == "add":
            b = arg(shape)
            v = op(f"wl.add {a}, {b} : ({ty(shape)}, {ty(shape)}) -> {ty(shape)}", shape)
        else:
            v = op(f"wl.{kind} {a} : {ty(shape)}", shape)
        result(v, shape)
    # Matrix-vector products whose weight streams from DRAM (VGG's
    # classifier: 1 x 25088 x 4096, 411 MB).
    for m, nn, k in ((1, 4096, 4096), (1, 4096, 8192)):
        sa, sb, so = [m, k], [k, nn], [m, nn]
        a, b = arg(sa), arg(sb)
        result(op(f"wl.matmul {a}, {b} : ({ty(sa)}, {ty(sb)}) -> {ty(so)}", so), so)
    for m, nn, k in ((2048, 2048, 2048), (8192, 768, 768)):
        sa, sb, so = [m, k], [k, nn], [m, nn]
        a, b = arg(sa), arg(sb)
        result(op(f"wl.matmul {a}, {b} : ({ty(sa)}, {ty(sb)}) -> {ty(so)}", so), so)
    img, flt, out = [1, 58, 58, 128], [3, 3, 128, 128], [1, 56, 56, 128]
    a, b = arg(img), arg(flt)
    result(op(f"wl.conv2d {a}, {b} : ({ty(img)}, {ty(flt)}) -> {ty(out)}", out), out)
    img, out = [1, 112, 112, 128], [1, 56, 56, 128]
    a = arg(img)
    result(op(f"wl.pool2d max {a} {{window = array<i64: 2, 2>, strides = array<i64: "
              f"2, 2>}} : {ty(img)} -> {ty(out)}", out), out)

    # Kernels of 1 to 11 ops of little work: a small matmul, then n pairs
    # of a transpose and an add (the outliner keeps the chain in the
    # matmul's kernel; each is an op of its own), at sizes whose ops run
    # on one thread and on the threads (256 x 256: each op forks). Most
    # kernels above are one op, where the cost per op and per call cannot
    # be told apart (benchmarks/RESULTS.md, 2026-12-05 fifth session).
    for side in (8, 32, 256):
        for pairs in range(6):
            shape = [side, side]
            a, b, c = arg(shape), arg(shape), arg(shape)
            v = op(f"wl.matmul {a}, {b} : ({ty(shape)}, {ty(shape)}) -> "
                   f"{ty(shape)}", shape)
            for _ in range(pairs):
                v = op(f"wl.transpose {v} perm = [1, 0] : {ty(shape)} -> "
                       f"{ty(shape)}", shape)
                v = op(f"wl.add {v}, {c} : ({ty(shape)}, {ty(shape)}) -> "
                       f"{ty(shape)}", shape)
            result(v, shape)

    # Chains of 1, 2, 4 and 8 fused elementwise ops (one loop nest each)
    # within the core's cache, the L3 and beyond it: what a pass over the
    # elements costs apart from what each op's arithmetic does (a chain of
    # 4 adds took no longer than one on the project's VM: benchmarks/
    # RESULTS.md, 2026-12-07, tenth session); the last reads a row vector
    # as epilogues read their bias.
    for rows, cols in ((64, 256), (256, 512), (2048, 2048)):
        shape = [rows, cols]
        for length in (1, 2, 4, 8):
            a, b = arg(shape), arg(shape)
            v = a
            for i in range(length):
                fn = ("add", "mul", "max", "sub")[i % 4]
                v = op(f"wl.{fn} {v}, {b} : ({ty(shape)}, {ty(shape)}) -> "
                       f"{ty(shape)}", shape)
            if length == 8:
                bias = arg([cols])
                v = op(f"wl.add {v}, {bias} : ({ty(shape)}, {ty([cols])}) -> "
                       f"{ty(shape)}", shape)
            result(v, shape)
    # Each transcendental alone and in GELU's two forms, the same sizes
    # (the erf form's erf is a term of its own).
    for rows, cols in ((64, 256), (256, 512)):
        shape = [rows, cols]
        for fn in ("exp", "tanh", "sigmoid", "gelu {approximate}", "gelu"):
            name, _, attr = fn.partition(" ")
            a = arg(shape)
            result(op(f"wl.{name} {a} {attr}{' ' if attr else ''}: {ty(shape)}",
                      shape), shape)
    # Transposes of outer dimensions that keep rows (attention's head
    # split and merge) of 4 and 16 MiB, and a product whose weight, read
    # as N x K, streams from DRAM (50 MB: a large model's projection).
    for shape, perm in (([32, 64, 8, 64], [0, 2, 1, 3]),
                        ([16, 256, 16, 64], [0, 2, 1, 3])):
        out = [shape[p] for p in perm]
        a = arg(shape)
        result(op(f"wl.transpose {a} perm = {perm} : {ty(shape)} -> {ty(out)}",
                  out), out)
    sa, sb, so = [32, 2048], [6144, 2048], [32, 6144]
    a, b = arg(sa), arg(sb)
    result(op(f"wl.matmul {a}, {b} {{transpose_rhs}} : ({ty(sa)}, {ty(sb)}) -> "
              f"{ty(so)}", so), so)

    # Random kernels of the same kinds (a fixed seed: the same file every
    # time), so that the fit sees shapes and epilogues in the proportions
    # and the ranges real models have, without seeing the models.
    rng = random.Random(16)
    pick = rng.choice

    def random_epilogue(v, out, channels):
        return epilogue(v, out, channels,
                        pick(["none", "bias", "bn", "bias_relu", "bn_relu",
                              "bn_silu", "bias_relu6"]))

    for _ in range(60):
        hw = pick([2, 4, 7, 8, 14, 16, 28, 32, 56])
        k, s = pick([1, 1, 3, 3, 5]), pick([1, 1, 2])
        depthwise = k > 1 and rng.random() < 0.3
        cin = pick([8, 16, 24, 32, 64, 96, 128, 192, 256, 384, 512])
        cout = cin if depthwise else pick([8, 16, 32, 64, 128, 256, 512])
        pad = k // 2
        out_hw = (hw + 2 * pad - k) // s + 1
        macs = out_hw * out_hw * cout * k * k * (1 if depthwise else cin)
        if macs > 1.5e8:
            continue
        img, flt = [1, hw, hw, cin], [k, k, 1 if depthwise else cin, cout]
        out = [1, out_hw, out_hw, cout]
        a, b = arg(img), arg(flt)
        attrs = (f"strides = array<i64: {s}, {s}>, padding = array<i64: {pad}, "
                 f"{pad}, {pad}, {pad}>, groups = {cin if depthwise else 1} : i64")
        v = op(f"wl.conv2d {a}, {b} {{{attrs}}} : ({ty(img)}, {ty(flt)}) -> "
               f"{ty(out)}", out)
        result(random_epilogue(v, out, cout), out)
    for _ in range(30):
        m = pick([1, 4, 16, 40, 64, 128, 256, 512, 1024])
        nn, k = pick([64, 256, 512, 768, 1000, 1536, 3072]), pick([64, 256, 512, 768, 1024, 2048])
        if 2 * m * nn * k > 2e9:
            continue
        element = "bf16" if rng.random() < 0.15 else "f32"
        transpose = element == "f32" and rng.random() < 0.25
        sa, sb, so = [m, k], ([nn, k] if transpose else [k, nn]), [m, nn]
        a, b = arg(sa, element), arg(sb, element)
        flag = " {transpose_rhs}" if transpose else ""
        v = op(f"wl.matmul {a}, {b}{flag} : ({ty(sa, element)}, {ty(sb, element)})"
               f" -> {ty(so, element)}", so)
        if element == "f32":
            v = random_epilogue(v, so, nn)
        result(v, so, element)
    for _ in range(20):
        rows, cols = pick([1, 8, 64, 128, 512, 2048]), pick([64, 256, 768, 1024, 4096])
        shape = [rows, cols]
        a = arg(shape)
        kind = pick(["softmax", "layer_norm", "rms_norm", "reduce", "gelu", "exp",
                     "chain"])
        if kind == "softmax":
            v = op(f"wl.softmax {a} axis = 1 : {ty(shape)}", shape)
        elif kind == "layer_norm":
            g, bb = arg([cols]), arg([cols])
            v = op(f"wl.layer_norm {a}, {g}, {bb} : ({ty(shape)}, {ty([cols])}, "
                   f"{ty([cols])}) -> {ty(shape)}", shape)
        elif kind == "rms_norm":
            g = arg([cols])
            v = op(f"wl.rms_norm {a}, {g} : ({ty(shape)}, {ty([cols])}) -> "
                   f"{ty(shape)}", shape)
        elif kind == "reduce":
            shape = [rows]
            v = op(f"wl.reduce sum {a} dims = [1] : {ty([rows, cols])} -> "
                   f"{ty(shape)}", shape)
        elif kind == "chain":
            b = arg(shape)
            v = op(f"wl.add {a}, {b} : ({ty(shape)}, {ty(shape)}) -> {ty(shape)}", shape)
            v = op(f"wl.mul {v}, {b} : ({ty(shape)}, {ty(shape)}) -> {ty(shape)}", shape)
        else:
            v = op(f"wl.{kind} {a} : {ty(shape)}", shape)
        result(v, shape)
    for _ in range(20):
        c, hw = pick([3, 16, 32, 64, 128, 256, 512]), pick([1, 2, 4, 7, 14, 28, 56])
        shape = [1, c, hw, hw] if rng.random() < 0.5 else [c, pick([1, 3, 64]), hw, hw]
        perm = pick([[0, 2, 3, 1], [0, 3, 1, 2], [2, 3, 1, 0], [1, 0, 2, 3]])
        out = [shape[p] for p in perm]
        a = arg(shape)
        result(op(f"wl.transpose {a} perm = {perm} : {ty(shape)} -> {ty(out)}",
                  out), out)
    for _ in range(10):
        c, hw = pick([16, 64, 144, 256, 480, 1152]), pick([1, 2, 4, 8, 16, 28])
        img = [1, hw, hw, c]
        a = arg(img)
        if hw >= 4 and rng.random() < 0.5:
            out = [1, hw // 2, hw // 2, c]
            text = (f"wl.pool2d max {a} {{window = array<i64: 2, 2>, strides = "
                    f"array<i64: 2, 2>}} : {ty(img)} -> {ty(out)}")
        else:
            out = [1, 1, 1, c]
            text = (f"wl.pool2d avg {a} {{window = array<i64: {hw}, {hw}>}} : "
                    f"{ty(img)} -> {ty(out)}")
        result(op(text, out), out)
    f.print("sweep", ["  %zero = arith.constant 0.0 : f32"])

if __name__ == "__main__":
    main()
