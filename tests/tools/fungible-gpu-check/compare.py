#!/usr/bin/env python3
"""Compares run-on-gpu.mlir's GPU outputs with float64 loops over the inputs
the GPU read (fungible-gpu-check's input<id>.bin), without numpy: the
reference is independent of every Fungible lowering. Prints one line per
function: how many elements, how many outside 1e-5 + 1e-5 * |reference|.
"""
import array
import math
import os
import sys


def load(path):
    values = array.array("f")
    with open(path, "rb") as f:
        values.frombytes(f.read())
    return values


def mm(d):
    a, b, c = (load(os.path.join(d, n)) for n in
               ("input0.bin", "input1.bin", "output0.bin"))
    m, k, n = 39, 70, 45
    ref = [max(0.0, sum(a[i * k + l] * b[l * n + j] for l in range(k)))
           for i in range(m) for j in range(n)]
    return ref, c


def softmax(d):
    x, y = (load(os.path.join(d, n)) for n in ("input0.bin", "output0.bin"))
    rows, cols = 30, 100
    ref = []
    for r in range(rows):
        row = x[r * cols:(r + 1) * cols]
        top = max(row)
        e = [math.exp(v - top) for v in row]
        s = sum(e)
        ref += [v / s for v in e]
    return ref, y


def main():
    root = sys.argv[1]
    for name, fn in (("mm", mm), ("softmax", softmax)):
        ref, got = fn(os.path.join(root, name))
        bad = sum(1 for r, g in zip(ref, got)
                  if not abs(r - g) <= 1e-5 + 1e-5 * abs(r))
        bad += abs(len(ref) - len(got))
        print(f"{name}: {len(ref)} elements, {bad} out of tolerance")


if __name__ == "__main__":
    main()
