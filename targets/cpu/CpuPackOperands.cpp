//===- CpuPackOperands.cpp - Right operands packed into panels --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CPU matmul schedule's packing of right operands
// (a BLAS's B packing): each cache tile copies the K x N block of B it is
// about to use into a panel of its own, whose rows are one after the other,
// and the register tiles read the panel. The FMAs are the same in the same
// order: the same bits.
//
// A right operand read transposed (`wl.matmul {transpose_rhs}`: torch's
// and TOSA's linear layers, whose weights are N x K) is where it matters
// most. wl-to-linalg writes it as a linalg.transpose into a buffer of its
// own, then the matmul: for an 8960 x 1536 weight, 55 MB gathered, written
// and read again from memory, which took as long as the product. Here the
// product reads the weight where it is, and the panel is copied in 16 x 16
// blocks transposed in registers. A plain B is packed too: its rows, a
// power of two apart in a wide matrix, fall into a few cache sets, where
// the panel's do not (1024^3 on one thread: 108 -> 158 GFLOP/s).
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuPackOperands.h"
#include "targets/LayoutCopies.h"
#include "targets/LoweringSupport.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/CpuTiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace fungible {
namespace {

/// The fewest rows of a cache tile whose plain right operand is packed.
constexpr int64_t kMinPackedRows = 16;

/// The side of the square blocks a panel is copied in: one AVX-512 vector
/// of f32, a 16 x 16 transpose in registers (upstream's shuffle_16x16).
constexpr int64_t kPackBlock = 16;

/// Copies `source` (an N x K view) transposed into `panel` (K x N): in
/// kPackBlock-square vector blocks when both extents are static multiples
/// of it, the elements are 32 bits wide and the rows contiguous, else as a
/// linalg.transpose. Returns the vector.transpose ops made (to be lowered
/// to shuffles).
SmallVector<Operation *> copyTransposed(RewriterBase &rewriter, Location loc,
                                        Value source, Value panel) {
  auto type = cast<MemRefType>(source.getType());
  Type element = type.getElementType();
  SmallVector<int64_t> strides;
  int64_t offset;
  bool blocks = type.hasStaticShape() && element.isIntOrFloat() &&
                element.getIntOrFloatBitWidth() == 32 &&
                type.getDimSize(0) % kPackBlock == 0 &&
                type.getDimSize(1) % kPackBlock == 0 &&
                succeeded(type.getStridesAndOffset(strides, offset)) &&
                strides[1] == 1;
  if (!blocks) {
    linalg::TransposeOp::create(rewriter, loc, source, panel,
                                ArrayRef<int64_t>{1, 0});
    return {};
  }
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v).getResult();
  };
  Value zero = index(0), step = index(kPackBlock);
  auto block = VectorType::get({kPackBlock, kPackBlock}, element);
  SmallVector<Operation *> transposes;
  // The source's rows outside: the 16 rows a block reads stay in cache
  // for the next block along them.
  scf::ForOp::create(
      rewriter, loc, zero, index(type.getDimSize(0)), step, ValueRange(),
      [&](OpBuilder &b, Location l, Value n, ValueRange) {
        scf::ForOp::create(
            b, l, zero, index(type.getDimSize(1)), step, ValueRange(),
            [&](OpBuilder &b, Location l, Value k, ValueRange) {
              // Row by row (1-D loads and stores: the pipeline lowers
              // affine maps before it unrolls transfers).
              auto offset = [&](Value base, int64_t r) {
                return arith::AddIOp::create(
                    b, l, base, arith::ConstantIndexOp::create(b, l, r));
              };
              Value rows =
                  arith::ConstantOp::create(b, l, block, b.getZeroAttr(block));
              for (int64_t r = 0; r < kPackBlock; ++r) {
                Value row = vector::LoadOp::create(
                    b, l, VectorType::get({kPackBlock}, element), source,
                    ValueRange{offset(n, r), k});
                rows = vector::InsertOp::create(b, l, row, rows, r);
              }
              auto flipped = vector::TransposeOp::create(b, l, rows, {1, 0});
              transposes.push_back(flipped);
              for (int64_t r = 0; r < kPackBlock; ++r) {
                Value row = vector::ExtractOp::create(b, l, flipped, r);
                vector::StoreOp::create(b, l, row, panel,
                                        ValueRange{offset(k, r), n});
              }
              scf::YieldOp::create(b, l);
            });
        scf::YieldOp::create(b, l);
      });
  return transposes;
}

} // namespace

/// The ops that read `transpose`'s result, a buffer allocated for it alone,
/// when all of them are plain `ReaderOp`s (isPlainNamedMatmul) after the
/// transpose in its block, reading the buffer as their right operand only,
/// and nothing from the transpose to the last of them writes the
/// transpose's source; empty otherwise. The buffer's deallocs are put in
/// `deallocs`.
template <typename ReaderOp>
static SmallVector<linalg::LinalgOp>
laterRhsReaders(linalg::TransposeOp transpose,
                SmallVectorImpl<Operation *> &deallocs) {
  Value buffer = transpose.getInit();
  if (!transpose.hasPureBufferSemantics() ||
      !buffer.getDefiningOp<memref::AllocOp>())
    return {};
  SmallVector<linalg::LinalgOp> readers;
  bool onlyRhs = llvm::all_of(buffer.getUses(), [&](OpOperand &use) {
    Operation *user = use.getOwner();
    if (user == transpose)
      return true;
    if (isa<memref::DeallocOp>(user)) {
      deallocs.push_back(user);
      return true;
    }
    auto reader = dyn_cast<linalg::LinalgOp>(user);
    if (!isa<ReaderOp>(user) || !isPlainNamedMatmul(reader) ||
        !reader.hasPureBufferSemantics() || use.getOperandNumber() != 1 ||
        llvm::any_of(reader.getStaticLoopRanges(), ShapedType::isDynamic) ||
        reader->getBlock() != transpose->getBlock() ||
        !transpose->isBeforeInBlock(reader) ||
        llvm::is_contained(reader.getDpsInits(), buffer) ||
        reader.getDpsInputs()[0] == buffer)
      return false;
    readers.push_back(reader);
    return true;
  });
  if (!onlyRhs || readers.empty())
    return {};
  // Read later, the source must hold the same values: nothing between the
  // transpose and its last reader writes it.
  Operation *last = readers.front();
  for (linalg::LinalgOp reader : readers)
    if (last->isBeforeInBlock(reader))
      last = reader;
  Value sourceBase = baseOf(transpose.getInput());
  for (Operation *op = transpose->getNextNode(); op && op != last;
       op = op->getNextNode())
    if (writesTo(op, sourceBase))
      return {};
  if (writesTo(last, sourceBase))
    return {};
  return readers;
}

/// Erases `transpose`, its buffer and the buffer's `deallocs`.
static void eraseTranspose(RewriterBase &rewriter,
                           linalg::TransposeOp transpose,
                           ArrayRef<Operation *> deallocs) {
  Operation *alloc = transpose.getInit().getDefiningOp();
  for (Operation *dealloc : deallocs)
    rewriter.eraseOp(dealloc);
  rewriter.eraseOp(transpose);
  rewriter.eraseOp(alloc);
}

void readTransposedRhsInPlace(RewriterBase &rewriter, Operation *root) {
  SmallVector<linalg::TransposeOp> transposes;
  root->walk([&](linalg::TransposeOp op) { transposes.push_back(op); });
  for (linalg::TransposeOp transpose : transposes) {
    if (transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
      continue;
    SmallVector<Operation *> deallocs;
    SmallVector<linalg::LinalgOp> readers =
        laterRhsReaders<linalg::MatmulOp>(transpose, deallocs);
    if (readers.empty())
      continue;
    for (linalg::LinalgOp reader : readers) {
      rewriter.setInsertionPoint(reader);
      linalg::MatmulTransposeBOp::create(
          rewriter, reader.getLoc(),
          ValueRange{reader.getDpsInputs()[0], transpose.getInput()},
          ValueRange{reader.getDpsInits()[0]});
      rewriter.eraseOp(reader);
    }
    eraseTranspose(rewriter, transpose, deallocs);
  }
}

void readPermutedBatchRhsInPlace(RewriterBase &rewriter, Operation *root) {
  SmallVector<linalg::TransposeOp> transposes;
  root->walk([&](linalg::TransposeOp op) {
    if (op.getPermutation().size() == 3)
      transposes.push_back(op);
  });
  for (linalg::TransposeOp transpose : transposes) {
    SmallVector<Operation *> deallocs;
    SmallVector<linalg::LinalgOp> readers =
        laterRhsReaders<linalg::BatchMatmulOp>(transpose, deallocs);
    if (readers.empty())
      continue;
    // The source seen through the permutation.
    rewriter.setInsertionPoint(transpose);
    Value view = permutedView(rewriter, transpose.getLoc(),
                              transpose.getInput(), transpose.getPermutation());
    for (linalg::LinalgOp reader : readers)
      rewriter.modifyOpInPlace(reader, [&] { reader->setOperand(1, view); });
    eraseTranspose(rewriter, transpose, deallocs);
  }
}

Value asRowMajorRhs(RewriterBase &rewriter, Location loc, Value rhs,
                    bool &transposed) {
  transposed = false;
  auto type = cast<MemRefType>(rhs.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (type.getRank() != 2 ||
      failed(type.getStridesAndOffset(strides, offset)) || strides[0] != 1 ||
      strides[1] == 1 || type.getDimSize(0) == 1 || type.getDimSize(1) == 1)
    return rhs;
  transposed = true;
  return permutedView(rewriter, loc, rhs, {1, 0});
}

/// Whether packRhs copies `op`'s right operand into panels.
static bool worthPackingRhs(linalg::MatmulOp op) {
  if (!op.hasPureBufferSemantics())
    return false;
  if (isa<linalg::MatmulTransposeBOp>(op.getOperation()))
    return true;
  if (!isPlainNamedMatmul(op))
    return false;
  // A panel's row feeds one FMA per row of the tile; with few rows the
  // copy costs about what it saves. Rows of B already one after the other
  // (a single column tile) are a panel as they are.
  auto rhs = cast<MemRefType>(op.getDpsInputs()[1].getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  return !ShapedType::isDynamic(ranges[0]) && ranges[0] >= kMinPackedRows &&
         (failed(rhs.getStridesAndOffset(strides, offset)) ||
          strides[0] != rhs.getDimSize(1));
}

LogicalResult packRhs(RewriterBase &rewriter, linalg::MatmulOp op,
                      int64_t tileN) {
  if (!worthPackingRhs(op))
    return success();
  bool transposed = isa<linalg::MatmulTransposeBOp>(op.getOperation());
  Location loc = op.getLoc();
  // K is not cut into cache tiles; N's last tile may be ragged (dynamic),
  // and no wider than tileN.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ShapedType::isDynamic(ranges[2])) {
    if (!transposed)
      return success();
    return op->emitOpError("a transposed right operand needs a static K");
  }
  int64_t panelK = std::min(ranges[2], kCacheTileK);
  int64_t panelN =
      ShapedType::isDynamic(ranges[1]) ? tileN : std::min(ranges[1], tileN);
  Type element = getElementTypeOrSelf(op.getDpsInputs()[1].getType());
  // The panel, once per cache tile (the tile's thread owns it). In the
  // heap: an alloca in a parallel loop's body keeps the memref.alloca_scope
  // that convert-scf-to-openmp wraps it in, which must stay one block.
  rewriter.setInsertionPoint(op);
  Value panel = memref::AllocOp::create(
      rewriter, loc, MemRefType::get({panelK, panelN}, element),
      rewriter.getI64IntegerAttr(64));
  FailureOr<scf::SCFTilingResult> steps =
      tileAndReplace(rewriter, cast<TilingInterface>(op.getOperation()),
                     {0, 0, panelK}, scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(steps))
    return op->emitOpError("could not be cut into K steps");
  rewriter.setInsertionPointAfter(steps->loops.front());
  memref::DeallocOp::create(rewriter, loc, panel);

  auto step = cast<linalg::MatmulOp>(steps->tiledOps.front());
  loc = step.getLoc();
  rewriter.setInsertionPoint(step);
  Value rhs = step.getDpsInputs()[1]; // N x K, or K x N
  unsigned kDim = transposed ? 1 : 0, nDim = 1 - kDim;
  Value packed = panel;
  auto rhsType = cast<MemRefType>(rhs.getType());
  if (!rhsType.hasStaticShape() || rhsType.getDimSize(nDim) != panelN ||
      rhsType.getDimSize(kDim) != panelK) {
    OpFoldResult one = rewriter.getIndexAttr(1),
                 zero = rewriter.getIndexAttr(0);
    packed = memref::SubViewOp::create(
        rewriter, loc, panel, {zero, zero},
        {memref::getMixedSize(rewriter, loc, rhs, kDim),
         memref::getMixedSize(rewriter, loc, rhs, nDim)},
        {one, one});
  }
  SmallVector<Operation *> transposes;
  if (transposed)
    transposes = copyTransposed(rewriter, loc, rhs, packed);
  else
    linalg::CopyOp::create(rewriter, loc, rhs, packed);
  linalg::MatmulOp::create(rewriter, loc,
                           ValueRange{step.getDpsInputs()[0], packed},
                           ValueRange{step.getDpsInits()[0]});
  rewriter.eraseOp(step);
  if (transposes.empty())
    return success();
  RewritePatternSet patterns(rewriter.getContext());
  vector::populateVectorTransposeLoweringPatterns(
      patterns, vector::VectorTransposeLowering::Shuffle16x16);
  return applyOpPatternsGreedily(transposes, std::move(patterns));
}

} // namespace fungible
