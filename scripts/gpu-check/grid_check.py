#!/usr/bin/env python3
"""Checks that the GPU model prices the kernels the GPU lowering launches:
for every kernel of the fidelity sets whose h100 estimate schedules a
CUDA-core contraction (`gpu_work.ctas`, docs/CostModel.md), the model's
CTAs against the grid of the kernel's one launch in its timing plan.

    grid_check.py FIDELITY_DIR [--chip h100]

FIDELITY_DIR/<set>/costs.json and FIDELITY_DIR/<set>/plans/<kernel>/plan.txt
are what `scripts/gpu-check.sh prepare` writes. Prints one line per
mismatch (and per such kernel that is not one launch), then a summary
line; exits 1 when any kernel does not match, 2 when there is nothing to
compare. Python's standard library only.
"""
import argparse
import glob
import json
import os
import sys


def launches(plan_path):
    """The (x, y, z) grids of a plan's launches, in order."""
    grids = []
    with open(plan_path) as plan:
        for line in plan:
            words = line.split()
            if words and words[0] == "launch":
                grids.append(tuple(int(w) for w in words[3:6]))
    return grids


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fidelity_dir")
    parser.add_argument("--chip", default="h100")
    args = parser.parse_args()
    compared, wrong = 0, 0
    for costs_path in sorted(glob.glob(os.path.join(args.fidelity_dir, "*",
                                                    "costs.json"))):
        set_dir = os.path.dirname(costs_path)
        for kernel in json.load(open(costs_path))["kernels"]:
            work = kernel.get("estimates", {}).get(args.chip, {}).get(
                "gpu_work", {})
            if not work.get("ctas") or work.get("tensor_core", 0) > 0:
                continue
            name = kernel["name"].split("/")[-1]
            plan = os.path.join(set_dir, "plans", name, "plan.txt")
            if not os.path.exists(plan):
                continue
            where = f"{os.path.basename(set_dir)}/{name}"
            grids = launches(plan)
            compared += 1
            if len(grids) != 1:
                wrong += 1
                print(f"grid_check.py: {where}: {len(grids)} launches, the "
                      "model prices one")
                continue
            x, y, z = grids[0]
            if x * y * z != work["ctas"]:
                wrong += 1
                print(f"grid_check.py: {where}: the model's {work['ctas']} "
                      f"CTAs, the launch's {x * y * z}")
    if not compared:
        sys.exit(f"grid_check.py: no CUDA-core contraction with a plan in "
                 f"{args.fidelity_dir}")
    print(f"grid_check.py: model CTAs = launch grid on "
          f"{compared - wrong} of {compared} CUDA-core kernels ({args.chip})")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
