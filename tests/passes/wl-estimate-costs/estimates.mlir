// RUN: fungible-opt %s --wl-outline-kernels --wl-estimate-costs=targets=h100,trn2 | FileCheck %s
// RUN: fungible-opt %s --wl-outline-kernels --wl-estimate-costs="targets=h100,trn2 metric=dollars" | FileCheck %s --check-prefix=DOLLARS
// RUN: fungible-opt %s --wl-estimate-costs=targets=tpu-v5p | FileCheck %s --check-prefix=PEROP
// RUN: fungible-opt %s --wl-outline-kernels --wl-estimate-costs | FileCheck %s --check-prefix=ALL
// RUN: fungible-opt --load-target-plugin=%fungible_lib_dir/FungibleTestTargetPlugin.so %s --wl-outline-kernels --wl-estimate-costs=targets=test-chip,h100 | FileCheck %s --check-prefix=PLUGIN
// RUN: fungible-opt %s --wl-outline-kernels --wl-estimate-costs="targets=my-chip target-specs=%S/../../tools/fungible-cost/Inputs/my-chip.json" | FileCheck %s --check-prefix=SPEC

// The 4096^3 bf16 matmul on H100, hand-computed (tests/unit/
// GpuCostModelTest.cpp): 8 waves x 2*128*128*4096 / (989e12/132 * 0.803)
// + 5 us = 1.8347e-04 s, compute-bound; power 700 W x (0.115 idle +
// 0.885 x 0.97275, the share of the time the tensor cores are busy) =
// 683.12 W, energy 683.12 x 1.8347e-04 = 0.12533 J.
// CHECK-LABEL: func.func @f
// CHECK: wl.kernel "matmul_0"(%arg0, %arg1) {wl.cheapest = "h100", wl.estimates = {h100 = {bound = "compute", dollars = {{.*}}, feasible = true, joules = 0.125330{{[0-9]*}} : f64, padding_waste = 0.000000e+00 : f64, seconds = 1.83468{{[0-9]*}}E-4 : f64, utilization = {{.*}}}, trn2 = {bound = "compute",
// A one-element add is overhead-bound on both; the 1.3 us Trainium step
// beats the 5 us GPU launch.
// CHECK: wl.kernel "add_1"(%arg2) {wl.cheapest = "trn2", wl.estimates = {h100 = {bound = "overhead", {{.*}} seconds = 5.000{{[0-9]*}}E-6 : f64, {{.*}}}, trn2 = {bound = "overhead", {{.*}} seconds = 1.300{{[0-9]*}}E-6

// In dollars, Trainium's lower price wins the matmul too ($2.7e-07 against
// $3.5e-07).
// DOLLARS: wl.kernel "matmul_0"(%arg0, %arg1) {wl.cheapest = "trn2"

// Without outlining, every wl op is estimated on its own.
// PEROP: wl.matmul %arg0, %arg1 {wl.cheapest = "tpu-v5p", wl.estimates = {"tpu-v5p" = {bound = "compute"
// PEROP: wl.add %arg2, %arg2 {wl.cheapest = "tpu-v5p", wl.estimates = {"tpu-v5p" = {bound = "overhead"

// Every registered target by default.
// ALL: wl.estimates = {b200 = {{.*}}, "cpu-host" = {{.*}}, h100 = {{.*}}, h200 = {{.*}}, "tpu-v5e" = {{.*}}, "tpu-v5p" = {{.*}}, "tpu-v6e" = {{.*}}, trn1 = {{.*}}, trn2 = {{.*}}}

// A plugin's target (a fixed 1 us) and a user's spec join the built-ins.
// PLUGIN: "test-chip" = {bound = "overhead", {{.*}} seconds = 9.9999999999999995E-7 : f64
// SPEC: wl.estimates = {"my-chip" = {bound =

func.func @f(%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>, %c: tensor<1xf32>) -> (tensor<4096x4096xbf16>, tensor<1xf32>) {
  %0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>
  %1 = wl.add %c, %c : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  return %0, %1 : tensor<4096x4096xbf16>, tensor<1xf32>
}
