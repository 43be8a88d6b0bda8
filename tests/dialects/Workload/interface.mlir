// RUN: fungible-opt %s -wl-print-work=format=json -o /dev/null | FileCheck %s

// WorkloadCostInterface through the tool: the kind and the count of every
// op, in order (tensors of 2x4 f32 = 8 elements, 32 bytes).

// CHECK: "op": "wl.matmul",
// CHECK-NEXT: "kind": "contraction",
// CHECK-NEXT: "flops": 128,
// CHECK: "op": "wl.relu",
// CHECK-NEXT: "kind": "elementwise",
// CHECK-NEXT: "flops": 8,
// CHECK: "op": "wl.sigmoid",
// CHECK-NEXT: "kind": "elementwise",
// CHECK-NEXT: "flops": 8,
// CHECK: "op": "wl.mul",
// CHECK-NEXT: "kind": "elementwise",
// CHECK-NEXT: "flops": 8,
// CHECK-NEXT: "bytes_read": 48,
// CHECK: "op": "wl.cast",
// CHECK-NEXT: "kind": "elementwise",
// CHECK-NEXT: "flops": 0,
// CHECK-NEXT: "bytes_read": 32,
// CHECK-NEXT: "bytes_written": 16,
// CHECK: "op": "wl.reduce",
// CHECK-NEXT: "kind": "reduction",
// CHECK-NEXT: "flops": 8,
// CHECK: "op": "wl.softmax",
// CHECK-NEXT: "kind": "reduction",
// CHECK-NEXT: "flops": 40,
// CHECK: "op": "wl.rms_norm",
// CHECK-NEXT: "kind": "reduction",
// CHECK-NEXT: "flops": 38,
// CHECK: "op": "wl.broadcast",
// CHECK-NEXT: "kind": "data_movement",
// CHECK-NEXT: "flops": 0,
// CHECK-NEXT: "bytes_read": 16,
// CHECK-NEXT: "bytes_written": 32,
// CHECK: "op": "wl.pad",
// CHECK-NEXT: "kind": "data_movement",
// CHECK: "op": "wl.transfer",
// CHECK-NEXT: "kind": "data_movement",
// CHECK-NEXT: "flops": 0,
// CHECK-NEXT: "bytes_read": 32,
// CHECK-NEXT: "bytes_written": 32,
func.func @all(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>, %r: tensor<4xf32>) {
  // 2 * 2 * 4 * 8 = 128
  %0 = wl.matmul %a, %b : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  %1 = wl.relu %0 : tensor<2x4xf32>
  %2 = wl.sigmoid %1 : tensor<2x4xf32>
  // reads 32 + 16 bytes
  %3 = wl.mul %2, %r : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %4 = wl.cast %3 : tensor<2x4xf32> -> tensor<2x4xbf16>
  %5 = wl.reduce max %3 dims = [1] : tensor<2x4xf32> -> tensor<2xf32>
  %6 = wl.softmax %3 axis = 1 : tensor<2x4xf32>
  // 4 * 8 + 3 * 2 rows = 38
  %7 = wl.rms_norm %3, %r : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %8 = wl.broadcast %r : tensor<4xf32> -> tensor<2x4xf32>
  %9 = wl.pad %8 low = [0, 0] high = [1, 0] : tensor<2x4xf32> -> tensor<3x4xf32>
  %10 = wl.transfer %7 from "cpu-host" to "trn2:0" : tensor<2x4xf32>
  return
}
