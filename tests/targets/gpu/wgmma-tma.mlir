// RUN: fungible-opt %s --fungible-gpu-map-matmuls-to-tensor-cores="wgmma wgmma-sms=4 wgmma-tma=1" --canonicalize --cse | FileCheck %s
// RUN: not fungible-opt %s --fungible-gpu-map-matmuls-to-tensor-cores="wgmma wgmma-tma=1 wgmma-swizzle=0" 2>&1 | FileCheck %s --check-prefix=NO-SWIZZLE

// The sm_90a matmul kernel with its stages loaded by TMA
// (targets/gpu/Wgmma.cpp, docs/Codegen.md): the host makes a tensor map of
// A in boxes of 128 x 64 and of B in boxes of 64 x 64 (128-byte rows: the
// widest the 128-byte swizzle takes), zeros past the edges, each passed to
// the kernel as a pointer.
//
// @wide: 256 x 512 x 128 in 128 x 256 tiles (4 SMs: wgmma-sms), grid
// (2, 2), 384 threads: warpgroup 0 loads, warpgroups 1 and 2 compute.
// Shared memory: 4 stages of 128 x 64 + 64 x 256 halves (4 x 49152
// bytes), then 9 mbarriers (72 bytes), 1 KiB to align: 197704 bytes. B's
// stages start 65536 bytes in (A's 4 x 16384); the barriers 4 x 32768
// bytes after that: full[s] at +8s (1 arrival: the producer's, with the
// stage's bytes), empty[s] at 32 + 8s (256 arrivals: every computing
// thread), and at 64 a spare one the first K tile's arrivals go to.
// CHECK-LABEL: func.func @wide
// CHECK-DAG:   %[[BDESC:.*]] = arith.constant 4611686293338849280 : i64
// CHECK-DAG:   %[[ADESC:.*]] = arith.constant 4611686293305360384 : i64
// CHECK:       %[[ACAST:.*]] = memref.cast %arg0 : memref<256x128xbf16> to memref<*xbf16>
// CHECK-NEXT:  %[[AMAP:.*]] = nvgpu.tma.create.descriptor %[[ACAST]] box[%c128, %c64] : memref<*xbf16> -> <tensor = memref<128x64xbf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
// CHECK-NEXT:  %[[APTR:.*]] = builtin.unrealized_conversion_cast %[[AMAP]] : {{.*}} to !llvm.ptr
// CHECK-NEXT:  %[[BCAST:.*]] = memref.cast %arg1 : memref<128x512xbf16> to memref<*xbf16>
// CHECK-NEXT:  %[[BMAP:.*]] = nvgpu.tma.create.descriptor %[[BCAST]] box[%c64, %c64] : memref<*xbf16> -> <tensor = memref<64x64xbf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
// CHECK-NEXT:  %[[BPTR:.*]] = builtin.unrealized_conversion_cast %[[BMAP]] : {{.*}} to !llvm.ptr
// CHECK-NEXT:  gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c2, {{.*}} = %c1) threads(%[[TID:[^,]*]], {{.*}}) in ({{.*}} = %c384, {{.*}} = %c1, {{.*}} = %c1) dynamic_shared_memory_size %c197704_i32 {
// CHECK:         %[[AS:.*]] = memref.view {{.*}} to memref<32768xbf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[BOFF:.*]] = arith.addi %{{.*}}, %c65536 : index
// CHECK-NEXT:    %[[BS:.*]] = memref.view {{.*}}[%[[BOFF]]][] : {{.*}} to memref<65572xbf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[M0:.*]] = arith.muli %{{.*}}, %c128 : index
// CHECK-NEXT:    %[[N0:.*]] = arith.muli %{{.*}}, %c256 : index
// CHECK-NEXT:    %[[APTRI:.*]] = memref.extract_aligned_pointer_as_index %[[AS]]
// CHECK-NEXT:    %[[ABASE:.*]] = arith.index_castui %[[APTRI]] : index to i64
// CHECK-NEXT:    %[[BPTRI:.*]] = memref.extract_aligned_pointer_as_index %[[BS]]
// CHECK-NEXT:    %[[BBASE:.*]] = arith.index_castui %[[BPTRI]] : index to i64
// CHECK-NEXT:    %[[BARRIERS:.*]] = arith.addi %[[BBASE]], %c131072_i64 : i64
// CHECK-NEXT:    %[[WG:.*]] = arith.divui %[[TID]], %c128 : index
// CHECK-NEXT:    %[[FIRST:.*]] = arith.cmpi eq, %[[TID]], %c0 : index
// CHECK-NEXT:    scf.if %[[FIRST]] {
// CHECK-NEXT:      %[[FULL0:.*]] = llvm.inttoptr %[[BARRIERS]] : i64 to !llvm.ptr<3>
// CHECK-NEXT:      nvvm.mbarrier.init %[[FULL0]], %c1_i32
// CHECK-NEXT:      arith.addi %[[BBASE]], %c131104_i64
// CHECK-NEXT:      llvm.inttoptr
// CHECK-NEXT:      nvvm.mbarrier.init %{{.*}}, %c256_i32
// CHECK-COUNT-6: nvvm.mbarrier.init
// CHECK-NEXT:      arith.addi %[[BBASE]], %c131136_i64
// CHECK-NEXT:      llvm.inttoptr
// CHECK-NEXT:      nvvm.mbarrier.init %{{.*}}, %c256_i32
// CHECK-NEXT:      nvvm.fence.mbarrier.init
// CHECK-NEXT:    }
// CHECK-NEXT:    gpu.barrier
// CHECK-NEXT:    %[[PRODUCER:.*]] = arith.cmpi eq, %[[WG]], %c0 : index
// CHECK-NEXT:    scf.if %[[PRODUCER]] {
// CHECK-NEXT:      nvvm.setmaxregister  decrease 40
// CHECK-NEXT:      scf.if %[[FIRST]] {
// K = 128: 2 K tiles. Tile kt waits for empty[kt % 4] in phase parity
// (kt / 4 + 1) % 2 (the phase before the first: complete on a new
// barrier), sets full[kt % 4] to expect 16384 + 32768 bytes, and loads
// A at (k, m) = (64 kt, m0) into A's stage and B at (n0 + 64 j, 64 kt),
// j = 0..3, into the stage's 4 boxes of 8192 bytes.
// CHECK-NEXT:        scf.for %[[KT:.*]] = %c0 to %c2 step %c1 {
// CHECK-NEXT:          %[[STAGE:.*]] = arith.remui %[[KT]], %c4 : index
// CHECK-NEXT:          %[[ROUND:.*]] = arith.divui %[[KT]], %c4 : index
// CHECK-NEXT:          %[[EMPTYI:.*]] = arith.addi %[[STAGE]], %c4 : index
// CHECK:               %[[EMPTY:.*]] = llvm.inttoptr
// CHECK-NEXT:          %[[NEXT:.*]] = arith.addi %[[ROUND]], %c1 : index
// CHECK-NEXT:          %[[PAR:.*]] = arith.remui %[[NEXT]], %c2 : index
// CHECK-NEXT:          %[[PAR32:.*]] = arith.index_castui %[[PAR]] : index to i32
// CHECK-NEXT:          nvvm.mbarrier.try_wait.parity %[[EMPTY]], %[[PAR32]], %c10000000_i32
// CHECK:               %[[FULL:.*]] = llvm.inttoptr
// CHECK-NEXT:          nvvm.mbarrier.arrive.expect_tx %[[FULL]], %c49152_i32
// CHECK-NEXT:          %[[K0:.*]] = arith.muli %[[KT]], %c64 : index
// CHECK-NEXT:          %[[K032:.*]] = arith.index_castui %[[K0]] : index to i32
// CHECK-NEXT:          %[[M032:.*]] = arith.index_castui %[[M0]] : index to i32
// CHECK-NEXT:          arith.muli %[[STAGE]], %c16384 : index
// CHECK:               %[[ADST:.*]] = llvm.addrspacecast %{{.*}} : !llvm.ptr<3> to !llvm.ptr<7>
// CHECK-NEXT:          nvvm.cp.async.bulk.tensor.shared.cluster.global %[[ADST]], %[[APTR]], %[[FULL]], box[%[[K032]], %[[M032]]]
// CHECK-NEXT:          %[[N032:.*]] = arith.index_castui %[[N0]] : index to i32
// CHECK-NEXT:          arith.muli %[[STAGE]], %c32768 : index
// CHECK:               nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BPTR]], %[[FULL]], box[%[[N032]], %[[K032]]]
// CHECK-NEXT:          arith.addi %[[N0]], %c64 : index
// CHECK:               arith.addi %{{.*}}, %c8192_i64 : i64
// CHECK:               nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BPTR]], %[[FULL]]
// CHECK:               arith.addi %{{.*}}, %c16384_i64 : i64
// CHECK:               nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BPTR]], %[[FULL]]
// CHECK:               arith.addi %{{.*}}, %c24576_i64 : i64
// CHECK:               nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BPTR]], %[[FULL]]
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// The computing warpgroups: warpgroup w has rows 64 (w - 1).. of the
// tile (A's stage + 8192 (w - 1) bytes). Tile kt waits for full[kt % 4]
// in phase parity (kt / 4) % 2, issues 4 wgmma m64n256k16 (A's descriptor
// as in wgmma-swizzled.mlir; B's boxes: LBO the next box, 8192 bytes
// (512 << 16), SBO one atom (64 << 32): 2^62 + 64 * 2^32 + 512 * 2^16; a
// k16 step 2048 bytes into B), waits for all but the newest group and
// arrives on empty[(kt - 1) % 4], the first tile on the spare barrier (8).
// The loop carries that barrier's index (a condition on kt > 0 would have
// LLVM peel the first iteration, putting the accumulators' zeros between
// a wgmma.fence and the wgmma: ptxas-tma.mlir).
// CHECK-NEXT:    } else {
// CHECK-NEXT:      nvvm.setmaxregister  increase 232
// CHECK-NEXT:      %[[CONSUMER:.*]] = arith.subi %[[WG]], %c1 : index
// CHECK:           scf.for %[[CKT:.*]] = %c0 to %c2 step %c1 iter_args(%{{.*}} = %{{.*}}, %[[ARRIVEAT:.*]] = %c8)
// CHECK-NEXT:        %[[CSTAGE:.*]] = arith.remui %[[CKT]], %c4 : index
// CHECK-NEXT:        %[[CROUND:.*]] = arith.divui %[[CKT]], %c4 : index
// CHECK-NEXT:        arith.muli %[[CSTAGE]], %c8 : index
// CHECK-NEXT:        arith.index_castui
// CHECK-NEXT:        arith.addi %[[BARRIERS]]
// CHECK-NEXT:        %[[CFULL:.*]] = llvm.inttoptr
// CHECK-NEXT:        %[[CPAR:.*]] = arith.remui %[[CROUND]], %c2 : index
// CHECK-NEXT:        %[[CPAR32:.*]] = arith.index_castui %[[CPAR]] : index to i32
// CHECK-NEXT:        nvvm.mbarrier.try_wait.parity %[[CFULL]], %[[CPAR32]], %c10000000_i32
// CHECK-NEXT:        arith.muli %[[CONSUMER]], %c8192 : index
// CHECK:             nvvm.wgmma.fence.aligned
// CHECK:             arith.ori %{{.*}}, %[[BDESC]] : i64
// CHECK:             arith.ori %{{.*}}, %[[ADESC]] : i64
// CHECK-NEXT:        nvvm.wgmma.mma_async {{.*}} <m = 64, n = 256, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>]
// CHECK:             arith.addi %{{.*}}, %c2048_i64 : i64
// CHECK-COUNT-3:     nvvm.wgmma.mma_async
// CHECK-NEXT:        nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:        nvvm.wgmma.wait.group.sync.aligned 1
// CHECK-NEXT:        arith.muli %[[ARRIVEAT]], %c8 : index
// CHECK:             %[[PEMPTY:.*]] = llvm.inttoptr
// CHECK-NEXT:        nvvm.mbarrier.arrive %[[PEMPTY]] : !llvm.ptr<3>
// CHECK-NEXT:        %[[THISEMPTY:.*]] = arith.addi %[[CSTAGE]], %c4 : index
// CHECK-NEXT:        scf.yield %{{.*}}, %[[THISEMPTY]] :
// CHECK:           llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 0;"
// CHECK-COUNT-128: memref.store {{.*}} : memref<256x512xf32>
// CHECK-NOT:       memref.store
// CHECK:           }
// CHECK-NEXT:      gpu.terminator
func.func @wide(%a: memref<256x128xbf16>, %b: memref<128x512xbf16>, %c: memref<256x512xf32>) {
  linalg.matmul ins(%a, %b : memref<256x128xbf16>, memref<128x512xbf16>) outs(%c : memref<256x512xf32>)
  return
}

// @ragged_batched: 3 x 40 x 96 by 3 x 96 x 64 into f16, from a +0 fill
// (absorbed). Tiles of 128 x 64 (none wider fills the 4 SMs), grid
// (1, 1, 3). The maps are 3-D with boxes of one batch; the box of A's 128
// rows reaches past its 40 and the second K tile past K = 96: TMA writes
// zeros there and the stage's bytes still count whole, 16384 + 8192. The
// coordinates (innermost first) end in the batch: A's (64 kt, 0, z), B's
// (0, 64 kt, z). 4 stages of 8192 + 4096 halves, 72 bytes of barriers and
// 1 KiB: 99400 bytes.
// CHECK-LABEL: func.func @ragged_batched
// CHECK-NOT:   linalg.fill
// CHECK:       nvgpu.tma.create.descriptor %{{.*}} box[%c1, %c128, %c64] : memref<*xf16> -> <tensor = memref<1x128x64xf16, #gpu.address_space<workgroup>>
// CHECK:       nvgpu.tma.create.descriptor %{{.*}} box[%c1, %c64, %c64] : memref<*xf16> -> <tensor = memref<1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK:       gpu.launch blocks(%{{.*}}, %{{.*}}, %[[Z:[^)]*]]) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c3) threads({{.*}}) in ({{.*}} = %c384, {{.*}} = %c1, {{.*}} = %c1) dynamic_shared_memory_size %c99400_i32 {
// CHECK:         nvvm.mbarrier.arrive.expect_tx %[[FULL:.*]], %c24576_i32
// CHECK:         %[[K:.*]] = arith.index_castui %{{.*}} : index to i32
// CHECK:         %[[Z32:.*]] = arith.index_castui %[[Z]] : index to i32
// CHECK:         nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[FULL]], box[%[[K]], %c0_i32, %[[Z32]]]
// CHECK:         nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[FULL]], box[%c0_i32, %[[K]], %[[Z32]]]
// CHECK-NOT:     nvvm.cp.async.bulk.tensor
// CHECK:         nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <row>]
func.func @ragged_batched(%a: memref<3x40x96xf16>, %b: memref<3x96x64xf16>, %c: memref<3x40x64xf16>) {
  %zero = arith.constant 0.0 : f16
  linalg.fill ins(%zero : f16) outs(%c : memref<3x40x64xf16>)
  linalg.batch_matmul ins(%a, %b : memref<3x40x96xf16>, memref<3x96x64xf16>) outs(%c : memref<3x40x64xf16>)
  return
}

// NO-SWIZZLE: error: the sm_90a GEMM kernel cannot take its shape: the TMA loads take the 128-byte swizzled layouts (wgmma_swizzle 1) (tile N 256: one of those chosen per matmul)
