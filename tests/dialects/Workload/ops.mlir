// RUN: fungible-opt %s | fungible-opt | FileCheck %s
// RUN: fungible-opt %s --mlir-print-op-generic | fungible-opt | FileCheck %s

// Round trip of every wl op: print -> parse -> print is stable, and the
// generic form parses back to the same custom form.

// CHECK-LABEL: func.func @contractions
func.func @contractions(%a: tensor<16x8xbf16>, %b: tensor<32x8xbf16>,
                        %ba: tensor<4x16x8xf32>, %bb: tensor<4x8x2xf32>,
                        %x: tensor<1x9x9x8xf32>, %w: tensor<3x3x4x6xf32>,
                        %q: tensor<2x4x16xf16>, %k: tensor<2x6x16xf16>,
                        %v: tensor<2x6x8xf16>, %mask: tensor<1x6xf16>,
                        %gq: tensor<2x4x4x16xf16>, %gk: tensor<2x1x6x16xf16>,
                        %gv: tensor<2x1x6x8xf16>, %pos: index) {
  // CHECK: wl.matmul %{{.*}}, %{{.*}} {transpose_rhs} : (tensor<16x8xbf16>, tensor<32x8xbf16>) -> tensor<16x32xf32>
  %0 = wl.matmul %a, %b {transpose_rhs} : (tensor<16x8xbf16>, tensor<32x8xbf16>) -> tensor<16x32xf32>
  // CHECK: wl.batch_matmul %{{.*}}, %{{.*}} : (tensor<4x16x8xf32>, tensor<4x8x2xf32>) -> tensor<4x16x2xf32>
  %1 = wl.batch_matmul %ba, %bb : (tensor<4x16x8xf32>, tensor<4x8x2xf32>) -> tensor<4x16x2xf32>
  // CHECK: wl.matmul %{{.*}}, %{{.*}} acc %{{.*}} {transpose_rhs} : (tensor<16x8xbf16>, tensor<32x8xbf16>, tensor<16x32xf32>) -> tensor<16x32xf32>
  %acc = wl.matmul %a, %b acc %0 {transpose_rhs} : (tensor<16x8xbf16>, tensor<32x8xbf16>, tensor<16x32xf32>) -> tensor<16x32xf32>
  // CHECK: wl.batch_matmul %{{.*}}, %{{.*}} acc %{{.*}} : (tensor<4x16x8xf32>, tensor<4x8x2xf32>, tensor<4x16x2xf32>) -> tensor<4x16x2xf32>
  %bacc = wl.batch_matmul %ba, %bb acc %1 : (tensor<4x16x8xf32>, tensor<4x8x2xf32>, tensor<4x16x2xf32>) -> tensor<4x16x2xf32>
  // CHECK: wl.conv2d %{{.*}}, %{{.*}} {groups = 2 : i64, padding = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>}
  // CHECK-SAME: (tensor<1x9x9x8xf32>, tensor<3x3x4x6xf32>) -> tensor<1x5x4x6xf32>
  %2 = wl.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>, groups = 2 : i64} : (tensor<1x9x9x8xf32>, tensor<3x3x4x6xf32>) -> tensor<1x5x4x6xf32>
  // CHECK: wl.attention %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 2.500000e-01 : f64}
  %3 = wl.attention %q, %k, %v {causal, scale = 0.25 : f64} : (tensor<2x4x16xf16>, tensor<2x6x16xf16>, tensor<2x6x8xf16>) -> tensor<2x4x8xf16>
  // CHECK: wl.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} : (tensor<2x4x16xf16>, tensor<2x6x16xf16>, tensor<2x6x8xf16>, tensor<1x6xf16>) -> tensor<2x4x8xf16>
  %4 = wl.attention %q, %k, %v mask %mask : (tensor<2x4x16xf16>, tensor<2x6x16xf16>, tensor<2x6x8xf16>, tensor<1x6xf16>) -> tensor<2x4x8xf16>
  // Grouped-query attention: 4 query heads per key/value head.
  // CHECK: wl.attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4x4x16xf16>, tensor<2x1x6x16xf16>, tensor<2x1x6x8xf16>) -> tensor<2x4x4x8xf16>
  %5 = wl.attention %gq, %gk, %gv : (tensor<2x4x4x16xf16>, tensor<2x1x6x16xf16>, tensor<2x1x6x8xf16>) -> tensor<2x4x4x8xf16>
  // Causal at an offset known when it runs, normalised after the product,
  // with a mask (both optional operands: their segments round-trip).
  // CHECK: wl.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} offset %{{.*}} {causal, normalize_after} : (tensor<2x4x16xf16>, tensor<2x6x16xf16>, tensor<2x6x8xf16>, tensor<1x6xf16>, index) -> tensor<2x4x8xf16>
  %6 = wl.attention %q, %k, %v mask %mask offset %pos {causal, normalize_after} : (tensor<2x4x16xf16>, tensor<2x6x16xf16>, tensor<2x6x8xf16>, tensor<1x6xf16>, index) -> tensor<2x4x8xf16>
  // CHECK: wl.attention %{{.*}}, %{{.*}}, %{{.*}} offset %{{.*}} {causal} : (tensor<2x4x16xf16>, tensor<2x6x16xf16>, tensor<2x6x8xf16>, index) -> tensor<2x4x8xf16>
  %7 = wl.attention %q, %k, %v offset %pos {causal} : (tensor<2x4x16xf16>, tensor<2x6x16xf16>, tensor<2x6x8xf16>, index) -> tensor<2x4x8xf16>
  return
}

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<4x8xf32>, %i: tensor<4x8xi32>, %row: tensor<8xf32>, %col: tensor<4x1xf32>) {
  // CHECK: wl.relu %{{.*}} : tensor<4x8xf32>
  %0 = wl.relu %x : tensor<4x8xf32>
  // CHECK: wl.relu %{{.*}} : tensor<4x8xi32>
  %1 = wl.relu %i : tensor<4x8xi32>
  // CHECK: wl.gelu %{{.*}} {approximate} : tensor<4x8xf32>
  %2 = wl.gelu %x {approximate} : tensor<4x8xf32>
  // CHECK: wl.gelu %{{.*}} : tensor<4x8xf32>
  %3 = wl.gelu %x : tensor<4x8xf32>
  // CHECK: wl.exp
  %4 = wl.exp %x : tensor<4x8xf32>
  // CHECK: wl.tanh
  %5 = wl.tanh %x : tensor<4x8xf32>
  // CHECK: wl.sigmoid
  %6 = wl.sigmoid %x : tensor<4x8xf32>
  // CHECK: wl.neg %{{.*}} : tensor<4x8xi32>
  %7 = wl.neg %i : tensor<4x8xi32>
  // CHECK: wl.sqrt
  %8 = wl.sqrt %x : tensor<4x8xf32>
  // CHECK: wl.rsqrt
  %9 = wl.rsqrt %x : tensor<4x8xf32>
  // CHECK: wl.add %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %10 = wl.add %x, %row : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK: wl.sub %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %11 = wl.sub %col, %row : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK: wl.mul
  %12 = wl.mul %x, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: wl.div
  %13 = wl.div %x, %col : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  // CHECK: wl.max
  %14 = wl.max %i, %i : (tensor<4x8xi32>, tensor<4x8xi32>) -> tensor<4x8xi32>
  // CHECK: wl.min
  %15 = wl.min %x, %row : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK: wl.cast %{{.*}} : tensor<4x8xf32> -> tensor<4x8xf8E4M3FN>
  %16 = wl.cast %x : tensor<4x8xf32> -> tensor<4x8xf8E4M3FN>
  return
}

// An i64 input (token ids, a mask as producers pass it) is cast into a
// Workload type.
// CHECK-LABEL: func.func @cast_from_i64
// CHECK: wl.cast %{{.*}} : tensor<1x40xi64> -> tensor<1x40xf32>
func.func @cast_from_i64(%m: tensor<1x40xi64>) -> tensor<1x40xf32> {
  %0 = wl.cast %m : tensor<1x40xi64> -> tensor<1x40xf32>
  return %0 : tensor<1x40xf32>
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x8x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>, %g2: tensor<8x16xf32>) {
  // CHECK: wl.reduce sum %{{.*}} dims = [1, 2] : tensor<2x8x16xf32> -> tensor<2xf32>
  %0 = wl.reduce sum %x dims = [1, 2] : tensor<2x8x16xf32> -> tensor<2xf32>
  // CHECK: wl.reduce mean %{{.*}} dims = [2] {keep_dims} : tensor<2x8x16xf32> -> tensor<2x8x1xf32>
  %1 = wl.reduce mean %x dims = [2] {keep_dims} : tensor<2x8x16xf32> -> tensor<2x8x1xf32>
  // CHECK: wl.reduce max
  %2 = wl.reduce max %x dims = [0] : tensor<2x8x16xf32> -> tensor<8x16xf32>
  // CHECK: wl.reduce min
  %3 = wl.reduce min %x dims = [0] : tensor<2x8x16xf32> -> tensor<8x16xf32>
  // CHECK: wl.softmax %{{.*}} axis = 2 : tensor<2x8x16xf32>
  %4 = wl.softmax %x axis = 2 : tensor<2x8x16xf32>
  // CHECK: wl.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.250000e-01 : f64}
  %5 = wl.layer_norm %x, %g, %b {epsilon = 1.250000e-01 : f64} : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  // CHECK: wl.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>)
  %6 = wl.layer_norm %x, %g2, %g2 : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
  // CHECK: wl.rms_norm %{{.*}}, %{{.*}} : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  %7 = wl.rms_norm %x, %g : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  return
}

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x8x8x3xf32>, %i: tensor<1x8x8x3xi8>) {
  // CHECK: wl.pool2d max %{{.*}} {padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, window = array<i64: 3, 3>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  %0 = wl.pool2d max %x {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  // CHECK: wl.pool2d avg %{{.*}} {window = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x7x7x3xf32>
  %1 = wl.pool2d avg %x {window = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x7x7x3xf32>
  // CHECK: wl.pool2d max %{{.*}} : tensor<1x8x8x3xi8> -> tensor<1x4x4x3xi8>
  %2 = wl.pool2d max %i {window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x3xi8> -> tensor<1x4x4x3xi8>
  return
}

// CHECK-LABEL: func.func @layout
func.func @layout(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %v: tensor<4xf32>) {
  // CHECK: wl.transpose %{{.*}} perm = [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %0 = wl.transpose %x perm = [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  // CHECK: wl.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = wl.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  // CHECK: wl.broadcast %{{.*}} : tensor<4xf32> -> tensor<2x3x4xf32>
  %2 = wl.broadcast %v : tensor<4xf32> -> tensor<2x3x4xf32>
  // CHECK: wl.concat %{{.*}}, %{{.*}} dim = 1 : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  %3 = wl.concat %x, %y dim = 1 : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  // CHECK: wl.slice %{{.*}} offsets = [0, 1, 0] {strides = array<i64: 1, 2, 1>} : tensor<2x5x4xf32> -> tensor<2x2x4xf32>
  %4 = wl.slice %y offsets = [0, 1, 0] {strides = array<i64: 1, 2, 1>} : tensor<2x5x4xf32> -> tensor<2x2x4xf32>
  // CHECK: wl.pad %{{.*}} low = [0, 1, 0] high = [0, 0, 2] {value = -1.000000e+00 : f64} : tensor<2x3x4xf32> -> tensor<2x4x6xf32>
  %5 = wl.pad %x low = [0, 1, 0] high = [0, 0, 2] {value = -1.0 : f64} : tensor<2x3x4xf32> -> tensor<2x4x6xf32>
  // CHECK: wl.transfer %{{.*}} from "h100:0" to "cpu-host" : tensor<2x3x4xf32>
  %6 = wl.transfer %x from "h100:0" to "cpu-host" : tensor<2x3x4xf32>
  return
}
