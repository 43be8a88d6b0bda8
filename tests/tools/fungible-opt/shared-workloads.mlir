// REQUIRES: workloads
// RUN: fungible-opt %workloads/resnet18_torchvision_linalg.mlir | FileCheck %s --check-prefix=RESNET
// RUN: fungible-opt %workloads/transformer_subgraph_tosa.mlir | FileCheck %s --check-prefix=TOSA
// RUN: fungible-opt %workloads/mlp_bf16_3x1024_torch_dynamo.mlir | FileCheck %s --check-prefix=MLP

// fungible-opt reads the real upstream MLIR users already have (linalg,
// TOSA, ml_program) next to wl: the entry point of the import path.
// RESNET: linalg.conv_2d_nchw_fchw
// TOSA: tosa.matmul
// MLP: ml_program.global
// MLP: linalg.matmul
