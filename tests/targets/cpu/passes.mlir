// The CPU back end's stages, each run alone (registered from CpuPasses.td).
// RUN: fungible-opt %s --split-input-file --fungible-cpu-widen-accumulators | FileCheck %s --check-prefix=WIDEN
// RUN: fungible-opt %s --split-input-file --fungible-cpu-parallel-loops | FileCheck %s --check-prefix=PAR
// RUN: fungible-opt %s --split-input-file --fungible-cpu-emit-c-interface | FileCheck %s --check-prefix=CIFACE
// RUN: fungible-opt %s --split-input-file --fungible-cpu-fuse-contractions | FileCheck %s --check-prefix=FUSE
// RUN: fungible-opt %s --split-input-file --fungible-cpu-approximate-math | FileCheck %s --check-prefix=APPROX
// RUN: fungible-opt %s --split-input-file --fungible-cpu-register-accumulators | FileCheck %s --check-prefix=CARRY
// RUN: fungible-opt %s --split-input-file --fungible-cpu-copies-to-loops | FileCheck %s --check-prefix=COPY
// RUN: fungible-opt %s --split-input-file --fungible-cpu-reassociate-reductions | FileCheck %s --check-prefix=REASSOC

// A bf16 matmul accumulates in an f32 copy of C, rounded back once; an f32
// matmul is left alone.
// WIDEN-LABEL: func.func @mm_bf16
// WIDEN-SAME: (%[[A:.*]]: memref<4x8xbf16>, %[[B:.*]]: memref<8x16xbf16>, %[[C:.*]]: memref<4x16xbf16>)
// WIDEN: %[[W:.*]] = memref.alloc() : memref<4x16xf32>
// WIDEN: linalg.generic {{.*}} ins(%[[C]] : memref<4x16xbf16>) outs(%[[W]] : memref<4x16xf32>)
// WIDEN: arith.extf
// WIDEN: linalg.matmul ins(%[[A]], %[[B]] : memref<4x8xbf16>, memref<8x16xbf16>) outs(%[[W]] : memref<4x16xf32>)
// WIDEN: linalg.generic {{.*}} ins(%[[W]] : memref<4x16xf32>) outs(%[[C]] : memref<4x16xbf16>)
// WIDEN: arith.truncf
// WIDEN: memref.dealloc %[[W]]
// WIDEN-LABEL: func.func @mm_f32
// WIDEN-NOT: memref.alloc
// WIDEN: linalg.matmul
// WIDEN-NOT: memref.alloc
// WIDEN-LABEL: func.func @large
func.func @mm_bf16(%a: memref<4x8xbf16>, %b: memref<8x16xbf16>, %c: memref<4x16xbf16>) {
  linalg.matmul ins(%a, %b : memref<4x8xbf16>, memref<8x16xbf16>) outs(%c : memref<4x16xbf16>)
  return
}
func.func @mm_f32(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// 256 x 256 = 65536 iterations (>= 2^16) go parallel in 256 chunks: one
// per row (the whole second dimension is a chunk's loop); 8 x 8 stays on
// one thread, its rows of 8 computed as vectors (rows-as-vectors.mlir).
// PAR-LABEL: func.func @large
// PAR-SAME: (%[[A:.*]]: memref<256x256xf32>, %[[C:.*]]: memref<256x256xf32>)
// PAR: scf.forall (%[[I:.*]]) in (256) {
// PAR: %[[AV:.*]] = memref.subview %[[A]][%[[I]], 0] [1, 256] [1, 1]
// PAR: %[[CV:.*]] = memref.subview %[[C]][%[[I]], 0] [1, 256] [1, 1]
// PAR: linalg.generic {{.*}} ins(%[[AV]] : {{.*}}) outs(%[[CV]] : {{.*}})
// PAR-LABEL: func.func @small
// PAR-NOT: scf.forall
// PAR: vector.transfer_write %{{.*}} : vector<1x8xf32>
// 2 x 65536: both rows, each cut into 128 chunks of 512 for 256 in all.
// PAR-LABEL: func.func @wide
// PAR: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, 65536) step (1, 512) {
// PAR: linalg.generic {{.*}} outs(%{{.*}} : memref<1x512xf32, strided<[65536, 1], offset: ?>>)
// A sum over the rows (reduction outermost): the 1024 columns in 256
// chunks of 4, each chunk's op summing its 512 rows in their order.
// A transpose (its reads contiguous along another loop than its writes):
// chunks take that loop and the innermost in whole lines of 16 f32, then
// 8 x 8 blocks of the two. NHWC -> NCHW, loops (n, c, h, w) = (1, 256,
// 56, 56), reads contiguous along c: c in 16 chunks of 16, then h cut into
// ceil(256 / 16) = 16 parts of 4; w stays whole. Each chunk: c in blocks of
// 8, w in blocks of 8 (56 = 7 x 8), h whole.
// PAR-LABEL: func.func @nhwc_to_nchw
// PAR: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (256, 56) step (16, 4) {
// PAR: scf.for %{{.*}} = %c0 to %c16 step %c8 {
// PAR: scf.for %{{.*}} = %c0{{.*}} to %c56 step %c8{{.*}} {
// PAR: linalg.transpose ins(%{{.*}} : memref<1x4x8x8xf32, {{.*}}>) outs(%{{.*}} : memref<1x8x4x8xf32, {{.*}}>) permutation = [0, 3, 1, 2]
// The 2-D transpose, loops (768, 512), reads contiguous along the rows of
// the output: rows in 48 chunks of 16, columns cut into ceil(256 / 48) = 6
// parts of 86, up to 96 (whole lines), then up to 128, the first multiple
// of 16 that divides 512: static 8 x 8 blocks in each.
// PAR-LABEL: func.func @transpose_2d
// PAR: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (768, 512) step (16, 128) {
// PAR: scf.for %{{.*}} = %c0 to %c16 step %c8 {
// PAR: scf.for %{{.*}} = %c0{{.*}} to %c128 step %c8{{.*}} {
// PAR: linalg.transpose ins(%{{.*}} : memref<8x8xf32, {{.*}}>) outs(%{{.*}} : memref<8x8xf32, {{.*}}>) permutation = [1, 0]
// A transpose with unit dimensions after its input's innermost non-unit
// one (the RoPE table's 64 x 1024 x 1 x 1 angles into 1 x 1024 x 1 x 64):
// its reads are contiguous along the 1024, which takes chunks and blocks
// as a 2-D transpose's rows do (before, the unit dimension hid the stride
// and the reads went down columns unblocked: 80 us, now 13-18).
// PAR-LABEL: func.func @transpose_unit_dims
// PAR: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1024, 64) step (16, 16) {
// PAR: scf.for %{{.*}} = %c0 to %c16 step %c8 {
// PAR: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c8{{.*}} {
// PAR: linalg.transpose ins(%{{.*}} : memref<8x8x1x1xf32, {{.*}}>) outs(%{{.*}} : memref<1x8x1x8xf32, {{.*}}>) permutation = [2, 1, 3, 0]
// A transpose too small for threads (64 x 256: 16384 elements) is still
// read in 8 x 8 blocks, on one thread (a ResNet-50 filter's transpose:
// 10-11 us unblocked, 3.0 blocked).
// PAR-LABEL: func.func @transpose_small
// PAR-NOT: scf.forall
// PAR: scf.for %{{.*}} = %c0 to %c64 step %c8 {
// PAR: scf.for %{{.*}} = %c0{{.*}} to %c256 step %c8{{.*}} {
// PAR: linalg.transpose ins(%{{.*}} : memref<8x8xf32, {{.*}}>) outs(%{{.*}} : memref<8x8xf32, {{.*}}>) permutation = [1, 0]
// PAR-LABEL: func.func @column_sums
// PAR: scf.forall (%[[J:.*]]) = (0) to (1024) step (4) {
// PAR: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// PAR-SAME: ins(%{{.*}} : memref<512x4xf32, strided<[1024, 1], offset: ?>>)
// PAR-SAME: outs(%{{.*}} : memref<4xf32, strided<[1], offset: ?>>)
// A row's max broadcast over the row (a softmax's x - max) reads one
// element per row, not down a column: chunks of whole rows, no 8x8 blocks.
// PAR-LABEL: func.func @row_broadcast
// PAR: scf.forall (%{{.*}}) = (0) to (1024) step (4) {
// PAR-NOT: scf.for
// PAR: linalg.generic {{.*}} outs(%{{.*}} : memref<4x3072xf32, strided<[3072, 1], offset: ?>>)
func.func @large(%a: memref<256x256xf32>, %c: memref<256x256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<256x256xf32>) outs(%c : memref<256x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}
func.func @small(%a: memref<8x8xf32>, %c: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<8x8xf32>) outs(%c : memref<8x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}
func.func @wide(%a: memref<2x65536xf32>, %c: memref<2x65536xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<2x65536xf32>) outs(%c : memref<2x65536xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}
func.func @nhwc_to_nchw(%a: memref<1x56x56x256xf32>, %c: memref<1x256x56x56xf32>) {
  linalg.transpose ins(%a : memref<1x56x56x256xf32>) outs(%c : memref<1x256x56x56xf32>) permutation = [0, 3, 1, 2]
  return
}
func.func @transpose_2d(%a: memref<512x768xf32>, %c: memref<768x512xf32>) {
  linalg.transpose ins(%a : memref<512x768xf32>) outs(%c : memref<768x512xf32>) permutation = [1, 0]
  return
}
func.func @transpose_unit_dims(%a: memref<64x1024x1x1xf32>, %c: memref<1x1024x1x64xf32>) {
  linalg.transpose ins(%a : memref<64x1024x1x1xf32>) outs(%c : memref<1x1024x1x64xf32>) permutation = [2, 1, 3, 0]
  return
}
func.func @transpose_small(%a: memref<256x64xf32>, %c: memref<64x256xf32>) {
  linalg.transpose ins(%a : memref<256x64xf32>) outs(%c : memref<64x256xf32>) permutation = [1, 0]
  return
}
func.func @column_sums(%a: memref<512x1024xf32>, %c: memref<1024xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
      ins(%a : memref<512x1024xf32>) outs(%c : memref<1024xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }
  return
}
func.func @row_broadcast(%a: memref<1024x3072xf32>, %m: memref<1024xf32>, %c: memref<1024x3072xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a, %m : memref<1024x3072xf32>, memref<1024xf32>) outs(%c : memref<1024x3072xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.subf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Public functions with a body get a C interface; private ones and
// declarations do not.
// CIFACE-LABEL: func.func @visible
// CIFACE-SAME: attributes {llvm.emit_c_interface}
// CIFACE-LABEL: func.func private @hidden
// CIFACE-NOT: llvm.emit_c_interface
// CIFACE-LABEL: func.func private @declared
// CIFACE-NOT: llvm.emit_c_interface
func.func @visible() {
  return
}
func.func private @hidden() {
  return
}
func.func private @declared()

// -----

// Contractions and convolutions left to loops accumulate with fused
// multiply-adds, operands in their order; the elementwise a * b + c, an
// integer matmul and a sum of a product with something other than the
// accumulator are left alone.
// CIFACE-LABEL: func.func @named
// FUSE-LABEL: func.func @named
// FUSE: linalg.generic
// FUSE: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACC:.*]]: f32):
// FUSE-NEXT: %[[F:.*]] = math.fma %[[A]], %[[B]], %[[ACC]] : f32
// FUSE-NEXT: linalg.yield %[[F]]
// FUSE-NOT: linalg.matmul
// FUSE-LABEL: func.func @nchw
// FUSE: math.fma
// FUSE-NOT: linalg.conv_2d_nchw_fchw
// FUSE-LABEL: func.func @widened
// FUSE: %[[X:.*]] = arith.extf %{{.*}} : bf16 to f32
// FUSE: %[[Y:.*]] = arith.extf %{{.*}} : bf16 to f32
// FUSE: math.fma %[[X]], %[[Y]], %{{.*}} : f32
// FUSE-LABEL: func.func @elementwise
// FUSE-NOT: math.fma
// FUSE: arith.mulf
// FUSE: arith.addf
// FUSE-LABEL: func.func @integers
// FUSE: linalg.matmul
// FUSE-LABEL: func.func @not_accumulated
// FUSE-NOT: math.fma
// FUSE: arith.addf
func.func @named(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}
func.func @nchw(%i: memref<1x3x8x8xf32>, %f: memref<4x3x3x3xf32>, %o: memref<1x4x6x6xf32>) {
  linalg.conv_2d_nchw_fchw ins(%i, %f : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%o : memref<1x4x6x6xf32>)
  return
}
func.func @widened(%a: memref<4x8xbf16>, %b: memref<8x16xbf16>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xbf16>, memref<8x16xbf16>) outs(%c : memref<4x16xf32>)
  return
}
func.func @elementwise(%a: memref<16xf32>, %b: memref<16xf32>, %c: memref<16xf32>, %d: memref<16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a, %b, %c : memref<16xf32>, memref<16xf32>, memref<16xf32>) outs(%d : memref<16xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %p, %z : f32
    linalg.yield %s : f32
  }
  return
}
func.func @integers(%a: memref<4x8xi32>, %b: memref<8x16xi32>, %c: memref<4x16xi32>) {
  linalg.matmul ins(%a, %b : memref<4x8xi32>, memref<8x16xi32>) outs(%c : memref<4x16xi32>)
  return
}
func.func @not_accumulated(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %p, %x : f32
    %t = arith.maximumf %s, %o : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// f32 tanh, exp and erf become polynomials (arithmetic: no call to libm is
// left), in a linalg body and on vectors alike; sin and cos keep libm's
// calls, and so does an f64 exp (the polynomials are f32's).
// APPROX-LABEL: func.func @gelu_body
// APPROX-NOT: math.tanh
// APPROX: math.fma
// APPROX-NOT: math.tanh
// APPROX: linalg.yield
// APPROX-LABEL: func.func @vectors
// APPROX-NOT: math.exp
// APPROX-NOT: math.erf
// APPROX: return
// APPROX-LABEL: func.func @kept
// APPROX: math.sin %{{.*}} : f32
// APPROX: math.cos %{{.*}} : f32
// APPROX: math.exp %{{.*}} : f64
func.func @gelu_body(%a: memref<16xf32>, %c: memref<16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : memref<16xf32>) outs(%c : memref<16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = math.tanh %x : f32
    linalg.yield %t : f32
  }
  return
}
func.func @vectors(%v: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %e = math.exp %v : vector<16xf32>
  %r = math.erf %v : vector<16xf32>
  return %e, %r : vector<16xf32>, vector<16xf32>
}
func.func @kept(%x: f32, %y: f64) -> (f32, f32, f64) {
  %s = math.sin %x : f32
  %c = math.cos %x : f32
  %e = math.exp %y : f64
  return %s, %c, %e : f32, f32, f64
}

// -----

// A row sum's element, loaded and stored at every step of the inner loop,
// is carried in a register through it: one load before, one store after.
// Through two reduction loops (a window), through both. A loop whose
// element's index moves with it, or that stores elsewhere too, is left,
// and so is one that reads another argument: two arguments may be one
// buffer (the sums' outputs above are allocated in the function).
// CARRY-LABEL: func.func @row_sums
// CARRY: scf.for %[[I:.*]] = {{.*}} {
// CARRY-NEXT: %[[INIT:.*]] = memref.load %[[OUT:.*]][%[[I]]]
// CARRY-NEXT: %[[SUM:.*]] = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32) {
// CARRY-NEXT: %[[X:.*]] = memref.load
// CARRY-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[ACC]]
// CARRY-NEXT: scf.yield %[[S]]
// CARRY-NEXT: }
// CARRY-NEXT: memref.store %[[SUM]], %[[OUT]][%[[I]]]
// CARRY-LABEL: func.func @window
// CARRY: %[[W:.*]] = memref.load %{{.*}}[%{{.*}}]
// CARRY-NEXT: %[[R:.*]] = scf.for %{{.*}} iter_args(%[[A0:.*]] = %[[W]]) -> (f32) {
// CARRY-NEXT: %[[R2:.*]] = scf.for %{{.*}} iter_args(%[[A1:.*]] = %[[A0]]) -> (f32) {
// CARRY-NOT: memref.store
// CARRY: memref.store %[[R]]
// CARRY-LABEL: func.func @kept
// CARRY-NOT: iter_args
// CARRY: return
func.func @row_sums(%a: memref<4x8xf32>) -> memref<4xf32> {
  %out = memref.alloc() : memref<4xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %x = memref.load %a[%i, %j] : memref<4x8xf32>
      %o = memref.load %out[%i] : memref<4xf32>
      %s = arith.addf %x, %o : f32
      memref.store %s, %out[%i] : memref<4xf32>
    }
  }
  return %out : memref<4xf32>
}
func.func @window(%a: memref<4x3x3xf32>) -> memref<4xf32> {
  %out = memref.alloc() : memref<4xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %kh = %c0 to %c3 step %c1 {
      scf.for %kw = %c0 to %c3 step %c1 {
        %x = memref.load %a[%i, %kh, %kw] : memref<4x3x3xf32>
        %o = memref.load %out[%i] : memref<4xf32>
        %m = arith.maximumf %x, %o : f32
        memref.store %m, %out[%i] : memref<4xf32>
      }
    }
  }
  return %out : memref<4xf32>
}
func.func @kept(%a: memref<8xf32>, %out: memref<8xf32>, %other: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %j = %c0 to %c8 step %c1 {
    %x = memref.load %a[%j] : memref<8xf32>
    %o = memref.load %out[%j] : memref<8xf32>
    %s = arith.addf %x, %o : f32
    memref.store %s, %out[%j] : memref<8xf32>
  }
  scf.for %j = %c0 to %c8 step %c1 {
    %x = memref.load %a[%j] : memref<8xf32>
    %o = memref.load %out[%c0] : memref<8xf32>
    %s = arith.addf %x, %o : f32
    memref.store %s, %out[%c0] : memref<8xf32>
    memref.store %s, %other[%j] : memref<8xf32>
  }
  scf.for %j = %c0 to %c8 step %c1 {
    %x = memref.load %a[%j] : memref<8xf32>
    %o = memref.load %out[%c0] : memref<8xf32>
    %s = arith.addf %x, %o : f32
    memref.store %s, %out[%c0] : memref<8xf32>
  }
  return
}

// -----

// A copy into the middle of a padded buffer (strided target), one out of a
// column slice (strided source) and one of a dynamic strided view become
// linalg.copy, which the back end chunks and vectorises; a copy between
// contiguous buffers (identity layouts, or a contiguous view: a leading
// row slice) stays memref.copy, which upstream lowers to a memcpy, and so
// does an unranked one.
// COPY-LABEL: func.func @copies
// COPY-SAME: (%[[X:.*]]: memref<1x4x4x8xf32>, %[[P:.*]]: memref<1x6x6x8xf32>, %[[M:.*]]: memref<8x16xf32>, %[[N:.*]]: memref<8x4xf32>, %[[R:.*]]: memref<2x16xf32>, %[[U:.*]]: memref<*xf32>, %[[V:.*]]: memref<*xf32>, %[[D:.*]]: memref<?x16xf32>, %[[E:.*]]: memref<?x4xf32>)
// COPY: %[[INNER:.*]] = memref.subview %[[P]][0, 1, 1, 0]
// COPY-NEXT: linalg.copy ins(%[[X]] : memref<1x4x4x8xf32>) outs(%[[INNER]] : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)
// COPY-NEXT: %[[COLS:.*]] = memref.subview %[[M]][0, 4] [8, 4] [1, 1]
// COPY-NEXT: linalg.copy ins(%[[COLS]] : {{.*}}) outs(%[[N]] : memref<8x4xf32>)
// COPY-NEXT: %[[ROWS:.*]] = memref.subview %[[M]][2, 0] [2, 16] [1, 1]
// COPY-NEXT: memref.copy %[[ROWS]], %[[R]]
// COPY-NEXT: memref.copy %[[U]], %[[V]] : memref<*xf32> to memref<*xf32>
// COPY: %[[DCOLS:.*]] = memref.subview %[[D]]
// COPY-NEXT: linalg.copy ins(%[[DCOLS]] : {{.*}}) outs(%[[E]] : memref<?x4xf32>)
// COPY-NEXT: memref.copy %[[N]], %[[N]] : memref<8x4xf32> to memref<8x4xf32>
// COPY-NEXT: return
func.func @copies(%x: memref<1x4x4x8xf32>, %p: memref<1x6x6x8xf32>,
                  %m: memref<8x16xf32>, %n: memref<8x4xf32>,
                  %r: memref<2x16xf32>, %u: memref<*xf32>, %v: memref<*xf32>,
                  %d: memref<?x16xf32>, %e: memref<?x4xf32>) {
  %inner = memref.subview %p[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
      : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  memref.copy %x, %inner : memref<1x4x4x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  %cols = memref.subview %m[0, 4] [8, 4] [1, 1]
      : memref<8x16xf32> to memref<8x4xf32, strided<[16, 1], offset: 4>>
  memref.copy %cols, %n : memref<8x4xf32, strided<[16, 1], offset: 4>> to memref<8x4xf32>
  %rows = memref.subview %m[2, 0] [2, 16] [1, 1]
      : memref<8x16xf32> to memref<2x16xf32, strided<[16, 1], offset: 32>>
  memref.copy %rows, %r : memref<2x16xf32, strided<[16, 1], offset: 32>> to memref<2x16xf32>
  memref.copy %u, %v : memref<*xf32> to memref<*xf32>
  %c0 = arith.constant 0 : index
  %rowsd = memref.dim %d, %c0 : memref<?x16xf32>
  %dcols = memref.subview %d[0, 4] [%rowsd, 4] [1, 1]
      : memref<?x16xf32> to memref<?x4xf32, strided<[16, 1], offset: 4>>
  memref.copy %dcols, %e : memref<?x4xf32, strided<[16, 1], offset: 4>> to memref<?x4xf32>
  memref.copy %n, %n : memref<8x4xf32> to memref<8x4xf32>
  return
}

// -----

// A float reduction's combiner may be reassociated (the loop vectoriser
// keeps one partial result per lane): a row sum (its existing flags kept),
// a sum of squares, a max; a linalg.reduce too. Not: an elementwise op
// (no reduction), an add that does not update the output (the product
// before it), the FMA of a contraction (fungible-cpu-fuse-contractions),
// an integer sum.
// REASSOC-LABEL: func.func @reductions
// REASSOC: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc,contract> : f32
// REASSOC: %[[SQ:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// REASSOC-NEXT: arith.addf %{{.*}}, %[[SQ]] fastmath<reassoc> : f32
// REASSOC: arith.maximumf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
// REASSOC: linalg.reduce
// REASSOC: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
// REASSOC-LABEL: func.func @left_alone
// REASSOC-NOT: reassoc
#row = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d0)>
func.func @reductions(%x: memref<4x8xf32>, %s: memref<4xf32>) {
  linalg.generic {indexing_maps = [#row, #col], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x8xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %out fastmath<contract> : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [#row, #col], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x8xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %in, %in : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [#row, #col], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x8xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %out : f32
    linalg.yield %0 : f32
  }
  linalg.reduce ins(%x : memref<4x8xf32>) outs(%s : memref<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %0 = arith.addf %in, %acc : f32
      linalg.yield %0 : f32
    }
  return
}
func.func @left_alone(%x: memref<4x8xf32>, %y: memref<8x8xf32>, %s: memref<4xf32>, %o: memref<4x8xf32>, %i: memref<4x8xi32>, %si: memref<4xi32>) {
  linalg.generic {indexing_maps = [#row, #row], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x8xf32>) outs(%o : memref<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %out : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [#row, #col], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x8xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %in : f32
    %1 = arith.mulf %0, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.matmul ins(%x, %y : memref<4x8xf32>, memref<8x8xf32>) outs(%o : memref<4x8xf32>)
  linalg.generic {indexing_maps = [#row, #col], iterator_types = ["parallel", "reduction"]}
      ins(%i : memref<4x8xi32>) outs(%si : memref<4xi32>) {
  ^bb0(%in: i32, %out: i32):
    %0 = arith.addi %in, %out : i32
    linalg.yield %0 : i32
  }
  return
}
