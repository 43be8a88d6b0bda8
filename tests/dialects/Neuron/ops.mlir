// RUN: fungible-opt %s | fungible-opt | FileCheck %s

// Every neuron op parses, verifies and prints back.

// CHECK-LABEL: func.func @program
// CHECK: neuron.sbuf_alloc : memref<128x128xbf16>
// CHECK: neuron.psum_alloc : memref<128x512xf32>
// CHECK: neuron.wait sync on 1
// CHECK: neuron.dma_load %{{.*}}[%{{.*}}, %{{.*}}] -> %{{.*}} {signal = 0 : i64, transpose} : memref<1000x1000xbf16>, memref<128x128xbf16>
// CHECK: neuron.wait tensor on 0
// CHECK: neuron.matmul %{{.*}}, %{{.*}} -> %{{.*}} start(%{{.*}}) {signal = 1 : i64} : memref<128x128xbf16>, memref<128x512xbf16>, memref<128x512xf32>
// CHECK: neuron.elementwise scalar ins(%{{.*}} : memref<128x512xf32>) outs(%{{.*}} : memref<128x512xbf16>)
// CHECK: math.exp
// CHECK: neuron.yield %{{.*}} : bf16
// CHECK: neuron.elementwise gpsimd outs(%{{.*}} : memref<128x512xbf16>)
// CHECK: neuron.dma_store %{{.*}} -> %{{.*}}[%{{.*}}, %{{.*}}] {signal = 2 : i64} : memref<128x512xbf16>, memref<1000x1000xbf16>
func.func @program(%a: memref<1000x1000xbf16>, %c: memref<1000x1000xbf16>)
    attributes {neuron.sbuf_partition_bytes = 196608 : i64} {
  %c0 = arith.constant 0 : index
  %true = arith.constant true
  %zero = arith.constant 0.0 : bf16
  %st = neuron.sbuf_alloc : memref<128x128xbf16>
  %mv = neuron.sbuf_alloc : memref<128x512xbf16>
  %ps = neuron.psum_alloc : memref<128x512xf32>
  %out = neuron.sbuf_alloc : memref<128x512xbf16>
  neuron.wait sync on 1
  neuron.dma_load %a[%c0, %c0] -> %st {transpose, signal = 0 : i64} : memref<1000x1000xbf16>, memref<128x128xbf16>
  neuron.dma_load %a[%c0, %c0] -> %mv {signal = 0 : i64} : memref<1000x1000xbf16>, memref<128x512xbf16>
  neuron.wait tensor on 0
  neuron.matmul %st, %mv -> %ps start(%true) {signal = 1 : i64}
      : memref<128x128xbf16>, memref<128x512xbf16>, memref<128x512xf32>
  neuron.wait scalar on 1
  neuron.elementwise scalar ins(%ps : memref<128x512xf32>) outs(%out : memref<128x512xbf16>) {
  ^bb0(%x: f32):
    %e = math.exp %x : f32
    %t = arith.truncf %e : f32 to bf16
    neuron.yield %t : bf16
  } {signal = 1 : i64}
  neuron.elementwise gpsimd outs(%out : memref<128x512xbf16>) {
    neuron.yield %zero : bf16
  }
  neuron.wait sync on 1
  neuron.dma_store %out -> %c[%c0, %c0] {signal = 2 : i64} : memref<128x512xbf16>, memref<1000x1000xbf16>
  return
}

// A row fold and a per-partition column operand.
// CHECK-LABEL: func.func @row_ops
// CHECK: neuron.reduce vector ins(%{{.*}} : memref<128x2048xf32>) outs(%{{.*}} : memref<128x1xf32>) count(%{{.*}}) {
// CHECK: arith.maximumf
// CHECK: neuron.elementwise scalar ins(%{{.*}}, %{{.*}} : memref<128x2048xf32>, memref<128x1xf32>) outs(%{{.*}} : memref<128x2048xf32>)
func.func @row_ops(%n: index) {
  %x = neuron.sbuf_alloc : memref<128x2048xf32>
  %m = neuron.sbuf_alloc : memref<128x1xf32>
  %y = neuron.sbuf_alloc : memref<128x2048xf32>
  neuron.reduce vector ins(%x : memref<128x2048xf32>) outs(%m : memref<128x1xf32>) count(%n) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.maximumf %a, %acc : f32
    neuron.yield %r : f32
  }
  neuron.elementwise scalar ins(%x, %m : memref<128x2048xf32>, memref<128x1xf32>) outs(%y : memref<128x2048xf32>) {
  ^bb0(%a: f32, %b: f32):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    neuron.yield %e : f32
  }
  return
}

// A causal mask from the element's partition and free indices, and a
// block of probabilities transposed into a PSUM bank.
// CHECK-LABEL: func.func @iota_transpose
// CHECK: %[[P:.*]] = neuron.iota {dimension = 0 : i64}
// CHECK: %[[F:.*]] = neuron.iota {dimension = 1 : i64}
// CHECK: arith.cmpi ugt, %[[F]], %[[P]] : index
// CHECK: neuron.transpose %{{.*}} -> %{{.*}} {signal = 1 : i64} : memref<40x128xf32>, memref<128x40xf32>
// CHECK: neuron.transpose %{{.*}} -> %{{.*}} : memref<40x128xbf16>, memref<128x40xf32>
func.func @iota_transpose()
    attributes {neuron.sbuf_partition_bytes = 196608 : i64} {
  %ninf = arith.constant 0xFF800000 : f32
  %s = neuron.sbuf_alloc : memref<40x128xf32>
  %m = neuron.sbuf_alloc : memref<40x128xf32>
  %t = neuron.psum_alloc : memref<128x40xf32>
  neuron.elementwise vector ins(%s : memref<40x128xf32>) outs(%m : memref<40x128xf32>) {
  ^bb0(%x: f32):
    %p = neuron.iota {dimension = 0 : i64}
    %f = neuron.iota {dimension = 1 : i64}
    %above = arith.cmpi ugt, %f, %p : index
    %y = arith.select %above, %ninf, %x : f32
    neuron.yield %y : f32
  }
  neuron.transpose %m -> %t {signal = 1 : i64} : memref<40x128xf32>, memref<128x40xf32>
  // bf16 probabilities pass into the f32 bank unchanged.
  %mb = neuron.sbuf_alloc : memref<40x128xbf16>
  neuron.transpose %mb -> %t : memref<40x128xbf16>, memref<128x40xf32>
  return
}
