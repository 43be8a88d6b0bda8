// Tensors of index between kernels (an index computed per element, a
// count carried by a loop over a buffer that wl-raise-buffer-loops raises
// into a reduction over index): the host holds an index in 8 bytes, as the
// kernels' memrefs do. fungible-run used to crash on them.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: fungible-run %s --entry=positions --devices=cpu-host --out=%t/positions
// RUN: %python %S/../../lib/npy_tool.py print %t/positions/result0.npy | FileCheck %s --check-prefix=POSITIONS
// POSITIONS: [0, 1, 2, 3]
// By hand: row 0 has 2 positive values, row 1 none, row 2 all 4, row 3 one.
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg0.npy '<f4:4x4' 1 -1 2 -2 -1 -1 -1 -1 1 2 3 4 0 0 0 5
// RUN: fungible-run %s --entry=count --devices=cpu-host --inputs=%t/in --out=%t/count
// RUN: fungible-run %s --entry=count --keep-loops --devices=cpu-host --inputs=%t/in --out=%t/loops
// RUN: fungible-run %s --entry=count --devices=trn2 --inputs=%t/in --out=%t/trn2
// RUN: %python %S/../../lib/npy_tool.py print %t/count/result0.npy | FileCheck %s --check-prefix=COUNT
// COUNT: [2, 0, 4, 1]
// RUN: cmp %t/count/result0.npy %t/loops/result0.npy
// RUN: cmp %t/count/result0.npy %t/trn2/result0.npy

func.func @positions(%x: tensor<4xf32>) -> tensor<4xi64> {
  %e = tensor.empty() : tensor<4xindex>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<4xindex>) {
  ^bb0(%in: f32, %out: index):
    %i = linalg.index 0 : index
    linalg.yield %i : index
  } -> tensor<4xindex>
  %e2 = tensor.empty() : tensor<4xi64>
  %c = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%r : tensor<4xindex>) outs(%e2 : tensor<4xi64>) {
  ^bb0(%in: index, %out: i64):
    %v = arith.index_cast %in : index to i64
    linalg.yield %v : i64
  } -> tensor<4xi64>
  return %c : tensor<4xi64>
}

func.func @count(%x: tensor<4x4xf32>) -> tensor<4xi64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %xb = bufferization.to_buffer %x : tensor<4x4xf32> to memref<4x4xf32>
  %out = memref.alloc() : memref<4xi64>
  scf.for %i = %c0 to %c4 step %c1 {
    %n = scf.for %j = %c0 to %c4 step %c1 iter_args(%acc = %c0) -> (index) {
      %v = memref.load %xb[%i, %j] : memref<4x4xf32>
      %pos = arith.cmpf ogt, %v, %zero : f32
      %one = arith.select %pos, %c1, %c0 : index
      %a = arith.addi %acc, %one : index
      scf.yield %a : index
    }
    %w = arith.index_cast %n : index to i64
    memref.store %w, %out[%i] : memref<4xi64>
  }
  %r = bufferization.to_tensor %out restrict : memref<4xi64> to tensor<4xi64>
  return %r : tensor<4xi64>
}
