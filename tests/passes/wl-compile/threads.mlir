// wl-compile lowers kernels x chips in parallel; the fat module is the same
// as with one thread (but for the PTX back end's own compile-time figure).
// RUN: fungible-opt %S/../../../examples/workloads/gpt2_block_b1.mlir --wl-import --wl-outline-kernels --wl-compile=targets=h100,tpu-v5p,trn2,cpu-host | sed -e 's/LLVMIRToISATimeInMs = [0-9]* : i64, //' > %t.par
// RUN: fungible-opt %S/../../../examples/workloads/gpt2_block_b1.mlir --wl-import --wl-outline-kernels --wl-compile=targets=h100,tpu-v5p,trn2,cpu-host --mlir-disable-threading | sed -e 's/LLVMIRToISATimeInMs = [0-9]* : i64, //' > %t.ser
// RUN: diff %t.par %t.ser
// RUN: FileCheck %s < %t.par
// Each of the GPT-2 block's 7 kernels is compiled for all four chips.
// RUN: grep -c 'wl.compiled = \["h100", "tpu-v5p", "trn2", "cpu-host"\]' %t.par | FileCheck %s --check-prefix=COUNT
// COUNT: 7
// CHECK-DAG: module @matmul_1.h100
// CHECK-DAG: module @"matmul_1.tpu-v5p"
// CHECK-DAG: module @matmul_1.trn2
// CHECK-DAG: module @"matmul_1.cpu-host"
// CHECK-DAG: module @"matmul_6.cpu-host"
