// Huge fleets (#18): a count past the cap is an error that says so, never
// minutes of allocation; a fleet at the cap runs in time that grows with
// the kernels, not the devices (the makespan solver uses at most one device
// per kernel of each chip).
// RUN: not fungible-run %s --simulate-only --devices=cpu-host:2147483648 2>&1 | FileCheck %s --check-prefix=FLAG
// RUN: not fungible-run %s --simulate-only --devices=cpu-host:65537 2>&1 | FileCheck %s --check-prefix=OVER
// RUN: not fungible-run %s --simulate-only --devices=cpu-host:99999999999 2>&1 | FileCheck %s --check-prefix=WRAP
// RUN: printf '{"devices": {"cpu-host": 4e9}}' > %t.huge.json
// RUN: not fungible-run %s --simulate-only --fleet=%t.huge.json 2>&1 | FileCheck %s --check-prefix=FILE
// RUN: not fungible-run %s --simulate-only --devices=cpu-host:65536,h100:65536,trn2:65536,tpu-v5e:65536,h200:1 2>&1 | FileCheck %s --check-prefix=TOTAL
// FLAG: fungible-run: 2147483648 devices of 'cpu-host': at most 65536 of one chip
// WRAP: fungible-run: bad device entry 'cpu-host:99999999999' (expected <chip>[:<count>], count >= 1)
// OVER: fungible-run: 65537 devices of 'cpu-host': at most 65536 of one chip
// FILE: fungible-run: {{.*}}huge.json: devices.cpu-host: 4000000000 devices: at most 65536 of one chip
// TOTAL: fungible-run: the fleet has more than 262144 devices

// At the caps: the same plan as on one device of each chip (the two
// matmuls run side by side on two devices of the fastest chip), and the
// report lists every device.
// RUN: fungible-run %s --simulate-only --objective=makespan --devices=cpu-host:65536,h100:65536,trn2:65536,tpu-v5e:65536 --report=%t.big.json --trace=%t.trace.json
// RUN: fungible-run %s --simulate-only --objective=makespan --devices=cpu-host:2,h100:2,trn2:2,tpu-v5e:2 --report=%t.small.json
// RUN: %python %S/../../lib/report_query.py a=%t.big.json b=%t.small.json "a['makespan_s'] == b['makespan_s'], a['placement'], len(a['devices'])" | FileCheck %s --check-prefix=SAME
// SAME: (True, {'two/matmul_0': 'trn2:0', 'two/matmul_1': 'trn2:1'}, 262144)

func.func @two(%a: tensor<512x512xf32>, %b: tensor<512x512xf32>) -> (tensor<512x512xf32>, tensor<512x512xf32>) {
  %0 = wl.matmul %a, %b : (tensor<512x512xf32>, tensor<512x512xf32>) -> tensor<512x512xf32>
  %1 = wl.matmul %b, %a : (tensor<512x512xf32>, tensor<512x512xf32>) -> tensor<512x512xf32>
  return %0, %1 : tensor<512x512xf32>, tensor<512x512xf32>
}
