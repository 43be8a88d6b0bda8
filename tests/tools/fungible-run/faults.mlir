// Device failures mid-run: the kernel running on the failed device runs
// again, what is left is placed again, and the outputs are unchanged.
// RUN: rm -rf %t && %python %S/../../../scripts/gen_workloads.py %t --small
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=cpu-host --seed=3 --out=%t/ok
// The host's only device fails halfway through the third kernel,
// attention_2 (--fail=cpu-host:0@kernel:attention_2: at the midpoint of
// its run there in the schedule without failures, whatever the cost
// model's times are; 0.77 us with the 2026-12-07 host costs). It runs
// again, on the H100 with everything after it; and since the outputs of
// the two kernels before it lived only in the host's memory, which failed
// before they were moved off, they run again on the H100 too (lineage
// recomputation): three kernels run twice, nothing crosses a link.
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=h100:1,cpu-host:1 --seed=3 --fail=cpu-host:0@kernel:attention_2 --out=%t/failed --report=%t/failed.json --trace=%t/failed.trace.json 2>&1 | FileCheck %s --check-prefix=LOG
// LOG: 'gpt2_block_b1/attention_2' was lost when cpu-host:0 failed at {{[0-9.e+-]+}} s; it runs again
// LOG: every cpu-host device had failed by {{[0-9.e+-]+}} s, so the 5 kernel(s) still to run (from 'gpt2_block_b1/attention_2' on) were placed again over what is left (h100); 5 of them changed chip
// LOG: the output of 'gpt2_block_b1/matmul_1' was lost with cpu-host:0 at {{[0-9.e+-]+}} s before 'gpt2_block_b1/attention_2' could read it: 'gpt2_block_b1/matmul_1' runs again
// LOG: the output of 'gpt2_block_b1/layer_norm_0' was lost with cpu-host:0
// RUN: cmp %t/ok/result0.npy %t/failed/result0.npy
// The trace: 9 completed kernel slices (7 kernels, 2 of them twice;
// attention_2's first run is a lost slice) and the failure marked on the
// host's track.
// RUN: %python %S/../../lib/check_trace.py %t/failed.trace.json | FileCheck %s --check-prefix=TRACED
// TRACED: 9 kernel slices, 0 moves, 0 flows, 1 failures [('cpu-host:0 fails', {{[0-9.]+}})]
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
// RUN: fungible-run %t/gpt2_block_b1.mlir --devices=cpu-host:2 --seed=3 --fail=cpu-host:0@kernel:attention_2 --out=%t/two --report=%t/two.json
// RUN: cmp %t/ok/result0.npy %t/two/result0.npy
// RUN: FileCheck %s --check-prefix=TWO < %t/two.json
// TWO: "gpt2_block_b1/attention_2": "cpu-host:1",
// With nothing left, the run stops and says which kernel could not run.
// RUN: not fungible-run %t/gpt2_block_b1.mlir --devices=cpu-host --fail=cpu-host:0@kernel:layer_norm_0 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: fungible-run: no device is left to run kernel 'gpt2_block_b1/layer_norm_0'
// A failure named by a kernel that is not there, or that runs on another
// device: named errors.
// RUN: not fungible-run %t/gpt2_block_b1.mlir --devices=h100:1,cpu-host:1 --fail=cpu-host:0@kernel:nope 2>&1 | FileCheck %s --check-prefix=NOKERNEL
// NOKERNEL: fungible-run: --fail: no kernel 'nope'
// RUN: not fungible-run %t/gpt2_block_b1.mlir --devices=h100:1,cpu-host:1 --fail=h100:0@kernel:attention_2 2>&1 | FileCheck %s --check-prefix=ELSEWHERE
// ELSEWHERE: fungible-run: --fail: 'gpt2_block_b1/attention_2' does not run on 'h100:0' (it runs on 'cpu-host:0'): name a kernel that does
