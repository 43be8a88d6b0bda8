#!/usr/bin/env python3
"""Checks a calibrated cpu-host spec against the log of the run that made it.

  check_fit.py FITTED.json LOG

For every figure fungible-calibrate measures, prints "<path>: measured" when
the fitted value is positive and finite, its source says it was measured,
and it is the figure the run logged, converted to the spec's unit (GFLOP/s
-> TFLOP/s, GB/s, us) within the log's printed precision; otherwise prints
what is wrong and exits 1.

How fast the host was is deliberately not checked: a test never asserts a
duration, and a loaded CI machine can run the kernels many times slower.
"""
import json
import math
import re
import sys

LOG = re.compile(r"matmul \d+\^3 ([0-9.]+) GFLOP/s, vector FMA ([0-9.]+) "
                 r"GFLOP/s, stream ([0-9.]+) GB/s, launch ([0-9.]+) us")

# (path in the spec, group in LOG, log unit -> spec unit, half a printed ulp)
FIGURES = [(("compute", "matrix_tflops", "f32"), 1, 1e-3, 0.05e-3),
           (("compute", "vector_tflops", "f32"), 2, 1e-3, 0.05e-3),
           (("memory", "bandwidth_gbps"), 3, 1.0, 0.05),
           (("overheads", "launch_us"), 4, 1.0, 0.005)]


def figure(spec, path):
    for key in path:
        spec = spec[key]
    return spec


def main():
    fitted = json.load(open(sys.argv[1]))
    match = LOG.search(open(sys.argv[2]).read())
    if not match:
        print("the log has no 'measured on the JIT's threads' line")
        return 1
    ok = True
    for path, group, scale, slack in FIGURES:
        name = ".".join(path)
        got = figure(fitted, path)
        value, logged = got["value"], float(match.group(group)) * scale
        if not got["source"].startswith("measured by fungible-calibrate"):
            print(f"{name}: not measured (source {got['source']!r})")
            ok = False
        elif not (math.isfinite(value) and value > 0):
            print(f"{name}: {value} is not a positive rate")
            ok = False
        elif abs(value - logged) > slack * 1.0001:
            print(f"{name}: {value} is not the logged {logged}")
            ok = False
        else:
            print(f"{name}: measured")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
