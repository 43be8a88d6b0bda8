// RUN: fungible-opt %s --wl-lower=target=tpu-v5p | FileCheck %s --check-prefix=V5P
// RUN: fungible-opt %s --wl-lower=target=tpu-v6e | FileCheck %s --check-prefix=V6E
// RUN: fungible-opt %s --wl-lower="target=tpu-small target-specs=%S/Inputs/tpu-small-vmem.json" | FileCheck %s --check-prefix=SMALL

// The mxu programs wl-lower writes for a TPU, with tile sizes worked out by
// hand (chooseMxuGemmTiling): tile edges at most T, the largest multiple of
// the MXU dimension D with (2 * 2 * in + 4 + out) * T^2 <= VMEM bytes
// (out = 0 when the output is the f32 accumulator itself); M (padded to 8)
// in the fewest blocks, balanced; N and K (padded to D) in the block count
// that pads least.

// 200x300 @ 300x100 bf16 -> bf16. v5p: 64 MB VMEM, D = 128:
// sqrt(64e6 / 14) = 2138 -> T = 2048; tm = 200, tn = 128, tk = 384: one K
// step. v6e: 128 MB VMEM, D = 256: tn = 256, tk = 512.
// V5P-LABEL: func.func @mm_bf16
// V5P-SAME: mxu.vmem_bytes = 64000000
// V5P-DAG: %[[A:.*]] = mxu.vmem_alloc : memref<2x200x384xbf16>
// V5P-DAG: %[[B:.*]] = mxu.vmem_alloc : memref<2x384x128xbf16>
// V5P-DAG: %[[ACC:.*]] = mxu.vmem_alloc : memref<1x200x128xf32>
// V5P-DAG: %[[OUT:.*]] = mxu.vmem_alloc : memref<1x200x128xbf16>
// The zero fill of the output became a zeroed accumulator. One tile
// each way and one K step: canonicalisation folds the loops away.
// V5P-NOT: linalg.fill
// V5P-NOT: scf.for
// V5P: mxu.vpu outs(%[[ACC]][%c0] : memref<1x200x128xf32>)
// V5P: mxu.dma_load %arg0[%c0, %c0] -> %[[A]][%c0]
// V5P: mxu.dma_load %arg1[%c0, %c0] -> %[[B]][%c0]
// V5P: mxu.dma_wait %[[A]][%c0]
// V5P: mxu.dma_wait %[[B]][%c0]
// V5P: mxu.matmul %[[A]][%c0], %[[B]][%c0] -> %[[ACC]][%c0] {dim = 128 : i64}
// V5P: mxu.vpu ins(%[[ACC]] : memref<1x200x128xf32>) slots(%c0) outs(%[[OUT]][%c0] : memref<1x200x128xbf16>)
// V5P: arith.truncf
// V5P: mxu.dma_store %[[OUT]][%c0] -> %{{.*}}[%c0, %c0]
// V5P: mxu.dma_wait %[[OUT]][%c0]
// V5P-NEXT: return
// V6E-LABEL: func.func @mm_bf16
// V6E-DAG: mxu.vmem_alloc : memref<2x200x512xbf16>
// V6E-DAG: mxu.vmem_alloc : memref<2x512x256xbf16>
// V6E: mxu.matmul {{.*}} {dim = 256 : i64}
func.func @mm_bf16(%a: tensor<200x300xbf16>, %b: tensor<300x100xbf16>) -> tensor<200x100xbf16> {
  %c = wl.matmul %a, %b : (tensor<200x300xbf16>, tensor<300x100xbf16>) -> tensor<200x100xbf16>
  return %c : tensor<200x100xbf16>
}

// 1 MB of VMEM, f32: sqrt(1e6 / 20) = 223 -> T = 128. 200x300 @ 300x260:
// M in 2 balanced blocks of 104 rows, N (384) in 3 tiles of 128, 3 K steps
// (300 pads to 384). The DMA of
// step s + 1 goes into the other slot before step s's matmul: 2 loads
// before the K loop, 2 in it, under `if s + 1 < 3`; one store per output
// tile.
// SMALL-LABEL: func.func @mm_f32
// SMALL-SAME: mxu.vmem_bytes = 1000000
// SMALL-DAG: %[[A:.*]] = mxu.vmem_alloc : memref<2x104x128xf32>
// SMALL-DAG: %[[B:.*]] = mxu.vmem_alloc : memref<2x128x128xf32>
// SMALL-DAG: %[[ACC:.*]] = mxu.vmem_alloc : memref<1x104x128xf32>
// SMALL: scf.for %[[I:.*]] = %c0 to %c200 step %c104
// SMALL: scf.for %[[J:.*]] = %c0 to %c260 step %c128
// SMALL: mxu.dma_load %arg0[%[[I]], %c0] -> %[[A]][%c0]
// SMALL: mxu.dma_load %arg1[%c0, %[[J]]] -> %[[B]][%c0]
// SMALL: scf.for %[[S:.*]] = %c0 to %c3 step %c1
// SMALL: %[[SLOT:.*]] = arith.remui %[[S]], %c2
// SMALL: %[[NEXT:.*]] = arith.addi %[[S]], %c1
// SMALL: %[[MORE:.*]] = arith.cmpi ult, %[[NEXT]], %c3
// SMALL: scf.if %[[MORE]]
// SMALL: %[[OTHER:.*]] = arith.subi %c1, %[[SLOT]]
// SMALL: %[[K0:.*]] = arith.muli %[[NEXT]], %c128
// SMALL: mxu.dma_load %arg0[%[[I]], %[[K0]]] -> %[[A]][%[[OTHER]]]
// SMALL: mxu.dma_load %arg1[%[[K0]], %[[J]]] -> %[[B]][%[[OTHER]]]
// SMALL: mxu.dma_wait %[[A]][%[[SLOT]]]
// SMALL: mxu.dma_wait %[[B]][%[[SLOT]]]
// SMALL: mxu.matmul %[[A]][%[[SLOT]]], %[[B]][%[[SLOT]]] -> %[[ACC]][%c0]
// SMALL: mxu.dma_store %[[ACC]][%c0] -> %{{.*}}[%[[I]], %[[J]]]
// SMALL-NOT: mxu.dma_load
// SMALL-LABEL: func.func @add
func.func @mm_f32(%a: tensor<200x300xf32>, %b: tensor<300x260xf32>) -> tensor<200x260xf32> {
  %c = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  return %c : tensor<200x260xf32>
}

// Elementwise: 4x10x300 viewed as 40 rows x 300 lanes; one tile of
// 40 x 384 (rows to a multiple of 8, lanes of 128). Inputs and the output
// double-buffered; the VPU body is the op's scalar body.
// SMALL: memref.collapse_shape %arg0 {{\[}}[0, 1], [2]] : memref<4x10x300xf32> into memref<40x300xf32>
// SMALL-COUNT-3: mxu.vmem_alloc : memref<2x40x384xf32>
// SMALL: mxu.vpu ins(%{{.*}}, %{{.*}} : memref<2x40x384xf32>, memref<2x40x384xf32>)
// SMALL-NEXT: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32):
// SMALL-NEXT: arith.addf %[[X]], %[[Y]] : f32
func.func @add(%a: tensor<4x10x300xf32>, %b: tensor<4x10x300xf32>) -> tensor<4x10x300xf32> {
  %c = wl.add %a, %b : (tensor<4x10x300xf32>, tensor<4x10x300xf32>) -> tensor<4x10x300xf32>
  return %c : tensor<4x10x300xf32>
}

// A row sum, its zero fill and its fold, is one program (a row chain,
// RowPrograms.cpp): the 16 rows of 256 come in as one tile, the VPU zeroes
// the sums' tile (16 x 128: each row's sum in lane 0), mxu.reduce folds
// each row's 256 lanes into it, and lane 0 is stored into the 16 x 1 view
// of the result (the DMA clips the other lanes).
// V5P-LABEL: func.func @reduce
// V5P-NOT: linalg.
// V5P: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<16xf32>
// V5P: %[[COL:.*]] = memref.expand_shape %[[OUT]] {{\[\[}}0, 1]] output_shape [16, 1]
// V5P: %[[SUM:.*]] = mxu.vmem_alloc : memref<1x16x128xf32>
// V5P: %[[X:.*]] = mxu.vmem_alloc : memref<1x16x256xf32>
// V5P: mxu.dma_load %arg0[%c0, %c0] -> %[[X]][%c0]
// V5P: mxu.vpu outs(%[[SUM]][%c0] : memref<1x16x128xf32>)
// V5P-NEXT: mxu.yield %{{.*}} : f32
// V5P: mxu.reduce ins(%[[X]] : memref<1x16x256xf32>) slots(%c0) outs(%[[SUM]][%c0] : memref<1x16x128xf32>) count(%c256)
// V5P-NEXT: ^bb0(%[[A:.*]]: f32, %[[ACC:.*]]: f32):
// V5P-NEXT: arith.addf %[[A]], %[[ACC]] : f32
// V5P: mxu.dma_store %[[SUM]][%c0] -> %[[COL]][%c0, %c0]
// V5P-NOT: linalg.
// V5P: return
func.func @reduce(%a: tensor<16x256xf32>) -> tensor<16xf32> {
  %c = wl.reduce sum %a dims = [1] : tensor<16x256xf32> -> tensor<16xf32>
  return %c : tensor<16xf32>
}

// A matmul's epilogue (#17 item 1): the elementwise ops after it, fused
// into one op on tensors, take the product's tiles in VMEM as one VPU op
// before the one store: one program. Operands read through broadcasts come
// in by DMA from stride-0 views: the bias row (strides 0, 1), the scale
// column (1, 0); the residual as it is. Tiles as mm_f32's on the small
// spec: 104 x 128. (Several ops, one after another: epilogue-chain.mlir.)
// SMALL-LABEL: func.func @mm_epilogue
// SMALL-DAG: %[[BIAS:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [200, 260], strides: [0, 1]
// SMALL-DAG: %[[SCALE:.*]] = memref.reinterpret_cast %arg3 to offset: [0], sizes: [200, 260], strides: [1, 0]
// SMALL-DAG: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<200x260xf32>
// SMALL-NOT: linalg.
// SMALL:     mxu.matmul {{.*}} -> %[[ACC:.*]][%c0]
// SMALL:     mxu.dma_load %[[BIAS]][%arg5, %arg6] -> %[[BT:.*]][%c0]
// SMALL:     mxu.dma_load %[[SCALE]][%arg5, %arg6] -> %[[ST:.*]][%c0]
// SMALL:     mxu.dma_load %arg4[%arg5, %arg6] -> %[[RT:.*]][%c0]
// SMALL:     mxu.vpu ins(%[[ACC]], %[[BT]], %[[ST]], %[[RT]] :
// SMALL:       arith.addf
// SMALL:       arith.mulf
// SMALL:       math.tanh
// SMALL:     mxu.dma_store %{{.*}}[%c0] -> %[[OUT]][%arg5, %arg6]
// SMALL-NOT: mxu.dma_store
// SMALL-NOT: linalg.
// SMALL:     return %[[OUT]]
func.func @mm_epilogue(%a: tensor<200x300xf32>, %b: tensor<300x260xf32>, %bias: tensor<260xf32>, %scale: tensor<200x1xf32>, %res: tensor<200x260xf32>) -> tensor<200x260xf32> {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  %1 = wl.add %0, %bias : (tensor<200x260xf32>, tensor<260xf32>) -> tensor<200x260xf32>
  %2 = wl.mul %1, %scale : (tensor<200x260xf32>, tensor<200x1xf32>) -> tensor<200x260xf32>
  %3 = wl.gelu %2 {approximate} : tensor<200x260xf32>
  %4 = wl.add %3, %res : (tensor<200x260xf32>, tensor<200x260xf32>) -> tensor<200x260xf32>
  return %4 : tensor<200x260xf32>
}

// A product the function also returns is stored as it is, and the bias add
// stays an op of its own.
// SMALL-LABEL: func.func @mm_product_returned
// SMALL:     mxu.matmul
// SMALL:     mxu.dma_store
// SMALL:     linalg.generic
// SMALL:       arith.addf
func.func @mm_product_returned(%a: tensor<200x300xf32>, %b: tensor<300x260xf32>, %bias: tensor<260xf32>) -> (tensor<200x260xf32>, tensor<200x260xf32>) {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  %1 = wl.add %0, %bias : (tensor<200x260xf32>, tensor<260xf32>) -> tensor<200x260xf32>
  return %0, %1 : tensor<200x260xf32>, tensor<200x260xf32>
}

// A convolution is an implicit GEMM on the MXU (#17 item 1), one program
// with its epilogue: the output rows of one image row (OW = 8: tm = 8)
// by the filters (tn = 128), a K step per filter tap (3 x 3 = 9 steps of
// tk = 128 over C = 5). Tap (kh, kw)'s A tile is the window of the input
// at row 2 oh + kh - 1, columns 2 ow + kw - 1: a view of every other
// column (stride 2), from column (kw - 1) mod 2, read from column
// ow + (kw - 1) div 2 of it. The first step's is column -1 of the odd
// columns: the left padding, read as zeros. No padded copy of the input
// is made; the bias and ReLU run on the tile in VMEM.
// V5P-LABEL: func.func @conv_s2
// V5P-NOT: linalg.
// V5P-NOT: memref.copy
// V5P: %[[BIAS:.*]] = memref.reinterpret_cast {{.*}} strides: [0, 0, 0, 1]
// V5P: %[[A:.*]] = mxu.vmem_alloc : memref<2x8x128xf32>
// V5P: %[[B:.*]] = mxu.vmem_alloc : memref<2x128x128xf32>
// V5P: %[[ACC:.*]] = mxu.vmem_alloc : memref<1x8x128xf32>
// V5P: scf.for %[[N:.*]] = %c0 to %c2
// V5P: scf.for %[[OH:.*]] = %c0 to %c9
// V5P: %[[ODD:.*]] = memref.subview %arg0[0, 0, 1, 0] [2, 17, 7, 5] [1, 1, 2, 1]
// V5P: mxu.dma_load %{{.*}}[%[[N]], %{{.*}}, %c-1, %c0] -> %[[A]][%c0]
// V5P: mxu.dma_load %arg1[%c0, %c0, %c0, %c0] -> %[[B]][%c0]
// V5P: scf.for %{{.*}} = %c0 to %c9 step %c1
// V5P: memref.subview %arg0[0, 0, %{{.*}}, 0] [2, 17, %{{.*}}, 5] [1, 1, 2, 1]
// V5P: mxu.matmul %[[A]][%{{.*}}], %[[B]][%{{.*}}] -> %[[ACC]][%c0]
// V5P: mxu.dma_load %[[BIAS]][%[[N]], %[[OH]], %c0, %c0]
// V5P: mxu.vpu ins(%[[ACC]], %{{.*}} :
// V5P:   arith.maximumf
// V5P: mxu.dma_store %{{.*}}[%c0] -> %{{.*}}[%[[N]], %[[OH]], %c0, %c0]
// V5P-NOT: linalg.
// V5P: return
func.func @conv_s2(%x: tensor<2x17x15x5xf32>, %w: tensor<3x3x5x7xf32>, %bias: tensor<7xf32>) -> tensor<2x9x8x7xf32> {
  %y = wl.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<2x17x15x5xf32>, tensor<3x3x5x7xf32>) -> tensor<2x9x8x7xf32>
  %b = wl.reshape %bias : tensor<7xf32> -> tensor<1x1x1x7xf32>
  %z = wl.add %y, %b : (tensor<2x9x8x7xf32>, tensor<1x1x1x7xf32>) -> tensor<2x9x8x7xf32>
  %r = wl.relu %z : tensor<2x9x8x7xf32>
  return %r : tensor<2x9x8x7xf32>
}

// A padded input the function also returns is made (fill and copy), and
// the convolution reads it as it is.
// V5P-LABEL: func.func @conv_padded_returned
// V5P: %[[P:.*]] = memref.alloc() {{.*}} : memref<1x8x8x4xf32>
// V5P: linalg.map outs(%[[P]]
// V5P: memref.copy %arg0
// V5P: mxu.dma_load %[[P]][%c0, %{{.*}}, %c0, %c0]
// V5P: mxu.matmul
// V5P: return %[[P]]
func.func @conv_padded_returned(%x: tensor<1x6x6x4xf32>, %w: tensor<3x3x4x8xf32>) -> (tensor<1x8x8x4xf32>, tensor<1x6x6x8xf32>) {
  %p = wl.pad %x low = [0, 1, 1, 0] high = [0, 1, 1, 0] : tensor<1x6x6x4xf32> -> tensor<1x8x8x4xf32>
  %y = wl.conv2d %p, %w : (tensor<1x8x8x4xf32>, tensor<3x3x4x8xf32>) -> tensor<1x6x6x8xf32>
  return %p, %y : tensor<1x8x8x4xf32>, tensor<1x6x6x8xf32>
}

// A depthwise convolution is a fold over its 9 taps on the VPU, one
// program with its epilogue (#17 item 1): per output tile (the 7 pixels
// of an image row, padded to 8 sublanes, by the 130 channels in 256
// lanes), the accumulator starts from the fill's zero and takes, per tap,
// one fused multiply-add of the tap's input window (a strided view, as a
// convolution's) and its weights, the same in every row: a view of the
// filter with row stride 0. Pipelined as a matmul's K loop.
// V5P-LABEL: func.func @depthwise
// V5P-NOT: linalg.
// V5P: %[[W:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [3, 3, 8, 130], strides: [390, 130, 0, 1]
// V5P: %[[X:.*]] = mxu.vmem_alloc : memref<2x8x256xf32>
// V5P: %[[WT:.*]] = mxu.vmem_alloc : memref<2x8x256xf32>
// V5P: %[[ACC:.*]] = mxu.vmem_alloc : memref<1x8x256xf32>
// V5P: scf.for %[[OH:.*]] = %c0 to %c8
// V5P: mxu.vpu outs(%[[ACC]][%c0]
// V5P: mxu.dma_load %[[W]][%c0, %c0, %c0, %c0] -> %[[WT]][%c0]
// V5P: scf.for %{{.*}} = %c0 to %c9
// V5P: mxu.dma_load %[[W]][%{{.*}}, %{{.*}}, %c0, %c0] -> %[[WT]]
// V5P: mxu.vpu ins(%[[ACC]], %[[X]], %[[WT]] : {{.*}} outs(%[[ACC]][%c0]
// V5P-NEXT: ^bb0(%[[A:.*]]: f32, %[[XV:.*]]: f32, %[[WV:.*]]: f32):
// V5P-NEXT: math.fma %[[XV]], %[[WV]], %[[A]] : f32
// V5P: mxu.vpu ins(%[[ACC]] :
// V5P: arith.maximumf
// V5P: mxu.dma_store %{{.*}}[%c0] -> %{{.*}}[%c0, %[[OH]], %c0, %c0]
// V5P-NOT: linalg.
// V5P: return
func.func @depthwise(%x: tensor<1x15x13x130xf32>, %w: tensor<3x3x1x130xf32>) -> tensor<1x8x7x130xf32> {
  %0 = wl.conv2d %x, %w {groups = 130 : i64, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x15x13x130xf32>, tensor<3x3x1x130xf32>) -> tensor<1x8x7x130xf32>
  %zero = arith.constant dense<0.0> : tensor<f32>
  %1 = wl.max %0, %zero : (tensor<1x8x7x130xf32>, tensor<f32>) -> tensor<1x8x7x130xf32>
  return %1 : tensor<1x8x7x130xf32>
}

// Layout copies done by the program's DMAs (#17 item 1). A product split
// into 4 heads of 64 (reshape + transpose) is stored straight into the
// heads: each 128-wide column tile j0 meets heads j0 div 64 up to
// ceil((j0 + 128) / 64), and head h is the 200 x 64 view at offset
// h * 200 * 64 of the result, written from column j0 - 64 h of the tile
// (the DMA clips the rest). No product buffer, no transpose.
// SMALL-LABEL: func.func @heads
// SMALL-NOT: linalg.
// SMALL: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<4x200x64xf32>
// SMALL: %[[ACC:.*]] = mxu.vmem_alloc : memref<1x104x128xf32>
// SMALL: scf.for %[[I:.*]] = %c0 to %c200 step %c104
// SMALL: scf.for %[[J:.*]] = %c0 to %c256 step %c128
// SMALL: mxu.matmul
// SMALL: %[[F:.*]] = arith.floordivsi %[[J]], %c64
// SMALL: %[[FIRST:.*]] = arith.maxsi %[[F]], %c0
// SMALL: %[[E:.*]] = arith.addi %[[J]], %c128
// SMALL: %[[C:.*]] = arith.ceildivsi %[[E]], %c64
// SMALL: %[[END:.*]] = arith.minsi %[[C]], %c4
// SMALL: scf.for %[[H:.*]] = %[[FIRST]] to %[[END]] step %c1
// SMALL: %[[OFF:.*]] = arith.muli %[[H]], %c12800
// SMALL: %[[HC:.*]] = arith.muli %[[H]], %c64
// SMALL: %[[COL:.*]] = arith.subi %[[J]], %[[HC]]
// SMALL: %[[HEAD:.*]] = memref.reinterpret_cast %[[OUT]] to offset: [%[[OFF]]], sizes: [200, 64], strides: [64, 1]
// SMALL: mxu.dma_store %[[ACC]][%c0] -> %[[HEAD]][%[[I]], %[[COL]]]
// SMALL-NOT: linalg.
// SMALL: return %[[OUT]]
func.func @heads(%a: tensor<200x300xf32>, %b: tensor<300x256xf32>) -> tensor<4x200x64xf32> {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x256xf32>) -> tensor<200x256xf32>
  %1 = wl.reshape %0 : tensor<200x256xf32> -> tensor<200x4x64xf32>
  %2 = wl.transpose %1 perm = [1, 0, 2] : tensor<200x4x64xf32> -> tensor<4x200x64xf32>
  return %2 : tensor<4x200x64xf32>
}

// A product the function also returns is stored as it is, and transposed
// by a copy of its own.
// SMALL-LABEL: func.func @heads_returned
// SMALL: mxu.dma_store %{{.*}} -> %[[P:.*]][%{{.*}}, %{{.*}}] : memref<1x104x128xf32>, memref<200x256xf32>
// SMALL: %[[V:.*]] = memref.expand_shape %[[P]]
// SMALL: linalg.transpose ins(%[[V]]
func.func @heads_returned(%a: tensor<200x300xf32>, %b: tensor<300x256xf32>) -> (tensor<200x256xf32>, tensor<4x200x64xf32>) {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x256xf32>) -> tensor<200x256xf32>
  %1 = wl.reshape %0 : tensor<200x256xf32> -> tensor<200x4x64xf32>
  %2 = wl.transpose %1 perm = [1, 0, 2] : tensor<200x4x64xf32> -> tensor<4x200x64xf32>
  return %0, %2 : tensor<200x256xf32>, tensor<4x200x64xf32>
}

// B stored N x K (transpose_rhs): its K x N tiles are DMA'd from the
// transposed view of the argument, not from a transposed copy.
// SMALL-LABEL: func.func @mm_transposed_b
// SMALL-NOT: linalg.
// SMALL: %[[BT:.*]] = memref.transpose %arg1 (d0, d1) -> (d1, d0) : memref<150x300xf32> to memref<300x150xf32, strided<[1, 300]>>
// SMALL: mxu.dma_load %[[BT]][%c0, %{{.*}}] -> %{{.*}}[%c0]
// SMALL: mxu.matmul
// SMALL-NOT: linalg.
// SMALL: return
func.func @mm_transposed_b(%a: tensor<200x300xf32>, %b: tensor<150x300xf32>) -> tensor<200x150xf32> {
  %0 = wl.matmul %a, %b {transpose_rhs} : (tensor<200x300xf32>, tensor<150x300xf32>) -> tensor<200x150xf32>
  return %0 : tensor<200x150xf32>
}

// A convolution's result transposed to NCHW: the output tile of image row
// oh (9 pixels by 128 filters) is stored to the 9 x 130 view of the
// result at offset 9 oh with strides [1, 81] (a pixel steps 1, a filter
// a whole 9 x 9 plane).
// SMALL-LABEL: func.func @conv_nchw
// SMALL-NOT: linalg.
// SMALL: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<1x130x9x9xf32>
// SMALL: scf.for %[[OH:.*]] = %c0 to %c9 step %c1
// SMALL: scf.for %[[F:.*]] = %c0 to %c130 step %c128
// SMALL: mxu.matmul
// SMALL: %[[OFF:.*]] = arith.muli %[[OH]], %c9
// SMALL: %[[V:.*]] = memref.reinterpret_cast %[[OUT]] to offset: [%[[OFF]]], sizes: [9, 130], strides: [1, 81]
// SMALL: mxu.dma_store %{{.*}}[%c0] -> %[[V]][%c0, %[[F]]]
// SMALL-NOT: linalg.
// SMALL: return %[[OUT]]
func.func @conv_nchw(%x: tensor<1x9x9x6xf32>, %w: tensor<3x3x6x130xf32>) -> tensor<1x130x9x9xf32> {
  %0 = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x9x9x6xf32>, tensor<3x3x6x130xf32>) -> tensor<1x9x9x130xf32>
  %1 = wl.transpose %0 perm = [0, 3, 1, 2] : tensor<1x9x9x130xf32> -> tensor<1x130x9x9xf32>
  return %1 : tensor<1x130x9x9xf32>
}

// Attention scores scaled, given a unit dimension and masked: the mask add
// runs over 3 x 1 x 40 x 50, a reshape of the product's 3 x 40 x 50, and
// still applies to the product's tile in VMEM. The mask comes in through
// a view with the product's shape (stride 0 along the batch), and the
// tile is stored into the 4-D result collapsed to the product's shape.
// SMALL-LABEL: func.func @masked_scores
// SMALL-NOT: linalg.
// SMALL: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<3x1x40x50xf32>
// SMALL: %[[MASK:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [3, 40, 50], strides: [0, 50, 1]
// SMALL: %[[O3:.*]] = memref.collapse_shape %[[OUT]] {{\[\[}}0], [1, 2], [3]]
// SMALL: scf.for %[[B:.*]] = %c0 to %c3
// SMALL: mxu.matmul
// SMALL: mxu.vpu
// SMALL:   arith.mulf
// SMALL: mxu.dma_load %[[MASK]][%[[B]], %c0, %c0]
// SMALL: mxu.vpu
// SMALL:   arith.addf
// SMALL: mxu.dma_store %{{.*}}[%c0] -> %[[O3]][%[[B]], %c0, %c0]
// SMALL-NOT: linalg.
// SMALL: return %[[OUT]]
func.func @masked_scores(%p: tensor<3x40x200xf32>, %k: tensor<3x200x50xf32>, %mask: tensor<40x50xf32>) -> tensor<3x1x40x50xf32> {
  %0 = wl.batch_matmul %p, %k : (tensor<3x40x200xf32>, tensor<3x200x50xf32>) -> tensor<3x40x50xf32>
  %scale = arith.constant dense<0.125> : tensor<f32>
  %1 = wl.mul %0, %scale : (tensor<3x40x50xf32>, tensor<f32>) -> tensor<3x40x50xf32>
  %2 = wl.reshape %1 : tensor<3x40x50xf32> -> tensor<3x1x40x50xf32>
  %3 = wl.add %2, %mask : (tensor<3x1x40x50xf32>, tensor<40x50xf32>) -> tensor<3x1x40x50xf32>
  return %3 : tensor<3x1x40x50xf32>
}

// A squeeze-excitation excitation is one program (#17 item 1): per column
// tile of the 150 gates, the MXU computes the one-row product (8 sublanes,
// row 0 valid); then a broadcast stage runs over the feature map's 300 rows
// in tiles of 256: the bias and the map's tile come in by DMA, and the VPU
// reads the product's row 0 for every row (row_broadcast, a sublane
// broadcast). The gated map is stored through the result collapsed to
// 300 x 150; the gate never goes to HBM.
// SMALL-LABEL: func.func @se_gate
// SMALL-NOT: linalg.
// SMALL: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<1x20x15x150xf32>
// SMALL: %[[MAP:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [300, 150], strides: [150, 1]
// SMALL: %[[O2:.*]] = memref.collapse_shape %[[OUT]] {{\[\[}}0, 1, 2], [3]]
// SMALL: %[[ACC:.*]] = mxu.vmem_alloc : memref<1x8x128xf32>
// SMALL: %[[X:.*]] = mxu.vmem_alloc : memref<1x256x128xf32>
// SMALL: %[[Y:.*]] = mxu.vmem_alloc : memref<1x256x128xf32>
// SMALL: scf.for %[[J:.*]] = %c0 to %c150 step %c128
// SMALL: mxu.matmul {{.*}} -> %[[ACC]][%c0]
// SMALL: scf.for %[[R:.*]] = %c0 to %c300 step %c256
// SMALL: mxu.dma_load %[[MAP]][%[[R]], %[[J]]] -> %[[X]][%c0]
// SMALL: mxu.vpu ins(%[[ACC]], %[[X]] : {{.*}} outs(%[[Y]][%c0]
// SMALL: math.exp
// SMALL: } {row_broadcast = array<i64: 0>}
// SMALL: mxu.dma_store %[[Y]][%c0] -> %[[O2]][%[[R]], %[[J]]]
// SMALL-NOT: linalg.
// SMALL: return %[[OUT]]
func.func @se_gate(%s: tensor<1x1x1x40xf32>, %w: tensor<1x1x40x150xf32>, %x: tensor<1x20x15x150xf32>) -> tensor<1x20x15x150xf32> {
  %g = wl.conv2d %s, %w : (tensor<1x1x1x40xf32>, tensor<1x1x40x150xf32>) -> tensor<1x1x1x150xf32>
  %sig = wl.sigmoid %g : tensor<1x1x1x150xf32>
  %y = wl.mul %sig, %x : (tensor<1x1x1x150xf32>, tensor<1x20x15x150xf32>) -> tensor<1x20x15x150xf32>
  return %y : tensor<1x20x15x150xf32>
}

// A softmax is one program (#17 item 1): per tile of 64 of the 300 rows
// (1000 columns in 1024 lanes), the row max and the row sum are folded
// across the lanes into lane 0 of their tiles (mxu.reduce), and the VPU
// reads them at lane 0 for every lane (lane_broadcast). Only the result is
// stored.
// SMALL-LABEL: func.func @softmax
// SMALL-NOT: linalg.
// SMALL: scf.for %[[R:.*]] = %c0 to %c300 step %c64
// SMALL: mxu.dma_load %arg0[%[[R]], %c0] -> %[[X:.*]][%c0] : memref<300x1000xf32>, memref<1x64x1024xf32>
// SMALL: mxu.vpu outs(%[[MAX:.*]][%c0] : memref<1x64x128xf32>)
// SMALL: mxu.reduce ins(%[[X]] : {{.*}}) slots(%c0) outs(%[[MAX]][%c0] : memref<1x64x128xf32>) count(%c1000)
// SMALL: arith.maximumf
// SMALL: mxu.vpu ins(%[[X]], %[[MAX]] : {{.*}}) slots(%c0, %c0) outs(%[[E:.*]][%c0]
// SMALL: math.exp
// SMALL: } {lane_broadcast = array<i64: 1>}
// SMALL: mxu.reduce ins(%[[E]] : {{.*}}) slots(%c0) outs(%[[SUM:.*]][%c0] : memref<1x64x128xf32>) count(%c1000)
// SMALL: arith.addf
// SMALL: mxu.vpu ins(%[[E]], %[[SUM]] : {{.*}}) slots(%c0, %c0) outs(%[[Y:.*]][%c0]
// SMALL: arith.divf
// SMALL: } {lane_broadcast = array<i64: 1>}
// SMALL: mxu.dma_store %[[Y]][%c0] -> %{{.*}}[%[[R]], %c0]
// SMALL-NOT: mxu.dma_store
// SMALL-NOT: linalg.
// SMALL: return
func.func @softmax(%x: tensor<300x1000xf32>) -> tensor<300x1000xf32> {
  %0 = wl.softmax %x axis = 1 : tensor<300x1000xf32>
  return %0 : tensor<300x1000xf32>
}

// A max pool with padding is one program: its padded copy (filled with
// -inf) is absorbed, and the window's DMAs read -inf outside the input.
// V5P-LABEL: func.func @max_pool_padded
// V5P-NOT: linalg.
// V5P-NOT: memref.copy
// V5P: mxu.dma_load %{{.*}}[%c0, %{{.*}}, %c-1, %c0] -> %{{.*}}[%c0] {padding = 0xFF800000 : f32}
// V5P: arith.maximumf
// V5P-NOT: linalg.
// V5P: return
func.func @max_pool_padded(%y: tensor<1x14x14x24xf32>) -> tensor<1x7x7x24xf32> {
  %0 = wl.pool2d max %y {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x14x14x24xf32> -> tensor<1x7x7x24xf32>
  return %0 : tensor<1x7x7x24xf32>
}

// GPT-2's causal attention with its heads merged after it is one program:
// per head and tile of 256 query rows, Q's tile comes in (K^T, a
// transposed view of K, and V with the head's first tile), the MXU makes
// the f32 scores of every key, the VPU scales
// and masks them (the row offset by the tile's, mxu.iota), the softmax
// runs on the tiles, its probabilities are the A tile of the product with
// V, and the output tile is stored straight into the merged heads. The
// scores never reach HBM.
// V5P-LABEL: func.func @attention_causal
// V5P-NOT: linalg.
// V5P: %[[KT:.*]] = memref.transpose %arg1
// V5P: memref.alloca_scope
// V5P: scf.for %[[H:.*]] = %c0 to %c12
// V5P: scf.for %[[R:.*]] = %c0 to %c1024 step %c256
// V5P: %[[FIRST:.*]] = arith.cmpi eq, %[[R]], %c0 : index
// V5P: scf.if %[[FIRST]] {
// V5P-NEXT: mxu.dma_load %[[KT]][%[[H]], %c0, %c0] -> %[[K:.*]][%c0] : {{.*}}, memref<1x128x1024xf32>
// V5P: mxu.dma_load %arg0[%[[H]], %[[R]], %c0] -> %[[Q:.*]][%c0] : memref<12x1024x64xf32>, memref<1x256x128xf32>
// V5P: mxu.matmul %[[Q]][%c0], %[[K]][%c0] -> %[[S:.*]][%c0] {dim = 128 : i64} : memref<1x256x128xf32>, memref<1x128x1024xf32>, memref<1x256x1024xf32>
// V5P: mxu.vpu ins(%[[S]] : memref<1x256x1024xf32>)
// V5P: %[[ROW:.*]] = mxu.iota {dimension = 0 : i64}
// V5P: %[[I:.*]] = arith.addi %[[R]], %[[ROW]] : index
// V5P: %[[J:.*]] = mxu.iota {dimension = 1 : i64}
// V5P: arith.cmpi ugt, %[[J]], %[[I]] : index
// V5P: mxu.reduce {{.*}} count(%c1024)
// V5P: arith.maximumf
// V5P: math.exp
// V5P: mxu.reduce {{.*}} count(%c1024)
// V5P: arith.divf
// V5P: } {lane_broadcast = array<i64: 1>}
// V5P: scf.if %[[FIRST]] {
// V5P-NEXT: mxu.dma_load %arg2[%[[H]], %c0, %c0] -> %[[V:.*]][%c0] : memref<12x1024x64xf32>, memref<1x1024x128xf32>
// V5P: mxu.matmul %{{.*}}[%c0], %[[V]][%c0] -> %[[O:.*]][%c0] {dim = 128 : i64} : memref<1x256x1024xf32>, memref<1x1024x128xf32>, memref<1x256x128xf32>
// V5P: memref.reinterpret_cast %{{.*}} sizes: [1024, 64], strides: [768, 1]
// V5P: mxu.dma_store %[[O]][%c0]
// V5P-NOT: mxu.dma_store
// V5P-NOT: linalg.
// V5P: return
func.func @attention_causal(%q: tensor<12x1024x64xf32>, %k: tensor<12x1024x64xf32>, %v: tensor<12x1024x64xf32>) -> tensor<1024x768xf32> {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<12x1024x64xf32>, tensor<12x1024x64xf32>, tensor<12x1024x64xf32>) -> tensor<12x1024x64xf32>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<12x1024x64xf32> -> tensor<1024x12x64xf32>
  %2 = wl.reshape %1 : tensor<1024x12x64xf32> -> tensor<1024x768xf32>
  return %2 : tensor<1024x768xf32>
}

// The same in bf16: Q's and K^T's tiles are bf16 into f32 scores, the
// mask and softmax are f32, the softmax's last step rounds into the bf16
// A tile of the product with V, and the store rounds the f32 output once.
// Still one program.
// V5P-LABEL: func.func @attention_bf16
// V5P-NOT: linalg.
// V5P: scf.for %[[R:.*]] = %c0 to %c1024 step %c256
// V5P: mxu.matmul %[[Q:.*]][%c0], %[[K:.*]][%c0] -> %[[S:.*]][%c0] {dim = 128 : i64} : memref<1x256x128xbf16>, memref<1x128x1024xbf16>, memref<1x256x1024xf32>
// V5P: mxu.vpu {{.*}} outs(%[[P:.*]][%c0] : memref<1x256x1024xbf16>)
// V5P: arith.divf
// V5P-NEXT: arith.truncf %{{.*}} : f32 to bf16
// V5P: mxu.matmul %[[P]][%c0], %[[V:.*]][%c0] -> %[[O:.*]][%c0] {dim = 128 : i64} : memref<1x256x1024xbf16>, memref<1x1024x128xbf16>, memref<1x256x128xf32>
// V5P-NEXT: mxu.vpu ins(%[[O]] : memref<1x256x128xf32>) slots(%c0) outs(%[[OUT:.*]][%c0] : memref<1x256x128xbf16>)
// V5P: mxu.dma_store %[[OUT]][%c0]
// V5P-NOT: mxu.dma_store
// V5P-NOT: linalg.
// V5P: return
func.func @attention_bf16(%q: tensor<12x1024x64xbf16>, %k: tensor<12x1024x64xbf16>, %v: tensor<12x1024x64xbf16>) -> tensor<1024x768xbf16> {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<12x1024x64xbf16>, tensor<12x1024x64xbf16>, tensor<12x1024x64xbf16>) -> tensor<12x1024x64xbf16>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<12x1024x64xbf16> -> tensor<1024x12x64xbf16>
  %2 = wl.reshape %1 : tensor<1024x12x64xbf16> -> tensor<1024x768xbf16>
  return %2 : tensor<1024x768xbf16>
}

// GPT-2's attention with its mask passed as an argument (1024 x 1024,
// broadcast over the heads): the same program, the mask's tile read
// beside Q's through a view over the scores' shape (stride 0 along the
// heads) and added on the VPU.
// V5P-LABEL: func.func @attention_mask
// V5P-NOT: linalg.
// V5P: %[[M:.*]] = memref.reinterpret_cast %arg3 to offset: [0], sizes: [12, 1024, 1024], strides: [0, 1024, 1]
// V5P: memref.alloca_scope
// V5P: scf.for %[[H:.*]] = %c0 to %c12
// V5P: scf.for %[[R:.*]] = %c0 to %c1024 step %c256
// V5P: mxu.dma_load %arg0[%[[H]], %[[R]], %c0] -> %[[Q:.*]][%c0]
// V5P-NEXT: mxu.dma_load %[[M]][%[[H]], %[[R]], %c0] -> %[[MT:.*]][%c0] : memref<12x1024x1024xf32, strided<[0, 1024, 1]>>, memref<1x256x1024xf32>
// V5P: mxu.matmul %[[Q]][%c0], %{{.*}} -> %[[S:.*]][%c0]
// V5P-NEXT: mxu.vpu ins(%[[S]], %[[MT]] : memref<1x256x1024xf32>, memref<1x256x1024xf32>)
// V5P-NEXT: ^bb0(%[[SV:.*]]: f32, %[[MV:.*]]: f32):
// V5P: %[[SC:.*]] = arith.mulf %[[SV]], %{{.*}} : f32
// V5P-NEXT: arith.addf %[[SC]], %[[MV]] : f32
// V5P: math.exp
// V5P: mxu.dma_store
// V5P-NOT: mxu.dma_store
// V5P-NOT: linalg.
// V5P: return
func.func @attention_mask(%q: tensor<12x1024x64xf32>, %k: tensor<12x1024x64xf32>, %v: tensor<12x1024x64xf32>, %m: tensor<1024x1024xf32>) -> tensor<1024x768xf32> {
  %0 = wl.attention %q, %k, %v mask %m {scale = 1.250000e-01 : f64} : (tensor<12x1024x64xf32>, tensor<12x1024x64xf32>, tensor<12x1024x64xf32>, tensor<1024x1024xf32>) -> tensor<12x1024x64xf32>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<12x1024x64xf32> -> tensor<1024x12x64xf32>
  %2 = wl.reshape %1 : tensor<1024x12x64xf32> -> tensor<1024x768xf32>
  return %2 : tensor<1024x768xf32>
}

// Grouped-query attention (2 query heads of 40 rows per key/value head,
// folded into 80 rows) with a mask all heads share: it repeats every 40
// rows, so the row tiles are 40 (the largest multiple of 8 dividing 40),
// not 80, and the mask's tile is read at the row modulo 40. One program.
// V5P-LABEL: func.func @gqa_short_heads
// V5P-NOT: linalg.
// V5P: scf.for %[[R:.*]] = %c0 to %c80 step %c40
// V5P: mxu.dma_load {{.*}}[{{.*}}, %[[R]], %c0] {{.*}} : memref<2x80x16xf32>, memref<1x40x128xf32>
// V5P: arith.remui %[[R]], %c40
// V5P: mxu.dma_store
// V5P-NOT: mxu.dma_store
// V5P-NOT: linalg.
// V5P: return
func.func @gqa_short_heads(%q: tensor<2x2x40x16xf32>, %k: tensor<2x1x48x16xf32>, %v: tensor<2x1x48x16xf32>, %m: tensor<40x48xf32>) -> tensor<2x2x40x16xf32> {
  %0 = wl.attention %q, %k, %v mask %m : (tensor<2x2x40x16xf32>, tensor<2x1x48x16xf32>, tensor<2x1x48x16xf32>, tensor<40x48xf32>) -> tensor<2x2x40x16xf32>
  return %0 : tensor<2x2x40x16xf32>
}

// BERT's padding mask [2, 1, 1, 48] over 2 x 3 heads: the heads fold into
// a batch of 6, and the mask's tile is read through a view with stride 0
// along the queries at the batch index divided by 3. One program.
// V5P-LABEL: func.func @padding_mask
// V5P-NOT: linalg.
// V5P: %[[M:.*]] = memref.reinterpret_cast %arg3 to offset: [0], sizes: [6, 40, 48], strides: [48, 0, 1]
// V5P: scf.for %[[H:.*]] = %c0 to %c6
// V5P: %[[B:.*]] = arith.divui %[[H]], %c3
// V5P: mxu.dma_load %[[M]][%[[B]], %{{.*}}, %c0]
// V5P: mxu.dma_store
// V5P-NOT: mxu.dma_store
// V5P-NOT: linalg.
// V5P: return
func.func @padding_mask(%q: tensor<2x3x40x16xf32>, %k: tensor<2x3x48x16xf32>, %v: tensor<2x3x48x16xf32>, %m: tensor<2x1x1x48xf32>) -> tensor<2x3x40x16xf32> {
  %0 = wl.attention %q, %k, %v mask %m : (tensor<2x3x40x16xf32>, tensor<2x3x48x16xf32>, tensor<2x3x48x16xf32>, tensor<2x1x1x48xf32>) -> tensor<2x3x40x16xf32>
  return %0 : tensor<2x3x40x16xf32>
}

// Probabilities read after the product with V (returned) must reach HBM:
// no attention program; the scores, the softmax (storing them) and the
// product with V are three programs.
// V5P-LABEL: func.func @probabilities_returned
// V5P-COUNT-3: memref.alloca_scope
// V5P-NOT: memref.alloca_scope
// V5P: return
func.func @probabilities_returned(%q: tensor<2x256x64xf32>, %kt: tensor<2x64x256xf32>, %v: tensor<2x256x64xf32>) -> (tensor<2x256x64xf32>, tensor<2x256x256xf32>) {
  %s = wl.batch_matmul %q, %kt : (tensor<2x256x64xf32>, tensor<2x64x256xf32>) -> tensor<2x256x256xf32>
  %p = wl.softmax %s axis = 2 : tensor<2x256x256xf32>
  %o = wl.batch_matmul %p, %v : (tensor<2x256x256xf32>, tensor<2x256x64xf32>) -> tensor<2x256x64xf32>
  return %o, %p : tensor<2x256x64xf32>, tensor<2x256x256xf32>
}

// The same without the probabilities returned, written out as an importer
// would (no wl.attention, no mask): one program (the function's only op,
// so the canonicalizer inlines its scope), whose one store is the output.
// V5P-LABEL: func.func @softmax_between_products
// V5P-NOT: linalg.
// V5P: mxu.matmul {{.*}} : memref<1x256x128xf32>, memref<1x128x256xf32>, memref<1x256x256xf32>
// V5P: mxu.reduce
// V5P: math.exp
// V5P: mxu.matmul {{.*}} : memref<1x256x256xf32>, memref<1x256x128xf32>, memref<1x256x128xf32>
// V5P: mxu.dma_store {{.*}} : memref<1x256x128xf32>, memref<2x256x64xf32>
// V5P-NOT: mxu.dma_store
// V5P-NOT: linalg.
// V5P: return
func.func @softmax_between_products(%q: tensor<2x256x64xf32>, %kt: tensor<2x64x256xf32>, %v: tensor<2x256x64xf32>) -> tensor<2x256x64xf32> {
  %s = wl.batch_matmul %q, %kt : (tensor<2x256x64xf32>, tensor<2x64x256xf32>) -> tensor<2x256x256xf32>
  %p = wl.softmax %s axis = 2 : tensor<2x256x256xf32>
  %o = wl.batch_matmul %p, %v : (tensor<2x256x256xf32>, tensor<2x256x64xf32>) -> tensor<2x256x64xf32>
  return %o : tensor<2x256x64xf32>
}
