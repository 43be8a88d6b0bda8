// A position the program guards itself: the row is written at the
// position only when it is inside the 16-row cache (scf.if), so any
// position runs; element (0, 1) of the cache is read back after the write.
func.func @guarded(%cache: memref<16x8xf32>, %row: tensor<8xf32>, %pos: index) -> tensor<8xf32> {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %inside = arith.cmpi ult, %pos, %c16 : index
  %rb = bufferization.to_buffer %row : tensor<8xf32> to memref<8xf32>
  scf.if %inside {
    affine.for %j = 0 to 8 {
      %v = affine.load %rb[%j] : memref<8xf32>
      affine.store %v, %cache[symbol(%pos), %j] : memref<16x8xf32>
    }
  }
  %x = memref.load %cache[%c0, %c1] : memref<16x8xf32>
  %out = tensor.empty() : tensor<8xf32>
  %f = linalg.fill ins(%x : f32) outs(%out : tensor<8xf32>) -> tensor<8xf32>
  return %f : tensor<8xf32>
}
