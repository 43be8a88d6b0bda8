//===- WorkloadInterfaces.td - WorkloadCostInterface -------*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines WorkloadCostInterface, the single source of work counts
// (FLOPs, bytes, kind) for every cost model.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADINTERFACES_TD
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADINTERFACES_TD

include "mlir/IR/OpBase.td"

def WL_WorkloadCostInterface : OpInterface<"WorkloadCostInterface"> {
  let cppNamespace = "::fungible::wl";
  let description = [{
    Exact work counts of a Workload op. Cost models read these and never
    re-derive them from shapes.

    FLOP convention (the one of the `BENCH_TOTAL_FLOPS` lines in published
    MLIR benchmarks): a contraction counts 2 FLOPs per multiply-accumulate
    (2*M*N*K for a matmul); every elementwise arithmetic op (relu, add, exp,
    gelu, ... alike) counts one FLOP per output element; a reduction counts
    one FLOP per input element; pure data movement (transpose, reshape,
    broadcast, concat, slice, pad, transfer) and type conversion (cast)
    count zero. Composite ops add up their parts, each counted densely:
    - softmax: 5 per element (max, subtract, exp, sum, divide);
    - layer_norm: 7 per element (sum, subtract, square, sum, scale by the
      reciprocal deviation, multiply by scale, add bias) + 4 per normalised
      row (two divisions, +epsilon, rsqrt);
    - rms_norm: 4 per element (square, sum, scale, multiply by weight) + 3
      per row (division, +epsilon, rsqrt);
    - attention: per batch, 2*Sq*Sk*D (scores) + Sq*Sk (scaling) +
      5*Sq*Sk (softmax) + 2*Sq*Sk*Dv (weighted sum); a causal mask is
      counted densely (masked scores are still computed);
    - pool2d: one FLOP per window element per output element.

    Byte convention: compulsory traffic. Bytes read are the sizes of all
    tensor operands (each read once; a broadcast operand at its own, not
    its broadcast, size), bytes written the sizes of all results, at the
    element type's storage size (f8 and i8: 1, f16/bf16: 2, f32/i32: 4).
    `wl.slice` reads only the elements it selects.
  }];

  let methods = [
    InterfaceMethod<"Floating-point (or integer arithmetic) operations.",
      "int64_t", "getFlops">,
    InterfaceMethod<"Bytes this op must read (compulsory traffic).",
      "int64_t", "getBytesRead", (ins), [{}], [{
        return ::fungible::wl::detail::sumTensorBytes(
            $_op->getOperands());
      }]>,
    InterfaceMethod<"Bytes this op must write.",
      "int64_t", "getBytesWritten", (ins), [{}], [{
        return ::fungible::wl::detail::sumTensorBytes(
            $_op->getResults());
      }]>,
    InterfaceMethod<"The kind of work (contraction, elementwise, ...).",
      "::fungible::wl::WorkKind", "getWorkKind">,
  ];
}

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADINTERFACES_TD
