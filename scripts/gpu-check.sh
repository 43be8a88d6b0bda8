#!/usr/bin/env bash
#===- scripts/gpu-check.sh - run the generated PTX on a real GPU ----------===//
#
#   scripts/gpu-check.sh prepare [DIR]   on this machine (LLVM 22, no GPU)
#   scripts/gpu-check.sh device [DIR]    on a GPU machine (CUDA, g++, PyTorch)
#   scripts/gpu-check.sh [DIR]           both, when this machine has a GPU
#
# prepare: lowers scripts/gpu-check/kernels.mlir for TARGET (default h100,
#   sm_90a) with build/bin/fungible-opt, writes each kernel's PTX and each
#   function's launch plan (scripts/gpu-check/plan.py) to DIR (default
#   build-gpu-check/), and assembles every PTX with ptxas when it is here.
#   It also prepares the fidelity sets (DIR/fidelity/<set>/): the GPU shape
#   sweep (scripts/gpu-check/gen_sweep.py) and every model of
#   examples/workloads and ../shared/workloads (SHARED_WORKLOADS), each
#   outlined and compiled kernel by kernel (wl-compile), one timing plan per
#   kernel (plan.py --variants), and each set's `fungible-cost
#   --targets=h100,h200,b200 --format=json` (the estimates and gpu_work),
#   and says where the model's CTAs differ from a kernel's launch grid
#   (scripts/gpu-check/grid_check.py).
# device: builds fungible-gpu-check from runtime/cuda (plain C++17, the CUDA
#   driver through dlopen) with g++, replays every plan on device 0, and
#   checks the outputs against PyTorch references, timing the large bf16
#   matmul against cuBLAS (scripts/gpu-check/check.py). The summary goes to
#   DIR/results/summary.md (and to $OUT when set, as the device tool wants).
#   Then it times every kernel of the fidelity sets (20 runs each after a
#   warm-up, CUDA events, medians) and writes the measurement files
#   DIR/gpu-sweep-times.json (the fitting set) and DIR/gpu-model-times.json
#   (the validation set) with scripts/gpu-check/measurements.py, printing
#   the model's fidelity on each (also to $OUT).
# GEMM shapes: prepare also lowers the standalone wgmma GEMMs of kernels.mlir
#   (GEMM_FUNCTIONS) once per shape of the sm_90a kernel in GEMM_SHAPES
#   (each NAME=TILE_N,TILE_K,STAGES,GROUP_M,SWIZZLE[,TMA]: the spec params
#   wgmma_tile_n, _tile_k, _stages, _group_m, _swizzle, _tma,
#   docs/Codegen.md; the shapes ending in t load their stages by TMA)
#   into DIR/gemm/, and
#   device checks and times each against PyTorch and cuBLAS
#   (DIR/results-gemm/summary.md). GEMM_SHAPES= (empty) skips them.
#
# With Fungible's device tool: `prepare` here, then run
# `scripts/gpu-check.sh device` there with carry=[build-gpu-check]. Then,
# here, fit the GPU's spec and see the error before and after:
#   build/bin/fungible-calibrate --from=gpu-sweep-times.json \
#     --validate=gpu-model-times.json --out=h200-fitted.json
# Record the summary and the fidelity tables in benchmarks/RESULTS.md.
# FIDELITY=0 skips the fidelity sets. Exits non-zero on any failure.
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
gemm_functions="${GEMM_FUNCTIONS:-mm_bf16_4096 mm_f16 bmm_bf16}"
gemm_shapes="${GEMM_SHAPES-n128k32s3g1i=128,32,3,1,0 n128k64s4g8=128,64,4,8,1 n256k64s4g4=256,64,4,4,1 n256k64s4g8=256,64,4,8,1 n128k64s4g8t=128,64,4,8,1,1 n256k64s4g8t=256,64,4,8,1,1}"

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
  [ "${FIDELITY:-1}" = 0 ] || prepare_fidelity
  [ -z "$gemm_shapes" ] || prepare_gemm_shapes
  local ptxas="${PTXAS:-}"
  [ -n "$ptxas" ] || ptxas="$(command -v ptxas || true)"
  [ -n "$ptxas" ] || [ ! -x /usr/local/cuda/bin/ptxas ] || ptxas=/usr/local/cuda/bin/ptxas
  if [ -n "$ptxas" ]; then
    # Every module assembles; what ptxas -v reports per kernel (registers,
    # shared memory, spills) goes to DIR/ptxas.md.
    local arch
    arch="$(sed -n 's/^\.target \(sm_[0-9a]*\).*/\1/p' "$dir"/plans/ptx/*.ptx | sort -u)"
    python3 "$root/scripts/gpu-check/ptxas_table.py" "$ptxas" "$arch" \
      "$dir/ptxas.md" "$dir"/plans/ptx/*.ptx \
      $(ls "$dir"/fidelity/*/plans/ptx/*.ptx "$dir"/gemm/*/plans/ptx/*.ptx \
        2>/dev/null)
  fi
  echo "gpu-check: prepared $dir ($(du -sh "$dir" | cut -f1))"
}

# The standalone GEMMs of kernels.mlir, once per shape of the sm_90a kernel:
# DIR/gemm/<function>@<shape>/plan.txt (check.py reads the function's name
# before the @), each lowered with a copy of the target's spec that sets the
# shape's params.
prepare_gemm_shapes() {
  local opt="$root/build/bin/fungible-opt" gdir="$dir/gemm" entry name values
  mkdir -p "$gdir"
  : > "$gdir/plans.txt"
  for entry in $gemm_shapes; do
    name="${entry%%=*}" values="${entry#*=}"
    mkdir -p "$gdir/$name/specs"
    python3 - "$root/targets/specs/$target.json" "$gdir/$name/specs/$target.json" \
      "$values" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
keys = ["wgmma_tile_n", "wgmma_tile_k", "wgmma_stages", "wgmma_group_m",
        "wgmma_swizzle", "wgmma_tma"]
for key, value in zip(keys, sys.argv[3].split(",")):
    spec["params"][key] = {"value": int(value), "source": "gpu-check.sh GEMM_SHAPES"}
json.dump(spec, open(sys.argv[2], "w"), indent=1)
PY
    "$opt" "$root/scripts/gpu-check/kernels.mlir" \
      --wl-lower="target=$target specs-dir=$gdir/$name/specs" \
      --mlir-print-op-generic -o "$gdir/$name/lowered.mlir"
    python3 "$root/scripts/gpu-check/plan.py" "$gdir/$name/lowered.mlir" \
      "$gdir/$name/plans" > /dev/null
    rm "$gdir/$name/lowered.mlir"
    local function
    for function in $gemm_functions; do
      echo "gemm/$name/plans/$function/plan.txt results-gemm/$function@$name" \
        >> "$gdir/plans.txt"
    done
  done
  echo "gpu-check: $(wc -l < "$gdir/plans.txt") GEMM plans in" \
       "$(echo $gemm_shapes | wc -w) kernel shapes"
}

# Checks and times the GEMMs of every kernel shape.
device_gemm_shapes() {
  local status=0 plan out
  rm -rf "$dir/results-gemm"
  while read -r plan out; do
    mkdir -p "$dir/$out"
    (cd "$dir" && ./fungible-gpu-check "$plan" "$out" --repeats 20) || status=1
  done < "$dir/gemm/plans.txt"
  python3 "$root/scripts/gpu-check/check.py" "$dir/results-gemm" || status=1
  [ -z "${OUT:-}" ] || cp "$dir/results-gemm/summary.md" "$OUT/gemm-summary.md"
  return "$status"
}

# The fidelity sets: one timing plan per kernel, and the estimates.
prepare_fidelity() {
  local opt="$root/build/bin/fungible-opt" cost="$root/build/bin/fungible-cost"
  local shared="${SHARED_WORKLOADS:-$root/../shared/workloads}"
  local fdir="$dir/fidelity"
  mkdir -p "$fdir"
  python3 "$root/scripts/gpu-check/gen_sweep.py" > "$fdir/sweep.mlir"
  local models=("$fdir/sweep.mlir" "$root"/examples/workloads/*.mlir)
  if [ -d "$shared" ]; then
    models+=("$shared"/*.mlir)
  else
    echo "gpu-check: no $shared: the fidelity sets leave its models out" >&2
  fi
  : > "$fdir/plans.txt"
  : > "$fdir/models.txt"
  local model name
  for model in "${models[@]}"; do
    name="$(basename "$model" .mlir)"
    [ -d "$fdir/$name" ] && [ "$name" != sweep ] && {
      echo "gpu-check: two models named $name" >&2; exit 1; }
    mkdir -p "$fdir/$name"
    "$opt" "$model" --wl-import-and-outline \
      --wl-compile="targets=$target" --mlir-print-op-generic \
      -o "$fdir/$name/fat.mlir"
    python3 "$root/scripts/gpu-check/plan.py" --variants \
      "$fdir/$name/fat.mlir" "$fdir/$name/plans" > /dev/null
    rm "$fdir/$name/fat.mlir"
    "$cost" "$model" --targets=h100,h200,b200 --format=json \
      > "$fdir/$name/costs.json"
    local plan kernel
    for plan in "$fdir/$name"/plans/*/plan.txt; do
      kernel="$(basename "$(dirname "$plan")")"
      echo "fidelity/$name/plans/$kernel/plan.txt results-fidelity/$name/$kernel" \
        >> "$fdir/plans.txt"
    done
    [ "$name" = sweep ] || echo "$name" >> "$fdir/models.txt"
  done
  echo "gpu-check: $(wc -l < "$fdir/plans.txt") kernels to time in" \
       "$(( $(wc -l < "$fdir/models.txt") + 1 )) fidelity sets"
  # The model prices the kernels the lowering launches (their CTAs); a
  # kernel that differs is timed anyway, and said here.
  python3 "$root/scripts/gpu-check/grid_check.py" "$fdir" ||
    echo "gpu-check: the model's CTAs differ from the launches above" >&2
}

# Times the fidelity sets and writes the measurement files.
device_fidelity() {
  local fdir="$dir/fidelity" status=0
  [ -f "$fdir/plans.txt" ] || { echo "gpu-check: no fidelity sets in $dir" >&2; return 1; }
  rm -rf "$dir/results-fidelity"
  mkdir -p "$dir/results-fidelity"
  # Each plan writes into results-fidelity/<set>/<kernel>.
  (cd "$dir" && while read -r _ out; do mkdir -p "$(dirname "$out")"; done \
     < fidelity/plans.txt)
  (cd "$dir" && ./fungible-gpu-check --plans fidelity/plans.txt --runs 20 \
     --repeats 0 --no-data > results-fidelity/log.txt 2>&1) || status=1
  tail -3 "$dir/results-fidelity/log.txt"
  python3 "$root/scripts/gpu-check/measurements.py" "$dir/gpu-sweep-times.json" \
    "$fdir" "$dir/results-fidelity" sweep || status=1
  # shellcheck disable=SC2046
  python3 "$root/scripts/gpu-check/measurements.py" "$dir/gpu-model-times.json" \
    "$fdir" "$dir/results-fidelity" $(cat "$fdir/models.txt") || status=1
  if [ -n "${OUT:-}" ]; then
    cp "$dir"/gpu-*-times.json "$OUT/" 2>/dev/null || true
    cp "$dir/results-fidelity/log.txt" "$OUT/fidelity-log.txt" 2>/dev/null || true
  fi
  return "$status"
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
  if [ -f "$dir/gemm/plans.txt" ]; then
    device_gemm_shapes || status=1
  fi
  if [ "${FIDELITY:-1}" != 0 ]; then
    device_fidelity || status=1
  fi
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
