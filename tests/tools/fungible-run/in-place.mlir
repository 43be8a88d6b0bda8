// A kernel over buffers that writes a row of a cache updates the cache in
// place (targets/Kernels.h, findInPlaceUpdates): its function writes into
// the input and the input's buffer becomes the result. fungible-run hands
// the input's buffer over when nothing else reads it (@handed), and copies
// it first when something does (@kept: the add reads the cache as it came
// in, after the write or before, as the schedule has it). Both give the
// numbers by hand; with --measure too, whose timed runs take copies.
// --keep-loops keeps the loops as written; raised (wl-raise-buffer-loops),
// each write is a row put into the cache (tensor.insert_slice), updated in
// place the same way (below).
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg0.npy '<f4:3x4' 0 1 2 3 4 5 6 7 8 9 10 11
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg1.npy '<f4' 100 101 102 103
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg2.npy '<i8:' 1
// RUN: fungible-run %s --keep-loops --entry=kept --devices=cpu-host,h100 --inputs=%t/in --out=%t/kept --report=%t/kept.json --measure=3
// RUN: %python %S/../../lib/npy_tool.py print %t/kept/result0.npy %t/kept/arg0.npy | FileCheck %s --check-prefix=KEPT
// By hand: the cache as it came, doubled; the cache with row 1 = the row.
// KEPT: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]
// KEPT: [0, 1, 2, 3, 100, 101, 102, 103, 8, 9, 10, 11]
// RUN: %python %S/../../lib/report_query.py r=%t/kept.json "r['in_place_updates']" | FileCheck %s --check-prefix=KEPTCOUNT
// KEPTCOUNT: {'handed_over': 0, 'copied': 1}
// RUN: fungible-run %s --keep-loops --entry=handed --devices=cpu-host,h100 --inputs=%t/in --out=%t/handed --report=%t/handed.json --measure=3
// RUN: %python %S/../../lib/npy_tool.py print %t/handed/result0.npy %t/handed/arg0.npy | FileCheck %s --check-prefix=HANDED
// HANDED: [200, 202, 204, 206]
// HANDED: [0, 1, 2, 3, 100, 101, 102, 103, 8, 9, 10, 11]
// RUN: %python %S/../../lib/report_query.py r=%t/handed.json "r['in_place_updates']" | FileCheck %s --check-prefix=HANDEDCOUNT
// HANDEDCOUNT: {'handed_over': 1, 'copied': 0}

// The cost model counts the copy only where it is made. The body moves,
// by its loads, stores and copies: the copy 48 bytes read and written, the
// row 4 * 4 read from the tensor and stored: 64 + 64 = 128 bytes; handed
// over, 16 + 16 = 32.
// RUN: fungible-cost %s --keep-loops --targets=cpu-host --explain=kept/opaque_0 | FileCheck %s --check-prefix=KEPTBYTES
// KEPTBYTES: kept/opaque_0: opaque, 0 FLOPs, 128 bytes
// RUN: fungible-cost %s --keep-loops --targets=cpu-host --explain=handed/opaque_2 | FileCheck %s --check-prefix=HANDEDBYTES
// HANDEDBYTES: handed/opaque_2: opaque, 0 FLOPs, 32 bytes

// The function the kernel becomes writes into the cache and does not
// return it: no allocation, no copy, no result.
// RUN: fungible-opt %s '-wl-import-and-outline=raise-loops=false' -wl-compile=targets=cpu-host | FileCheck %s --check-prefix=ABI
// ABI-LABEL: module @"opaque_2.cpu-host"
// ABI-NOT: llvm.call @malloc
// ABI-NOT: llvm.intr.memcpy
// ABI: llvm.func @opaque_2({{[^>]*}}) attributes {llvm.emit_c_interface} {
// ABI: module @"add_3.cpu-host"

// Raised, the same numbers, the same inputs handed over or copied; the
// bytes are the row's (16) and the cache's (48) read and the cache written,
// 112, and handed over, 112 - 2 * (48 - 16) = 48; the function copies the
// row into the cache (a memcpy of it) and allocates nothing.
// RUN: fungible-run %s --entry=kept --devices=cpu-host,h100 --inputs=%t/in --out=%t/rkept --report=%t/rkept.json --measure=3
// RUN: fungible-run %s --entry=handed --devices=cpu-host,h100 --inputs=%t/in --out=%t/rhanded --report=%t/rhanded.json --measure=3
// RUN: for e in kept handed; do cmp %t/$e/result0.npy %t/r$e/result0.npy && cmp %t/$e/arg0.npy %t/r$e/arg0.npy || exit 1; done
// RUN: %python %S/../../lib/report_query.py k=%t/rkept.json h=%t/rhanded.json "k['in_place_updates'], h['in_place_updates']" | FileCheck %s --check-prefix=RCOUNT
// RCOUNT: ({'handed_over': 0, 'copied': 1}, {'handed_over': 1, 'copied': 0})
// RUN: fungible-cost %s --targets=cpu-host --explain=kept/opaque_0 | FileCheck %s --check-prefix=RKEPTBYTES
// RKEPTBYTES: kept/opaque_0: opaque, 0 FLOPs, 112 bytes
// RUN: fungible-cost %s --targets=cpu-host --explain=handed/opaque_2 | FileCheck %s --check-prefix=RHANDEDBYTES
// RHANDEDBYTES: handed/opaque_2: opaque, 0 FLOPs, 48 bytes
// RUN: fungible-opt %s -wl-import-and-outline -wl-compile=targets=cpu-host | FileCheck %s --check-prefix=RABI
// RABI-LABEL: module @"opaque_2.cpu-host"
// RABI-NOT: llvm.call @malloc
// RABI: llvm.func @opaque_2({{[^>]*}}) attributes {llvm.emit_c_interface} {
// RABI-NOT: llvm.call @malloc
// RABI: llvm.intr.memcpy
// RABI-NOT: llvm.call @malloc
// RABI: module @"add_3.cpu-host"

func.func @kept(%cache: memref<3x4xf32>, %row: tensor<4xf32>, %pos: index)
    -> tensor<3x4xf32> {
  %old = bufferization.to_tensor %cache restrict : memref<3x4xf32> to tensor<3x4xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %j = %c0 to %c4 step %c1 {
    %v = tensor.extract %row[%j] : tensor<4xf32>
    memref.store %v, %cache[%pos, %j] : memref<3x4xf32>
  }
  %e = tensor.empty() : tensor<3x4xf32>
  %twice = linalg.add ins(%old, %old : tensor<3x4xf32>, tensor<3x4xf32>)
                      outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %twice : tensor<3x4xf32>
}

func.func @handed(%cache: memref<3x4xf32>, %row: tensor<4xf32>, %pos: index)
    -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %j = %c0 to %c4 step %c1 {
    %v = tensor.extract %row[%j] : tensor<4xf32>
    memref.store %v, %cache[%pos, %j] : memref<3x4xf32>
  }
  %e = tensor.empty() : tensor<4xf32>
  %twice = linalg.add ins(%row, %row : tensor<4xf32>, tensor<4xf32>)
                      outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %twice : tensor<4xf32>
}
