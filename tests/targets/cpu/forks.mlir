// The host model's forks (targets/cpu/HostWork.cpp, `parallel_ops`) are
// the lowered code's: each kernel's loop nests in program order, a nest
// on the threads forking them unless the one before it did
// (fungible-cpu-merge-parallel-regions), a nest on one thread (an
// initial-value fill too) ending the fork. Each function here is one
// kernel; the lowered code's omp.parallel regions are counted per
// function, the model's forks per kernel (fungible-cost --explain).
// RUN: fungible-opt %s --wl-import-and-outline --wl-lower=target=cpu-host | FileCheck %s --check-prefix=CODE
// RUN: fungible-cost %s --targets=cpu-host --explain=exp_transpose/exp_0 | FileCheck %s --check-prefix=ONE
// RUN: fungible-cost %s --targets=cpu-host --explain=conv_pad/conv2d_1 | FileCheck %s --check-prefix=ONE
// RUN: fungible-cost %s --targets=cpu-host --explain=matmul_edges/matmul_3 | FileCheck %s --check-prefix=ONE
// RUN: fungible-cost %s --targets=cpu-host --explain=outer_cos/batch_matmul_2 | FileCheck %s --check-prefix=TWO
// ONE: parallel_ops 1 x
// TWO: parallel_ops 2 x

// The same check over whole models' kernels (scripts/check_forks.py: each
// kernel's compiled cpu-host module from fungible-opt --wl-compile): the
// ResNet-50 stage's padded convolutions and transposes, BERT's layer
// (attention, norms, linear layers), the MobileNet block.
// RUN: %python %fungible_src_root/scripts/check_forks.py --bin %fungible_obj_root/bin %fungible_src_root/examples/workloads/resnet50_stage2.mlir %fungible_src_root/examples/workloads/bert_layer.mlir %fungible_src_root/examples/workloads/mobilenet_block.mlir | FileCheck %s --check-prefix=MODELS
// MODELS: resnet50_stage2.mlir: 22 kernels, 0 differ
// MODELS-NEXT: bert_layer.mlir: 9 kernels, 0 differ
// MODELS-NEXT: mobilenet_block.mlir: 7 kernels, 0 differ

// An exp and a transpose of 2^17 elements: one fork.
// CODE-LABEL: llvm.func @exp_transpose(
// CODE-COUNT-1: omp.parallel {
// CODE-NOT: omp.parallel
// CODE-LABEL: llvm.func @_mlir_ciface_exp_transpose(
func.func @exp_transpose(%a: tensor<512x256xf32>) -> tensor<256x512xf32> {
  %0 = wl.exp %a : tensor<512x256xf32>
  %1 = wl.transpose %0 perm = [1, 0] : tensor<512x256xf32> -> tensor<256x512xf32>
  return %1 : tensor<256x512xf32>
}

// A padded 3 x 3 convolution of 56 x 56 x 64: the padding's fill and
// copy, the output's zeros and the output tiles, all on the threads: one
// fork.
// CODE-LABEL: llvm.func @conv_pad(
// CODE-COUNT-1: omp.parallel {
// CODE-NOT: omp.parallel
// CODE-LABEL: llvm.func @_mlir_ciface_conv_pad(
func.func @conv_pad(%x: tensor<1x56x56x64xf32>, %w: tensor<3x3x64x64xf32>) -> tensor<1x56x56x64xf32> {
  %0 = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x56x56x64xf32>, tensor<3x3x64x64xf32>) -> tensor<1x56x56x64xf32>
  return %0 : tensor<1x56x56x64xf32>
}

// The RoPE table's outer product (64 x 1 by 1 x 1024) and its cosine: the
// product's 65536 zeros on the threads, the product on one (2^16
// multiply-adds, a 4 KiB right operand), the cosine on the threads: two
// forks.
// CODE-LABEL: llvm.func @outer_cos(
// CODE-COUNT-2: omp.parallel {
// CODE-NOT: omp.parallel
// CODE-LABEL: llvm.func @_mlir_ciface_outer_cos(
func.func @outer_cos(%a: tensor<1x64x1xf32>, %b: tensor<1x1x1024xf32>) -> tensor<1x64x1024xf32> {
  %0 = wl.batch_matmul %a, %b : (tensor<1x64x1xf32>, tensor<1x1x1024xf32>) -> tensor<1x64x1024xf32>
  %1 = wl.cos %0 : tensor<1x64x1024xf32>
  return %1 : tensor<1x64x1024xf32>
}

// 300 x 64 by 64 x 600: the zeros, the 3 x 4 cache tiles of 100 x 128 and
// the 88 columns left (a matmul of their own): one fork.
// CODE-LABEL: llvm.func @matmul_edges(
// CODE-COUNT-1: omp.parallel {
// CODE-NOT: omp.parallel
// CODE-LABEL: llvm.func @_mlir_ciface_matmul_edges(
func.func @matmul_edges(%a: tensor<300x64xf32>, %b: tensor<64x600xf32>) -> tensor<300x600xf32> {
  %0 = wl.matmul %a, %b : (tensor<300x64xf32>, tensor<64x600xf32>) -> tensor<300x600xf32>
  return %0 : tensor<300x600xf32>
}
