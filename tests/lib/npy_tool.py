#!/usr/bin/env python3
"""Writes and prints .npy files for the runtime tests (no NumPy needed).

  npy_tool.py inputs FILE FUNC DIR   writes DIR/arg<i>.npy for FUNC's tensor
                                     arguments, float32 (int32 for integer
                                     arguments), with the values
                                     make_harness.py generates, so a
                                     fungible-run and a harness run see the
                                     same inputs
  npy_tool.py print FILE.npy...      prints each array as printMemref does
                                     (read by compare_outputs.py)
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_harness import FLOATS, parse_tensor, signature  # noqa: E402


def write_npy(path, shape, values, floats):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        "<f4" if floats else "<i4",
        ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else ""))
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack("<%d%s" % (len(values), "f" if floats else "i"), *values))


def read_npy(path):
    data = open(path, "rb").read()
    length = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + length].decode()
    kind = "f" if "'<f4'" in header else "i"
    body = data[10 + length:]
    return struct.unpack("<%d%s" % (len(body) // 4, kind), body)


def main():
    if sys.argv[1] == "inputs":
        path, func, out = sys.argv[2:5]
        os.makedirs(out, exist_ok=True)
        args, _ = signature(open(path).read(), func)
        for i, ty in enumerate(args):
            dims, elem = parse_tensor(ty)
            count = 1
            for d in dims:
                count *= d
            salt = 11 * i + 3
            floats = elem in FLOATS
            if floats:
                values = [((k * 37 + salt) % 101 - 50) / 101.0 for k in range(count)]
            else:
                values = [(k * 37 + salt) % 7 for k in range(count)]
            write_npy(os.path.join(out, "arg%d.npy" % i), dims, values, floats)
    elif sys.argv[1] == "print":
        for path in sys.argv[2:]:
            values = read_npy(path)
            print("Unranked Memref base@ = 0x0 rank = 1 offset = 0 sizes = [%d] strides = [1] data = " % len(values))
            print("[" + ", ".join("%.9g" % v for v in values) + "]")
    else:
        raise SystemExit("npy_tool: unknown command " + sys.argv[1])


if __name__ == "__main__":
    main()
