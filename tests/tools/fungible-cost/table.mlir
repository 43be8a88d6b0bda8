// RUN: fungible-cost %s --targets=h100,tpu-v5p,trn2,cpu-host | FileCheck %s
// RUN: fungible-cost %s --targets=h100,trn2 --metric=dollars --format=csv | FileCheck %s --check-prefix=CSV
// RUN: fungible-cost %s --targets=h100,tpu-v5p --format=json | FileCheck %s --check-prefix=JSON
// RUN: fungible-cost %s --targets=h100 --explain=f/matmul_0 | FileCheck %s --check-prefix=EXPLAIN
// RUN: fungible-cost %s --targets=h100 --per-op | FileCheck %s --check-prefix=PEROP

// One row per kernel, one column per target, cheapest marked, totals.
// The relu is fused into the matmul's kernel: 2*4096^3 + 4096^2 FLOPs.
// The H100 cell is hand-computed (see tests/targets/gpu/GpuCostModelTest.cpp):
// 8 waves of 128x128 tiles at 989e12/132*0.803 FLOP/s per SM (1.7847e-04
// s), plus 5 us launch, plus the relu's 4096^2 FLOPs on the CUDA cores at
// 66.9 TFLOP/s (2.51e-07 s) = 1.837e-04 s.
// CHECK: kernel kind FLOPs h100 tpu-v5p trn2 cpu-host (time, s; * = cheapest)
// CHECK-NEXT: f/matmul_0 contraction 137455730688 1.837e-04
// CHECK-NEXT: total
// By default the table comes three times: time, energy (H100: 0.115 of
// 700 W idle plus 0.885 of it x 0.97278, the share of the time its cores
// are busy: 683.14 W x 1.8372e-04 s = 1.255e-01 J) and dollars ($6.88 an
// hour: 1.8372e-04 / 3600 x 6.88 = 3.511e-07).
// CHECK: kernel kind FLOPs h100 tpu-v5p trn2 cpu-host (energy, J; * = cheapest)
// CHECK-NEXT: f/matmul_0 contraction 137455730688 1.255e-01
// CHECK: kernel kind FLOPs h100 tpu-v5p trn2 cpu-host (dollars, $; * = cheapest)
// CHECK-NEXT: f/matmul_0 contraction 137455730688 3.511e-07

// --per-op: every wl op a kernel; the matmul alone is 1.835e-04 s, and
// the relu pays its own launch and HBM round trip: 2 * 4096^2 * 2 bytes at
// 3350 GB/s x 0.82 + 5 us = 2.943e-05 s.
// PEROP: f/matmul_0 contraction 137438953472 1.835e-04
// PEROP-NEXT: f/relu_1 elementwise 16777216 2.943e-05

// The CSV form: one line per kernel, the cheapest target last.
// CSV: kernel,kind,flops,bytes,h100,trn2,cheapest
// CSV-NEXT: f/matmul_0,contraction,137455730688,100663296,{{.*}},{{h100|trn2}}

// The JSON form is the documented interface (docs/CostJSON.md).
// JSON: "metric": "time",
// JSON: "targets": [
// JSON-NEXT: "h100",
// JSON-NEXT: "tpu-v5p"
// JSON: "name": "f/matmul_0",
// JSON-NEXT: "kind": "contraction",
// JSON-NEXT: "fidelity_kind": "contraction",
// JSON-NEXT: "flops": 137455730688,
// JSON-NEXT: "bytes": 100663296,
// JSON: "h100": {
// JSON: "bound": "compute",
// JSON: "padding_waste": 0,
// JSON: "feasible": true
// The gpu model's work at unit efficiency (what fungible-calibrate fits a
// GPU with): 8 waves of 128x128x4096 tiles at 989/132 TFLOP/s per SM =
// 1.4331e-4 s; the ReLU's 4096^2 FLOPs at 66.9 TFLOP/s = 2.5078e-7 s; the
// operands (64 MiB, over the 50 MB L2) read twice and the result written,
// 160 MiB at 3350 GB/s = 5.0081e-5 s; one launch. The estimate is
// 1.4331e-4 / 0.803 + 2.5078e-7 + 5 us = 1.8372e-4 s.
// JSON-NEXT: "gpu_work": {
// JSON-NEXT: "tensor_core": 0.00014331
// JSON-NEXT: "tensor_core_f8": 0,
// JSON-NEXT: "cuda_core": 2.5078
// JSON-NEXT: "cuda_core_loads": 0,
// JSON-NEXT: "memory": 5.0081
// JSON-NEXT: "serial_steps": 0,
// JSON-NEXT: "launches": 1
// JSON: "tpu-v5p": {
// JSON-NOT: "gpu_work"
// JSON: "cheapest":
// JSON: "totals": {

// EXPLAIN: f/matmul_0: contraction, 137455730688 FLOPs, 100663296 bytes
// EXPLAIN-NEXT: h100: {{.*}} compute-bound
// EXPLAIN-NEXT: GEMM 1x[4096x4096x4096] -> 1024 tiles of 128x128 (K' 4096) in 8 waves over 132 SMs; tensor cores bf16 at 989 TFLOP/s x 0.803 efficiency;

func.func @f(%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16> {
  %0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>
  %1 = wl.relu %0 : tensor<4096x4096xbf16>
  return %1 : tensor<4096x4096xbf16>
}
