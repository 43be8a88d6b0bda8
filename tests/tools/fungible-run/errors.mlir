// RUN: not fungible-run %s 2>&1 | FileCheck %s --check-prefix=NOFLEET
// RUN: not fungible-run %s --devices=h100:0 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not fungible-run %s --devices=h900:1 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not fungible-run %s --devices=h100 --fail=trn2:0@1ms 2>&1 | FileCheck %s --check-prefix=FAILDEV
// RUN: not fungible-run %s --devices=h100 --fail=h100@1ms 2>&1 | FileCheck %s --check-prefix=FAILSYNTAX
// RUN: not fungible-run %s --devices=h100 --inputs=%t.missing 2>&1 | FileCheck %s --check-prefix=INPUTS
// RUN: not fungible-run %s --fleet=%t.missing.json 2>&1 | FileCheck %s --check-prefix=FLEET
// RUN: not fungible-run %S/../fungible-cost/Inputs/broken.mlir --devices=h100 2>&1 | FileCheck %s --check-prefix=PARSE
// RUN: printf '{"devices": {"h100": "two"}}' > %t.bad.json
// RUN: not fungible-run %s --fleet=%t.bad.json 2>&1 | FileCheck %s --check-prefix=BADFLEET
// RUN: printf '{"devices": {"h100": 1, "cpu-host": 2}}' > %t.good.json
// RUN: fungible-run %s --fleet=%t.good.json --report=- --simulate-only | FileCheck %s --check-prefix=GOODFLEET
// A fleet file can set a chip's price per device-hour (spot, negotiated):
// an H100 at $0/h takes the relu when dollars are minimised and bills
// nothing; at $1e6/h the host takes it.
// RUN: printf '{"devices": {"h100": {"count": 1, "price_per_hour": 0}, "cpu-host": 1}}' > %t.free.json
// RUN: fungible-run %s --fleet=%t.free.json --objective=dollars --report=- --simulate-only | FileCheck %s --check-prefix=FREEH100
// RUN: printf '{"devices": {"h100": {"count": 1, "price_per_hour": 1e6}, "cpu-host": 1}}' > %t.dear.json
// RUN: fungible-run %s --fleet=%t.dear.json --objective=dollars --report=- --simulate-only | FileCheck %s --check-prefix=DEARH100
// RUN: printf '{"devices": {"h100": {"count": 1, "price_per_hour": -1}}}' > %t.neg.json
// RUN: not fungible-run %s --fleet=%t.neg.json 2>&1 | FileCheck %s --check-prefix=NEGPRICE
// RUN: printf '{"devices": {"h100": {"count": 1, "spot": 1}}}' > %t.field.json
// RUN: not fungible-run %s --fleet=%t.field.json 2>&1 | FileCheck %s --check-prefix=FIELD
// A plugin's chip cannot be re-priced (its target is the plugin's own).
// RUN: printf '{"devices": {"test-chip": {"count": 1, "price_per_hour": 1}}}' > %t.plugin.json
// RUN: not fungible-run %s --fleet=%t.plugin.json --load-target-plugin=%fungible_lib_dir/FungibleTestTargetPlugin.so 2>&1 | FileCheck %s --check-prefix=PLUGINPRICE
// RUN: printf '{"devices": {"h100": {"price_per_hour": 1}}}' > %t.nocount.json
// RUN: not fungible-run %s --fleet=%t.nocount.json 2>&1 | FileCheck %s --check-prefix=NOCOUNT

// NOFLEET: fungible-run: give the fleet with exactly one of --devices and --fleet
// COUNT: fungible-run: bad device entry 'h100:0' (expected <chip>[:<count>], count >= 1)
// UNKNOWN: fungible-run: unknown target 'h900'; known targets:
// FAILDEV: fungible-run: --fail names 'trn2:0', which is not in the fleet
// FAILSYNTAX: fungible-run: bad failure 'h100@1ms' (expected <chip>:<index>@<time>[s|ms|us] or <chip>:<index>@kernel:<name>)
// RUN: not fungible-run %s --devices=h100 --fail=h100:0@nanms 2>&1 | FileCheck %s --check-prefix=FAILNAN
// FAILNAN: fungible-run: bad failure 'h100:0@nanms' (expected <chip>:<index>@<time>[s|ms|us] or <chip>:<index>@kernel:<name>)
// INPUTS: fungible-run: cannot read '{{.*}}missing/arg0.npy'
// FLEET: fungible-run: cannot read fleet '{{.*}}missing.json'
// PARSE: broken.mlir:3:{{[0-9]+}}: error:
// BADFLEET: fungible-run: {{.*}}bad.json: devices.h100: expected an integer >= 1
// GOODFLEET: "cpu-host:0": {
// GOODFLEET: "cpu-host:1": {
// GOODFLEET: "h100:0": {
// FREEH100: "dollars": 0,
// FREEH100: "f/relu_0": "h100:0"
// DEARH100: "f/relu_0": "cpu-host:0"
// NEGPRICE: fungible-run: {{.*}}neg.json: devices.h100.price_per_hour: expected a number >= 0
// FIELD: fungible-run: {{.*}}field.json: devices.h100: unknown field 'spot' (expected count, price_per_hour)
// PLUGINPRICE: fungible-run: the fleet file prices 'test-chip', a plugin's chip, which cannot be re-priced; give its spec with --target-spec instead
// NOCOUNT: fungible-run: {{.*}}nocount.json: devices.h100.count: expected an integer >= 1

func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.relu %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// A fat module whose variant lacks its kernel's function (renamed after
// wl-compile) is an error that names it.
// RUN: fungible-opt %s --wl-outline-kernels --wl-compile=targets=tpu-v5p | sed 's/func.func @relu_0(/func.func @renamed(/' > %t.renamed.mlir
// RUN: not fungible-run %t.renamed.mlir --devices=tpu-v5p 2>&1 | FileCheck %s --check-prefix=VARIANT
// VARIANT: fungible-run: the compiled variant of kernel 'relu_0' for 'tpu-v5p' (at {{.*}}renamed.mlir:{{[0-9]+}}:{{[0-9]+}}) has no function 'relu_0'
