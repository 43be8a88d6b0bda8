#!/usr/bin/env bash
#===- scripts/sanitize.sh - the whole suite under ASan and UBSan ---------===//
#
# Builds Fungible with AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer in its own build directory (default
# build-sanitize/; -DFUNGIBLE_SANITIZE=ON) and runs every lit and unit test
# there. Any sanitizer report fails the test that triggered it. LLVM and
# MLIR are Debian's, uninstrumented: what is checked is Fungible's code.
# The one test that loads our plugin into Debian's uninstrumented mlir-opt
# is UNSUPPORTED (lit feature `sanitizers`).
#
#   scripts/sanitize.sh [BUILD_DIR]
#
# Takes about 40 minutes on 2 cores from cold (the build dominates); not
# part of scripts/test.sh for that reason: run it before every stop.
#===----------------------------------------------------------------------===//
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-sanitize}"
"$root/scripts/bootstrap.sh" "$build" -DFUNGIBLE_SANITIZE=ON \
  -DFUNGIBLE_BUILD_BENCHMARKS=OFF
ninja -C "$build" -j "$(nproc)"

# halt_on_error: the first report ends the process (non-zero exit), so the
# test fails; leaks are reported at exit. ODR checks are off: LLVM's own
# command-line options are defined in both libLLVM and our static code.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_odr_violation=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
# LeakSanitizer's exit-time scan crashes ("Tracer caught signal 11") while
# libomp's worker threads are alive; one OpenMP thread keeps the scan
# working. Threading is not what ASan checks.
export OMP_NUM_THREADS=1

lit="$(command -v lit || echo /usr/lib/llvm-22/bin/lit)"
"$lit" -sv -j "$(nproc)" "$build/tests" "$build/tests/unit"
