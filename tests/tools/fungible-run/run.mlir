// fungible-run on the library's GPT-2 block (small shapes) with a mixed
// fleet: the outputs equal the reference lowering's on the same inputs,
// equal a CPU-only run's bit for bit, and survive a device failure.
// RUN: rm -rf %t && %python %S/../../../scripts/gen_workloads.py %t --small
// RUN: %python %S/../../lib/make_harness.py %t/gpt2_block_b1.mlir gpt2_block_b1 > %t/h.mlir
// RUN: fungible-opt %t/h.mlir %reference-lowering | %run-harness > %t/reference.txt
// RUN: %python %S/../../lib/npy_tool.py inputs %t/gpt2_block_b1.mlir gpt2_block_b1 %t/in
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=h100:1,tpu-v5p:1,trn2:2,cpu-host:1 --inputs=%t/in --out=%t/mixed --report=%t/mixed.json --trace=%t/mixed.trace.json
// RUN: %python %S/../../lib/npy_tool.py print %t/mixed/result0.npy > %t/mixed.txt
// RUN: %python %S/../../lib/compare_outputs.py %t/reference.txt %t/mixed.txt | FileCheck %s --check-prefix=SAME
// SAME: compared 128 values, {{.*}}, 0 mismatches
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=cpu-host --inputs=%t/in --out=%t/cpu --report=%t/cpu.json
// RUN: cmp %t/mixed/result0.npy %t/cpu/result0.npy
// Every kernel on a TPU: computed by the TPU's own programs (mxu, emulated
// on the host); f32 products accumulate in the same order, so the result
// is the CPU's to the bit.
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=tpu-v5p:1 --inputs=%t/in --out=%t/tpu --report=%t/tpu.json
// RUN: cmp %t/tpu/result0.npy %t/cpu/result0.npy
// Every kernel on a Trainium: its neuron programs, emulated; equal too.
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=trn2:1 --inputs=%t/in --out=%t/trn --report=%t/trn.json
// RUN: cmp %t/trn/result0.npy %t/cpu/result0.npy
// Llama's grouped-query attention, fused at import into one wl.attention
// whose query heads share their key/value head, runs as the TPU's and
// Trainium's one attention program each: the CPU's numbers to the bit.
// RUN: %python %S/../../lib/npy_tool.py inputs %t/llama_block.mlir llama_block %t/llama-in
// RUN: fungible-run %t/llama_block.mlir --devices=cpu-host --inputs=%t/llama-in --out=%t/llama-cpu
// RUN: fungible-run %t/llama_block.mlir --devices=tpu-v5p:1 --inputs=%t/llama-in --out=%t/llama-tpu
// RUN: fungible-run %t/llama_block.mlir --devices=trn2:1 --inputs=%t/llama-in --out=%t/llama-trn
// RUN: cmp %t/llama-tpu/result0.npy %t/llama-cpu/result0.npy
// RUN: cmp %t/llama-trn/result0.npy %t/llama-cpu/result0.npy
// The report: every kernel placed on a device of the fleet, run once.
// RUN: FileCheck %s --check-prefix=REPORT < %t/mixed.json
// REPORT: "objective": "time",
// REPORT: "makespan_s": {{[0-9.e-]+}},
// REPORT: "dollars":
// REPORT: "joules":
// REPORT: "placement": {
// REPORT-NEXT: "gpt2_block_b1/layer_norm_0": "{{h100:0|tpu-v5p:0|trn2:[01]|cpu-host:0}}",
// REPORT: "executions": 7,
// REPORT: "devices": {
// REPORT: "links": {
// The trace is Chrome trace event format: device tracks and kernel slices.
// RUN: FileCheck %s --check-prefix=TRACE < %t/mixed.trace.json
// TRACE: "traceEvents": [
// TRACE: "name": "thread_name",
// TRACE: "ph": "X",
// TRACE: "name": "gpt2_block_b1/layer_norm_0",
// TRACE: "cat": "kernel",
