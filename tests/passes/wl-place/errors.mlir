// RUN: not fungible-opt %s --wl-place=objective=speed 2>&1 | FileCheck %s --check-prefix=OBJECTIVE
// RUN: not fungible-opt %s --wl-place=method=magic 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not fungible-opt %s --wl-place=targets=h100,h900 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not fungible-opt %s --wl-place=targets=h100,cpu-host 2>&1 | FileCheck %s --check-prefix=NOFIT

// The objective and method are enum options: llvm::cl refuses other values
// (and --help lists the allowed ones).
// RUN: fungible-opt --help | FileCheck %s --check-prefix=HELP
// OBJECTIVE: for the --objective option: Cannot find option named 'speed'!
// METHOD: for the --method option: Cannot find option named 'magic'!
// HELP: --wl-place
// HELP: --method=<value>
// HELP-NEXT: =auto
// HELP-NEXT: =tree
// HELP-NEXT: =exact
// HELP-NEXT: =heuristic
// HELP: --objective=<value>
// HELP-NEXT: =time
// HELP-NEXT: =energy
// HELP-NEXT: =dollars
// TARGET: error: wl-place: unknown target 'h900'; known targets:
// A kernel whose 240 GB of operands fit neither the H100 (80 GB) nor the
// host (24 GB) stops placement with the kernel's name.
// NOFIT: error: wl-place: kernel 'huge/relu_0' cannot run on any of the available targets

func.func @huge(%x: tensor<30000000000xf32>) -> tensor<30000000000xf32> {
  %0 = wl.relu %x : tensor<30000000000xf32>
  return %0 : tensor<30000000000xf32>
}
