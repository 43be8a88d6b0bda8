// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @self(%x: tensor<4xf32>) {
  // expected-error @+1 {{transfers from device 'h100:0' to itself}}
  %0 = wl.transfer %x from "h100:0" to "h100:0" : tensor<4xf32>
  return
}

// -----

func.func @empty(%x: tensor<4xf32>) {
  // expected-error @+1 {{device names must not be empty}}
  %0 = wl.transfer %x from "" to "cpu-host" : tensor<4xf32>
  return
}

// -----

func.func @type_change(%x: tensor<4xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "wl.transfer"(%x) {from = "a", to = "b"} : (tensor<4xf32>) -> tensor<4xf16>
  return
}
