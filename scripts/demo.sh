#!/usr/bin/env bash
#===- scripts/demo.sh - the main job on the bundled example --------------===//
#
# Bootstraps and builds Fungible, then takes the bundled GPT-2 small block
# as a user has it (upstream linalg on tensors,
# examples/workloads/gpt2_block_b1.mlir, or the file given as $1): imports
# it into wl and reports what was raised, prints every kernel with its
# exact FLOP and byte counts, and lowers it back to upstream linalg. The
# imported module and the JSON work table are written to build/demo/.
#===----------------------------------------------------------------------===//
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
input="${1:-$root/examples/workloads/gpt2_block_b1.mlir}"

"$root/scripts/bootstrap.sh" "$build"
ninja -C "$build" fungible-opt >/dev/null

opt="$build/bin/fungible-opt"
out="$build/demo"
mkdir -p "$out"
name="$(basename "$input" .mlir)"

echo "== $input: import into wl (wl-import), then every kernel's work"
echo "   (WorkloadCostInterface; locations point into the input file)"
"$opt" "$input" --wl-import --wl-import-report --wl-print-work \
  -o "$out/$name.wl.mlir"
"$opt" "$out/$name.wl.mlir" --wl-print-work=format=json -o /dev/null \
  > "$out/$name.work.json"
echo
echo "== lowering to upstream linalg (convert-wl-to-linalg)"
"$opt" "$out/$name.wl.mlir" --convert-wl-to-linalg -o "$out/$name.linalg.mlir"
echo "$(grep -c 'linalg\.' "$out/$name.linalg.mlir") linalg ops written to $out/$name.linalg.mlir"
echo "imported module: $out/$name.wl.mlir; work table as JSON: $out/$name.work.json"
