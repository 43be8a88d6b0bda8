// RUN: fungible-opt %s | fungible-opt | FileCheck %s
// RUN: fungible-opt %s -wl-print-work -o /dev/null | FileCheck %s --check-prefix=WORK

// A kernel round-trips, and counts as one unit: its FLOPs are its body's,
// its bytes only what crosses its boundary.
// CHECK-LABEL: func.func @layer
// CHECK: wl.kernel "matmul_0"(%arg0, %arg1, %arg2) : (tensor<2x4xf32>, tensor<4x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32> {
// CHECK: wl.yield
// FLOPs: matmul 2*2*8*4 = 128, add 16, relu 16 -> 160. Bytes read: the
// three inputs (32 + 128 + 64 bytes); written: the 2x8 f32 result (64).
// WORK: wl work of @layer: 1 ops
// WORK: 0  wl.kernel        contraction                 160            224             64
// WORK: total                                          160            224             64
func.func @layer(%x: tensor<2x4xf32>, %w: tensor<4x8xf32>, %b: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = wl.kernel "matmul_0" (%x, %w, %b) : (tensor<2x4xf32>, tensor<4x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%a: tensor<2x4xf32>, %c: tensor<4x8xf32>, %d: tensor<2x8xf32>):
    %m = wl.matmul %a, %c : (tensor<2x4xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
    %s = wl.add %m, %d : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
    %r = wl.relu %s : tensor<2x8xf32>
    wl.yield %r : tensor<2x8xf32>
  }
  return %0 : tensor<2x8xf32>
}
