#!/usr/bin/env python3
"""Checks a calibrated cpu-host spec against the nominal one.

  check_fit.py FITTED.json NOMINAL.json

For every figure fungible-calibrate measures, prints "<path>: within 10x of
nominal" when the fitted value is positive, its source says it was
measured, and it is within a factor of 10 of the nominal value; otherwise
prints what is wrong and exits 1.
"""
import json
import sys

FIGURES = [("compute", "matrix_tflops", "f32"), ("compute", "vector_tflops", "f32"),
           ("memory", "bandwidth_gbps"), ("overheads", "launch_us")]


def figure(spec, path):
    for key in path:
        spec = spec[key]
    return spec


def main():
    fitted = json.load(open(sys.argv[1]))
    nominal = json.load(open(sys.argv[2]))
    ok = True
    for path in FIGURES:
        name = ".".join(path)
        got, ref = figure(fitted, path), figure(nominal, path)["value"]
        value = got["value"]
        if not got["source"].startswith("measured by fungible-calibrate"):
            print(f"{name}: not measured (source {got['source']!r})")
            ok = False
        elif not (value > 0 and ref / 10 <= value <= ref * 10):
            print(f"{name}: {value} is not within 10x of nominal {ref}")
            ok = False
        else:
            print(f"{name}: within 10x of nominal ({value:.4g} vs {ref:.4g})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
