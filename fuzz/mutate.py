"""A coverage-blind mutation run over the replay drivers (fuzz/README.md),
for a machine without clang: each round writes a batch of mutants of the
seeds (byte flips, deletions, duplications, splices, interesting numbers)
and replays the batch; a batch that crashes or runs over its time is cut
down to the one input that does, which is saved. Not a substitute for
scripts/fuzz.sh (no coverage feedback), a cheap first pass.

usage: mutate.py DRIVER SECONDS OUT_DIR SEED_DIR_OR_FILE...
"""
import os
import random
import subprocess
import sys
import time

driver, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
seeds = []
for root in sys.argv[4:]:
    for base, _, names in os.walk(root) if os.path.isdir(root) else [("", [], [root])]:
        for n in names:
            path = os.path.join(base, n)
            if os.path.getsize(path) <= 64 * 1024:
                seeds.append(open(path, "rb").read())
rng = random.Random(18)
numbers = [b"0", b"-1", b"1e308", b"-1e308", b"1e-300", b"4e9", b"2147483648",
           b"9223372036854775807", b"-9223372036854775808", b"nan", b"inf",
           b"0.5", b"65537", b"18446744073709551615"]


def mutate(data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        i = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(i, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            del data[i:i + rng.randint(1, 16)]
        elif op == 2:
            j = rng.randrange(len(data) + 1)
            data[i:i] = data[j:j + rng.randint(1, 64)]
        elif op == 3:
            data[i:i] = rng.choice(numbers)
        elif op == 4:
            other = rng.choice(seeds)
            j = rng.randrange(len(other) + 1)
            data[i:] = other[j:]
        else:
            # Replace a number in place.
            digits = [k for k, c in enumerate(data) if chr(c).isdigit()]
            if digits:
                k = rng.choice(digits)
                data[k:k + 1] = rng.choice(numbers)
    return bytes(data)


def replay(paths, limit):
    try:
        p = subprocess.run([driver] + paths, capture_output=True, timeout=limit)
        return p.returncode == 0
    except subprocess.TimeoutExpired:
        return False


os.makedirs(out, exist_ok=True)
batch_dir = os.path.join(out, "batch")
os.makedirs(batch_dir, exist_ok=True)
end, runs, found = time.time() + seconds, 0, 0
while time.time() < end:
    paths = []
    for k in range(50):
        path = os.path.join(batch_dir, "m%d" % k)
        open(path, "wb").write(mutate(rng.choice(seeds)))
        paths.append(path)
    runs += len(paths)
    if replay(paths, 60):
        continue
    for path in paths:
        if not replay([path], 2):
            found += 1
            os.rename(path, os.path.join(out, "finding-%d" % found))
print("%s: %d mutants in %.0f s, %d findings" %
      (os.path.basename(driver), runs, seconds, found))
