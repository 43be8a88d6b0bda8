// Every library model, at small shapes, computes the same values as
// written and after wl-import (deterministic per-element inputs).
// RUN: rm -rf %t && %python %S/../../scripts/gen_workloads.py %t --small
// RUN: %python %S/../lib/make_harness.py %t/gpt2_block_b1.mlir gpt2_block_b1 > %t/gpt2.h.mlir
// RUN: fungible-opt %t/gpt2.h.mlir %reference-lowering | %run-harness > %t/gpt2.a
// RUN: fungible-opt %t/gpt2.h.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/gpt2.b
// RUN: %python %S/../lib/compare_outputs.py %t/gpt2.a %t/gpt2.b | FileCheck %s --check-prefix=GPT2
// GPT2: compared 128 values, {{.*}}, 0 mismatches
// RUN: %python %S/../lib/make_harness.py %t/gpt2_block_b8.mlir gpt2_block_b8 > %t/gpt2b.h.mlir
// RUN: fungible-opt %t/gpt2b.h.mlir %reference-lowering | %run-harness > %t/gpt2b.a
// RUN: fungible-opt %t/gpt2b.h.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/gpt2b.b
// RUN: %python %S/../lib/compare_outputs.py %t/gpt2b.a %t/gpt2b.b | FileCheck %s --check-prefix=GPT2B
// GPT2B: compared 256 values, {{.*}}, 0 mismatches
// RUN: %python %S/../lib/make_harness.py %t/llama_block.mlir llama_block > %t/llama.h.mlir
// RUN: fungible-opt %t/llama.h.mlir %reference-lowering | %run-harness > %t/llama.a
// RUN: fungible-opt %t/llama.h.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/llama.b
// RUN: %python %S/../lib/compare_outputs.py %t/llama.a %t/llama.b | FileCheck %s --check-prefix=LLAMA
// LLAMA: compared 128 values, {{.*}}, 0 mismatches
// RUN: %python %S/../lib/make_harness.py %t/bert_layer.mlir bert_layer > %t/bert.h.mlir
// RUN: fungible-opt %t/bert.h.mlir %reference-lowering | %run-harness > %t/bert.a
// RUN: fungible-opt %t/bert.h.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/bert.b
// RUN: %python %S/../lib/compare_outputs.py %t/bert.a %t/bert.b | FileCheck %s --check-prefix=BERT
// BERT: compared 128 values, {{.*}}, 0 mismatches
// RUN: %python %S/../lib/make_harness.py %t/resnet50_stage2.mlir resnet50_stage2 > %t/resnet.h.mlir
// RUN: fungible-opt %t/resnet.h.mlir %reference-lowering | %run-harness > %t/resnet.a
// RUN: fungible-opt %t/resnet.h.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/resnet.b
// RUN: %python %S/../lib/compare_outputs.py %t/resnet.a %t/resnet.b | FileCheck %s --check-prefix=RESNET
// RESNET: compared 576 values, {{.*}}, 0 mismatches
// RUN: %python %S/../lib/make_harness.py %t/mobilenet_block.mlir mobilenet_block > %t/mobile.h.mlir
// RUN: fungible-opt %t/mobile.h.mlir %reference-lowering | %run-harness > %t/mobile.a
// RUN: fungible-opt %t/mobile.h.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/mobile.b
// RUN: %python %S/../lib/compare_outputs.py %t/mobile.a %t/mobile.b | FileCheck %s --check-prefix=MOBILE
// MOBILE: compared 144 values, {{.*}}, 0 mismatches
// RUN: %python %S/../lib/make_harness.py %t/mlp3.mlir mlp3 > %t/mlp.h.mlir
// RUN: fungible-opt %t/mlp.h.mlir %reference-lowering | %run-harness > %t/mlp.a
// RUN: fungible-opt %t/mlp.h.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t/mlp.b
// RUN: %python %S/../lib/compare_outputs.py %t/mlp.a %t/mlp.b | FileCheck %s --check-prefix=MLP
// MLP: compared 16 values, {{.*}}, 0 mismatches
