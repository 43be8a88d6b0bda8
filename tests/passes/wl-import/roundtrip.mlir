// RUN: fungible-opt %S/../../../examples/workloads/gpt2_block.mlir -convert-wl-to-linalg | fungible-opt -wl-import -wl-import-report -o /dev/null | FileCheck %s

// Self-consistency: the reference lowering of the hand-written wl GPT-2
// block, imported again, is raised except for the causal mask, which the
// lowering writes with linalg.index arithmetic (no wl form): one opaque
// kernel of 12*1024*1024 = 12582912 FLOPs (one scale multiply per score).
// The softmax, layer norms and tanh GELU the lowering wrote out are fused
// back into wl.softmax, wl.layer_norm and wl.gelu, so the FLOPs are the
// hand-written block's (17815052288, fungible-cost) to the FLOP:
// 17802469376 raised + 12582912 opaque.
// CHECK: raised: 27 ops, 17802469376 FLOPs (wl.add 6, wl.batch_matmul 2, wl.gelu 1, wl.layer_norm 2, wl.matmul 4, wl.reshape 4, wl.slice 3, wl.softmax 1, wl.transpose 4)
// CHECK: opaque:     1 kernels, 12582912 FLOPs (linalg.generic 1)
// CHECK: wl-import total: 27 raised ops (17802469376 FLOPs), 1 opaque kernels (12582912 FLOPs), 0 left as is (0 FLOPs); 99.93% of FLOPs raised
