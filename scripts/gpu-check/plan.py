#!/usr/bin/env python3
"""Turns a module lowered for a GPU (`fungible-opt --wl-lower=target=<gpu>
--mlir-print-op-generic`) into launch plans that fungible-gpu-check replays
on a GPU machine without MLIR.

For every gpu.binary it writes OUT/ptx/<name>.ptx; for every host function it
writes OUT/<function>/plan.txt (the format is documented in
runtime/cuda/LaunchPlan.h):

    module <binary> <path of the PTX, relative to the plan>
    buffer <id> <element type> <rank> <sizes...> [input <salt>]
    view <id> <buffer id> <offset> <rank> <sizes...> <strides...>
    launch <binary> <kernel> <grid x y z> <block x y z> <shared bytes>
    arg <scalar type> <bits in hex>      (one line per scalar argument)
    arg memref <buffer id>               (one line per memref argument)
    arg tensormap <buffer id> <swizzle bytes> <rank> <box sizes...>
    end
    output <buffer id>

The host side of a lowered function may only hold what a plan can say:
constants, memref.alloc of static shapes, views of buffers with static
layouts (memref.expand_shape, collapse_shape, subview), the tensor maps of
TMA loads (nvgpu.tma.create.descriptor of a buffer cast to an unranked
memref, with constant box sizes, passed to a kernel as a pointer through
an unrealized conversion cast: `arg tensormap`, which the replay encodes
with cuTensorMapEncodeTiled), gpu.launch_func with constant grids and
blocks, and the return. A returned view is output
as its whole buffer. Anything else is an error that names the op and its
line, and nothing is written for that function.

With --variants the module is a fat module (`wl-compile`): only the
functions of its nested modules (the compiled kernels, one per module) are
planned, for timing: a `memref.get_global` (a constant the program holds)
becomes an input buffer of made-up values, which is fine for a timing and
wrong for a check of the numbers.
"""
import argparse
import os
import re
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "lib"))
from extract_ptx import unescape  # noqa: E402

SCALAR_BYTES = {"index": 8, "i64": 8, "i32": 4, "i16": 2, "i8": 1, "i1": 1,
                "f64": 8, "f32": 4, "f16": 2, "bf16": 2}


class PlanError(Exception):
    pass


def float_bits(literal, type_name):
    """The bits of an MLIR float literal (decimal, inf/nan, or hex bits)."""
    if literal.startswith("0x"):
        return int(literal, 16)
    value = float(literal)
    if type_name == "f64":
        return struct.unpack("<Q", struct.pack("<d", value))[0]
    if type_name == "f16":
        return struct.unpack("<H", struct.pack("<e", value))[0]
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    if type_name == "f32":
        return bits
    if type_name == "bf16":  # Round to nearest even.
        return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) & 0xFFFF
    raise PlanError("no float literal of type " + type_name)


def scalar_bits(literal, type_name):
    if type_name in ("f64", "f32", "f16", "bf16"):
        return float_bits(literal, type_name)
    if literal in ("true", "false"):
        return int(literal == "true")
    mask = (1 << (8 * SCALAR_BYTES[type_name])) - 1
    return int(literal) & mask


MEMREF = re.compile(r"memref<((?:\d+x)*)(\w+)>$")
STRIDED = re.compile(r"memref<((?:\d+x)*)(\w+), strided<\[([\d, ]*)\]"
                     r"(?:, offset: (\d+))?>>$")


def parse_memref(type_text, where):
    m = MEMREF.match(type_text.strip())
    if not m:
        raise PlanError(f"{where}: '{type_text}' is not a memref of static "
                        "shape with the identity layout")
    sizes = [int(s) for s in m.group(1).split("x") if s]
    return m.group(2), sizes


def parse_layout(type_text, where):
    """(element, sizes, offset, strides) of a memref type with a static
    identity or strided layout."""
    text = type_text.strip()
    if m := MEMREF.match(text):
        sizes = [int(s) for s in m.group(1).split("x") if s]
        strides = [1] * len(sizes)
        for i in range(len(sizes) - 2, -1, -1):
            strides[i] = strides[i + 1] * sizes[i + 1]
        return m.group(2), sizes, 0, strides
    if m := STRIDED.match(text):
        sizes = [int(s) for s in m.group(1).split("x") if s]
        strides = [int(s) for s in m.group(3).split(",") if s.strip()]
        if len(strides) != len(sizes):
            raise PlanError(f"{where}: '{type_text}' has {len(strides)} "
                            f"strides for {len(sizes)} sizes")
        return m.group(2), sizes, int(m.group(4) or 0), strides
    raise PlanError(f"{where}: '{type_text}' is not a memref of static shape "
                    "and static layout")


def split_types(text):
    """Splits a comma-separated type list, keeping memref<...> whole."""
    types, depth, current = [], 0, ""
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            types.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        types.append(current.strip())
    return types


FUNC = re.compile(r'^\s*"func\.func"\(\) <\{function_type = \((.*?)\) -> '
                  r'(.*?), sym_name = "(\w+)"')
BLOCK_ARGS = re.compile(r"^\s*\^bb0\((.*)\):")
CONSTANT = re.compile(r'^\s*(%\w+) = "arith\.constant"\(\) <\{value = '
                      r'(\S+) : (\w+)\}>')
ALLOC = re.compile(r'^\s*(%\w+) = "memref\.alloc"\(\) <\{.*\}> : \(\) -> '
                   r'(memref<.*>)$')
LAUNCH = re.compile(r'^\s*"gpu\.launch_func"\((.*?)\) <\{kernel = '
                    r'@(\w+)::@(\w+), operandSegmentSizes = array<i32: '
                    r'([\d, ]+)>\}> : \((.*)\) -> \(\)$')
RETURN = re.compile(r'^\s*"func\.return"\((.*?)\)')
VIEW = re.compile(r'^\s*(%\w+) = "memref\.(?:expand_shape|collapse_shape|'
                  r'subview)"\((%\w+)\) .*-> (memref<.*>)$')
GLOBAL = re.compile(r'^\s*(%\w+) = "memref\.get_global"\(\) <\{name = '
                    r'@[\w$.]+\}> : \(\) -> (memref<.*>)$')
UNRANKED = re.compile(r'^\s*(%\w+) = "memref\.cast"\((%\w+)\) : '
                      r'\(memref<.*>\) -> memref<\*x\w+>$')
TENSOR_MAP = re.compile(r'^\s*(%\w+) = "nvgpu\.tma\.create\.descriptor"'
                        r'\((%\w+)((?:, %\w+)*)\) : .* -> '
                        r'!nvgpu\.tensormap\.descriptor<tensor = memref<'
                        r'((?:\d+x)+)\w+, (?:3|#gpu\.address_space<'
                        r'workgroup>)>, swizzle = (\w+), '
                        r'l2promo = none, oob = zero, interleave = none>$')
MAP_POINTER = re.compile(r'^\s*(%\w+) = "builtin\.unrealized_conversion_'
                         r'cast"\((%\w+)\) : \(!nvgpu\.tensormap\.'
                         r'descriptor<.*>\) -> !llvm\.ptr$')
SWIZZLE_BYTES = {"swizzle_none": 0, "swizzle_32b": 32, "swizzle_64b": 64,
                 "swizzle_128b": 128}
BINARY = re.compile(r'"gpu\.binary"\(\) <\{objects = \[.*?assembly = '
                    r'"((?:[^"\\]|\\.)*)".*?sym_name = "(\w+)"', re.S)


def plan_function(lines, start, name, arg_types, variants=False):
    """Plans the body of the function whose header is lines[start]."""
    values = {}  # SSA name -> ("const", type, literal) or ("buffer", id)
    # (element type, sizes, input salt or None) for a buffer;
    # ("view", base id, offset, sizes, strides) for a view.
    buffers = []

    def root(buffer_id):
        entry = buffers[buffer_id]
        return entry[1] if entry[0] == "view" else buffer_id

    out = []
    launches = []
    m = BLOCK_ARGS.match(lines[start + 1]) if start + 1 < len(lines) else None
    arg_names = [a.split(":")[0].strip() for a in m.group(1).split(", ")] \
        if m else []
    for index, (arg, type_text) in enumerate(zip(arg_names, arg_types)):
        if variants and type_text in SCALAR_BYTES:
            # Timed with 0, a position valid in any buffer (as fungible-run
            # gives a scalar it is not given): a decode step's attention
            # at position 0 does the work of any other.
            values[arg] = ("const", type_text, "0")
            continue
        element, sizes = parse_memref(type_text, f"@{name} argument {index}")
        values[arg] = ("buffer", len(buffers))
        buffers.append((element, sizes, index + 1))
    outputs = None
    for number in range(start + (2 if m else 1), len(lines)):
        line = lines[number]
        where = f"line {number + 1}"
        if line.strip() == "}) : () -> ()":
            break
        if c := CONSTANT.match(line):
            values[c.group(1)] = ("const", c.group(3), c.group(2))
            continue
        if a := ALLOC.match(line):
            element, sizes = parse_memref(a.group(2), where)
            values[a.group(1)] = ("buffer", len(buffers))
            buffers.append((element, sizes, None))
            continue
        if variants and (g := GLOBAL.match(line)):
            element, sizes = parse_memref(g.group(2), where)
            values[g.group(1)] = ("buffer", len(buffers))
            buffers.append((element, sizes, 100 + len(buffers)))
            continue
        if v := VIEW.match(line):
            source = values.get(v.group(2))
            if not source or source[0] != "buffer":
                raise PlanError(f"{where}: a view of {v.group(2)}, which is "
                                "not a buffer")
            _, sizes, offset, strides = parse_layout(v.group(3), where)
            values[v.group(1)] = ("buffer", len(buffers))
            buffers.append(("view", root(source[1]), offset, sizes, strides))
            continue
        if u := UNRANKED.match(line):
            source = values.get(u.group(2))
            if not source or source[0] != "buffer":
                raise PlanError(f"{where}: a cast of {u.group(2)}, which is "
                                "not a buffer")
            values[u.group(1)] = ("unranked", source[1])
            continue
        if t := TENSOR_MAP.match(line):
            source = values.get(t.group(2))
            if not source or source[0] != "unranked":
                raise PlanError(f"{where}: a tensor map of {t.group(2)}, "
                                "which is not a buffer cast to unranked")
            box = []
            for operand in [o.strip() for o in t.group(3).split(",") if o]:
                value = values.get(operand)
                if not value or value[0] != "const":
                    raise PlanError(f"{where}: a tensor map's box sizes must "
                                    "be constants")
                box.append(int(value[2]))
            if box != [int(x) for x in t.group(4).split("x") if x]:
                raise PlanError(f"{where}: the box sizes {box} are not the "
                                "descriptor type's")
            values[t.group(1)] = ("tensormap", source[1],
                                  SWIZZLE_BYTES[t.group(5)], box)
            continue
        if p := MAP_POINTER.match(line):
            source = values.get(p.group(2))
            if not source or source[0] != "tensormap":
                raise PlanError(f"{where}: a pointer cast of {p.group(2)}, "
                                "which is not a tensor map")
            values[p.group(1)] = source
            continue
        if launch := LAUNCH.match(line):
            operands = [o.strip() for o in launch.group(1).split(",")]
            types = split_types(launch.group(5))
            segments = [int(s) for s in launch.group(4).split(",")]
            if segments[0] or segments[12] or any(segments[7:10]):
                raise PlanError(f"{where}: async, cluster launches are not "
                                "supported by a plan")
            dims = []
            for operand in operands[:6]:
                value = values.get(operand)
                if not value or value[0] != "const":
                    raise PlanError(f"{where}: grid and block sizes must be "
                                    "constants")
                dims.append(int(value[2]))
            position = 6
            shared = 0
            if segments[10]:
                value = values.get(operands[position])
                if not value or value[0] != "const":
                    raise PlanError(f"{where}: dynamic shared memory size "
                                    "must be a constant")
                shared = int(value[2])
                position += 1
            text = [f"launch {launch.group(2)} {launch.group(3)} "
                    + " ".join(map(str, dims)) + f" {shared}"]
            for operand, type_text in zip(operands[position:],
                                          types[position:]):
                value = values.get(operand)
                if value is None:
                    raise PlanError(f"{where}: kernel operand {operand} is "
                                    "not a constant, an argument or an alloc")
                if value[0] == "buffer":
                    text.append(f"arg memref {value[1]}")
                elif value[0] == "tensormap" and type_text == "!llvm.ptr":
                    _, buffer, swizzle, box = value
                    text.append(f"arg tensormap {buffer} {swizzle} "
                                f"{len(box)} " + " ".join(map(str, box)))
                elif type_text not in SCALAR_BYTES:
                    raise PlanError(f"{where}: no plan encoding for a "
                                    f"{type_text} kernel operand")
                else:
                    text.append(f"arg {type_text} "
                                f"{scalar_bits(value[2], type_text):#x}")
            text.append("end")
            launches.append("\n".join(text))
            continue
        if r := RETURN.match(line):
            outputs = []
            for operand in [o.strip() for o in r.group(1).split(",") if o]:
                value = values.get(operand)
                if not value or value[0] != "buffer":
                    raise PlanError(f"{where}: @{name} returns {operand}, "
                                    "which is not a buffer")
                outputs.append(root(value[1]))
            continue
        op = re.search(r'"([\w.]+)"', line)
        raise PlanError(f"{where}: the host side of @{name} holds "
                        f"'{op.group(1) if op else line.strip()}', which a "
                        "launch plan cannot replay")
    if outputs is None:
        raise PlanError(f"@{name} has no func.return")
    if not launches and variants:
        return None  # Views only: nothing runs on the device.
    out.append(f"# fungible launch plan v1: @{name}")
    for module in sorted({l.split()[1] for l in launches}):
        out.append(f"module {module} ../ptx/{module}.ptx")
    for index, entry in enumerate(buffers):
        if entry[0] == "view":
            _, base, offset, sizes, strides = entry
            out.append(f"view {index} {base} {offset} {len(sizes)} "
                       + " ".join(map(str, sizes + strides)))
            continue
        element, sizes, salt = entry
        line = f"buffer {index} {element} {len(sizes)} " + \
            " ".join(map(str, sizes))
        out.append(line.rstrip() + (f" input {salt}" if salt else ""))
    out.extend(launches)
    out.extend(f"output {o}" for o in outputs)
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mlir", help="lowered module in MLIR's generic form")
    parser.add_argument("out", help="directory for ptx/ and <function>/")
    parser.add_argument("--variants", action="store_true",
                        help="plan the kernels of a fat module (wl-compile) "
                        "for timing")
    args = parser.parse_args()
    text = open(args.mlir).read()
    binaries = BINARY.findall(text)
    if not binaries:
        sys.exit(f"plan.py: {args.mlir}: no gpu.binary with PTX (lower with "
                 "--wl-lower=target=<gpu> and print with "
                 "--mlir-print-op-generic)")
    names = [name for _, name in binaries]
    if len(set(names)) != len(names):
        sys.exit(f"plan.py: {args.mlir}: two gpu.binary ops share a name")
    os.makedirs(os.path.join(args.out, "ptx"), exist_ok=True)
    for assembly, name in binaries:
        with open(os.path.join(args.out, "ptx", name + ".ptx"), "w") as f:
            f.write(unescape(assembly))
    lines = text.split("\n")
    planned = 0
    for number, line in enumerate(lines):
        f = FUNC.match(line)
        # A fat module's kernels are the functions of its nested modules,
        # indented twice in the generic form.
        if not f or (args.variants and not line.startswith("    \"")):
            continue
        name = f.group(3)
        scalars = [t for t in split_types(f.group(1)) if t in SCALAR_BYTES]
        try:
            plan = plan_function(lines, number, name,
                                 split_types(f.group(1)), args.variants)
        except PlanError as error:
            if not (args.variants and scalars):
                sys.exit(f"plan.py: {args.mlir}: {error}")
            # A kernel whose host side computes with its scalar (a row's
            # offset in a cache from the position) is beyond a plan: not
            # timed.
            print(f"plan.py: @{name} takes a scalar argument "
                  f"({', '.join(scalars)}) the host computes with: no plan "
                  f"({error})")
            continue
        if plan is None:
            print(f"plan.py: @{name} launches nothing (its results are views "
                  "of its operands): no plan")
            continue
        os.makedirs(os.path.join(args.out, name), exist_ok=True)
        with open(os.path.join(args.out, name, "plan.txt"), "w") as out:
            out.write(plan)
        planned += 1
    print(f"plan.py: {len(binaries)} PTX modules, {planned} plans in "
          f"{args.out}")


if __name__ == "__main__":
    main()
