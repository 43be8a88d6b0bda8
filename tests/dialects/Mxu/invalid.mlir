// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @rows_not_sublanes() {
  // expected-error @+1 {{VMEM buffer tile 12x128 is not made of (8,128) vector registers: rows must be a multiple of 8 and lanes of 128}}
  %a = mxu.vmem_alloc : memref<1x12x128xf32>
  return
}

// -----

func.func @lanes_not_128() {
  // expected-error @+1 {{VMEM buffer tile 8x100 is not made of (8,128) vector registers}}
  %a = mxu.vmem_alloc : memref<1x8x100xf32>
  return
}

// -----

func.func @three_slots() {
  // expected-error @+1 {{a VMEM buffer has 1 slot or 2 (double-buffered), not 3}}
  %a = mxu.vmem_alloc : memref<3x8x128xf32>
  return
}

// -----

// 2 x 256 x 256 x 4 = 512 KiB, then 2 x 512 KiB more: 1.5 MiB > 1 MiB.
func.func @vmem_overflow() attributes {mxu.vmem_bytes = 1048576 : i64} {
  %a = mxu.vmem_alloc : memref<2x256x256xf32>
  memref.alloca_scope {
    // expected-error @+1 {{VMEM overflow: the buffers live here need 1572864 bytes, the core has 1048576 (mxu.vmem_bytes)}}
    %b = mxu.vmem_alloc : memref<2x256x512xf32>
  }
  return
}

// -----

func.func @stationary_not_mxu_shaped(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x8x128xbf16>
  %b = mxu.vmem_alloc : memref<1x128x384xbf16>
  %acc = mxu.vmem_alloc : memref<1x8x384xf32>
  // expected-error @+1 {{the stationary tile is 128x384: K and N must be multiples of the 256x256 MXU}}
  mxu.matmul %a[%c0], %b[%c0] -> %acc[%c0] {dim = 256 : i64}
      : memref<1x8x128xbf16>, memref<1x128x384xbf16>, memref<1x8x384xf32>
  return
}

// -----

func.func @mxu_size(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x8x128xbf16>
  // expected-error @+1 {{the MXU is 128x128 or 256x256, not 64}}
  mxu.matmul %a[%c0], %a[%c0] -> %a[%c0] {dim = 64 : i64}
      : memref<1x8x128xbf16>, memref<1x8x128xbf16>, memref<1x8x128xbf16>
  return
}

// -----

func.func @tiles_do_not_chain(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x8x256xbf16>
  %b = mxu.vmem_alloc : memref<1x128x128xbf16>
  %acc = mxu.vmem_alloc : memref<1x8x128xf32>
  // expected-error @+1 {{tile shapes do not chain: lhs 8x256, rhs 128x128, acc 8x128}}
  mxu.matmul %a[%c0], %b[%c0] -> %acc[%c0] {dim = 128 : i64}
      : memref<1x8x256xbf16>, memref<1x128x128xbf16>, memref<1x8x128xf32>
  return
}

// -----

func.func @bf16_accumulator(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x128x128xbf16>
  // expected-error @+1 {{a floating-point product accumulates in f32, not 'bf16'}}
  mxu.matmul %a[%c0], %a[%c0] -> %a[%c0] {dim = 128 : i64}
      : memref<1x128x128xbf16>, memref<1x128x128xbf16>, memref<1x128x128xbf16>
  return
}

// -----

func.func @i8_accumulator(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x128x128xi8>
  %acc = mxu.vmem_alloc : memref<1x128x128xf32>
  // expected-error @+1 {{an i8 product accumulates in i32, not 'f32'}}
  mxu.matmul %a[%c0], %a[%c0] -> %acc[%c0] {dim = 128 : i64}
      : memref<1x128x128xi8>, memref<1x128x128xi8>, memref<1x128x128xf32>
  return
}

// -----

func.func @dma_from_a_non_vmem_buffer(%hbm: memref<64x128xf32>, %buf: memref<1x8x128xf32>, %c0: index) {
  // expected-error @+1 {{the VMEM side must be an mxu.vmem_alloc buffer}}
  mxu.dma_load %hbm[%c0, %c0] -> %buf[%c0] : memref<64x128xf32>, memref<1x8x128xf32>
  return
}

// -----

func.func @dma_converts(%hbm: memref<64x128xbf16>, %c0: index) {
  %buf = mxu.vmem_alloc : memref<1x8x128xf32>
  // expected-error @+1 {{element types differ: 'bf16' in HBM, 'f32' in VMEM (a DMA does not convert; use mxu.vpu)}}
  mxu.dma_load %hbm[%c0, %c0] -> %buf[%c0] : memref<64x128xbf16>, memref<1x8x128xf32>
  return
}

// -----

func.func @dma_index_count(%hbm: memref<4x64x128xf32>, %c0: index) {
  %buf = mxu.vmem_alloc : memref<1x8x128xf32>
  // expected-error @+1 {{expects 3 indices into 'memref<4x64x128xf32>', got 2}}
  mxu.dma_store %buf[%c0] -> %hbm[%c0, %c0] : memref<1x8x128xf32>, memref<4x64x128xf32>
  return
}

// -----

func.func @dma_vmem_to_vmem(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x8x128xf32>
  %b = mxu.vmem_alloc : memref<1x8x128xf32>
  // expected-error @+1 {{the HBM side is a VMEM buffer: DMAs move data between HBM and VMEM}}
  mxu.dma_load %a[%c0, %c0, %c0] -> %b[%c0] : memref<1x8x128xf32>, memref<1x8x128xf32>
  return
}

// -----

func.func @vpu_tiles_differ(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x8x128xf32>
  %b = mxu.vmem_alloc : memref<1x16x128xf32>
  // expected-error @+1 {{input tile 8x128 differs from the output tile 16x128}}
  mxu.vpu ins(%a : memref<1x8x128xf32>) slots(%c0) outs(%b[%c0] : memref<1x16x128xf32>) {
  ^bb0(%x: f32):
    mxu.yield %x : f32
  }
  return
}

// -----

func.func @vpu_yield_type(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x8x128xf32>
  %b = mxu.vmem_alloc : memref<1x8x128xbf16>
  // expected-error @+1 {{yields 'f32' into a tile of 'bf16'}}
  mxu.vpu ins(%a : memref<1x8x128xf32>) slots(%c0) outs(%b[%c0] : memref<1x8x128xbf16>) {
  ^bb0(%x: f32):
    mxu.yield %x : f32
  }
  return
}

// -----

func.func @vpu_arguments(%c0: index) {
  %a = mxu.vmem_alloc : memref<1x8x128xf32>
  // expected-error @+1 {{the body takes one scalar per input: expected 1 arguments, got 0}}
  mxu.vpu ins(%a : memref<1x8x128xf32>) slots(%c0) outs(%a[%c0] : memref<1x8x128xf32>) {
    %z = arith.constant 0.0 : f32
    mxu.yield %z : f32
  }
  return
}

// -----

func.func @row_broadcast_index(%a: memref<1x8x128xf32>, %out: memref<1x64x128xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{row_broadcast names input 1 of 1}}
  mxu.vpu ins(%a : memref<1x8x128xf32>) slots(%c0) outs(%out[%c0] : memref<1x64x128xf32>) {
  ^bb0(%x: f32):
    mxu.yield %x : f32
  } {row_broadcast = array<i64: 1>}
  return
}

// -----

func.func @row_broadcast_lanes(%a: memref<1x8x256xf32>, %out: memref<1x64x128xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{input tile 8x256 differs from the output tile 64x128}}
  mxu.vpu ins(%a : memref<1x8x256xf32>) slots(%c0) outs(%out[%c0] : memref<1x64x128xf32>) {
  ^bb0(%x: f32):
    mxu.yield %x : f32
  } {row_broadcast = array<i64: 0>}
  return
}

// -----

func.func @reduce_rows(%x: memref<1x16x256xf32>, %acc: memref<1x8x128xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{input tile 16x256 differs from the accumulator's rows by the inputs' lanes tile 8x256}}
  mxu.reduce ins(%x : memref<1x16x256xf32>) slots(%c0) outs(%acc[%c0] : memref<1x8x128xf32>) count(%c0) {
  ^bb0(%a: f32, %m: f32):
    mxu.yield %a : f32
  }
  return
}

// -----

func.func @reduce_body(%x: memref<1x8x256xf32>, %acc: memref<1x8x128xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{the body takes one scalar per input: expected 2 arguments, got 1}}
  mxu.reduce ins(%x : memref<1x8x256xf32>) slots(%c0) outs(%acc[%c0] : memref<1x8x128xf32>) count(%c0) {
  ^bb0(%a: f32):
    mxu.yield %a : f32
  }
  return
}

// -----

func.func @lane_broadcast_index(%a: memref<1x8x128xf32>, %out: memref<1x8x256xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{lane_broadcast names input 2 of 1}}
  mxu.vpu ins(%a : memref<1x8x128xf32>) slots(%c0) outs(%out[%c0] : memref<1x8x256xf32>) {
  ^bb0(%x: f32):
    mxu.yield %x : f32
  } {lane_broadcast = array<i64: 2>}
  return
}

// -----

func.func @dma_padding_type(%hbm: memref<16x256xf32>, %buf: memref<1x16x256xf32>) {
  %c0 = arith.constant 0 : index
  %a = mxu.vmem_alloc : memref<1x16x256xf32>
  // expected-error @+1 {{padding 0xFF80 : bf16 is not a 'f32' like the tile}}
  mxu.dma_load %hbm[%c0, %c0] -> %a[%c0] {padding = 0xFF80 : bf16} : memref<16x256xf32>, memref<1x16x256xf32>
  return
}

// -----

func.func @vpu_slots(%a: memref<1x8x128xf32>, %out: memref<1x8x128xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{expects one slot per input: 1 inputs, 2 slots}}
  mxu.vpu ins(%a : memref<1x8x128xf32>) slots(%c0, %c0) outs(%out[%c0] : memref<1x8x128xf32>) {
  ^bb0(%x: f32):
    mxu.yield %x : f32
  }
  return
}

// -----

func.func @reduce_slots(%x: memref<1x8x256xf32>, %acc: memref<1x8x128xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{expects one slot per input: 1 inputs, 0 slots}}
  mxu.reduce ins(%x : memref<1x8x256xf32>) slots() outs(%acc[%c0] : memref<1x8x128xf32>) count(%c0) {
  ^bb0(%a: f32, %m: f32):
    mxu.yield %a : f32
  }
  return
}

// -----

func.func @iota_outside_vpu() -> index {
  // expected-error @+1 {{expects parent op 'mxu.vpu'}}
  %i = mxu.iota {dimension = 0 : i64}
  return %i : index
}

// -----

func.func @iota_dimension(%s: memref<1x8x128xf32>) {
  %c0 = arith.constant 0 : index
  mxu.vpu outs(%s[%c0] : memref<1x8x128xf32>) {
    // expected-error @+1 {{attribute 'dimension' failed to satisfy constraint: 64-bit signless integer attribute whose minimum value is 0 whose maximum value is 1}}
    %i = mxu.iota {dimension = 2 : i64}
    %f = arith.index_cast %i : index to i32
    %x = arith.sitofp %f : i32 to f32
    mxu.yield %x : f32
  }
  return
}
