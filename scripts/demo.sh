#!/usr/bin/env bash
#===- scripts/demo.sh - the main job on the bundled example --------------===//
#
# Bootstraps and builds Fungible, then takes the bundled GPT-2 small block
# as a user has it (upstream linalg on tensors,
# examples/workloads/gpt2_block_b1.mlir, or the file given as $1): imports
# it into wl and reports what was raised, prints every kernel with its
# exact FLOP and byte counts and its estimated cost on four chip families,
# and lowers it back to upstream linalg, places and runs it, and shows the
# whole fleet at work: a stream of GPT-2 batch-8 blocks pipelined over an
# H100 and a Trainium2 against each chip alone, parallel branches placed
# for makespan, and one day of the envelope planned (examples/plans). The
# imported module and the JSON tables are written to build/demo/.
#===----------------------------------------------------------------------===//
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
input="${1:-$root/examples/workloads/gpt2_block_b1.mlir}"

"$root/scripts/bootstrap.sh" "$build"
ninja -C "$build" fungible-opt fungible-cost fungible-run fungible-plan >/dev/null

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
echo "== its kernels (wl-outline-kernels) and what each costs on every built-in chip (fungible-cost)"
"$build/bin/fungible-cost" "$input"
"$build/bin/fungible-cost" "$input" --format=json > "$out/$name.cost.json"
kernel="$("$build/bin/fungible-cost" "$input" --targets=h100 --format=csv |
  awk -F, '$2 == "contraction" { print $1; exit }')"
if [ -n "$kernel" ]; then
  echo
  echo "== why: the figures behind $kernel (fungible-cost --explain)"
  "$build/bin/fungible-cost" "$input" --targets=h100,tpu-v5p,trn2,cpu-host \
    --explain="$kernel"
fi
"$opt" "$out/$name.wl.mlir" --wl-outline-kernels --wl-estimate-costs \
  -o "$out/$name.kernels.mlir"
echo
fleet="h100:1,tpu-v5p:1,trn2:1,cpu-host:1"
for objective in time dollars; do
  echo "== placed for $objective on $fleet and run (fungible-run)"
  "$build/bin/fungible-run" "$input" --devices="$fleet" \
    --objective="$objective" --out="$out/run-$objective" \
    --report="$out/$name.$objective.report.json" \
    --trace="$out/$name.$objective.trace.json"
  grep -A30 '"placement": {' "$out/$name.$objective.report.json" |
    sed -n '2,/}/p' | sed '$d'
done
echo "reports and Chrome/Perfetto traces: $out/$name.{time,dollars}.{report,trace}.json"
echo
echo "== lowering to upstream linalg (convert-wl-to-linalg)"
"$opt" "$out/$name.wl.mlir" --convert-wl-to-linalg -o "$out/$name.linalg.mlir"
echo "$(grep -c 'linalg\.' "$out/$name.linalg.mlir") linalg ops written to $out/$name.linalg.mlir"
echo
echo "== each family's own code (wl-lower{target=<chip>}, docs/Codegen.md)"
for chip in h100 tpu-v5p trn2; do
  "$opt" "$out/$name.wl.mlir" --wl-lower=target=$chip -o "$out/$name.$chip.mlir"
done
echo "h100:    $(grep -c 'gpu.binary' "$out/$name.h100.mlir") PTX kernels (sm_90a) in $out/$name.h100.mlir"
echo "tpu-v5p: $(grep -c 'mxu.matmul' "$out/$name.tpu-v5p.mlir") MXU matmuls, $(grep -c 'mxu.dma_load' "$out/$name.tpu-v5p.mlir") DMA loads in $out/$name.tpu-v5p.mlir"
echo "trn2:    $(grep -c 'neuron.matmul' "$out/$name.trn2.mlir") TensorEngine matmuls, $(grep -c 'neuron.wait' "$out/$name.trn2.mlir") semaphore waits in $out/$name.trn2.mlir"
echo
echo "== one fat module for every chip (wl-compile), run from its compiled variants"
"$opt" "$out/$name.wl.mlir" --wl-outline-kernels \
  --wl-compile=targets=h100,tpu-v5p,trn2,cpu-host -o "$out/$name.fat.mlir"
"$build/bin/fungible-run" "$out/$name.fat.mlir" --devices="$fleet" \
  --objective=dollars --out="$out/run-fat" --report="$out/$name.fat.report.json"
ran="$(sed -n '/"variants_run": \[/,/\]/p' "$out/$name.fat.report.json" | grep -c '@')"
echo "$ran kernels computed by their compiled variants; outputs equal to the run above:"
for f in "$out"/run-dollars/*.npy; do
  cmp "$f" "$out/run-fat/$(basename "$f")" && echo "  $(basename "$f"): same bytes"
done
echo
stream="$root/examples/workloads/gpt2_block_b8.mlir"
echo "== the whole fleet: a stream of GPT-2 batch-8 blocks ($stream)"
echo "   on each chip alone, then on H100 + Trainium2 (--objective=throughput)"
for devices in h100 trn2 h100,trn2; do
  "$build/bin/fungible-run" "$stream" --devices="$devices" --simulate-only \
    --objective=throughput --batches=64 \
    --report="$out/stream.${devices/,/+}.report.json" 2>&1 | sed -n '2,3p' |
    sed "s/^/  [$devices] /"
done
echo "== one execution, branches in parallel (--objective=makespan)"
"$build/bin/fungible-run" "$root/tests/tools/fungible-run/Inputs/branches.mlir" \
  --devices=h100,tpu-v5p --simulate-only --objective=makespan 2>&1 | sed 's/^/  /'
echo
echo "== the envelope: one day of 24 chips shared by serving and training (fungible-plan)"
"$build/bin/fungible-plan" "$root/examples/plans/daily.json" | sed -n '1,14p;/^per scenario/,$p'
"$build/bin/fungible-plan" "$root/examples/plans/daily.json" --format=json \
  --out="$out/daily.plan.json" --plot="$out/daily.plan.svg" 2>/dev/null
echo "the whole plan (chips per period, pool and workload): $out/daily.plan.json"
echo "its picture (open in a browser): $out/daily.plan.svg"
echo
echo "imported module: $out/$name.wl.mlir; kernels with their estimates as"
echo "attributes: $out/$name.kernels.mlir; work and cost tables as JSON:"
echo "  $out/$name.work.json $out/$name.cost.json"
