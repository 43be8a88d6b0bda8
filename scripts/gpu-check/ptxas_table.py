#!/usr/bin/env python3
"""Assembles PTX modules with `ptxas -v` and tabulates what it reports per
kernel: registers, shared memory, barriers, stack frame and spills (#17
item 4: the GEMM kernels must not spill).

    ptxas_table.py PTXAS ARCH OUT.md PTX...

Writes OUT.md (a markdown table, one row per kernel, and a summary line)
and prints the summary. Exits 1 when ptxas rejects a module or its output
cannot be read.
"""
import os
import re
import subprocess
import sys

FUNCTION = re.compile(r"Compiling entry function '(\w+)'")
FRAME = re.compile(r"(\d+) bytes stack frame, (\d+) bytes spill stores, "
                   r"(\d+) bytes spill loads")
USED = re.compile(r"Used (\d+) registers")
BARRIERS = re.compile(r"used (\d+) barriers")
SMEM = re.compile(r"(\d+) bytes smem")
# "Potential Performance Loss: wgmma.mma_async instructions are serialized"
# (C7514, C7515, ...) and "warpgroup.wait is injected" (C7517): ptxas made
# the wgmma pipeline wait where the PTX asked it not to.
SERIALISED = re.compile(r"\(C75\d\d\)")
NAMED = re.compile(r"in the function '(\w+)'")


def kernels_of(ptxas, arch, path):
    result = subprocess.run([ptxas, "-v", f"-arch={arch}", path, "-o",
                             os.devnull], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"ptxas_table.py: ptxas rejects {path}:\n{result.stderr}")
    rows, current, serialised = [], None, []
    for line in result.stderr.splitlines():
        if f := FUNCTION.search(line):
            # A GEMM shape's module (gemm/<shape>/plans/ptx/) is named
            # with its shape.
            parts = os.path.normpath(path).split(os.sep)
            shape = (parts[-4] + "/" if len(parts) >= 5
                     and parts[-5] == "gemm" else "")
            current = {"module": shape + os.path.basename(path)[:-4],
                       "kernel": f.group(1), "serialised": False}
            rows.append(current)
        elif SERIALISED.search(line):
            # ptxas may say it before the function's name, naming it in the
            # message (C7514) or not (C7517): the function named, else
            # every kernel of the module.
            serialised.append(line)
        elif current and (m := FRAME.search(line)):
            current.update(stack=int(m.group(1)), spill_stores=int(m.group(2)),
                           spill_loads=int(m.group(3)))
        elif current and (m := USED.search(line)):
            barriers, smem = BARRIERS.search(line), SMEM.search(line)
            current.update(registers=int(m.group(1)),
                           barriers=int(barriers.group(1)) if barriers else 0,
                           smem=int(smem.group(1)) if smem else 0)
    for line in serialised:
        named = NAMED.search(line)
        for row in rows:
            if not named or named.group(1) == row["kernel"]:
                row["serialised"] = True
    for row in rows:
        if "registers" not in row or "stack" not in row:
            sys.exit(f"ptxas_table.py: cannot read ptxas -v's report on "
                     f"{path}:\n{result.stderr}")
    return rows


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    ptxas, arch, out, paths = sys.argv[1], sys.argv[2], sys.argv[3], \
        sys.argv[4:]
    rows = [row for path in paths for row in kernels_of(ptxas, arch, path)]
    spilling = [r for r in rows if r["spill_stores"] or r["spill_loads"]]
    tensor = [r for r in rows if r["smem"] > 0]
    summary = (f"ptxas -v -arch={arch}: {len(rows)} kernels in {len(paths)} "
               f"modules; {len(spilling)} spill; the most registers "
               f"{max(r['registers'] for r in rows)}; "
               f"{sum(r['serialised'] for r in rows)} with wgmma serialised; "
               f"{len(tensor)} use "
               f"shared memory (at most {max([r['smem'] for r in rows])} "
               "bytes)")
    with open(out, "w") as f:
        f.write("| module | registers | shared bytes | barriers | stack | "
                "spill stores | spill loads | wgmma serialised |\n"
                "|---|---:|---:|---:|---:|---:|---:|---|\n")
        for r in rows:
            f.write(f"| {r['module']} | {r['registers']} | {r['smem']} | "
                    f"{r['barriers']} | {r['stack']} | {r['spill_stores']} | "
                    f"{r['spill_loads']} | "
                    f"{'yes' if r['serialised'] else ''} |\n")
        f.write(f"\n{summary}\n")
    print(f"gpu-check: {summary} ({out})")


if __name__ == "__main__":
    main()
