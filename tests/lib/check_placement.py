#!/usr/bin/env python3
"""Checks a module placed by wl-place.

  check_placement.py PLACED.mlir

Every function with kernels must carry wl.placement whose cost is no more
than its best_single_target_cost, and every wl.kernel must have a
wl.target. Prints one line per function ("every kernel placed; cost X <=
best single target Y (name)"); exits 1 otherwise.
"""
import re
import sys


def main():
    text = open(sys.argv[1]).read()
    ok = True
    funcs = re.findall(r"func\.func @(\w+)\(.*?attributes \{wl\.placement = \{(.*?)\}\}", text)
    if not funcs:
        print("no placed function")
        return 1
    for name, summary in funcs:
        fields = dict(re.findall(r"(\w+) = (\"[^\"]*\"|[-0-9.eE+]+(?: : f64)?|true|false)", summary))
        number = lambda key: float(fields[key].split(" ")[0])
        cost, single = number("cost"), number("best_single_target_cost")
        if cost > single * (1 + 1e-12):
            print(f"@{name}: cost {cost} exceeds best single target {single}")
            ok = False
        else:
            print(f"@{name}: every kernel placed; cost {cost:.6g} <= best single target "
                  f"{single:.6g} ({fields['best_single_target']})")
    kernels = re.findall(r"wl\.kernel \"\w+\"\([^)]*\) \{([^}]*)\}", text)
    unplaced = [k for k in kernels if "wl.target" not in k]
    total = len(re.findall(r"wl\.kernel \"", text))
    if unplaced or len(kernels) != total:
        print(f"{total - len(kernels) + len(unplaced)} kernels without wl.target")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
