// RUN: %python %S/../../lib/make_harness.py %s near_miss_reshaped > %t.mlir
// RUN: fungible-opt %t.mlir -convert-wl-to-linalg %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b | FileCheck %s
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR
// CHECK: compared 16 values, {{.*}}, 0 mismatches

// A layer norm's ops in wl with the rows' rsqrt computed over the rows
// alone, but reshaped to [1, 4], a row vector, so that it broadcasts down
// the columns, not over each row ([4, 1] would be the layer norm, as
// norm-per-row.mlir raises it). Not a norm: it stays as written.
// IR-LABEL: @near_miss_reshaped
// IR-NOT: wl.layer_norm
// IR: wl.rsqrt
// IR: return

func.func @near_miss_reshaped(%x: tensor<4x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4x4xf32> {
  %eps = arith.constant dense<9.99999974E-6> : tensor<f32>
  %n = arith.constant dense<4.000000e+00> : tensor<f32>
  %0 = wl.reduce sum %x dims = [1] : tensor<4x4xf32> -> tensor<4xf32>
  %1 = wl.div %0, %n : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = wl.reshape %1 : tensor<4xf32> -> tensor<4x1xf32>
  %3 = wl.sub %x, %2 : (tensor<4x4xf32>, tensor<4x1xf32>) -> tensor<4x4xf32>
  %4 = wl.mul %3, %3 : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %5 = wl.reduce sum %4 dims = [1] : tensor<4x4xf32> -> tensor<4xf32>
  %6 = wl.div %5, %n : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %7 = wl.add %6, %eps : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %8 = wl.rsqrt %7 : tensor<4xf32>
  %9 = wl.reshape %8 : tensor<4xf32> -> tensor<1x4xf32>
  %10 = wl.mul %3, %9 : (tensor<4x4xf32>, tensor<1x4xf32>) -> tensor<4x4xf32>
  %11 = wl.mul %10, %g : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %12 = wl.add %11, %b : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %12 : tensor<4x4xf32>
}
