#!/usr/bin/env python3
"""Compares the numbers two runs printed with printMemref*.

  compare_outputs.py EXPECTED ACTUAL [--rtol R] [--atol A]

Prints "compared N values, max abs error E" and exits 1 when the counts
differ or any |actual - expected| > atol + rtol * |expected| (NaN only
matches NaN). Used to check that importing a program into wl does not
change what it computes.
"""
import argparse
import math
import re
import sys

NUMBER = re.compile(r"[-+]?(?:nan|inf|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)", re.I)


def values(path):
    """Numbers of the memref data blocks (a header line, then lines that
    start with '[' or a space); anything else a program printed, such as a
    timing, is not compared."""
    out, in_data = [], False
    for line in open(path):
        if line.startswith("Unranked Memref") or line.startswith("Memref"):
            in_data = True
            continue
        if in_data and line[:1] in ("[", " "):
            out.extend(float(x) for x in NUMBER.findall(line))
        else:
            in_data = False
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("expected")
    p.add_argument("actual")
    p.add_argument("--rtol", type=float, default=1e-5)
    p.add_argument("--atol", type=float, default=1e-6)
    a = p.parse_args()
    exp, act = values(a.expected), values(a.actual)
    if len(exp) != len(act) or not exp:
        print(f"value counts differ or are zero: {len(exp)} vs {len(act)}")
        return 1
    worst, bad = 0.0, 0
    for e, x in zip(exp, act):
        if math.isnan(e) or math.isnan(x):
            bad += math.isnan(e) != math.isnan(x)
            continue
        err = abs(x - e)
        worst = max(worst, err)
        bad += err > a.atol + a.rtol * abs(e)
    print(f"compared {len(exp)} values, max abs error {worst:.3g}, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
