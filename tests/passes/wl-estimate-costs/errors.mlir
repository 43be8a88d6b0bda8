// RUN: not fungible-opt %s --wl-estimate-costs=targets=h100,nope 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not fungible-opt %s --wl-estimate-costs=metric=speed 2>&1 | FileCheck %s --check-prefix=METRIC
// RUN: not fungible-opt %s --wl-estimate-costs=target-specs=%S/missing.json 2>&1 | FileCheck %s --check-prefix=SPEC
// RUN: not fungible-opt %s --wl-estimate-costs=specs-dir=%S/missing-dir 2>&1 | FileCheck %s --check-prefix=DIR
// RUN: not fungible-opt --load-target-plugin=%S/missing.so %s 2>&1 | FileCheck %s --check-prefix=PLUGIN
// RUN: not fungible-opt --load-target-plugin=%fungible_lib_dir/FungibleTestTargetPluginBadVersion.so %s 2>&1 | FileCheck %s --check-prefix=VERSION

// TARGET: error: wl-estimate-costs: unknown target 'nope'; known targets: b200, cpu-host, h100, h200, tpu-v5e, tpu-v5p, tpu-v6e, trn1, trn2
// METRIC: for the --metric option: Cannot find option named 'speed'!
// SPEC: error: wl-estimate-costs: {{.*}}missing.json
// DIR: error: wl-estimate-costs: cannot read spec directory '{{.*}}missing-dir'
// PLUGIN: fungible-opt: cannot load target plugin '{{.*}}missing.so': no such file
// VERSION: fungible-opt: {{.*}}FungibleTestTargetPluginBadVersion.so{{.*}}version 999{{.*}}version 8

func.func @f(%c: tensor<1xf32>) -> tensor<1xf32> {
  %1 = wl.add %c, %c : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  return %1 : tensor<1xf32>
}
