#!/usr/bin/env python3
"""Evaluates a Python expression over JSON reports and prints the result.

  report_query.py NAME=FILE [NAME=FILE...] EXPR

Each NAME is bound to its parsed JSON file; EXPR may also use `chips(r)`
(the sorted distinct chips of report r's placement). Lets a lit test check
relations between reports (one makespan half another's) with FileCheck.
"""
import json
import sys


def chips(report):
    return sorted({device.split(":")[0] for device in report["placement"].values()})


def main():
    *files, expr = sys.argv[1:]
    scope = {"chips": chips}
    for item in files:
        name, path = item.split("=", 1)
        with open(path) as f:
            scope[name] = json.load(f)
    print(eval(expr, scope))
    return 0


if __name__ == "__main__":
    sys.exit(main())
