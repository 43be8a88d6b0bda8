// Fused tiles on buffers (what fungible-gpu-tile-and-fuse-kernels and
// bufferisation leave) whose matmul the sm_90a CTA may or may not take
// (tests/targets/gpu/wgmma.mlir).

// B's columns start at 64j: whole 16-byte chunks.
func.func @aligned(%a: memref<64x64xbf16>, %b: memref<64x128xbf16>, %c: memref<64x128xf32>) {
  scf.forall (%j) = (0) to (128) step (64) {
    %sa = memref.subview %a[0, 0] [64, 64] [1, 1] : memref<64x64xbf16> to memref<64x64xbf16, strided<[64, 1]>>
    %sb = memref.subview %b[0, %j] [64, 64] [1, 1] : memref<64x128xbf16> to memref<64x64xbf16, strided<[128, 1], offset: ?>>
    %sc = memref.subview %c[0, %j] [64, 64] [1, 1] : memref<64x128xf32> to memref<64x64xf32, strided<[128, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<64x64xbf16, strided<[64, 1]>>, memref<64x64xbf16, strided<[128, 1], offset: ?>>) outs(%sc : memref<64x64xf32, strided<[128, 1], offset: ?>>)
  }
  return
}

// B's columns start at 64j + 4: every row of the tile starts 8 bytes into
// a 16-byte chunk, which cp.async cannot read.
func.func @unaligned(%a: memref<64x64xbf16>, %b: memref<64x136xbf16>, %c: memref<64x136xf32>) {
  scf.forall (%j) = (4) to (132) step (64) {
    %sa = memref.subview %a[0, 0] [64, 64] [1, 1] : memref<64x64xbf16> to memref<64x64xbf16, strided<[64, 1]>>
    %sb = memref.subview %b[0, %j] [64, 64] [1, 1] : memref<64x136xbf16> to memref<64x64xbf16, strided<[136, 1], offset: ?>>
    %sc = memref.subview %c[0, %j] [64, 64] [1, 1] : memref<64x136xf32> to memref<64x64xf32, strided<[136, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<64x64xbf16, strided<[64, 1]>>, memref<64x64xbf16, strided<[136, 1], offset: ?>>) outs(%sc : memref<64x64xf32, strided<[136, 1], offset: ?>>)
  }
  return
}
