#!/usr/bin/env python3
"""Appends a test harness to an MLIR file: a function that builds
deterministic inputs for FUNC's tensor, memref and scalar arguments, calls
FUNC
and prints every floating-point result with printMemrefF32 (f64 results
rounded to f32), then the contents of every floating-point memref argument
after the call.

  make_harness.py FILE FUNC [ENTRY]   (writes the augmented module to stdout)

Inputs are a fixed function of each element's flat index (values in
[-0.5, 0.5) for floats, [0, 7) for integers), so two programs that compute
the same thing print the same numbers. Used by the import tests to run an
original upstream program and its wl import on identical inputs.
"""
import re
import sys

FLOATS = {"f32", "f16", "bf16", "f64"}


def parse_tensor(t):
    m = re.fullmatch(r"(?:tensor|memref)<((?:\d+x)*)(\w+)>", t.strip())
    if not m:
        raise SystemExit(f"make_harness: unsupported argument type {t}")
    dims = [int(d) for d in m.group(1).split("x") if d]
    return dims, m.group(2)


def split_types(s):
    out, depth, cur = [], 0, ""
    for c in s:
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        out.append(cur.strip())
    return out


def signature(text, func):
    m = re.search(r"func\.func\s+@" + re.escape(func) + r"\((.*?)\)\s*(->\s*(\(.*?\)|[^{]*?))?\s*(attributes.*?)?\{",
                  text, re.S)
    if not m:
        raise SystemExit(f"make_harness: no function @{func}")
    args = [a.split(":", 1)[1] for a in split_types(m.group(1)) if ":" in a]
    args = [re.sub(r"\{.*\}", "", a).strip() for a in args]
    res = (m.group(3) or "").strip()
    if res.startswith("("):
        res = res[1:-1]
    return args, split_types(res) if res else []


SCALARS = {"index", "i64", "i32", "i16", "i8", "f32", "f64", "f16", "bf16"}


def scalar_value(ty, salt):
    """The value a scalar argument of type TY gets: element 0 of a tensor's
    sequence (as printed by input_value and npy_tool.py)."""
    if ty.startswith("f") or ty == "bf16":
        return repr((salt % 101 - 50) / 101.0)
    return str(salt % 7)


def input_value(lines, name, ty, salt):
    dims, elem = parse_tensor(ty)
    rank = len(dims)
    ident = "affine_map<(" + ", ".join(f"d{i}" for i in range(rank)) + ") -> (" + \
        ", ".join(f"d{i}" for i in range(rank)) + ")>"
    iters = ", ".join(['"parallel"'] * rank)
    lines.append(f"    %{name}_e = tensor.empty() : {ty}")
    lines.append(f"    %{name} = linalg.generic {{indexing_maps = [{ident}], iterator_types = [{iters}]}} "
                 f"outs(%{name}_e : {ty}) {{")
    lines.append(f"    ^bb0(%o: {elem}):")
    lines.append("      %lin0 = arith.constant 0 : index")
    prev = "%lin0"
    for i, d in enumerate(dims):
        lines.append(f"      %idx{i} = linalg.index {i} : index")
        lines.append(f"      %dim{i} = arith.constant {d} : index")
        lines.append(f"      %mul{i} = arith.muli {prev}, %dim{i} : index")
        lines.append(f"      %lin{i + 1} = arith.addi %mul{i}, %idx{i} : index")
        prev = f"%lin{i + 1}"
    lines.append("      %c37 = arith.constant 37 : index")
    lines.append(f"      %csalt = arith.constant {salt} : index")
    lines.append("      %m = arith.muli " + prev + ", %c37 : index")
    lines.append("      %s = arith.addi %m, %csalt : index")
    if elem in FLOATS:
        lines.append("      %c101 = arith.constant 101 : index")
        lines.append("      %r = arith.remui %s, %c101 : index")
        lines.append("      %ri = arith.index_cast %r : index to i64")
        lines.append("      %rf = arith.sitofp %ri : i64 to f32")
        lines.append("      %c50 = arith.constant 50.0 : f32")
        lines.append("      %c101f = arith.constant 101.0 : f32")
        lines.append("      %sh = arith.subf %rf, %c50 : f32")
        lines.append("      %v32 = arith.divf %sh, %c101f : f32")
        if elem == "f32":
            lines.append("      linalg.yield %v32 : f32")
        else:
            cast = "extf" if elem == "f64" else "truncf"
            lines.append(f"      %v = arith.{cast} %v32 : f32 to {elem}")
            lines.append(f"      linalg.yield %v : {elem}")
    else:
        lines.append("      %c7 = arith.constant 7 : index")
        lines.append("      %r = arith.remui %s, %c7 : index")
        lines.append(f"      %v = arith.index_cast %r : index to {elem}")
        lines.append(f"      linalg.yield %v : {elem}")
    lines.append(f"    }} -> {ty}")


def main():
    path, func = sys.argv[1], sys.argv[2]
    entry = sys.argv[3] if len(sys.argv) > 3 else "fungible_harness"
    text = open(path).read()
    args, results = signature(text, func)
    lines = [f"  func.func @{entry}() {{"]
    names = []
    buffers = []
    for i, ty in enumerate(args):
        if ty in SCALARS:
            # A scalar argument: the first value of the sequence a tensor
            # of its type would start with.
            value = scalar_value(ty, 11 * i + 3)
            lines.append(f"    %in{i} = arith.constant {value} : {ty}")
        elif ty.startswith("memref<"):
            # A buffer argument: a fresh buffer holding the same values,
            # printed after the results (its contents after the call).
            tensor_ty = "tensor<" + ty[len("memref<"):]
            input_value(lines, f"in{i}_t", tensor_ty, 11 * i + 3)
            lines.append(f"    %in{i}_b = bufferization.to_buffer %in{i}_t : {tensor_ty} to {ty}")
            lines.append(f"    %in{i} = memref.alloc() : {ty}")
            lines.append(f"    memref.copy %in{i}_b, %in{i} : {ty} to {ty}")
            buffers.append((i, ty, tensor_ty))
        else:
            input_value(lines, f"in{i}", ty, 11 * i + 3)
        names.append(f"%in{i}")
    res_names = [f"%out{i}" for i in range(len(results))]
    call = f"    {', '.join(res_names) + ' = ' if results else ''}func.call @{func}({', '.join(names)}) : " \
           f"({', '.join(args)}) -> ({', '.join(results)})"
    lines.append(call)
    printed = [(f"%out{i}", ty, i) for i, ty in enumerate(results)]
    for i, ty, tensor_ty in buffers:
        lines.append(f"    %after{i} = bufferization.to_tensor %in{i} restrict : {ty} to {tensor_ty}")
        printed.append((f"%after{i}", tensor_ty, len(printed)))
    for val, ty, i in printed:
        dims, elem = parse_tensor(ty)
        if elem not in FLOATS:
            continue
        if elem != "f32":
            f32ty = ty.replace(elem + ">", "f32>")
            lines.append(f"    %ext{i}_e = tensor.empty() : {f32ty}")
            rank = len(dims)
            ident = "affine_map<(" + ", ".join(f"d{j}" for j in range(rank)) + ") -> (" + \
                ", ".join(f"d{j}" for j in range(rank)) + ")>"
            iters = ", ".join(['"parallel"'] * rank)
            lines.append(f"    %ext{i} = linalg.generic {{indexing_maps = [{ident}, {ident}], iterator_types = [{iters}]}} "
                         f"ins({val} : {ty}) outs(%ext{i}_e : {f32ty}) {{")
            lines.append(f"    ^bb0(%a: {elem}, %b: f32):")
            cast = "truncf" if elem == "f64" else "extf"
            lines.append(f"      %x = arith.{cast} %a : {elem} to f32")
            lines.append("      linalg.yield %x : f32")
            lines.append(f"    }} -> {f32ty}")
            val, ty = f"%ext{i}", f32ty
        lines.append(f"    %u{i} = tensor.cast {val} : {ty} to tensor<*xf32>")
        lines.append(f"    func.call @printMemrefF32(%u{i}) : (tensor<*xf32>) -> ()")
    lines.append("    return")
    lines.append("  }")
    harness = "\n".join(lines) + "\n"
    if "@printMemrefF32" not in text:
        harness = "  func.func private @printMemrefF32(tensor<*xf32>)\n" + harness
    if re.search(r"^module\b", text, re.M):
        end = text.rstrip().rfind("}")
        text = text[:end] + harness + "}\n"
    else:
        text = text + "\n" + harness
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
