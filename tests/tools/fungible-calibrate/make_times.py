#!/usr/bin/env python3
"""Writes a measurement file (fungible-cost --measure --format=json's
shape) whose times are the host model (docs/CostModel.md, "cpu") at known
costs, computed here: the sum over terms of amount x cost. Amounts are 0
(a third of the time) or 10^u, u uniform in [0, 7), from a fixed seed.
The known costs (ns per unit) go to COSTS.json.

  make_times.py COSTS.json > times.json
"""
import json
import random
import sys

TERMS = ["matmul", "matmul_large", "matmul_non_f32", "matmul_chain",
         "conv", "conv_large", "conv_pointwise", "conv_depthwise", "conv_chain",
         "elementwise", "elementwise_pass", "transcendental",
         "transcendental_erf", "reduction", "reduction_outer",
         "pool", "pool_global", "norm", "copy", "copy_large", "cache_bytes",
         "on_chip_bytes", "memory_bytes", "stream_bytes",
         "matvec_on_chip_bytes", "matvec_stream_bytes",
         "ops", "parallel_ops", "result_bytes", "reduction_chain",
         "arguments", "call"]


def main():
    rng = random.Random(7)
    costs = {t: round(0.05 + 0.1 * (i % 5), 2) for i, t in enumerate(TERMS)}
    costs["call"] = 150.0
    json.dump(costs, open(sys.argv[1], "w"))
    kernels = []
    for i in range(80):
        work = {t: 0.0 if rng.random() < 1 / 3 else 10 ** (7 * rng.random())
                for t in TERMS}
        work["call"] = 1.0
        seconds = sum(work[t] * costs[t] for t in TERMS) * 1e-9
        kernels.append({"name": f"k{i}", "kind": "elementwise", "flops": 0,
                        "bytes": 0, "measured_s": seconds, "host_work": work})
    print(json.dumps({"kernels": kernels, "fidelity": {
        "model": "cpu-host", "host": "synthetic", "runs": 1}}))


if __name__ == "__main__":
    main()
