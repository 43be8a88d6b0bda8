// A decode step with buffer-level code (examples/workloads/decode_step.mlir):
// its KV-cache write and attention, loops over memrefs, are costed whole and
// run, and their outputs (the token's output and both updated caches) equal
// the upstream lowering of the same file.

// Before wl-wrap-buffer-code the loops are left as they are; the report
// counts their work by hand as the file's header does: 267784 FLOPs.
// RUN: fungible-opt %S/../../examples/workloads/decode_step.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=LEFT
// LEFT: raised:     5 ops, 2097664 FLOPs (wl.add 1, wl.matmul 4)
// LEFT: left as is: 9 ops, 267784 FLOPs

// After it they are one opaque kernel, and nothing is left out: the
// projections 4 * 2*512*512 and the residual 512 are raised (2097664),
// the buffer code is opaque, 2097664 / 2365448 = 88.68% raised.
// RUN: fungible-opt %S/../../examples/workloads/decode_step.mlir -wl-import -wl-wrap-buffer-code -wl-import-report -o /dev/null | FileCheck %s --check-prefix=WRAPPED
// WRAPPED: raised:     5 ops, 2097664 FLOPs (wl.add 1, wl.matmul 4)
// WRAPPED-NEXT: opaque:     1 kernels, 267784 FLOPs (scf.for 1)
// WRAPPED-NEXT: left as is: 0 ops, 0 FLOPs ()
// WRAPPED: 88.68% of FLOPs raised

// wl-raise-buffer-loops then splits that kernel into what its loops
// compute, which the import raises: the cache writes are the token's rows
// put into the caches at its position (tensor.insert_slice, no FLOPs); the
// attention loops (per head, the cache's rows times the query, scaled and
// masked after the position, the running maximum, the exponentials and
// their sum, the weighted sum scaled by the sum's reciprocal) are one
// wl.attention, causal at the position's offset and normalised after the
// product, as the loops compute it; its FLOPs are the loops': per head
// 128 * (2*64 + 1) for the scaled scores, 4 * 128 for the softmax's
// maximum, subtraction, exponential and sum, 128 * 64 * 2 for the weighted
// sum, then one reciprocal and 64 multiplications: 8 * 33473 = 267784.
// Everything is raised.
// RUN: fungible-opt %S/../../examples/workloads/decode_step.mlir -wl-import -wl-wrap-buffer-code -wl-raise-buffer-loops -wl-import-report -o /dev/null | FileCheck %s --check-prefix=RAISED
// RAISED: raised:     14 ops, 2365448 FLOPs (wl.add 1, wl.attention 1, wl.matmul 4, wl.reshape 6, wl.transpose 2)
// RAISED-NEXT: opaque:     0 kernels, 0 FLOPs ()
// RAISED-NEXT: left as is: 2 ops, 0 FLOPs (tensor.insert_slice 2)
// RAISED: 100.00% of FLOPs raised
// RUN: fungible-opt %S/../../examples/workloads/decode_step.mlir -wl-import -wl-wrap-buffer-code -wl-raise-buffer-loops | FileCheck %s --check-prefix=ATTENTION
// ATTENTION: func.func @decode_step({{.*}}%[[POS:arg6]]: index
// ATTENTION: wl.attention %{{.*}}, %{{.*}}, %{{.*}} offset %[[POS]] {causal, normalize_after, scale = 1.250000e-01 : f64} : (tensor<8x1x64xf32>, tensor<8x128x64xf32>, tensor<8x128x64xf32>, index) -> tensor<8x1x64xf32>

// The kernels: the three projections, the two cache writes, the attention
// (the query row against the cache's rows, read through its heads in
// place), and the output projection with the residual: 7, a fusing
// compiler's count with a fused attention (docs/Import.md), with the FLOPs
// counted from the loops. Each cache write reads its row (2048 bytes) and
// the cache (262144) and writes the cache.
// RUN: fungible-opt %S/../../examples/workloads/decode_step.mlir -wl-import-and-outline -wl-print-work -o /dev/null | FileCheck %s --check-prefix=WORK
// WORK: wl work of @decode_step: 7 ops
// WORK: 1 wl.kernel opaque 0 264192 262144
// WORK: 3 wl.kernel opaque 0 264192 262144
// WORK-NEXT: 4 wl.kernel contraction 524288
// WORK-NEXT: 5 wl.kernel contraction 267784
// WORK-NEXT: 6 wl.kernel contraction 524800
// WORK-NEXT: total 2365448
// Nothing else reads a cache, so the runtime hands it to its write, which
// puts the row in place (targets/Kernels.h): the cost models count the row
// read and written and the cache not copied, 264192 + 262144 - 2 *
// (262144 - 2048) = 6144 bytes; the host model the same bytes and the
// row as the result.
// RUN: fungible-cost %S/../../examples/workloads/decode_step.mlir --targets=cpu-host --explain=decode_step/opaque_3 | FileCheck %s --check-prefix=INPLACE
// INPLACE: decode_step/opaque_3: opaque, 0 FLOPs, 6144 bytes
// INPLACE: host terms: cache_bytes 6144 x {{[^;]*}}; ops 1 x {{[^;]*}}; result_bytes 2048 x

// The numbers: the upstream lowering of the file as written (the harness
// prints the result, then both caches after the call) ...
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../lib/make_harness.py %S/../../examples/workloads/decode_step.mlir decode_step > %t/h.mlir
// RUN: fungible-opt %t/h.mlir %reference-lowering | %run-harness > %t/reference.txt
// ... the same after the import (inlined back to linalg): the same bits ...
// RUN: fungible-opt %t/h.mlir -wl-import-and-outline -convert-wl-to-linalg %reference-lowering | %run-harness > %t/imported.txt
// RUN: %python %S/../lib/compare_outputs.py %t/reference.txt %t/imported.txt | FileCheck %s --check-prefix=IMPORTED
// IMPORTED: compared 131584 values, max abs error 0, 0 mismatches
// ... and fungible-run, on the host alone, on a fleet of a GPU and a TPU
// (no host: the whole step now runs on the accelerators), on a mixed fleet
// placed for makespan and on one whose Trainium fails a microsecond into
// its first projection, whose kernels then run again elsewhere: the caches
// come back as arg5.npy and arg7.npy (the position, arg 6, is a 0-d array;
// make_harness.py gives it 69 mod 7 = 6, so the token attends to
// positions 0 to 6).
// RUN: %python %S/../lib/npy_tool.py inputs %S/../../examples/workloads/decode_step.mlir decode_step %t/in
// RUN: fungible-run %S/../../examples/workloads/decode_step.mlir --devices=cpu-host --inputs=%t/in --out=%t/cpu --report=%t/cpu.json
// Both caches were handed to their writes, not copied:
// RUN: %python %S/../lib/report_query.py r=%t/cpu.json "r['in_place_updates']" | FileCheck %s --check-prefix=HANDED
// HANDED: {'handed_over': 2, 'copied': 0}
// RUN: %python %S/../lib/npy_tool.py print %t/cpu/result0.npy %t/cpu/arg5.npy %t/cpu/arg7.npy > %t/cpu.txt
// RUN: %python %S/../lib/compare_outputs.py %t/reference.txt %t/cpu.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 131584 values, {{.*}}, 0 mismatches
// RUN: fungible-run %S/../../examples/workloads/decode_step.mlir --devices=h100:1,tpu-v5p:1 --inputs=%t/in --out=%t/accel --report=%t/accel.json
// RUN: fungible-run %S/../../examples/workloads/decode_step.mlir --devices=h100:1,tpu-v5p:1,trn2:1,cpu-host:1 --objective=makespan --inputs=%t/in --out=%t/mixed --report=%t/mixed.json
// RUN: fungible-run %S/../../examples/workloads/decode_step.mlir --devices=h100:1,tpu-v5p:1,trn2:1,cpu-host:1 --objective=makespan --fail=trn2:0@1us --inputs=%t/in --out=%t/failed
// RUN: for f in result0 arg5 arg7; do cmp %t/cpu/$f.npy %t/accel/$f.npy && cmp %t/cpu/$f.npy %t/mixed/$f.npy && cmp %t/cpu/$f.npy %t/failed/$f.npy || exit 1; done
// RUN: not ls %t/cpu/arg0.npy %t/cpu/arg6.npy
// RUN: %python %S/../lib/report_query.py r=%t/accel.json "sorted(set(r['placement'].values()))" | FileCheck %s --check-prefix=ACCEL
// ACCEL: ['{{(h100|tpu-v5p)}}:0'{{.*}}]
// RUN: %python %S/../lib/report_query.py r=%t/mixed.json "'cpu-host:0' in r['placement'].values()" | FileCheck %s --check-prefix=PLACED
// PLACED: False
