// RUN: fungible-opt %s | FileCheck %s

// Every supported element type parses, verifies and prints.

// CHECK-LABEL: func.func @types
func.func @types(%f32: tensor<4xf32>, %f16: tensor<4xf16>, %bf16: tensor<4xbf16>,
                 %f8: tensor<4xf8E4M3FN>, %i8: tensor<4xi8>, %i32: tensor<4xi32>) {
  // CHECK: wl.relu %{{.*}} : tensor<4xf32>
  %0 = wl.relu %f32 : tensor<4xf32>
  // CHECK: wl.relu %{{.*}} : tensor<4xf16>
  %1 = wl.relu %f16 : tensor<4xf16>
  // CHECK: wl.relu %{{.*}} : tensor<4xbf16>
  %2 = wl.relu %bf16 : tensor<4xbf16>
  // CHECK: wl.relu %{{.*}} : tensor<4xf8E4M3FN>
  %3 = wl.relu %f8 : tensor<4xf8E4M3FN>
  // CHECK: wl.relu %{{.*}} : tensor<4xi8>
  %4 = wl.relu %i8 : tensor<4xi8>
  // CHECK: wl.relu %{{.*}} : tensor<4xi32>
  %5 = wl.relu %i32 : tensor<4xi32>
  // CHECK: wl.cast %{{.*}} : tensor<4xi8> -> tensor<4xbf16>
  %6 = wl.cast %i8 : tensor<4xi8> -> tensor<4xbf16>
  return
}

// A rank-0 tensor is a tensor too.
// CHECK-LABEL: func.func @scalar
// CHECK: wl.add %{{.*}}, %{{.*}} : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
func.func @scalar(%s: tensor<f32>, %v: tensor<3xf32>) {
  %0 = wl.add %s, %v : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return
}
