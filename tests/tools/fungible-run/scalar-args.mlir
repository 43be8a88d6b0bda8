// A step that takes its position and a scale as scalars (an index and an
// f32) and a cache as a memref: fungible-run reads each scalar from a 0-d
// array, the buffer code stores at the position, and the cache comes back
// as arg1.npy. Its loop is raised (wl-raise-buffer-loops): the product by
// the scale a generic that takes the scale as an input, the store a row
// put into the cache at the position, a kernel that takes the position;
// with --keep-loops the loop runs as written, one kernel that takes both,
// and gives the same bits.
// RUN: rm -rf %t && mkdir -p %t/in
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg0.npy '<f4' 1 2 3 4
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg1.npy '<f4:3x4' 0 1 2 3 4 5 6 7 8 9 10 11
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg2.npy '<i8:' 1
// RUN: %python %S/../../lib/npy_tool.py write %t/in/arg3.npy '<f4:' 0.5
// RUN: fungible-run %s --devices=cpu-host,h100 --inputs=%t/in --out=%t/out
// RUN: %python %S/../../lib/npy_tool.py print %t/out/result0.npy %t/out/arg1.npy | FileCheck %s
// By hand: x + 0.5 = [1.5, 2.5, 3.5, 4.5]; row 1 of the cache is x * 0.5,
// the others as they came.
// CHECK: [1.5, 2.5, 3.5, 4.5]
// CHECK: [0, 1, 2, 3, 0.5, 1, 1.5, 2, 8, 9, 10, 11]
// RUN: fungible-run %s --keep-loops --devices=cpu-host,h100 --inputs=%t/in --out=%t/loops --report=%t/loops.json
// RUN: cmp %t/out/result0.npy %t/loops/result0.npy
// RUN: cmp %t/out/arg1.npy %t/loops/arg1.npy
// RUN: %python %S/../../lib/report_query.py r=%t/loops.json "sorted(r['placement'])" | FileCheck %s --check-prefix=LOOPS
// LOOPS: ['step/add_2', 'step/opaque_0', 'step/opaque_1']

// A fat module of the step (wl-compile: kernels already outlined, the
// scalars their inputs) runs its compiled variants, the scalars passed by
// value, and gives the same bits.
// RUN: fungible-opt %s -wl-import-and-outline -wl-compile=targets=cpu-host -o %t/fat.mlir
// RUN: fungible-run %t/fat.mlir --devices=cpu-host --inputs=%t/in --out=%t/fat --report=%t/fat.json
// RUN: cmp %t/out/result0.npy %t/fat/result0.npy
// RUN: cmp %t/out/arg1.npy %t/fat/arg1.npy
// RUN: %python %S/../../lib/report_query.py r=%t/fat.json "r['variants_run']" | FileCheck %s --check-prefix=FAT
// FAT: ['add_3@cpu-host', 'opaque_0@cpu-host', 'opaque_1@cpu-host', 'opaque_2@cpu-host']

// fungible-cost takes the scalars as they are: the kernels take them as
// inputs; the product's FLOPs are the loop's 4 multiplications. Raised,
// the GPU runs them too; kept as loops, only the host.
// RUN: fungible-cost %s --targets=cpu-host,h100 | FileCheck %s --check-prefix=COST
// COST: step/opaque_0                opaque                       4 {{.*}}* 5.000e-06
// RUN: fungible-cost %s --keep-loops --targets=cpu-host,h100 | FileCheck %s --check-prefix=KEPT
// KEPT: step/opaque_0                opaque                       4 {{.*}}* 0.000e+00!
// fungible-cost --measure times the kernels with their scalars passed by
// value (the position 0, the scale random), each kernel measured:
// RUN: fungible-cost %s --targets=cpu-host --measure=2 --format=json > %t/cost.json
// RUN: %python %S/../../lib/report_query.py c=%t/cost.json "[(k['name'], k['measured_s'] > 0) for k in c['kernels']]" | FileCheck %s --check-prefix=MEASURED
// MEASURED: [('step/opaque_0', True), ('step/opaque_1', True), ('step/opaque_2', True), ('step/add_3', True)]

// Without inputs, an integer scalar is 0 (a position valid in any buffer)
// and the rest random: row 0 of the cache is then x * s where the result
// is x + s, so c = (r - s) * s holds at every column for one root s of
// s^2 - r0 s + c0 = 0 (another row written would leave row 0 random).
// RUN: fungible-run %s --devices=cpu-host --out=%t/random
// RUN: %python %S/../../lib/npy_tool.py print %t/random/arg1.npy %t/random/result0.npy > %t/random.txt
// RUN: %python -c "import sys, math; L = [eval(l) for l in open(sys.argv[1]) if l.startswith('[')]; c, r = L[0][:4], L[1]; roots = [(r[0] + g * math.sqrt(max(r[0] ** 2 - 4 * c[0], 0))) / 2 for g in (1, -1)]; print('row 0 written' if any(all(abs((r[j] - s) * s - c[j]) < 1e-5 for j in range(4)) for s in roots) else 'row 0 not written')" %t/random.txt | FileCheck %s --check-prefix=RANDOM
// RANDOM: row 0 written

// Bad input: a scalar given as a 1-element array, and an argument that is
// neither a tensor, a scalar nor a plain memref.
// RUN: cp -r %t/in %t/bad && %python %S/../../lib/npy_tool.py write %t/bad/arg2.npy '<i8' 1
// RUN: not fungible-run %s --devices=cpu-host --inputs=%t/bad 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: fungible-run: {{.*}}arg2.npy: shape (1,) does not match tensor<i64>
// RUN: not fungible-run %S/Inputs/strided-arg.mlir --devices=cpu-host 2>&1 | FileCheck %s --check-prefix=STRIDED
// STRIDED: fungible-run: argument 1 (memref<4xf32, strided<[2]>>) is not supported: arguments are tensors, scalars or memrefs of a static shape and the identity layout

func.func @step(%x: tensor<4xf32>, %cache: memref<3x4xf32>, %pos: index,
                %scale: f32) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %j = %c0 to %c4 step %c1 {
    %v = tensor.extract %x[%j] : tensor<4xf32>
    %w = arith.mulf %v, %scale : f32
    memref.store %w, %cache[%pos, %j] : memref<3x4xf32>
  }
  %s = tensor.splat %scale : tensor<4xf32>
  %r = wl.add %x, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
