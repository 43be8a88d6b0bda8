// RUN: fungible-opt %s --verify-roundtrip | FileCheck %s
// RUN: fungible-opt %s --emit-bytecode | fungible-opt | FileCheck %s

// Every op's properties (enums, dense arrays, optional and unit attributes)
// survive the generic and bytecode round trips.

// CHECK-LABEL: func.func @props
// CHECK: wl.reduce mean %{{.*}} dims = [0, 2] {keep_dims}
// CHECK: wl.pool2d avg %{{.*}} {padding = array<i64: 1, 0, 1, 0>, strides = array<i64: 1, 2>, window = array<i64: 2, 3>}
// CHECK: wl.attention %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 1.250000e-01 : f64}
// CHECK: wl.slice %{{.*}} offsets = [1, 0, 0] {strides = array<i64: 1, 2, 1>}
// CHECK: wl.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 1>, groups = 2 : i64}
// CHECK: wl.transfer %{{.*}} from "trn2:3" to "tpu-v5p:0"
func.func @props(%x: tensor<2x6x4xf32>, %img: tensor<1x6x6x4xf32>, %q: tensor<4x8xbf16>, %w: tensor<2x2x2x4xf32>) {
  %0 = wl.reduce mean %x dims = [0, 2] {keep_dims} : tensor<2x6x4xf32> -> tensor<1x6x1xf32>
  %1 = wl.pool2d avg %img {window = array<i64: 2, 3>, strides = array<i64: 1, 2>, padding = array<i64: 1, 0, 1, 0>} : tensor<1x6x6x4xf32> -> tensor<1x6x3x4xf32>
  %2 = wl.attention %q, %q, %q {causal, scale = 0.125 : f64} : (tensor<4x8xbf16>, tensor<4x8xbf16>, tensor<4x8xbf16>) -> tensor<4x8xbf16>
  %3 = wl.slice %x offsets = [1, 0, 0] {strides = array<i64: 1, 2, 1>} : tensor<2x6x4xf32> -> tensor<1x3x4xf32>
  %4 = wl.conv2d %img, %w {dilations = array<i64: 2, 1>, groups = 2 : i64} : (tensor<1x6x6x4xf32>, tensor<2x2x2x4xf32>) -> tensor<1x4x5x4xf32>
  %5 = wl.transfer %x from "trn2:3" to "tpu-v5p:0" : tensor<2x6x4xf32>
  return
}
