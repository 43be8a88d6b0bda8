#!/usr/bin/env bash
#===- scripts/demo.sh - the main job on the bundled example --------------===//
#
# Bootstraps and builds Fungible, then takes the bundled GPT-2 small block
# (examples/workloads/gpt2_block.mlir, or the file given as $1): parses and
# verifies it, prints every kernel with its exact FLOP and byte counts, and
# checks that it lowers to upstream linalg. The JSON form of the table is
# written to build/demo/.
#===----------------------------------------------------------------------===//
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
input="${1:-$root/examples/workloads/gpt2_block.mlir}"

"$root/scripts/bootstrap.sh" "$build"
ninja -C "$build" fungible-opt >/dev/null

opt="$build/bin/fungible-opt"
out="$build/demo"
mkdir -p "$out"
name="$(basename "$input" .mlir)"

echo "== $input: parse and verify"
"$opt" "$input" -o "$out/$name.verified.mlir"
echo "ok"
echo
echo "== kernels with their work (WorkloadCostInterface)"
"$opt" "$input" --wl-print-work -o /dev/null
"$opt" "$input" --wl-print-work=format=json -o /dev/null > "$out/$name.work.json"
echo
echo "== lowering to upstream linalg (convert-wl-to-linalg)"
"$opt" "$input" --convert-wl-to-linalg -o "$out/$name.linalg.mlir"
echo "$(grep -c 'linalg\.' "$out/$name.linalg.mlir") linalg ops written to $out/$name.linalg.mlir"
echo "work table as JSON: $out/$name.work.json"
