// RUN: fungible-opt %s -convert-wl-to-linalg -split-input-file | FileCheck %s

// Elementwise ops become one parallel linalg.generic each; broadcast
// operands are read through maps that drop or zero their missing dims;
// narrow floats are computed in f32 and rounded once.

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @broadcast_add
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x1xbf16>, tensor<8xbf16>) outs(%{{.*}} : tensor<4x8xbf16>)
// CHECK: ^bb0(%[[L:.*]]: bf16, %[[R:.*]]: bf16, %{{.*}}: bf16):
// CHECK: %[[LF:.*]] = arith.extf %[[L]] : bf16 to f32
// CHECK: %[[RF:.*]] = arith.extf %[[R]] : bf16 to f32
// CHECK: %[[S:.*]] = arith.addf %[[LF]], %[[RF]] : f32
// CHECK: %[[T:.*]] = arith.truncf %[[S]] : f32 to bf16
// CHECK: linalg.yield %[[T]] : bf16
func.func @broadcast_add(%a: tensor<4x1xbf16>, %b: tensor<8xbf16>) -> tensor<4x8xbf16> {
  %0 = wl.add %a, %b : (tensor<4x1xbf16>, tensor<8xbf16>) -> tensor<4x8xbf16>
  return %0 : tensor<4x8xbf16>
}

// -----

// CHECK-LABEL: func.func @integer_ops
// CHECK: arith.maxsi
// CHECK: arith.divsi
// CHECK: arith.minsi
// CHECK: arith.subi
func.func @integer_ops(%a: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = wl.relu %a : tensor<4xi32>
  %1 = wl.div %a, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = wl.min %a, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %3 = wl.neg %a : tensor<4xi32>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @float_ops
// CHECK: arith.maximumf
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: math.tanh
// CHECK: arith.negf
// CHECK-NEXT: math.exp
// CHECK: arith.divf
// CHECK: math.sqrt
// CHECK: math.rsqrt
// CHECK: math.erf
// CHECK: math.tanh
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
func.func @float_ops(%a: tensor<4xf32>) {
  %0 = wl.relu %a : tensor<4xf32>
  %1 = wl.neg %a : tensor<4xf32>
  %2 = wl.exp %a : tensor<4xf32>
  %3 = wl.tanh %a : tensor<4xf32>
  %4 = wl.sigmoid %a : tensor<4xf32>
  %5 = wl.sqrt %a : tensor<4xf32>
  %6 = wl.rsqrt %a : tensor<4xf32>
  %7 = wl.gelu %a : tensor<4xf32>
  %8 = wl.gelu %a {approximate} : tensor<4xf32>
  %9 = wl.sub %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %10 = wl.mul %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %11 = wl.div %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %12 = wl.max %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %13 = wl.min %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.sitofp %{{.*}} : i8 to f16
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK-NEXT: arith.truncf %{{.*}} : f32 to bf16
func.func @casts(%f: tensor<4xf32>, %i: tensor<4xi8>, %w: tensor<4xi32>, %h: tensor<4xf16>) {
  %0 = wl.cast %f : tensor<4xf32> -> tensor<4xbf16>
  %1 = wl.cast %f : tensor<4xf32> -> tensor<4xi32>
  %2 = wl.cast %i : tensor<4xi8> -> tensor<4xf16>
  %3 = wl.cast %i : tensor<4xi8> -> tensor<4xi32>
  %4 = wl.cast %w : tensor<4xi32> -> tensor<4xi8>
  %5 = wl.cast %h : tensor<4xf16> -> tensor<4xbf16>
  return
}
