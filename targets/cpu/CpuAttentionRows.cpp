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
// computed as before, in the same order: the same bits.
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/CpuPasses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

/// The ops reading `value` (of shape [B, M, ...]), transitively through
/// linalg ops on tensors whose results keep its rows: shaped [B, M, ...]
/// (a transpose that moves them, as a head merge does, is not one).
llvm::SetVector<Operation *> rowUsers(Value value) {
  ArrayRef<int64_t> rows =
      cast<RankedTensorType>(value.getType()).getShape().take_front(2);
  auto keepsRows = [&](Value result) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    return type && type.getRank() >= 2 && type.getShape().take_front(2) == rows;
  };
  llvm::SetVector<Operation *> users;
  SmallVector<Value> work = {value};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      auto op = dyn_cast<linalg::LinalgOp>(user);
      if (!op || !op.hasPureTensorSemantics() ||
          !llvm::all_of(user->getResults(), keepsRows) || !users.insert(user))
        continue;
      llvm::append_range(work, user->getResults());
    }
  }
  return users;
}

/// The attention that `scores` (a batch matmul on tensors, [B, M, N])
/// starts: the op ending it, the one op of the chain of its row users
/// (rowUsers) that no other op of the chain reads, a batch matmul or
/// elementwise op over [B, M, D] (the product with V, or its scaling by
/// the rows' reciprocals when normalised after it), with another batch
/// matmul (the product) in the chain, and nothing outside the chain
/// reading the scores or an op before the end; null when `scores` starts
/// none.
linalg::LinalgOp attentionEnd(linalg::BatchMatmulOp scores) {
  llvm::SetVector<Operation *> chain = rowUsers(scores->getResult(0));
  linalg::LinalgOp end;
  bool product = false;
  for (Operation *op : chain) {
    product |= isa<linalg::BatchMatmulOp>(op);
    bool readByChain = llvm::any_of(
        op->getUsers(), [&](Operation *user) { return chain.contains(user); });
    if (readByChain)
      continue;
    if (end)
      return {}; // Two ends: not one attention.
    end = cast<linalg::LinalgOp>(op);
  }
  if (!end || !product)
    return {};
  // The scores and every op before the end are read by the chain alone:
  // one read elsewhere would be computed whole as well as in the tiles.
  auto internal = [&](Operation *op) {
    return llvm::all_of(op->getUsers(),
                        [&](Operation *user) { return chain.contains(user); });
  };
  if (!internal(scores) || !llvm::all_of(chain, [&](Operation *op) {
        return op == end || internal(op);
      }))
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

/// Tiles `end` by one batch element and `rows` rows over an scf.forall and
/// fuses into the tile every producer whose tile it reads is its own rows
/// (the scores' chain, not K^T or V, which each tile reads whole); erases
/// the ops left dead.
LogicalResult tileRows(RewriterBase &rewriter, linalg::LinalgOp end,
                       int64_t rows) {
  SmallVector<int64_t> sizes(end.getNumLoops(), 0);
  sizes[0] = 1;
  sizes[1] = rows;
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp slice, OpResult,
         bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        auto whole = cast<RankedTensorType>(slice.getSourceType());
        std::optional<int64_t> size =
            getConstantIntValue(slice.getMixedSizes()[1]);
        if (whole.getRank() < 2 || !size || *size == whole.getDimSize(1))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  rewriter.setInsertionPoint(end);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(end.getOperation()), options);
  if (failed(result))
    return end->emitOpError("could not be cut into tiles of query rows");
  rewriter.replaceOp(end, result->replacements.lookup(end->getResult(0)));
  return success();
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
      if (linalg::LinalgOp end = attentionEnd(scores))
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
    DominanceInfo dominance;
    for (Operation *func : tiled) {
      // Upstream fuses a producer once per slice of it a tile reads: the
      // scores, read by the max and by the exponentials, would be computed
      // twice. The copies are the same ops on the same slices: one is kept.
      eliminateCommonSubExpressions(rewriter, dominance, func);
      // The fused producers' whole-tensor ops are dead now, and so are the
      // slices of them the tiles no longer read.
      (void)runRegionDCE(rewriter, func->getRegions());
    }
  }
};

} // namespace
} // namespace fungible
