// A running sum written as a loop over a buffer: iteration i reads what
// iteration i - 1 wrote, so wl-raise-buffer-loops leaves it as buffer code,
// which only the host runs.
func.func @running_sum(%x: tensor<1024xf32>, %buf: memref<1024xf32>) -> tensor<1024xf32> {
  %c1 = arith.constant 1 : index
  %c1024 = arith.constant 1024 : index
  %xb = bufferization.to_buffer %x : tensor<1024xf32> to memref<1024xf32>
  scf.for %i = %c1 to %c1024 step %c1 {
    %p = arith.subi %i, %c1 : index
    %prev = memref.load %buf[%p] : memref<1024xf32>
    %v = memref.load %xb[%i] : memref<1024xf32>
    %s = arith.addf %prev, %v : f32
    memref.store %s, %buf[%i] : memref<1024xf32>
  }
  %y = wl.relu %x : tensor<1024xf32>
  return %y : tensor<1024xf32>
}
