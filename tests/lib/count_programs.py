#!/usr/bin/env python3
"""Counts the device programs of each kernel variant in a wl-compile output.

  count_programs.py FILE [CHIP]

Each variant is a nested `module @<kernel>.<chip>`. On a GPU its programs
are its gpu.binary ops (one per launch). On a TPU or Trainium chip a
program is a memref.alloca_scope at the top of the kernel's function, or
the mxu/neuron ops and loops canonicalisation left there when it inlined
the last one; a top-level linalg op, or a loop nest without such ops, is
work left to the core's scalar unit and counts as a program of its own.
Prints

  <K> kernels: <A> one program, <B> none (views only), <C> more: names...

where each name of the last group is `kernel=<programs>`, so that a test
can state how many kernels lower to exactly one program.
"""
import re
import sys

MODULE = re.compile(r"(\s*)module @\"?([\w.\-]+?)\.([\w\-]+)\"? attributes")
FUNC = re.compile(r"(\s*)func\.func @")
DEVICE = re.compile(r"\b(mxu|neuron)\.")


def indent(line):
    return len(line) - len(line.lstrip(" "))


def count_variant(lines):
    """Programs of one variant's lines (its module's body)."""
    binaries = sum(1 for l in lines if re.match(r"\s*gpu\.binary @", l))
    if binaries:
        return binaries
    # Top-level statements of the function, each with the lines under it.
    statements = []
    func_indent = None
    for line in lines:
        m = FUNC.match(line)
        if m:
            func_indent = len(m.group(1))
            continue
        if func_indent is None or not line.strip():
            continue
        if indent(line) <= func_indent:
            func_indent = None
        elif indent(line) == func_indent + 2:
            statements.append([line.strip()])
        elif statements:
            statements[-1].append(line.strip())
    programs = 0
    inlined = False  # device ops outside scopes: the last scope, inlined
    for statement in statements:
        head = statement[0]
        device = any(DEVICE.search(l) for l in statement)
        if re.match(r"memref\.alloca_scope\b", head):
            programs += 1
        elif re.search(r"\blinalg\.", head):
            programs += 1
        elif re.search(r"\bscf\.(for|forall|parallel)\b", head):
            if device:
                inlined = True
            else:
                programs += 1
        elif device:
            inlined = True
    return programs + (1 if inlined else 0)


def main():
    path = sys.argv[1]
    chip = sys.argv[2] if len(sys.argv) > 2 else None
    variants = {}
    current = None
    module_indent = None
    for line in open(path):
        m = MODULE.match(line)
        if m:
            if chip is None or m.group(3) == chip:
                current = m.group(2)
                module_indent = len(m.group(1))
                variants[current] = []
            else:
                current = None
            continue
        if current is None:
            continue
        if line.strip() == "}" and indent(line) == module_indent:
            current = None
            continue
        variants[current].append(line)
    counts = {k: count_variant(v) for k, v in variants.items()}
    one = [k for k, n in counts.items() if n == 1]
    none = [k for k, n in counts.items() if n == 0]
    more = [f"{k}={n}" for k, n in counts.items() if n > 1]
    print(f"{len(counts)} kernels: {len(one)} one program, {len(none)} none "
          f"(views only), {len(more)} more: {' '.join(more)}")


if __name__ == "__main__":
    main()
