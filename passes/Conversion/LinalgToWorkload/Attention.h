//===- Attention.h - Attention written out, fused back ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the pattern that fuses an attention written out as
// wl ops (Q K^T, a scale, an additive mask, a softmax over the keys, the
// product with V) back into one wl.attention, so that it is costed and
// lowered with its scores on chip, as a fusing compiler runs it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_ATTENTION_H
#define FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_ATTENTION_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace fungible::import {

/// batch_matmul(softmax(batch_matmul(Q, K^T) * c + M), V), with batch
/// reshapes anywhere between the products, becomes wl.attention.
void populateAttentionFusionPatterns(mlir::RewritePatternSet &patterns);

} // namespace fungible::import

#endif // FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_ATTENTION_H
