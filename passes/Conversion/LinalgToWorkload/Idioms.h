//===- Idioms.h - Activations and normalisations written out ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the matchers that recognise an activation or a
// normalisation written out as arithmetic, as producers decompose them
// (torch-mlir's generics, TOSA's op sequences, hand-written bodies), so
// the importer raises it as the one wl op a fusing compiler would make of
// it. The matchers take the Polynomial view of the expression, so they
// work alike on a linalg body's scalars and on wl ops on tensors, in any
// operand order and association:
//  - GELU, exact `0.5·x·(1 + erf(x/√2))` and tanh
//    `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`;
//  - sigmoid `1/(1 + e^-x)` and SiLU `x/(1 + e^-x)`;
//  - layer norm `(x - mean)·rsqrt(mean((x - mean)²) + ε)·γ + β` and RMS norm
//    `x·rsqrt(mean(x²) + ε)·γ`, over the trailing dims, with or without
//    γ and β, the means as sums divided by the count or wl mean reductions;
//  - softmax `exp(x - max(x)) / sum(exp(x - max(x)))` (last dim).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_IDIOMS_H
#define FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_IDIOMS_H

#include "mlir/IR/Value.h"

#include <optional>

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace fungible::import {

struct GeluMatch {
  mlir::Value x;
  bool approximate = false; // the tanh form
};
/// `root` computes GELU of x (scalars or tensors of root's type).
std::optional<GeluMatch> matchGelu(mlir::Value root);

struct SigmoidMatch {
  mlir::Value x;
  bool timesX = false; // x·sigmoid(x): SiLU
};
/// `root` computes sigmoid(x), or x·sigmoid(x) written as x/(1 + e^-x).
std::optional<SigmoidMatch> matchSigmoid(mlir::Value root);

/// Norms, GELU (tensor level: producers that split it over several
/// generics or TOSA ops) and softmax fused back into single wl ops.
void populateIdiomPatterns(mlir::RewritePatternSet &patterns);

} // namespace fungible::import

#endif // FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_IDIOMS_H
