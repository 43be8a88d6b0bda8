// .npy inputs of every common NumPy type are converted to the argument's
// element type: float64 (NumPy's default), float16, int64, uint8; integers
// exactly, with an error for one that does not fit or is not an integer.
// RUN: rm -rf %t && mkdir -p %t/in %t/f16 %t/big %t/frac
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg0.npy '<f8' 0.5 -1.25 3.0 0.001
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg1.npy '<i8' 1 -2 3 40000
// RUN: fungible-run %s --devices=cpu-host:1 --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/result1.npy | FileCheck %s
// 2x: float64 rounded to f32 (0.001 -> 0.00100000005), int64 kept exactly.
// CHECK: [1, -2.5, 6, 0.00200000009]
// CHECK: [2, -4, 6, 80000]

// RUN: %python %S/../../lib/npy_tool.py write %t/f16/arg0.npy '<f2' 0.5 -1.25 3.0 2048
// RUN: %python %S/../../lib/npy_tool.py write %t/f16/arg1.npy '|u1' 0 1 2 255
// RUN: fungible-run %s --devices=cpu-host:1 --inputs=%t/f16 --out=%t/out16
// RUN: %python %S/../../lib/npy_tool.py print %t/out16/result0.npy %t/out16/result1.npy | FileCheck %s --check-prefix=F16
// F16: [1, -2.5, 6, 4096]
// F16: [0, 2, 4, 510]

// RUN: cp %t/in/arg0.npy %t/big/arg0.npy
// RUN: %python %S/../../lib/npy_tool.py write %t/big/arg1.npy '<i8' 1 2 3 1099511627776
// RUN: not fungible-run %s --devices=cpu-host:1 --inputs=%t/big 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: fungible-run: {{.*}}arg1.npy: element 3 (1099511627776) does not fit i32

// RUN: cp %t/in/arg0.npy %t/frac/arg0.npy
// RUN: %python %S/../../lib/npy_tool.py write %t/frac/arg1.npy '<f8' 1 2 3.5 4
// RUN: not fungible-run %s --devices=cpu-host:1 --inputs=%t/frac 2>&1 | FileCheck %s --check-prefix=FRAC
// FRAC: fungible-run: {{.*}}arg1.npy: element 2 (3.5) is not an integer, but the argument is tensor<4xi32>

// NaN, infinity and 1e300 in a float array read into an i32 argument (#18:
// their conversion to an integer was undefined behaviour).
// RUN: rm -rf %t/nan %t/inf %t/huge && mkdir -p %t/nan %t/inf %t/huge
// RUN: cp %t/in/arg0.npy %t/nan/arg0.npy && cp %t/in/arg0.npy %t/inf/arg0.npy && cp %t/in/arg0.npy %t/huge/arg0.npy
// RUN: %python %S/../../lib/npy_tool.py write %t/nan/arg1.npy '<f4' 1 nan 3 4
// RUN: %python %S/../../lib/npy_tool.py write %t/inf/arg1.npy '<f8' 1 2 -inf 4
// RUN: %python %S/../../lib/npy_tool.py write %t/huge/arg1.npy '<f8' 1e300 2 3 4
// RUN: not fungible-run %s --devices=cpu-host:1 --inputs=%t/nan 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not fungible-run %s --devices=cpu-host:1 --inputs=%t/inf 2>&1 | FileCheck %s --check-prefix=INF
// RUN: not fungible-run %s --devices=cpu-host:1 --inputs=%t/huge 2>&1 | FileCheck %s --check-prefix=HUGE
// NAN: fungible-run: {{.*}}arg1.npy: element 1 (nan) is not an integer, but the argument is tensor<4xi32>
// INF: fungible-run: {{.*}}arg1.npy: element 2 (-inf) is not an integer, but the argument is tensor<4xi32>
// HUGE: fungible-run: {{.*}}arg1.npy: element 0 (1e+300) is not an integer, but the argument is tensor<4xi32>
func.func @main(%a: tensor<4xf32>, %b: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = wl.add %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = wl.add %b, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}
