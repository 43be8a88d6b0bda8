#!/usr/bin/env python3
"""Recomputes a fungible-run --measure report's fidelity statistics from
its per-kernel estimates and medians (mean, median and largest absolute
percentage error, the whole model's error, Kendall's tau-b by its
definition) and says whether they agree with the report's.

  check_fidelity.py REPORT.json
"""
import json
import os
import sys

# Kendall's tau-b by its definition (pairs counted one by one), shared with
# the fidelity table's script; nothing of the C++ under test.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "scripts"))
from fidelity import tau_b  # noqa: E402


def main():
    report = json.load(open(sys.argv[1]))
    kernels = list(report["measured"].values())
    est = [k["estimated_s"] for k in kernels]
    meas = [k["measured_s"] for k in kernels]
    errors = sorted(abs(e - m) / m for e, m in zip(est, meas))
    n = len(errors)
    median = (errors[n // 2] if n % 2 else
              (errors[n // 2 - 1] + errors[n // 2]) / 2)
    want = {
        "mape": sum(errors) / n,
        "median_ape": median,
        "max_ape": errors[-1],
        "total_ape": abs(sum(est) - sum(meas)) / sum(meas),
        "kendall_tau": tau_b(est, meas),
    }
    if want["kendall_tau"] != want["kendall_tau"]:  # NaN: undefined
        want["kendall_tau"] = None
    got = report["fidelity"]
    bad = [k for k, v in want.items()
           if (v is None) != (got[k] is None) or
           (v is not None and abs(v - got[k]) > 1e-9 * max(1, abs(v)))]
    if bad or got["kernels"] != n:
        print("disagree:", bad, "kernels", got["kernels"], n)
        return 1
    print(f"{', '.join(want)} agree over {n} kernels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
