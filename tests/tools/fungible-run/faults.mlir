// Device failures mid-run: the kernel running on the failed device runs
// again, what is left is placed again, and the outputs are unchanged.
// RUN: rm -rf %t && %python %S/../../../scripts/gen_workloads.py %t --small
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=cpu-host --seed=3 --out=%t/ok
// On the host the third kernel (attention_2) runs from 0.576 to 0.958 us
// (the cost model's times, docs/CostModel.md "cpu"): it is running when
// the host's only device fails at 0.8 us. It runs again, on
// the H100 with everything after it; and since the outputs of the two
// kernels before it lived only in the host's memory, which failed before
// they were moved off, they run again on the H100 too (lineage
// recomputation): three kernels run twice, nothing crosses a link.
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=h100:1,cpu-host:1 --seed=3 --fail=cpu-host:0@0.8us --out=%t/failed --report=%t/failed.json --trace=%t/failed.trace.json 2>&1 | FileCheck %s --check-prefix=LOG
// LOG: 'gpt2_block_b1/attention_2' was lost when cpu-host:0 failed at 8.000000e-07 s; it runs again
// LOG: every cpu-host device had failed by 8.000000e-07 s, so the 5 kernel(s) still to run (from 'gpt2_block_b1/attention_2' on) were placed again over what is left (h100); 5 of them changed chip
// LOG: the output of 'gpt2_block_b1/matmul_1' was lost with cpu-host:0 at 8.000000e-07 s before 'gpt2_block_b1/attention_2' could read it: 'gpt2_block_b1/matmul_1' runs again
// LOG: the output of 'gpt2_block_b1/layer_norm_0' was lost with cpu-host:0
// RUN: cmp %t/ok/result0.npy %t/failed/result0.npy
// The trace: 9 completed kernel slices (7 kernels, 2 of them twice;
// attention_2's first run is a lost slice) and the failure marked on the
// host's track at 0.8 us.
// RUN: %python %S/../../lib/check_trace.py %t/failed.trace.json | FileCheck %s --check-prefix=TRACED
// TRACED: 9 kernel slices, 0 moves, 0 flows, 1 failures [('cpu-host:0 fails', {{0\.8|0\.80+|0\.79+}})]
// RUN: FileCheck %s --check-prefix=REPORT < %t/failed.json
// REPORT: "gpt2_block_b1/layer_norm_0": "h100:0",
// REPORT: "gpt2_block_b1/attention_2": "h100:0",
// REPORT: "gpt2_block_b1/matmul_6": "h100:0"
// REPORT: "runs": {
// REPORT-NEXT: "gpt2_block_b1/layer_norm_0": 2,
// REPORT-NEXT: "gpt2_block_b1/matmul_1": 2,
// REPORT-NEXT: "gpt2_block_b1/attention_2": 2,
// REPORT-NEXT: "gpt2_block_b1/matmul_3": 1,
// REPORT: "executions": 10,
// REPORT: "links": {},
// REPORT: "failures": [
// REPORT: "device": "cpu-host:0",
// RUN: FileCheck %s --check-prefix=TRACE < %t/failed.trace.json
// TRACE: "name": "gpt2_block_b1/attention_2 (lost)",
// TRACE-NEXT: "cat": "lost",
// With two host devices the lost kernel moves to the other one.
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=cpu-host:2 --seed=3 --fail=cpu-host:0@0.8us --out=%t/two --report=%t/two.json
// RUN: cmp %t/ok/result0.npy %t/two/result0.npy
// RUN: FileCheck %s --check-prefix=TWO < %t/two.json
// TWO: "gpt2_block_b1/attention_2": "cpu-host:1",
// With nothing left, the run stops and says which kernel could not run.
// RUN: not fungible-run %t/gpt2_block_b1.mlir --devices=cpu-host --fail=cpu-host:0@0.1us 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: fungible-run: no device is left to run kernel 'gpt2_block_b1/layer_norm_0'
