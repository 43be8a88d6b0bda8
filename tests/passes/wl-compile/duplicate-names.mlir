// Kernels written by hand with one name in two functions cannot be
// compiled: their variants would clash. A located error, not an IR dump.
// RUN: fungible-opt %s --wl-compile=targets=cpu-host -verify-diagnostics
func.func @f(%a: tensor<8xf32>) -> tensor<8xf32> {
  // expected-note @+1 {{the other kernel of that name}}
  %0 = wl.kernel "k"(%a) : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    %1 = wl.relu %x : tensor<8xf32>
    wl.yield %1 : tensor<8xf32>
  }
  return %0 : tensor<8xf32>
}
func.func @g(%a: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{wl-compile: kernel name 'k' is used twice in the module; its variants would clash}}
  %0 = wl.kernel "k"(%a) : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    %1 = wl.relu %x : tensor<8xf32>
    wl.yield %1 : tensor<8xf32>
  }
  return %0 : tensor<8xf32>
}
