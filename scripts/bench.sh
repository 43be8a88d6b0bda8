#!/usr/bin/env bash
#===- scripts/bench.sh - build in Release and run the benchmarks ---------===//
#
# Builds build-release/ (Release, benchmarks on) and runs the Google
# Benchmark binaries. Results go to stdout and build-release/bench.json;
# record them in benchmarks/RESULTS.md with the machine and date.
# Extra arguments are passed to the benchmark binary.
#===----------------------------------------------------------------------===//
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-release"
FUNGIBLE_BUILD_TYPE=Release "$root/scripts/bootstrap.sh" "$build"
# OpenBLAS is the CPU matmul benchmark's reference line (not a test dependency).
if ! dpkg -s libopenblas-dev >/dev/null 2>&1; then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y libopenblas-dev >/dev/null
  cmake "$build" >/dev/null
fi
ninja -C "$build" FungibleBenchmarks >/dev/null
"$build/bin/FungibleBenchmarks" --benchmark_out="$build/bench.json" \
  --benchmark_out_format=json "$@"
