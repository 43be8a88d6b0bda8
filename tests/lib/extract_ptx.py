#!/usr/bin/env python3
"""Writes the PTX text of every gpu.binary in an MLIR file to DIR/<name>.ptx
and says how many it wrote.

With --ptxas PTXAS --arch ARCH it also assembles each file with NVIDIA's
ptxas for ARCH and fails, printing ptxas's message, if any is rejected; the
last line then says how many kernels were assembled.

gpu-module-to-binary{format=isa} leaves each kernel module's PTX as the
`assembly` of a #gpu.object; MLIR prints non-printable bytes of a string as
\\XX hex escapes and quotes/backslashes as \\" and \\\\. Exits 1 when the
file holds no gpu.binary.
"""
import argparse
import os
import re
import subprocess
import sys


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            nxt = text[i + 1]
            if nxt in "\"\\":
                out += nxt.encode()
                i += 2
                continue
            out.append(int(text[i + 1:i + 3], 16))
            i += 3
            continue
        out += ch.encode()
        i += 1
    return out.decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mlir")
    parser.add_argument("dir")
    parser.add_argument("--ptxas")
    parser.add_argument("--arch")
    parser.add_argument("--count", help="also say how many kernels contain this text")
    args = parser.parse_args()
    text = open(args.mlir).read()
    os.makedirs(args.dir, exist_ok=True)
    binaries = re.findall(
        r'gpu\.binary @(\w+)\s+\[#gpu\.object<.*?assembly = "((?:[^"\\]|\\.)*)"',
        text, re.S)
    if not binaries:
        sys.exit("extract_ptx.py: no gpu.binary with PTX assembly in " + args.mlir)
    paths = []
    for name, assembly in binaries:
        path = os.path.join(args.dir, name + ".ptx")
        with open(path, "w") as f:
            f.write(unescape(assembly))
        paths.append(path)
    print("%d kernels written" % len(paths))
    if args.count:
        with_text = sum(args.count in open(path).read() for path in paths)
        print("%d kernels contain %s" % (with_text, args.count))
    if args.ptxas:
        for path in paths:
            run = subprocess.run([args.ptxas, "-arch=" + args.arch, path, "-o",
                                  path + ".cubin"], capture_output=True, text=True)
            if run.returncode:
                sys.exit("ptxas rejected %s:\n%s%s" % (path, run.stdout, run.stderr))
        print("%d kernels assembled for %s" % (len(paths), args.arch))


if __name__ == "__main__":
    main()
