// RUN: fungible-opt %s --split-input-file --fungible-gpu-map-matmuls-to-tensor-cores="wgmma wgmma-tile-n=128 wgmma-tile-k=32 wgmma-stages=3 wgmma-group-m=1 wgmma-swizzle=0" --canonicalize --cse | FileCheck %s
// RUN: fungible-opt %S/Inputs/wgmma-tiles.mlir --fungible-gpu-map-linalg-to-grid=wgmma=true | FileCheck %s --check-prefix=TILES
// RUN: fungible-opt %S/Inputs/fused-kernels.mlir --convert-wl-to-linalg --fungible-gpu-tile-and-fuse-kernels=every-function --canonicalize --cse --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --canonicalize --cse --fungible-gpu-map-linalg-to-grid=wgmma=true | FileCheck %s --check-prefix=FUSED
// RUN: fungible-opt %S/Inputs/fused-kernels.mlir --convert-wl-to-linalg --fungible-gpu-tile-and-fuse-kernels=every-function --canonicalize --cse --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --canonicalize --cse --fungible-gpu-map-matmuls-to-tensor-cores=wgmma --fungible-gpu-map-linalg-to-grid=wgmma=true | FileCheck %s --check-prefix=ALONE

// The sm_90a matmul kernel (targets/gpu/Wgmma.cpp) in the interleaved
// layouts of its shape options (wgmma-swizzled.mlir has the default). A
// CTA of 256 threads (two warpgroups) per 128 x 128 tile of C: grid
// (384/128, 256/128) = (3, 2), in grid order (group M 1). A and B each have
// 3 stages of 128 x 32 = 32 x 128 = 4096 halves (12288: 48 KiB in all,
// workgroup buffers). 512 16-byte chunks per stage and operand over 256
// threads: 2 copies each of A and B per thread per K tile. With 3 stages
// one K tile's wgmma may still run while the next is issued, so the copies
// run one tile ahead: tile 0 is in flight before the loop over the
// 512 / 32 = 16 K tiles; in it, wait for all groups (tile kt), fence for
// the async proxy, barrier, start the copies of tile kt + 1 (into the
// stage read two steps ago, whose wgmma every warpgroup waited for before
// the barrier), then two wgmma m64n128k16 (A K-major: layout row; B
// N-major: layout row, which PTX writes as imm-trans-b = 1, ptx.mlir),
// commit, and wait for all but the newest group. Past the loop, one asm
// statement waits for the last and passes the stores' row and column
// through (so that their index arithmetic cannot come before it).
//
// The matrix descriptors (PTX ISA, matrix descriptor format: bits 16-29
// the leading byte offset >> 4, bits 32-45 the stride byte offset >> 4,
// no swizzle), from the canonical no-swizzle layouts with T = 8 halves:
//   A, K-major ((8,m),(T,2k)):((1T,SBO),(1,LBO)): LBO = one core matrix =
//     128 bytes, SBO = the 4 core matrices of a row group's 32 columns =
//     512 bytes: (128 >> 4) << 16 | (512 >> 4) << 32 = 8 * 65536 +
//     32 * 4294967296 = 137439477760;
//   B, N-major ((T,1,m),(8,k)):((1,T,SBO),(1T,LBO)): SBO = 128 bytes (the
//     next 8 columns), LBO = 16 core matrices = 2048 bytes (the next 8
//     rows of K): (2048 >> 4) << 16 | (128 >> 4) << 32 = 128 * 65536 +
//     8 * 4294967296 = 34368126976.
// The second k16 step starts 2 core matrices (256 bytes) further into A
// and 2 row groups (4096 bytes) into B; a stage is 8192 bytes.

// CHECK-LABEL: func.func @tiles
// CHECK-DAG:   %[[ADESC:.*]] = arith.constant 137439477760 : i64
// CHECK-DAG:   %[[BDESC:.*]] = arith.constant 34368126976 : i64
// CHECK-DAG:   %[[B_STEP:.*]] = arith.constant 4096 : i64
// CHECK-DAG:   %[[A_STEP:.*]] = arith.constant 256 : i64
// CHECK-DAG:   %[[MASK:.*]] = arith.constant 262143 : i64
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c3, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1) workgroup(%[[AS:.*]] : memref<12288xbf16, #gpu.address_space<workgroup>>, %[[BS:.*]] : memref<12288xbf16, #gpu.address_space<workgroup>>)
// CHECK-NOT:   arith.select
// CHECK-COUNT-2: nvgpu.device_async_copy %arg0[{{.*}}], %[[AS]][{{.*}}], 8 {bypassL1}
// CHECK-NOT:   arith.select
// CHECK:       nvvm.cp.async.commit.group
// CHECK-NOT:   nvgpu.device_async_copy
// CHECK:       %[[APTR:.*]] = memref.extract_aligned_pointer_as_index %[[AS]]
// CHECK:       %[[BPTR:.*]] = memref.extract_aligned_pointer_as_index %[[BS]]
// CHECK:       scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (!llvm.struct<(f32, [[ACC:(f32, ){62}]]f32)>)
// CHECK:         nvvm.cp.async.wait.group 0
// CHECK-NEXT:    nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT:    gpu.barrier
// CHECK:         scf.if
// CHECK-COUNT-4:   nvgpu.device_async_copy
// CHECK:         nvvm.cp.async.commit.group
// CHECK:         nvvm.wgmma.fence.aligned
// CHECK:         %[[B0:.*]] = arith.ori %{{.*}}, %[[BDESC]] : i64
// CHECK:         %[[A0:.*]] = arith.ori %{{.*}}, %[[ADESC]] : i64
// CHECK:         %[[D0:.*]] = nvvm.wgmma.mma_async %[[A0]], %[[B0]], %{{.*}}, <m = 64, n = 128, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>]
// CHECK:         arith.addi %{{.*}}, %[[A_STEP]] : i64
// CHECK:         arith.addi %{{.*}}, %[[B_STEP]] : i64
// CHECK:         nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[D0]], <m = 64, n = 128, k = 16>
// CHECK-NEXT:    nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:    nvvm.wgmma.wait.group.sync.aligned 1
// CHECK-NEXT:    scf.yield
// CHECK:       llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 0;", "=r,=r,0,1"
// CHECK-NOT:   scf.if
// CHECK-COUNT-64: memref.store %{{.*}}, %arg2
// CHECK-NOT:   memref.store
func.func @tiles(%a: memref<256x512xbf16>, %b: memref<512x384xbf16>, %c: memref<256x384xf32>) {
  linalg.matmul ins(%a, %b : memref<256x512xbf16>, memref<512x384xbf16>) outs(%c : memref<256x384xf32>)
  return
}

// -----

// Tiles that do not divide: grid (ceil(200/128), ceil(100/128)) = (2, 1),
// ceil(72/32) = 3 K tiles. A chunk out of bounds copies 0 of its 8
// halves (cp.async zero-fills the rest) from a valid address; the f16
// accumulators of C are read and written where they lie in C only.
// CHECK-LABEL: func.func @ragged
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256, {{.*}}) workgroup({{.*}} : memref<12288xf16, #gpu.address_space<workgroup>>, {{.*}} : memref<12288xf16, #gpu.address_space<workgroup>>)
// CHECK:       %[[IN:.*]] = arith.andi
// CHECK-NEXT:  %[[ROW:.*]] = arith.select %[[IN]], %{{.*}}, %c0 : index
// CHECK-NEXT:  %[[COL:.*]] = arith.select %[[IN]], %{{.*}}, %c0 : index
// CHECK-NEXT:  %[[N:.*]] = arith.select %[[IN]], %c8, %c0 : index
// CHECK-NEXT:  nvgpu.device_async_copy %arg0[%[[ROW]], %[[COL]]], %{{.*}}[%{{.*}}], 8, %[[N]] {bypassL1} : memref<100x72xf16>
// CHECK:       scf.if %{{.*}} -> (f16) {
// CHECK:       scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK:         nvvm.wgmma.mma_async {{.*}} D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <row>]
// CHECK:       arith.truncf %{{.*}} : f32 to f16
// CHECK-NEXT:  scf.if
// CHECK-NEXT:    memref.store %{{.*}}, %arg2
func.func @ragged(%a: memref<100x72xf16>, %b: memref<72x200xf16>, %c: memref<100x200xf16>) {
  linalg.matmul ins(%a, %b : memref<100x72xf16>, memref<72x200xf16>) outs(%c : memref<100x200xf16>)
  return
}

// -----

// A batch is grid z; every copy is indexed by it.
// CHECK-LABEL: func.func @batched
// CHECK:       gpu.launch blocks(%{{.*}}, %{{.*}}, %[[Z:.*]]) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c3) threads({{.*}}) in ({{.*}} = %c256
// CHECK:       nvgpu.device_async_copy %arg0[%[[Z]], %{{.*}}, %{{.*}}]
// CHECK:       nvgpu.device_async_copy %arg1[%[[Z]], %{{.*}}, %{{.*}}]
// CHECK:       nvvm.wgmma.mma_async
func.func @batched(%a: memref<3x128x64xbf16>, %b: memref<3x64x128xbf16>, %c: memref<3x128x128xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x128x64xbf16>, memref<3x64x128xbf16>) outs(%c : memref<3x128x128xf32>)
  return
}

// -----

// Rows of 20 halves (40 bytes) are not whole 16-byte chunks: the mma.sync
// kernel (128 threads) instead.
// CHECK-LABEL: func.func @k_not_16_bytes
// CHECK:       gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c128,
// CHECK-NOT:   nvvm.wgmma
// CHECK-NOT:   nvgpu.device_async_copy
// CHECK-COUNT-16: nvvm.mma.sync
// CHECK-NOT:   nvvm.wgmma
func.func @k_not_16_bytes(%a: memref<64x20xbf16>, %b: memref<20x64xbf16>, %c: memref<64x64xf32>) {
  linalg.matmul ins(%a, %b : memref<64x20xbf16>, memref<20x64xbf16>) outs(%c : memref<64x64xf32>)
  return
}

// In a fused tile (fused-kernels.mlir's bf16 matmul with its bias and
// residual, 128 x 192 in 2 x 3 tiles of 64 x 64), the matmul is one CTA
// of the kernel: the tile's 128 threads are one warpgroup, wgmma
// m64n64k16, 2 stages of 64 x 32 = 32 x 64 = 2048 halves (4096), the C
// tile in shared memory beside them. A and B are subviews of the
// arguments at offsets that are multiples of 64 (the tile's origin), so
// their rows stay on 16-byte boundaries. B's leading byte offset is now
// 64 / 8 core matrices = 1024 bytes: (1024 >> 4) << 16 | (128 >> 4) << 32
// = 64 * 65536 + 8 * 4294967296 = 34363932672. K = 64: 2 K tiles, the
// first copied before the loop; with 2 stages the wait is for every group.
// FUSED-LABEL: func.func @matmul_bf16_residual
// FUSED:       gpu.launch blocks({{.*}}) in ({{.*}} = %c6{{.*}}) threads({{.*}}) in ({{.*}} = %c128{{.*}}) workgroup(%{{.*}} : memref<64x64xbf16, #gpu.address_space<workgroup>>, %[[AS:.*]] : memref<4096xbf16, #gpu.address_space<workgroup>>, %[[BS:.*]] : memref<4096xbf16, #gpu.address_space<workgroup>>)
// FUSED:       nvgpu.device_async_copy %{{.*}}, %[[AS]][%{{.*}}], 8 {bypassL1} : memref<64x64xbf16, strided<[64, 1], offset: ?>>
// FUSED:       nvgpu.device_async_copy %{{.*}}, %[[BS]][%{{.*}}], 8 {bypassL1} : memref<64x64xbf16, strided<[192, 1], offset: ?>>
// FUSED:       nvvm.cp.async.commit.group
// FUSED:       scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// FUSED:         nvvm.cp.async.wait.group 0
// FUSED:         arith.constant 34363932672 : i64
// FUSED:         nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>] : !llvm.struct<(f32, [[ACC31:(f32, ){30}]]f32)>
// FUSED:         nvvm.wgmma.mma_async
// FUSED-NOT:   nvvm.mma.sync
// FUSED-LABEL: func.func @conv_pad_relu

// Whether a fused tile's matmul is the sm_90a CTA depends on where its
// rows start: B's columns at 64j (a multiple of 8 halves) are whole
// 16-byte chunks; at 64j + 4 every row starts 8 bytes into one, which
// cp.async cannot read, so that tile is the mma.sync CTA.
// TILES-LABEL: func.func @aligned
// TILES:       gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c128
// TILES-COUNT-2: nvvm.wgmma.mma_async
// TILES-NOT:   nvvm.mma.sync
// TILES-LABEL: func.func @unaligned
// TILES-NOT:   nvvm.wgmma.mma_async
// TILES:       nvvm.mma.sync

// A kernel that is only a bf16 matmul from +0 is not tiled: the
// standalone sm_90a kernel takes it, its zero fill included (one launch of
// 256-thread CTAs; 256x384 makes fewer CTAs than the 132 SMs in any tile,
// so the narrowest, 128x64: grid (6, 2)), where a fused tile would be a
// 64x64 CTA without the pipeline (78 against 152 TFLOP/s on an H200 for
// 8192^3, before the swizzled kernel).
// ALONE-LABEL: func.func @matmul_bf16_alone
// ALONE-NOT:   linalg.fill
// ALONE:       gpu.launch blocks({{.*}}) in ({{.*}} = %c6, {{.*}} = %c2, {{.*}}) threads({{.*}}) in ({{.*}} = %c256,
// ALONE:       nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 16>
// ALONE-NOT:   gpu.launch
// ALONE:       return
