//===- FuseElementwiseProducers.cpp - Elementwise fusion on tensors -------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements fungible-fuse-elementwise-producers: upstream's
// elementwise fusion of a producer into its one user, without the reshape
// propagation of linalg-fuse-elementwise-ops (which would turn named
// matmuls into generics).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace fungible {
#define GEN_PASS_DEF_FUSEELEMENTWISEPRODUCERSPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;

namespace {
struct FuseElementwiseProducersPass
    : fungible::impl::FuseElementwiseProducersPassBase<
          FuseElementwiseProducersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *fused) {
          Operation *producer = fused->get().getDefiningOp();
          return producer && producer->hasOneUse();
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
