// Outlining only regroups ops: library models, imported, outlined and
// lowered, compute the same values as written (deterministic per-element
// inputs; the kernels' bodies are inlined by convert-wl-to-linalg).
// RUN: rm -rf %t && %python %S/../../../scripts/gen_workloads.py %t --small
// RUN: %python %S/../../lib/make_harness.py %t/gpt2_block_b1.mlir gpt2_block_b1 > %t/gpt2.h.mlir
// RUN: fungible-opt %t/gpt2.h.mlir %reference-lowering | %run-harness > %t/gpt2.a
// RUN: fungible-opt %t/gpt2.h.mlir -wl-import -wl-outline-kernels -convert-wl-to-linalg %reference-lowering | %run-harness > %t/gpt2.b
// RUN: %python %S/../../lib/compare_outputs.py %t/gpt2.a %t/gpt2.b | FileCheck %s --check-prefix=GPT2
// GPT2: compared 128 values, {{.*}}, 0 mismatches
// RUN: %python %S/../../lib/make_harness.py %t/llama_block.mlir llama_block > %t/llama.h.mlir
// RUN: fungible-opt %t/llama.h.mlir %reference-lowering | %run-harness > %t/llama.a
// RUN: fungible-opt %t/llama.h.mlir -wl-import -wl-outline-kernels -convert-wl-to-linalg %reference-lowering | %run-harness > %t/llama.b
// RUN: %python %S/../../lib/compare_outputs.py %t/llama.a %t/llama.b | FileCheck %s --check-prefix=LLAMA
// LLAMA: compared 128 values, {{.*}}, 0 mismatches
// RUN: %python %S/../../lib/make_harness.py %t/mobilenet_block.mlir mobilenet_block > %t/mobile.h.mlir
// RUN: fungible-opt %t/mobile.h.mlir %reference-lowering | %run-harness > %t/mobile.a
// RUN: fungible-opt %t/mobile.h.mlir -wl-import -wl-outline-kernels -convert-wl-to-linalg %reference-lowering | %run-harness > %t/mobile.b
// RUN: %python %S/../../lib/compare_outputs.py %t/mobile.a %t/mobile.b | FileCheck %s --check-prefix=MOBILE
// MOBILE: compared {{[0-9]+}} values, {{.*}}, 0 mismatches

// The kernels of the GPT-2 block: every wl op is in a kernel (no other wl
// op at the function's level), 7 kernels, what a fusing compiler makes of
// the block: each layer norm (fused back from its generics), the QKV,
// output and MLP matmuls with their bias adds, residual adds and GELU
// fused in, and the attention (its two batch matmuls, mask and softmax
// fused back into one wl.attention).
// RUN: fungible-opt %t/gpt2_block_b1.mlir -wl-import -wl-outline-kernels | FileCheck %s --check-prefix=KERNELS --strict-whitespace
// KERNELS: func.func @gpt2_block_b1
// KERNELS-NOT: {{^    %[0-9]+(:[0-9]+)? = wl\.[a-jl-z]}}
// KERNELS: wl.kernel "attention_2"
// KERNELS: wl.kernel "matmul_6"
// KERNELS-NOT: wl.kernel "
// KERNELS-NOT: {{^    %[0-9]+(:[0-9]+)? = wl\.[a-jl-z]}}
// KERNELS: return
