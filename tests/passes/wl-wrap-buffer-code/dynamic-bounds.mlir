// A loop up to a bound that is not a constant (attention up to the
// token's position) counts the most iterations its accesses allow: %t
// indexes the 16 rows of the cache and the 16 columns of the scores, so
// 16 (the cost of a full cache). By hand: 16 * 4 * (mul + add) = 128
// FLOPs; read 16 * 4 * (4 from the tensor + 4 from the cache) = 512 bytes;
// written 16 * 4 = 64. A loop whose induction variable indexes nothing
// directly (@shifted: %t + 1) counts its body once: 4 * 2 = 8 FLOPs, 4 *
// 8 = 32 bytes read, 4 written.
// RUN: fungible-opt %s -wl-import-and-outline -wl-print-work -o /dev/null | FileCheck %s
// CHECK-LABEL: wl work of @attend
// CHECK: wl.kernel        opaque                      128            512             64
// CHECK-LABEL: wl work of @shifted
// CHECK: wl.kernel        opaque                        8             32              4

func.func @attend(%q: tensor<1x4xf32>, %cache: memref<16x4xf32>, %pos: index) -> tensor<1x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %scores = memref.alloc() : memref<1x16xf32>
  scf.for %t = %c0 to %pos step %c1 {
    %dot = scf.for %d = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> (f32) {
      %qd = tensor.extract %q[%c0, %d] : tensor<1x4xf32>
      %kd = memref.load %cache[%t, %d] : memref<16x4xf32>
      %p = arith.mulf %qd, %kd : f32
      %s = arith.addf %acc, %p : f32
      scf.yield %s : f32
    }
    memref.store %dot, %scores[%c0, %t] : memref<1x16xf32>
  }
  %r = bufferization.to_tensor %scores restrict : memref<1x16xf32> to tensor<1x16xf32>
  return %r : tensor<1x16xf32>
}

func.func @shifted(%q: tensor<1x4xf32>, %cache: memref<16x4xf32>, %pos: index) -> tensor<1x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %scores = memref.alloc() : memref<1x16xf32>
  scf.for %t = %c0 to %pos step %c1 {
    %row = arith.addi %t, %c1 : index
    %dot = scf.for %d = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> (f32) {
      %qd = tensor.extract %q[%c0, %d] : tensor<1x4xf32>
      %kd = memref.load %cache[%row, %d] : memref<16x4xf32>
      %p = arith.mulf %qd, %kd : f32
      %s = arith.addf %acc, %p : f32
      scf.yield %s : f32
    }
    memref.store %dot, %scores[%c0, %row] : memref<1x16xf32>
  }
  %r = bufferization.to_tensor %scores restrict : memref<1x16xf32> to tensor<1x16xf32>
  return %r : tensor<1x16xf32>
}
