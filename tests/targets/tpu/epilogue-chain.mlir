// RUN: fungible-opt %S/../Inputs/epilogue-chain.mlir --fungible-tpu-map-to-mxu | FileCheck %s
//
// A matmul's epilogue of several ops (what fusion on tensors leaves when
// it cannot merge them) runs op after op on the VPU, on the accumulator
// tile in VMEM, before the one store: the bias row by DMA from its
// stride-0 view, the exponential, the residual by DMA.
// CHECK-LABEL: func.func @chain
// CHECK-DAG:  %[[BIAS:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [200, 260], strides: [0, 1]
// CHECK-NOT:  linalg.
// CHECK:      mxu.matmul {{.*}} -> %[[ACC:.*]][%c0]
// CHECK:      mxu.dma_load %[[BIAS]][%[[I:.*]], %[[J:.*]]] -> %[[BT:.*]][%c0]
// CHECK-NEXT: mxu.dma_wait %[[BT]][%c0]
// CHECK-NEXT: mxu.vpu ins(%[[ACC]], %[[BT]] : {{.*}}) slots(%c0, %c0) outs(%[[D:.*]][%c0] :
// CHECK:        arith.addf
// CHECK:      mxu.vpu ins(%[[D]] : {{.*}}) slots(%c0) outs(%[[E:.*]][%c0] :
// CHECK:        math.exp
// CHECK:      mxu.dma_load %arg3[%[[I]], %[[J]]] -> %[[RT:.*]][%c0]
// CHECK-NEXT: mxu.dma_wait %[[RT]][%c0]
// CHECK-NEXT: mxu.vpu ins(%[[E]], %[[RT]] : {{.*}}) slots(%c0, %c0) outs(%[[F:.*]][%c0] :
// CHECK:        arith.mulf
// CHECK:      mxu.dma_store %[[F]][%c0] -> %[[OUT:.*]][%[[I]], %[[J]]]
// CHECK-NOT:  mxu.dma_store
// CHECK-NOT:  linalg.
// CHECK:      return %[[OUT]]

// Two branches on one product: each applies its op to the product's tile
// in VMEM and stores its own result, the cos through the layout copy's
// views (transposed, at offsets 0 and 64 of the 256x2x64 result: stored
// twice), the sin straight; the copy and the product's buffer are gone.
// CHECK-LABEL: func.func @branches
// CHECK-DAG:  %[[SIN:.*]] = memref.alloc() : memref<64x256xf32>
// CHECK-DAG:  %[[TWICE:.*]] = memref.alloc() : memref<256x2x64xf32>
// CHECK-NOT:  linalg.
// CHECK:      mxu.matmul {{.*}} -> %[[ACC:.*]][%c0]
// CHECK:      mxu.vpu ins(%[[ACC]] : {{.*}}) slots(%c0) outs(%[[C:.*]][%c0] :
// CHECK:        math.cos
// CHECK:      %[[V0:.*]] = memref.reinterpret_cast %[[TWICE]] to offset: [%{{.*}}], sizes: [64, 256], strides: [1, 128]
// CHECK-NEXT: mxu.dma_store %[[C]][%c0] -> %[[V0]][%[[I:[a-z0-9_]+]], %[[J:[a-z0-9_]+]]]
// CHECK:      %[[V1:.*]] = memref.reinterpret_cast %[[TWICE]] to offset: [%c64{{.*}}], sizes: [64, 256], strides: [1, 128]
// CHECK-NEXT: mxu.dma_store %[[C]][%c0] -> %[[V1]][%[[I]], %[[J]]]
// CHECK:      mxu.vpu ins(%[[ACC]] : {{.*}}) slots(%c0) outs(%[[S:.*]][%c0] :
// CHECK:        math.sin
// CHECK:      mxu.dma_store %[[S]][%c0] -> %[[SIN]][%[[I]], %[[J]]]
// CHECK-NOT:  mxu.dma_store
// CHECK-NOT:  linalg.
// CHECK:      return %[[TWICE]], %[[SIN]]
