#!/usr/bin/env python3
"""The host model's fidelity table: runs `fungible-cost --measure` on every
model given (files, or folders of .mlir files) and prints, as Markdown,
each model's error and the error per kernel kind over all of them
(docs/Fidelity.md defines the statistics).

  scripts/fidelity.py [--runs N] [--bin DIR] [--spec FILE] PATH...

--spec adds a chip spec (a calibrated cpu-host, say: fungible-calibrate's
output) with --target-spec; the model compared is the cpu-host one.
Kernels are pooled over the models for the per-kind rows, and Kendall's tau
per kind is computed over the pool (by its definition, here).
"""
import argparse
import json
import math
import os
import subprocess
import sys


def tau_b(x, y):
    n, c, d, tx, ty = len(x), 0, 0, 0, 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            tx += dx == 0
            ty += dy == 0
            if dx and dy:
                c, d = (c + 1, d) if (dx > 0) == (dy > 0) else (c, d + 1)
    pairs = n * (n - 1) / 2
    den = math.sqrt((pairs - tx) * (pairs - ty))
    return float("nan") if den == 0 else (c - d) / den


def stats(pairs):
    errors = sorted(abs(e - m) / m for e, m in pairs)
    n = len(errors)
    if not n:
        return None
    median = errors[n // 2] if n % 2 else (errors[n // 2 - 1] + errors[n // 2]) / 2
    est, meas = [p[0] for p in pairs], [p[1] for p in pairs]
    return {"kernels": n, "mape": sum(errors) / n, "median_ape": median,
            "max_ape": errors[-1], "kendall_tau": tau_b(est, meas),
            "total_ape": abs(sum(est) - sum(meas)) / sum(meas)}


def pct(x):
    return f"{100 * x:.1f}%"


def row(name, s):
    tau = "-" if math.isnan(s["kendall_tau"]) else f"{s['kendall_tau']:.2f}"
    return (f"| {name} | {s['kernels']} | {pct(s['mape'])} | "
            f"{pct(s['median_ape'])} | {pct(s['max_ape'])} | {tau} | "
            f"{pct(s['total_ape'])} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--bin", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build", "bin"))
    parser.add_argument("--spec", action="append", default=[])
    args = parser.parse_args()
    models = []
    for path in args.paths:
        if os.path.isdir(path):
            models += sorted(os.path.join(path, f) for f in os.listdir(path)
                             if f.endswith(".mlir"))
        else:
            models.append(path)
    header = ("| {0} | kernels | MAPE | median APE | max APE | Kendall tau | "
              "whole-model error |\n|---|---:|---:|---:|---:|---:|---:|")
    print(header.format("model"))
    by_kind = {}
    for model in models:
        cmd = [os.path.join(args.bin, "fungible-cost"), model,
               "--targets=cpu-host", f"--measure={args.runs}", "--format=json"]
        cmd += [f"--target-spec={s}" for s in args.spec]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode:
            print(f"| {os.path.basename(model)} | failed: "
                  f"{run.stderr.strip().splitlines()[-1]} |||||")
            continue
        report = json.loads(run.stdout)
        pairs = []
        for k in report["kernels"]:
            if "measured_s" not in k:
                continue
            pair = (k["estimates"]["cpu-host"]["seconds"], k["measured_s"])
            pairs.append(pair)
            by_kind.setdefault(_kind(k), []).append(pair)
        s = stats(pairs)
        if s:
            print(row(os.path.basename(model)[:-5], s))
    print()
    print(header.format("kind (all models)"))
    everything = []
    for kind in sorted(by_kind):
        everything += by_kind[kind]
        print(row(kind, stats(by_kind[kind])))
    if everything:
        print(row("all", stats(everything)))
    return 0


def _kind(kernel):
    """runtime::fidelityKind: fungible-cost's kind, with convolutions
    apart (an outlined kernel is named after its anchor op: conv2d_3)."""
    anchor = kernel["name"].rsplit("/", 1)[-1]
    return "conv" if anchor.startswith("conv2d") else kernel["kind"]


if __name__ == "__main__":
    sys.exit(main())
