// REQUIRES: workloads
// fungible-run on real models: a mixed fleet (H100, TPU v5p, Trainium2,
// the host) gives the same outputs, bit for bit, as the host alone, and as
// a run where the H100 fails mid-way (its kernels run again elsewhere).
//
// The transformer subgraph has a kernel with several results that are
// views of one buffer: it caught the host executor freeing that buffer
// before copying the later results out.
//
// EfficientNet-B0 (241 kernels, 172 distinct) is in since the host code is
// shared between equal kernels and compiled in parallel parts (#18). Not
// run here: VGG-11 (15 GFLOP through the CPU JIT); it ran by hand with
// equal outputs (see the notes on issue #6). A model that fails prints the
// last lines of its runs' stderr (%t/MODEL.err), so that a failure seen
// once (under the sanitizers with lit -j2) says why.
// RUN: rm -rf %t && mkdir -p %t
// RUN: for m in bert_mha_softmax_times_value_generic efficientnet_b0_torchvision_linalg gemm_bf16_3x1024_torch_dynamo mlp_1layer_linalg mlp_3layers_linalg mlp_bf16_3x1024_torch_dynamo mobilenet_v3_small_torchvision_linalg resnet18_torchvision_linalg rope_positional_encoding_tosa simple_gemm_linalg squeezenet1_1_torchvision_linalg transformer_subgraph_tosa; do \
// RUN:   fungible-run %workloads/$m.mlir --devices=h100:1,tpu-v5p:1,trn2:1,cpu-host:1 --out=%t/$m/mixed --report=%t/$m/mixed.json 2>>%t/$m.err && \
// RUN:   fungible-run %workloads/$m.mlir --devices=cpu-host --out=%t/$m/cpu 2>>%t/$m.err && \
// RUN:   fungible-run %workloads/$m.mlir --devices=h100:1,tpu-v5p:1,trn2:1,cpu-host:1 --fail=h100:0@1us --out=%t/$m/failed 2>>%t/$m.err && \
// RUN:   for r in %t/$m/cpu/*.npy; do cmp $r %t/$m/mixed/$(basename $r) && cmp $r %t/$m/failed/$(basename $r) || exit 1; done && echo "$m: same outputs" || { echo "$m: FAILED, exit $?"; tail -n 20 %t/$m.err; }; \
// RUN: done | FileCheck %s
// CHECK: bert_mha_softmax_times_value_generic: same outputs
// CHECK: efficientnet_b0_torchvision_linalg: same outputs
// CHECK: gemm_bf16_3x1024_torch_dynamo: same outputs
// CHECK: mlp_1layer_linalg: same outputs
// CHECK: mlp_3layers_linalg: same outputs
// CHECK: mlp_bf16_3x1024_torch_dynamo: same outputs
// CHECK: mobilenet_v3_small_torchvision_linalg: same outputs
// CHECK: resnet18_torchvision_linalg: same outputs
// CHECK: rope_positional_encoding_tosa: same outputs
// CHECK: simple_gemm_linalg: same outputs
// CHECK: squeezenet1_1_torchvision_linalg: same outputs
// CHECK: transformer_subgraph_tosa: same outputs
