// The makespan objective: one execution over the fleet's devices, parallel
// branches on different devices, transfers overlapping compute.
//
// Two independent 2048^3 matmuls on two identical chips (an H100 and a
// copy of its spec named h100-spare): the serial-total objective puts both
// on the first chip, one after the other; makespan puts one on each, with
// nothing to move (the arguments start everywhere), so its makespan is
// exactly half.
// RUN: rm -rf %t && mkdir -p %t
// RUN: sed 's/"id": "h100"/"id": "h100-spare"/' %S/../../../targets/specs/h100.json > %t/spare.json
// RUN: fungible-run %S/Inputs/branches.mlir --devices=h100,h100-spare --target-spec=%t/spare.json --simulate-only --report=%t/time.json
// RUN: fungible-run %S/Inputs/branches.mlir --devices=h100,h100-spare --target-spec=%t/spare.json --simulate-only --objective=makespan --report=%t/makespan.json 2>&1 | FileCheck %s --check-prefix=SPARE
// SPARE: fungible-run: 2 kernels on 2 devices: makespan [[HALF:[0-9.]+ [mun]?s]], {{.*}} (exact placement); simulated only
// SPARE-NEXT: planned makespan [[HALF]] (lower bound [[HALF]]); the best single chip, h100, takes [[FULL:[0-9.]+ [mun]?s]]
// SPARE-NEXT: kernel    device             start        time      dollars
// SPARE-NEXT: matmul_0  h100:0               0 s
// SPARE-NEXT: matmul_1  h100-spare:0         0 s
// RUN: %python %S/../../lib/report_query.py t=%t/time.json m=%t/makespan.json "round(t['makespan_s'] / m['makespan_s'], 12), chips(t), chips(m), m['objective'], m['best_single_chip']['makespan_s'] == t['makespan_s']" | FileCheck %s --check-prefix=HALVES
// HALVES: (2.0, ['h100'], ['h100', 'h100-spare'], 'makespan', True)
//
// Two devices of one chip: the schedule already overlaps independent
// kernels on them, so both objectives end at the same time.
// RUN: fungible-run %S/Inputs/branches.mlir --devices=h100:2 --simulate-only --report=%t/time2.json
// RUN: fungible-run %S/Inputs/branches.mlir --devices=h100:2 --simulate-only --objective=makespan --report=%t/makespan2.json
// RUN: %python %S/../../lib/report_query.py t=%t/time2.json m=%t/makespan2.json "t['makespan_s'] == m['makespan_s'] == t['placement_objective'] / 2" | FileCheck %s --check-prefix=SAME
// SAME: True
//
// An H100 and a TPU v5e: the TPU alone is the faster single chip, but one
// matmul on each ends sooner than both on the TPU: the mixed placement
// beats every single chip.
// RUN: fungible-run %S/Inputs/branches.mlir --devices=h100,tpu-v5e --simulate-only --objective=makespan --report=%t/mixed.json
// RUN: %python %S/../../lib/report_query.py m=%t/mixed.json "chips(m), m['best_single_chip']['chip'], m['makespan_s'] < m['best_single_chip']['makespan_s'], m['links']" | FileCheck %s --check-prefix=MIXED
// MIXED: (['h100', 'tpu-v5e'], 'tpu-v5e', True, {})
//
// Where the link makes it not pay: both matmuls read a 16 MiB product that
// would have to cross from one family to the other through host memory,
// which takes longer than a matmul: everything stays on the TPU.
// RUN: fungible-run %S/Inputs/fork.mlir --devices=h100,tpu-v5e --simulate-only --objective=makespan --report=%t/fork.json
// RUN: %python %S/../../lib/report_query.py m=%t/fork.json "chips(m), m['makespan_s'] == m['best_single_chip']['makespan_s'], m['links']" | FileCheck %s --check-prefix=FORK
// FORK: (['tpu-v5e'], True, {})
//
// Numbers are unchanged by the placement.
// RUN: fungible-run %S/Inputs/branches.mlir --devices=cpu-host --seed=2 --out=%t/host
// RUN: fungible-run %S/Inputs/branches.mlir --devices=h100,tpu-v5e --seed=2 --objective=makespan --out=%t/mixed-out
// RUN: cmp %t/host/result0.npy %t/mixed-out/result0.npy
// RUN: cmp %t/host/result1.npy %t/mixed-out/result1.npy
//
// A cap does not apply to makespan.
// RUN: not fungible-run %S/Inputs/branches.mlir --devices=h100 --objective=makespan --max-dollars=1 2>&1 | FileCheck %s --check-prefix=CAP
// CAP: fungible-run: --max-dollars and --max-joules cap the time, dollars and energy objectives, not makespan
