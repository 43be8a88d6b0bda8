#!/usr/bin/env python3
"""Checks the host model's forks against the host's code, kernel by
kernel: HostWork's `parallel_ops` (what fungible-cost --measure records
per kernel, docs/CostModel.md) against the `omp.parallel` regions of the
kernel's compiled cpu-host code (fungible-opt --wl-compile, the module the
runtime runs). Prints each kernel that differs and a line per file; exits
non-zero when any does.

  scripts/check_forks.py [--bin DIR] MODEL.mlir...
"""
import argparse
import json
import os
import re
import subprocess
import sys


def model_forks(bin_dir, path):
    """{kernel: parallel_ops} as fungible-cost counts them (one timed run
    each: the count is recorded with the measurement)."""
    run = subprocess.run([os.path.join(bin_dir, "fungible-cost"), path,
                          "--targets=cpu-host", "--measure=1",
                          "--format=json"], capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"check_forks.py: fungible-cost {path}: {run.stderr}")
    return {k["name"].rsplit("/", 1)[-1]: round(k["host_work"]["parallel_ops"])
            for k in json.loads(run.stdout)["kernels"]}


def code_forks(bin_dir, path):
    """{kernel: omp.parallel regions} of each kernel's cpu-host module."""
    run = subprocess.run([os.path.join(bin_dir, "fungible-opt"), path,
                          "--wl-import-and-outline",
                          "--wl-compile=targets=cpu-host"],
                         capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"check_forks.py: fungible-opt {path}: {run.stderr}")
    forks, kernel = {}, None
    for line in run.stdout.splitlines():
        m = re.match(r'\s*module @"?([A-Za-z0-9_]+)\.cpu-host"?', line)
        if m:
            kernel = m.group(1)
            forks[kernel] = 0
        elif kernel and "omp.parallel" in line:
            forks[kernel] += 1
    return forks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--bin", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build", "bin"))
    args = parser.parse_args()
    differing = 0
    for path in args.paths:
        model, code = model_forks(args.bin, path), code_forks(args.bin, path)
        bad = [k for k in model if model[k] != code.get(k)]
        for k in bad:
            print(f"  {k}: the model counts {model[k]} fork(s), the code has "
                  f"{code.get(k, 'no cpu-host module')}")
        print(f"{os.path.basename(path)}: {len(model)} kernels, "
              f"{len(bad)} differ")
        differing += len(bad)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
