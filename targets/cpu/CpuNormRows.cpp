//===- CpuNormRows.cpp - Norms and softmax in tiles of rows -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements fungible-cpu-tile-norm-rows: wl-to-linalg writes a
// layer norm as four whole-tensor ops (the rows' means, the centred input,
// the rows' variances, the normalised, scaled and shifted result), an RMS
// norm as two, a softmax as four, each a pass over the input. Past 2^16
// elements each op forked on its own (fungible-cpu-parallel-loops), and
// past the cache each pass streamed the input again. Every op is
// independent per row, so the pass tiles the last op by rows over one
// scf.forall and fuses the chain into the tile (upstream's tile-and-fuse,
// as CpuAttentionRows.cpp does for attention): one fork, and a tile's rows
// stay in the core's cache through all the passes. Each element is
// computed as before, in the same order: the same bits.
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/CpuPasses.h"
#include "targets/cpu/CpuTiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace fungible {
#define GEN_PASS_DEF_CPUTILENORMROWSPASS
#include "targets/cpu/CpuPasses.h.inc"
} // namespace fungible

using namespace mlir;

namespace fungible {
namespace {

/// Whether `op` reduces the innermost dimension of its one input, [rows...,
/// C], into [rows...]: a norm's means, variances or sums of squares, a
/// softmax's maximum or sum.
bool reducesRows(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 1 ||
      op.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return false;
  auto type = dyn_cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  if (!type || !type.hasStaticShape() || type.getRank() < 2)
    return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  return maps[0].isIdentity() &&
         maps[1] == maps[0].dropResult(type.getRank() - 1);
}

/// The row-wise chain that the reduction `first` starts: `first` and the
/// linalg ops on tensors reading it, transitively, whose results are
/// [rows...] or [rows..., C]. The op ending it, the one no op of the chain
/// reads, an elementwise op over [rows..., C] (the normalised result, the
/// softmax's probabilities), with nothing outside the chain reading an op
/// before the end; null when `first` starts none.
linalg::LinalgOp normEnd(linalg::GenericOp first,
                         llvm::SetVector<Operation *> &chain) {
  auto input = cast<RankedTensorType>(first.getDpsInputs()[0].getType());
  ArrayRef<int64_t> rows = input.getShape().drop_back();
  auto keepsRows = [&](Value result) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    return type &&
           (type.getShape() == rows || type.getShape() == input.getShape());
  };
  chain.insert(first);
  chain.insert_range(usersWhile(first->getResult(0), [&](Operation *user) {
    auto op = dyn_cast<linalg::LinalgOp>(user);
    return op && op.hasPureTensorSemantics() &&
           llvm::all_of(user->getResults(), keepsRows);
  }));
  auto end = dyn_cast_or_null<linalg::LinalgOp>(chainEnd(chain));
  if (!end || end == first || end->getNumResults() != 1 ||
      end.getNumLoops() != end.getNumParallelLoops() ||
      cast<RankedTensorType>(end->getResult(0).getType()).getShape() !=
          input.getShape())
    return {};
  return end;
}

/// Tiles `end` by `rows` of its innermost row dimension (1 of the outer
/// ones) over an scf.forall and fuses into the tile every op of `chain`
/// whose slice the tile reads, its own rows, and replaces `end`.
LogicalResult tileNormRows(RewriterBase &rewriter, linalg::LinalgOp end,
                           const llvm::SetVector<Operation *> &chain,
                           int64_t rows) {
  SmallVector<int64_t> sizes(end.getNumLoops(), 1);
  sizes[sizes.size() - 2] = rows;
  sizes.back() = 0;
  // The chain's ops, and the fills of their results: not the producer of
  // the input (a matmul keeps its own schedule).
  return tileAndFuseIntoForall(
      rewriter, end, sizes,
      [&](tensor::ExtractSliceOp, OpResult producer) {
        Operation *op = producer.getOwner();
        return chain.contains(op) || isa<linalg::FillOp>(op);
      },
      std::nullopt, "rows");
}

struct CpuTileNormRowsPass
    : impl::CpuTileNormRowsPassBase<CpuTileNormRowsPass> {
  void runOnOperation() override {
    // Each end once, with the chain of the first reduction reaching it
    // (a layer norm's means, whose chain holds its variances too).
    llvm::MapVector<Operation *,
                    std::pair<llvm::SetVector<Operation *>, int64_t>>
        ends;
    getOperation().walk([&](linalg::GenericOp first) {
      if (!reducesRows(first) || first->getParentOfType<scf::ForallOp>())
        return;
      auto input = cast<RankedTensorType>(first.getDpsInputs()[0].getType());
      int64_t rows =
          normRowTile(input.getShape(), byteWidth(input.getElementType()));
      if (!rows)
        return;
      llvm::SetVector<Operation *> chain;
      linalg::LinalgOp end = normEnd(first, chain);
      if (end && !ends.count(end))
        ends.insert({end, {std::move(chain), rows}});
    });
    llvm::SetVector<Operation *> tiled;
    IRRewriter rewriter(&getContext());
    for (auto &[end, chainAndRows] : ends) {
      tiled.insert(end->getParentWithTrait<OpTrait::IsIsolatedFromAbove>());
      if (failed(tileNormRows(rewriter, cast<linalg::LinalgOp>(end),
                              chainAndRows.first, chainAndRows.second)))
        return signalPassFailure();
    }
    cleanUpFusedTiles(rewriter, tiled.getArrayRef());
  }
};

} // namespace
} // namespace fungible
