// Placing library models on a mixed fleet (H100, TPU v5p, Trainium2, the
// host) for time and for dollars: the placement never costs more than the
// best single-target one, and every kernel gets a target.
// RUN: rm -rf %t && %python %S/../../../scripts/gen_workloads.py %t --small
// RUN: fungible-opt %t/gpt2_block_b1.mlir --wl-import --wl-outline-kernels --wl-place="targets=h100,tpu-v5p,trn2,cpu-host objective=time" -o %t/gpt2.time.mlir
// RUN: %python %S/../../lib/check_placement.py %t/gpt2.time.mlir | FileCheck %s
// RUN: fungible-opt %t/gpt2_block_b1.mlir --wl-import --wl-outline-kernels --wl-place="targets=h100,tpu-v5p,trn2,cpu-host objective=dollars" -o %t/gpt2.dollars.mlir
// RUN: %python %S/../../lib/check_placement.py %t/gpt2.dollars.mlir | FileCheck %s
// RUN: fungible-opt %t/llama_block.mlir --wl-import --wl-outline-kernels --wl-place="targets=h100,tpu-v5p,trn2,cpu-host objective=energy method=heuristic" -o %t/llama.mlir
// RUN: %python %S/../../lib/check_placement.py %t/llama.mlir | FileCheck %s
// RUN: fungible-opt %t/resnet50_stage2.mlir --wl-import --wl-outline-kernels --wl-place="targets=h100,tpu-v5p,trn2,cpu-host" -o %t/resnet.mlir
// RUN: %python %S/../../lib/check_placement.py %t/resnet.mlir | FileCheck %s
// CHECK: every kernel placed; cost {{.*}} <= best single target {{.*}}
// Placed modules still compute the same values (transfers are the
// identity in the reference lowering).
// RUN: %python %S/../../lib/make_harness.py %t/gpt2_block_b1.mlir gpt2_block_b1 > %t/gpt2.h.mlir
// RUN: fungible-opt %t/gpt2.h.mlir %reference-lowering | %run-harness > %t/gpt2.a
// RUN: fungible-opt %t/gpt2.h.mlir -wl-import -wl-outline-kernels --wl-place="targets=h100,tpu-v5p,trn2,cpu-host objective=dollars" -convert-wl-to-linalg %reference-lowering | %run-harness > %t/gpt2.b
// RUN: %python %S/../../lib/compare_outputs.py %t/gpt2.a %t/gpt2.b | FileCheck %s --check-prefix=SAME
// SAME: compared 128 values, {{.*}}, 0 mismatches
