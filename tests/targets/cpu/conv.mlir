// The CPU back end vectorises NHWC convolutions (targets/cpu/CpuLowering.cpp,
// vectorizeConvolution): output tiles of OWt x Ft (4 x 64 when they divide)
// as an scf.forall when there is enough work for threads, a loop over the
// filter rows and one over channel tiles inside, and each filter row a 1-D
// convolution that upstream's vectoriser turns into contractions, lowered
// to FMAs. A conv too small for threads keeps sequential loops.
// RUN: fungible-opt %s --fungible-cpu-vectorize-matmuls | FileCheck %s
// The numbers, through fungible-run on the host, against the definition
// computed in Python (exact: the inputs are multiples of 1/8): a strided
// conv whose 40 channels tile by 8 and whose 5 columns tile by 1, a
// strided depthwise conv, a 64 -> 128 conv on 7 x 32 tiles, and 1x1
// convs to 3 and to 24 channels (matmuls: tiles of 3 and of 24 lanes are
// not whole vectors; register tiles of 2 and 1, and 16 and 8 columns).
// RUN: rm -rf %t && %python %S/Inputs/check_conv.py inputs %t/in
// RUN: fungible-run %S/Inputs/conv-numbers.mlir --devices=cpu-host --inputs=%t/in --out=%t/out 2> /dev/null
// RUN: %python %S/Inputs/check_conv.py check %t/out | FileCheck %s --check-prefix=NUM
// NUM: conv 0: 1600 values, 0 differ
// NUM: conv 1: 600 values, 0 differ
// NUM: conv 2: 6272 values, 0 differ
// NUM: conv 3: 126 values, 0 differ
// NUM: conv 4: 720 values, 0 differ

// The output tile is read once, carried through the filter-row and
// channel loops in registers, and written once.
// CHECK-LABEL: func.func @conv
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (28, 28, 128) step (1, 4, 64)
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} vector<4x64xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ACC]]) -> (vector<4x64xf32>)
// CHECK: scf.for {{.*}} iter_args
// CHECK-COUNT-2: vector.transfer_read
// CHECK: vector.fma {{.*}} : vector<64xf32>
// CHECK: scf.yield {{.*}} : vector<4x64xf32>
// CHECK: scf.yield {{.*}} : vector<4x64xf32>
// CHECK: vector.transfer_write {{.*}} : vector<4x64xf32>
// CHECK-NOT: linalg.conv
func.func @conv(%in: memref<1x30x30x64xf32>, %f: memref<3x3x64x128xf32>, %out: memref<1x28x28x128xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %f : memref<1x30x30x64xf32>, memref<3x3x64x128xf32>) outs(%out : memref<1x28x28x128xf32>)
  return
}

// Seven output columns take 32 channels a tile: 14 accumulator registers
// (7 x 64 would take 28 of the 32).
// CHECK-LABEL: func.func @seven
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (7, 128) step (1, 32)
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} vector<7x32xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ACC]]) -> (vector<7x32xf32>)
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write {{.*}} : vector<7x32xf32>
func.func @seven(%in: memref<1x9x9x64xf32>, %f: memref<3x3x64x128xf32>, %out: memref<1x7x7x128xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %f : memref<1x9x9x64xf32>, memref<3x3x64x128xf32>) outs(%out : memref<1x7x7x128xf32>)
  return
}

// A 1x1 convolution to 24 channels, whose tiles would be 8 lanes wide
// (half a vector), is the matmul it is: [56*56, 144] by [144, 24] on
// collapsed views, its 24 columns register tiles of 16 and 8.
// CHECK-LABEL: func.func @pointwise_narrow
// CHECK-DAG: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<1x56x56x144xf32> into memref<3136x144xf32>
// CHECK-DAG: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<1x1x144x24xf32> into memref<144x24xf32>
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK: vector.fma {{.*}} : vector<8xf32>
// CHECK-NOT: linalg.conv
func.func @pointwise_narrow(%in: memref<1x56x56x144xf32>, %f: memref<1x1x144x24xf32>, %out: memref<1x56x56x24xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %f : memref<1x56x56x144xf32>, memref<1x1x144x24xf32>) outs(%out : memref<1x56x56x24xf32>)
  return
}

// 8 x 8 x 24 x 9 = 13824 multiply-adds: no threads.
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: scf.forall
// CHECK: scf.for
// CHECK: vector.fma {{.*}} : vector<8xf32>
// CHECK-NOT: linalg.depthwise
func.func @depthwise(%in: memref<1x17x17x24xf32>, %f: memref<3x3x24xf32>, %out: memref<1x8x8x24xf32>) {
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%in, %f : memref<1x17x17x24xf32>, memref<3x3x24xf32>) outs(%out : memref<1x8x8x24xf32>)
  return
}

// The matmul schedule's accumulator tile, likewise, is carried by the K
// loop (upstream's hoisting declines tiles that are views); each of its
// four rows takes one fused multiply-add per step of K.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[C:.*]] = vector.transfer_read {{.*}} vector<4x64xf32>
// CHECK: scf.for {{.*}} iter_args(%[[ITER:.*]] = %[[C]]) -> (vector<4x64xf32>)
// CHECK: %[[ROW0:.*]] = vector.extract %[[ITER]][0] : vector<64xf32> from vector<4x64xf32>
// CHECK: vector.fma %{{.*}}, %{{.*}}, %[[ROW0]] : vector<64xf32>
// CHECK: %[[ROW3:.*]] = vector.extract %[[ITER]][3] : vector<64xf32> from vector<4x64xf32>
// CHECK: vector.fma %{{.*}}, %{{.*}}, %[[ROW3]] : vector<64xf32>
// CHECK-NOT: arith.addf
// CHECK: scf.yield {{.*}} : vector<4x64xf32>
// CHECK: vector.transfer_write {{.*}} : vector<4x64xf32>
func.func @matmul(%a: memref<256x256xf32>, %b: memref<256x256xf32>, %c: memref<256x256xf32>) {
  linalg.matmul ins(%a, %b : memref<256x256xf32>, memref<256x256xf32>) outs(%c : memref<256x256xf32>)
  return
}

// A batch matmul is a loop over its batch of matmuls on rank-reduced
// views, each through the matmul schedule: parallel over 12 heads of
// 128x128x64 (12 x 2^20 multiply-adds: 2^19 or more), sequential over two
// 8x8x8.
// CHECK-LABEL: func.func @batched
// CHECK: scf.forall (%[[H:.*]]) in (12) {
// CHECK: memref.subview %{{.*}}[%[[H]], 0, 0] [1, 128, 64] [1, 1, 1]
// CHECK: memref.subview {{.*}} : memref<1x128x64xf32, strided<[8192, 64, 1], offset: ?>> to memref<128x64xf32, strided<[64, 1], offset: ?>>
// CHECK: scf.for
// CHECK: vector.fma {{.*}} : vector<64xf32>
// CHECK-NOT: linalg.batch_matmul
// CHECK-LABEL: func.func @one_small
// CHECK-NOT: scf.forall
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK: vector.fma
// CHECK-NOT: linalg.batch_matmul
func.func @batched(%a: memref<12x128x64xf32>, %b: memref<12x64x128xf32>, %c: memref<12x128x128xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<12x128x64xf32>, memref<12x64x128xf32>) outs(%c : memref<12x128x128xf32>)
  return
}
func.func @one_small(%a: memref<2x8x8xf32>, %b: memref<2x8x8xf32>, %c: memref<2x8x8xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<2x8x8xf32>, memref<2x8x8xf32>) outs(%c : memref<2x8x8xf32>)
  return
}

// Not NHWC on buffers of floats: left to the loops.
// CHECK-LABEL: func.func @integers
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @integers(%in: memref<1x6x6x4xi32>, %f: memref<3x3x4x8xi32>, %out: memref<1x4x4x8xi32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %f : memref<1x6x6x4xi32>, memref<3x3x4x8xi32>) outs(%out : memref<1x4x4x8xi32>)
  return
}
