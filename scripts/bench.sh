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
ninja -C "$build" FungibleBenchmarks >/dev/null
"$build/bin/FungibleBenchmarks" --benchmark_out="$build/bench.json" \
  --benchmark_out_format=json "$@"
