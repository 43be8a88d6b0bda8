// The workload library is what scripts/gen_workloads.py writes, byte for
// byte (the generator is deterministic), and every model imports into wl
// with all of its FLOPs raised.
// RUN: rm -rf %t && %python %S/../../scripts/gen_workloads.py %t
// RUN: diff %t/gpt2_block_b1.mlir %S/../../examples/workloads/gpt2_block_b1.mlir
// RUN: diff %t/gpt2_block_b8.mlir %S/../../examples/workloads/gpt2_block_b8.mlir
// RUN: diff %t/llama_block.mlir %S/../../examples/workloads/llama_block.mlir
// RUN: diff %t/bert_layer.mlir %S/../../examples/workloads/bert_layer.mlir
// RUN: diff %t/resnet50_stage2.mlir %S/../../examples/workloads/resnet50_stage2.mlir
// RUN: diff %t/mobilenet_block.mlir %S/../../examples/workloads/mobilenet_block.mlir
// RUN: diff %t/mlp3.mlir %S/../../examples/workloads/mlp3.mlir

// GPT-2 small, S = 1024, D = 768, 12 heads of 64, F = 3072. The
// contractions, worked out independently:
//   qkv 2*S*D*3D = 3623878656, proj 2*S*D*D = 1207959552, fc and out
//   2*S*D*F = 4831838208 each; the attention (QK^T, scale, mask, softmax
//   and PV fused back into one wl.attention): QK^T and PV 2*12*S*S*64 =
//   1610612736 each, the scale and mask 2*12*S*S = 25165824 and the
//   softmax 5*12*S*S = 62914560, 3309305856 in all.
// RUN: fungible-opt %t/gpt2_block_b1.mlir -wl-import -wl-print-work -o /dev/null | FileCheck %s --check-prefix=GPT2
// GPT2-DAG: wl.matmul        contraction          3623878656
// GPT2-DAG: wl.attention     contraction          3309305856
// GPT2-DAG: wl.matmul        contraction          1207959552
// GPT2-DAG: wl.matmul        contraction          4831838208
// RUN: fungible-opt %t/gpt2_block_b1.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=GPT2R
// The rest, with the layer norms and GELU fused back: layer norms
// 2*(7*S*D + 4*S) = 11018240, bias adds and residuals
// S*(3D + D + F + D + 2D) = 8650752, GELU S*F = 3145728: in all
// 14495514624 (the GEMMs) + 3309305856 (the attention) + 22814720 =
// 17827635200, the same as the three ops the attention was.
// GPT2R: raised: 26 ops, 17827635200 FLOPs (wl.add 6, wl.attention 1, wl.gelu 1, wl.layer_norm 2, wl.matmul 4, wl.reshape 5, wl.slice 3, wl.transpose 4)
// GPT2R: wl-import total: 26 raised ops (17827635200 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised

// Batch 8 multiplies every count by 8 (the graph is batch-independent;
// at batch 1 the head transposes meet unit-dim reshapes and 3 ops fewer
// are left).
// RUN: fungible-opt %t/gpt2_block_b8.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=GPT2B8
// GPT2B8: wl-import total: 29 raised ops (142621081600 FLOPs), 0 opaque kernels

// Mistral-7B shapes, S = 2048: q/o 2*S*4096*4096 = 68719476736 each, k/v
// 2*S*4096*1024 = 17179869184 each, gate/up/down 2*S*4096*14336 =
// 240518168576 each; the grouped-query attention (8 KV heads x 4 query
// heads, fused back into one wl.attention): QK^T and PV
// 2*32*2048*2048*128 = 34359738368 each, scale, mask and softmax
// 7*32*2048*2048 = 939524096: 69659000832 (the total is unchanged).
// RUN: fungible-opt %t/llama_block.mlir -wl-import -wl-print-work -o /dev/null | FileCheck %s --check-prefix=LLAMA
// LLAMA-DAG: wl.matmul        contraction         68719476736
// LLAMA-DAG: wl.matmul        contraction         17179869184
// LLAMA-DAG: wl.matmul        contraction        240518168576
// LLAMA-DAG: wl.attention     contraction         69659000832
// RUN: fungible-opt %t/llama_block.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=LLAMAR
// LLAMAR: raised: 25 ops, 963184177152 FLOPs (wl.add 2, wl.attention 1, wl.matmul 7, wl.mul 2, wl.reshape 6, wl.rms_norm 2, wl.sigmoid 1, wl.transpose 4)
// LLAMAR: wl-import total: 25 raised ops (963184177152 FLOPs), 0 opaque kernels

// RUN: fungible-opt %t/bert_layer.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=BERT
// BERT: raised: 24 ops, 1866204160 FLOPs (wl.add 5, wl.attention 1, wl.gelu 1, wl.layer_norm 2, wl.matmul 6, wl.reshape 5, wl.transpose 4)
// BERT: wl-import total: 24 raised ops (1866204160 FLOPs), 0 opaque kernels

// ResNet-50 conv2_x: first 3x3 conv 2*56*56*64*3*3*64 = 231211008.
// RUN: fungible-opt %t/resnet50_stage2.mlir -wl-import -wl-print-work -o /dev/null | FileCheck %s --check-prefix=RESNET
// RESNET: wl.conv2d        contraction           231211008
// RUN: fungible-opt %t/resnet50_stage2.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=RESNETR
// RESNETR: wl-import total: 75 raised ops (1350737920 FLOPs), 0 opaque kernels

// MobileNetV2 block: depthwise 2*56*56*144*9 = 8128512.
// RUN: fungible-opt %t/mobilenet_block.mlir -wl-import -wl-print-work -o /dev/null | FileCheck %s --check-prefix=MOBILE
// MOBILE: wl.conv2d        contraction             8128512
// RUN: fungible-opt %t/mobilenet_block.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=MOBILER
// MOBILER: wl-import total: 26 raised ops (55319040 FLOPs), 0 opaque kernels

// The MLP's work: 2*32*(784*512 + 512*256 + 256*10) + biases
// 32*(512+256+10) + relus 32*(512+256) = 34292032.
// RUN: fungible-opt %t/mlp3.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=MLP
// MLP: wl-import total: 8 raised ops (34292032 FLOPs), 0 opaque kernels
