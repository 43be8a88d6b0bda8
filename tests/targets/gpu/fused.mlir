// One outlined kernel, one GPU program: each kernel of
// Inputs/fused-kernels.mlir (a norm, a softmax, matmuls with their
// epilogues, a padded convolution, a batch matmul with a transposed output,
// a strided depthwise convolution, a kernel with two results, a QKV split,
// a matmul with an accumulator, a convolution whose tile needs a global
// scratch buffer, attention, concats) is lowered to exactly one gpu.launch, whose CTAs
// compute a tile of the output with every producer fused into it
// (fungible-gpu-tile-and-fuse-kernels, then fungible-gpu-map-linalg-to-grid).
//
// RUN: fungible-opt %S/Inputs/fused-kernels.mlir --convert-wl-to-linalg --fungible-gpu-tile-and-fuse-kernels=every-function --canonicalize --cse --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --canonicalize --cse --fungible-gpu-map-linalg-to-grid | FileCheck %s
//
// Rows of 768: 5 rows per tile would not divide 64, so 4 (16 CTAs). Each
// row sum is split into 32 interleaved partial sums (4 x 32 = all 128
// threads at work, where the 4 rows alone would keep 124 idle), then
// combined; partial sums, row sums and the normalised tile stay in shared
// memory.
// CHECK-LABEL: func.func @layer_norm
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c16, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) workgroup(
// CHECK-SAME:  memref<4x32xf32, #gpu.address_space<workgroup>>
// CHECK-SAME:  memref<4xf32, #gpu.address_space<workgroup>>
// CHECK-SAME:  memref<4x768xf32, #gpu.address_space<workgroup>>
// CHECK-NOT:   gpu.launch
// CHECK-LABEL: func.func @softmax
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// 96x130 in tiles of 48x26 (the largest divisors up to 64): 2 x 5 CTAs;
// the matmul tile is a shared buffer the epilogue reads.
// CHECK-LABEL: func.func @matmul_bias_gelu
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c10, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) {{.*}} workgroup({{.*}} : memref<48x26xf32, #gpu.address_space<workgroup>>)
// CHECK-NOT:   gpu.launch
// The bf16 tile (64x64, 2 x 3 CTAs) is one CTA of the tensor-core kernel:
// the C tile and the two staging buffers in shared memory, 16 mma.sync per
// K step of 32, then the epilogue.
// CHECK-LABEL: func.func @matmul_bf16_residual
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c6, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) workgroup({{.*}} : memref<64x64xbf16, #gpu.address_space<workgroup>>, {{.*}} : memref<64x40xbf16, #gpu.address_space<workgroup>>, {{.*}} : memref<64x40xbf16, #gpu.address_space<workgroup>>)
// CHECK-COUNT-16: nvvm.mma.sync
// CHECK-NOT:   nvvm.mma.sync
// CHECK:       gpu.barrier
// CHECK:       arith.addf
// CHECK-NOT:   gpu.launch
// CHECK-LABEL: func.func @conv_pad_relu
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// CHECK-LABEL: func.func @bmm_heads
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// The depthwise convolution's tile reads its padded 3x15 input window from
// shared memory.
// CHECK-LABEL: func.func @depthwise_relu6
// CHECK:       gpu.launch {{.*}} workgroup({{.*}} : memref<1x3x15x24xf32, #gpu.address_space<workgroup>>
// CHECK-NOT:   gpu.launch
// CHECK-LABEL: func.func @two_results
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// Three results, three tile loops merged: one launch computing, per CTA,
// the matmul block of each head tile, two 24-long dot products per point.
// CHECK-LABEL: func.func @qkv_split
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// The accumulator is added in the epilogue, with the ReLU.
// CHECK-LABEL: func.func @matmul_acc_relu
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// Views of the three results: moved to the return, one launch still.
// CHECK-LABEL: func.func @qkv_split_views
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// The padded window past 48 KiB: a scratch buffer of one slice per CTA,
// allocated before the launch; the conv's output tile stays in shared memory.
// CHECK-LABEL: func.func @conv_scratch
// CHECK:       %[[SCRATCH:.*]] = memref.alloc() : memref<4x1x3x66x64xf32>
// CHECK:       gpu.launch blocks(%[[BX:[^,]*]], {{.*}} workgroup({{.*}} : memref<1x1x64x64xf32, #gpu.address_space<workgroup>>)
// CHECK:       memref.subview %[[SCRATCH]][%[[BX]], 0, 0, 0, 0] [1, 1, 3, 66, 64]
// CHECK-NOT:   gpu.launch

// An attention with an additive mask, and a grouped-query one: one launch.
// CHECK-LABEL: func.func @attention_mask
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// CHECK-LABEL: func.func @attention_gqa
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// CHECK-LABEL: func.func @attention_bf16
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT:   gpu.launch
// Concats of equal pieces: one launch, each CTA computing its tile of
// every piece (the convolution's and the matmul's included) and storing
// it beside the others.
// CHECK-LABEL: func.func @fire_concat
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c30, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}})
// CHECK-NOT:   gpu.launch
// CHECK-LABEL: func.func @concat_rows
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}})
// CHECK-NOT:   gpu.launch

// The numbers: each kernel's launch run on the host
// (fungible-gpu-emulate-launches: CTA after CTA, thread after thread
// between barriers; tensor cores off, as NVVM has no host semantics)
// against the reference lowering of the same function. The fused tiles
// compute every element in the reference's order: equal to the bit, but
// for the layer norm's split row sums (added in another order: within
// 1e-5 of the reference's outputs, the last printed digit; checked first).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/make_harness.py %S/Inputs/fused-kernels.mlir layer_norm > %t/ln.mlir
// RUN: fungible-opt %t/ln.mlir --convert-wl-to-linalg --fungible-gpu-tile-and-fuse-kernels=every-function --canonicalize --cse --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --canonicalize --cse --fungible-gpu-map-linalg-to-grid=tensor-cores=false --fungible-gpu-emulate-launches %host-loops-to-llvm | %run-harness > %t/ln.gpu
// RUN: fungible-opt %t/ln.mlir %lower-to-llvm | %run-harness > %t/ln.ref
// RUN: %python %S/../../lib/compare_outputs.py %t/ln.ref %t/ln.gpu --rtol 1e-5 --atol 1e-5 > %t/report.txt
// RUN: for f in softmax matmul_bias_gelu matmul_bf16_residual conv_pad_relu bmm_heads depthwise_relu6 two_results qkv_split qkv_split_views matmul_acc_relu conv_scratch fire_concat concat_rows attention_mask attention_gqa attention_bf16; do \
// RUN:   %python %S/../../lib/make_harness.py %S/Inputs/fused-kernels.mlir $f > %t/$f.mlir && \
// RUN:   fungible-opt %t/$f.mlir --convert-wl-to-linalg --fungible-gpu-tile-and-fuse-kernels=every-function --canonicalize --cse --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --canonicalize --cse --fungible-gpu-map-linalg-to-grid=tensor-cores=false --fungible-gpu-emulate-launches %host-loops-to-llvm | %run-harness > %t/$f.gpu && \
// RUN:   fungible-opt %t/$f.mlir %lower-to-llvm | %run-harness > %t/$f.ref && \
// RUN:   %python %S/../../lib/compare_outputs.py %t/$f.ref %t/$f.gpu --rtol 0 --atol 0 >> %t/report.txt || exit 1; done
// RUN: FileCheck %s --check-prefix=SAME < %t/report.txt
// SAME:      compared 49152 values, max abs error {{.*}}, 0 mismatches
// SAME-NEXT: compared 12000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 12480 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 24576 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 1920 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 256 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 1176 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 12288 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 7680 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 7680 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 3072 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 16384 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 720 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 2160 values, max abs error 0, 0 mismatches
// Attention in one launch, with an additive mask and grouped-query (4-D
// heads, whose P.V product is a generic once a reshape moved past it:
// the softmax's divide is not fused into it, so it still accumulates
// with FMAs as the reference does).
// SAME-NEXT: compared 2048 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 2048 values, max abs error 0, 0 mismatches
// And in bf16: the probabilities rounded to bf16 before the product with
// V, as the reference rounds them.
// SAME-NEXT: compared 2048 values, max abs error 0, 0 mismatches
