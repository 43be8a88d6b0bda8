// RUN: fungible-opt %s --wl-outline-kernels --wl-compile=targets=h100,tpu-v5p,trn2,cpu-host | FileCheck %s
// RUN: fungible-opt %s --wl-outline-kernels --wl-compile="targets=tpu-tiny,b200 target-specs=%S/Inputs/tpu-tiny.json" | FileCheck %s --check-prefix=TINY
// RUN: not fungible-opt %s --wl-compile=targets=a100 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// The fat module runs: the runtime finds the entry function among the
// variants' nested modules, and runs a kernel's variant for the chip it is
// placed on (tests/tools/fungible-run/fat.mlir checks the numbers).
// RUN: fungible-opt %s --wl-outline-kernels --wl-compile=targets=h100,cpu-host -o %t.fat.mlir
// RUN: fungible-run %t.fat.mlir --devices=h100:1,cpu-host:1 --out=%t.out --report=%t.json
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// Every kernel, every chip: the function is unchanged, each kernel lists
// the chips it was compiled for, and each variant is a nested module
// holding that chip's code (PTX, an mxu program, a neuron program, LLVM)
// and the kernel's fingerprint, one for all of its variants.
// CHECK: func.func @f(
// CHECK: wl.kernel "matmul_0"({{.*}}) {wl.compiled = ["h100", "tpu-v5p", "trn2", "cpu-host"]}
// CHECK: wl.matmul
// CHECK: module @matmul_0.h100 attributes {gpu.container_module, wl.kernel = "matmul_0", wl.kernel_fingerprint = "[[FP:0x[0-9a-f]+]]", wl.target = "h100"}
// CHECK: gpu.binary @{{.*}} assembly = "{{.*}}wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16
// CHECK: module @"matmul_0.tpu-v5p" attributes {wl.kernel = "matmul_0", wl.kernel_fingerprint = "[[FP]]", wl.target = "tpu-v5p"}
// CHECK: func.func @matmul_0(
// CHECK: mxu.matmul
// CHECK: module @matmul_0.trn2 attributes {wl.kernel = "matmul_0", wl.kernel_fingerprint = "[[FP]]", wl.target = "trn2"}
// CHECK: neuron.matmul
// CHECK: module @"matmul_0.cpu-host" attributes {wl.kernel = "matmul_0", wl.kernel_fingerprint = "[[FP]]", wl.target = "cpu-host"}
// CHECK: llvm.func @_mlir_ciface_matmul_0(

// A kernel whose working set (64x128 + 128x64 + 64x64 bf16 = 40960 bytes)
// exceeds a chip's memory (16 KB) is not compiled for it, and says why.
// TINY: wl.compiled = ["b200"]
// TINY-SAME: wl.not_compiled = {"tpu-tiny" = "infeasible: {{.*}}40960 bytes exceed 1.6e-05 GB of device memory
// TINY-NOT: module @"matmul_0.tpu-tiny"
// TINY: module @matmul_0.b200
// TINY-NOT: module @"matmul_0.tpu-tiny"

// UNKNOWN: error: wl-compile: unknown target 'a100'

// REPORT-DAG: "executions": 1
// REPORT-DAG: "f/matmul_0": "{{h100:0|cpu-host:0}}"
// REPORT-DAG: "variants_run": [{{.*}}]
func.func @f(%a: tensor<64x128xbf16>, %b: tensor<128x64xbf16>) -> tensor<64x64xbf16> {
  %c = wl.matmul %a, %b : (tensor<64x128xbf16>, tensor<128x64xbf16>) -> tensor<64x64xbf16>
  %d = wl.exp %c : tensor<64x64xbf16>
  return %d : tensor<64x64xbf16>
}
