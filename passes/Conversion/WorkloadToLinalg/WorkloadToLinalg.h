//===- WorkloadToLinalg.h - wl -> linalg on tensors -------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the patterns that lower every wl op to upstream linalg,
// tensor, arith and math ops on tensors: the reference semantics of wl.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_WORKLOADTOLINALG_WORKLOADTOLINALG_H
#define FUNGIBLE_PASSES_CONVERSION_WORKLOADTOLINALG_WORKLOADTOLINALG_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace fungible {
/// Adds one conversion pattern per wl op to `patterns`.
void populateWorkloadToLinalgPatterns(mlir::RewritePatternSet &patterns);
} // namespace fungible

#endif // FUNGIBLE_PASSES_CONVERSION_WORKLOADTOLINALG_WORKLOADTOLINALG_H
