// REQUIRES: workloads
// What is costed is what runs, on tpu-v5p: every kernel wl-outline-kernels
// makes of a real model is compiled (wl-compile) and its variant's programs
// counted (tests/lib/count_programs.py: a program is one memref.alloca_scope
// of mxu/neuron ops; a linalg op or loop nest left on HBM buffers, the
// scalar unit's work, is a program of its own). A matmul with its epilogue
// (bias, scale, activation, residual) is one program, and so is one whose
// product several chains read, each storing its own result (the RoPE
// table's cos and sin, each stored transposed and twice: a layout copy's
// stores). An attention is
// one program (the scores on chip, an additive mask's tiles read beside
// them, a group's query heads folded into the rows: AttentionPrograms.cpp); norms and
// softmax are one program each (row chains: mxu.reduce and lane broadcasts), and
// so is a squeeze-excitation excitation (the gate row-broadcast on the
// VPU). Layout copies around a matmul or a
// convolution (heads split and merged, NCHW results, transposed weights)
// are done by its DMAs (targets/LayoutCopies.h). A convolution is an
// implicit GEMM on the MXU with its padding read in place and its
// epilogue applied in VMEM: one program; a depthwise convolution or a
// pooling is one program on the VPU.
// The decode step's loops over buffers are raised first
// (wl-raise-buffer-loops) and its attention fused: one wl.attention,
// causal at the token's position and normalised after the product with V
// (the cache writes, tensor.insert_slice, stay outside kernels in this
// pass list); its program stores the row chain's reciprocals of the rows'
// sums, which the product's epilogue multiplies its tiles by.
// RUN: rm -rf %t && mkdir -p %t
// RUN: for m in %workloads/*.mlir %S/../../../examples/workloads/*.mlir; do \
// RUN:   fungible-opt --wl-import --wl-wrap-buffer-code --wl-raise-buffer-loops --wl-outline-kernels --wl-compile=targets=tpu-v5p $m -o %t/variants.mlir && \
// RUN:   echo "$(basename $m): $(%python %S/../../lib/count_programs.py %t/variants.mlir tpu-v5p)" >> %t/counts.txt || exit 1; done
// RUN: FileCheck %s < %t/counts.txt
//
// CHECK: bert_mha_softmax_times_value_generic.mlir: 1 kernels: 1 one program, 0 none (views only), 0 more:
// CHECK-NEXT: efficientnet_b0_torchvision_linalg.mlir: 100 kernels: 100 one program, 0 none (views only), 0 more:
// CHECK-NEXT: gemm_bf16_3x1024_torch_dynamo.mlir: 3 kernels: 3 one program, 0 none (views only), 0 more:
// CHECK-NEXT: mlp_1layer_linalg.mlir: 1 kernels: 1 one program, 0 none (views only), 0 more:
// CHECK-NEXT: mlp_3layers_linalg.mlir: 3 kernels: 3 one program, 0 none (views only), 0 more:
// CHECK-NEXT: mlp_bf16_3x1024_torch_dynamo.mlir: 3 kernels: 3 one program, 0 none (views only), 0 more:
// CHECK-NEXT: mobilenet_v3_small_torchvision_linalg.mlir: 68 kernels: 68 one program, 0 none (views only), 0 more:
// CHECK-NEXT: resnet18_torchvision_linalg.mlir: 24 kernels: 24 one program, 0 none (views only), 0 more:
// CHECK-NEXT: rope_positional_encoding_tosa.mlir: 1 kernels: 1 one program, 0 none (views only), 0 more:
// CHECK-NEXT: simple_gemm_linalg.mlir: 1 kernels: 1 one program, 0 none (views only), 0 more:
// CHECK-NEXT: squeezenet1_1_torchvision_linalg.mlir: 31 kernels: 31 one program, 0 none (views only), 0 more:
// CHECK-NEXT: transformer_subgraph_tosa.mlir: 11 kernels: 11 one program, 0 none (views only), 0 more:
// CHECK-NEXT: vgg11_torchvision_linalg.mlir: 18 kernels: 18 one program, 0 none (views only), 0 more:
// CHECK-NEXT: bert_layer.mlir: 9 kernels: 9 one program, 0 none (views only), 0 more:
// CHECK-NEXT: decode_step.mlir: 5 kernels: 5 one program, 0 none (views only), 0 more:
// CHECK-NEXT: gpt2_block.mlir: 7 kernels: 7 one program, 0 none (views only), 0 more:
// CHECK-NEXT: gpt2_block_b1.mlir: 7 kernels: 7 one program, 0 none (views only), 0 more:
// CHECK-NEXT: gpt2_block_b8.mlir: 7 kernels: 7 one program, 0 none (views only), 0 more:
// CHECK-NEXT: llama_block.mlir: 10 kernels: 10 one program, 0 none (views only), 0 more:
// CHECK-NEXT: mlp3.mlir: 3 kernels: 3 one program, 0 none (views only), 0 more:
// CHECK-NEXT: mobilenet_block.mlir: 7 kernels: 7 one program, 0 none (views only), 0 more:
// CHECK-NEXT: resnet50_stage2.mlir: 22 kernels: 22 one program, 0 none (views only), 0 more:
