// RUN: fungible-opt %s --split-input-file --convert-wl-to-linalg --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --fungible-gpu-map-matmuls-to-tensor-cores --fungible-gpu-map-linalg-to-grid --canonicalize --cse | FileCheck %s

// The shape of the GPU target's kernels, stage by stage before outlining.
// Tensor-core matmuls: one CTA of 128 threads (4 warps, 2x2 of 32x32) per
// 64x64 tile of C, grid (ceil(N/64), ceil(M/64), batch); K staged through
// two 64x40 shared buffers 32 at a time; per K step of 32, each warp issues
// 2 (K/16) x 2 (M frags) x 4 (N frags) = 16 mma.sync m16n8k16.

// 100x40 * 40x72: grid (2, 2, 1); ragged in every dimension, so loads of A
// and B and the stores of C are guarded by M < 100, N < 72, K < 40. The
// zero fill of C (wl.matmul starts from zeros) is the kernel's zeroed
// accumulators, not a launch of its own, and C is not read.
// CHECK-LABEL: func.func @ragged
// CHECK-NOT: linalg.fill
// CHECK:     gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1, {{.*}} = %c1) workgroup(%[[AS:.*]] : memref<64x40xbf16, #gpu.address_space<workgroup>>, %[[BS:.*]] : memref<64x40xbf16, #gpu.address_space<workgroup>>)
// CHECK-NOT: memref.load %{{.*}} : memref<100x72xbf16>
// CHECK:     scf.for %{{.*}} = %c0 to %c40 step %c32 iter_args(%{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}
// CHECK:       arith.cmpi ult, %{{.*}}, %c100
// CHECK:       arith.cmpi ult, %{{.*}}, %c40
// CHECK:       memref.store %{{.*}}, %[[AS]]
// CHECK:       arith.cmpi ult, %{{.*}}, %c72
// CHECK:       memref.store %{{.*}}, %[[BS]]
// CHECK:       gpu.barrier
// CHECK:       vector.load %[[AS]]{{.*}} {alignment = 4 : i64} : memref<64x40xbf16, #gpu.address_space<workgroup>>, vector<2xbf16>
// CHECK-COUNT-16: nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK-NOT:   nvvm.mma.sync
// CHECK:       gpu.barrier
// CHECK:       scf.yield
// CHECK-COUNT-32: arith.truncf %{{.*}} : f32 to bf16
func.func @ragged(%a: tensor<100x40xbf16>, %b: tensor<40x72xbf16>) -> tensor<100x72xbf16> {
  %0 = wl.matmul %a, %b : (tensor<100x40xbf16>, tensor<40x72xbf16>) -> tensor<100x72xbf16>
  return %0 : tensor<100x72xbf16>
}

// -----

// 128x64 * 64x192: tiles divide every dimension: no guard at all.
// CHECK-LABEL: func.func @aligned
// CHECK:     gpu.launch blocks({{.*}}) in ({{.*}} = %c3, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128,
// CHECK-NOT: scf.if
// CHECK:     scf.for %{{.*}} = %c0 to %c64 step %c32 iter_args
// CHECK-NOT: scf.if
// CHECK:     return
func.func @aligned(%a: tensor<128x64xbf16>, %b: tensor<64x192xbf16>) -> tensor<128x192xbf16> {
  %0 = wl.matmul %a, %b : (tensor<128x64xbf16>, tensor<64x192xbf16>) -> tensor<128x192xbf16>
  return %0 : tensor<128x192xbf16>
}

// -----

// f16 batch matmul: the batch is grid z (3); f16 pairs go to mma.sync as
// vector<2xf16> (bf16 pairs as i32).
// CHECK-LABEL: func.func @batched
// CHECK:     gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c3) threads({{.*}}) in ({{.*}} = %c128,
// CHECK:     vector.load {{.*}} : memref<64x40xf16, #gpu.address_space<workgroup>>, vector<2xf16>
// CHECK-NOT: llvm.bitcast
// CHECK-COUNT-16: nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
func.func @batched(%a: tensor<3x64x32xf16>, %b: tensor<3x32x16xf16>) -> tensor<3x64x16xf16> {
  %0 = wl.batch_matmul %a, %b : (tensor<3x64x32xf16>, tensor<3x32x16xf16>) -> tensor<3x64x16xf16>
  return %0 : tensor<3x64x16xf16>
}

// -----

// f32 matmuls stay off the tensor cores (TF32 would change the numbers):
// one thread per output element, K in a loop: 32x48 = 1536 outputs on 6
// CTAs of 256.
// CHECK-LABEL: func.func @f32_matmul
// CHECK-NOT: nvvm.mma.sync
// CHECK:     gpu.launch blocks({{.*}}) in ({{.*}} = %c6, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256,
// CHECK:     gpu.launch blocks({{.*}}) in ({{.*}} = %c6, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256,
// CHECK:       scf.for %{{.*}} = %c0 to %c16 step %c1
// CHECK-NOT: nvvm.mma.sync
func.func @f32_matmul(%a: tensor<32x16xf32>, %b: tensor<16x48xf32>) -> tensor<32x48xf32> {
  %0 = wl.matmul %a, %b : (tensor<32x16xf32>, tensor<16x48xf32>) -> tensor<32x48xf32>
  return %0 : tensor<32x48xf32>
}

// -----

// Elementwise: 4x300 = 1200 points on ceil(1200/256) = 5 CTAs of 256,
// delinearised row = i / 300, column = i % 300, guarded by i < 1200.
// CHECK-LABEL: func.func @elementwise
// CHECK:     gpu.launch blocks({{.*}}) in ({{.*}} = %c5, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256,
// CHECK:       arith.cmpi ult, %{{.*}}, %c1200
// CHECK:       arith.remui %{{.*}}, %c300
// CHECK:       arith.divui %{{.*}}, %c300
// CHECK:       math.exp
func.func @elementwise(%a: tensor<4x300xf32>) -> tensor<4x300xf32> {
  %0 = wl.exp %a : tensor<4x300xf32>
  return %0 : tensor<4x300xf32>
}

// -----

// A row reduction: one thread per row (64 threads), the 1000 columns in a
// loop inside it.
// CHECK-LABEL: func.func @rows
// CHECK:     gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c64,
// CHECK:     gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c64,
// CHECK:       scf.for %{{.*}} = %c0 to %c1000 step %c1
func.func @rows(%a: tensor<64x1000xf32>) -> tensor<64xf32> {
  %0 = wl.reduce sum %a dims = [1] : tensor<64x1000xf32> -> tensor<64xf32>
  return %0 : tensor<64xf32>
}
