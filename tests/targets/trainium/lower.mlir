// RUN: fungible-opt %s --wl-lower=target=trn2 | FileCheck %s

// The neuron programs wl-lower writes for Trainium. Tiles worked out by
// hand from the NeuronCore limits (shared/HARDWARE.md, A2): output tiles of
// at most 128 (stationary free) x 512 (moving free, one PSUM bank), K in
// steps of at most 128 partitions.

// 200x300 @ 300x600 bf16: M tiles 128 (2 of them, the second 72 rows),
// N tiles 512 (2, the second 88), K steps of 128: 3 (128 + 128 + 44).
// CHECK-LABEL: func.func @mm_bf16
// CHECK-SAME: neuron.sbuf_partition_bytes = 229376
// CHECK-DAG: %[[ST:.*]] = neuron.sbuf_alloc : memref<128x128xbf16>
// CHECK-DAG: %[[MV:.*]] = neuron.sbuf_alloc : memref<128x512xbf16>
// CHECK-DAG: %[[PS:.*]] = neuron.psum_alloc : memref<128x512xf32>
// CHECK-DAG: %[[OUT:.*]] = neuron.sbuf_alloc : memref<128x512xbf16>
// The zero fill became the first matmul's start flag: no load of C.
// CHECK-NOT: linalg.fill
// CHECK: scf.for %[[I:.*]] = %c0 to %c200 step %c128
// CHECK: scf.for %[[J:.*]] = %c0 to %c600 step %c512
// CHECK: scf.for %[[K:.*]] = %c0 to %c3 step %c1
// CHECK: %[[K0:.*]] = arith.muli %[[K]], %c128
// A DMA may overwrite the tiles only once the previous matmul read them.
// CHECK: neuron.wait sync on 1
// CHECK: neuron.dma_load %arg0[%[[I]], %[[K0]]] -> %[[ST]] {signal = 0 : i64, transpose}
// CHECK: neuron.dma_load %arg1[%[[K0]], %[[J]]] -> %[[MV]] {signal = 0 : i64}
// CHECK: neuron.wait tensor on 0
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[K]], %c0
// CHECK: neuron.matmul %[[ST]], %[[MV]] -> %[[PS]] start(%[[FIRST]]) {signal = 1 : i64}
// CHECK: }
// CHECK: neuron.wait vector on 1
// CHECK: neuron.wait vector on 2
// CHECK: neuron.elementwise vector ins(%[[PS]] : memref<128x512xf32>) outs(%[[OUT]] : memref<128x512xbf16>)
// CHECK: arith.truncf
// CHECK: {signal = 1 : i64}
// CHECK: neuron.wait sync on 1
// CHECK: neuron.dma_store %[[OUT]] -> %{{.*}}[%[[I]], %[[J]]] {signal = 2 : i64}
func.func @mm_bf16(%a: tensor<200x300xbf16>, %b: tensor<300x600xbf16>) -> tensor<200x600xbf16> {
  %c = wl.matmul %a, %b : (tensor<200x300xbf16>, tensor<300x600xbf16>) -> tensor<200x600xbf16>
  return %c : tensor<200x600xbf16>
}

// A batch matmul loops over the batch around the same program.
// CHECK-LABEL: func.func @bmm
// CHECK: scf.for %[[B:.*]] = %c0 to %c4 step %c1
// CHECK: neuron.dma_load %arg0[%[[B]], %{{.*}}, %{{.*}}] -> %{{.*}} {signal = 0 : i64, transpose} : memref<4x64x96xf32>, memref<96x64xf32>
// CHECK: neuron.matmul {{.*}} : memref<96x64xf32>, memref<96x32xf32>, memref<64x32xf32>
func.func @bmm(%a: tensor<4x64x96xf32>, %b: tensor<4x96x32xf32>) -> tensor<4x64x32xf32> {
  %c = wl.batch_matmul %a, %b : (tensor<4x64x96xf32>, tensor<4x96x32xf32>) -> tensor<4x64x32xf32>
  return %c : tensor<4x64x32xf32>
}

// Elementwise: 300x3000 as 128-partition tiles of 2048 columns (3 x 2
// tiles). The multiply and the tanh are one op after
// fungible-fuse-elementwise-producers, on the Scalar (activation) engine
// since it calls a transcendental; arithmetic alone runs on the Vector
// engine (@bias_add below).
// CHECK-LABEL: func.func @gelu_like
// CHECK: scf.for %{{.*}} = %c0 to %c300 step %c128
// CHECK: scf.for %{{.*}} = %c0 to %c3000 step %c2048
// CHECK: neuron.elementwise scalar ins(%{{.*}} : memref<128x2048xf32>) outs(%{{.*}} : memref<128x2048xf32>)
// CHECK: arith.mulf
// CHECK: math.tanh
// CHECK-NOT: neuron.elementwise
func.func @gelu_like(%a: tensor<300x3000xf32>) -> tensor<300x3000xf32> {
  %m = wl.mul %a, %a : (tensor<300x3000xf32>, tensor<300x3000xf32>) -> tensor<300x3000xf32>
  %t = wl.tanh %m : tensor<300x3000xf32>
  return %t : tensor<300x3000xf32>
}

// Softmax over rows of 1000 (RowPrograms.cpp): one program, rows on the
// partitions (300 = 128 + 128 + 44), each row tile's 1000 columns loaded
// once; the -inf and zero starts are Vector-engine fills of 128x1 columns,
// the max and the sum row folds into them, exp(x - max) on the Scalar
// engine and the division on the Vector engine read them as per-partition
// columns; only the result is stored. Every step waits for the DMAs, the
// steps before it and the last row tile's store.
// CHECK-LABEL: func.func @softmax
// CHECK-DAG:  %[[MAX:.*]] = neuron.sbuf_alloc : memref<128x1xf32>
// CHECK-DAG:  %[[SUM:.*]] = neuron.sbuf_alloc : memref<128x1xf32>
// CHECK-DAG:  %[[X:.*]] = neuron.sbuf_alloc : memref<128x1000xf32>
// CHECK-NOT:  neuron.dma
// CHECK:      scf.for %[[R:.*]] = %c0 to %c300 step %c128
// CHECK-NEXT:   neuron.wait sync on 1
// CHECK-NEXT:   neuron.dma_load %arg0[%[[R]], %c0] -> %[[X]] {signal = 0 : i64} : memref<300x1000xf32>, memref<128x1000xf32>
// CHECK-NEXT:   neuron.wait vector on 0
// CHECK-NEXT:   neuron.wait vector on 1
// CHECK-NEXT:   neuron.wait vector on 2
// CHECK-NEXT:   neuron.elementwise vector outs(%[[MAX]] : memref<128x1xf32>)
// CHECK:        neuron.reduce vector ins(%[[X]] : memref<128x1000xf32>) outs(%[[MAX]] : memref<128x1xf32>) count(%c1000) {
// CHECK-NEXT:   ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT:     %[[M:.*]] = arith.maximumf %[[IN]], %[[ACC]] : f32
// CHECK-NEXT:     neuron.yield %[[M]] : f32
// CHECK-NEXT:   } {signal = 1 : i64}
// CHECK-NEXT:   neuron.wait scalar on 0
// CHECK-NEXT:   neuron.wait scalar on 1
// CHECK-NEXT:   neuron.wait scalar on 2
// CHECK-NEXT:   neuron.elementwise scalar ins(%[[X]], %[[MAX]] : memref<128x1000xf32>, memref<128x1xf32>) outs(%[[E:.*]] : memref<128x1000xf32>)
// CHECK:          arith.subf
// CHECK:          math.exp
// CHECK:        neuron.elementwise vector outs(%[[SUM]] : memref<128x1xf32>)
// CHECK:        neuron.reduce vector ins(%[[E]] : memref<128x1000xf32>) outs(%[[SUM]] : memref<128x1xf32>) count(%c1000)
// CHECK:          arith.addf
// CHECK:        neuron.elementwise vector ins(%[[E]], %[[SUM]] : memref<128x1000xf32>, memref<128x1xf32>) outs(%[[Y:.*]] : memref<128x1000xf32>)
// CHECK:          arith.divf
// CHECK:        neuron.wait sync on 1
// CHECK-NEXT:   neuron.dma_store %[[Y]] -> %{{.*}}[%[[R]], %c0] {signal = 2 : i64} : memref<128x1000xf32>, memref<300x1000xf32>
// CHECK-NEXT: }
// CHECK-NOT:  neuron.
// CHECK-NOT:  linalg.
// CHECK:      return
func.func @softmax(%x: tensor<300x1000xf32>) -> tensor<300x1000xf32> {
  %0 = wl.softmax %x axis = 1 : tensor<300x1000xf32>
  return %0 : tensor<300x1000xf32>
}

// A fold too wide for whole rows in SBUF (60000 f32 columns: 240000 bytes
// per partition, over trn2's 229376) is a program of its own, over column
// tiles of 2048 and a ragged 608 folded through a shorter access pattern:
// count = min(60000 - c, 2048).
// CHECK-LABEL: func.func @row_sum
// CHECK:      scf.for %[[C:.*]] = %c0 to %c60000 step %c2048
// CHECK:        %[[LEFT:.*]] = arith.subi %c60000, %[[C]] : index
// CHECK-NEXT:   %[[COUNT:.*]] = arith.minsi %[[LEFT]], %c2048 : index
// CHECK:        neuron.reduce vector ins(%{{.*}} : memref<128x2048xf32>) outs(%{{.*}} : memref<128x1xf32>) count(%[[COUNT]])
func.func @row_sum(%x: tensor<200x60000xf32>) -> tensor<200xf32> {
  %0 = wl.reduce sum %x dims = [1] : tensor<200x60000xf32> -> tensor<200xf32>
  return %0 : tensor<200xf32>
}

// A bias row (one value per column) is DMA'd into all 128 partitions of a
// column tile (`broadcast`, a partition stride of 0), with each of the
// 2048-column tiles of the 3000 columns, and added on the Vector engine.
// CHECK-LABEL: func.func @bias_add
// CHECK:      %[[ROW:.*]] = memref.expand_shape %arg1 {{\[\[}}0, 1]] output_shape [1, 3000] : memref<3000xf32> into memref<1x3000xf32>
// CHECK:      scf.for %[[R:.*]] = %c0 to %c300 step %c128
// CHECK:        scf.for %[[C:.*]] = %c0 to %c3000 step %c2048
// CHECK:          neuron.dma_load %arg0[%[[R]], %[[C]]] -> %[[X:.*]] {signal = 0 : i64} : memref<300x3000xf32>, memref<128x2048xf32>
// CHECK-NEXT:     neuron.dma_load %[[ROW]][%c0, %[[C]]] -> %[[B:.*]] {broadcast, signal = 0 : i64} : memref<1x3000xf32>, memref<128x2048xf32>
// CHECK:          neuron.elementwise vector ins(%[[X]], %[[B]] : memref<128x2048xf32>, memref<128x2048xf32>)
// CHECK:            arith.addf
// CHECK-NOT:  linalg.
// CHECK:      return
func.func @bias_add(%x: tensor<300x3000xf32>, %bias: tensor<3000xf32>) -> tensor<300x3000xf32> {
  %0 = wl.add %x, %bias : (tensor<300x3000xf32>, tensor<3000xf32>) -> tensor<300x3000xf32>
  return %0 : tensor<300x3000xf32>
}

// A matmul's epilogue (#17 item 1): the elementwise ops after it, fused
// into one op on tensors, run on the product's SBUF tile before its one
// store: one program. It reads the f32 PSUM bank itself; the bias row
// comes in through a partition-stride-0 view (strides 0, 1), the per-row
// scale as a 128x1 per-partition column, the residual as it is; GELU's
// tanh puts it on the Scalar engine. (A chain of several ops, each on its
// engine: epilogue-chain.mlir.)
// CHECK-LABEL: func.func @mm_epilogue
// CHECK-DAG: %[[BIAS:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [200, 260], strides: [0, 1]
// CHECK-DAG: %[[SCALE:.*]] = memref.reinterpret_cast %arg3 to offset: [0], sizes: [200, 260], strides: [1, 0]
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<200x260xf32>
// CHECK-DAG: %[[PS:.*]] = neuron.psum_alloc : memref<128x260xf32>
// CHECK-DAG: %[[COL:.*]] = neuron.sbuf_alloc : memref<128x1xf32>
// CHECK-NOT: linalg.
// CHECK:     neuron.matmul
// CHECK:     neuron.wait sync on 1
// CHECK:     neuron.dma_load %[[BIAS]][%[[I:.*]], %c0] -> %[[BT:.*]] {signal = 0 : i64}
// CHECK:     neuron.dma_load %[[SCALE]][%[[I]], %c0] -> %[[COL]]
// CHECK:     neuron.dma_load %arg4[%[[I]], %c0] -> %[[RT:.*]] {signal = 0 : i64}
// CHECK:     neuron.wait scalar on 0
// CHECK:     neuron.wait scalar on 1
// CHECK:     neuron.wait scalar on 2
// CHECK:     neuron.elementwise scalar ins(%[[PS]], %[[BT]], %[[COL]], %[[RT]] : memref<128x260xf32>, memref<128x260xf32>, memref<128x1xf32>, memref<128x260xf32>)
// CHECK:       arith.addf
// CHECK:       arith.mulf
// CHECK:       math.tanh
// CHECK:     neuron.dma_store %{{.*}} -> %[[OUT]][%[[I]], %c0] {signal = 2 : i64}
// CHECK-NOT: neuron.dma_store
// CHECK-NOT: linalg.
// CHECK:     return %[[OUT]]
func.func @mm_epilogue(%a: tensor<200x300xf32>, %b: tensor<300x260xf32>, %bias: tensor<260xf32>, %scale: tensor<200x1xf32>, %res: tensor<200x260xf32>) -> tensor<200x260xf32> {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  %1 = wl.add %0, %bias : (tensor<200x260xf32>, tensor<260xf32>) -> tensor<200x260xf32>
  %2 = wl.mul %1, %scale : (tensor<200x260xf32>, tensor<200x1xf32>) -> tensor<200x260xf32>
  %3 = wl.gelu %2 {approximate} : tensor<200x260xf32>
  %4 = wl.add %3, %res : (tensor<200x260xf32>, tensor<200x260xf32>) -> tensor<200x260xf32>
  return %4 : tensor<200x260xf32>
}

// A bf16 product is rounded into SBUF first (the epilogue computes on the
// rounded values, as the separate ops would), then the bias is added.
// CHECK-LABEL: func.func @mm_bf16_bias
// CHECK:     neuron.matmul
// CHECK:     neuron.elementwise vector ins(%{{.*}} : memref<128x512xf32>) outs(%[[R:.*]] : memref<128x512xbf16>)
// CHECK:       arith.truncf
// CHECK:     neuron.elementwise vector ins(%[[R]], %{{.*}} : memref<128x512xbf16>, memref<128x512xbf16>)
// CHECK:     neuron.dma_store
// CHECK-NOT: neuron.dma_store
// CHECK-NOT: linalg.
func.func @mm_bf16_bias(%a: tensor<200x300xbf16>, %b: tensor<300x600xbf16>, %bias: tensor<600xbf16>) -> tensor<200x600xbf16> {
  %c = wl.matmul %a, %b : (tensor<200x300xbf16>, tensor<300x600xbf16>) -> tensor<200x600xbf16>
  %d = wl.add %c, %bias : (tensor<200x600xbf16>, tensor<600xbf16>) -> tensor<200x600xbf16>
  return %d : tensor<200x600xbf16>
}

// A product the function also returns is stored as it is, and the bias add
// stays a program of its own.
// CHECK-LABEL: func.func @mm_product_returned
// CHECK:     neuron.matmul
// CHECK:     neuron.dma_store
// CHECK:     neuron.elementwise vector
// CHECK:       arith.addf
func.func @mm_product_returned(%a: tensor<200x300xf32>, %b: tensor<300x260xf32>, %bias: tensor<260xf32>) -> (tensor<200x260xf32>, tensor<200x260xf32>) {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  %1 = wl.add %0, %bias : (tensor<200x260xf32>, tensor<260xf32>) -> tensor<200x260xf32>
  return %0, %1 : tensor<200x260xf32>, tensor<200x260xf32>
}

// A convolution is an implicit GEMM on the TensorEngine (#17 item 1): the
// output pixels of one image row (OW = 8) by the filters, one PSUM
// accumulation group over the 9 filter taps (C = 5 channels each, on 5
// partitions). Each tap's stationary tile is the window of the input it
// reads, DMA'd transposed: every other column (stride 2) from column
// (kw - 1) mod 2, the padding read as zeros outside the input. The bias
// and ReLU run on the Vector engine, reading the PSUM bank.
// CHECK-LABEL: func.func @conv_s2
// CHECK-NOT: linalg.
// CHECK-NOT: memref.copy
// CHECK: %[[ST:.*]] = neuron.sbuf_alloc : memref<5x8xf32>
// CHECK: %[[MV:.*]] = neuron.sbuf_alloc : memref<5x7xf32>
// CHECK: %[[PS:.*]] = neuron.psum_alloc : memref<8x7xf32>
// CHECK: scf.for %[[N:.*]] = %c0 to %c2
// CHECK: scf.for %[[OH:.*]] = %c0 to %c9
// CHECK: scf.for %[[TAP:.*]] = %c0 to %c9
// CHECK: %[[WIN:.*]] = memref.subview %arg0[0, 0, %{{.*}}, 0] [2, 17, %{{.*}}, 5] [1, 1, 2, 1]
// CHECK: neuron.dma_load %[[WIN]][%[[N]], %{{.*}}, %{{.*}}, %c0] -> %[[ST]] {signal = 0 : i64, transpose}
// CHECK: neuron.dma_load %arg1[%{{.*}}, %{{.*}}, %c0, %c0] -> %[[MV]]
// CHECK: %[[START:.*]] = arith.cmpi eq, %[[TAP]], %c0
// CHECK: neuron.matmul %[[ST]], %[[MV]] -> %[[PS]] start(%[[START]])
// CHECK: neuron.elementwise vector ins(%[[PS]], %{{.*}} :
// CHECK:   arith.maximumf
// CHECK: neuron.dma_store %{{.*}} -> %{{.*}}[%[[N]], %[[OH]], %c0, %c0]
// CHECK-NOT: linalg.
// CHECK: return
func.func @conv_s2(%x: tensor<2x17x15x5xf32>, %w: tensor<3x3x5x7xf32>, %bias: tensor<7xf32>) -> tensor<2x9x8x7xf32> {
  %y = wl.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<2x17x15x5xf32>, tensor<3x3x5x7xf32>) -> tensor<2x9x8x7xf32>
  %b = wl.reshape %bias : tensor<7xf32> -> tensor<1x1x1x7xf32>
  %z = wl.add %y, %b : (tensor<2x9x8x7xf32>, tensor<1x1x1x7xf32>) -> tensor<2x9x8x7xf32>
  %r = wl.relu %z : tensor<2x9x8x7xf32>
  return %r : tensor<2x9x8x7xf32>
}

// A product split into 4 heads of 64 (reshape + transpose) is stored
// straight into them (#17 item 1): the one 256-wide column tile meets all
// four; head h is the 200 x 64 view at offset h * 200 * 64 of the result,
// written from column -64 h of the tile (the DMA clips the rest). No
// product buffer, no transpose.
// CHECK-LABEL: func.func @heads
// CHECK-NOT: linalg.
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<4x200x64xf32>
// CHECK: neuron.psum_alloc : memref<128x256xf32>
// CHECK: %[[RES:.*]] = neuron.sbuf_alloc : memref<128x256xf32>
// CHECK: scf.for %[[I:.*]] = %c0 to %c200 step %c128
// CHECK: neuron.matmul
// CHECK: scf.for %[[H:.*]] = %c0 to %c4 step %c1
// CHECK: %[[OFF:.*]] = arith.muli %[[H]], %c12800
// CHECK: %[[HC:.*]] = arith.muli %[[H]], %c64
// CHECK: %[[COL:.*]] = arith.subi %c0, %[[HC]]
// CHECK: %[[HEAD:.*]] = memref.reinterpret_cast %[[OUT]] to offset: [%[[OFF]]], sizes: [200, 64], strides: [64, 1]
// CHECK: neuron.dma_store %[[RES]] -> %[[HEAD]][%[[I]], %[[COL]]] {signal = 2 : i64}
// CHECK-NOT: linalg.
// CHECK: return %[[OUT]]
func.func @heads(%a: tensor<200x300xf32>, %b: tensor<300x256xf32>) -> tensor<4x200x64xf32> {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x256xf32>) -> tensor<200x256xf32>
  %1 = wl.reshape %0 : tensor<200x256xf32> -> tensor<200x4x64xf32>
  %2 = wl.transpose %1 perm = [1, 0, 2] : tensor<200x4x64xf32> -> tensor<4x200x64xf32>
  return %2 : tensor<4x200x64xf32>
}

// A squeeze-excitation excitation is one program (#17 item 1): the gate's
// one-row product leaves the PSUM bank for SBUF, then per tile of 128 of
// the feature map's 300 rows the TensorEngine copies it onto every
// partition (a 1 x 128 row of ones, filled once, as the stationary tile:
// ones^T x gate, exact) and the Scalar engine (it calls math.exp) applies
// the sigmoid and the product with the map's tile, DMA'd in.
// CHECK-LABEL: func.func @se_gate
// CHECK-NOT: linalg.
// CHECK: %[[MAP:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [300, 150], strides: [150, 1]
// CHECK: %[[PS:.*]] = neuron.psum_alloc : memref<1x150xf32>
// CHECK: %[[ROW:.*]] = neuron.sbuf_alloc : memref<1x150xf32>
// CHECK: %[[ONES:.*]] = neuron.sbuf_alloc : memref<1x128xf32>
// CHECK: %[[BANK:.*]] = neuron.psum_alloc : memref<128x150xf32>
// CHECK: neuron.elementwise vector outs(%[[ONES]]
// CHECK-NEXT: neuron.yield %{{.*}} : f32
// CHECK: neuron.matmul %{{.*}}, %{{.*}} -> %[[PS]]
// CHECK: neuron.elementwise vector ins(%[[PS]] : {{.*}} outs(%[[ROW]]
// CHECK: scf.for %[[R:.*]] = %c0 to %c300 step %c128
// CHECK: neuron.dma_load %[[MAP]][%[[R]], %c0] -> %[[X:.*]] {signal = 0 : i64}
// CHECK: neuron.matmul %[[ONES]], %[[ROW]] -> %[[BANK]] start(%true)
// CHECK: neuron.elementwise scalar ins(%[[BANK]], %[[X]] :
// CHECK: math.exp
// CHECK: neuron.dma_store
// CHECK-NOT: linalg.
// CHECK: return
func.func @se_gate(%s: tensor<1x1x1x40xf32>, %w: tensor<1x1x40x150xf32>, %x: tensor<1x20x15x150xf32>) -> tensor<1x20x15x150xf32> {
  %g = wl.conv2d %s, %w : (tensor<1x1x1x40xf32>, tensor<1x1x40x150xf32>) -> tensor<1x1x1x150xf32>
  %sig = wl.sigmoid %g : tensor<1x1x1x150xf32>
  %y = wl.mul %sig, %x : (tensor<1x1x1x150xf32>, tensor<1x20x15x150xf32>) -> tensor<1x20x15x150xf32>
  return %y : tensor<1x20x15x150xf32>
}

// GPT-2's causal attention with its heads merged after it is one program:
// per head and tile of 128 query rows, Q^T comes in (a transposing DMA),
// and with the head's first tile K^T's 8 blocks of 128 keys (DMAs of K's
// transposed view) and V's 8 blocks. Per block the TensorEngine makes the
// block's scores in a PSUM bank and the Vector engine masks them
// (neuron.iota, offset by the tile's row and the block's column) into the
// block's SBUF tile. The softmax runs block by block (the max and the sum
// carried across the blocks), each block of probabilities is transposed
// (neuron.transpose) into a K step of the product with V, and the output
// tile is stored into the merged heads.
// CHECK-LABEL: func.func @attention_causal
// CHECK-NOT: linalg.
// CHECK: %[[KT:.*]] = memref.transpose %arg1
// CHECK: memref.alloca_scope
// CHECK: scf.for %[[H:.*]] = %c0 to %c12
// CHECK: scf.for %[[R:.*]] = %c0 to %c1024 step %c128
// CHECK: neuron.dma_load %arg0[%[[H]], %[[R]], %c0] -> %[[Q:.*]] {signal = 0 : i64, transpose} : memref<12x1024x64xf32>, memref<64x128xf32>
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[R]], %c0 : index
// CHECK: scf.if %[[FIRST]] {
// CHECK-NEXT: neuron.dma_load %[[KT]][%[[H]], %c0, %c0] -> %[[K:.*]] {signal = 0 : i64}
// CHECK-COUNT-7: neuron.dma_load %[[KT]][%[[H]], %c0, %c{{[0-9]+}}]
// CHECK: neuron.matmul %[[Q]], %[[K]] -> %[[S:.*]] start(%true) {{.*}} : memref<64x128xf32>, memref<64x128xf32>, memref<128x128xf32>
// CHECK: neuron.elementwise vector ins(%[[S]] : memref<128x128xf32>)
// CHECK: %[[ROW:.*]] = neuron.iota {dimension = 0 : i64}
// CHECK: %[[I:.*]] = arith.addi %[[R]], %[[ROW]] : index
// CHECK: %[[J:.*]] = neuron.iota {dimension = 1 : i64}
// CHECK: arith.cmpi ugt, %[[J]], %[[I]] : index
// CHECK: neuron.reduce vector ins(%{{.*}} : memref<128x128xf32>) outs(%[[M:.*]] : memref<128x1xf32>) count(%c128)
// CHECK: arith.maximumf
// CHECK-COUNT-7: neuron.reduce vector ins(%{{.*}} : memref<128x128xf32>) outs(%[[M]] : memref<128x1xf32>) count(%c128)
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: neuron.transpose %{{.*}} -> %[[T:.*]] {signal = 1 : i64} : memref<128x128xf32>, memref<128x128xf32>
// CHECK-COUNT-7: neuron.transpose %{{.*}} -> %[[T]]
// CHECK: scf.if %[[FIRST]] {
// CHECK-NEXT: neuron.wait sync on 1
// CHECK-NEXT: neuron.dma_load %arg2[%[[H]], %c0, %c0] -> %[[V:.*]] {signal = 0 : i64} : memref<12x1024x64xf32>, memref<128x64xf32>
// CHECK-COUNT-7: neuron.dma_load %arg2[%[[H]], %c{{[0-9]+}}, %c0]
// CHECK: neuron.matmul %{{.*}}, %[[V]] -> %[[O:.*]] start(%true) {{.*}} : memref<128x128xf32>, memref<128x64xf32>, memref<128x64xf32>
// CHECK-COUNT-7: neuron.matmul %{{.*}}, %{{.*}} -> %[[O]] start(%false)
// CHECK: memref.reinterpret_cast %{{.*}} sizes: [1024, 64], strides: [768, 1]
// CHECK: neuron.dma_store
// CHECK-NOT: neuron.dma_store
// CHECK-NOT: linalg.
// CHECK: return
func.func @attention_causal(%q: tensor<12x1024x64xf32>, %k: tensor<12x1024x64xf32>, %v: tensor<12x1024x64xf32>) -> tensor<1024x768xf32> {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<12x1024x64xf32>, tensor<12x1024x64xf32>, tensor<12x1024x64xf32>) -> tensor<12x1024x64xf32>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<12x1024x64xf32> -> tensor<1024x12x64xf32>
  %2 = wl.reshape %1 : tensor<1024x12x64xf32> -> tensor<1024x768xf32>
  return %2 : tensor<1024x768xf32>
}

// The same in bf16: Q^T's and K^T's tiles bf16 into the f32 PSUM bank, the
// softmax in f32, its last step rounding each block into bf16, the
// TensorEngine transposing the bf16 block into an f32 bank (exact) and the
// Vector engine copying it into a bf16 stationary tile: the product with V
// takes bf16 operands into f32. Still one program.
// CHECK-LABEL: func.func @attention_bf16
// CHECK-NOT: linalg.
// CHECK: neuron.dma_load %arg0[%{{.*}}] -> %[[Q:.*]] {signal = 0 : i64, transpose} : memref<12x1024x64xbf16>, memref<64x128xbf16>
// CHECK: neuron.matmul %[[Q]], %{{.*}} -> %{{.*}} start(%true) {{.*}} : memref<64x128xbf16>, memref<64x128xbf16>, memref<128x128xf32>
// CHECK: neuron.elementwise vector ins(%{{.*}}, %{{.*}} : memref<128x128xf32>, memref<128x1xf32>) outs(%[[P:.*]] : memref<128x128xbf16>)
// CHECK: arith.divf
// CHECK-NEXT: arith.truncf %{{.*}} : f32 to bf16
// CHECK: neuron.transpose %[[P]] -> %[[T:.*]] {signal = 1 : i64} : memref<128x128xbf16>, memref<128x128xf32>
// CHECK: neuron.elementwise vector ins(%[[T]] : memref<128x128xf32>) outs(%[[ST:.*]] : memref<128x128xbf16>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32):
// CHECK-NEXT: arith.truncf %[[X]] : f32 to bf16
// CHECK: neuron.matmul %[[ST]], %{{.*}} -> %[[O:.*]] start(%true) {{.*}} : memref<128x128xbf16>, memref<128x64xbf16>, memref<128x64xf32>
// CHECK: neuron.dma_store
// CHECK-NOT: neuron.dma_store
// CHECK-NOT: linalg.
// CHECK: return
func.func @attention_bf16(%q: tensor<12x1024x64xbf16>, %k: tensor<12x1024x64xbf16>, %v: tensor<12x1024x64xbf16>) -> tensor<1024x768xbf16> {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<12x1024x64xbf16>, tensor<12x1024x64xbf16>, tensor<12x1024x64xbf16>) -> tensor<12x1024x64xbf16>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<12x1024x64xbf16> -> tensor<1024x12x64xbf16>
  %2 = wl.reshape %1 : tensor<1024x12x64xbf16> -> tensor<1024x768xbf16>
  return %2 : tensor<1024x768xbf16>
}

// GPT-2's attention with its mask passed as an argument (broadcast over
// the heads): the same program; each key block's mask tile comes in by
// DMA beside Q's tile (through a view over the scores' shape, stride 0
// along the heads) and the Vector engine adds it to the block's scores.
// CHECK-LABEL: func.func @attention_mask
// CHECK-NOT: linalg.
// CHECK: %[[M:.*]] = memref.reinterpret_cast %arg3 to offset: [0], sizes: [12, 1024, 1024], strides: [0, 1024, 1]
// CHECK: scf.for %[[H:.*]] = %c0 to %c12
// CHECK: scf.for %[[R:.*]] = %c0 to %c1024 step %c128
// CHECK: neuron.dma_load %arg0[%[[H]], %[[R]], %c0] -> %[[Q:.*]] {signal = 0 : i64, transpose}
// CHECK-NEXT: neuron.dma_load %[[M]][%[[H]], %[[R]], %c0] -> %[[M0:.*]] {signal = 0 : i64} : memref<12x1024x1024xf32, strided<[0, 1024, 1]>>, memref<128x128xf32>
// CHECK-NEXT: neuron.dma_load %[[M]][%[[H]], %[[R]], %c128] -> %[[M1:.*]] {signal = 0 : i64}
// CHECK: neuron.matmul %[[Q]], %{{.*}} -> %[[S:.*]] start
// CHECK: neuron.elementwise vector ins(%[[S]], %[[M0]] : memref<128x128xf32>, memref<128x128xf32>)
// CHECK-NEXT: ^bb0(%[[SV:.*]]: f32, %[[MV:.*]]: f32):
// CHECK: %[[SC:.*]] = arith.mulf %[[SV]], %{{.*}} : f32
// CHECK-NEXT: arith.addf %[[SC]], %[[MV]] : f32
// CHECK: neuron.matmul %[[Q]], %{{.*}} -> %[[S]] start
// CHECK: neuron.elementwise vector ins(%[[S]], %[[M1]] : memref<128x128xf32>, memref<128x128xf32>)
// CHECK: neuron.transpose
// CHECK: neuron.dma_store
// CHECK-NOT: linalg.
// CHECK: return
func.func @attention_mask(%q: tensor<12x1024x64xf32>, %k: tensor<12x1024x64xf32>, %v: tensor<12x1024x64xf32>, %m: tensor<1024x1024xf32>) -> tensor<1024x768xf32> {
  %0 = wl.attention %q, %k, %v mask %m {scale = 1.250000e-01 : f64} : (tensor<12x1024x64xf32>, tensor<12x1024x64xf32>, tensor<12x1024x64xf32>, tensor<1024x1024xf32>) -> tensor<12x1024x64xf32>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<12x1024x64xf32> -> tensor<1024x12x64xf32>
  %2 = wl.reshape %1 : tensor<1024x12x64xf32> -> tensor<1024x768xf32>
  return %2 : tensor<1024x768xf32>
}

// Grouped-query scores (Llama's form): the mask, repeated over the two
// query heads folded into the rows, is an epilogue operand whose tile of
// 128 rows lies in one run: read at the row modulo 128. One program (the
// function's only op: the canonicalizer inlines its scope).
// CHECK-LABEL: func.func @gqa_mask
// CHECK: %[[MASK:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [2, 128, 48], strides: [0, 48, 1]
// CHECK: scf.for %[[B:.*]] = %c0 to %c2
// CHECK: scf.for %[[R:.*]] = %c0 to %c256 step %c128
// CHECK: neuron.matmul
// CHECK: %[[IN:.*]] = arith.remui %[[R]], %c128 : index
// CHECK: neuron.dma_load %[[MASK]][%[[B]], %[[IN]], %c0]
// CHECK: arith.addf
// CHECK: neuron.dma_store
// CHECK-NOT: memref.alloca_scope
// CHECK-NOT: linalg.
// CHECK: return
func.func @gqa_mask(%q: tensor<2x256x32xf32>, %k: tensor<2x48x32xf32>, %mask: tensor<128x48xf32>) -> tensor<2x2x128x48xf32> {
  %0 = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x256x32xf32>, tensor<2x48x32xf32>) -> tensor<2x256x48xf32>
  %scale = arith.constant dense<0.125> : tensor<f32>
  %1 = wl.mul %0, %scale : (tensor<2x256x48xf32>, tensor<f32>) -> tensor<2x256x48xf32>
  %2 = wl.reshape %1 : tensor<2x256x48xf32> -> tensor<2x2x128x48xf32>
  %3 = wl.add %2, %mask : (tensor<2x2x128x48xf32>, tensor<128x48xf32>) -> tensor<2x2x128x48xf32>
  return %3 : tensor<2x2x128x48xf32>
}
