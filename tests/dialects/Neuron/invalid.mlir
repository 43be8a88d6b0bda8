// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @too_many_partitions() {
  // expected-error @+1 {{a tile spans 1 to 128 partitions, not 256}}
  %a = neuron.sbuf_alloc : memref<256x64xf32>
  return
}

// -----

// 128 KiB + 96 KiB per partition > 192 KiB.
func.func @sbuf_overflow() attributes {neuron.sbuf_partition_bytes = 196608 : i64} {
  %a = neuron.sbuf_alloc : memref<128x32768xf32>
  // expected-error @+1 {{SBUF overflow: the buffers live here need 229376 bytes per partition, the core has 196608 (neuron.sbuf_partition_bytes)}}
  %b = neuron.sbuf_alloc : memref<128x49152xbf16>
  return
}

// -----

func.func @psum_bank_too_wide() {
  // expected-error @+1 {{a PSUM bank holds 512 accumulators per partition, not 1024}}
  %a = neuron.psum_alloc : memref<128x1024xf32>
  return
}

// -----

func.func @psum_bf16() {
  // expected-error @+1 {{PSUM holds f32 or i32 accumulators, not 'bf16'}}
  %a = neuron.psum_alloc : memref<128x512xbf16>
  return
}

// -----

func.func @psum_overflow() {
  %0 = neuron.psum_alloc : memref<128x512xf32>
  %1 = neuron.psum_alloc : memref<128x512xf32>
  %2 = neuron.psum_alloc : memref<128x512xf32>
  %3 = neuron.psum_alloc : memref<128x512xf32>
  %4 = neuron.psum_alloc : memref<128x512xf32>
  %5 = neuron.psum_alloc : memref<128x512xf32>
  %6 = neuron.psum_alloc : memref<128x512xf32>
  %7 = neuron.psum_alloc : memref<128x512xf32>
  // expected-error @+1 {{PSUM overflow: 9 banks live here, a NeuronCore has 8}}
  %8 = neuron.psum_alloc : memref<128x64xf32>
  return
}

// -----

func.func @stationary_too_wide(%start: i1) {
  %st = neuron.sbuf_alloc : memref<128x256xbf16>
  %mv = neuron.sbuf_alloc : memref<128x512xbf16>
  %ps = neuron.psum_alloc : memref<128x512xf32>
  // expected-error @+1 {{the stationary tile is 128x256: its free size is at most 128}}
  neuron.matmul %st, %mv -> %ps start(%start) : memref<128x256xbf16>, memref<128x512xbf16>, memref<128x512xf32>
  return
}

// -----

func.func @moving_too_wide(%start: i1) {
  %st = neuron.sbuf_alloc : memref<128x128xbf16>
  %mv = neuron.sbuf_alloc : memref<128x1024xbf16>
  %ps = neuron.psum_alloc : memref<128x512xf32>
  // expected-error @+1 {{the moving tile is 128x1024: its free size is at most 512 (one PSUM bank)}}
  neuron.matmul %st, %mv -> %ps start(%start) : memref<128x128xbf16>, memref<128x1024xbf16>, memref<128x512xf32>
  return
}

// -----

func.func @contraction_differs(%start: i1) {
  %st = neuron.sbuf_alloc : memref<128x128xbf16>
  %mv = neuron.sbuf_alloc : memref<64x512xbf16>
  %ps = neuron.psum_alloc : memref<128x512xf32>
  // expected-error @+1 {{the contraction differs: 128 partitions in the stationary tile, 64 in the moving one}}
  neuron.matmul %st, %mv -> %ps start(%start) : memref<128x128xbf16>, memref<64x512xbf16>, memref<128x512xf32>
  return
}

// -----

func.func @accumulate_in_sbuf(%start: i1) {
  %st = neuron.sbuf_alloc : memref<128x128xbf16>
  %mv = neuron.sbuf_alloc : memref<128x512xbf16>
  %ps = neuron.sbuf_alloc : memref<128x512xf32>
  // expected-error @+1 {{the accumulator must be a PSUM bank}}
  neuron.matmul %st, %mv -> %ps start(%start) : memref<128x128xbf16>, memref<128x512xbf16>, memref<128x512xf32>
  return
}

// -----

func.func @psum_shape(%start: i1) {
  %st = neuron.sbuf_alloc : memref<128x64xbf16>
  %mv = neuron.sbuf_alloc : memref<128x512xbf16>
  %ps = neuron.psum_alloc : memref<128x512xf32>
  // expected-error @+1 {{the PSUM tile must be 64x512, not 128x512}}
  neuron.matmul %st, %mv -> %ps start(%start) : memref<128x64xbf16>, memref<128x512xbf16>, memref<128x512xf32>
  return
}

// -----

func.func @dma_into_psum(%hbm: memref<128x512xf32>, %c0: index) {
  %ps = neuron.psum_alloc : memref<128x512xf32>
  // expected-error @+1 {{the on-chip side must be a neuron.sbuf_alloc buffer (DMAs do not reach PSUM)}}
  neuron.dma_load %hbm[%c0, %c0] -> %ps : memref<128x512xf32>, memref<128x512xf32>
  return
}

// -----

func.func @dma_converts(%hbm: memref<128x512xbf16>, %c0: index) {
  %t = neuron.sbuf_alloc : memref<128x512xf32>
  // expected-error @+1 {{element types differ: 'bf16' in HBM, 'f32' in SBUF}}
  neuron.dma_load %hbm[%c0, %c0] -> %t : memref<128x512xbf16>, memref<128x512xf32>
  return
}

// -----

func.func @elementwise_on_tensor_engine() {
  %t = neuron.sbuf_alloc : memref<128x512xf32>
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{runs on the vector, scalar or gpsimd engine, not tensor}}
  neuron.elementwise tensor outs(%t : memref<128x512xf32>) {
    neuron.yield %zero : f32
  }
  return
}

// -----

func.func @elementwise_into_psum() {
  %p = neuron.psum_alloc : memref<128x512xf32>
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{writes an SBUF tile}}
  neuron.elementwise vector outs(%p : memref<128x512xf32>) {
    neuron.yield %zero : f32
  }
  return
}

// -----

func.func @wait_on_nothing() {
  // expected-error @+1 {{waits on semaphore 5, which no op of the function signals}}
  neuron.wait vector on 5
  return
}

// -----

func.func @reduce_into_a_wide_tile(%n: index) {
  %x = neuron.sbuf_alloc : memref<128x64xf32>
  %acc = neuron.sbuf_alloc : memref<128x2xf32>
  // expected-error @+1 {{accumulates into a P x 1 tile, not 'memref<128x2xf32>'}}
  neuron.reduce vector ins(%x : memref<128x64xf32>) outs(%acc : memref<128x2xf32>) count(%n) {
  ^bb0(%a: f32, %b: f32):
    neuron.yield %a : f32
  }
  return
}

// -----

func.func @reduce_partitions_differ(%n: index) {
  %x = neuron.sbuf_alloc : memref<64x64xf32>
  %acc = neuron.sbuf_alloc : memref<128x1xf32>
  // expected-error @+1 {{input tile 'memref<64x64xf32>' is neither 128x64 nor a 128x1 per-partition column}}
  neuron.reduce vector ins(%x : memref<64x64xf32>) outs(%acc : memref<128x1xf32>) count(%n) {
  ^bb0(%a: f32, %b: f32):
    neuron.yield %a : f32
  }
  return
}

// -----

func.func @reduce_without_accumulator_argument(%n: index) {
  %x = neuron.sbuf_alloc : memref<128x64xf32>
  %acc = neuron.sbuf_alloc : memref<128x1xf32>
  // expected-error @+1 {{the body takes one scalar per input: expected 2 arguments, got 1}}
  neuron.reduce vector ins(%x : memref<128x64xf32>) outs(%acc : memref<128x1xf32>) count(%n) {
  ^bb0(%a: f32):
    neuron.yield %a : f32
  }
  return
}

// -----

func.func @reduce_on_the_tensor_engine(%n: index) {
  %x = neuron.sbuf_alloc : memref<128x64xf32>
  %acc = neuron.sbuf_alloc : memref<128x1xf32>
  // expected-error @+1 {{runs on the vector, scalar or gpsimd engine, not tensor}}
  neuron.reduce tensor ins(%x : memref<128x64xf32>) outs(%acc : memref<128x1xf32>) count(%n) {
  ^bb0(%a: f32, %b: f32):
    neuron.yield %a : f32
  }
  return
}

// -----

func.func @column_of_other_partitions() {
  %x = neuron.sbuf_alloc : memref<128x64xf32>
  %c = neuron.sbuf_alloc : memref<64x1xf32>
  %y = neuron.sbuf_alloc : memref<128x64xf32>
  // expected-error @+1 {{input tile 'memref<64x1xf32>' is neither 128x64 nor a 128x1 per-partition column}}
  neuron.elementwise vector ins(%x, %c : memref<128x64xf32>, memref<64x1xf32>) outs(%y : memref<128x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    neuron.yield %a : f32
  }
  return
}

// -----

func.func @transpose_and_broadcast(%row: memref<1x64xf32>) {
  %c0 = arith.constant 0 : index
  %t = neuron.sbuf_alloc : memref<64x64xf32>
  // expected-error @+1 {{a DMA either transposes or broadcasts a row, not both}}
  neuron.dma_load %row[%c0, %c0] -> %t {broadcast, transpose} : memref<1x64xf32>, memref<64x64xf32>
  return
}

// -----

func.func @dma_padding_type(%hbm: memref<128x512xf32>) {
  %c0 = arith.constant 0 : index
  %t = neuron.sbuf_alloc : memref<128x512xf32>
  // expected-error @+1 {{padding 0 : i32 is not a 'f32' like the tile}}
  neuron.dma_load %hbm[%c0, %c0] -> %t {padding = 0 : i32} : memref<128x512xf32>, memref<128x512xf32>
  return
}

// -----

func.func @iota_outside_elementwise() -> index {
  // expected-error @+1 {{expects parent op 'neuron.elementwise'}}
  %i = neuron.iota {dimension = 1 : i64}
  return %i : index
}

// -----

func.func @transpose_shape() {
  %x = neuron.sbuf_alloc : memref<64x128xf32>
  %t = neuron.psum_alloc : memref<64x128xf32>
  // expected-error @+1 {{the PSUM tile must be 128x64, not 64x128}}
  neuron.transpose %x -> %t : memref<64x128xf32>, memref<64x128xf32>
  return
}

// -----

func.func @transpose_wide() {
  %x = neuron.sbuf_alloc : memref<64x256xf32>
  %t = neuron.psum_alloc : memref<128x64xf32>
  // expected-error @+1 {{the input tile is 64x256: its free size is at most 128}}
  neuron.transpose %x -> %t : memref<64x256xf32>, memref<128x64xf32>
  return
}

// -----

func.func @transpose_from_psum() {
  %x = neuron.psum_alloc : memref<64x128xf32>
  %t = neuron.psum_alloc : memref<128x64xf32>
  // expected-error @+1 {{the input tile must be in SBUF}}
  neuron.transpose %x -> %t : memref<64x128xf32>, memref<128x64xf32>
  return
}

// -----

func.func @transpose_i8() {
  %x = neuron.sbuf_alloc : memref<64x128xi8>
  %t = neuron.psum_alloc : memref<128x64xf32>
  // expected-error @+1 {{transposes a bf16, f16 or f32 tile into f32}}
  neuron.transpose %x -> %t : memref<64x128xi8>, memref<128x64xf32>
  return
}
