// One decode step of a small decoder (hand-written): the new token's
// projections on tensors, then, at the buffer level as a producer that has
// already bufferized its cache handling writes it, the KV-cache write at the
// token's position and the token's attention over the cache, then the output
// projection and the residual on tensors again.
//
// d 512, 8 heads of 64, a static cache of 128 positions (as a static KV
// cache is: every position is visited, those after the token masked out).
// The caches are memref arguments the step updates in place; the token's
// position is an index. wl-wrap-buffer-code makes the buffer code a
// kernel that takes the caches' contents and gives their new contents,
// and wl-raise-buffer-loops raises its loops into wl (the cache writes a
// row put into each cache, the attention batch matmuls, reductions and
// elementwise ops; docs/Import.md); fungible-run writes the caches back
// (arg<i>.npy in --out).
//
// FLOPs, counted from the loops (index arithmetic is not counted): the
// cache write none; the scores 8*128*(64*2 + 2) = 133120 (the dot product,
// the scale, the running max); the softmax 8*(128*3 + 1) = 3080 (subtract,
// exp, add; one divide per head); the weighted sum 8*64*(128*2 + 1) =
// 131584. In all 267784, beside the four projections' 4 * 2*512*512 =
// 2097152 and the residual's 512.
func.func @decode_step(%x: tensor<1x512xf32>, %wq: tensor<512x512xf32>,
                       %wk: tensor<512x512xf32>, %wv: tensor<512x512xf32>,
                       %wo: tensor<512x512xf32>, %kcache: memref<128x512xf32>,
                       %pos: index, %vcache: memref<128x512xf32>)
    -> tensor<1x512xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c512 = arith.constant 512 : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %scale = arith.constant 0.125 : f32
  %e = tensor.empty() : tensor<1x512xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x512xf32>) -> tensor<1x512xf32>
  %q = linalg.matmul ins(%x, %wq : tensor<1x512xf32>, tensor<512x512xf32>)
                     outs(%z : tensor<1x512xf32>) -> tensor<1x512xf32>
  %k = linalg.matmul ins(%x, %wk : tensor<1x512xf32>, tensor<512x512xf32>)
                     outs(%z : tensor<1x512xf32>) -> tensor<1x512xf32>
  %v = linalg.matmul ins(%x, %wv : tensor<1x512xf32>, tensor<512x512xf32>)
                     outs(%z : tensor<1x512xf32>) -> tensor<1x512xf32>

  // The token's key and value go into the caches at its position.
  %kb = bufferization.to_buffer %k : tensor<1x512xf32> to memref<1x512xf32>
  %vb = bufferization.to_buffer %v : tensor<1x512xf32> to memref<1x512xf32>
  scf.for %j = %c0 to %c512 step %c1 {
    %kj = memref.load %kb[%c0, %j] : memref<1x512xf32>
    memref.store %kj, %kcache[%pos, %j] : memref<128x512xf32>
    %vj = memref.load %vb[%c0, %j] : memref<1x512xf32>
    memref.store %vj, %vcache[%pos, %j] : memref<128x512xf32>
  }

  // The token's attention over the cache, head by head.
  %qb = bufferization.to_buffer %q : tensor<1x512xf32> to memref<1x512xf32>
  %scores = memref.alloc() : memref<8x128xf32>
  %attn = memref.alloc() : memref<1x512xf32>
  scf.for %h = %c0 to %c8 step %c1 {
    %base = arith.muli %h, %c64 : index
    %max = scf.for %t = %c0 to %c128 step %c1 iter_args(%m = %ninf) -> (f32) {
      %dot = scf.for %d = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> (f32) {
        %col = arith.addi %base, %d : index
        %qd = memref.load %qb[%c0, %col] : memref<1x512xf32>
        %kd = memref.load %kcache[%t, %col] : memref<128x512xf32>
        %prod = arith.mulf %qd, %kd : f32
        %sum = arith.addf %acc, %prod : f32
        scf.yield %sum : f32
      }
      %scaled = arith.mulf %dot, %scale : f32
      %future = arith.cmpi ugt, %t, %pos : index
      %s = arith.select %future, %ninf, %scaled : f32
      memref.store %s, %scores[%h, %t] : memref<8x128xf32>
      %m2 = arith.maximumf %m, %s : f32
      scf.yield %m2 : f32
    }
    %total = scf.for %t = %c0 to %c128 step %c1 iter_args(%acc = %zero) -> (f32) {
      %s = memref.load %scores[%h, %t] : memref<8x128xf32>
      %shifted = arith.subf %s, %max : f32
      %w = math.exp %shifted : f32
      memref.store %w, %scores[%h, %t] : memref<8x128xf32>
      %sum = arith.addf %acc, %w : f32
      scf.yield %sum : f32
    }
    %inv = arith.divf %one, %total : f32
    affine.for %d = 0 to 64 {
      %col = arith.addi %base, %d : index
      %o = affine.for %t = 0 to 128 iter_args(%acc = %zero) -> (f32) {
        %w = memref.load %scores[%h, %t] : memref<8x128xf32>
        %vd = memref.load %vcache[%t, %col] : memref<128x512xf32>
        %prod = arith.mulf %w, %vd : f32
        %sum = arith.addf %acc, %prod : f32
        affine.yield %sum : f32
      }
      %out = arith.mulf %o, %inv : f32
      memref.store %out, %attn[%c0, %col] : memref<1x512xf32>
    }
  }
  memref.dealloc %scores : memref<8x128xf32>
  %a = bufferization.to_tensor %attn restrict : memref<1x512xf32> to tensor<1x512xf32>

  %proj = linalg.matmul ins(%a, %wo : tensor<1x512xf32>, tensor<512x512xf32>)
                        outs(%z : tensor<1x512xf32>) -> tensor<1x512xf32>
  %y = linalg.add ins(%x, %proj : tensor<1x512xf32>, tensor<1x512xf32>)
                  outs(%e : tensor<1x512xf32>) -> tensor<1x512xf32>
  return %y : tensor<1x512xf32>
}
