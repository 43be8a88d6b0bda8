// RUN: fungible-opt %s --fungible-gpu-map-matmuls-to-tensor-cores="wgmma wgmma-sms=4" --canonicalize --cse | FileCheck %s
// RUN: fungible-opt %s --fungible-gpu-map-matmuls-to-tensor-cores="wgmma wgmma-tile-n=64 wgmma-stages=2" --canonicalize --cse | FileCheck %s --check-prefix=SMALL
// RUN: not fungible-opt %s --fungible-gpu-map-matmuls-to-tensor-cores="wgmma wgmma-tile-k=32" 2>&1 | FileCheck %s --check-prefix=BAD-SWIZZLE
// RUN: not fungible-opt %s --fungible-gpu-map-matmuls-to-tensor-cores="wgmma wgmma-tile-n=256 wgmma-stages=5" 2>&1 | FileCheck %s --check-prefix=TOO-BIG

// The sm_90a matmul kernel (targets/gpu/Wgmma.cpp) in its default shape:
// K 64 a stage, 4 stages, the 128-byte swizzled layouts, CTAs dispatched 8
// rows of tiles at a time, and tiles of C 128 x 256, else 128 x 128, else
// 128 x 64: the widest whose grid still gives every SM a CTA (here 4 SMs:
// wgmma-sms).
//
// @wide: 256 x 512 has 2 x 2 = 4 tiles of 128 x 256: grid (2, 2). A stage
// of A is 128 x 64 = 8192 halves, of B 64 x 256 = 16384: 4 stages are
// 4 x 49152 bytes, past the 48 KiB of static shared memory: dynamic shared
// memory, with 1 KiB more to start the stages on a 1 KiB boundary (where
// the swizzle pattern starts): 197632 bytes. CTA pid = 2 y + x takes row
// 8 (pid / 16) + (pid % 16) % rows and column (pid % 16) / rows of its
// group, rows = min(2 - 8 (pid / 16), 8) (2 rows of tiles, fewer than 8).
// Each 16-byte chunk lands at chunk (c ^ r) of its row r % 8 of the atom:
// an xori per copy. The matrix descriptors (PTX ISA, matrix descriptor
// format; bits 62-63 = 1: 128-byte swizzle):
//   A, K-major: LBO unused (16 bytes: 1 << 16), SBO the next 8 rows, one
//     1 KiB atom (64 << 32): 2^62 + 64 * 2^32 + 2^16 = 4611686293305360384;
//   B, N-major: LBO the next 64 columns, one atom (64 << 16), SBO the next
//     8 rows of K, 256 / 64 = 4 atoms (256 << 32): 2^62 + 256 * 2^32 +
//     64 * 2^16 = 4611687117943209984.
// K = 128 is 2 K tiles, both in flight before the loop (the copies run
// stages - 2 = 2 tiles ahead); four wgmma m64n256k16 per K tile, one K
// tile's still running while the next is issued (wait 1); the last waited
// for in one asm statement with the stores' coordinates.
// CHECK-LABEL: func.func @wide
// CHECK-DAG:   %[[ADESC:.*]] = arith.constant 4611686293305360384 : i64
// CHECK-DAG:   %[[BDESC:.*]] = arith.constant 4611687117943209984 : i64
// CHECK:       gpu.launch blocks(%[[X:.*]], %[[Y:.*]], %{{.*}}) in ({{.*}} = %c2, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1) dynamic_shared_memory_size %c197632_i32 {
// CHECK-NEXT:    %[[ROWSOF:.*]] = arith.muli %[[Y]], %c2 : index
// CHECK-NEXT:    %[[PID:.*]] = arith.addi %[[ROWSOF]], %[[X]] : index
// CHECK-NEXT:    %[[GROUP:.*]] = arith.divui %[[PID]], %c16 : index
// CHECK-NEXT:    %[[FIRST:.*]] = arith.muli %[[GROUP]], %c8 : index
// CHECK-NEXT:    %[[IN:.*]] = arith.remui %[[PID]], %c16 : index
// CHECK-NEXT:    %[[LEFT:.*]] = arith.subi %c2, %[[FIRST]] : index
// CHECK-NEXT:    %[[ROWS:.*]] = arith.minui %[[LEFT]], %c8 : index
// CHECK-NEXT:    %[[R:.*]] = arith.remui %[[IN]], %[[ROWS]] : index
// CHECK-NEXT:    %[[MTILE:.*]] = arith.addi %[[FIRST]], %[[R]] : index
// CHECK-NEXT:    %[[NTILE:.*]] = arith.divui %[[IN]], %[[ROWS]] : index
// CHECK-NEXT:    %[[SHARED:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[ADDRESS:.*]] = memref.extract_aligned_pointer_as_index %[[SHARED]]
// CHECK-NEXT:    %[[MOD:.*]] = arith.remui %[[ADDRESS]], %c1024 : index
// CHECK-NEXT:    %[[TO:.*]] = arith.subi %c1024, %[[MOD]] : index
// CHECK-NEXT:    %[[SKIP:.*]] = arith.remui %[[TO]], %c1024 : index
// CHECK-NEXT:    %[[AS:.*]] = memref.view %[[SHARED]][%[[SKIP]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<32768xbf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[BOFF:.*]] = arith.addi %[[SKIP]], %c65536 : index
// CHECK-NEXT:    %[[BS:.*]] = memref.view %[[SHARED]][%[[BOFF]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<65536xbf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:    arith.muli %[[MTILE]], %c128 : index
// CHECK-NEXT:    arith.muli %[[NTILE]], %c256 : index
// CHECK:         arith.xori
// CHECK:         nvgpu.device_async_copy %arg0[{{.*}}], %[[AS]][{{.*}}], 8 {bypassL1}
// CHECK:         arith.xori
// CHECK:         nvgpu.device_async_copy %arg1[{{.*}}], %[[BS]][{{.*}}], 8 {bypassL1}
// CHECK:         nvvm.cp.async.commit.group
// CHECK-COUNT-12: nvgpu.device_async_copy
// CHECK-NEXT:    nvvm.cp.async.commit.group
// CHECK:         scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK:           nvvm.cp.async.wait.group 1
// CHECK:           nvvm.wgmma.fence.aligned
// CHECK-COUNT-4:   nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 256, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>]
// CHECK-NEXT:      nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:      nvvm.wgmma.wait.group.sync.aligned 1
// CHECK:         llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 0;"
// CHECK-COUNT-128: memref.store %{{.*}}, %arg2
func.func @wide(%a: memref<256x128xbf16>, %b: memref<128x512xbf16>, %c: memref<256x512xf32>) {
  linalg.matmul ins(%a, %b : memref<256x128xbf16>, memref<128x512xbf16>) outs(%c : memref<256x512xf32>)
  return
}

// @middle: 256 x 256 is 2 tiles of 128 x 256, fewer than the 4 SMs; 4 of
// 128 x 128: tiles of 128 x 128, grid (2, 2); 4 stages of 2 x 8192 halves
// and 1 KiB: 132096 bytes. B's descriptor: SBO the next 8 rows of K,
// 128 / 64 = 2 atoms: 2^62 + 128 * 2^32 + 64 * 2^16.
// CHECK-LABEL: func.func @middle
// CHECK-DAG:   arith.constant 4611686568187396096 : i64
// CHECK:       gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1) dynamic_shared_memory_size %c132096_i32 {
// CHECK-COUNT-4: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 128, k = 16>
func.func @middle(%a: memref<256x64xbf16>, %b: memref<64x256xbf16>, %c: memref<256x256xf32>) {
  linalg.matmul ins(%a, %b : memref<256x64xbf16>, memref<64x256xbf16>) outs(%c : memref<256x256xf32>)
  return
}

// @narrow: 128 x 256 is 1 tile of 128 x 256 and 2 of 128 x 128, fewer
// than the 4 SMs; 4 of 128 x 64: tiles of 128 x 64 (the narrowest), grid
// (4, 1), in grid order (one row of tiles); 4 stages of 8192 + 4096 halves
// and 1 KiB: 99328 bytes; its one row of tiles starts at row 0 (the
// block's y, always 0, folds away). B's descriptor: SBO one atom (the
// next 8 rows of 64 columns): 2^62 + 64 * 2^32 + 64 * 2^16.
// CHECK-LABEL: func.func @narrow
// CHECK-DAG:   arith.constant 4611686293309489152 : i64
// CHECK:       gpu.launch blocks(%[[X:.*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c4, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1) dynamic_shared_memory_size %c99328_i32 {
// CHECK-NOT:     arith.minui
// CHECK:         gpu.dynamic_shared_memory
// CHECK:         arith.muli %[[X]], %c64 : index
// CHECK-COUNT-4: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 64, k = 16>
func.func @narrow(%a: memref<128x64xbf16>, %b: memref<64x256xbf16>, %c: memref<128x256xf32>) {
  linalg.matmul ins(%a, %b : memref<128x64xbf16>, memref<64x256xbf16>) outs(%c : memref<128x256xf32>)
  return
}

// Swizzled stages that would fit in static shared memory (2 x (128 x 64 +
// 64 x 64) halves: 48 KiB) are still in dynamic shared memory, which the
// kernel aligns to the 1 KiB a swizzle atom starts on: 49152 + 1024.
// SMALL-LABEL: func.func @wide
// SMALL:       gpu.launch {{.*}} dynamic_shared_memory_size %c50176_i32 {
// SMALL:       gpu.dynamic_shared_memory
// SMALL-LABEL: func.func @middle
// SMALL:       gpu.launch {{.*}} dynamic_shared_memory_size %c50176_i32 {
// SMALL-LABEL: func.func @narrow
// SMALL:       gpu.launch {{.*}} dynamic_shared_memory_size %c50176_i32 {

// Shapes the kernel cannot take fail the pass with the reason.
// BAD-SWIZZLE: error: the sm_90a GEMM kernel cannot take its shape: the 128-byte swizzled layouts take tile K 64 and tile N a multiple of 64, not 32 and 256 (tile N 256: one of those chosen per matmul)
// TOO-BIG: error: the sm_90a GEMM kernel cannot take its shape: 5 stages of 128 x 64 and 64 x 256 take 245760 bytes of shared memory, more than a CTA of sm_90 has (232448)
