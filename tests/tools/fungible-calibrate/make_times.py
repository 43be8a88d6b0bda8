#!/usr/bin/env python3
"""Writes a measurement file (fungible-cost --measure --format=json's
shape) whose times are the cpu roofline of known figures, computed here:
max(F / matrix-or-vector rate, B / bandwidth) + launch.

  make_times.py MATRIX_TFLOPS VECTOR_TFLOPS GBPS LAUNCH_US > times.json
"""
import json
import sys


def main():
    matrix, vector, gbps, launch = map(float, sys.argv[1:5])
    kernels = []
    scale = 1e3
    while scale <= 1e9:
        for flops, nbytes, kind in ((scale * 1000, scale / 10, "contraction"),
                                    (scale * 100, scale / 10, "elementwise"),
                                    (scale / 10, scale, "reduction"),
                                    (scale / 10, scale, "contraction")):
            rate = (matrix if kind == "contraction" else vector) * 1e12
            seconds = max(flops / rate, nbytes / (gbps * 1e9)) + launch * 1e-6
            kernels.append({"name": f"k{len(kernels)}", "kind": kind,
                            "flops": flops, "bytes": nbytes,
                            "measured_s": seconds})
        scale *= 10
    print(json.dumps({"kernels": kernels, "fidelity": {
        "model": "cpu-host", "host": "synthetic", "runs": 1}}))


if __name__ == "__main__":
    main()
