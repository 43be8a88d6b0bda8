// REQUIRES: workloads, ptxas
// NVIDIA's ptxas accepts every kernel the GPU lowering writes for the
// transformer-like models and ResNet-18 (sm_90a); workloads.mlir lowers all
// thirteen models (assembling the other CNNs' ~2400 kernels too would add
// minutes to every test run).
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/gemm_bf16_3x1024_torch_dynamo.mlir -o %t/gemm.mlir
// RUN: %extract-ptx %t/gemm.mlir %t/gemm --ptxas %ptxas --arch sm_90a | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/mlp_bf16_3x1024_torch_dynamo.mlir -o %t/mlp.mlir
// RUN: %extract-ptx %t/mlp.mlir %t/mlp --ptxas %ptxas --arch sm_90a | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/bert_mha_softmax_times_value_generic.mlir -o %t/bert.mlir
// RUN: %extract-ptx %t/bert.mlir %t/bert --ptxas %ptxas --arch sm_90a | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/rope_positional_encoding_tosa.mlir -o %t/rope.mlir
// RUN: %extract-ptx %t/rope.mlir %t/rope --ptxas %ptxas --arch sm_90a | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/transformer_subgraph_tosa.mlir -o %t/transformer.mlir
// RUN: %extract-ptx %t/transformer.mlir %t/transformer --ptxas %ptxas --arch sm_90a | FileCheck %s
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/resnet18_torchvision_linalg.mlir -o %t/resnet18.mlir
// RUN: %extract-ptx %t/resnet18.mlir %t/resnet18 --ptxas %ptxas --arch sm_90a | FileCheck %s
// CHECK: {{[1-9][0-9]*}} kernels assembled for sm_90a
