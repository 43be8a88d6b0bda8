#!/usr/bin/env python3
"""Writes a model of LAYERS dense layers (matmul, bias add, ReLU: one
outlined kernel each) whose widths repeat every DISTINCT layers, as upstream
linalg on tensors:

  gen_layers.py LAYERS DISTINCT [--batch B]   (the module to stdout)

Layer i maps width 8 + i % DISTINCT to width 8 + (i + 1) % DISTINCT, so the
model has exactly DISTINCT kernels of different bodies (for DISTINCT >= 2)
and every other kernel repeats one of them, as a deep model repeats its
blocks. Weights and biases are function arguments.
"""
import argparse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("layers", type=int)
    parser.add_argument("distinct", type=int)
    parser.add_argument("--batch", type=int, default=4)
    args = parser.parse_args()
    if args.distinct < 2 or args.layers < args.distinct:
        raise SystemExit("gen_layers: need 2 <= DISTINCT <= LAYERS")
    b = args.batch

    def width(i):
        return 8 + i % args.distinct

    def ty(*shape):
        return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"

    params, body = [f"%x: {ty(b, width(0))}"], []
    prev = "%x"
    for i in range(args.layers):
        k, n = width(i), width(i + 1)
        params += [f"%w{i}: {ty(k, n)}", f"%b{i}: {ty(n)}"]
        body += [
            f"  %e{i} = tensor.empty() : {ty(b, n)}",
            f"  %z{i} = linalg.fill ins(%zero : f32) outs(%e{i} : {ty(b, n)})"
            f" -> {ty(b, n)}",
            f"  %m{i} = linalg.matmul ins({prev}, %w{i} : {ty(b, k)},"
            f" {ty(k, n)}) outs(%z{i} : {ty(b, n)}) -> {ty(b, n)}",
            f"  %y{i} = linalg.generic {{indexing_maps = [#id, #row, #id],"
            f" iterator_types = [\"parallel\", \"parallel\"]}}"
            f" ins(%m{i}, %b{i} : {ty(b, n)}, {ty(n)}) outs(%e{i} : {ty(b, n)})"
            f" {{",
            "  ^bb0(%a: f32, %c: f32, %o: f32):",
            "    %s = arith.addf %a, %c : f32",
            "    %r = arith.maximumf %s, %zero : f32",
            "    linalg.yield %r : f32",
            f"  }} -> {ty(b, n)}",
        ]
        prev = f"%y{i}"
    out = width(args.layers)
    print("#id = affine_map<(d0, d1) -> (d0, d1)>")
    print("#row = affine_map<(d0, d1) -> (d1)>")
    print(f"func.func @layers({', '.join(params)}) -> {ty(b, out)} {{")
    print("  %zero = arith.constant 0.0 : f32")
    print("\n".join(body))
    print(f"  return {prev} : {ty(b, out)}")
    print("}")


if __name__ == "__main__":
    main()
