//===- Passes.td - Fungible passes ---------------------------*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares every pass of Fungible. Registration and the pass
// boilerplate are generated from it (GEN_PASS_DEF_*, GEN_PASS_REGISTRATION).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_PASSES_TD
#define FUNGIBLE_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertWorkloadToLinalgPass : Pass<"convert-wl-to-linalg"> {
  let summary = "Lower every wl op to linalg, tensor, arith and math on tensors";
  let description = [{
    Replaces every op of the `wl` dialect with upstream ops on tensors: named
    linalg ops where upstream has one (`linalg.matmul`, `batch_matmul`,
    `conv_2d_nhwc_hwcf`, `pooling_nhwc_max/sum`, `transpose`, `fill`), and
    `linalg.generic` otherwise (elementwise ops with numpy broadcasting,
    reductions, softmax, normalisations, grouped convolutions, attention),
    plus `tensor.pad`, `tensor.extract_slice`, `tensor.insert_slice` and
    reshapes. Floats narrower than f32 are computed in f32 inside each op
    and rounded once. `wl.transfer` is the identity. This is the reference
    semantics of the dialect: the whole of upstream MLIR can take the
    result further (bufferisation, loops, LLVM).

    ```
    fungible-opt --convert-wl-to-linalg model.mlir
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def WorkloadPrintWorkPass : Pass<"wl-print-work", "::mlir::ModuleOp"> {
  let summary = "Print every wl op's FLOPs, bytes and kind, per function";
  let description = [{
    Prints, for every function, one row per op that implements
    `WorkloadCostInterface` (its kind, result type, FLOPs, bytes read and
    written, and arithmetic intensity) and a total row. The counts are the
    interface's, so this is how a user checks what every cost model will
    see. The IR is left unchanged.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"table\"",
           "Output format: 'table' (for people) or 'json' (for tools)">,
  ];
}

#endif // FUNGIBLE_PASSES_PASSES_TD
