// REQUIRES: workloads
// Every real model of shared/workloads lowers for the Trainium family
// (`wl-lower{target=trn*}`): no wl op is left, and the GEMM workloads' matmuls
// run on the TensorEngine.
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/bert_mha_softmax_times_value_generic.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/efficientnet_b0_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/gemm_bf16_3x1024_torch_dynamo.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/mlp_1layer_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/mlp_3layers_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/mlp_bf16_3x1024_torch_dynamo.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/mobilenet_v3_small_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/resnet18_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/rope_positional_encoding_tosa.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/simple_gemm_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/squeezenet1_1_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/transformer_subgraph_tosa.mlir | FileCheck %s --check-prefix=NOWL
// RUN: fungible-opt --wl-import --wl-lower=target=trn2 %workloads/vgg11_torchvision_linalg.mlir | FileCheck %s --check-prefix=NOWL
// NOWL-NOT: {{ wl\.[a-z_]+}}
// NOWL: func.func
// NOWL-NOT: {{ wl\.[a-z_]+}}

// The bf16 3x1024 MLP at batch 256 (read off the file): per layer a
// 256x1024 @ 1024x1024 product, stationary tiles of A^T 128x128 and moving
// tiles of 128x512 into a 128x512 PSUM bank.
// RUN: fungible-opt --wl-import --wl-lower=target=trn1 %workloads/mlp_bf16_3x1024_torch_dynamo.mlir | FileCheck %s --check-prefix=GEMM
// GEMM-COUNT-3: neuron.matmul {{.*}} : memref<128x128xbf16>, memref<128x512xbf16>, memref<128x512xf32>
// GEMM-NOT: neuron.matmul
