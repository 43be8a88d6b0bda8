// REQUIRES: workloads
// Importing must not change what a program computes: each real model is
// run twice on the same deterministic inputs (tests/lib/make_harness.py),
// once as written (linalg, or TOSA through upstream's tosa-to-linalg) and
// once after wl-import + convert-wl-to-linalg, and every printed output
// value is compared (tests/lib/compare_outputs.py, rtol 1e-5).
//
// Not run here: VGG-11 (15 GFLOP; too slow through the reference loops),
// the transformer subgraph (calls an external timing runtime), the bf16
// GEMM/MLP files (1.6 GFLOP each). Their import is covered by import.mlir.

// RUN: %python %S/../lib/make_harness.py %workloads/mlp_1layer_linalg.mlir mlp_1layer > %t.mlp1.mlir
// RUN: fungible-opt %t.mlp1.mlir %reference-lowering | %run-harness > %t.mlp1.a
// RUN: fungible-opt %t.mlp1.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.mlp1.b
// RUN: %python %S/../lib/compare_outputs.py %t.mlp1.a %t.mlp1.b | FileCheck %s --check-prefix=MLP1
// MLP1: compared 65536 values, {{.*}}, 0 mismatches

// RUN: %python %S/../lib/make_harness.py %workloads/simple_gemm_linalg.mlir entry > %t.gemm.mlir
// RUN: fungible-opt %t.gemm.mlir %reference-lowering | %run-harness > %t.gemm.a
// RUN: fungible-opt %t.gemm.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.gemm.b
// RUN: %python %S/../lib/compare_outputs.py %t.gemm.a %t.gemm.b | FileCheck %s --check-prefix=GEMM
// GEMM: compared 16 values, {{.*}}, 0 mismatches

// RUN: %python %S/../lib/make_harness.py %workloads/bert_mha_softmax_times_value_generic.mlir entry > %t.bert.mlir
// RUN: fungible-opt %t.bert.mlir %reference-lowering | %run-harness > %t.bert.a
// RUN: fungible-opt %t.bert.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.bert.b
// RUN: %python %S/../lib/compare_outputs.py %t.bert.a %t.bert.b | FileCheck %s --check-prefix=BERT
// BERT: compared 1048576 values, {{.*}}, 0 mismatches

// RUN: %python %S/../lib/make_harness.py %workloads/resnet18_torchvision_linalg.mlir forward > %t.resnet.mlir
// RUN: fungible-opt %t.resnet.mlir %reference-lowering | %run-harness > %t.resnet.a
// RUN: fungible-opt %t.resnet.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.resnet.b
// RUN: %python %S/../lib/compare_outputs.py %t.resnet.a %t.resnet.b | FileCheck %s --check-prefix=RESNET
// RESNET: compared 1000 values, {{.*}}, 0 mismatches

// RUN: %python %S/../lib/make_harness.py %workloads/squeezenet1_1_torchvision_linalg.mlir forward > %t.squeeze.mlir
// RUN: fungible-opt %t.squeeze.mlir %reference-lowering | %run-harness > %t.squeeze.a
// RUN: fungible-opt %t.squeeze.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.squeeze.b
// RUN: %python %S/../lib/compare_outputs.py %t.squeeze.a %t.squeeze.b | FileCheck %s --check-prefix=SQUEEZE
// SQUEEZE: compared 1000 values, {{.*}}, 0 mismatches

// RUN: %python %S/../lib/make_harness.py %workloads/mobilenet_v3_small_torchvision_linalg.mlir forward > %t.mobile.mlir
// RUN: fungible-opt %t.mobile.mlir %reference-lowering | %run-harness > %t.mobile.a
// RUN: fungible-opt %t.mobile.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.mobile.b
// RUN: %python %S/../lib/compare_outputs.py %t.mobile.a %t.mobile.b | FileCheck %s --check-prefix=MOBILE
// MOBILE: compared 1000 values, {{.*}}, 0 mismatches

// RUN: %python %S/../lib/make_harness.py %workloads/rope_positional_encoding_tosa.mlir kernel > %t.rope.mlir
// RUN: fungible-opt %t.rope.mlir %tosa-to-linalg | fungible-opt %reference-lowering | %run-harness > %t.rope.a
// RUN: fungible-opt %t.rope.mlir -wl-import -convert-wl-to-linalg | fungible-opt %tosa-to-linalg | fungible-opt %reference-lowering | %run-harness > %t.rope.b
// RUN: %python %S/../lib/compare_outputs.py %t.rope.a %t.rope.b | FileCheck %s --check-prefix=ROPE
// ROPE: compared 262144 values, {{.*}}, 0 mismatches
