// RUN: not fungible-opt %s --wl-lower 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not fungible-opt %s --wl-lower=target=a100 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not fungible-opt --load-target-plugin=%fungible_lib_dir/FungibleTestTargetPlugin.so %s --wl-lower=target=test-chip 2>&1 | FileCheck %s --check-prefix=NOLOWERING
// RUN: not fungible-opt %s --wl-lower='target=h100 emulate' 2>&1 | FileCheck %s --check-prefix=NOEMULATION

// MISSING: error: wl-lower: option 'target' is required (a chip id, such as h100)
// UNKNOWN: error: wl-lower: unknown target 'a100'; known targets: b200, cpu-host, h100, h200, tpu-v5e, tpu-v5p, tpu-v6e, trn1, trn2
// A plugin target that contributes no lowering (the plugin API's default).
// NOLOWERING: error: wl-lower: target 'test-chip' (family gpu) has no lowering pipeline yet; targets with one: b200, cpu-host, h100, h200, tpu-v5e, tpu-v5p, tpu-v6e, trn1, trn2
// NOEMULATION: error: wl-lower: target 'h100' (family gpu) has no host emulation pipeline yet; targets with one: cpu-host, tpu-v5e, tpu-v5p, tpu-v6e, trn1, trn2
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.exp %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}
