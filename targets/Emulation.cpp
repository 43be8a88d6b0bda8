//===- Emulation.cpp - Running TPU and Trainium programs on the host ------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/Emulation.h"
#include "targets/LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace fungible {

namespace {

/// The part of a `tileRows x tileCols` tile at `indices` of `hbm` that
/// lies inside it (indices may lie outside `hbm` on either side, in any
/// dimension): the HBM view, its rows and columns, and where it starts in
/// the tile.
struct ClippedTile {
  Value hbm;
  OpFoldResult rows, cols, rowOffset, colOffset;
};

ClippedTile clipTile(OpBuilder &b, Location loc, Value hbm, ValueRange indices,
                     int64_t tileRows, int64_t tileCols) {
  int64_t rank = cast<MemRefType>(hbm.getType()).getRank();
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  auto clamp = [&](Value value, Value lo, Value hi) -> Value {
    return arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, value, lo), hi);
  };
  // A window view's sizes may be dynamic (a strided convolution's phase).
  auto size = [&](int64_t dim) -> Value {
    return b.createOrFold<memref::DimOp>(loc, hbm, dim);
  };
  // A leading index outside `hbm` leaves nothing inside.
  SmallVector<OpFoldResult> offsets;
  Value outside = arith::ConstantIntOp::create(b, loc, 0, 1);
  for (int64_t d = 0; d + 2 < rank; ++d) {
    Value clamped = clamp(indices[d], constant(0),
                          arith::SubIOp::create(b, loc, size(d), constant(1)));
    outside = arith::OrIOp::create(
        b, loc, outside,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, clamped,
                              indices[d]));
    offsets.push_back(clamped);
  }
  // Per tile dimension: [max(index, 0), min(index + tileSize, size)) of
  // `hbm`, at index - that in the tile.
  auto span = [&](int64_t dim, int64_t tileSize, bool leading) {
    Value index = indices[dim];
    Value first = clamp(index, constant(0), size(dim));
    Value end = clamp(arith::AddIOp::create(b, loc, index, constant(tileSize)),
                      constant(0), size(dim));
    Value extent = arith::SubIOp::create(b, loc, end, first);
    if (leading)
      extent = arith::SelectOp::create(b, loc, outside, constant(0), extent);
    Value skip = clamp(arith::SubIOp::create(b, loc, first, index), constant(0),
                       constant(tileSize));
    offsets.push_back(first);
    return std::pair<OpFoldResult, OpFoldResult>(extent, skip);
  };
  auto [rows, rowOffset] = span(rank - 2, tileRows, /*leading=*/rank > 2);
  auto [cols, colOffset] = span(rank - 1, tileCols, /*leading=*/false);
  Value view = subview2d(b, loc, hbm, offsets, rows, cols);
  return {view, rows, cols, rowOffset, colOffset};
}

/// The `rows x cols` part of a 2-D tile at (`row`, `col`).
Value part(OpBuilder &b, Location loc, Value tile, OpFoldResult row,
           OpFoldResult col, OpFoldResult rows, OpFoldResult cols) {
  return subview2d(b, loc, tile, {row, col}, rows, cols);
}

} // namespace

void emulateTileLoad(OpBuilder &b, Location loc, Value hbm, ValueRange indices,
                     Value tile, bool transpose, bool broadcast,
                     TypedAttr padding) {
  auto type = cast<MemRefType>(tile.getType());
  int64_t tileRows = broadcast ? 1 : type.getDimSize(transpose ? 1 : 0),
          tileCols = type.getDimSize(transpose ? 0 : 1);
  ClippedTile clip = clipTile(b, loc, hbm, indices, tileRows, tileCols);
  // Pad: only a tile past an edge has any.
  auto shorter = [&](OpFoldResult extent, int64_t size) -> Value {
    return arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::slt,
        getValueOrCreateConstantIndexOp(b, loc, extent),
        arith::ConstantIndexOp::create(b, loc, size));
  };
  Value ragged = arith::OrIOp::create(b, loc, shorter(clip.rows, tileRows),
                                      shorter(clip.cols, tileCols));
  auto pad = scf::IfOp::create(b, loc, ragged, /*withElseRegion=*/false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(pad.thenBlock()->getTerminator());
    Value value = arith::ConstantOp::create(
        b, loc,
        padding ? padding
                : cast<TypedAttr>(b.getZeroAttr(type.getElementType())));
    linalg::FillOp::create(b, loc, value, tile);
  }
  if (broadcast) {
    // The one row into every partition.
    MLIRContext *context = b.getContext();
    AffineExpr p, f;
    bindDims(context, p, f);
    linalg::GenericOp::create(
        b, loc, TypeRange(), ValueRange{clip.hbm},
        ValueRange{part(b, loc, tile, b.getIndexAttr(0), clip.colOffset,
                        b.getIndexAttr(type.getDimSize(0)), clip.cols)},
        SmallVector<AffineMap>{
            AffineMap::get(2, 0, {getAffineConstantExpr(0, context), f},
                           context),
            AffineMap::get(2, 0, {p, f}, context)},
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [](OpBuilder &nb, Location l, ValueRange args) {
          linalg::YieldOp::create(nb, l, args[0]);
        });
  } else if (transpose) {
    linalg::TransposeOp::create(b, loc, clip.hbm,
                                part(b, loc, tile, clip.colOffset,
                                     clip.rowOffset, clip.cols, clip.rows),
                                ArrayRef<int64_t>{1, 0});
  } else {
    linalg::CopyOp::create(b, loc, clip.hbm,
                           part(b, loc, tile, clip.rowOffset, clip.colOffset,
                                clip.rows, clip.cols));
  }
}

void emulateTileStore(OpBuilder &b, Location loc, Value tile, Value hbm,
                      ValueRange indices) {
  auto type = cast<MemRefType>(tile.getType());
  ClippedTile clip =
      clipTile(b, loc, hbm, indices, type.getDimSize(0), type.getDimSize(1));
  linalg::CopyOp::create(
      b, loc,
      part(b, loc, tile, clip.rowOffset, clip.colOffset, clip.rows, clip.cols),
      clip.hbm);
}

void replaceWithHostBuffer(Operation *alloc) {
  OpBuilder b(alloc);
  Location loc = alloc->getLoc();
  Value buffer = memref::AllocOp::create(
      b, loc, cast<MemRefType>(alloc->getResult(0).getType()));
  b.setInsertionPoint(alloc->getBlock()->getTerminator());
  memref::DeallocOp::create(b, loc, buffer);
  alloc->getResult(0).replaceAllUsesWith(buffer);
}

void buildGenericFromBody(OpBuilder &b, Location loc, ValueRange inputs,
                          Value output, Region &body, bool fold) {
  // The iteration space: each dimension's largest extent (dynamic when any
  // operand's is). An operand of extent 1 in a larger dimension is
  // broadcast along it (a per-partition column); so is a fold's output,
  // which makes that dimension a reduction.
  SmallVector<Value> operands(inputs);
  operands.push_back(output);
  auto outType = cast<MemRefType>(output.getType());
  int64_t rank = outType.getRank();
  SmallVector<int64_t> extent(rank, 1);
  for (Value operand : operands)
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = cast<MemRefType>(operand.getType()).getDimSize(d);
      bool dynamic =
          ShapedType::isDynamic(size) || ShapedType::isDynamic(extent[d]);
      extent[d] = dynamic ? ShapedType::kDynamic : std::max(extent[d], size);
    }
  auto broadcast = [&](Value operand, int64_t d) {
    return cast<MemRefType>(operand.getType()).getDimSize(d) == 1 &&
           extent[d] != 1;
  };
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(broadcast(operand, d) ? b.getAffineConstantExpr(0)
                                            : b.getAffineDimExpr(d));
    maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
  }
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d)
    iterators.push_back(fold && broadcast(output, d)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(b, loc, TypeRange(), inputs,
                                           ValueRange{output}, maps, iterators);
  generic.getRegion().takeBody(body);
  Block &block = generic.getRegion().front();
  if (!fold)
    block.addArgument(outType.getElementType(), loc);
  Operation *terminator = block.getTerminator();
  OpBuilder yb(terminator);
  linalg::YieldOp::create(yb, loc, terminator->getOperand(0));
  terminator->erase();
}

void replaceIotasWithIndices(ArrayRef<std::pair<Operation *, int64_t>> iotas) {
  for (auto [iota, dim] : iotas) {
    OpBuilder b(iota);
    iota->getResult(0).replaceAllUsesWith(
        linalg::IndexOp::create(b, iota->getLoc(), dim).getResult());
    iota->erase();
  }
}

} // namespace fungible
