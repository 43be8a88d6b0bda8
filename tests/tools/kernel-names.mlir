// fungible-cost and fungible-run take a model through one pipeline
// (wl-import-and-outline): the same kernels under the same names, unique in
// the module, so a name from a run report works with --explain. The call
// to @helper is inlined (its matmul fuses with the relu); kernels are
// numbered across functions. Without --entry the run takes the first public
// function and says so.
// RUN: fungible-cost %s --targets=cpu-host --format=csv | FileCheck %s --check-prefix=COST
// RUN: fungible-run %s --devices=cpu-host --simulate-only --report=%t.json 2>&1 | FileCheck %s --check-prefix=SUMMARY
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: fungible-run %s --devices=cpu-host --simulate-only --entry=other --report=- | FileCheck %s --check-prefix=OTHER
// RUN: fungible-cost %s --targets=cpu-host --explain=main/reduce_1 | FileCheck %s --check-prefix=EXPLAIN
// COST: kernel,kind,flops,bytes,cpu-host,cheapest
// COST-NEXT: main/matmul_0,contraction,1088,
// COST-NEXT: main/reduce_1,reduction,64,
// COST-NEXT: other/exp_2,elementwise,8,
// COST-NOT: helper
// SUMMARY: fungible-run: 2 kernels on 1 devices
// SUMMARY: ran function 'main', one of 2 (--entry chooses)
// REPORT: "placement": {
// REPORT-NEXT: "main/matmul_0": "cpu-host:0",
// REPORT-NEXT: "main/reduce_1": "cpu-host:0"
// OTHER: "placement": {
// OTHER-NEXT: "other/exp_2": "cpu-host:0"
// EXPLAIN: main/reduce_1: reduction, 64 FLOPs, 288 bytes
func.func private @helper(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = wl.matmul %a, %b : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
func.func @main(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>) -> tensor<8xf32> {
  %0 = call @helper(%a, %b) : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %1 = wl.relu %0 : tensor<8x8xf32>
  %2 = wl.reduce sum %1 dims = [1] : tensor<8x8xf32> -> tensor<8xf32>
  return %2 : tensor<8xf32>
}
func.func @other(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = wl.exp %a : tensor<8xf32>
  return %0 : tensor<8xf32>
}
