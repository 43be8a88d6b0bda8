// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b | FileCheck %s
// RUN: fungible-opt %s -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR

// A layer norm that accumulates in f64, as torch decompositions write it:
// the input extended to f64, mean and variance and the normalisation in
// f64, rounded back to f32 for the scale and shift. f64 is a wl element
// type: every op is raised with its element types as written, and the
// f64 part is the wl.layer_norm it is (no scale or shift: ones and zeros).
// Two results of 4x8 (the f64 one printed rounded to f32):
// CHECK: compared 64 values, {{.*}}, 0 mismatches

// REPORT: raised: {{.*}}wl.cast 2, wl.layer_norm 1, wl.mul 1{{.*}}
// REPORT: 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised

// Where it runs: the TPU and Trainium have no f64 arithmetic, so the f64
// kernels are infeasible there (with the reason) and a fleet of them and
// a host runs everything on the host, with the program's numbers; the f64
// result is written as float64. A fleet with no f64 chip cannot run it.
// RUN: fungible-cost %s --format=json | %python -c "import json,sys; r=json.load(sys.stdin); print(sorted((k['name'], t, e['feasible']) for k in r['kernels'] for t, e in k['estimates'].items() if t in ('tpu-v5p', 'trn2', 'h100', 'cpu-host')))" | FileCheck %s --check-prefix=FEASIBLE
// FEASIBLE: [('model/cast_0', 'cpu-host', True), ('model/cast_0', 'h100', True), ('model/cast_0', 'tpu-v5p', False), ('model/cast_0', 'trn2', False), ('model/layer_norm_1', 'cpu-host', True), ('model/layer_norm_1', 'h100', True), ('model/layer_norm_1', 'tpu-v5p', False), ('model/layer_norm_1', 'trn2', False)]
// The table marks those estimates and the totals of the chips that cannot
// run the whole model with '!'; the JSON says it per total.
// RUN: fungible-cost %s --metric=time --targets=cpu-host,tpu-v5p | FileCheck %s --check-prefix=TABLE
// TABLE: model/layer_norm_1 {{.*}}* {{[0-9.e+-]+}}!
// TABLE: total {{[0-9.e+-]+}} {{[0-9.e+-]+}}!
// RUN: fungible-cost %s --format=json --targets=cpu-host,tpu-v5p | %python -c "import json,sys; r=json.load(sys.stdin); print({t: v['feasible'] for t, v in r['totals'].items()})" | FileCheck %s --check-prefix=TOTALS
// TOTALS: {'cpu-host': True, 'tpu-v5p': False}
// RUN: fungible-cost %s --explain=model/layer_norm_1 | FileCheck %s --check-prefix=WHY
// WHY: tpu-v5p: {{.*}}INFEASIBLE
// WHY-NEXT: the TPU has no f64 arithmetic
// WHY: trn2: {{.*}}INFEASIBLE
// WHY-NEXT: Trainium's engines have no f64 arithmetic
// RUN: %python %S/../../lib/npy_tool.py inputs %s model %t.in
// RUN: fungible-run %s --devices=tpu-v5p:1,trn2:1,cpu-host:1 --inputs=%t.in --out=%t.run --report=%t.json
// RUN: %python %S/../../lib/npy_tool.py print %t.run/result0.npy %t.run/result1.npy > %t.c
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.c | FileCheck %s
// RUN: %python %S/../../lib/report_query.py r=%t.json "sorted(set(r['placement'].values())), open('%t.run/result1.npy', 'rb').read(60)[10:].decode().split(',')[0]" | FileCheck %s --check-prefix=PLACED
// PLACED: (['cpu-host:0'], "{'descr': '<f8'")
// RUN: fungible-opt %s --wl-import-and-outline --wl-compile=targets=h100,tpu-v5p,trn2,cpu-host | FileCheck %s --check-prefix=COMPILED
// COMPILED-COUNT-2: wl.compiled = ["h100", "cpu-host"], wl.not_compiled = {"tpu-v5p" = "infeasible: the TPU has no f64 arithmetic
// RUN: not fungible-run %s --devices=tpu-v5p:1,trn2:1 2>&1 | FileCheck %s --check-prefix=NOWHERE
// NOWHERE: fungible-run: kernel 'model/cast_0' cannot run on any of the available targets

// IR: %[[X64:.*]] = wl.cast %arg0 : tensor<4x8xf32> -> tensor<4x8xf64>
// IR: %[[LN:.*]] = wl.layer_norm %[[X64]], %{{.*}}, %{{.*}} : (tensor<4x8xf64>, tensor<8xf64>, tensor<8xf64>) -> tensor<4x8xf64>
// IR: wl.cast %[[LN]] : tensor<4x8xf64> -> tensor<4x8xf32>

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @model(%x: tensor<4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf64>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %e64 = tensor.empty() : tensor<4x8xf64>
  %er = tensor.empty() : tensor<4x1xf64>
  %zero = arith.constant 0.0 : f64
  %zr = linalg.fill ins(%zero : f64) outs(%er : tensor<4x1xf64>) -> tensor<4x1xf64>
  %x64 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e64 : tensor<4x8xf64>) {
  ^bb0(%a: f32, %o: f64):
    %r = arith.extf %a : f32 to f64
    linalg.yield %r : f64
  } -> tensor<4x8xf64>
  %s1 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x64 : tensor<4x8xf64>) outs(%zr : tensor<4x1xf64>) {
  ^bb0(%a: f64, %acc: f64):
    %r = arith.addf %a, %acc : f64
    linalg.yield %r : f64
  } -> tensor<4x1xf64>
  %xc = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x64, %s1 : tensor<4x8xf64>, tensor<4x1xf64>) outs(%e64 : tensor<4x8xf64>) {
  ^bb0(%a: f64, %s: f64, %o: f64):
    %n = arith.constant 8.0 : f64
    %m = arith.divf %s, %n : f64
    %r = arith.subf %a, %m : f64
    linalg.yield %r : f64
  } -> tensor<4x8xf64>
  %s2 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%xc : tensor<4x8xf64>) outs(%zr : tensor<4x1xf64>) {
  ^bb0(%a: f64, %acc: f64):
    %q = arith.mulf %a, %a : f64
    %r = arith.addf %q, %acc : f64
    linalg.yield %r : f64
  } -> tensor<4x1xf64>
  %y64 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xc, %s2 : tensor<4x8xf64>, tensor<4x1xf64>) outs(%e64 : tensor<4x8xf64>) {
  ^bb0(%a: f64, %s: f64, %o: f64):
    %n = arith.constant 8.0 : f64
    %eps = arith.constant 1.0e-5 : f64
    %v = arith.divf %s, %n : f64
    %ve = arith.addf %v, %eps : f64
    %rs = math.rsqrt %ve : f64
    %r = arith.mulf %a, %rs : f64
    linalg.yield %r : f64
  } -> tensor<4x8xf64>
  %y = linalg.generic {indexing_maps = [#id, #col, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y64, %g, %b : tensor<4x8xf64>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f64, %gi: f32, %bi: f32, %o: f32):
    %t = arith.truncf %a : f64 to f32
    %m = arith.mulf %t, %gi : f32
    %r = arith.addf %m, %bi : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %y, %y64 : tensor<4x8xf32>, tensor<4x8xf64>
}
