// The throughput objective: a stream of items, each chip a pipeline stage
// whose devices take whole items in turn (placement/Throughput.h).
//
// The GPT-2 block at batch 8 on an H100 and a Trainium2: the mixed
// placement's steady state beats the best single chip, in the model and in
// the simulated stream of 64 items; the report carries the stream's
// figures, with throughput the inverse of the period, and dollars per item
// the two chips' prices (6.88 and 4.00 USD per device-hour in their specs)
// held for one period.
// RUN: rm -rf %t && mkdir -p %t && %python %S/../../../scripts/gen_workloads.py %t > /dev/null
// RUN: fungible-run %t/gpt2_block_b8.mlir --devices=h100,trn2 --simulate-only --objective=throughput --batches=64 --report=%t/mixed.json 2>&1 | FileCheck %s --check-prefix=LOG
// LOG: fungible-run: 7 kernels on 2 devices: makespan {{.*}} (heuristic placement); simulated only
// LOG-NEXT: steady state: {{[0-9.]+}} items/s (one every {{[0-9.]+ [mun]?s}}; bottleneck {{[a-z0-9>-]+}}); one item takes {{[0-9.]+ [mun]?s}}; ${{.*}} and {{.*}} J per item
// LOG-NEXT: simulated: 64 items in {{[0-9.]+ [mun]?s}}, {{[0-9.]+}} items/s; the best single chip, trn2, sustains {{[0-9.]+}} items/s
// LOG-NEXT: kernel          device             start        time      dollars
// LOG-NEXT: layer_norm_0 {{(h100|trn2)}}:0 0 s
// RUN: %python %S/../../lib/report_query.py m=%t/mixed.json "m['objective'], chips(m), m['items'], m['throughput_per_s'] > m['best_single_chip']['throughput_per_s'], m['simulated_throughput_per_s'] > m['best_single_chip']['throughput_per_s'], abs(m['throughput_per_s'] * m['period_s'] - 1) < 1e-12, abs(m['dollars_per_item'] / ((6.88 + 4.00) / 3600 * m['period_s']) - 1) < 1e-12, m['item_latency_s'] >= m['period_s'], m['joules_per_item'] > 0" | FileCheck %s --check-prefix=MIXED
// MIXED: ('throughput', ['h100', 'trn2'], 64, True, True, True, True, True, True)
//
// The trace of a stream of 48 items: 7 kernel slices per item with their
// figures as args, and each item's two moves (the steady state puts
// matmul_3 on the H100: its input there and its output back to the
// Trainium2) with a flow arrow from the kernel that produced the value.
// (With 32 items the pipeline's fill costs more than it gains and the
// stream runs on the Trainium2 alone.)
// RUN: fungible-run %t/gpt2_block_b8.mlir --devices=h100,trn2 --simulate-only --objective=throughput --batches=48 --trace=%t/stream.trace.json
// RUN: %python %S/../../lib/check_trace.py %t/stream.trace.json | FileCheck %s --check-prefix=TRACE
// TRACE: 336 kernel slices, 96 moves, 96 flows, 0 failures []
// RUN: fungible-run %t/gpt2_block_b8.mlir --devices=h100,trn2 --simulate-only --objective=throughput --batches=32 --trace=%t/fill.trace.json
// RUN: %python %S/../../lib/check_trace.py %t/fill.trace.json | FileCheck %s --check-prefix=FILL
// FILL: 224 kernel slices, 0 moves, 0 flows, 0 failures []
//
// Replicas: four Trainium2s take four items at once, exactly four times
// one's throughput.
// RUN: fungible-run %t/gpt2_block_b8.mlir --devices=trn2 --simulate-only --objective=throughput --report=%t/one.json
// RUN: fungible-run %t/gpt2_block_b8.mlir --devices=trn2:4 --simulate-only --objective=throughput --report=%t/four.json
// RUN: %python %S/../../lib/report_query.py a=%t/one.json b=%t/four.json "round(b['throughput_per_s'] / a['throughput_per_s'], 12), b['bottleneck'], a['item_latency_s'] == b['item_latency_s']" | FileCheck %s --check-prefix=REPLICAS
// REPLICAS: (4.0, 'trn2', True)
//
// Each item computes the same numbers as a run without the stream.
// RUN: fungible-run %S/Inputs/branches.mlir --devices=cpu-host --seed=5 --out=%t/plain
// RUN: fungible-run %S/Inputs/branches.mlir --devices=h100,tpu-v5p --seed=5 --objective=throughput --batches=3 --out=%t/stream --report=%t/stream.json
// RUN: cmp %t/plain/result0.npy %t/stream/result0.npy
// RUN: cmp %t/plain/result1.npy %t/stream/result1.npy
// RUN: %python %S/../../lib/report_query.py r=%t/stream.json "r['executions'], len(r['runs'])" | FileCheck %s --check-prefix=ONCE
// ONCE: (2, 2)
//
// A device failure mid-stream: the kernels not yet run are placed again
// over what is left, and every item still completes.
// RUN: fungible-run %t/gpt2_block_b8.mlir --devices=h100,trn2 --simulate-only --objective=throughput --batches=8 --fail=trn2:0@5ms --report=%t/failed.json 2>&1 | FileCheck %s --check-prefix=FAIL
// FAIL: every trn2 device had failed by 5.000000e-03 s, so the {{[0-9]+}} kernel(s) still to run (from '{{.*}}' on) were placed again over what is left (h100)
// RUN: %python %S/../../lib/report_query.py r=%t/failed.json "r['simulated_throughput_per_s'] > 0, r['failures'][0]['device']" | FileCheck %s --check-prefix=FAILED
// FAILED: (True, 'trn2:0')
//
// Serve a rate at the least price (--objective=dollars --min-throughput):
// one Trainium2 sustains the throughput of one.json above, a little over
// 600 items/s, so 1000 items/s hold two of the four, which sustain twice
// that; 100 items/s hold one. Beyond what four sustain: an error with the
// best.
// RUN: fungible-run %t/gpt2_block_b8.mlir --devices=trn2:4 --simulate-only --objective=dollars --min-throughput=1000 --report=%t/floor.json 2>&1 | FileCheck %s --check-prefix=FLOOR
// FLOOR: serving at least 1000 items/s at the least price: holds trn2 x2
// RUN: %python %S/../../lib/report_query.py a=%t/one.json f=%t/floor.json "a['throughput_per_s'] < 1000, f['held_devices'], round(f['throughput_per_s'] / a['throughput_per_s'], 12), f['min_throughput_per_s'], f['placement_method']" | FileCheck %s --check-prefix=FLOORED
// FLOORED: (True, {'trn2': 2}, 2.0, 1000, 'heuristic+floor')
// RUN: fungible-run %t/gpt2_block_b8.mlir --devices=trn2:4 --simulate-only --objective=dollars --min-throughput=100 --report=%t/floor100.json
// RUN: %python %S/../../lib/report_query.py f=%t/floor100.json "f['held_devices']" | FileCheck %s --check-prefix=ONE
// ONE: {'trn2': 1}
// RUN: not fungible-run %t/gpt2_block_b8.mlir --devices=trn2:4 --simulate-only --objective=dollars --min-throughput=1e6 2>&1 | FileCheck %s --check-prefix=TOOFAST
// TOOFAST: fungible-run: no placement on this fleet serves 1e+06 items/s: the best found sustains {{[0-9.]+}} items/s (bottleneck trn2)
// RUN: not fungible-run %S/Inputs/branches.mlir --devices=h100 --objective=time --min-throughput=5 2>&1 | FileCheck %s --check-prefix=NOTDOLLARS
// NOTDOLLARS: fungible-run: --min-throughput is served at the least price: use it with --objective=dollars
// RUN: not fungible-run %S/Inputs/branches.mlir --devices=h100 --objective=dollars --min-throughput=-5 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: fungible-run: --min-throughput must be a positive number of items per second
//
// Bad input.
// RUN: not fungible-run %S/Inputs/branches.mlir --devices=h100 --objective=throughput --batches=0 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: fungible-run: --batches must be from 1 to 1000000, not 0
// RUN: not fungible-run %S/Inputs/branches.mlir --devices=h100 --objective=throughput --max-joules=1 2>&1 | FileCheck %s --check-prefix=CAP
// CAP: fungible-run: --max-dollars and --max-joules cap the time, dollars and energy objectives, not throughput
