//===- TosaToWorkload.h - Raise TOSA ops into wl ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the patterns that raise TOSA ops into wl.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_TOSATOWORKLOAD_TOSATOWORKLOAD_H
#define FUNGIBLE_PASSES_CONVERSION_TOSATOWORKLOAD_TOSATOWORKLOAD_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace fungible {
/// matmul, conv2d, add/sub/mul, exp/tanh/sigmoid/rsqrt/reciprocal/negate,
/// clamp (as relu), reduce_sum/max/min, reshape, transpose, cast, identity.
void populateTosaToWorkloadPatterns(mlir::RewritePatternSet &patterns);
} // namespace fungible

#endif // FUNGIBLE_PASSES_CONVERSION_TOSATOWORKLOAD_TOSATOWORKLOAD_H
