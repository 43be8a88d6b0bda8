// REQUIRES: workloads
// Every real model of shared/workloads lowers for the host CPU
// (`wl-lower{target=cpu-host}`) to nothing but the LLVM dialect.
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/bert_mha_softmax_times_value_generic.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/efficientnet_b0_torchvision_linalg.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/gemm_bf16_3x1024_torch_dynamo.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/mlp_1layer_linalg.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/mlp_3layers_linalg.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/mlp_bf16_3x1024_torch_dynamo.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/mobilenet_v3_small_torchvision_linalg.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/resnet18_torchvision_linalg.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/rope_positional_encoding_tosa.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/simple_gemm_linalg.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/squeezenet1_1_torchvision_linalg.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/transformer_subgraph_tosa.mlir | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=cpu-host %workloads/vgg11_torchvision_linalg.mlir | FileCheck %s
// CHECK-NOT: {{(linalg|wl|tensor|memref|scf|arith|vector)\.[a-z_]+}}
// CHECK: llvm.func
// CHECK-NOT: {{(linalg|wl|tensor|memref|scf|arith|vector)\.[a-z_]+}}
