//===- CpuAttentionRows.cpp - Attention in tiles of query rows --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements fungible-cpu-tile-attention-rows: wl-to-linalg
// writes an attention as whole-tensor ops (the scores Q K^T, their scaling
// and mask, the softmax's passes, the product with V), each a pass over
// the [B, M, N] scores, which for GPT-2's 12 x 1024 x 1024 are 48 MB: every
// pass streams them from DRAM. Every op from the scores to the result is
// independent per query row, so the pass tiles the last op by (one batch
// element, a few rows) over an scf.forall and fuses the others into the
// tile (upstream's tile-and-fuse): a tile's scores are a [rows, N] block
// that stays in the core's cache through all the passes. Each element is
// computed as before, in the same order: the same bits. A 4-D attention's
// products merge its heads into the batch, or a grouped-query attention's
// heads of a group into the rows, by reshapes the tile's slices cross
// (SliceOfMergedHeads and upstream's bubble-up patterns).
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/CpuPasses.h"
#include "targets/cpu/CpuTiling.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace fungible {
#define GEN_PASS_DEF_CPUTILEATTENTIONROWSPASS
#include "targets/cpu/CpuPasses.h.inc"
} // namespace fungible

using namespace mlir;

namespace fungible {
namespace {

/// Whether a reshape's `groups` merge (or split) dimensions `first` and
/// `first` + 1 and keep the others: with `first` 1, [B, G, M, ...] <->
/// [B, G M, ...] (a grouped-query attention's heads of a group and their
/// rows); with 0, [B, H, M, ...] <-> [B H, M, ...] (batch and heads).
bool mergesDims(ArrayRef<ReassociationIndices> groups, unsigned first) {
  if (groups.size() < 2)
    return false;
  for (auto [i, group] : llvm::enumerate(groups))
    if (group.size() != (i == first ? 2u : 1u))
      return false;
  return true;
}
bool isBatchOrRowMerge(ArrayRef<ReassociationIndices> groups) {
  return mergesDims(groups, 0) || mergesDims(groups, 1);
}

/// The ops reading `value` (of shape [B, M, ...]), transitively through
/// linalg ops on tensors whose results keep its rows: shaped [B, M, ...]
/// (a transpose that moves them, as a head merge does, is not one), or
/// [B, G, M / G, ...] after a reshape that splits the rows by a group's
/// heads (a grouped-query attention's scores), and the reshapes between
/// the two.
llvm::SetVector<Operation *> rowUsers(Value value) {
  ArrayRef<int64_t> rows =
      cast<RankedTensorType>(value.getType()).getShape().take_front(2);
  auto keepsRows = [&](Value result) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type || type.getRank() < 2)
      return false;
    ArrayRef<int64_t> shape = type.getShape();
    if (shape[0] == rows[0] && shape[1] == rows[1])
      return true;
    return shape.size() >= 3 &&
           ((shape[0] * shape[1] == rows[0] && shape[2] == rows[1]) ||
            (shape[0] == rows[0] && shape[1] * shape[2] == rows[1]));
  };
  // A reshape that splits or merges the batch or the rows, nothing else.
  auto rowReshape = [](Operation *op) {
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
      return isBatchOrRowMerge(expand.getReassociationIndices());
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
      return isBatchOrRowMerge(collapse.getReassociationIndices());
    return false;
  };
  return usersWhile(value, [&](Operation *user) {
    auto op = dyn_cast<linalg::LinalgOp>(user);
    return ((op && op.hasPureTensorSemantics()) || rowReshape(user)) &&
           llvm::all_of(user->getResults(), keepsRows);
  });
}

/// The attention that `scores` (a batch matmul on tensors, [B, M, N])
/// starts: the op ending it, the one op of the chain of its row users
/// (rowUsers) that no other op of the chain reads, a batch matmul or
/// elementwise op over [B, M, D] (the product with V, or its scaling by
/// the rows' reciprocals when normalised after it), with another batch
/// matmul (the product) in the chain, and nothing outside the chain
/// reading the scores or an op before the end; null when `scores` starts
/// none.
linalg::LinalgOp attentionEnd(linalg::BatchMatmulOp scores, int64_t rows) {
  llvm::SetVector<Operation *> chain = rowUsers(scores->getResult(0));
  bool product = false;
  for (Operation *op : chain) {
    product |= isa<linalg::BatchMatmulOp>(op);
    // A tile of rows must not straddle two heads of a reshape's group.
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
      if (expand.getResultType().getDimSize(2) % rows)
        return {};
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
      if (collapse.getSrcType().getDimSize(2) % rows)
        return {};
  }
  Operation *last = chainEnd(chain);
  if (!last || !product || !readOnlyBy(scores, chain))
    return {};
  // A 4-D attention's product is reshaped back to [B, H, M, D] after it:
  // the product ends the attention, the reshape stays outside.
  if (isa<tensor::ExpandShapeOp>(last)) {
    last = last->getOperand(0).getDefiningOp();
    if (!last || !chain.contains(last) || !last->hasOneUse())
      return {};
  }
  auto end = dyn_cast<linalg::LinalgOp>(last);
  if (!end)
    return {};
  auto type = dyn_cast<RankedTensorType>(end->getResult(0).getType());
  auto scoreType = cast<RankedTensorType>(scores->getResult(0).getType());
  if (!type || type.getRank() != 3 || !type.hasStaticShape() ||
      type.getDimSize(0) != scoreType.getDimSize(0) ||
      type.getDimSize(1) != scoreType.getDimSize(1))
    return {};
  if (isa<linalg::BatchMatmulOp>(end.getOperation()))
    return end;
  if (end.getNumParallelLoops() == end.getNumLoops() && end.getNumLoops() == 3)
    return end;
  return {};
}

/// A tile's slice of an attention's operands or scores whose batch and
/// heads, or heads of a group and their rows, are merged by a reshape
/// ([B, H, M, N] into [B H, M, N]; [B, G, M, N] into [B, G M, N]): one
/// element of the merged batch, or `rows` rows from row r of the merged
/// ones (r a multiple of `rows`, an scf.forall's index stepping by it, and
/// `rows` a divisor of M), is one slice of the unmerged tensor, which the
/// tile can then compute. Upstream's bubble-up of slices through
/// collapse_shape cannot prove that a dynamic offset stays within one
/// head.
struct SliceOfMergedHeads : OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::ExtractSliceOp slice,
                                PatternRewriter &rewriter) const override {
    auto merge = slice.getSource().getDefiningOp<tensor::CollapseShapeOp>();
    if (!merge || !merge.getSrcType().hasStaticShape() ||
        slice.getSourceType().getRank() != slice.getResultType().getRank() ||
        !slice.hasUnitStride())
      return rewriter.notifyMatchFailure(slice, "not a slice of a reshape");
    SmallVector<ReassociationIndices> groups = merge.getReassociationIndices();
    unsigned first = mergesDims(groups, 0) ? 0 : 1;
    if (!mergesDims(groups, first))
      return rewriter.notifyMatchFailure(slice, "not merged heads");
    ArrayRef<int64_t> whole = merge.getSrcType().getShape();
    SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
    SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
    std::optional<int64_t> size = getConstantIntValue(sizes[first]);
    int64_t inner = whole[first + 1];
    if (!size || (*size != 1 &&
                  (inner % *size || !isMultipleOfIndex(offsets[first], *size))))
      return rewriter.notifyMatchFailure(slice, "straddles two heads");
    Location loc = slice.getLoc();
    SmallVector<OpFoldResult> headAndRow;
    if (auto index = dyn_cast<Value>(offsets[first])) {
      auto split = affine::AffineDelinearizeIndexOp::create(
          rewriter, loc, index, ArrayRef<int64_t>{whole[first], inner});
      headAndRow = {split.getResult(0), split.getResult(1)};
    } else {
      int64_t value = *getConstantIntValue(offsets[first]);
      headAndRow = {rewriter.getIndexAttr(value / inner),
                    rewriter.getIndexAttr(value % inner)};
    }
    SmallVector<OpFoldResult> srcOffsets(offsets), srcSizes(sizes);
    srcOffsets[first] = headAndRow[1];
    srcOffsets.insert(srcOffsets.begin() + first, headAndRow[0]);
    srcSizes.insert(srcSizes.begin() + first, rewriter.getIndexAttr(1));
    SmallVector<OpFoldResult> strides(srcSizes.size(),
                                      rewriter.getIndexAttr(1));
    Value part = tensor::ExtractSliceOp::create(rewriter, loc, merge.getSrc(),
                                                srcOffsets, srcSizes, strides);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        slice, slice.getResultType(), part, groups);
    return success();
  }

  /// Whether `offset` is a multiple of `size`: a constant one, or the index
  /// of an scf.forall whose lower bound and step are.
  static bool isMultipleOfIndex(OpFoldResult offset, int64_t size) {
    if (std::optional<int64_t> value = getConstantIntValue(offset))
      return *value % size == 0;
    auto index = dyn_cast<BlockArgument>(cast<Value>(offset));
    scf::ForallOp forall =
        index ? scf::getForallOpThreadIndexOwner(index) : nullptr;
    if (!forall)
      return false;
    unsigned dim = index.getArgNumber();
    std::optional<int64_t> lower =
        getConstantIntValue(forall.getMixedLowerBound()[dim]);
    std::optional<int64_t> step =
        getConstantIntValue(forall.getMixedStep()[dim]);
    return lower && step && *lower % size == 0 && *step % size == 0;
  }
};

/// Whether `value` is `index` (a loop's induction variable) or computed
/// from it by ops inside the loop.
bool followsIndex(Value value, Value index) {
  Region *loop = index.getParentRegion();
  llvm::SmallPtrSet<Value, 8> seen;
  SmallVector<Value> work = {value};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (v == index)
      return true;
    Operation *def = v.getDefiningOp();
    if (seen.insert(v).second && def &&
        loop->isAncestor(def->getParentRegion()))
      llvm::append_range(work, def->getOperands());
  }
  return false;
}

/// Tiles `end` by one batch element and `rows` rows over an scf.forall and
/// fuses into the tile every producer whose tile it reads is its own rows
/// (the scores' chain, not K^T or V, which each tile reads whole), and
/// replaces `end`.
LogicalResult tileRows(RewriterBase &rewriter, linalg::LinalgOp end,
                       int64_t rows) {
  SmallVector<int64_t> sizes(end.getNumLoops(), 0);
  sizes[0] = 1;
  sizes[1] = rows;
  // A 4-D attention's scores are reshaped between [B H, M, N] (or, grouped
  // query, [B, G M, N]) and [B, H, M, N]: a tile's slice of a reshape is
  // made a reshape of a slice.
  RewritePatternSet cleanup(rewriter.getContext());
  tensor::populateBubbleUpExtractSliceOpPatterns(cleanup);
  cleanup.add<SliceOfMergedHeads>(rewriter.getContext());
  // A producer is fused when the tile reads its own rows of it, a slice
  // that moves with the rows' index: not K^T or V, which every tile of a
  // batch element (or head) reads whole.
  return tileAndFuseIntoForall(
      rewriter, end, sizes,
      [](tensor::ExtractSliceOp slice, OpResult) {
        auto loop = slice->getParentOfType<scf::ForallOp>();
        return loop && llvm::any_of(slice.getOffsets(), [&](Value offset) {
                 return followsIndex(offset, loop.getInductionVar(1));
               });
      },
      FrozenRewritePatternSet(std::move(cleanup)), "query rows");
}

struct CpuTileAttentionRowsPass
    : impl::CpuTileAttentionRowsPassBase<CpuTileAttentionRowsPass> {
  void runOnOperation() override {
    // Each end once: attentions in a row (one's output the next one's
    // queries) are one chain, which each one's scores would find.
    llvm::MapVector<Operation *, int64_t> ends;
    getOperation().walk([&](linalg::BatchMatmulOp scores) {
      auto type = dyn_cast<RankedTensorType>(scores->getResult(0).getType());
      if (!scores.hasPureTensorSemantics() || !type || !type.hasStaticShape())
        return;
      int64_t bytes = byteWidth(type.getElementType());
      if (type.getNumElements() * bytes <= kMinTiledScoreBytes)
        return;
      int64_t rows =
          attentionRowTile(type.getDimSize(1), type.getDimSize(2), bytes);
      if (!rows)
        return;
      if (linalg::LinalgOp end = attentionEnd(scores, rows))
        ends.insert({end, rows});
    });
    // The functions tiled: the clean-up below touches them alone.
    llvm::SetVector<Operation *> tiled;
    IRRewriter rewriter(&getContext());
    for (auto [end, rows] : ends) {
      tiled.insert(end->getParentWithTrait<OpTrait::IsIsolatedFromAbove>());
      if (failed(tileRows(rewriter, cast<linalg::LinalgOp>(end), rows)))
        return signalPassFailure();
    }
    cleanUpFusedTiles(rewriter, tiled.getArrayRef());
  }
};

} // namespace

bool readOnlyBy(Operation *op, const llvm::SetVector<Operation *> &chain) {
  return llvm::all_of(op->getUsers(),
                      [&](Operation *user) { return chain.contains(user); });
}

Operation *chainEnd(const llvm::SetVector<Operation *> &chain) {
  Operation *end = nullptr;
  for (Operation *op : chain) {
    bool readByChain = llvm::any_of(
        op->getUsers(), [&](Operation *user) { return chain.contains(user); });
    if (readByChain) {
      if (!readOnlyBy(op, chain))
        return nullptr; // Read outside the chain as well.
      continue;
    }
    if (end)
      return nullptr; // Two ends.
    end = op;
  }
  return end;
}

llvm::SetVector<Operation *>
usersWhile(Value value, function_ref<bool(Operation *)> follows) {
  llvm::SetVector<Operation *> users;
  SmallVector<Value> work = {value};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (!follows(user) || !users.insert(user))
        continue;
      llvm::append_range(work, user->getResults());
    }
  }
  return users;
}

LogicalResult tileAndFuseIntoForall(
    RewriterBase &rewriter, linalg::LinalgOp end, ArrayRef<int64_t> sizes,
    function_ref<bool(tensor::ExtractSliceOp, OpResult)> fuse,
    std::optional<FrozenRewritePatternSet> cleanup, StringRef tiles) {
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.cleanupPatterns = std::move(cleanup);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp slice, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (!fuse(slice, producer))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  rewriter.setInsertionPoint(end);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(end.getOperation()), options);
  if (failed(result))
    return end->emitOpError("could not be cut into tiles of ") << tiles;
  rewriter.replaceOp(end, result->replacements.lookup(end->getResult(0)));
  return success();
}

void cleanUpFusedTiles(RewriterBase &rewriter, ArrayRef<Operation *> funcs) {
  DominanceInfo dominance;
  for (Operation *func : funcs) {
    // Upstream fuses a producer once per slice of it a tile reads: an
    // attention's scores, read by the max and by the exponentials, or a
    // layer norm's centred rows would be computed twice. The copies are
    // the same ops on the same slices: one is kept.
    eliminateCommonSubExpressions(rewriter, dominance, func);
    // The fused producers' whole-tensor ops are dead now, and so are the
    // slices of them the tiles no longer read.
    (void)runRegionDCE(rewriter, func->getRegions());
  }
}

} // namespace fungible
