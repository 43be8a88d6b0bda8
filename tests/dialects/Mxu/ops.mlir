// RUN: fungible-opt %s | fungible-opt | FileCheck %s

// Every mxu op parses, verifies and prints back (a round trip through the
// printer and the parser again).

// CHECK-LABEL: func.func @program
// CHECK: mxu.vmem_alloc : memref<2x256x256xbf16>
// CHECK: mxu.dma_load %{{.*}}[%{{.*}}, %{{.*}}] -> %{{.*}}[%{{.*}}] : memref<1000x1000xbf16>, memref<2x256x256xbf16>
// CHECK: mxu.dma_wait %{{.*}}[%{{.*}}] : memref<2x256x256xbf16>
// CHECK: mxu.matmul %{{.*}}[%{{.*}}], %{{.*}}[%{{.*}}] -> %{{.*}}[%{{.*}}] {dim = 256 : i64} : memref<2x256x256xbf16>, memref<2x256x256xbf16>, memref<1x256x256xf32>
// CHECK: mxu.vpu ins(%{{.*}} : memref<1x256x256xf32>) slots(%{{.*}}) outs(%{{.*}}[%{{.*}}] : memref<1x256x256xbf16>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32):
// CHECK-NEXT: %[[T:.*]] = arith.truncf %[[X]] : f32 to bf16
// CHECK-NEXT: mxu.yield %[[T]] : bf16
// CHECK: mxu.vpu outs(%{{.*}}[%{{.*}}] : memref<1x256x256xf32>)
// CHECK: mxu.dma_store %{{.*}}[%{{.*}}] -> %{{.*}}[%{{.*}}, %{{.*}}] : memref<1x256x256xbf16>, memref<1000x1000xbf16>
func.func @program(%a: memref<1000x1000xbf16>, %c: memref<1000x1000xbf16>)
    attributes {mxu.vmem_bytes = 1048576 : i64} {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %buf = mxu.vmem_alloc : memref<2x256x256xbf16>
  %acc = mxu.vmem_alloc : memref<1x256x256xf32>
  %out = mxu.vmem_alloc : memref<1x256x256xbf16>
  mxu.dma_load %a[%c0, %c0] -> %buf[%c0] : memref<1000x1000xbf16>, memref<2x256x256xbf16>
  mxu.dma_wait %buf[%c0] : memref<2x256x256xbf16>
  mxu.matmul %buf[%c0], %buf[%c0] -> %acc[%c0] {dim = 256 : i64}
      : memref<2x256x256xbf16>, memref<2x256x256xbf16>, memref<1x256x256xf32>
  mxu.vpu ins(%acc : memref<1x256x256xf32>) slots(%c0) outs(%out[%c0] : memref<1x256x256xbf16>) {
  ^bb0(%x: f32):
    %t = arith.truncf %x : f32 to bf16
    mxu.yield %t : bf16
  }
  mxu.vpu outs(%acc[%c0] : memref<1x256x256xf32>) {
    mxu.yield %zero : f32
  }
  mxu.dma_store %out[%c0] -> %c[%c0, %c0] : memref<1x256x256xbf16>, memref<1000x1000xbf16>
  mxu.dma_wait %out[%c0] : memref<1x256x256xbf16>
  return
}

// Buffers in sibling regions are not live together: two programs of
// 768 KiB each fit a 1 MiB core one after the other.
// CHECK-LABEL: func.func @scopes
// CHECK-COUNT-2: memref.alloca_scope
func.func @scopes() attributes {mxu.vmem_bytes = 1048576 : i64} {
  memref.alloca_scope {
    %a = mxu.vmem_alloc : memref<2x384x256xf32>
  }
  memref.alloca_scope {
    %b = mxu.vmem_alloc : memref<2x384x256xf32>
  }
  return
}

// A row-broadcast input (a sublane broadcast of its row 0) may have fewer
// rows than the output.
// CHECK-LABEL: func.func @row_broadcast
// CHECK: mxu.vpu ins(%{{.*}}, %{{.*}} : memref<1x8x128xf32>, memref<2x64x128xf32>)
// CHECK: } {row_broadcast = array<i64: 0>}
func.func @row_broadcast(%gate: memref<1x8x128xf32>, %x: memref<2x64x128xf32>, %out: memref<1x64x128xf32>) {
  %c0 = arith.constant 0 : index
  mxu.vpu ins(%gate, %x : memref<1x8x128xf32>, memref<2x64x128xf32>) slots(%c0, %c0) outs(%out[%c0] : memref<1x64x128xf32>) {
  ^bb0(%g: f32, %v: f32):
    %p = arith.mulf %g, %v : f32
    mxu.yield %p : f32
  } {row_broadcast = array<i64: 0>}
  return
}

// A fold across lanes into lane 0 of an accumulator, a per-row input read
// at lane 0 (a variance's mean), and a VPU op reading a per-row value at
// lane 0 for every lane.
// CHECK-LABEL: func.func @reduce_lanes
// CHECK: mxu.reduce ins(%{{.*}}, %{{.*}} : memref<1x16x256xf32>, memref<1x16x128xf32>) slots(%{{.*}}, %{{.*}}) outs(%{{.*}}[%{{.*}}] : memref<1x16x128xf32>) count(%{{.*}})
// CHECK: } {lane_broadcast = array<i64: 1>}
// CHECK: mxu.vpu
// CHECK: } {lane_broadcast = array<i64: 1>}
func.func @reduce_lanes(%x: memref<1x16x256xf32>, %mean: memref<1x16x128xf32>, %var: memref<1x16x128xf32>, %y: memref<1x16x256xf32>) {
  %c0 = arith.constant 0 : index
  %n = arith.constant 200 : index
  mxu.reduce ins(%x, %mean : memref<1x16x256xf32>, memref<1x16x128xf32>) slots(%c0, %c0) outs(%var[%c0] : memref<1x16x128xf32>) count(%n) {
  ^bb0(%a: f32, %m: f32, %acc: f32):
    %d = arith.subf %a, %m : f32
    %s = arith.mulf %d, %d : f32
    %r = arith.addf %s, %acc : f32
    mxu.yield %r : f32
  } {lane_broadcast = array<i64: 1>}
  mxu.vpu ins(%x, %mean : memref<1x16x256xf32>, memref<1x16x128xf32>) slots(%c0, %c0) outs(%y[%c0] : memref<1x16x256xf32>) {
  ^bb0(%a: f32, %m: f32):
    %d = arith.subf %a, %m : f32
    mxu.yield %d : f32
  } {lane_broadcast = array<i64: 1>}
  return
}

// A causal mask: the element's row (offset by the tile's) and lane.
// CHECK-LABEL: func.func @iota_mask
// CHECK: %[[ROW:.*]] = mxu.iota {dimension = 0 : i64}
// CHECK: %[[I:.*]] = arith.addi %{{.*}}, %[[ROW]] : index
// CHECK: %[[J:.*]] = mxu.iota {dimension = 1 : i64}
// CHECK: arith.cmpi ugt, %[[J]], %[[I]] : index
func.func @iota_mask(%s: memref<1x8x128xf32>, %m: memref<1x8x128xf32>, %r0: index) {
  %c0 = arith.constant 0 : index
  %ninf = arith.constant 0xFF800000 : f32
  mxu.vpu ins(%s : memref<1x8x128xf32>) slots(%c0) outs(%m[%c0] : memref<1x8x128xf32>) {
  ^bb0(%x: f32):
    %row = mxu.iota {dimension = 0 : i64}
    %i = arith.addi %r0, %row : index
    %j = mxu.iota {dimension = 1 : i64}
    %above = arith.cmpi ugt, %j, %i : index
    %y = arith.select %above, %ninf, %x : f32
    mxu.yield %y : f32
  }
  return
}
