// RUN: fungible-opt %s --wl-place="targets=mx,vd target-specs=%S/Inputs/mx.json,%S/Inputs/vd.json" | FileCheck %s --check-prefix=FREE
// RUN: fungible-opt %s --wl-place="targets=mx,vd target-specs=%S/Inputs/mx.json,%S/Inputs/vd.json max-dollars=1e-7" | FileCheck %s --check-prefix=CAPPED
// RUN: fungible-opt %s --wl-place="targets=mx,vd target-specs=%S/Inputs/mx.json,%S/Inputs/vd.json max-joules=1" | FileCheck %s --check-prefix=JOULES
// RUN: not fungible-opt %s --wl-place="targets=mx,vd target-specs=%S/Inputs/mx.json,%S/Inputs/vd.json max-dollars=5e-8" 2>&1 | FileCheck %s --check-prefix=TOOLOW
// RUN: not fungible-opt %s --wl-place="targets=mx,vd max-dollars=1 max-joules=1 target-specs=%S/Inputs/mx.json,%S/Inputs/vd.json" 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not fungible-opt %s --wl-place="targets=mx,vd max-joules=-2 target-specs=%S/Inputs/mx.json,%S/Inputs/vd.json" 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// mx and vd are chains.mlir's mx and vx, except that vd costs ten times as
// much ($36/h, $1e-5/s, against mx's $1e-6/s); both draw 100 W. Times as
// in chains.mlir: the matmul 34.554 us on mx, a relu 7.554 us on mx and
// 6.243 us on vd, the move 2.621 us.
//
// Free: the relus go to vd, 55.905 us against 57.215 us all on mx. In
// dollars: 34.554 us x $1e-6/s + 2.621 us x ($1e-6 + $1e-5)/s (a move
// bills both ends) + 3 x 6.243 us x $1e-5/s = $2.506e-7.
// FREE: cost = 5.59{{[0-9]*}}E-5
// FREE: wl.relu {{.*}}wl.target = "vd"
//
// A $1e-7 cap leaves only mx (57.215 us x $1e-6/s = $5.7215e-8; putting
// any relu on vd costs more than the cap and saves no time).
// CAPPED: budget = "dollars", budget_limit = 9.99{{[0-9]*}}E-8 : f64, budget_used = 5.72152{{[0-9]*}}E-8 : f64, cost = 5.72152{{[0-9]*}}E-5 : f64, {{.*}}method = "tree+budget"
// CAPPED-NOT: wl.transfer
// CAPPED-NOT: "vd"
//
// A cap of 1 J does not bind (the free placement uses 100 W x 58.5 us of
// billed time, 5.85 mJ): the free placement, proven optimal.
// JOULES: budget = "energy", budget_limit = 1.0{{.*}}, budget_used = 0.00585{{[0-9]*}} : f64, cost = 5.59{{[0-9]*}}E-5 : f64, {{.*}}method = "tree+budget", objective = "time", optimal = true
//
// A cap below the cheapest placement (all on mx, $5.72e-8) is an error
// saying so, at the function.
// TOOLOW: budget.mlir:[[@LINE+4]]:1: error: wl-place: no placement fits the budget of 5e-08: the least any placement can cost is 5.72152e-08
// BOTH: error: wl-place: give at most one of max-dollars and max-joules
// NEGATIVE: error: wl-place: max-joules must be a number >= 0, not -2

func.func @moves(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %m = wl.matmul %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %r1 = wl.relu %m : tensor<256x256xf32>
  %r2 = wl.relu %r1 : tensor<256x256xf32>
  %r3 = wl.relu %r2 : tensor<256x256xf32>
  return %r3 : tensor<256x256xf32>
}
