#!/usr/bin/env python3
"""The host model's fidelity table: runs `fungible-cost --measure` on every
model given (files, or folders of .mlir files) and prints, as Markdown,
each model's error and the error per kernel kind over all of them
(docs/Fidelity.md defines the statistics).

  scripts/fidelity.py [--runs N] [--bin DIR] [--spec FILE] PATH...
  scripts/fidelity.py --fit SWEEP.mlir --out SPEC [--rounds R] [--runs N]
                      PATH...

--spec adds a chip spec (a calibrated cpu-host, say: fungible-calibrate's
output) with --target-spec; the model compared is the cpu-host one.
Kernels are pooled over the models for the per-kind rows, and Kendall's tau
per kind is computed over the pool (by its definition, here).

--fit measures the fitting set (scripts/gen_sweep.py's sweep) and the
models in R rounds (default 3), interleaved: the sweep, then every model,
then the models again in reverse order and the sweep, and so on, so that
the host's drift over minutes (10-50% on the project's VM) falls on both
sets alike. Each kernel's time is the least of its rounds' medians (a
round's median of N runs is fungible-cost's measured_s): the VM's
neighbours only ever add time, and a round they slow (2-3 times, for
minutes, on the project's VM) is not the kernel's. The
sweep's times are fitted (fungible-calibrate --from) into SPEC, and the
models' table is printed for that spec, whose estimates are the host
model's (the sum of each kernel's recorded host_work times the fitted
costs, checked against fungible-cost's own estimates for the shipped
spec). The models are never fitted on. The same measurements are then
tabled against the shipped spec: the refit's effect without the drift
between runs. Last, the measurements' own noise: each round's time of a
kernel against the mean of its other rounds', per kind (no model can be
expected to beat it). SPEC.times.json and SPEC.models.json keep the
measurements, each kernel's rounds in `measured_rounds`.

  scripts/fidelity.py --recount OLD_SPEC --fit SWEEP.mlir --out SPEC PATH...

--recount judges a change to what the model counts on the measurements
an earlier --fit kept (OLD_SPEC.times.json, OLD_SPEC.models.json): each
kernel's host_work is counted again by this fungible-cost (of the same
SWEEP and models), the sweep refitted into SPEC, and the models tabled with
it and with the shipped spec, then with OLD_SPEC's costs on the old
counts: two models on the same times, not the host on two days.
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


HEADER = ("| {0} | kernels | MAPE | median APE | max APE | Kendall tau | "
          "whole-model error |\n|---|---:|---:|---:|---:|---:|---:|")


def measure(args, model, specs=()):
    """fungible-cost --measure's JSON report of `model`, or None (said)."""
    cmd = [os.path.join(args.bin, "fungible-cost"), model,
           "--targets=cpu-host", f"--measure={args.runs}", "--format=json"]
    cmd += [f"--target-spec={s}" for s in specs]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode:
        print(f"| {os.path.basename(model)} | failed: "
              f"{run.stderr.strip().splitlines()[-1]} |||||")
        return None
    return json.loads(run.stdout)


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def combine(reports):
    """The first report with each kernel's measured_s the least of the
    reports' (the same model measured in several rounds: contention on
    the host only adds time), and each round's time kept in
    measured_rounds."""
    combined = json.loads(json.dumps(reports[0]))
    for i, kernel in enumerate(combined["kernels"]):
        times = [r["kernels"][i].get("measured_s") for r in reports]
        if all(t is not None for t in times):
            kernel["measured_s"] = min(times)
            kernel["measured_rounds"] = times
    return combined


def round_noise(reports):
    """The measurements' own error: each round's time of a kernel against
    the mean of its other rounds' (what a model that knew every kernel's
    time but for this round's noise would be off by), averaged per kind.
    No model fitted to these measurements can be expected to do better.
    Prints a row per kind: kernels, that mean error and its median."""
    by_kind = {}
    for _, report in reports:
        for k in report["kernels"]:
            rounds = k.get("measured_rounds", [])
            for r, t in enumerate(rounds):
                others = rounds[:r] + rounds[r + 1:]
                if others:
                    rest = sum(others) / len(others)
                    by_kind.setdefault(_kind(k), []).append(abs(t - rest) / rest)
    print("| kind (all models) | kernel rounds | mean round-to-round error "
          "| median |\n|---|---:|---:|---:|")
    rows = [(kind, by_kind[kind]) for kind in sorted(by_kind)]
    rows.append(("all", [e for _, errors in rows for e in errors]))
    for kind, errors in rows:
        if errors:
            print(f"| {kind} | {len(errors)} | "
                  f"{pct(sum(errors) / len(errors))} | {pct(median(errors))} |")


def host_costs(spec):
    """A cpu-host spec's costs per unit of host work (ns), by term."""
    return {k[len("host_ns_per_"):]: v["value"]
            for k, v in json.load(open(spec))["params"].items()
            if k.startswith("host_ns_per_")}


def host_estimate(kernel, costs):
    """The host model's seconds for a kernel's recorded host_work."""
    return sum(amount * costs[term] * 1e-9
               for term, amount in kernel["host_work"].items())


def calibrate(args, times):
    """Writes the sweep's measurements `times` beside args.out, fits them
    into args.out with fungible-calibrate, and returns the fitted costs."""
    path = args.out + ".times.json"
    with open(path, "w") as f:
        json.dump(times, f)
    fit = subprocess.run([os.path.join(args.bin, "fungible-calibrate"),
                          f"--from={path}", f"--out={args.out}"],
                         capture_output=True, text=True)
    if fit.returncode:
        sys.exit(f"fidelity.py: fungible-calibrate failed: {fit.stderr}")
    print(fit.stderr.splitlines()[0], file=sys.stderr)
    return host_costs(args.out)


def shipped_costs(args):
    """The costs of the cpu-host spec args.bin's tools ship with."""
    return host_costs(os.path.join(args.bin, "..", "share", "fungible",
                                   "specs", "cpu-host.json"))


def table(reports, estimate):
    """Prints the models' rows and the per-kind rows; `estimate` gives a
    kernel's estimated seconds."""
    print(HEADER.format("model"))
    by_kind = {}
    for name, report in reports:
        pairs = []
        for k in report["kernels"]:
            if "measured_s" not in k:
                continue
            pair = (estimate(k), k["measured_s"])
            pairs.append(pair)
            by_kind.setdefault(_kind(k), []).append(pair)
        s = stats(pairs)
        if s:
            print(row(name, s))
    print()
    print(HEADER.format("kind (all models)"))
    everything = []
    for kind in sorted(by_kind):
        everything += by_kind[kind]
        print(row(kind, stats(by_kind[kind])))
    if everything:
        print(row("all", stats(everything)))


def fit_interleaved(args, models):
    """--fit: the sweep and the models measured in interleaved rounds, the
    sweep fitted, the models tabled with the fit."""
    sweep, runs = [], {m: [] for m in models}
    for r in range(args.rounds):
        order = models if r % 2 == 0 else list(reversed(models))
        if r % 2 == 0:
            sweep.append(measure(args, args.fit))
        for model in order:
            runs[model].append(measure(args, model))
        if r % 2 == 1:
            sweep.append(measure(args, args.fit))
        print(f"fidelity.py: round {r + 1} of {args.rounds} measured",
              file=sys.stderr)
    if any(r is None for r in sweep):
        sys.exit("fidelity.py: the sweep failed to measure")
    costs = calibrate(args, combine(sweep))
    # The offline estimate is the host model's own: checked against
    # fungible-cost's estimates for the spec it ran with.
    shipped = shipped_costs(args)
    reports = []
    for model in models:
        if any(r is None for r in runs[model]):
            continue
        report = combine(runs[model])
        for k in report["kernels"]:
            ours = host_estimate(k, shipped)
            theirs = k["estimates"]["cpu-host"]["seconds"]
            if abs(ours - theirs) > 1e-6 * max(theirs, 1e-12):
                sys.exit(f"fidelity.py: {k['name']}: host_work x the shipped "
                         f"costs gives {ours}, fungible-cost {theirs}")
        reports.append((os.path.basename(model)[:-5], report))
    with open(args.out + ".models.json", "w") as f:
        json.dump(dict(reports), f)
    print(f"Fitted on {args.fit} ({args.rounds} interleaved rounds, "
          f"{args.runs} runs each), validated on the models:\n")
    table(reports, lambda k: host_estimate(k, costs))
    # The same measurements against the spec the run started with: what
    # the refit changed, free of the host's drift between runs.
    print("\nThe same measurements against the shipped spec:\n")
    table(reports, lambda k: host_estimate(k, shipped))
    print(f"\nThe measurements' own noise: each of the {args.rounds} rounds "
          "against the mean of the others:\n")
    round_noise(reports)


def recount(args, models):
    """--recount: the kept measurements, counted again and refitted."""
    try:
        times = json.load(open(args.recount + ".times.json"))
        kept = json.load(open(args.recount + ".models.json"))
    except (OSError, ValueError) as e:
        sys.exit(f"fidelity.py: --recount {args.recount}: {e}")

    args.runs = 1  # For host_work: one run will do.

    def counted(path, report):
        """`report` with each kernel's host_work as fungible-cost now
        counts it in `path` (the same kernels, by name)."""
        now = measure(args, path)
        if now is None:
            sys.exit(f"fidelity.py: {path} failed to measure")
        work = {k["name"]: k["host_work"] for k in now["kernels"]}
        fresh = json.loads(json.dumps(report))
        for k in fresh["kernels"]:
            if k["name"] not in work:
                sys.exit(f"fidelity.py: {path} has no kernel '{k['name']}' "
                         "now: measure it again")
            k["host_work"] = work[k["name"]]
        return fresh

    names = {os.path.basename(m)[:-5]: m for m in models}
    missing = sorted(set(kept) - set(names))
    if missing:
        sys.exit(f"fidelity.py: --recount: no path given for the kept "
                 f"model(s) {', '.join(missing)}")
    old = list(kept.items())
    new = [(name, counted(names[name], report)) for name, report in old]
    costs = calibrate(args, counted(args.fit, times))
    with open(args.out + ".models.json", "w") as f:
        json.dump(dict(new), f)
    shipped, before = shipped_costs(args), host_costs(args.recount)
    print(f"The measurements of {args.recount} counted again, the sweep "
          "refitted; the models:\n")
    table(new, lambda k: host_estimate(k, costs))
    print("\nThe new counts against the shipped spec:\n")
    table(new, lambda k: host_estimate(k, shipped))
    print(f"\nThe old counts against {args.recount}'s costs:\n")
    table(old, lambda k: host_estimate(k, before))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--bin", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build", "bin"))
    parser.add_argument("--spec", action="append", default=[])
    parser.add_argument("--fit", help="sweep to fit on, measured "
                        "interleaved with the models")
    parser.add_argument("--out", help="with --fit: the fitted spec")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--recount", help="an earlier --fit's spec: its "
                        "measurements counted again (needs --fit, --out)")
    args = parser.parse_args()
    models = []
    for path in args.paths:
        if os.path.isdir(path):
            models += sorted(os.path.join(path, f) for f in os.listdir(path)
                             if f.endswith(".mlir"))
        else:
            models.append(path)
    if args.fit:
        if not args.out:
            sys.exit("fidelity.py: --fit needs --out SPEC")
        if os.path.exists(args.out):
            sys.exit(f"fidelity.py: {args.out} exists: not overwriting it")
        if args.recount:
            recount(args, models)
        else:
            fit_interleaved(args, models)
        return 0
    if args.recount:
        sys.exit("fidelity.py: --recount needs --fit SWEEP and --out SPEC")
    reports = []
    for model in models:
        report = measure(args, model, args.spec)
        if report:
            reports.append((os.path.basename(model)[:-5], report))
    table(reports, lambda k: k["estimates"]["cpu-host"]["seconds"])
    return 0


def _kind(kernel):
    """runtime::fidelityKind: fungible-cost's kind, with convolutions
    apart (an outlined kernel is named after its anchor op: conv2d_3)."""
    anchor = kernel["name"].rsplit("/", 1)[-1]
    return "conv" if anchor.startswith("conv2d") else kernel["kind"]


if __name__ == "__main__":
    sys.exit(main())
