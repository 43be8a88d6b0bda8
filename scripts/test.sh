#!/usr/bin/env bash
#===- scripts/test.sh - build and run every test -------------------------===//
#
# Bootstraps, builds, and runs every test through ctest (one lit run over
# the .mlir tests and, through lit's GoogleTest format, every unit-test
# case), then prints one summary line: "N passed, N failed, N skipped".
# Skipped means UNSUPPORTED (a missing ptxas or GPU); it never counts as
# passed. Exits non-zero when anything failed.
#===----------------------------------------------------------------------===//
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
"$root/scripts/bootstrap.sh" "$build"

jobs="$(nproc)"
ninja -C "$build" -j "$jobs"

rm -f "$build/lit-results.json"
status=0
ctest --test-dir "$build" --output-on-failure || status=$?

if [ ! -f "$build/lit-results.json" ]; then
  echo "test.sh: lit wrote no results ($build/lit-results.json)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

summary=0
python3 - "$build/lit-results.json" <<'PY' || summary=$?
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
passed = sum(t["code"] in ("PASS", "XFAIL") for t in tests)
skipped = sum(t["code"] in ("UNSUPPORTED", "SKIPPED") for t in tests)
failed = len(tests) - passed - skipped
for t in tests:
    if t["code"] not in ("PASS", "XFAIL", "UNSUPPORTED", "SKIPPED"):
        print(f"  {t['code']}: {t['name']}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
if [ $status -ne 0 ] || [ $summary -ne 0 ]; then
  exit 1
fi
