#!/usr/bin/env python3
"""Recomputes fungible-cost's flip bands from its JSON estimates: for each
kernel, with b the cheapest feasible target's seconds and r the next
cheapest feasible one's, (r - b) / (r + b) is the error on both estimates
that swaps them. Checks each kernel's flip_band and the sensitivity
counts, and prints "flipping K of N".

  check_flips.py COST.json
"""
import json
import sys


def main():
    report = json.load(open(sys.argv[1]))
    band = report["sensitivity"]["error_band"]
    compared = flipping = 0
    for k in report["kernels"]:
        times = sorted(e["seconds"] for e in k["estimates"].values()
                       if e["feasible"])
        if len(times) < 2:
            want = None
        else:
            b, r = times[0], times[1]
            want = (r - b) / (r + b)
        got = k["flip_band"]
        if (want is None) != (got is None) or (
                want is not None and abs(want - got) > 1e-12):
            print(f"{k['name']}: flip_band {got}, recomputed {want}")
            return 1
        if want is not None:
            compared += 1
            flipping += want <= band
    s = report["sensitivity"]
    if (s["kernels_compared"], s["kernels_flipping"]) != (compared, flipping):
        print("sensitivity", s, "recomputed", compared, flipping)
        return 1
    print(f"flipping {flipping} of {compared}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
