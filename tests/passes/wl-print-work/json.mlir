// RUN: fungible-opt %s -wl-print-work=format=json -o /dev/null | FileCheck %s

// The JSON form of wl-print-work: one object per function, per op counts
// and totals (conv: 2 * 1*4*4*8 outputs * 3*3*2 MACs = 4608).

// CHECK: "functions": [
// CHECK-NEXT: {
// CHECK-NEXT: "name": "conv",
// CHECK-NEXT: "ops": [
// CHECK-NEXT: {
// CHECK-NEXT: "op": "wl.conv2d",
// CHECK-NEXT: "kind": "contraction",
// CHECK-NEXT: "flops": 4608,
// CHECK-NEXT: "bytes_read": 704,
// CHECK-NEXT: "bytes_written": 512,
// CHECK-NEXT: "result": "tensor<1x4x4x8xf32>",
// CHECK: "op": "wl.pool2d",
// CHECK-NEXT: "kind": "reduction",
// CHECK-NEXT: "flops": 128,
// CHECK: "total": {
// CHECK-NEXT: "flops": 4736,
// CHECK-NEXT: "bytes_read": 1216,
// CHECK-NEXT: "bytes_written": 640
func.func @conv(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %0 = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x3x2x8xf32>) -> tensor<1x4x4x8xf32>
  %1 = wl.pool2d max %0 {window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x8xf32> -> tensor<1x2x2x8xf32>
  return %1 : tensor<1x2x2x8xf32>
}
