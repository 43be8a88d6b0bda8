// A budget on the placement: --max-joules / --max-dollars cap the energy
// or dollars while the objective (time) is minimised.
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-run %s --devices=tpu-v5p:1,trn2:1 --simulate-only --report=%t/free.json
// RUN: fungible-run %s --devices=tpu-v5p:1 --simulate-only --report=%t/tpu.json
// RUN: fungible-run %s --devices=tpu-v5p:1,trn2:1 --simulate-only --max-joules=0.15 --report=%t/capped.json
// RUN: cat %t/free.json %t/tpu.json %t/capped.json | FileCheck %s
// RUN: not fungible-run %s --devices=tpu-v5p:1,trn2:1 --simulate-only --max-joules=0.09 2>&1 | FileCheck %s --check-prefix=TOOLOW
// RUN: not fungible-run %s --devices=tpu-v5p:1,trn2:1 --max-joules=1 --max-dollars=1 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not fungible-run %s --devices=tpu-v5p:1,trn2:1 --simulate-only --max-dollars=1e-7 2>&1 | FileCheck %s --check-prefix=DOLLARS

// Three 2048^3 f32 matmuls. Trainium2 is the fastest here (0.369 ms in
// all, 0.183 J: 496 W, its 500 W board 97% busy); TPU v5p is slower
// (0.486 ms) but needs 0.095 J (196 W). Free, the
// chain runs on Trainium2; mixing the two pays a 16 MiB transfer billed on
// both ends (more energy than it saves); so a 0.15 J cap moves the whole
// chain to the TPU, and its report shows exactly the TPU-only run's energy.
// CHECK: "placement_method": "tree",
// CHECK: "chain/matmul_0": "trn2:0",
// CHECK-NEXT: "chain/matmul_1": "trn2:0",
// CHECK-NEXT: "chain/matmul_2": "trn2:0"
// CHECK: "joules": [[TPUJ:[0-9.e-]+]],
// CHECK: "placement_method": "tree+budget",
// CHECK: "budget": {
// CHECK-NEXT: "quantity": "energy",
// CHECK-NEXT: "limit": 0.1499
// CHECK-NEXT: "placement_used": [[TPUJ]]
// CHECK: "chain/matmul_0": "tpu-v5p:0",
// CHECK-NEXT: "chain/matmul_1": "tpu-v5p:0",
// CHECK-NEXT: "chain/matmul_2": "tpu-v5p:0"

// TOOLOW: fungible-run: no placement fits the budget of 0.09: the least any placement can cost is 0.0951199
// Trainium2 is also the cheaper chip here ($4.1e-7 for the chain): a
// $1e-7 cap is below anything.
// DOLLARS: fungible-run: no placement fits the budget of 1e-07: the least any placement can cost is 4.09524e-07
// BOTH: {{--max-(dollars|joules) excludes --max-(joules|dollars)}}

func.func @chain(%a: tensor<2048x2048xf32>, %b: tensor<2048x2048xf32>) -> tensor<2048x2048xf32> {
  %0 = wl.matmul %a, %b : (tensor<2048x2048xf32>, tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  %1 = wl.matmul %0, %b : (tensor<2048x2048xf32>, tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  %2 = wl.relu %1 : tensor<2048x2048xf32>
  %3 = wl.matmul %2, %b : (tensor<2048x2048xf32>, tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  return %3 : tensor<2048x2048xf32>
}
