// wl-place objective=makespan: kernels placed and ordered over devices so
// that one execution ends first (placement/Makespan.h).
//
// Two independent matmuls on an H100 and a TPU v5e, one device each: the
// TPU alone is the best single target (both matmuls, one after the other),
// but one matmul on each chip, both from time 0, ends with the slower of
// the two: the H100's. The solver proves it optimal (exact: two kernels).
// RUN: fungible-opt %S/Inputs/branches.mlir --wl-import --wl-outline-kernels --wl-place="targets=h100,tpu-v5e objective=makespan" | FileCheck %s
// CHECK: wl.placement = {best_single_target = "tpu-v5e", best_single_target_cost = [[SINGLE:[0-9.E+-]+]] : f64, cost = [[END:[0-9.E+-]+]] : f64, lower_bound = [[END]] : f64, method = "exact", objective = "makespan", optimal = true}
// CHECK: wl.kernel "matmul_0"
// CHECK-SAME: wl.schedule = {device = 0 : i64, end = [[TPU:[0-9.E+-]+]] : f64, position = 0 : i64, start = 0.000000e+00 : f64}, wl.target = "tpu-v5e"
// CHECK: wl.kernel "matmul_1"
// CHECK-SAME: wl.schedule = {device = 0 : i64, end = [[END]] : f64, position = 1 : i64, start = 0.000000e+00 : f64}, wl.target = "h100"
// CHECK-NOT: wl.transfer
//
// Two H100s: both matmuls on H100s, one per device; as fast as on two
// chips, and the same as the best single target, which now has two
// devices.
// RUN: fungible-opt %S/Inputs/branches.mlir --wl-import --wl-outline-kernels --wl-place="targets=h100,tpu-v5e objective=makespan devices=h100:2" | FileCheck %s --check-prefix=TWO
// TWO: wl.placement = {best_single_target = "h100", best_single_target_cost = [[END:[0-9.E+-]+]] : f64, cost = [[END]] : f64
// TWO: wl.schedule = {device = 0 : i64, end = [[END]] : f64, position = 0 : i64, start = 0.000000e+00 : f64}, wl.target = "h100"
// TWO: wl.schedule = {device = 1 : i64, end = [[END]] : f64, position = 1 : i64, start = 0.000000e+00 : f64}, wl.target = "h100"
//
// Bad options.
// RUN: not fungible-opt %S/Inputs/branches.mlir --wl-place="targets=h100 objective=makespan devices=h200:2" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: wl-place: bad devices entry 'h200:2' (expected <target>:<count>, a target being placed on and a count from 1 to 1000000)
// RUN: not fungible-opt %S/Inputs/branches.mlir --wl-place="targets=h100 objective=makespan devices=h100:0" 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: error: wl-place: bad devices entry 'h100:0'
// RUN: not fungible-opt %S/Inputs/branches.mlir --wl-place="targets=h100 devices=h100:2" 2>&1 | FileCheck %s --check-prefix=NOTMAKESPAN
// NOTMAKESPAN: error: wl-place: devices applies to objective=makespan
// RUN: not fungible-opt %S/Inputs/branches.mlir --wl-place="targets=h100 objective=makespan max-dollars=1" 2>&1 | FileCheck %s --check-prefix=CAP
// CAP: error: wl-place: max-dollars and max-joules cap the time, energy and dollars objectives, not makespan
// RUN: not fungible-opt %S/Inputs/branches.mlir --wl-place="targets=h100 objective=makespan method=tree" 2>&1 | FileCheck %s --check-prefix=TREE
// TREE: error: wl-place: method=tree solves the serial objectives; makespan takes auto, exact or heuristic
