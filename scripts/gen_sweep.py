#!/usr/bin/env python3
"""Generates the host model's fitting set: one function of independent
kernels as upstream linalg on tensors (each op reads function arguments,
so each is a kernel of its own), spanning the regimes the cpu model
distinguishes:

- matmuls, square from 8 to 512 and ragged (small M, large K; skinny N);
- elementwise adds from 256 to 4M elements (cache-resident to DRAM);
- row sums and softmaxes from 16x16 to 1024x1024;
- 3x3 convolutions (NHWC) of a few sizes.

The validation set is different on purpose: the models of
../shared/workloads and examples/workloads (docs/Fidelity.md).

  scripts/gen_sweep.py > sweep.mlir
"""


def ty(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


def main():
    args, body, results = [], [], []
    n = 0

    def arg(shape):
        args.append(f"%a{len(args)}: {ty(shape)}")
        return f"%a{len(args) - 1}"

    def fresh():
        nonlocal n
        n += 1
        return f"%v{n}"

    def empty(shape):
        v = fresh()
        body.append(f"  {v} = tensor.empty() : {ty(shape)}")
        return v

    def zeros(shape):
        e, v = empty(shape), fresh()
        body.append(f"  {v} = linalg.fill ins(%zero : f32) outs({e} : {ty(shape)})"
                    f" -> {ty(shape)}")
        return v

    def result(v, shape):
        results.append((v, shape))

    gemms = [(s, s, s) for s in (8, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512)]
    gemms += [(4, 256, 1024), (16, 1024, 256), (128, 8, 512), (384, 64, 384),
              (1, 512, 512), (1000, 32, 64), (64, 1000, 128)]
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
    print(f"func.func @sweep({', '.join(args)}) -> "
          f"({', '.join(ty(s) for _, s in results)}) {{")
    print("  %zero = arith.constant 0.0 : f32")
    print("\n".join(body))
    print(f"  return {', '.join(v for v, _ in results)} : "
          f"{', '.join(ty(s) for _, s in results)}")
    print("}")


if __name__ == "__main__":
    main()
