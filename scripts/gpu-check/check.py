#!/usr/bin/env python3
"""Checks what fungible-gpu-check computed on the GPU against a reference and
times the large bf16 matmul against cuBLAS. Runs on the GPU machine (needs
numpy and PyTorch).

    check.py RESULTS_DIR [--functions f,g,...] [--timed mm_bf16_4096]

RESULTS_DIR/<function>/ (or <function>@<variant>/: the function lowered
another way, checked and timed like it) holds fungible-gpu-check's manifest.txt,
input<id>.bin and output<k>.bin. Each function of kernels.mlir has its
reference below, computed by PyTorch from the very inputs the GPU read: in
float64 on the CPU, except the timed matmul, whose reference is a float32
product on the GPU with TF32 off (its error is far below bf16's). An output
passes when every element is within atol + rtol * |reference| for its type
(one unit in the last place of the output type, plus the float32
accumulation's rounding). Writes RESULTS_DIR/summary.md and exits 1 if any
output fails.
"""
import argparse
import os
import sys

import numpy as np
import torch

REFERENCES = {
    "mm_f32": lambda a, b: a @ b,
    "mm_bf16_relu": lambda a, b: torch.relu(a @ b),
    "mm_f16": lambda a, b: a @ b,
    "bmm_bf16": lambda a, b: torch.bmm(a, b),
    "bias_relu": lambda x, bias: torch.relu(x + bias),
    "softmax": lambda x: torch.softmax(x, dim=1),
    "mm_bf16_4096": lambda a, b: a @ b,
}

# (rtol, atol) per output element type.
TOLERANCE = {"f32": (1e-5, 1e-5), "f16": (2.0 ** -10, 1e-4),
             "bf16": (2.0 ** -7, 1e-3)}

NUMPY = {"f32": np.float32, "f16": np.float16, "f64": np.float64,
         "bf16": np.int16, "i32": np.int32, "i64": np.int64, "i8": np.int8}


def load(path, element, sizes):
    array = np.fromfile(path, dtype=NUMPY[element]).reshape(sizes)
    tensor = torch.from_numpy(array.copy())
    return tensor.view(torch.bfloat16) if element == "bf16" else tensor


def read_manifest(directory):
    manifest = {"inputs": [], "outputs": [], "time_ms": None}
    for line in open(os.path.join(directory, "manifest.txt")):
        words = line.split()
        if words[0] == "device":
            manifest["device"] = " ".join(words[1:])
        elif words[0] == "input":
            manifest["inputs"].append(
                (int(words[1]), words[2], [int(w) for w in words[3:]]))
        elif words[0] == "output":
            manifest["outputs"].append(
                (int(words[1]), words[3], [int(w) for w in words[4:]]))
        elif words[0] == "time_ms":
            manifest["time_ms"] = float(words[1])
    return manifest


def time_cublas(a, b, repeats=20):
    for _ in range(3):
        torch.matmul(a, b)
    start = torch.cuda.Event(enable_timing=True)
    stop = torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(repeats):
        torch.matmul(a, b)
    stop.record()
    torch.cuda.synchronize()
    return start.elapsed_time(stop) / repeats


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--timed", default="mm_bf16_4096")
    args = parser.parse_args()
    rows, failures = [], 0
    torch.backends.cuda.matmul.allow_tf32 = False
    for name in sorted(os.listdir(args.results)):
        directory = os.path.join(args.results, name)
        if not os.path.isfile(os.path.join(directory, "manifest.txt")):
            continue
        function = name.split("@")[0]
        if function not in REFERENCES:
            print(f"check.py: no reference for {name}", file=sys.stderr)
            failures += 1
            continue
        manifest = read_manifest(directory)
        inputs = [load(os.path.join(directory, f"input{i}.bin"), e, s)
                  for i, e, s in manifest["inputs"]]
        k, element, sizes = manifest["outputs"][0]
        got = load(os.path.join(directory, f"output{k}.bin"), element, sizes)
        timed = function == args.timed and torch.cuda.is_available()
        if timed:
            device = [x.cuda() for x in inputs]
            reference = REFERENCES[function](
                *[x.float() for x in device]).double()
            got_wide = got.cuda().double()
        else:
            reference = REFERENCES[function](*[x.double() for x in inputs])
            got_wide = got.double()
        rtol, atol = TOLERANCE[element]
        error = (got_wide - reference).abs()
        bound = atol + rtol * reference.abs()
        bad = int((error > bound).sum()) + int(torch.isnan(got_wide).sum())
        failures += bad > 0
        row = {"function": name, "output": f"{element} {'x'.join(map(str, sizes))}",
               "max_abs_error": float(error.max()), "bad": bad,
               "ms": manifest["time_ms"], "device": manifest.get("device", "?")}
        if timed:
            cublas_ms = time_cublas(device[0], device[1])
            cublas = torch.matmul(device[0], device[1]).double()
            row["cublas_ms"] = cublas_ms
            row["cublas_max_abs_error"] = float((cublas - reference).abs().max())
            m, kk = sizes[0], inputs[0].shape[1]
            flops = 2.0 * m * sizes[1] * kk
            row["tflops"] = flops / (manifest["time_ms"] * 1e-3) / 1e12
            row["cublas_tflops"] = flops / (cublas_ms * 1e-3) / 1e12
        rows.append(row)
        print(row)
    devices = sorted({row["device"] for row in rows})
    lines = [f"Device: {', '.join(devices)}", "","| function | output | max abs error | elements out of tolerance "
             "| ms per run |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['function']} | {row['output']} | "
                     f"{row['max_abs_error']:.3g} | {row['bad']} | "
                     f"{row['ms']:.4f} |")
    for row in rows:
        if "cublas_ms" in row:
            lines += ["", f"{row['function']}: Fungible {row['ms']:.3f} ms "
                      f"({row['tflops']:.1f} TFLOP/s), cuBLAS through PyTorch "
                      f"{row['cublas_ms']:.3f} ms ({row['cublas_tflops']:.1f} "
                      f"TFLOP/s): {row['cublas_ms'] / row['ms']:.1%} of "
                      f"cuBLAS's speed; max abs error vs the f32 product: "
                      f"Fungible {row['max_abs_error']:.3g}, cuBLAS "
                      f"{row['cublas_max_abs_error']:.3g}"]
    summary = "\n".join(lines) + "\n"
    with open(os.path.join(args.results, "summary.md"), "w") as f:
        f.write(summary)
    print(summary)
    print(f"check.py: {len(rows)} functions, {failures} failed")
    sys.exit(1 if failures or not rows else 0)


if __name__ == "__main__":
    main()
