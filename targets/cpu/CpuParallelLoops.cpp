//===- CpuParallelLoops.cpp - The CPU target's parallel loops ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements fungible-cpu-parallel-loops (CpuPasses.td): the
// linalg ops left after the matmul schedule run as an scf.forall over
// chunks of their parallel dimensions, which OpenMP's threads take.
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/CpuPasses.h"
#include "targets/cpu/CpuTiling.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

using namespace mlir;

namespace fungible {
#define GEN_PASS_DEF_CPUPARALLELLOOPSPASS
#include "targets/cpu/CpuPasses.h.inc"

namespace {

/// Lowers every linalg op left after the matmul schedule that has enough
/// work and is not already inside a parallel loop to an scf.forall over
/// chunks of its parallel dimensions (kParallelChunks of them, taken from
/// the outermost parallel dimension in): each chunk's op runs as plain
/// loops inside, reductions in their original order, so the result is the
/// same bits on any thread count. scf-forall-to-parallel and
/// convert-scf-to-openmp then run the chunks on OpenMP's threads. Chunks
/// rather than points: a collapsed OpenMP loop over every point recomputes
/// its indices by division at each one, and the points of a chunk's inner
/// dimensions stay a loop LLVM can vectorise.
struct CpuParallelLoopsPass
    : impl::CpuParallelLoopsPassBase<CpuParallelLoopsPass> {
  /// Enough chunks to balance 64 threads four ways; each chunk of an op
  /// worth threads still has at least 2^16 / 256 = 256 loop-body runs.
  static constexpr int64_t kParallelChunks = 256;

  static bool worthParallel(linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics() || insideParallelLoop(op))
      return false;
    int64_t iterations = 1, parallel = 1;
    for (auto [range, kind] :
         llvm::zip(op.getStaticLoopRanges(), op.getIteratorTypesArray())) {
      if (ShapedType::isDynamic(range))
        return true; // Unknown at compile time: assume it is large.
      iterations *= range;
      if (kind == utils::IteratorType::parallel)
        parallel *= range;
    }
    return parallel > 1 && iterations >= kMinParallelIterations;
  }

  static constexpr int64_t kCacheLineBytes = 64;

  /// The loop that indexes the innermost (contiguous) dimension of an input
  /// of `op` when it is a parallel loop other than the innermost one, the
  /// output's innermost, and the input is read along that one too: a
  /// transpose, whose reads go down a column, with output rows (its
  /// innermost loop) of `minRow` elements or more. (An input the innermost
  /// loop does not index, a row's max broadcast over the row, is not one: cut
  /// into 8x8 blocks, a softmax's passes ran 3 times slower.)
  static std::optional<unsigned>
  stridedInputLoop(linalg::LinalgOp op, int64_t minRow = kTransposeBlock) {
    unsigned loops = op.getNumLoops();
    if (loops < 2 || op.getNumDpsInits() != 1 ||
        !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
      return std::nullopt;
    SmallVector<utils::IteratorType> kinds = op.getIteratorTypesArray();
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    // A dynamic extent (a chunk's ragged last part) counts as large.
    auto atLeast = [&](unsigned loop, int64_t size) {
      return ShapedType::isDynamic(ranges[loop]) || ranges[loop] >= size;
    };
    if (kinds[loops - 1] != utils::IteratorType::parallel ||
        !atLeast(loops - 1, minRow))
      return std::nullopt;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      // The input's innermost dimension that is not 1: a unit dimension
      // after it (the RoPE table's 64 x 1024 x 1 x 1 angles) is no stride.
      auto type = dyn_cast<ShapedType>(input->get().getType());
      int64_t inner = static_cast<int64_t>(map.getNumResults()) - 1;
      while (inner > 0 && type && type.hasRank() && type.getDimSize(inner) == 1)
        --inner;
      if (inner < 0)
        continue;
      auto last = dyn_cast<AffineDimExpr>(map.getResult(inner));
      // Read along the output's rows, or the same element all along them
      // (a row's max or sum broadcast over it): no column walk.
      if (!last || last.getPosition() == loops - 1 ||
          !map.isFunctionOfDim(loops - 1))
        continue;
      unsigned loop = last.getPosition();
      if (kinds[loop] == utils::IteratorType::parallel && atLeast(loop, 2))
        return loop;
    }
    return std::nullopt;
  }

  /// Tile sizes that cut `op`'s parallel dimensions, outermost first, into
  /// about kParallelChunks chunks: whole dimensions of size one tile while
  /// the count allows, then one dimension cut into the chunks still
  /// wanted. A dynamic dimension is cut into single points.
  static SmallVector<int64_t> chunkSizes(linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<utils::IteratorType> kinds = op.getIteratorTypesArray();
    SmallVector<int64_t> sizes(ranges.size(), 0);
    // A transpose's chunks take the loop its reads are contiguous along and
    // the one its writes are in whole cache lines: cut into single points,
    // a chunk would read a line for every element and use a sixteenth of
    // it, and chunks would write parts of one line from two threads.
    std::optional<unsigned> strided = stridedInputLoop(op);
    int64_t line = 1;
    if (strided) {
      Type element = getElementTypeOrSelf(op.getDpsInits()[0].getType());
      line = std::max<int64_t>(1, kCacheLineBytes /
                                      std::max<int64_t>(1, byteWidth(element)));
    }
    int64_t chunks = 1;
    for (auto [i, range] : llvm::enumerate(ranges)) {
      if (kinds[i] != utils::IteratorType::parallel)
        continue;
      if (ShapedType::isDynamic(range)) {
        sizes[i] = 1;
        break;
      }
      if (chunks >= kParallelChunks)
        break;
      int64_t unit =
          strided && (*strided == i || i + 1 == ranges.size()) ? line : 1;
      int64_t units = llvm::divideCeil(range, unit);
      if (chunks * units <= kParallelChunks) {
        sizes[i] = unit < range ? unit : 0;
        chunks *= units;
        continue;
      }
      int64_t wanted = llvm::divideCeil(kParallelChunks, chunks);
      int64_t size = llvm::alignTo(llvm::divideCeil(range, wanted), unit);
      // In whole lines, a size that divides the loop if one does: every
      // chunk, and every block in it, then has a static shape.
      if (unit > 1)
        for (int64_t even = size; even < range; even += unit)
          if (range % even == 0) {
            size = even;
            break;
          }
      sizes[i] = size < range ? size : 0;
      break;
    }
    return sizes;
  }

  /// Cuts a chunk of a transpose into kTransposeBlock-square blocks of the
  /// loop its reads are contiguous along and the loop its writes are
  /// (scf.for over the blocks, the rest whole inside): both then stay
  /// within a few cache lines and pages, where a whole row of the output
  /// reads a line and a page per element. Parallel loops only: the order
  /// of any reduction is untouched, and so are the bits.
  static LogicalResult blockStridedReads(RewriterBase &rewriter,
                                         linalg::LinalgOp op) {
    std::optional<unsigned> strided = stridedInputLoop(op);
    if (!strided)
      return success();
    // A loop no longer than a block stays whole.
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<int64_t> sizes(op.getNumLoops(), 0);
    if (ShapedType::isDynamic(ranges[*strided]) ||
        ranges[*strided] > kTransposeBlock)
      sizes[*strided] = kTransposeBlock;
    sizes.back() = kTransposeBlock;
    if (failed(tileAndReplace(rewriter,
                              cast<TilingInterface>(op.getOperation()), sizes,
                              scf::SCFTilingOptions::LoopType::ForOp)))
      return op->emitOpError("could not be cut into transpose blocks");
    return success();
  }

  /// The runs of consecutive loops of `op` that every operand indexes one
  /// after the other, in order (an NHWC -> NCHW transpose's h and w), each
  /// run one group; loops alone otherwise.
  static SmallVector<ReassociationIndices>
  contiguousLoopRuns(linalg::LinalgOp op) {
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<ReassociationIndices> runs;
    for (unsigned loop = 0, e = op.getNumLoops(); loop < e; ++loop) {
      if (!runs.empty()) {
        ReassociationIndices longer = runs.back();
        longer.push_back(loop);
        if (linalg::areDimSequencesPreserved(maps, {longer})) {
          runs.back() = std::move(longer);
          continue;
        }
      }
      runs.push_back({int64_t(loop)});
    }
    return runs;
  }

  /// A transpose whose output rows are shorter than a block (a 7 x 7
  /// image's NHWC -> NCHW: loops (n, c, h, w) = (1, 512, 7, 7)) is not
  /// read in blocks (stridedInputLoop), and each of its reads goes down a
  /// column whose lines, a power of two apart, share a few cache sets: 48
  /// us for those 25088 elements, 2 ns each. The loops every operand
  /// indexes one after the other are one loop of a generic op on collapsed
  /// views ((n, c, hw) = (1, 512, 49)), whose rows are long enough for
  /// blocks. Leaves `op` as it is when it is no such transpose or its
  /// operands are not contiguous buffers.
  static LogicalResult collapseShortRows(RewriterBase &rewriter,
                                         linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (!op.hasPureBufferSemantics() || ranges.empty() ||
        ShapedType::isDynamic(ranges.back()) ||
        ranges.back() >= kTransposeBlock || op.getNumReductionLoops() != 0 ||
        !stridedInputLoop(op, /*minRow=*/1) ||
        llvm::any_of(op->getOperands(), [](Value v) {
          auto type = dyn_cast<MemRefType>(v.getType());
          return !type || !type.hasStaticShape() ||
                 !type.getLayout().isIdentity();
        }))
      return success();
    SmallVector<ReassociationIndices> runs = contiguousLoopRuns(op);
    int64_t row = 1;
    for (int64_t loop : runs.back())
      row *= ranges[loop];
    if (runs.size() == ranges.size() || row < kTransposeBlock)
      return success();
    rewriter.setInsertionPoint(op);
    linalg::LinalgOp generic = op;
    if (!isa<linalg::GenericOp>(op.getOperation())) {
      FailureOr<linalg::GenericOp> general =
          linalg::generalizeNamedOp(rewriter, op);
      if (failed(general))
        return op->emitOpError("could not be written as a generic op");
      generic = *general;
    }
    FailureOr<linalg::CollapseResult> collapsed =
        linalg::collapseOpIterationDims(generic, runs, rewriter);
    if (failed(collapsed))
      return generic->emitOpError("could not collapse its contiguous loops");
    rewriter.eraseOp(generic);
    return success();
  }

  /// The rows copied by vector loads and stores (copyRowsAsVectors): of
  /// 16 bytes to 4 AVX-512 registers. LLVM vectorises the copy loops of
  /// longer rows itself, and better: a [64, 128, 128] -> [128, 64, 128]
  /// transpose took 62-107 us as vectors of 128 elements, 59-63 as loops.
  static constexpr int64_t kMinVectorRowBytes = 16;
  static constexpr int64_t kMaxVectorRowBytes = 256;

  /// The elements of the rows `op` copies whole when it is a copy that
  /// keeps its innermost dimension innermost (a transpose of the outer
  /// dimensions, [B, S, H, D] -> [B, H, S, D], or a plain copy): one input,
  /// yielded as it is, read through a permutation that maps the innermost
  /// loop to its innermost dimension, into an output read in loop order,
  /// every buffer's innermost stride 1 and every extent static. 0 when
  /// `op` is no such copy.
  static int64_t copiedRow(linalg::LinalgOp op) {
    unsigned loops = op.getNumLoops();
    if (!op.hasPureBufferSemantics() || loops < 2 ||
        op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
        op.getNumReductionLoops() != 0 ||
        !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
      return 0;
    AffineMap map = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
    if (!map.isPermutation() || map.getDimPosition(loops - 1) != loops - 1)
      return 0;
    Block *body = op.getBlock();
    auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
    if (!yield || body->getOperations().size() != 1 ||
        yield.getOperand(0) != body->getArgument(0))
      return 0;
    for (Value buffer : op->getOperands()) {
      auto type = dyn_cast<MemRefType>(buffer.getType());
      SmallVector<int64_t> strides;
      int64_t offset;
      if (!type || !type.hasStaticShape() ||
          failed(type.getStridesAndOffset(strides, offset)) ||
          strides.back() != 1)
        return 0;
    }
    return op.getStaticLoopRanges().back();
  }

  /// Copies the rows of a copy that keeps its rows (copiedRow) of
  /// kMinVectorRowBytes to kMaxVectorRowBytes with one vector load and
  /// store each, the loops
  /// around them scf.for loops. LLVM's loop vectoriser leaves a copy loop
  /// of one such row scalar (the runtime check that its two pointers do not
  /// overlap costs more than 64 elements save, by its cost model): BERT's
  /// [64, 32, 8, 64] -> [64, 8, 32, 64] head transpose took 160-190 us, an
  /// element a cycle, where a 4 MiB copy of rows of 128 took 60.
  static LogicalResult copyRowsAsVectors(RewriterBase &rewriter,
                                         linalg::LinalgOp op) {
    int64_t row = copiedRow(op);
    Type element = getElementTypeOrSelf(op.getDpsInits()[0].getType());
    int64_t rowBytes = row * byteWidth(element);
    if (row == 0 || rowBytes < kMinVectorRowBytes ||
        rowBytes > kMaxVectorRowBytes)
      return success();
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lbs, ubs, steps;
    for (int64_t range : ArrayRef(ranges).drop_back()) {
      lbs.push_back(zero);
      ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, range));
      steps.push_back(one);
    }
    AffineMap map = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
    Value input = op.getDpsInputs()[0], output = op.getDpsInits()[0];
    auto vectorType = VectorType::get({row}, element);
    scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps,
        [&](OpBuilder &b, Location loc, ValueRange ivs) {
          SmallVector<Value> at(ivs.begin(), ivs.end());
          at.push_back(zero);
          SmallVector<Value> from;
          for (unsigned i = 0, e = map.getNumResults(); i < e; ++i)
            from.push_back(at[map.getDimPosition(i)]);
          Value values =
              vector::LoadOp::create(b, loc, vectorType, input, from);
          vector::StoreOp::create(b, loc, values, output, at);
        });
    rewriter.eraseOp(op);
    return success();
  }

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> shortRows;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!insideParallelLoop(op))
        shortRows.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : shortRows)
      if (failed(collapseShortRows(rewriter, op)))
        return signalPassFailure();
    SmallVector<linalg::LinalgOp> ops, small;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (worthParallel(op))
        ops.push_back(op);
      else if (op.hasPureBufferSemantics() && stridedInputLoop(op))
        small.push_back(op);
    });
    // A transpose too small for threads is still read in blocks.
    for (linalg::LinalgOp op : small)
      if (failed(blockStridedReads(rewriter, op)))
        return signalPassFailure();
    SmallVector<linalg::LinalgOp> copies;
    for (linalg::LinalgOp op : ops) {
      FailureOr<scf::SCFTilingResult> tiled = tileAndReplace(
          rewriter, cast<TilingInterface>(op.getOperation()), chunkSizes(op),
          scf::SCFTilingOptions::LoopType::ForallOp);
      if (failed(tiled)) {
        op->emitOpError("could not be split into parallel chunks");
        return signalPassFailure();
      }
      auto chunk = cast<linalg::LinalgOp>(tiled->tiledOps.front());
      if (failed(blockStridedReads(rewriter, chunk)))
        return signalPassFailure();
    }
    // Copies of rows, in chunks or too small for threads.
    getOperation().walk([&](linalg::LinalgOp op) {
      if (copiedRow(op))
        copies.push_back(op);
    });
    for (linalg::LinalgOp op : copies)
      if (failed(copyRowsAsVectors(rewriter, op)))
        return signalPassFailure();
  }
};

} // namespace

} // namespace fungible
