// A position given to fungible-run is checked against what it indexes
// before anything runs: out of bounds, the kernels would write outside
// their buffers (a heap corruption, which it was until 2026-12-06). The
// decode step's position puts a row into each 128-row cache: 0 to 127.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/npy_tool.py inputs %S/../../../examples/workloads/decode_step.mlir decode_step %t/in
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg6.npy "<i8:" 128
// RUN: not fungible-run %S/../../../examples/workloads/decode_step.mlir --devices=cpu-host --inputs=%t/in --out=%t/past 2>&1 | FileCheck %s --check-prefix=PAST
// PAST: fungible-run: {{.*}}arg6.npy: argument 6 is 128, but 'tensor.insert_slice' at {{.*}}decode_step.mlir:{{[0-9]+}}:{{[0-9]+}} takes it as the offset into dimension 0 of tensor<128x512xf32> of 1 element: it must be 0 to 127
// Nothing was written.
// RUN: not ls %t/past
// A negative one, on a fleet without the host:
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg6.npy "<i8:" -1
// RUN: not fungible-run %S/../../../examples/workloads/decode_step.mlir --devices=h100:1,trn2:1 --inputs=%t/in --out=%t/neg 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: argument 6 is -1, but 'tensor.insert_slice' {{.*}}: it must be 0 to 127
// With the loops kept, the stores index the caches:
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg6.npy "<i8:" 1000
// RUN: not fungible-run %S/../../../examples/workloads/decode_step.mlir --devices=cpu-host --keep-loops --inputs=%t/in --out=%t/loops 2>&1 | FileCheck %s --check-prefix=LOOPS
// LOOPS: argument 6 is 1000, but 'memref.store' at {{.*}}decode_step.mlir:{{[0-9]+}}:{{[0-9]+}} takes it as an index into dimension 0 of memref<128x512xf32>: it must be 0 to 127
// The last position runs:
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg6.npy "<i8:" 127
// RUN: fungible-run %S/../../../examples/workloads/decode_step.mlir --devices=cpu-host --inputs=%t/in --out=%t/last
// RUN: ls %t/last | FileCheck %s --check-prefix=LAST
// LAST: arg5.npy

// A window of 4 at an offset (an i32 here): 0 to 12 of 16.
// RUN: %python %S/../../lib/npy_tool.py inputs %s window %t/w
// RUN: %python %S/../../lib/npy_tool.py write %t/w/arg1.npy "<i4:" 13
// RUN: not fungible-run %s --devices=cpu-host --inputs=%t/w --out=%t/w13 2>&1 | FileCheck %s --check-prefix=WINDOW
// WINDOW: argument 1 is 13, but 'tensor.extract_slice' at {{.*}}index-bounds.mlir:[[@LINE+11]]:{{[0-9]+}} takes it as the offset into dimension 0 of tensor<16xf32> of 4 elements: it must be 0 to 12
// RUN: %python %S/../../lib/npy_tool.py write %t/w/arg1.npy "<i4:" 12
// RUN: fungible-run %s --devices=cpu-host --inputs=%t/w --out=%t/w12
// RUN: %python %S/../../lib/npy_tool.py print %t/w/arg0.npy %t/w12/result0.npy | FileCheck %s --check-prefix=LAST4
// The window is the input's last 4 elements:
// LAST4: sizes = [16]
// LAST4-NEXT: [{{.*}}, [[E12:[^,]+]], [[E13:[^,]+]], [[E14:[^,]+]], [[E15:[^,]+]]]{{$}}
// LAST4: sizes = [4]
// LAST4-NEXT: {{^}}[[[E12]], [[E13]], [[E14]], [[E15]]]{{$}}
func.func @window(%x: tensor<16xf32>, %off: i32) -> tensor<4xf32> {
  %i = arith.index_cast %off : i32 to index
  %w = tensor.extract_slice %x[%i] [4] [1] : tensor<16xf32> to tensor<4xf32>
  return %w : tensor<4xf32>
}
