// RUN: not fungible-cost %s --targets=h100,h900 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not fungible-cost %s --target-spec=%S/Inputs/bad-spec.json 2>&1 | FileCheck %s --check-prefix=SPEC
// RUN: not fungible-cost %s --load-target-plugin=%t.missing.so 2>&1 | FileCheck %s --check-prefix=PLUGIN
// RUN: not fungible-cost %s --targets=h100 --explain=f/nothing_9 2>&1 | FileCheck %s --check-prefix=KERNEL
// RUN: not fungible-cost %S/Inputs/broken.mlir 2>&1 | FileCheck %s --check-prefix=PARSE
// RUN: not fungible-cost %s --metric=speed 2>&1 | FileCheck %s --check-prefix=METRIC
// An empty --specs-dir is a mistake, not an empty fleet (#18).
// RUN: rm -rf %t.empty && mkdir -p %t.empty
// RUN: not fungible-cost %s --specs-dir=%t.empty 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not fungible-run %s --simulate-only --devices=cpu-host:1 --specs-dir=%t.empty 2>&1 | FileCheck %s --check-prefix=EMPTY

// UNKNOWN: fungible-cost: unknown target 'h900'; known targets: b200, cpu-host, h100, h200, tpu-v5e, tpu-v5p, tpu-v6e, trn1, trn2
// SPEC: fungible-cost: {{.*}}bad-spec.json: memory.bandwidth_gbps.value: must be a number from 1e-06 to 1e+06, got -1
// PLUGIN: fungible-cost: cannot load target plugin '{{.*}}.missing.so': no such file
// KERNEL: fungible-cost: no kernel named 'f/nothing_9'
// PARSE: broken.mlir:3:{{[0-9]+}}: error:
// METRIC: --metric: speed not in {time,energy,dollars,all}
// EMPTY: spec directory '{{.*}}.empty' holds no chip specs (*.json)

func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.relu %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}
