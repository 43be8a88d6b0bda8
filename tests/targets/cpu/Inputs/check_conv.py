#!/usr/bin/env python3
"""Inputs for tests/targets/cpu/conv.mlir and its reference: the NHWC
convolutions computed here by their definition, in plain Python.

  check_conv.py inputs DIR      writes DIR/arg<i>.npy
  check_conv.py check DIR       compares DIR/result<i>.npy with the sums

Every input is a multiple of 1/8 in [-1, 1] (a fixed seed): each product
and partial sum is exact in f32, so any order of summation gives the same
bits and the comparison is exact.
"""
import os
import random
import struct
import sys

# (input NHWC, filter HWCF or HW1C, strides, groups); the functions of
# conv.mlir in order.
CONVS = [((1, 10, 12, 16), (3, 3, 16, 40), (1, 2), 1),
         ((1, 11, 11, 24), (3, 3, 1, 24), (2, 2), 24),
         ((1, 9, 9, 64), (3, 3, 64, 128), (1, 1), 1),
         ((1, 6, 7, 8), (1, 1, 8, 3), (1, 1), 1),
         ((1, 5, 6, 40), (1, 1, 40, 24), (1, 1), 1)]


def size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def values():
    rng = random.Random(16)
    out = []
    for img, flt, _, _ in CONVS:
        out.append([rng.randint(-8, 8) / 8 for _ in range(size(img))])
        out.append([rng.randint(-8, 8) / 8 for _ in range(size(flt))])
    return out


def write(path, shape, vals):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        ", ".join(str(d) for d in shape))
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode() + struct.pack("<%df" % len(vals), *vals))


def read(path):
    data = open(path, "rb").read()
    body = data[10 + struct.unpack("<H", data[8:10])[0]:]
    return struct.unpack("<%df" % (len(body) // 4), body)


def reference(img, flt, strides, groups, x, w):
    _, h, wd, c = img
    kh, kw, cg, f = flt
    oh, ow = (h - kh) // strides[0] + 1, (wd - kw) // strides[1] + 1
    out = []
    for i in range(oh):
        for j in range(ow):
            for o in range(f):
                g = o // (f // groups)
                s = 0.0
                for a in range(kh):
                    for b in range(kw):
                        for k in range(cg):
                            ch = g * cg + k
                            s += (x[((i * strides[0] + a) * wd + j * strides[1] + b) * c + ch]
                                  * w[((a * kw + b) * cg + k) * f + o])
                out.append(s)
    return out


def main():
    mode, folder = sys.argv[1], sys.argv[2]
    vals = values()
    if mode == "inputs":
        os.makedirs(folder, exist_ok=True)
        shapes = [s for img, flt, _, _ in CONVS for s in (img, flt)]
        for i, (shape, v) in enumerate(zip(shapes, vals)):
            write(os.path.join(folder, f"arg{i}.npy"), shape, v)
        return 0
    bad = 0
    for i, (img, flt, strides, groups) in enumerate(CONVS):
        want = reference(img, flt, strides, groups, vals[2 * i], vals[2 * i + 1])
        got = read(os.path.join(folder, f"result{i}.npy"))
        wrong = sum(1 for a, b in zip(want, got) if a != b) + abs(len(want) - len(got))
        print(f"conv {i}: {len(got)} values, {wrong} differ")
        bad += wrong
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
