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
