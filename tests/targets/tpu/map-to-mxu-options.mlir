// The TPU pipeline's own stage, run alone on linalg over memrefs, with its
// options (what the target sets from its spec).
// RUN: fungible-opt %s --fungible-tpu-map-to-mxu="mxu-dim=256 vmem-bytes=2000000" | FileCheck %s --check-prefix=MXU
// RUN: not fungible-opt %s --fungible-tpu-map-to-mxu="mxu-dim=64" 2>&1 | FileCheck %s --check-prefix=BADDIM

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
func.func @mm(%a: memref<64x300xf32>, %b: memref<300x200xf32>, %c: memref<64x200xf32>) {
  linalg.matmul ins(%a, %b : memref<64x300xf32>, memref<300x200xf32>) outs(%c : memref<64x200xf32>)
  return
}
