#!/usr/bin/env python3
"""Pins a copy of the cpu-host spec to the host costs and measured errors
of 2026-12-07 (ninth session: benchmarks/RESULTS.md), so that the worked
examples of the tests that use it (sensitivity.test) do not move each
time the shipped spec is refitted to the VM of the day.

  pin_host.py SPEC.json   (rewritten in place)
"""
import json
import sys

# ns per unit of each host term (docs/CostModel.md, "cpu").
COSTS = {
    "matmul": 0.00896279,
    "matmul_large": 0.00961557,
    "matmul_non_f32": 0.0113584,
    "matmul_stream": 0.00355098,
    # Not a term on 2026-12-07 (ninth session): conv_chain's cost, the
    # same FMA chains.
    "matmul_chain": 1.02151,
    "conv": 0.00900391,
    "conv_large": 0.00986834,
    "conv_pointwise": 0.00899752,
    "conv_depthwise": 0.00919242,
    "conv_chain": 1.02151,
    "conv_chain_window": 1.27756,
    "elementwise": 0.0365281,
    # Not terms yet on 2026-12-07 (ninth session): 0 for the pass and
    # transcendental's cost for erf give that day's estimates.
    "elementwise_pass": 0.0,
    "transcendental": 0.311638,
    "transcendental_erf": 0.311638,
    "transcendental_libm": 1.84374,
    "reduction": 0.014574,
    "reduction_outer": 0.0414833,
    "pool": 0.0617557,
    "pool_global": 0.0258605,
    "norm": 0.0342205,
    "copy": 0.0539919,
    "copy_large": 0.00651501,
    "copy_transposed": 0.30177,
    "pack_transposed": 0.0524266,
    "cache_bytes": 0.00232533,
    "on_chip_bytes": 0.00481403,
    "memory_bytes": 0.0,
    "stream_bytes": 0.0328718,
    "matvec_on_chip_bytes": 0.00481403,
    "matvec_stream_bytes": 0.0328718,
    "ops": 11.1947,
    "parallel_ops": 1483.35,
    "result_bytes": 0.00316054,
    "scalar_op": 0.0497706,
    "serial_step": 0.316641,
    "strided_access": 0.1391,
    "strided_access_large": 1.6656,
    "reduction_chain": 0.0,
    "arguments": 0.0,
    "call": 116.263,
}
ERRORS = {
    "contraction": 0.098,
    "conv": 0.169,
    "data_movement": 0.281,
    "reduction": 0.196,
}


def main():
    path = sys.argv[1]
    spec = json.load(open(path))
    params = spec["params"]
    unpinned = sorted(k for k in params if k.startswith("host_ns_per_") and
                      k[len("host_ns_per_"):] not in COSTS)
    if unpinned:
        sys.exit("pin_host.py: the spec has host terms this script does not "
                 "pin: " + ", ".join(unpinned) + " (add their costs)")
    for term, cost in COSTS.items():
        params["host_ns_per_" + term]["value"] = cost
    for kind, error in ERRORS.items():
        params["measured_error_" + kind]["value"] = error
    json.dump(spec, open(path, "w"), indent=2)


if __name__ == "__main__":
    main()
