//===- Layout.h - Sinking and cancelling layout transposes ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the patterns that move layout transposes past the ops
// that do not care about layout, so that opposite transposes meet and
// cancel. NCHW models raised into wl (whose convolutions and pooling are
// NHWC) have a transpose to NCHW after every convolution and one back
// before the next: between them only elementwise ops (batch norm, relu,
// residual adds) and unit-dim reshapes. Each transpose with a single user
// sinks below it: an elementwise op runs in the transpose's input layout
// (a smaller operand, such as a per-channel scale, is permuted to match),
// a reshape that only drops or adds unit dims is taken into the
// transpose's permutation; transposes that meet compose, and an identity
// disappears, as does one that keeps the order of the non-unit dims (a
// reshape). A transpose of a matmul operand's two matrix dims becomes the
// matmul's transpose flag; constant weights are transposed when folded. Only
// whole-tensor copies go away: the numbers are the same to the bit.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_LAYOUT_H
#define FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_LAYOUT_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace fungible::import {

/// The sinking patterns and wl.transpose's canonicalization.
void populateTransposeSinkingPatterns(mlir::RewritePatternSet &patterns);

/// Once transposes have sunk and cancelled: reshapes sink below the
/// elementwise ops after them (a unary op's operand; a binary op's
/// operand dropping dims, the other operand as large as the result) and
/// fold into the next reshape, so that the ops run in their producer's
/// shape (torch-mlir drops a CNN's batch dim around each ReLU and residual
/// add and adds it back).
void populateReshapeSinkingPatterns(mlir::RewritePatternSet &patterns);

} // namespace fungible::import

#endif // FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_LAYOUT_H
