// The Trainium pipeline's own stage, run alone on linalg over memrefs, with
// its options (what the target sets from its spec).
// RUN: fungible-opt %s --fungible-trainium-map-to-neuron="sbuf-partition-bytes=4096" | FileCheck %s --check-prefix=NEURON

// 4 KiB of SBUF per partition: two f32 inputs and an f32 output need 12
// bytes per column; 2048 columns halve to 128 (1536 bytes <= 2048, half
// the partition).
// NEURON-LABEL: func.func @add
// NEURON-SAME: neuron.sbuf_partition_bytes = 4096
// NEURON-COUNT-3: neuron.sbuf_alloc : memref<64x128xf32>
// NEURON: scf.for %{{.*}} = %{{.*}} to %c3000 step %c128
func.func @add(%a: memref<64x3000xf32>, %b: memref<64x3000xf32>, %c: memref<64x3000xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<64x3000xf32>, memref<64x3000xf32>) outs(%c : memref<64x3000xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}
