"""Runs a model under seeded random failure schedules and compares its
outputs with the host-only run (issue #18's fault injection).

usage: fault_runs.py FUNGIBLE_RUN MODEL WORK_DIR SEED COUNT

The model's inputs are fungible-run's random ones (--seed=3).

Each schedule fails one to four devices of a mixed fleet (two H100s, a TPU
v5p, a Trainium2 and the host) at random: at time 0, mid-run, or after the
run has ended. A run must give the host-only run's outputs byte for byte;
a schedule that fails every device before the end may instead fail with
"no device is left to run kernel". Prints one line per schedule and a
summary.
"""
import filecmp
import os
import random
import subprocess
import sys

run, model, work, seed, count = sys.argv[1:6]
rng = random.Random(int(seed))
devices = ["h100:0", "h100:1", "tpu-v5p:0", "trn2:0", "cpu-host:0"]
fleet = "h100:2,tpu-v5p:1,trn2:1,cpu-host:1"

reference = os.path.join(work, "host")
subprocess.run([run, model, "--devices=cpu-host", "--seed=3",
                "--out=" + reference], check=True, capture_output=True)
outputs = sorted(f for f in os.listdir(reference) if f.endswith(".npy"))
same = nowhere = 0
for case in range(int(count)):
    failed = rng.sample(devices, rng.randint(1, 4))
    if case == 0:
        failed = list(devices)  # every device, one of them at 0
    schedule = []
    for d in failed:
        when = rng.choice(["0us", "%.2fus" % rng.uniform(0.1, 6), "1000s"])
        if case == 0:
            when = "0us" if d == "cpu-host:0" else "%.2fus" % rng.uniform(0, 1)
        schedule.append(d + "@" + when)
    out = os.path.join(work, "case%d" % case)
    proc = subprocess.run([run, model, "--devices=" + fleet,
                           "--seed=3", "--out=" + out] +
                          ["--fail=" + f for f in schedule],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        everyone = len(failed) == len(devices) and all(
            not f.endswith("1000s") for f in schedule)
        if everyone and "no device is left to run kernel" in proc.stderr:
            nowhere += 1
            print("case %d %s: nothing left to run on" % (case, schedule))
            continue
        print("case %d %s: FAILED\n%s" % (case, schedule, proc.stderr))
        sys.exit(1)
    for f in outputs:
        if not filecmp.cmp(os.path.join(reference, f), os.path.join(out, f),
                           shallow=False):
            print("case %d %s: %s differs" % (case, schedule, f))
            sys.exit(1)
    same += 1
    print("case %d %s: same outputs" % (case, schedule))
print("%d runs with the host's outputs, %d with nothing left" % (same, nowhere))
