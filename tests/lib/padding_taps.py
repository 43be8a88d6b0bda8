#!/usr/bin/env python3
"""Counts, by brute force, the work of the convolution taps in a linalg
model that only ever read padding: for every NCHW convolution (regular or
depthwise) of a `tensor.pad`ded input, each tap of each spatial axis is
tried against every output position; a tap is live when some output reads
an input row (column) through it. The filter keeps the span of live taps
(what wl-import's canonicalization keeps), and the work of the others is
printed:

  padding_taps.py MODEL   ->  "N convolutions trimmed, F FLOPs of taps
                               that only read padding"

An independent count for tests/workloads/import.mlir (it does not share
the importer's arithmetic)."""
import re
import sys

PAD = re.compile(r"(%[\w.]+) = tensor\.pad %[\w.]+ low\[([\d, ]+)\] "
                 r"high\[([\d, ]+)\].*?\} : tensor<([\dx]+)xf32> to",
                 re.S)
CONV = re.compile(r"linalg\.(conv_2d_nchw_fchw|depthwise_conv_2d_nchw_chw) "
                  r"\{dilations = dense<(\d+)> : vector<2xi64>, "
                  r"strides = dense<(\d+)> : vector<2xi64>\} "
                  r"ins\((%[\w.]+), %[\w.]+ : tensor<[\dx]+xf32>, "
                  r"tensor<([\dx]+)xf32>\) outs\(%[\w.]+ : "
                  r"tensor<([\dx]+)xf32>\)")


def dims(text):
    return [int(d) for d in text.split("x")]


def live_span(size, low, taps, out, stride, dilation):
    live = [t for t in range(taps)
            if any(0 <= o * stride + t * dilation - low < size
                   for o in range(out))]
    return live[-1] - live[0] + 1 if live else taps


def main():
    text = open(sys.argv[1]).read()
    pads = {m.group(1): ([int(v) for v in m.group(2).split(",")],
                         dims(m.group(4)))
            for m in PAD.finditer(text)}
    trimmed = saved = 0
    for m in CONV.finditer(text):
        kind, dilation, stride = m.group(1), int(m.group(2)), int(m.group(3))
        if m.group(4) not in pads:
            continue
        low, shape = pads[m.group(4)]
        filt, out = dims(m.group(5)), dims(m.group(6))
        kh, kw = filt[-2], filt[-1]
        per_tap = 2 * out[0] * out[1] * out[2] * out[3] * (
            1 if kind.startswith("depthwise") else filt[1])
        kept = (live_span(shape[2], low[2], kh, out[2], stride, dilation) *
                live_span(shape[3], low[3], kw, out[3], stride, dilation))
        if kept < kh * kw:
            trimmed += 1
            saved += per_tap * (kh * kw - kept)
    print(f"{trimmed} convolutions trimmed, {saved} FLOPs of taps that "
          "only read padding")


if __name__ == "__main__":
    main()
