// A matmul and an epilogue of three elementwise ops that the lowerings'
// fusion on tensors did not merge (written on memrefs): a bias row, an
// exponential, a residual. Input of tpu/epilogue-chain.mlir and
// trainium/epilogue-chain.mlir; not a test by itself.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @chain(%a: memref<200x300xf32>, %b: memref<300x260xf32>, %bias: memref<260xf32>, %res: memref<200x260xf32>) -> memref<200x260xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<200x260xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<200x260xf32>)
  linalg.matmul ins(%a, %b : memref<200x300xf32>, memref<300x260xf32>) outs(%c : memref<200x260xf32>)
  %d = memref.alloc() : memref<200x260xf32>
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : memref<200x260xf32>, memref<260xf32>) outs(%d : memref<200x260xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  memref.dealloc %c : memref<200x260xf32>
  %e = memref.alloc() : memref<200x260xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%d : memref<200x260xf32>) outs(%e : memref<200x260xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  }
  memref.dealloc %d : memref<200x260xf32>
  %f = memref.alloc() : memref<200x260xf32>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%e, %res : memref<200x260xf32>, memref<200x260xf32>) outs(%f : memref<200x260xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.mulf %x, %y : f32
    linalg.yield %s : f32
  }
  memref.dealloc %e : memref<200x260xf32>
  return %f : memref<200x260xf32>
}

// Two epilogue branches on one product (a RoPE table's cos and sin of the
// same angles), each its own result: the cos copied transposed and
// repeated over a new dimension of 2 by a layout copy (what
// fungible-fuse-elementwise-producers leaves of a transpose and a
// broadcast), the sin stored as it is.
#bcast = affine_map<(d0, d1, d2) -> (d2, d0)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @branches(%a: memref<64x1xf32>, %b: memref<1x256xf32>) -> (memref<256x2x64xf32>, memref<64x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<64x256xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<64x256xf32>)
  linalg.matmul ins(%a, %b : memref<64x1xf32>, memref<1x256xf32>) outs(%p : memref<64x256xf32>)
  %c = memref.alloc() : memref<64x256xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%p : memref<64x256xf32>) outs(%c : memref<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.cos %x : f32
    linalg.yield %s : f32
  }
  %twice = memref.alloc() : memref<256x2x64xf32>
  linalg.generic {indexing_maps = [#bcast, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%c : memref<64x256xf32>) outs(%twice : memref<256x2x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  memref.dealloc %c : memref<64x256xf32>
  %s = memref.alloc() : memref<64x256xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%p : memref<64x256xf32>) outs(%s : memref<64x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %v = math.sin %x : f32
    linalg.yield %v : f32
  }
  memref.dealloc %p : memref<64x256xf32>
  return %twice, %s : memref<256x2x64xf32>, memref<64x256xf32>
}
