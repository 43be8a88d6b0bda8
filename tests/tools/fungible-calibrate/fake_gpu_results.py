#!/usr/bin/env python3
"""Writes what fungible-gpu-check --runs would write on a GPU whose times
are the gpu model (docs/CostModel.md, "gpu") at known factors, computed
here from each kernel's gpu_work: max(tensor_core / e_bf16 +
tensor_core_f8 / e_f8 + cuda_core / e_vector + cuda_core_loads / e_load,
memory / e_bandwidth, serial_steps x step) + launches x launch.

  fake_gpu_results.py COSTS.json CHIP DEVICE RESULTS_DIR [--skip NAME]

For every kernel of COSTS.json (fungible-cost --format=json with CHIP among
its targets) but the skipped one, RESULTS_DIR/<kernel>/manifest.txt gets
"device DEVICE sm_90" and "median_ms <the model's time> spread 0.01 runs
20".
"""
import json
import os
import sys

FACTORS = {"tensor_core": 0.55, "tensor_core_f8": 0.5, "cuda_core": 0.4,
           "cuda_core_loads": 0.3, "memory": 0.9}
STEP_S, LAUNCH_S = 40e-9, 6e-6


def main():
    costs, chip, device, out = sys.argv[1:5]
    skip = sys.argv[6] if len(sys.argv) > 6 and sys.argv[5] == "--skip" \
        else None
    for kernel in json.load(open(costs))["kernels"]:
        name = kernel["name"].split("/")[-1]
        if name == skip:
            continue
        w = kernel["estimates"][chip]["gpu_work"]
        compute = sum(w[t] / FACTORS[t]
                      for t in ("tensor_core", "tensor_core_f8", "cuda_core",
                                "cuda_core_loads"))
        seconds = max(compute, w["memory"] / FACTORS["memory"],
                      w["serial_steps"] * STEP_S) + w["launches"] * LAUNCH_S
        os.makedirs(os.path.join(out, name), exist_ok=True)
        with open(os.path.join(out, name, "manifest.txt"), "w") as f:
            f.write(f"device {device} sm_90\n")
            f.write(f"median_ms {seconds * 1e3!r} spread 0.01 runs 20\n")


if __name__ == "__main__":
    main()
