#!/usr/bin/env python3
"""Turns the GPU's timings of a fidelity set into the cost model's
measurement file, which `fungible-calibrate --from=FILE` fits the GPU spec
with (docs/Fidelity.md, "Fitting a GPU"). Runs on the GPU machine (Python's
standard library only) or anywhere the results are.

    measurements.py OUT.json FIDELITY_DIR RESULTS_DIR SET... [--model CHIP]

FIDELITY_DIR/<set>/costs.json is `fungible-cost --format=json` of the set's
model (every gpu chip's estimates, with their `gpu_work`), made by
`scripts/gpu-check.sh prepare`; RESULTS_DIR/<set>/<kernel>/manifest.txt is
what fungible-gpu-check --runs wrote for the kernel (its `device` line and
its `median_ms ... spread ... runs ...` line). The chip is the one the
device's name names (an H200 is `h200`) unless --model says. OUT.json is
the report's shape: every kernel of the sets, named `<set>/<kernel>`, with
its estimates on that chip and, when it ran, `measured_s` and
`measured_spread`; and a `fidelity` object with `model`, `device`, `runs`
and the statistics. The fidelity summary is printed; kernels that did not
run are listed. Exits 1 when no kernel ran.

    measurements.py OUT.json FIDELITY_DIR - SET... --times-from OLD.json

takes each kernel's time from OLD.json (a measurement file written before,
its kernels named alike) instead of from the manifests: the same
measurements with the estimates of the costs.json made now, so that a model
changed since the GPU run is refitted on that run's times (fungible-calibrate
reads the `gpu_work` terms the estimates record). Kernels OLD.json has no
time for are listed as not run.
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from fidelity import stats  # noqa: E402

CHIPS = ("h100", "h200", "b200")


def read_manifest(path):
    device, median, spread, runs = None, None, None, None
    for line in open(path):
        words = line.split()
        if not words:
            continue
        if words[0] == "device":
            device = " ".join(w for w in words[1:] if not w.startswith("sm_"))
        elif words[0] == "median_ms" and len(words) >= 6:
            median, spread, runs = float(words[1]), float(words[3]), \
                int(words[5])
    return device, median, spread, runs


def statistics(estimated, measured):
    """scripts/fidelity.py's statistics, with the two totals."""
    result = stats(list(zip(estimated, measured)))
    result.update(estimated_total_s=sum(estimated),
                  measured_total_s=sum(measured))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("fidelity_dir")
    parser.add_argument("results_dir")
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--model", choices=CHIPS)
    parser.add_argument("--times-from", metavar="OLD.json")
    args = parser.parse_args()
    old_times = None
    if args.times_from:
        if args.results_dir != "-":
            sys.exit("measurements.py: --times-from takes the times from its "
                     "file: pass - as RESULTS_DIR")
        try:
            old = json.load(open(args.times_from))
            old_times = {k["name"]: k for k in old["kernels"]
                         if k.get("measured_s")}
            old_fidelity = old["fidelity"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            sys.exit(f"measurements.py: {args.times_from}: not a measurement "
                     f"file: {error}")

    kernels, missing, devices, runs = [], [], set(), 0
    for name in args.sets:
        costs_path = os.path.join(args.fidelity_dir, name, "costs.json")
        try:
            costs = json.load(open(costs_path))
        except (OSError, ValueError) as error:
            sys.exit(f"measurements.py: {costs_path}: {error}")
        for kernel in costs.get("kernels", []):
            short = kernel["name"].split("/")[-1]
            manifest = os.path.join(args.results_dir, name, short,
                                    "manifest.txt")
            entry = dict(kernel, name=f"{name}/{kernel['name']}")
            entry.pop("measured_s", None)
            if old_times is not None:
                before = old_times.get(entry["name"])
                if before:
                    devices.add(old_fidelity["device"])
                    entry["measured_s"] = before["measured_s"]
                    entry["measured_spread"] = before.get("measured_spread")
                    runs = max(runs, old_fidelity.get("runs", 0))
            elif os.path.exists(manifest):
                device, median, spread, count = read_manifest(manifest)
                if device:
                    devices.add(device)
                if median is not None and median > 0:
                    entry["measured_s"] = median * 1e-3
                    entry["measured_spread"] = spread
                    runs = max(runs, count)
            if "measured_s" not in entry:
                missing.append(entry["name"])
            kernels.append(entry)
    if len(devices) > 1:
        sys.exit(f"measurements.py: the results come from several devices: "
                 f"{sorted(devices)}")
    if not devices:
        sys.exit(f"measurements.py: no kernel of {args.sets} ran (no "
                 f"manifest with a device in {args.results_dir})")
    device = devices.pop()
    model = args.model
    if not model:
        named = [chip for chip in CHIPS if chip in device.lower()]
        if len(named) != 1:
            sys.exit(f"measurements.py: which chip is '{device}'? pass "
                     f"--model (one of {', '.join(CHIPS)})")
        model = named[0]
    for entry in kernels:
        estimates = entry.get("estimates", {})
        if model not in estimates:
            sys.exit(f"measurements.py: {entry['name']} has no {model} "
                     "estimate: prepare again (gpu-check.sh costs every "
                     "gpu chip)")
        entry["estimates"] = {model: estimates[model]}
    timed = [k for k in kernels if "measured_s" in k]
    if not timed:
        sys.exit("measurements.py: no kernel has a time")
    summary = statistics([k["estimates"][model]["seconds"] for k in timed],
                       [k["measured_s"] for k in timed])
    if math.isnan(summary["kendall_tau"]):
        summary["kendall_tau"] = None  # JSON has no NaN.
    report = {"metric": "time", "targets": [model], "kernels": kernels,
              "fidelity": dict(model=model, device=device, runs=runs,
                               sets=args.sets, **summary)}
    with open(args.out, "w") as out:
        json.dump(report, out, indent=2)
        out.write("\n")
    print(f"measurements.py: {len(timed)} of {len(kernels)} kernels timed on "
          f"{device}; the {model} model: mean error {summary['mape']:.1%}, "
          f"median {summary['median_ape']:.1%}, "
          f"largest {summary['max_ape']:.1%}, "
          f"Kendall tau {summary['kendall_tau'] or float('nan'):.2f}; the "
          f"whole sets "
          f"{summary['estimated_total_s']:.3e} s estimated, "
          f"{summary['measured_total_s']:.3e} s measured "
          f"({summary['total_ape']:.1%} off) -> {args.out}")
    if missing:
        print(f"measurements.py: {len(missing)} kernels did not run: "
              + " ".join(missing[:8]) + (" ..." if len(missing) > 8 else ""))


if __name__ == "__main__":
    main()
