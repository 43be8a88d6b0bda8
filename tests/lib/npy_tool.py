#!/usr/bin/env python3
"""Writes and prints .npy files for the runtime tests (no NumPy needed).

  npy_tool.py inputs FILE FUNC DIR   writes DIR/arg<i>.npy for FUNC's tensor,
                                     memref and scalar (0-d) arguments, float32 (int32 for integer
                                     arguments), with the values
                                     make_harness.py generates, so a
                                     fungible-run and a harness run see the
                                     same inputs
  npy_tool.py print FILE.npy...      prints each array as printMemref does
                                     (read by compare_outputs.py)
  npy_tool.py write FILE DESCR V...  writes a 1-D array of NumPy type DESCR
                                     ('<f8', '<f2', '<i8', '|u1', ...) with
                                     the values V; DESCR:AxB (a shape) or
                                     DESCR: (0-d) for other shapes
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_harness import FLOATS, SCALARS, parse_tensor, scalar_value, signature  # noqa: E402


def write_npy(path, shape, values, floats, descr=None):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr or ("<f4" if floats else "<i4"),
        ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else ""))
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        code = {"<f8": "d", "<f4": "f", "<f2": "e", "<i8": "q", "<i4": "i",
                "<i2": "h", "|i1": "b", "|u1": "B", "|b1": "?"}[
                    descr or ("<f4" if floats else "<i4")]
        f.write(struct.pack("<%d%s" % (len(values), code), *values))


def read_npy(path):
    data = open(path, "rb").read()
    length = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + length].decode()
    kind, width = ("d", 8) if "'<f8'" in header else \
        ("f", 4) if "'<f4'" in header else ("i", 4)
    body = data[10 + length:]
    return struct.unpack("<%d%s" % (len(body) // width, kind), body)


def main():
    if sys.argv[1] == "inputs":
        path, func, out = sys.argv[2:5]
        os.makedirs(out, exist_ok=True)
        args, _ = signature(open(path).read(), func)
        for i, ty in enumerate(args):
            if ty in SCALARS:
                # A 0-d array, as fungible-run reads a scalar argument.
                floats = ty.startswith("f") or ty == "bf16"
                value = float(scalar_value(ty, 11 * i + 3)) if floats else \
                    int(scalar_value(ty, 11 * i + 3))
                write_npy(os.path.join(out, "arg%d.npy" % i), [], [value],
                          floats)
                continue
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
    elif sys.argv[1] == "write":
        path, descr = sys.argv[2:4]
        shape = None
        if ":" in descr:
            descr, dims = descr.split(":")
            shape = [int(d) for d in dims.split("x") if d]
        floats = descr[1] == "f"
        values = [float(v) if floats else int(v) for v in sys.argv[4:]]
        write_npy(path, [len(values)] if shape is None else shape, values,
                  floats, descr)
    else:
        raise SystemExit("npy_tool: unknown command " + sys.argv[1])


if __name__ == "__main__":
    main()
