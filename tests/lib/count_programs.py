#!/usr/bin/env python3
"""Counts the device programs of each kernel variant in a wl-compile output.

  count_programs.py FILE [CHIP]

Each variant is a nested `module @<kernel>.<chip>`; its programs are its
gpu.binary ops (one per launch). Prints

  <K> kernels: <A> one program, <B> none (views only), <C> more: names...

so that a test can state how many kernels lower to exactly one program.
"""
import re
import sys


def main():
    path = sys.argv[1]
    chip = sys.argv[2] if len(sys.argv) > 2 else None
    counts = {}
    current = None
    for line in open(path):
        m = re.match(r"\s*module @\"?([\w.\-]+?)\.([\w\-]+)\"? attributes", line)
        if m and (chip is None or m.group(2) == chip):
            current = m.group(1)
            counts[current] = 0
            continue
        if m:
            current = None
        if current and re.match(r"\s*gpu\.binary @", line):
            counts[current] += 1
    one = [k for k, n in counts.items() if n == 1]
    none = [k for k, n in counts.items() if n == 0]
    more = [f"{k}={n}" for k, n in counts.items() if n > 1]
    print(f"{len(counts)} kernels: {len(one)} one program, {len(none)} none "
          f"(views only), {len(more)} more: {' '.join(more)}")


if __name__ == "__main__":
    main()
