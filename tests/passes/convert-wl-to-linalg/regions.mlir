// RUN: fungible-opt %s -convert-wl-to-linalg | FileCheck %s

// wl ops nested in regions (an scf.for body, a nested module) are lowered;
// ops of other dialects around them are left as they are.

// CHECK-LABEL: func.func @loop
// CHECK: scf.for
// CHECK: arith.addf %{{.*}}, %{{.*}} : tensor<4xf32>
// CHECK: linalg.generic
// CHECK: math.tanh
// CHECK: scf.yield
// CHECK-NOT: wl.
func.func @loop(%x: tensor<4xf32>, %n: index) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<4xf32> {
    %s = arith.addf %acc, %x : tensor<4xf32>
    %t = wl.tanh %s : tensor<4xf32>
    scf.yield %t : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

module @inner {
  // CHECK-LABEL: func.func @nested
  // CHECK: linalg.transpose
  // CHECK-NOT: wl.
  func.func @nested(%x: tensor<2x3xi8>) -> tensor<3x2xi8> {
    %0 = wl.transpose %x perm = [1, 0] : tensor<2x3xi8> -> tensor<3x2xi8>
    return %0 : tensor<3x2xi8>
  }
}
