// RUN: %python %S/../../lib/make_harness.py %s table > %t.mlir
// RUN: fungible-opt %t.mlir %tosa-to-linalg | fungible-opt %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg | fungible-opt %tosa-to-linalg | fungible-opt %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b --rtol 0 --atol 0 | FileCheck %s --check-prefix=SAME
// RUN: fungible-opt %s -wl-import | FileCheck %s

// A RoPE table as TOSA writes it (buddy-mlir's
// rope_positional_encoding_tosa.mlir, smaller): the outer product of the
// frequencies and the positions, transposed, repeated over both halves by
// adding zeros of the repeated shape, and the cos and the sin of that.
// The add of zeros is a broadcast (x + 0 is x but for -0, which equals
// 0); the broadcast and the transpose sink below the cos and the sin,
// which then run once per element of the product, not once per copy:
// equal to the bit to the program as written.
// SAME: compared 128 values, {{.*}}, 0 mismatches

// CHECK-LABEL: func.func @table
// CHECK: %[[P:.*]] = wl.batch_matmul
// CHECK-NOT: wl.add
// CHECK-DAG: %[[C:.*]] = wl.cos %[[P]] : tensor<1x4x8xf32>
// CHECK-DAG: %[[S:.*]] = wl.sin %[[P]] : tensor<1x4x8xf32>
// CHECK-DAG: wl.broadcast %{{.*}} : tensor<1x8x1x4xf32> -> tensor<1x8x2x4xf32>
// CHECK: return
func.func @table(%freq: tensor<1x4x1xf32>, %pos: tensor<1x1x8xf32>) -> (tensor<1x8x8xf32>, tensor<1x8x8xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %p = tosa.matmul %freq, %pos, %zp, %zp : (tensor<1x4x1xf32>, tensor<1x1x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>
  %t = tosa.transpose %p {perms = array<i32: 0, 2, 1>} : (tensor<1x4x8xf32>) -> tensor<1x8x4xf32>
  %s4 = tosa.const_shape {values = dense<[1, 8, 1, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %r = tosa.reshape %t, %s4 : (tensor<1x8x4xf32>, !tosa.shape<4>) -> tensor<1x8x1x4xf32>
  %zeros = "tosa.const"() <{values = dense<0.0> : tensor<1x8x2x4xf32>}> : () -> tensor<1x8x2x4xf32>
  %b = tosa.add %r, %zeros : (tensor<1x8x1x4xf32>, tensor<1x8x2x4xf32>) -> tensor<1x8x2x4xf32>
  %s3 = tosa.const_shape {values = dense<[1, 8, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %f = tosa.reshape %b, %s3 : (tensor<1x8x2x4xf32>, !tosa.shape<3>) -> tensor<1x8x8xf32>
  %cos = math.cos %f : tensor<1x8x8xf32>
  %sin = math.sin %f : tensor<1x8x8xf32>
  return %cos, %sin : tensor<1x8x8xf32>, tensor<1x8x8xf32>
}
