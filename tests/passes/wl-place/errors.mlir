// RUN: not fungible-opt %s --wl-place=objective=speed 2>&1 | FileCheck %s --check-prefix=OBJECTIVE
// RUN: not fungible-opt %s --wl-place=method=magic 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not fungible-opt %s --wl-place=targets=h100,h900 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not fungible-opt %s --wl-place=targets=h100,cpu-host 2>&1 | FileCheck %s --check-prefix=NOFIT

// OBJECTIVE: error: wl-place: unknown objective 'speed' (expected time, energy or dollars)
// METHOD: error: wl-place: unknown method 'magic' (expected auto, tree, exact or heuristic)
// TARGET: error: wl-place: unknown target 'h900'; known targets:
// A kernel whose 240 GB of operands fit neither the H100 (80 GB) nor the
// host (24 GB) stops placement with the kernel's name.
// NOFIT: error: wl-place: kernel 'huge/relu_0' cannot run on any of the available targets

func.func @huge(%x: tensor<30000000000xf32>) -> tensor<30000000000xf32> {
  %0 = wl.relu %x : tensor<30000000000xf32>
  return %0 : tensor<30000000000xf32>
}
