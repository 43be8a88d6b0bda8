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
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace fungible {
#define GEN_PASS_DEF_FUSEELEMENTWISEPRODUCERSPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;

namespace {

/// Whether `value` is computed by a contraction or convolution, directly
/// or through all-parallel generics: an epilogue chain a matrix unit's
/// program applies to its tiles.
bool fromContraction(Value value) {
  for (int depth = 0; depth < 16; ++depth) {
    auto op = value.getDefiningOp<linalg::LinalgOp>();
    if (!op)
      return false;
    if (linalg::isaContractionOpInterface(op) ||
        linalg::isaConvolutionOpInterface(op))
      return true;
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic || generic.getNumParallelLoops() != generic.getNumLoops())
      return false;
    // The chain's value: the first input a linalg op computes.
    auto computed = llvm::find_if(generic.getDpsInputs(), [](Value input) {
      return input.getDefiningOp<linalg::LinalgOp>() != nullptr;
    });
    if (computed == generic.getDpsInputs().end())
      return false;
    value = *computed;
  }
  return false;
}

/// elementwise(..., transpose(x), ...) -> transpose(elementwise'(..., x,
/// ...)), where x is a contraction's or convolution's epilogue chain
/// (fromContraction): an all-parallel generic with an identity output that
/// reads a linalg.transpose's result (used only there) through the identity
/// runs in the transpose's input order instead, its other operands read through
/// their maps composed with the permutation, and the transpose moves after it.
/// Upstream fuses no named transpose, so the generic used to be an elementwise
/// chain apart; now the chain before the transpose takes it (MobileNet's
/// residual add read in NCHW after an NHWC convolution's epilogue), and the
/// transpose that ends the kernel is its program's transposed store. An
/// elementwise op over a transpose of anything else is left: its other operands
/// would be read transposed, which the vector units' elementwise programs do
/// not take.
struct SinkTransposeBelowElementwise : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
        !cast<RankedTensorType>(op.getResult(0).getType()).hasStaticShape() ||
        op.getNumParallelLoops() != op.getNumLoops() ||
        !op.getIndexingMapMatchingResult(op->getResult(0)).isIdentity() ||
        !op.getBody()->getOps<linalg::IndexOp>().empty())
      return failure();
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto transpose = input->get().getDefiningOp<linalg::TransposeOp>();
      if (!transpose || !transpose->hasOneUse() ||
          !op.getMatchingIndexingMap(input).isIdentity() ||
          !fromContraction(transpose.getInput()))
        continue;
      // Loop i of `op` is loop perm[i] of the new generic.
      ArrayRef<int64_t> perm = transpose.getPermutation();
      SmallVector<AffineExpr> exprs;
      for (int64_t p : perm)
        exprs.push_back(rewriter.getAffineDimExpr(p));
      AffineMap toOld =
          AffineMap::get(perm.size(), 0, exprs, rewriter.getContext());
      SmallVector<Value> inputs;
      SmallVector<AffineMap> maps;
      for (OpOperand *other : op.getDpsInputOperands()) {
        if (other == input) {
          inputs.push_back(transpose.getInput());
          maps.push_back(rewriter.getMultiDimIdentityMap(perm.size()));
          continue;
        }
        inputs.push_back(other->get());
        maps.push_back(op.getMatchingIndexingMap(other).compose(toOld));
      }
      maps.push_back(rewriter.getMultiDimIdentityMap(perm.size()));
      auto inputType = cast<RankedTensorType>(transpose.getInput().getType());
      auto resultType = cast<RankedTensorType>(op.getResult(0).getType());
      Type element = resultType.getElementType();
      Value init = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                           inputType.getShape(), element);
      auto sunk = linalg::GenericOp::create(rewriter, op.getLoc(),
                                            init.getType(), inputs, init, maps,
                                            op.getIteratorTypesArray());
      rewriter.inlineRegionBefore(op.getRegion(), sunk.getRegion(),
                                  sunk.getRegion().begin());
      Value out = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                          resultType.getShape(), element);
      rewriter.replaceOpWithNewOp<linalg::TransposeOp>(op, sunk.getResult(0),
                                                       out, perm);
      return success();
    }
    return failure();
  }
};

/// copy(transpose(x)) -> copy'(x): an all-parallel generic that only
/// yields its one input (a broadcast, as wl.broadcast lowers) and reads a
/// linalg.transpose's result (used only there) reads the transpose's
/// input instead, through its map composed with the permutation: one
/// layout copy rather than two, which a matrix unit's program does with
/// its stores (the RoPE table's cos, transposed and repeated over both
/// halves, stored twice per tile).
struct FoldTransposeIntoCopy : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.isSingleYieldOp() || !op.hasPureTensorSemantics() ||
        op.getNumParallelLoops() != op.getNumLoops())
      return failure();
    OpOperand *input = op.getDpsInputOperand(0);
    auto transpose = input->get().getDefiningOp<linalg::TransposeOp>();
    if (!transpose || !transpose->hasOneUse())
      return failure();
    // Transpose result dim d is input dim perm[d]: input dim perm[d] is
    // read where the copy read result dim d.
    AffineMap map = op.getMatchingIndexingMap(input);
    ArrayRef<int64_t> perm = transpose.getPermutation();
    SmallVector<AffineExpr> exprs(perm.size());
    for (auto [d, p] : llvm::enumerate(perm))
      exprs[p] = map.getResult(d);
    AffineMap composed = AffineMap::get(map.getNumDims(), map.getNumSymbols(),
                                        exprs, rewriter.getContext());
    rewriter.modifyOpInPlace(op, [&] {
      input->set(transpose.getInput());
      SmallVector<AffineMap> maps = op.getIndexingMapsArray();
      maps[0] = composed;
      op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
    rewriter.eraseOp(transpose);
    return success();
  }
};

/// Whether the linalg op owning `operand` runs more iterations than the
/// operand has elements: it reads the operand broadcast (a per-row value
/// over each row's elements). Unknown sizes count as no broadcast.
bool readBroadcast(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  auto type = dyn_cast<RankedTensorType>(operand->get().getType());
  if (!consumer || !type || !type.hasStaticShape())
    return false;
  int64_t iterations = 1;
  for (int64_t range : consumer.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return false;
    iterations *= range;
  }
  return type.getNumElements() < iterations;
}

struct FuseElementwiseProducersPass
    : fungible::impl::FuseElementwiseProducersPassBase<
          FuseElementwiseProducersPass> {
  using FuseElementwiseProducersPassBase::FuseElementwiseProducersPassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    bool broadcasts = fuseBroadcasts;
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [broadcasts](OpOperand *fused) {
          Operation *producer = fused->get().getDefiningOp();
          return producer && producer->hasOneUse() &&
                 (broadcasts || !readBroadcast(fused));
        });
    if (sinkTransposes)
      patterns.add<SinkTransposeBelowElementwise, FoldTransposeIntoCopy>(
          &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
