// Buffer code that reads a constant global: the kernel is compiled on its
// own, so the global's contents become a constant in it. By hand:
// m = table + x = [1, 2, 3, 4] + [10, 20, 30, 40].
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg0.npy '<f4' 10 20 30 40
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg1.npy '<f4' 0 0 0 0
// RUN: fungible-run %s --devices=cpu-host --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/arg1.npy | FileCheck %s
// CHECK: [11, 22, 33, 44]

memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>

func.func @f(%x: tensor<4xf32>, %m: memref<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %g = memref.get_global @table : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %g[%i] : memref<4xf32>
    %w = tensor.extract %x[%i] : tensor<4xf32>
    %s = arith.addf %v, %w : f32
    memref.store %s, %m[%i] : memref<4xf32>
  }
  %r = wl.relu %x : tensor<4xf32>
  return %r : tensor<4xf32>
}
