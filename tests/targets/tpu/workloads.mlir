// REQUIRES: workloads
// Every real model of shared/workloads lowers for the TPU family
// (`wl-lower{target=tpu-*}`): no wl op is left, and every matmul of the
// GEMM workloads is an MXU program (the counts are the models' linear
// layers, read off the files).
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/bert_mha_softmax_times_value_generic.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/efficientnet_b0_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/gemm_bf16_3x1024_torch_dynamo.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/mlp_1layer_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/mlp_3layers_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/mlp_bf16_3x1024_torch_dynamo.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/mobilenet_v3_small_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/resnet18_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/rope_positional_encoding_tosa.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/simple_gemm_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/squeezenet1_1_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/transformer_subgraph_tosa.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5p %workloads/vgg11_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// NOWL-NOT: {{ wl\.[a-z_]+}}
// NOWL: func.func
// NOWL-NOT: {{ wl\.[a-z_]+}}

// The bf16 3x1024 MLPs: three GEMMs on the MXU, on v5e (128-wide) and
// v6e (256-wide) alike.
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v5e %workloads/gemm_bf16_3x1024_torch_dynamo.mlir | FileCheck %s --check-prefix=GEMM128
// RUN: fungible-opt --wl-import --wl-lower=target=tpu-v6e %workloads/mlp_bf16_3x1024_torch_dynamo.mlir | FileCheck %s --check-prefix=GEMM256
// GEMM128-COUNT-3: mxu.matmul {{.*}} {dim = 128 : i64} {{.*}}bf16>
// GEMM128-NOT: mxu.matmul
// GEMM256-COUNT-3: mxu.matmul {{.*}} {dim = 256 : i64} {{.*}}bf16>
// GEMM256-NOT: mxu.matmul
