// RUN: fungible-opt %s -wl-print-work -o /dev/null | FileCheck %s

// One row per wl op with the WorkloadCostInterface counts, and a total:
//   matmul 2*64*32*128 = 524288 FLOPs, reads (64*128 + 128*32) * 2 bytes,
//   writes 64*32*4; add and relu 64*32 = 2048 FLOPs each.

// CHECK-LABEL: wl work of @layer: 4 ops
// CHECK: #  op               kind                      FLOPs     bytes read  bytes written  FLOP/byte  result
// CHECK-NEXT: 0  wl.matmul        contraction              524288          24576           8192      16.00  tensor<64x32xf32>  ({{.*}}table.mlir:{{[0-9]+}}:8)
// CHECK-NEXT: 1  wl.add           elementwise                2048           8320           8192       0.12  tensor<64x32xf32>
// CHECK-NEXT: 2  wl.relu          elementwise                2048           8192           8192       0.12  tensor<64x32xf32>
// CHECK-NEXT: 3  wl.transpose     data_movement                 0           8192           8192       0.00  tensor<32x64xf32>
// CHECK-NEXT: total                                      528384          49280          32768       6.44
func.func @layer(%x: tensor<64x128xbf16>, %w: tensor<128x32xbf16>, %b: tensor<32xf32>) -> tensor<32x64xf32> {
  %0 = wl.matmul %x, %w : (tensor<64x128xbf16>, tensor<128x32xbf16>) -> tensor<64x32xf32>
  %1 = wl.add %0, %b : (tensor<64x32xf32>, tensor<32xf32>) -> tensor<64x32xf32>
  %2 = wl.relu %1 : tensor<64x32xf32>
  %3 = wl.transpose %2 perm = [1, 0] : tensor<64x32xf32> -> tensor<32x64xf32>
  return %3 : tensor<32x64xf32>
}

// A function without wl ops gets an empty table.
// CHECK-LABEL: wl work of @empty: 0 ops
// CHECK-NEXT: #  op
// CHECK-NEXT: total  0  0  0  0.00
func.func @empty() {
  return
}
