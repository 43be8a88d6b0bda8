#!/usr/bin/env python3
"""Recomputes fungible-cost's flip bands from its JSON estimates: for each
kernel, with b the cheapest feasible target's seconds and r the next
cheapest feasible one's, (r - b) / (r + b) is the error on both estimates
that swaps them. Checks each kernel's flip_band and the sensitivity
counts, and prints "flipping K of N". With SPECS_DIR, also the flips with
each target's own error for the kernel's kind (its spec's
params.measured_error_<kind>, else the error band): another target could
be the cheapest when b (1 + e_b) >= m (1 - e_m); checks each kernel's
could_flip_to (the lowest m (1 - e_m)) and prints "measured K of N".

  check_flips.py COST.json [SPECS_DIR]
"""
import glob
import json
import os
import sys


def measured_errors(specs_dir):
    """{target: {kind: error}} from the specs' measured_error_ params."""
    errors = {}
    for path in glob.glob(os.path.join(specs_dir, "*.json")):
        spec = json.load(open(path))
        params = spec.get("params", {})
        errors[spec["id"]] = {
            name[len("measured_error_"):]: p["value"]
            for name, p in params.items()
            if name.startswith("measured_error_")}
    return errors


def main():
    report = json.load(open(sys.argv[1]))
    band = report["sensitivity"]["error_band"]
    compared = flipping = 0
    for k in report["kernels"]:
        times = sorted(e["seconds"] for e in k["estimates"].values()
                       if e["feasible"])
        if len(times) < 2:
            want = None
        else:
            b, r = times[0], times[1]
            want = (r - b) / (r + b)
        got = k["flip_band"]
        if (want is None) != (got is None) or (
                want is not None and abs(want - got) > 1e-12):
            print(f"{k['name']}: flip_band {got}, recomputed {want}")
            return 1
        if want is not None:
            compared += 1
            flipping += want <= band
    s = report["sensitivity"]
    if (s["kernels_compared"], s["kernels_flipping"]) != (compared, flipping):
        print("sensitivity", s, "recomputed", compared, flipping)
        return 1
    print(f"flipping {flipping} of {compared}")
    if len(sys.argv) < 3:
        return 0
    errors = measured_errors(sys.argv[2])
    measured = 0
    for k in report["kernels"]:
        kind = k["fidelity_kind"]
        feasible = {t: e["seconds"] for t, e in k["estimates"].items()
                    if e["feasible"]}
        if not feasible:
            continue
        best = min(feasible, key=feasible.get)
        def band(t):
            return errors.get(t, {}).get(kind, s["error_band"])
        ceiling = feasible[best] * (1 + band(best))
        lows = {t: m * (1 - min(band(t), 1)) for t, m in feasible.items()
                if t != best}
        want = min((t for t in lows if lows[t] <= ceiling),
                   key=lambda t: lows[t], default=None)
        if want != k.get("could_flip_to"):
            print(f"{k['name']}: could_flip_to {k.get('could_flip_to')}, "
                  f"recomputed {want}")
            return 1
        measured += want is not None
    if s["kernels_flipping_measured"] != measured:
        print("sensitivity", s, "recomputed measured", measured)
        return 1
    with_errors = sorted(t for t in errors if errors[t])
    if s["measured_errors"] != [t for t in report["targets"]
                                if t in with_errors]:
        print("measured_errors", s["measured_errors"], "specs", with_errors)
        return 1
    print(f"measured {measured} of {compared}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
