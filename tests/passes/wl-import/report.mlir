// RUN: fungible-opt %s -wl-import -wl-import-report -o /dev/null | FileCheck %s

// The report counts raised ops and their FLOPs, opaque kernels and what
// was left as is: matmul 2*4*16*8 = 1024, relu 64; the erf kernel counts
// its 2 arithmetic ops per element over 64 elements = 128.
// CHECK-LABEL: wl-import report for @f
// CHECK-NEXT: raised:     2 ops, 1088 FLOPs (wl.matmul 1, wl.relu 1)
// CHECK-NEXT: opaque:     1 kernels, 128 FLOPs (linalg.generic 1)
// CHECK-NEXT: left as is: 1 ops, 0 FLOPs (tensor.insert_slice 1)
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @f(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %big: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %m = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.maximumf %in, %zero : f32
    linalg.yield %c : f32
  } -> tensor<4x16xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.erf %in : f32
    %y = arith.addf %x, %in : f32
    linalg.yield %y : f32
  } -> tensor<4x16xf32>
  %ins = tensor.insert_slice %g into %big[0, 0] [4, 16] [1, 1] : tensor<4x16xf32> into tensor<8x16xf32>
  return %ins : tensor<8x16xf32>
}

// Every op left as is is accounted for, whatever its dialect, with its
// work: loops over buffers count their trip counts times their body's
// arithmetic (index arithmetic excepted), math on a tensor one FLOP per
// element. The scf nest: 4*8 iterations of a mulf and an addf = 64; the
// affine loop: 16/2 = 8 iterations of an exp = 8; the erf on 4x8: 32;
// the f64 fill and the buffer cast: 0. In all 104, none of it raised.
// CHECK-LABEL: wl-import report for @decode
// CHECK-NEXT: raised:     0 ops, 0 FLOPs ()
// CHECK-NEXT: opaque:     0 kernels, 0 FLOPs ()
// CHECK-NEXT: left as is: 5 ops, 104 FLOPs (affine.for 1, bufferization.to_buffer 1, linalg.fill 1, math.erf 1, scf.for 1)
// CHECK: wl-import total: 2 raised ops (1088 FLOPs), 1 opaque kernels (128 FLOPs), 6 left as is (104 FLOPs); 82.42% of FLOPs raised
func.func @decode(%x: tensor<4x8xf32>, %cache: memref<16x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %buf = bufferization.to_buffer %x : tensor<4x8xf32> to memref<4x8xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %buf[%i, %j] : memref<4x8xf32>
      %w = arith.mulf %v, %v : f32
      %s = arith.addf %w, %v : f32
      %row = arith.addi %i, %c4 : index
      memref.store %s, %cache[%row, %j] : memref<16x8xf32>
    }
  }
  affine.for %k = 0 to 16 step 2 {
    %v = affine.load %cache[%k, 0] : memref<16x8xf32>
    %e = math.exp %v : f32
    affine.store %e, %cache[%k, 1] : memref<16x8xf32>
  }
  %erf = math.erf %x : tensor<4x8xf32>
  %e64 = tensor.empty() : tensor<4x8xf64>
  %zero = arith.constant 0.0 : f64
  %fill = linalg.fill ins(%zero : f64) outs(%e64 : tensor<4x8xf64>) -> tensor<4x8xf64>
  return %erf, %fill : tensor<4x8xf32>, tensor<4x8xf64>
}
