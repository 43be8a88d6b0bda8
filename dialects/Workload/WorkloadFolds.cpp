//===- WorkloadFolds.cpp - Folders and canonicalisations --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the folds and canonicalisation patterns of the wl ops
// that are obviously right: identity transposes, reshapes, broadcasts, casts
// and concats fold away; chains of transposes and of reshapes collapse.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace fungible::wl;

/// result dim d of transpose(transpose(x, inner), outer) is x's dim
/// inner[outer[d]].
static SmallVector<int64_t> composePermutations(ArrayRef<int64_t> inner,
                                                ArrayRef<int64_t> outer) {
  SmallVector<int64_t> composed;
  for (int64_t d : outer)
    composed.push_back(inner[d]);
  return composed;
}

static bool isIdentityPermutation(ArrayRef<int64_t> perm) {
  for (auto [i, p] : llvm::enumerate(perm))
    if (static_cast<int64_t>(i) != p)
      return false;
  return true;
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  if (isIdentityPermutation(getPermutation()))
    return getInput();
  if (auto inner = getInput().getDefiningOp<TransposeOp>())
    if (isIdentityPermutation(composePermutations(inner.getPermutation(),
                                                  getPermutation())))
      return inner.getInput();
  return {};
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), inner.getInput(),
        composePermutations(inner.getPermutation(), op.getPermutation()));
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // reshape(reshape(x)) -> reshape(x): only the element order matters.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

OpFoldResult BroadcastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  return {};
}
