// A position given to fungible-run is checked against what it indexes
// before anything runs: out of bounds, the kernels would write outside
// their buffers (a heap corruption, which it was until 2026-12-06). The
// decode step's position puts a row into each 128-row cache: 0 to 127.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../lib/npy_tool.py inputs %S/../../../examples/workloads/decode_step.mlir decode_step %t/in
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg6.npy "<i8:" 128
// RUN: not fungible-run %S/../../../examples/workloads/decode_step.mlir --devices=cpu-host --inputs=%t/in --out=%t/past 2>&1 | FileCheck %s --check-prefix=PAST
// PAST: fungible-run: {{.*}}arg6.npy: argument 6 is 128, but 'tensor.insert_slice' at {{.*}}decode_step.mlir:{{[0-9]+}}:{{[0-9]+}} takes it as the offset into dimension 0 of tensor<128x512xf32> of 1 element; every access it indexes takes 0 to 127
// Nothing was written.
// RUN: not ls %t/past
// A negative one, on a fleet without the host:
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg6.npy "<i8:" -1
// RUN: not fungible-run %S/../../../examples/workloads/decode_step.mlir --devices=h100:1,trn2:1 --inputs=%t/in --out=%t/neg 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: argument 6 is -1, but 'tensor.insert_slice' {{.*}}; every access it indexes takes 0 to 127
// With the loops kept, the stores index the caches:
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg6.npy "<i8:" 1000
// RUN: not fungible-run %S/../../../examples/workloads/decode_step.mlir --devices=cpu-host --keep-loops --inputs=%t/in --out=%t/loops 2>&1 | FileCheck %s --check-prefix=LOOPS
// LOOPS: argument 6 is 1000, but 'memref.store' at {{.*}}decode_step.mlir:{{[0-9]+}}:{{[0-9]+}} takes it as an index into dimension 0 of memref<128x512xf32>; every access it indexes takes 0 to 127
// The last position runs:
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg6.npy "<i8:" 127
// RUN: fungible-run %S/../../../examples/workloads/decode_step.mlir --devices=cpu-host --inputs=%t/in --out=%t/last
// RUN: ls %t/last | FileCheck %s --check-prefix=LAST
// LAST: arg5.npy

// The position plus a constant, in an affine store's map and in a load
// (Inputs/affine-position.mlir): -1 to 13; the loops, wrapped into a
// kernel, still verify (the kernel is an affine scope) and run.
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/affine-position.mlir next %t/a
// RUN: %python %S/../../lib/npy_tool.py write %t/a/arg2.npy "<i8:" 14
// RUN: not fungible-run %S/Inputs/affine-position.mlir --devices=cpu-host --inputs=%t/a --out=%t/a14 2>&1 | FileCheck %s --check-prefix=AFFINE
// AFFINE: argument 2 is 14, but 'affine.store' at {{.*}}affine-position.mlir:12:5 takes it plus 2 as an index into dimension 0 of memref<16x8xf32>; every access it indexes takes -1 to 13
// RUN: %python %S/../../lib/npy_tool.py write %t/a/arg2.npy "<i8:" -2
// RUN: not fungible-run %S/Inputs/affine-position.mlir --devices=cpu-host --inputs=%t/a --out=%t/a-2 2>&1 | FileCheck %s --check-prefix=AFFINE-LOW
// AFFINE-LOW: argument 2 is -2, but 'memref.load' at {{.*}}affine-position.mlir:14:8 takes it plus 1 as an index into dimension 0 of memref<16x8xf32>; every access it indexes takes -1 to 13
// The lowest position writes row 1 and reads row 0, column 1 (the input
// cache's, which the harness's values give, printed flat): the fill is
// that element.
// RUN: %python %S/../../lib/npy_tool.py write %t/a/arg2.npy "<i8:" -1
// RUN: fungible-run %S/Inputs/affine-position.mlir --devices=cpu-host --inputs=%t/a --out=%t/a-1
// RUN: %python %S/../../lib/npy_tool.py print %t/a/arg0.npy %t/a-1/result0.npy | FileCheck %s --check-prefix=AFFINE-VALUES
// AFFINE-VALUES: sizes = [128]
// AFFINE-VALUES-NEXT: {{^}}[{{[^,]+}}, [[E01:[^,]+]],
// AFFINE-VALUES: sizes = [8]
// AFFINE-VALUES-NEXT: {{^}}[[[E01]], [[E01]], [[E01]], [[E01]], [[E01]], [[E01]], [[E01]], [[E01]]]

// A position the program guards (Inputs/guarded-position.mlir: the row is
// stored only when the position is inside the cache) is not checked: 200
// runs and stores nothing, the cache's element (0, 1) read back as it was;
// 0 stores the row there.
// RUN: %python %S/../../lib/npy_tool.py inputs %S/Inputs/guarded-position.mlir guarded %t/g
// RUN: %python %S/../../lib/npy_tool.py write %t/g/arg2.npy "<i8:" 200
// RUN: fungible-run %S/Inputs/guarded-position.mlir --devices=cpu-host --inputs=%t/g --out=%t/g200
// RUN: %python %S/../../lib/npy_tool.py print %t/g/arg0.npy %t/g200/result0.npy | FileCheck %s --check-prefix=GUARD-OUT
// GUARD-OUT: sizes = [128]
// GUARD-OUT-NEXT: {{^}}[{{[^,]+}}, [[C01:[^,]+]],
// GUARD-OUT: sizes = [8]
// GUARD-OUT-NEXT: {{^}}[[[C01]], [[C01]], [[C01]], [[C01]], [[C01]], [[C01]], [[C01]], [[C01]]]
// RUN: %python %S/../../lib/npy_tool.py write %t/g/arg2.npy "<i8:" 0
// RUN: fungible-run %S/Inputs/guarded-position.mlir --devices=cpu-host --inputs=%t/g --out=%t/g0
// RUN: %python %S/../../lib/npy_tool.py print %t/g/arg1.npy %t/g0/result0.npy | FileCheck %s --check-prefix=GUARD-IN
// GUARD-IN: sizes = [8]
// GUARD-IN-NEXT: {{^}}[{{[^,]+}}, [[R1:[^,]+]],
// GUARD-IN: sizes = [8]
// GUARD-IN-NEXT: {{^}}[[[R1]], [[R1]], [[R1]], [[R1]], [[R1]], [[R1]], [[R1]], [[R1]]]

// A window of 4 at an offset (an i32 here): 0 to 12 of 16.
// RUN: %python %S/../../lib/npy_tool.py inputs %s window %t/w
// RUN: %python %S/../../lib/npy_tool.py write %t/w/arg1.npy "<i4:" 13
// RUN: not fungible-run %s --devices=cpu-host --inputs=%t/w --out=%t/w13 2>&1 | FileCheck %s --check-prefix=WINDOW
// WINDOW: argument 1 is 13, but 'tensor.extract_slice' at {{.*}}index-bounds.mlir:[[@LINE+11]]:{{[0-9]+}} takes it as the offset into dimension 0 of tensor<16xf32> of 4 elements; every access it indexes takes 0 to 12
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
