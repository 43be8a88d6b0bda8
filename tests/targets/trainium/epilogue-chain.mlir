// RUN: fungible-opt %S/../Inputs/epilogue-chain.mlir --fungible-trainium-map-to-neuron | FileCheck %s
//
// A matmul's epilogue of several ops (what fusion on tensors leaves when
// it cannot merge them) runs op after op on the product's SBUF tile, each
// on its engine, before the one store. The handoffs, by the rules in
// TrainiumLowering.cpp: the bias add reads the PSUM bank after its DMA
// (sync waits for every engine op of the last tile first) and after the
// matmul (compute); the exponential on the Scalar engine waits for the
// Vector engine's add; the residual multiply, last, waits for its DMA, for
// the exponential and for the store of the last tile before it writes the
// tile that is stored.
// CHECK-LABEL: func.func @chain
// CHECK-DAG:  %[[BIAS:.*]] = memref.reinterpret_cast %arg2 to offset: [0], sizes: [200, 260], strides: [0, 1]
// CHECK-DAG:  %[[PS:.*]] = neuron.psum_alloc : memref<128x260xf32>
// CHECK-NOT:  linalg.
// CHECK:      neuron.matmul {{.*}} -> %[[PS]]
// CHECK-NEXT: {{^ *}}}
// CHECK-NEXT: neuron.wait sync on 1
// CHECK-NEXT: neuron.dma_load %[[BIAS]][%[[I:.*]], %[[J:.*]]] -> %[[BT:.*]] {signal = 0 : i64}
// CHECK-NEXT: neuron.wait vector on 0
// CHECK-NEXT: neuron.wait vector on 1
// CHECK-NEXT: neuron.elementwise vector ins(%[[PS]], %[[BT]] : {{.*}}) outs(%[[D:.*]] : memref<128x260xf32>)
// CHECK:        arith.addf
// CHECK:      {signal = 1 : i64}
// CHECK-NEXT: neuron.wait scalar on 1
// CHECK-NEXT: neuron.elementwise scalar ins(%[[D]] : memref<128x260xf32>) outs(%[[E:.*]] : memref<128x260xf32>)
// CHECK:        math.exp
// CHECK:      {signal = 1 : i64}
// CHECK-NEXT: neuron.wait sync on 1
// CHECK-NEXT: neuron.dma_load %arg3[%[[I]], %[[J]]] -> %[[RT:.*]] {signal = 0 : i64}
// CHECK-NEXT: neuron.wait vector on 0
// CHECK-NEXT: neuron.wait vector on 1
// CHECK-NEXT: neuron.wait vector on 2
// CHECK-NEXT: neuron.elementwise vector ins(%[[E]], %[[RT]] : {{.*}}) outs(%[[F:.*]] : memref<128x260xf32>)
// CHECK:        arith.mulf
// CHECK:      {signal = 1 : i64}
// CHECK-NEXT: neuron.wait sync on 1
// CHECK-NEXT: neuron.dma_store %[[F]] -> %[[OUT:.*]][%[[I]], %[[J]]] {signal = 2 : i64}
// CHECK-NOT:  neuron.dma_store
// CHECK-NOT:  linalg.
// CHECK:      return %[[OUT]]

// Two branches on one product: each applies its op to the product's tile
// and stores its own result, the cos through the layout copy's views
// (transposed, at offsets 0 and 64 of the 256x2x64 result: stored twice),
// the sin straight; the copy and the product's buffer are gone.
// CHECK-LABEL: func.func @branches
// CHECK-DAG:  %[[SIN:.*]] = memref.alloc() : memref<64x256xf32>
// CHECK-DAG:  %[[TWICE:.*]] = memref.alloc() : memref<256x2x64xf32>
// CHECK-NOT:  linalg.
// CHECK:      neuron.matmul {{.*}} -> %[[PS:[^ ]*]]
// CHECK:      neuron.elementwise scalar ins(%[[PS]] : {{.*}}) outs(%[[C:.*]] :
// CHECK:        math.cos
// CHECK:      %[[V0:.*]] = memref.reinterpret_cast %[[TWICE]] to offset: [%{{.*}}], sizes: [64, 256], strides: [1, 128]
// CHECK-NEXT: neuron.dma_store %[[C]] -> %[[V0]][%[[I:[a-z0-9_]+]], %[[J:[a-z0-9_]+]]]
// CHECK:      %[[V1:.*]] = memref.reinterpret_cast %[[TWICE]] to offset: [%c64{{.*}}], sizes: [64, 256], strides: [1, 128]
// CHECK-NEXT: neuron.dma_store %[[C]] -> %[[V1]][%[[I]], %[[J]]]
// CHECK:      neuron.wait scalar on 2
// CHECK-NEXT: neuron.elementwise scalar ins(%[[PS]] : {{.*}}) outs(%[[S:.*]] :
// CHECK:        math.sin
// CHECK:      neuron.dma_store %[[S]] -> %[[SIN]][%[[I]], %[[J]]]
// CHECK-NOT:  neuron.dma_store
// CHECK-NOT:  linalg.
// CHECK:      return %[[TWICE]], %[[SIN]]
