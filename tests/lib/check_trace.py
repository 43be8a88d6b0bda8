#!/usr/bin/env python3
"""Checks a fungible-run Chrome trace and prints what it holds.

  check_trace.py TRACE.json

Kernel slices must carry args (flops, bytes, bound, estimate_s, dollars,
joules) with estimate_s equal to the slice's duration; every flow start
("s") must sit inside a slice of the kernel it names on its device track
and have a finish ("f") with the same id at the start of a move slice of
that value on a link track. Prints one line: the counts of kernel slices,
moves, flows and failure instants, and the failures' names and times.
Exits 1 on the first broken rule.
"""
import json
import sys


def main():
    events = json.load(open(sys.argv[1]))["traceEvents"]
    slices = [e for e in events if e["ph"] == "X"]
    kernels = [e for e in slices if e["cat"] == "kernel"]
    moves = [e for e in slices if e["cat"] == "transfer"]
    for k in kernels:
        args = k.get("args", {})
        for key in ("flops", "bytes", "bound", "estimate_s", "dollars", "joules"):
            if key not in args:
                print(f"kernel slice {k['name']} has no {key}")
                return 1
        if abs(args["estimate_s"] * 1e6 - k["dur"]) > 1e-9 * max(1, k["dur"]):
            print(f"kernel slice {k['name']} lasts {k['dur']} us, estimated {args['estimate_s']} s")
            return 1
    starts = {e["id"]: e for e in events if e["ph"] == "s"}
    finishes = {e["id"]: e for e in events if e["ph"] == "f"}
    if starts.keys() != finishes.keys():
        print("flow starts and finishes do not pair up")
        return 1
    for id, s in starts.items():
        f = finishes[id]
        producer = s["name"][len("move "):]
        inside = [k for k in kernels if k["tid"] == s["tid"] and k["pid"] == s["pid"]
                  and k["name"] == producer and k["ts"] <= s["ts"] <= k["ts"] + k["dur"]]
        if not inside:
            print(f"flow {id} starts outside a slice of {producer}")
            return 1
        target = [m for m in moves if m["tid"] == f["tid"] and m["pid"] == f["pid"]
                  and m["name"] == s["name"] and abs(m["ts"] - f["ts"]) < 1e-9]
        if not target:
            print(f"flow {id} ends at no move of {producer}")
            return 1
    failures = [(e["name"], e["ts"]) for e in events if e["ph"] == "i"]
    print(f"{len(kernels)} kernel slices, {len(moves)} moves, {len(starts)} flows, "
          f"{len(failures)} failures {failures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
