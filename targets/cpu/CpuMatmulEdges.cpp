//===- CpuMatmulEdges.cpp - Matmul shapes the tiles do not divide ---------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The CPU matmul schedule's tiles are static only where they divide the
// matmul: a cache tile that does not gives every tile dynamic sizes, and a
// 4 x 64 register tile on fewer rows or columns is vectorised with masks.
// The masked code neither keeps its accumulators in registers (a masked
// transfer is not hoisted) nor skips the masked lanes' FMAs: a 64 x 128 by
// 128 x 1000 matmul (a classifier's 1000 classes) ran 4-5 times slower
// than the same matmul 960 columns wide. Here a matmul is cut into parts
// that the tiles divide, and the parts narrower than a register tile get
// register tiles of their own shape (columns in power-of-two widths:
// registerEdgeWidths). Also the tiling step every CPU schedule takes
// (tileAndReplace), which CpuTiling.h declares with these.
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/CpuTiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"

using namespace mlir;

namespace fungible {
namespace {

/// An [offset, offset + size) piece of a loop.
using Piece = std::pair<int64_t, int64_t>;

/// The pieces of a loop of `extent`: the part `tile` divides, then the
/// rest (shorter than one tile), when there is any.
SmallVector<Piece, 2> pieces(int64_t extent, int64_t tile) {
  int64_t whole = extent - extent % tile;
  SmallVector<Piece, 2> result;
  if (whole > 0)
    result.push_back({0, whole});
  if (whole < extent)
    result.push_back({whole, extent - whole});
  return result;
}

/// Whether `op` is a 2-D matmul on buffers of static, non-empty M and N
/// that splitMatmul can cut: plain, or reading its right operand as N x K.
bool isSplittable(linalg::MatmulOp op) {
  if (!op.hasPureBufferSemantics() ||
      !(isPlainNamedMatmul(op) ||
        isa<linalg::MatmulTransposeBOp>(op.getOperation())))
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // An empty matmul has no tile to divide (and a cache tile of 0).
  return !ShapedType::isDynamic(ranges[0]) &&
         !ShapedType::isDynamic(ranges[1]) && ranges[0] > 0 && ranges[1] > 0;
}

/// Cuts `op` (isSplittable) into a matmul of the same kind per row piece
/// and column piece, on views of its operands. Returns the parts (just
/// `op` when there is one piece of each).
SmallVector<linalg::MatmulOp> splitMatmul(RewriterBase &rewriter,
                                          linalg::MatmulOp op,
                                          ArrayRef<Piece> rows,
                                          ArrayRef<Piece> columns) {
  if (rows.size() * columns.size() <= 1)
    return {op};
  bool transposed = isa<linalg::MatmulTransposeBOp>(op.getOperation());
  Location loc = op.getLoc();
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1],
        out = op.getDpsInits()[0];
  rewriter.setInsertionPoint(op);
  OpFoldResult zero = rewriter.getIndexAttr(0), one = rewriter.getIndexAttr(1);
  auto index = [&](int64_t v) -> OpFoldResult {
    return rewriter.getIndexAttr(v);
  };
  // The [offsets] x [sizes] block of a 2-D buffer.
  auto view = [&](Value source, OpFoldResult row, OpFoldResult column,
                  OpFoldResult rowCount, OpFoldResult columnCount) -> Value {
    return memref::SubViewOp::create(rewriter, loc, source, {row, column},
                                     {rowCount, columnCount}, {one, one});
  };
  // K whole: its extent may be dynamic.
  OpFoldResult k = memref::getMixedSize(rewriter, loc, lhs, 1);
  SmallVector<linalg::MatmulOp> parts;
  for (auto [row, rowCount] : rows) {
    Value a = view(lhs, index(row), zero, index(rowCount), k);
    for (auto [column, columnCount] : columns) {
      Value b = transposed
                    ? view(rhs, index(column), zero, index(columnCount), k)
                    : view(rhs, zero, index(column), k, index(columnCount));
      Value c = view(out, index(row), index(column), index(rowCount),
                     index(columnCount));
      parts.push_back(
          transposed ? linalg::MatmulTransposeBOp::create(
                           rewriter, loc, ValueRange{a, b}, ValueRange{c})
                     : linalg::MatmulOp::create(rewriter, loc, ValueRange{a, b},
                                                ValueRange{c}));
    }
  }
  rewriter.eraseOp(op);
  return parts;
}

} // namespace

SmallVector<linalg::MatmulOp> splitCacheEdges(RewriterBase &rewriter,
                                              linalg::MatmulOp op) {
  if (!isSplittable(op))
    return {op};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto [tileM, tileN] = matmulCacheTile(ranges[0], ranges[1]);
  return splitMatmul(rewriter, op, pieces(ranges[0], tileM),
                     pieces(ranges[1], tileN));
}

LogicalResult tileRegisterEdges(RewriterBase &rewriter, Operation *root) {
  SmallVector<linalg::MatmulOp> ops;
  root->walk([&](linalg::MatmulOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (isSplittable(op) && isPlainNamedMatmul(op) &&
        (ranges[0] % kRegisterTileM != 0 || ranges[1] % kRegisterTileN != 0))
      ops.push_back(op);
  });
  for (linalg::MatmulOp op : ops) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    // Columns past the whole register tiles in power-of-two widths.
    SmallVector<Piece, 6> columns;
    int64_t whole = ranges[1] - ranges[1] % kRegisterTileN;
    if (whole > 0)
      columns.push_back({0, whole});
    for (int64_t width : registerEdgeWidths(ranges[1] % kRegisterTileN)) {
      columns.push_back({whole, width});
      whole += width;
    }
    for (linalg::MatmulOp part : splitMatmul(
             rewriter, op, pieces(ranges[0], kRegisterTileM), columns)) {
      SmallVector<int64_t> shape = part.getStaticLoopRanges();
      if (shape[0] % kRegisterTileM == 0 && shape[1] % kRegisterTileN == 0)
        continue; // kMatmulSchedule's 4 x 64 tiles divide it.
      // Fewer rows or columns than a register tile: a register tile of
      // that many, K in kMatmulSchedule's steps.
      int64_t rm = shape[0] % kRegisterTileM ? shape[0] : kRegisterTileM;
      int64_t rn = shape[1] % kRegisterTileN ? shape[1] : kRegisterTileN;
      FailureOr<scf::SCFTilingResult> steps = tileAndReplace(
          rewriter, cast<TilingInterface>(part.getOperation()),
          {0, 0, kCacheTileK}, scf::SCFTilingOptions::LoopType::ForOp);
      if (failed(steps))
        return part->emitOpError("could not be cut into K steps");
      FailureOr<scf::SCFTilingResult> tiles = tileAndReplace(
          rewriter, cast<TilingInterface>(steps->tiledOps.front()), {rm, rn, 1},
          scf::SCFTilingOptions::LoopType::ForOp);
      if (failed(tiles))
        return steps->tiledOps.front()->emitOpError(
            "could not be cut into register tiles");
      // kMatmulSchedule vectorises it (static: no masks) before it
      // matches the matmuls it tiles itself.
      tiles->tiledOps.front()->setAttr(kRegisterEdgeAttr,
                                       rewriter.getUnitAttr());
    }
  }
  return success();
}

FailureOr<scf::SCFTilingResult>
tileAndReplace(RewriterBase &rewriter, TilingInterface op,
               ArrayRef<int64_t> sizes,
               scf::SCFTilingOptions::LoopType loopType) {
  rewriter.setInsertionPoint(op);
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  options.setLoopType(loopType);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, op, options);
  if (failed(tiled))
    return failure();
  if (tiled->tiledOps.size() != 1) {
    // The loops are not used yet: without them the op is as it was.
    if (!tiled->loops.empty())
      rewriter.eraseOp(tiled->loops.front());
    return failure();
  }
  rewriter.eraseOp(op);
  return tiled;
}

} // namespace fungible
