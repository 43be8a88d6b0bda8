// RUN: fungible-opt %s | fungible-opt | FileCheck %s

// The attributes the passes record, each of the type the dialect declares,
// round-trip.
// CHECK-LABEL: func.func @placed
// CHECK-SAME: wl.placement = {cost = 1.000000e+00 : f64, method = "tree"}
// CHECK: wl.kernel "k"
// CHECK-SAME: wl.cheapest = "h100"
// CHECK-SAME: wl.compiled = ["h100"]
// CHECK-SAME: wl.estimates = {h100 = {seconds = 1.000000e-03 : f64}}
// CHECK-SAME: wl.not_compiled = {trn2 = "no lowering"}
// CHECK-SAME: wl.schedule = {device = 1 : i64, end = 2.000000e-03 : f64, position = 0 : i64, start = 1.000000e-03 : f64}
// CHECK-SAME: wl.target = "h100"
// CHECK: module @k.h100 attributes {wl.kernel = "k", wl.kernel_fingerprint = "abc", wl.target = "h100"}
func.func @placed(%a: tensor<4xf32>) -> tensor<4xf32> attributes {wl.placement = {cost = 1.0 : f64, method = "tree"}} {
  %0 = wl.kernel "k"(%a) {wl.cheapest = "h100", wl.compiled = ["h100"], wl.estimates = {h100 = {seconds = 1.0e-3 : f64}}, wl.not_compiled = {trn2 = "no lowering"}, wl.schedule = {device = 1, position = 0, start = 1.0e-3, end = 2.0e-3}, wl.target = "h100"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    %1 = wl.relu %x : tensor<4xf32>
    wl.yield %1 : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
module @k.h100 attributes {wl.kernel = "k", wl.kernel_fingerprint = "abc", wl.target = "h100"} {
}
