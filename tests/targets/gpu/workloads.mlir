// REQUIRES: workloads
// Every real model of shared/workloads lowers to PTX for the H100 (sm_90a):
// imported, then `wl-lower{target=h100}`. Where ptxas is present, a second
// file (workloads-ptxas.mlir) assembles the kernels.
// RUN: rm -rf %t && mkdir -p %t

// The bf16 models: their 3 GEMMs each run on tensor cores, as the sm_90a
// kernel (wgmma fed by cp.async; 128x64 tiles: a grid of wider ones would
// leave SMs idle).
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/gemm_bf16_3x1024_torch_dynamo.mlir -o %t/gemm.mlir
// RUN: %extract-ptx %t/gemm.mlir %t/gemm --count wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 | FileCheck %s --check-prefix=BF16
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/mlp_bf16_3x1024_torch_dynamo.mlir -o %t/mlp.mlir
// RUN: %extract-ptx %t/mlp.mlir %t/mlp --count wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 | FileCheck %s --check-prefix=BF16
// BF16: 3 kernels contain wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16

// The f32 models: no tensor-core kernel (TF32 would change the numbers).
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/mlp_3layers_linalg.mlir -o %t/mlp3.mlir
// RUN: %extract-ptx %t/mlp3.mlir %t/mlp3 --count mma | FileCheck %s --check-prefix=F32
// F32: 0 kernels contain mma
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/mlp_1layer_linalg.mlir -o %t/mlp1.mlir
// RUN: %extract-ptx %t/mlp1.mlir %t/mlp1 | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/simple_gemm_linalg.mlir -o %t/gemm1.mlir
// RUN: %extract-ptx %t/gemm1.mlir %t/gemm1 | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/bert_mha_softmax_times_value_generic.mlir -o %t/bert.mlir
// RUN: %extract-ptx %t/bert.mlir %t/bert | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/rope_positional_encoding_tosa.mlir -o %t/rope.mlir
// RUN: %extract-ptx %t/rope.mlir %t/rope | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/transformer_subgraph_tosa.mlir -o %t/transformer.mlir
// RUN: %extract-ptx %t/transformer.mlir %t/transformer | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/resnet18_torchvision_linalg.mlir -o %t/resnet18.mlir
// RUN: %extract-ptx %t/resnet18.mlir %t/resnet18 | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/vgg11_torchvision_linalg.mlir -o %t/vgg11.mlir
// RUN: %extract-ptx %t/vgg11.mlir %t/vgg11 | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/squeezenet1_1_torchvision_linalg.mlir -o %t/squeezenet.mlir
// RUN: %extract-ptx %t/squeezenet.mlir %t/squeezenet | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/mobilenet_v3_small_torchvision_linalg.mlir -o %t/mobilenet.mlir
// RUN: %extract-ptx %t/mobilenet.mlir %t/mobilenet | FileCheck %s --check-prefix=ANY
// RUN: fungible-opt --wl-import --wl-lower=target=h100 %workloads/efficientnet_b0_torchvision_linalg.mlir -o %t/efficientnet.mlir
// RUN: %extract-ptx %t/efficientnet.mlir %t/efficientnet | FileCheck %s --check-prefix=ANY
// ANY: {{[1-9][0-9]*}} kernels written
