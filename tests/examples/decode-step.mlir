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

// Its bytes, counted from its loops and copies (4-byte elements):
//   read: the two caches copied in 2*128*512*4 = 524288; the cache write
//   512*2*4 = 4096; the scores 8*128*64*2*4 = 524288; the softmax
//   8*128*4 = 4096; the weighted sum 8*64*128*2*4 = 524288: 1581056 (the
//   position is a scalar argument, not a read).
//   written: the copies 524288; the cache write 512*2*4 = 4096; the
//   scores 8*128*4 = 4096 twice; the output 512*4 = 2048: 538624.
// RUN: fungible-opt %S/../../examples/workloads/decode_step.mlir -wl-import-and-outline -wl-print-work -o /dev/null | FileCheck %s --check-prefix=WORK
// WORK: wl.kernel        opaque                   267784        1581056         538624
// The copies are what the body says; the kernel updates the caches in
// place instead, since nothing else reads them (targets/Kernels.h), so the
// cost models count 1581056 - 524288 + 538624 - 524288 = 1071104 bytes.
// RUN: fungible-cost %S/../../examples/workloads/decode_step.mlir --targets=cpu-host --explain=decode_step/opaque_3 | FileCheck %s --check-prefix=INPLACE
// INPLACE: decode_step/opaque_3: opaque, 267784 FLOPs, 1071104 bytes

// The host model runs its loops on one thread, as the host does: all of
// its 267784 FLOPs at the scalar rate (scalar_op: the JIT does not
// vectorise loops over buffers), no parallel region's cost; and
// their latency: 133120 serial steps (iterations carrying a float: the dot
// products' 8*128*64, the running max's and the softmax sum's 8*128 each,
// the weighted sums' 8*64*128) and 65536 strided accesses (the weighted
// sums walk V's columns: 8*64*128 loads, 2 KiB apart).
// RUN: fungible-cost %S/../../examples/workloads/decode_step.mlir --targets=cpu-host --explain=decode_step/opaque_3 | FileCheck %s --check-prefix=HOSTMODEL
// HOSTMODEL: host terms: on_chip_bytes {{[^;]*}}; ops 1 x {{[^;]*}}; result_bytes {{[^;]*}}; scalar_op 267784 x {{[^;]*}}; serial_step 133120 x {{[^;]*}}; strided_access 65536 x
// HOSTMODEL-NOT: parallel_ops

// The GPU, TPU and Trainium do not run it; a fleet without the host says so.
// RUN: not fungible-run %S/../../examples/workloads/decode_step.mlir --devices=h100:1,tpu-v5p:1 2>&1 | FileCheck %s --check-prefix=NOWHERE
// NOWHERE: fungible-run: kernel 'decode_step/opaque_3' cannot run on any of the available targets (h100: buffer-level code (loops over memrefs) runs on the host CPU only)

// The numbers: the upstream lowering of the file as written (the harness
// prints the result, then both caches after the call) ...
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../lib/make_harness.py %S/../../examples/workloads/decode_step.mlir decode_step > %t/h.mlir
// RUN: fungible-opt %t/h.mlir %reference-lowering | %run-harness > %t/reference.txt
// ... the same after the import (inlined back to linalg and loops): the
// same bits ...
// RUN: fungible-opt %t/h.mlir -wl-import-and-outline -convert-wl-to-linalg %reference-lowering | %run-harness > %t/imported.txt
// RUN: %python %S/../lib/compare_outputs.py %t/reference.txt %t/imported.txt | FileCheck %s --check-prefix=IMPORTED
// IMPORTED: compared 131584 values, max abs error 0, 0 mismatches
// ... and fungible-run, on the host alone, on a mixed fleet placed for
// makespan (the buffer kernel on the host, the independent projections
// spread over the chips) and on one whose Trainium fails a microsecond
// into its projection, which runs again on the host: the caches come back
// as arg5.npy and arg7.npy (the position, arg 6, is a 0-d array;
// make_harness.py gives it 69 mod 7 = 6, so the token attends to
// positions 0 to 6).
// RUN: %python %S/../lib/npy_tool.py inputs %S/../../examples/workloads/decode_step.mlir decode_step %t/in
// RUN: fungible-run %S/../../examples/workloads/decode_step.mlir --devices=cpu-host --inputs=%t/in --out=%t/cpu --report=%t/cpu.json
// Both caches were handed to the kernel, not copied:
// RUN: %python %S/../lib/report_query.py r=%t/cpu.json "r['in_place_updates']" | FileCheck %s --check-prefix=HANDED
// HANDED: {'handed_over': 2, 'copied': 0}
// RUN: %python %S/../lib/npy_tool.py print %t/cpu/result0.npy %t/cpu/arg5.npy %t/cpu/arg7.npy > %t/cpu.txt
// RUN: %python %S/../lib/compare_outputs.py %t/reference.txt %t/cpu.txt | FileCheck %s --check-prefix=HOST
// HOST: compared 131584 values, {{.*}}, 0 mismatches
// RUN: fungible-run %S/../../examples/workloads/decode_step.mlir --devices=h100:1,tpu-v5p:1,trn2:1,cpu-host:1 --objective=makespan --inputs=%t/in --out=%t/mixed --report=%t/mixed.json
// RUN: fungible-run %S/../../examples/workloads/decode_step.mlir --devices=h100:1,tpu-v5p:1,trn2:1,cpu-host:1 --objective=makespan --fail=trn2:0@1us --inputs=%t/in --out=%t/failed
// RUN: for f in result0 arg5 arg7; do cmp %t/cpu/$f.npy %t/mixed/$f.npy && cmp %t/cpu/$f.npy %t/failed/$f.npy || exit 1; done
// RUN: not ls %t/cpu/arg0.npy %t/cpu/arg6.npy
// RUN: %python %S/../lib/report_query.py r=%t/mixed.json "r['placement']['decode_step/opaque_3'], len(chips(r)) > 1" | FileCheck %s --check-prefix=PLACED
// PLACED: ('cpu-host:0', True)
