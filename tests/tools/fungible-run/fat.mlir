// fungible-run on a compiled fat module (wl-compile): a kernel placed on a
// chip with a compiled variant runs that variant (taken on to host code,
// not lowered again), and the outputs are the source's CPU-only run's, bit
// for bit. The library's GPT-2 block (small shapes), 7 kernels.
// RUN: rm -rf %t && %python %S/../../../scripts/gen_workloads.py %t --small
// RUN: %python %S/../../lib/npy_tool.py inputs %t/gpt2_block_b1.mlir gpt2_block_b1 %t/in
// RUN: fungible-opt %t/gpt2_block_b1.mlir --wl-import --wl-outline-kernels --wl-compile=targets=tpu-v5p,trn2,cpu-host,h100 -o %t/fat.mlir
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=cpu-host --inputs=%t/in --out=%t/source --report=%t/source.json
// RUN: FileCheck %s --check-prefix=SOURCE < %t/source.json
// SOURCE: "variants_run": [],

// Every kernel on the TPU runs its compiled mxu program (all 7).
// RUN: fungible-run %t/fat.mlir --devices=tpu-v5p:1 --inputs=%t/in --out=%t/tpu --report=%t/tpu.json
// RUN: cmp %t/tpu/result0.npy %t/source/result0.npy
// RUN: FileCheck %s --check-prefix=TPU < %t/tpu.json
// TPU: "variants_run": [
// TPU-NEXT: "attention_2@tpu-v5p",
// TPU-NEXT: "layer_norm_0@tpu-v5p",
// TPU-NEXT: "layer_norm_4@tpu-v5p",
// TPU-NEXT: "matmul_1@tpu-v5p",
// TPU-NEXT: "matmul_3@tpu-v5p",
// TPU-NEXT: "matmul_5@tpu-v5p",
// TPU-NEXT: "matmul_6@tpu-v5p"
// TPU-NEXT: ],

// The same on Trainium (neuron programs) and on the host (the cpu-host
// variants are native code already).
// RUN: fungible-run %t/fat.mlir --devices=trn2:1 --inputs=%t/in --out=%t/trn --report=%t/trn.json
// RUN: cmp %t/trn/result0.npy %t/source/result0.npy
// RUN: FileCheck %s --check-prefix=TRN < %t/trn.json
// TRN: "variants_run": [
// TRN-COUNT-7: "{{[a-z_0-9]+}}@trn2"
// TRN-NEXT: ],
// RUN: fungible-run %t/fat.mlir --devices=cpu-host:1 --inputs=%t/in --out=%t/cpu --report=%t/cpu.json
// RUN: cmp %t/cpu/result0.npy %t/source/result0.npy
// RUN: FileCheck %s --check-prefix=CPU < %t/cpu.json
// CPU: "variants_run": [
// CPU-COUNT-7: "{{[a-z_0-9]+}}@cpu-host"
// CPU-NEXT: ],

// A mixed fleet with a failure: whatever ran where, the same numbers. The
// H100's PTX cannot run here, so its kernels use the host build.
// RUN: fungible-run %t/fat.mlir --devices=h100:1,tpu-v5p:1,trn2:1,cpu-host:1 --fail=tpu-v5p:0@1us --inputs=%t/in --out=%t/mixed --report=%t/mixed.json
// RUN: cmp %t/mixed/result0.npy %t/source/result0.npy
// RUN: FileCheck %s --check-prefix=MIXED < %t/mixed.json
// MIXED-NOT: @h100"
// MIXED: "failures": [

// A variant is used only for the kernel it was compiled from. Here the
// kernel changed after wl-compile (its relu became an exp): its variant is
// skipped and reported, and the kernel computes exp, as the changed
// source says.
// RUN: fungible-opt %S/../fungible-cost/plugins.mlir --wl-outline-kernels --wl-compile=targets=tpu-v5p -o %t/small.fat.mlir
// RUN: sed 's/wl.relu/wl.exp/' %t/small.fat.mlir > %t/changed.fat.mlir
// RUN: sed 's/wl.relu/wl.exp/' %S/../fungible-cost/plugins.mlir > %t/changed.mlir
// RUN: fungible-run %t/changed.fat.mlir --devices=tpu-v5p:1 --out=%t/changed-fat --report=%t/changed.json
// RUN: fungible-run %t/changed.mlir --devices=cpu-host:1 --out=%t/changed-src
// RUN: cmp %t/changed-fat/result0.npy %t/changed-src/result0.npy
// RUN: FileCheck %s --check-prefix=CHANGED < %t/changed.json
// CHANGED: "variants_run": [
// CHANGED-NOT: relu
// CHANGED: ],
// CHANGED-NEXT: "variants_skipped": [
// CHANGED-NEXT: "relu_{{[0-9]+}}@tpu-v5p"
// CHANGED-NEXT: ],

// A variant without a fingerprint (from an older wl-compile) is skipped.
// RUN: fungible-run %S/Inputs/no-fingerprint.mlir --devices=cpu-host:1 --report=%t/old.json
// RUN: FileCheck %s --check-prefix=OLD < %t/old.json
// OLD: "variants_skipped": [
// OLD-NEXT: "relu_0@cpu-host"
