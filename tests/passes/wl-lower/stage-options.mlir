// The TPU and Trainium pipelines' own stages, run alone on linalg over
// memrefs, with their options (what the targets set from their specs).
// RUN: fungible-opt %s --fungible-tpu-map-to-mxu="mxu-dim=256 vmem-bytes=2000000" | FileCheck %s --check-prefix=MXU
// RUN: not fungible-opt %s --fungible-tpu-map-to-mxu="mxu-dim=64" 2>&1 | FileCheck %s --check-prefix=BADDIM
// RUN: fungible-opt %s --fungible-trainium-map-to-neuron="sbuf-partition-bytes=4096" | FileCheck %s --check-prefix=NEURON

// f32 with a 256-wide MXU and 2 MB of VMEM: sqrt(2e6 / 20) = 316 -> T = 256.
// M = 64 -> 64; N = 200 -> 256; K = 300 -> 512 in 2 steps of 256. No zero
// fill before the matmul: the accumulator starts from C (a DMA of C).
// MXU-LABEL: func.func @mm
// MXU-SAME: mxu.vmem_bytes = 2000000
// MXU-DAG: mxu.vmem_alloc : memref<2x64x256xf32>
// MXU-DAG: mxu.vmem_alloc : memref<2x256x256xf32>
// MXU-DAG: %[[ACC:.*]] = mxu.vmem_alloc : memref<1x64x256xf32>
// MXU: mxu.dma_load %arg2[%{{.*}}, %{{.*}}] -> %[[ACC]]
// MXU: mxu.matmul {{.*}} {dim = 256 : i64}
// BADDIM: error: fungible-tpu-map-to-mxu: mxu-dim must be 128 or 256, not 64

// 4 KiB of SBUF per partition: two f32 inputs and an f32 output need 12
// bytes per column; 2048 columns halve to 128 (1536 bytes <= 2048, half
// the partition).
// NEURON-LABEL: func.func @add
// NEURON-SAME: neuron.sbuf_partition_bytes = 4096
// NEURON-COUNT-3: neuron.sbuf_alloc : memref<64x128xf32>
// NEURON: scf.for %{{.*}} = %{{.*}} to %c3000 step %c128
func.func @mm(%a: memref<64x300xf32>, %b: memref<300x200xf32>, %c: memref<64x200xf32>) {
  linalg.matmul ins(%a, %b : memref<64x300xf32>, memref<300x200xf32>) outs(%c : memref<64x200xf32>)
  return
}

func.func @add(%a: memref<64x3000xf32>, %b: memref<64x3000xf32>, %c: memref<64x3000xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<64x3000xf32>, memref<64x3000xf32>) outs(%c : memref<64x3000xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}
