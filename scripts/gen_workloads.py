#!/usr/bin/env python3
"""Generates the workload library (examples/workloads/*.mlir) as upstream
MLIR on tensors, the way torch-mlir emits models: linalg named ops
(matmul, batch_matmul, conv_2d_nchw_fchw, depthwise_conv_2d_nchw_chw,
softmax, transpose), linalg.generic for bias adds, normalisations and
activations, tensor.pad / expand_shape / collapse_shape / extract_slice.
Weights are function arguments, so the files stay small; the shapes are the
published ones of each architecture (see examples/workloads/README.md).

  scripts/gen_workloads.py OUT_DIR          the full-size library
  scripts/gen_workloads.py OUT_DIR --small  the same graphs at small shapes
                                            (for numeric tests)

Output is deterministic: the same arguments give the same bytes.
"""
import argparse
import os


class Emitter:
    """Builds one func.func of linalg-on-tensors, f32."""

    def __init__(self, name):
        self.name = name
        self.args = []
        self.lines = []
        self.n = 0

    def arg(self, name, shape):
        self.args.append((name, shape))
        return f"%{name}", shape

    def fresh(self):
        self.n += 1
        return f"%v{self.n}"

    @staticmethod
    def ty(shape):
        return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"

    def emit(self, s):
        self.lines.append("  " + s)

    def empty(self, shape):
        v = self.fresh()
        self.emit(f"{v} = tensor.empty() : {self.ty(shape)}")
        return v

    def const(self, value):
        v = self.fresh()
        self.emit(f"{v} = arith.constant {value:.9e} : f32")
        return v

    def fill(self, shape, value=0.0):
        c = self.const(float(value))
        e = self.empty(shape)
        v = self.fresh()
        self.emit(f"{v} = linalg.fill ins({c} : f32) outs({e} : {self.ty(shape)}) -> {self.ty(shape)}")
        return v

    def matmul(self, a, b):
        (av, ash), (bv, bsh) = a, b
        shape = [ash[0], bsh[1]]
        f = self.fill(shape)
        v = self.fresh()
        self.emit(f"{v} = linalg.matmul ins({av}, {bv} : {self.ty(ash)}, {self.ty(bsh)}) "
                  f"outs({f} : {self.ty(shape)}) -> {self.ty(shape)}")
        return v, shape

    def batch_matmul(self, a, b):
        (av, ash), (bv, bsh) = a, b
        shape = [ash[0], ash[1], bsh[2]]
        f = self.fill(shape)
        v = self.fresh()
        self.emit(f"{v} = linalg.batch_matmul ins({av}, {bv} : {self.ty(ash)}, {self.ty(bsh)}) "
                  f"outs({f} : {self.ty(shape)}) -> {self.ty(shape)}")
        return v, shape

    def generic(self, inputs, shape, body, iterators=None, out_map=None, init=None):
        """inputs: list of ((value, shape), map_results); body(args) -> lines,
        last line yields. Maps are over len(shape) loops unless iterators
        is given."""
        rank = len(iterators) if iterators else len(shape)
        dims = ", ".join(f"d{i}" for i in range(rank))
        maps = [f"affine_map<({dims}) -> ({', '.join(r)})>" for _, r in inputs]
        out_res = out_map if out_map is not None else [f"d{i}" for i in range(rank)]
        maps.append(f"affine_map<({dims}) -> ({', '.join(out_res)})>")
        its = iterators or ["parallel"] * rank
        init = init or self.empty(shape)
        v = self.fresh()
        ins = ", ".join(x[0][0] for x in inputs)
        tys = ", ".join(self.ty(x[0][1]) for x in inputs)
        ins_part = f"ins({ins} : {tys}) " if inputs else ""
        self.emit(f"{v} = linalg.generic {{indexing_maps = [{', '.join(maps)}], "
                  f"iterator_types = [{', '.join(repr(i).replace(chr(39), chr(34)) for i in its)}]}} "
                  f"{ins_part}outs({init} : {self.ty(shape)}) {{")
        names = [f"%in{i}" for i in range(len(inputs))] + ["%out"]
        self.emit("^bb0(" + ", ".join(f"{n}: f32" for n in names) + "):")
        for line in body(names):
            self.emit("  " + line)
        self.emit(f"}} -> {self.ty(shape)}")
        return v, shape

    def ident(self, shape):
        return [f"d{i}" for i in range(len(shape))]

    def bias_add(self, x, b):
        xv, xs = x
        return self.generic([(x, self.ident(xs)), (b, [f"d{len(xs) - 1}"])], xs,
                            lambda a: [f"%r = arith.addf {a[0]}, {a[1]} : f32", "linalg.yield %r : f32"])

    def add(self, x, y):
        xs = x[1]
        return self.generic([(x, self.ident(xs)), (y, self.ident(xs))], xs,
                            lambda a: [f"%r = arith.addf {a[0]}, {a[1]} : f32", "linalg.yield %r : f32"])

    def mul(self, x, y):
        xs = x[1]
        return self.generic([(x, self.ident(xs)), (y, self.ident(xs))], xs,
                            lambda a: [f"%r = arith.mulf {a[0]}, {a[1]} : f32", "linalg.yield %r : f32"])

    def relu(self, x):
        xs = x[1]
        z = self.const(0.0)
        return self.generic([(x, self.ident(xs))], xs,
                            lambda a: [f"%c = arith.cmpf ugt, {a[0]}, {z} : f32",
                                       f"%r = arith.select %c, {a[0]}, {z} : f32", "linalg.yield %r : f32"])

    def relu6(self, x):
        xs = x[1]
        z, six = self.const(0.0), self.const(6.0)
        return self.generic([(x, self.ident(xs))], xs,
                            lambda a: [f"%m = arith.maximumf {a[0]}, {z} : f32",
                                       f"%r = arith.minimumf %m, {six} : f32", "linalg.yield %r : f32"])

    def gelu_tanh(self, x):
        xs = x[1]
        c = [self.const(v) for v in (0.5, 1.0, 0.044715, 0.7978845608028654)]
        return self.generic([(x, self.ident(xs))], xs, lambda a: [
            f"%x3a = arith.mulf {a[0]}, {a[0]} : f32", f"%x3 = arith.mulf %x3a, {a[0]} : f32",
            f"%p = arith.mulf {c[2]}, %x3 : f32", f"%s = arith.addf {a[0]}, %p : f32",
            f"%u = arith.mulf {c[3]}, %s : f32", "%t = math.tanh %u : f32",
            f"%o = arith.addf {c[1]}, %t : f32", f"%h = arith.mulf {c[0]}, {a[0]} : f32",
            "%r = arith.mulf %h, %o : f32", "linalg.yield %r : f32"])

    def silu(self, x):
        xs = x[1]
        one = self.const(1.0)
        return self.generic([(x, self.ident(xs))], xs, lambda a: [
            f"%n = arith.negf {a[0]} : f32", "%e = math.exp %n : f32",
            f"%d = arith.addf {one}, %e : f32", f"%r = arith.divf {a[0]}, %d : f32",
            "linalg.yield %r : f32"])

    def scale(self, x, s):
        xs = x[1]
        c = self.const(s)
        return self.generic([(x, self.ident(xs))], xs,
                            lambda a: [f"%r = arith.mulf {a[0]}, {c} : f32", "linalg.yield %r : f32"])

    def row_reduce(self, x, square=False, maximum=False):
        """Sum (of squares) or max over the last dim, keeping a 1."""
        xv, xs = x
        rank = len(xs)
        out = xs[:-1] + [1]
        init = self.fill(out, -3.4028234663852886e38 if maximum else 0.0)
        its = ["parallel"] * (rank - 1) + ["reduction"]
        out_map = [f"d{i}" for i in range(rank - 1)] + ["0"]

        def body(a):
            if maximum:
                return [f"%r = arith.maximumf {a[0]}, {a[1]} : f32", "linalg.yield %r : f32"]
            if square:
                return [f"%q = arith.mulf {a[0]}, {a[0]} : f32", f"%r = arith.addf %q, {a[1]} : f32",
                        "linalg.yield %r : f32"]
            return [f"%r = arith.addf {a[0]}, {a[1]} : f32", "linalg.yield %r : f32"]
        return self.generic([(x, self.ident(xs))], out, body, iterators=its, out_map=out_map, init=init)

    def layer_norm(self, x, g, b, eps=1e-5, rms=False):
        xv, xs = x
        n = float(xs[-1])
        rank = len(xs)
        row = [f"d{i}" for i in range(rank - 1)] + ["0"]
        last = [f"d{rank - 1}"]
        if not rms:
            s = self.row_reduce(x)
            cn = self.const(n)
            x = self.generic([(x, self.ident(xs)), (s, row)], xs, lambda a: [
                f"%m = arith.divf {a[1]}, {cn} : f32", f"%r = arith.subf {a[0]}, %m : f32",
                "linalg.yield %r : f32"])
        ss = self.row_reduce(x, square=True)
        cn, ce = self.const(n), self.const(eps)
        ins = [(x, self.ident(xs)), (ss, row), (g, last)] + ([] if rms else [(b, last)])

        def body(a):
            lines = [f"%v = arith.divf {a[1]}, {cn} : f32", f"%ve = arith.addf %v, {ce} : f32",
                     "%rs = math.rsqrt %ve : f32", f"%y = arith.mulf {a[0]}, %rs : f32",
                     f"%yg = arith.mulf %y, {a[2]} : f32"]
            if rms:
                return lines + ["linalg.yield %yg : f32"]
            return lines + [f"%r = arith.addf %yg, {a[3]} : f32", "linalg.yield %r : f32"]
        return self.generic(ins, xs, body)

    def reshape(self, x, shape, reassoc, expand):
        xv, xs = x
        v = self.fresh()
        re = "[" + ", ".join("[" + ", ".join(str(i) for i in g) + "]" for g in reassoc) + "]"
        if expand:
            self.emit(f"{v} = tensor.expand_shape {xv} {re} output_shape {list(shape)} : "
                      f"{self.ty(xs)} into {self.ty(shape)}".replace("'", ""))
        else:
            self.emit(f"{v} = tensor.collapse_shape {xv} {re} : {self.ty(xs)} into {self.ty(shape)}")
        return v, shape

    def transpose(self, x, perm):
        xv, xs = x
        shape = [xs[p] for p in perm]
        e = self.empty(shape)
        v = self.fresh()
        self.emit(f"{v} = linalg.transpose ins({xv} : {self.ty(xs)}) outs({e} : {self.ty(shape)}) "
                  f"permutation = [{', '.join(map(str, perm))}]")
        return v, shape

    def slice_cols(self, x, start, size):
        xv, xs = x
        shape = [xs[0], size]
        v = self.fresh()
        self.emit(f"{v} = tensor.extract_slice {xv}[0, {start}] [{xs[0]}, {size}] [1, 1] : "
                  f"{self.ty(xs)} to {self.ty(shape)}")
        return v, shape

    def softmax(self, x):
        """Softmax over the last dim, decomposed as torch-mlir emits it:
        max, exp(x - max), sum, divide."""
        xs = x[1]
        rank = len(xs)
        row = [f"d{i}" for i in range(rank - 1)] + ["0"]
        m = self.row_reduce(x, maximum=True)
        ex = self.generic([(x, self.ident(xs)), (m, row)], xs, lambda a: [
            f"%s = arith.subf {a[0]}, {a[1]} : f32", "%r = math.exp %s : f32", "linalg.yield %r : f32"])
        s = self.row_reduce(ex)
        return self.generic([(ex, self.ident(xs)), (s, row)], xs, lambda a: [
            f"%r = arith.divf {a[0]}, {a[1]} : f32", "linalg.yield %r : f32"])

    def pad_spatial(self, x, pad):
        """Zero-pads the H and W dims of an NCHW tensor (tensor.pad)."""
        xv, xs = x
        z = self.const(0.0)
        ps = [xs[0], xs[1], xs[2] + 2 * pad, xs[3] + 2 * pad]
        p = self.fresh()
        self.emit(f"{p} = tensor.pad {xv} low[0, 0, {pad}, {pad}] high[0, 0, {pad}, {pad}] {{")
        self.emit("^bb0(%i0: index, %i1: index, %i2: index, %i3: index):")
        self.emit(f"  tensor.yield {z} : f32")
        self.emit(f"}} : {self.ty(xs)} to {self.ty(ps)}")
        return p, ps

    def conv(self, x, w, stride=1, pad=0):
        wv, ws = w
        xv, xs = self.pad_spatial(x, pad) if pad else x
        oh = (xs[2] - ws[2]) // stride + 1
        shape = [xs[0], ws[0], oh, (xs[3] - ws[3]) // stride + 1]
        f = self.fill(shape)
        v = self.fresh()
        self.emit(f"{v} = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : vector<2xi64>, "
                  f"strides = dense<{stride}> : vector<2xi64>}} ins({xv}, {wv} : {self.ty(xs)}, {self.ty(ws)}) "
                  f"outs({f} : {self.ty(shape)}) -> {self.ty(shape)}")
        return v, shape

    def depthwise(self, x, w, stride=1, pad=1):
        xs = x[1]
        wv, ws = w
        p, ps = self.pad_spatial(x, pad)
        shape = [xs[0], xs[1], (ps[2] - ws[1]) // stride + 1, (ps[3] - ws[2]) // stride + 1]
        f = self.fill(shape)
        v = self.fresh()
        self.emit(f"{v} = linalg.depthwise_conv_2d_nchw_chw {{dilations = dense<1> : vector<2xi64>, "
                  f"strides = dense<{stride}> : vector<2xi64>}} ins({p}, {wv} : {self.ty(ps)}, {self.ty(ws)}) "
                  f"outs({f} : {self.ty(shape)}) -> {self.ty(shape)}")
        return v, shape

    def batch_norm(self, x, scale, shift):
        """Inference batch norm folded to a per-channel scale and shift."""
        xs = x[1]
        chan = ["d1"]
        return self.generic([(x, self.ident(xs)), (scale, chan), (shift, chan)], xs, lambda a: [
            f"%m = arith.mulf {a[0]}, {a[1]} : f32", f"%r = arith.addf %m, {a[2]} : f32",
            "linalg.yield %r : f32"])

    def text(self, result):
        rv, rs = result
        args = ", ".join(f"%{n}: {self.ty(s)}" for n, s in self.args)
        out = [f"func.func @{self.name}({args}) -> {self.ty(rs)} {{"]
        out += self.lines
        out.append(f"  return {rv} : {self.ty(rs)}")
        out.append("}")
        return "\n".join(out) + "\n"


def attention(e, x, d, heads, kv_heads, seq, mask, prefix):
    """Multi-head (or grouped-query) causal self-attention on x [seq, d]."""
    hd = d // heads
    kvd = kv_heads * hd
    wq = e.arg(f"{prefix}wq", [d, d])
    wk = e.arg(f"{prefix}wk", [d, kvd])
    wv = e.arg(f"{prefix}wv", [d, kvd])
    wo = e.arg(f"{prefix}wo", [d, d])
    q = e.matmul(x, wq)
    k = e.matmul(x, wk)
    v = e.matmul(x, wv)
    group = heads // kv_heads
    # q: [seq, d] -> [seq, kv, group, hd] -> [kv, group, seq, hd]
    q4 = e.reshape(q, [seq, kv_heads, group, hd], [[0], [1, 2, 3]], True)
    qt = e.transpose(q4, [1, 2, 0, 3])
    k3 = e.reshape(k, [seq, kv_heads, hd], [[0], [1, 2]], True)
    kt = e.transpose(k3, [1, 0, 2])          # [kv, seq, hd]
    v3 = e.reshape(v, [seq, kv_heads, hd], [[0], [1, 2]], True)
    vt = e.transpose(v3, [1, 0, 2])          # [kv, seq, hd]
    # scores[g, r, i, j] = sum_d q[g, r, i, d] * k[g, j, d]  (K/V shared by
    # the `group` query heads of each KV head: grouped-query attention).
    sshape = [kv_heads, group, seq, seq]
    init = e.fill(sshape)
    scores = e.generic([(qt, ["d0", "d1", "d2", "d4"]), (kt, ["d0", "d3", "d4"])], sshape,
                       lambda a: [f"%p = arith.mulf {a[0]}, {a[1]} : f32", f"%r = arith.addf {a[2]}, %p : f32",
                                  "linalg.yield %r : f32"],
                       iterators=["parallel"] * 4 + ["reduction"], out_map=["d0", "d1", "d2", "d3"], init=init)
    c = e.const(1.0 / hd ** 0.5)
    masked = e.generic([(scores, ["d0", "d1", "d2", "d3"]), (mask, ["d2", "d3"])], sshape, lambda a: [
        f"%s = arith.mulf {a[0]}, {c} : f32", f"%r = arith.addf %s, {a[1]} : f32", "linalg.yield %r : f32"])
    probs = e.softmax(masked)
    oshape = [kv_heads, group, seq, hd]
    init = e.fill(oshape)
    o = e.generic([(probs, ["d0", "d1", "d2", "d4"]), (vt, ["d0", "d4", "d3"])], oshape,
                  lambda a: [f"%p = arith.mulf {a[0]}, {a[1]} : f32", f"%r = arith.addf {a[2]}, %p : f32",
                             "linalg.yield %r : f32"],
                  iterators=["parallel"] * 4 + ["reduction"], out_map=["d0", "d1", "d2", "d3"], init=init)
    ot = e.transpose(o, [2, 0, 1, 3])        # [seq, kv, group, hd]
    o2 = e.reshape(ot, [seq, d], [[0], [1, 2, 3]], False)
    return e.matmul(o2, wo)


def gpt2_block(name, batch, seq, d=768, heads=12, ffn=3072):
    """GPT-2 small block (Radford et al. 2019): pre-LN, causal MHA, GELU."""
    e = Emitter(name)
    rows = batch * seq
    x = e.arg("x", [rows, d])
    mask = e.arg("causal_mask", [seq, seq])
    ln1g, ln1b = e.arg("ln1_g", [d]), e.arg("ln1_b", [d])
    wqkv, bqkv = e.arg("w_qkv", [d, 3 * d]), e.arg("b_qkv", [3 * d])
    wo, bo = e.arg("w_proj", [d, d]), e.arg("b_proj", [d])
    ln2g, ln2b = e.arg("ln2_g", [d]), e.arg("ln2_b", [d])
    wfc, bfc = e.arg("w_fc", [d, ffn]), e.arg("b_fc", [ffn])
    wout, bout = e.arg("w_out", [ffn, d]), e.arg("b_out", [d])
    h = e.layer_norm(x, ln1g, ln1b)
    qkv = e.bias_add(e.matmul(h, wqkv), bqkv)
    hd = d // heads

    def heads_of(t):  # [rows, d] -> [batch*heads, seq, hd]
        t4 = e.reshape(t, [batch, seq, heads, hd], [[0, 1], [2, 3]], True)
        tt = e.transpose(t4, [0, 2, 1, 3])
        return e.reshape(tt, [batch * heads, seq, hd], [[0, 1], [2], [3]], False)
    q = heads_of(e.slice_cols(qkv, 0, d))
    k = heads_of(e.slice_cols(qkv, d, d))
    v = heads_of(e.slice_cols(qkv, 2 * d, d))
    kt = e.transpose(k, [0, 2, 1])
    s = e.scale(e.batch_matmul(q, kt), 1.0 / hd ** 0.5)
    bh = batch * heads
    s = e.generic([(s, ["d0", "d1", "d2"]), (mask, ["d1", "d2"])], [bh, seq, seq],
                  lambda a: [f"%r = arith.addf {a[0]}, {a[1]} : f32", "linalg.yield %r : f32"])
    p = e.softmax(s)
    o = e.batch_matmul(p, v)
    o4 = e.reshape(o, [batch, heads, seq, hd], [[0, 1], [2], [3]], True)
    ot = e.transpose(o4, [0, 2, 1, 3])
    o2 = e.reshape(ot, [rows, d], [[0, 1], [2, 3]], False)
    r1 = e.add(x, e.bias_add(e.matmul(o2, wo), bo))
    h2 = e.layer_norm(r1, ln2g, ln2b)
    f = e.gelu_tanh(e.bias_add(e.matmul(h2, wfc), bfc))
    return e.text(e.add(r1, e.bias_add(e.matmul(f, wout), bout)))


def llama_block(seq, d=4096, heads=32, kv_heads=8, ffn=14336):
    """Llama-style decoder block at Mistral-7B shapes (Jiang et al. 2023):
    RMSNorm, grouped-query attention (32 query heads, 8 KV heads), SwiGLU."""
    e = Emitter("llama_block")
    x = e.arg("x", [seq, d])
    mask = e.arg("causal_mask", [seq, seq])
    g1, g2 = e.arg("attn_norm", [d]), e.arg("ffn_norm", [d])
    h = e.layer_norm(x, g1, None, eps=1e-5, rms=True)
    r1 = e.add(x, attention(e, h, d, heads, kv_heads, seq, mask, "attn_"))
    h2 = e.layer_norm(r1, g2, None, eps=1e-5, rms=True)
    wg, wu, wd = e.arg("w_gate", [d, ffn]), e.arg("w_up", [d, ffn]), e.arg("w_down", [ffn, d])
    act = e.mul(e.silu(e.matmul(h2, wg)), e.matmul(h2, wu))
    return e.text(e.add(r1, e.matmul(act, wd)))


def bert_layer(seq, d=768, heads=12, ffn=3072):
    """BERT-base encoder layer (Devlin et al. 2019): post-LN, bidirectional
    MHA (an all-zero mask argument), GELU (tanh form)."""
    e = Emitter("bert_layer")
    x = e.arg("x", [seq, d])
    mask = e.arg("attention_mask", [seq, seq])
    a = attention(e, x, d, heads, heads, seq, mask, "attn_")
    ba = e.arg("b_attn_out", [d])
    g1, b1 = e.arg("ln1_g", [d]), e.arg("ln1_b", [d])
    h = e.layer_norm(e.add(x, e.bias_add(a, ba)), g1, b1, eps=1e-12)
    w1, b1f = e.arg("w_inter", [d, ffn]), e.arg("b_inter", [ffn])
    w2, b2f = e.arg("w_out", [ffn, d]), e.arg("b_out", [d])
    f = e.gelu_tanh(e.bias_add(e.matmul(h, w1), b1f))
    g2, b2 = e.arg("ln2_g", [d]), e.arg("ln2_b", [d])
    return e.text(e.layer_norm(e.add(h, e.bias_add(e.matmul(f, w2), b2f)), g2, b2, eps=1e-12))


def resnet50_stage(hw, cin=64, width=64, blocks=3):
    """ResNet-50 conv2_x stage (He et al. 2016): three bottlenecks
    1x1 (64) -> 3x3 (64) -> 1x1 (256), batch norm folded to scale/shift, the
    first with a 1x1 projection shortcut; NCHW as torchvision exports it."""
    e = Emitter("resnet50_stage2")
    x = e.arg("x", [1, cin, hw, hw])
    out_c = 4 * width
    c = cin
    for i in range(blocks):
        p = f"b{i}_"
        w1 = e.arg(p + "w1", [width, c, 1, 1])
        w2 = e.arg(p + "w2", [width, width, 3, 3])
        w3 = e.arg(p + "w3", [out_c, width, 1, 1])
        bns = [(e.arg(p + f"bn{j}_scale", [n]), e.arg(p + f"bn{j}_shift", [n]))
               for j, n in ((1, width), (2, width), (3, out_c))]
        y = e.relu(e.batch_norm(e.conv(x, w1), *bns[0]))
        y = e.relu(e.batch_norm(e.conv(y, w2, pad=1), *bns[1]))
        y = e.batch_norm(e.conv(y, w3), *bns[2])
        if i == 0:
            wd = e.arg(p + "w_down", [out_c, c, 1, 1])
            sd = (e.arg(p + "bnd_scale", [out_c]), e.arg(p + "bnd_shift", [out_c]))
            shortcut = e.batch_norm(e.conv(x, wd), *sd)
        else:
            shortcut = x
        x = e.relu(e.add(y, shortcut))
        c = out_c
    return e.text(x)


def mobilenet_block(hw, c=24, expand=6):
    """MobileNetV2 inverted residual block (Sandler et al. 2018): 1x1
    expansion (x6), ReLU6, 3x3 depthwise, ReLU6, 1x1 linear projection,
    residual add; 24 channels at 56x56 as in the network's second stage."""
    e = Emitter("mobilenet_block")
    x = e.arg("x", [1, c, hw, hw])
    ce = c * expand
    w1 = e.arg("w_expand", [ce, c, 1, 1])
    wdw = e.arg("w_depthwise", [ce, 3, 3])
    w2 = e.arg("w_project", [c, ce, 1, 1])
    bn = [(e.arg(f"bn{j}_scale", [n]), e.arg(f"bn{j}_shift", [n])) for j, n in ((1, ce), (2, ce), (3, c))]
    y = e.relu6(e.batch_norm(e.conv(x, w1), *bn[0]))
    y = e.relu6(e.batch_norm(e.depthwise(y, wdw), *bn[1]))
    y = e.batch_norm(e.conv(y, w2), *bn[2])
    return e.text(e.add(x, y))


def mlp3(batch, sizes):
    """A three-layer MLP (784-512-256-10, as for MNIST): small kernels,
    overhead-bound on every accelerator."""
    e = Emitter("mlp3")
    x = e.arg("x", [batch, sizes[0]])
    for i in range(3):
        w = e.arg(f"w{i}", [sizes[i], sizes[i + 1]])
        b = e.arg(f"b{i}", [sizes[i + 1]])
        x = e.bias_add(e.matmul(x, w), b)
        if i < 2:
            x = e.relu(x)
    return e.text(x)


def library(small):
    if small:
        return {
            "gpt2_block_b1": gpt2_block("gpt2_block_b1", 1, 8, d=16, heads=2, ffn=32),
            "gpt2_block_b8": gpt2_block("gpt2_block_b8", 2, 8, d=16, heads=2, ffn=32),
            "llama_block": llama_block(8, d=16, heads=4, kv_heads=2, ffn=24),
            "bert_layer": bert_layer(8, d=16, heads=2, ffn=32),
            "resnet50_stage2": resnet50_stage(6, cin=8, width=4),
            "mobilenet_block": mobilenet_block(6, c=4, expand=3),
            "mlp3": mlp3(4, [16, 12, 8, 4]),
        }
    return {
        "gpt2_block_b1": gpt2_block("gpt2_block_b1", 1, 1024),
        "gpt2_block_b8": gpt2_block("gpt2_block_b8", 8, 1024),
        "llama_block": llama_block(2048),
        "bert_layer": bert_layer(128),
        "resnet50_stage2": resnet50_stage(56),
        "mobilenet_block": mobilenet_block(56),
        "mlp3": mlp3(32, [784, 512, 256, 10]),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out_dir")
    p.add_argument("--small", action="store_true")
    a = p.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    header = ("// Generated by scripts/gen_workloads.py{} -- do not edit; see "
              "examples/workloads/README.md.\n").format(" --small" if a.small else "")
    for name, text in library(a.small).items():
        with open(os.path.join(a.out_dir, name + ".mlir"), "w") as f:
            f.write(header + text)


if __name__ == "__main__":
    main()
