// RUN: fungible-opt %S/../../../examples/workloads/gpt2_block.mlir -convert-wl-to-linalg | fungible-opt -wl-import -wl-import-report -o /dev/null | FileCheck %s

// Self-consistency: the reference lowering of the hand-written wl GPT-2
// block, imported again, is raised except for the causal mask, which the
// lowering writes with linalg.index arithmetic (no wl form): one opaque
// kernel of 12*1024*1024 = 12582912 FLOPs (one scale multiply per score).
// The softmax the lowering wrote out is fused back into wl.softmax.
// CHECK: wl.softmax 1
// CHECK: opaque:     1 kernels, 12582912 FLOPs (linalg.generic 1)
// CHECK: wl-import total: 60 raised ops (17827635200 FLOPs), 1 opaque kernels (12582912 FLOPs), 0 left as is; 99.93% of FLOPs raised
