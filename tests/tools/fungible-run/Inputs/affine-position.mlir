// A row written at position + 2 by affine loops whose store takes the
// position as a symbol, and a value read back at position + 1: once the
// loops are wrapped into a kernel, the kernel's arguments are still valid
// affine symbols (wl.kernel and wl.opaque are affine scopes). The position
// may be -1 to 13 for both accesses to stay inside the 16-row cache.
func.func @next(%cache: memref<16x8xf32>, %row: tensor<8xf32>, %pos: index) -> tensor<8xf32> {
  %c1 = arith.constant 1 : index
  %next = arith.addi %pos, %c1 : index
  %rb = bufferization.to_buffer %row : tensor<8xf32> to memref<8xf32>
  affine.for %j = 0 to 8 {
    %v = affine.load %rb[%j] : memref<8xf32>
    affine.store %v, %cache[symbol(%pos) + 2, %j] : memref<16x8xf32>
  }
  %x = memref.load %cache[%next, %c1] : memref<16x8xf32>
  %out = tensor.empty() : tensor<8xf32>
  %f = linalg.fill ins(%x : f32) outs(%out : tensor<8xf32>) -> tensor<8xf32>
  return %f : tensor<8xf32>
}
