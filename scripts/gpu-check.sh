#!/usr/bin/env bash
#===- scripts/gpu-check.sh - run the generated PTX on a real GPU ----------===//
#
#   scripts/gpu-check.sh prepare [DIR]   on this machine (LLVM 22, no GPU)
#   scripts/gpu-check.sh device [DIR]    on a GPU machine (CUDA, g++, PyTorch)
#   scripts/gpu-check.sh [DIR]           both, when this machine has a GPU
#
# prepare: lowers scripts/gpu-check/kernels.mlir for TARGET (default h100,
#   sm_90) with build/bin/fungible-opt, writes each kernel's PTX and each
#   function's launch plan (scripts/gpu-check/plan.py) to DIR (default
#   build-gpu-check/), and assembles every PTX with ptxas when it is here.
# device: builds fungible-gpu-check from runtime/cuda (plain C++17, the CUDA
#   driver through dlopen) with g++, replays every plan on device 0, and
#   checks the outputs against PyTorch references, timing the large bf16
#   matmul against cuBLAS (scripts/gpu-check/check.py). The summary goes to
#   DIR/results/summary.md (and to $OUT when set, as the device tool wants).
#
# With Fungible's device tool: `prepare` here, then run
# `scripts/gpu-check.sh device` there with carry=[build-gpu-check]. Record
# the summary in benchmarks/RESULTS.md. Exits non-zero on any failure.
#===----------------------------------------------------------------------===//
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-auto}"
case "$mode" in
  prepare|device|auto) shift || true ;;
  *) mode=auto ;;
esac
dir="$(realpath -m "${1:-$root/build-gpu-check}")"
target="${TARGET:-h100}"

prepare() {
  local opt="$root/build/bin/fungible-opt"
  [ -x "$opt" ] || { echo "gpu-check: $opt is missing: build first" >&2; exit 1; }
  # Only a directory this script made (or none) is replaced.
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/.fungible-gpu-check" ]; then
    echo "gpu-check: $dir exists and was not made by gpu-check.sh; not touching it" >&2
    exit 1
  fi
  rm -rf "$dir" && mkdir -p "$dir" && touch "$dir/.fungible-gpu-check"
  "$opt" "$root/scripts/gpu-check/kernels.mlir" --wl-lower="target=$target" \
    --mlir-print-op-generic -o "$dir/lowered.mlir"
  python3 "$root/scripts/gpu-check/plan.py" "$dir/lowered.mlir" "$dir/plans"
  rm "$dir/lowered.mlir"
  local ptxas="${PTXAS:-}"
  [ -n "$ptxas" ] || ptxas="$(command -v ptxas || true)"
  [ -n "$ptxas" ] || [ ! -x /usr/local/cuda/bin/ptxas ] || ptxas=/usr/local/cuda/bin/ptxas
  if [ -n "$ptxas" ]; then
    local arch
    arch="$(sed -n 's/^\.target \(sm_[0-9a]*\).*/\1/p' "$dir"/plans/ptx/*.ptx | sort -u)"
    for ptx in "$dir"/plans/ptx/*.ptx; do
      "$ptxas" -arch="$arch" "$ptx" -o /dev/null
    done
    echo "gpu-check: ptxas -arch=$arch accepted $(ls "$dir"/plans/ptx | wc -l) PTX modules"
  fi
  echo "gpu-check: prepared $dir ($(du -sh "$dir" | cut -f1))"
}

device() {
  [ -d "$dir/plans" ] || { echo "gpu-check: no plans in $dir: run 'prepare' first" >&2; exit 1; }
  if ! ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; then
    echo "gpu-check: no CUDA driver (libcuda.so.1) on this machine" >&2
    exit 1
  fi
  local cxx="${CXX:-g++}"
  "$cxx" -std=c++17 -O2 -I"$root" "$root"/runtime/cuda/*.cpp -ldl \
    -o "$dir/fungible-gpu-check"
  rm -rf "$dir/results"
  local status=0
  for plan in "$dir"/plans/*/plan.txt; do
    local name
    name="$(basename "$(dirname "$plan")")"
    mkdir -p "$dir/results/$name"
    "$dir/fungible-gpu-check" "$plan" "$dir/results/$name" --repeats 20 || status=1
  done
  python3 "$root/scripts/gpu-check/check.py" "$dir/results" || status=1
  if [ -n "${OUT:-}" ]; then
    cp "$dir/results/summary.md" "$OUT/" 2>/dev/null || true
    for m in "$dir"/results/*/manifest.txt; do
      cp "$m" "$OUT/$(basename "$(dirname "$m")").manifest.txt"
    done
  fi
  return "$status"
}

has_gpu() {
  command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1
}

case "$mode" in
  prepare) prepare ;;
  device) device ;;
  auto)
    prepare
    if has_gpu; then
      device
    else
      echo "gpu-check: no GPU on this machine: nothing ran. Carry $dir to a" \
           "GPU machine and run 'scripts/gpu-check.sh device' there." >&2
      exit 2
    fi ;;
esac
