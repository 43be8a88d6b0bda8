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
#include "mlir/Dialect/Math/IR/Math.h"
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
  /// blocks. Rows that stay short (an image's NCHW -> NHWC of 3 channels:
  /// (n, hw, c) = (1, 1024, 3)) are collapsed too: LLVM vectorises the
  /// long loop around them as one interleaving store (3 channels of 16
  /// pixels a step), where it left the 32 pixels of a 32 x 32 image's
  /// rows scalar (1.0-1.5 us for its 3072 elements). Leaves `op` as it is
  /// when it is no such transpose or its operands are not contiguous
  /// buffers.
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
    if (runs.size() == ranges.size())
      return success();
    linalg::LinalgOp generic = op;
    if (succeeded(collapseLoops(rewriter, generic, runs)))
      return success();
    if (!isa<linalg::GenericOp>(generic.getOperation()))
      return op->emitOpError("could not be written as a generic op");
    return generic->emitOpError("could not collapse its contiguous loops");
  }

  /// `op` with its loops merged by `groups` (upstream's
  /// collapseOpIterationDims on its generic form, which replaces it): the
  /// op that computes it now, or failure with `op` left in place (`op` is
  /// the generic op by then if it was a named one that generalised).
  static FailureOr<linalg::LinalgOp>
  collapseLoops(RewriterBase &rewriter, linalg::LinalgOp &op,
                ArrayRef<ReassociationIndices> groups) {
    rewriter.setInsertionPoint(op);
    if (!isa<linalg::GenericOp>(op.getOperation())) {
      FailureOr<linalg::GenericOp> general =
          linalg::generalizeNamedOp(rewriter, op);
      if (failed(general))
        return failure();
      op = *general;
    }
    FailureOr<linalg::CollapseResult> collapsed =
        linalg::collapseOpIterationDims(op, groups, rewriter);
    if (failed(collapsed))
      return failure();
    rewriter.replaceOp(op, collapsed->results);
    return cast<linalg::LinalgOp>(collapsed->collapsedOp.getOperation());
  }

  /// The rows of an elementwise op computed as vectors (vectorizeRows): of
  /// 16 bytes to 4 AVX-512 registers. LLVM vectorises the loops of longer
  /// rows itself, and better: a [64, 128, 128] -> [128, 64, 128] transpose
  /// took 62-107 us as vectors of 128 elements, 59-63 as its loops.
  static constexpr int64_t kMinVectorRowBytes = 16;
  static constexpr int64_t kMaxVectorRowBytes = 256;

  /// Whether `op` may be computed as vectors: arith ops, and the math ops
  /// x86 has instructions for (the others, approximated earlier or calls of
  /// libm, would become a call per lane).
  static bool vectorBody(linalg::LinalgOp op) {
    return llvm::all_of(
        op.getBlock()->without_terminator(), [](Operation &inner) {
          return isa<arith::ArithDialect>(inner.getDialect()) ||
                 isa<math::SqrtOp, math::RsqrtOp, math::AbsFOp, math::FmaOp,
                     math::CopySignOp, math::FloorOp, math::CeilOp>(inner);
        });
  }

  /// Whether `op` is elementwise on rows of kMinVectorRowBytes to
  /// kMaxVectorRowBytes: every loop parallel, every extent static, its
  /// output read in loop order, each operand a buffer of 8-bit or wider
  /// elements that is read along the innermost loop (the row) at stride 1
  /// (through any permutation of the other loops: a transpose of outer
  /// dimensions, BERT's heads [B, S, H, D] -> [B, H, S, D]) or not indexed
  /// by it (a value broadcast over the row: a squeeze-excitation gate); its
  /// body vectorBody.
  static bool onShortRows(linalg::LinalgOp op) {
    unsigned loops = op.getNumLoops();
    if (!op.hasPureBufferSemantics() || loops < 2 || op.getNumDpsInits() != 1 ||
        op.getNumReductionLoops() != 0 ||
        !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity() ||
        !vectorBody(op))
      return false;
    AffineExpr innermost = getAffineDimExpr(loops - 1, op.getContext());
    for (OpOperand &operand : op->getOpOperands()) {
      auto type = dyn_cast<MemRefType>(operand.get().getType());
      SmallVector<int64_t> strides;
      int64_t offset;
      if (!type || !type.hasStaticShape() ||
          !type.getElementType().isIntOrFloat() ||
          type.getElementType().getIntOrFloatBitWidth() < 8 ||
          failed(type.getStridesAndOffset(strides, offset)))
        return false;
      AffineMap map = op.getMatchingIndexingMap(&operand);
      if (!map.isProjectedPermutation(/*allowZeroInResults=*/true))
        return false;
      bool alongRows =
          map.getNumResults() != 0 && map.getResults().back() == innermost;
      if (alongRows ? strides.back() != 1 : map.isFunctionOfDim(loops - 1))
        return false;
    }
    Type element = getElementTypeOrSelf(op.getDpsInits()[0].getType());
    int64_t rowBytes = op.getStaticLoopRanges().back() * byteWidth(element);
    return rowBytes >= kMinVectorRowBytes && rowBytes <= kMaxVectorRowBytes &&
           succeeded(linalg::vectorizeOpPrecondition(op));
  }

  /// Computes an elementwise op on short rows (onShortRows) a row at a
  /// time as vectors: the loops around the rows scf.for, each row's op
  /// vectorised (a vector read per operand, the body on vectors, a vector
  /// write). LLVM's loop vectoriser leaves loops that short scalar: it
  /// would need a runtime check that the pointers do not overlap, which its
  /// cost model prices above the saving. BERT's [64, 32, 8, 64] -> [64, 8, 32,
  /// 64] head transpose (rows of 64) took 160-190 us, an element a cycle, 57-83
  /// as vectors; MobileNetV3's squeeze-excitation scaling of an 8 x 8 x 16
  /// image (rows of 16) 1.97 us, 0.40-0.53.
  static LogicalResult vectorizeRows(RewriterBase &rewriter,
                                     linalg::LinalgOp op) {
    SmallVector<int64_t> sizes(op.getNumLoops(), 1);
    sizes.back() = 0;
    FailureOr<scf::SCFTilingResult> rows =
        tileAndReplace(rewriter, cast<TilingInterface>(op.getOperation()),
                       sizes, scf::SCFTilingOptions::LoopType::ForOp);
    if (failed(rows))
      return op->emitOpError("could not be cut into rows");
    Operation *tiled = rows->tiledOps.front();
    rewriter.setInsertionPoint(tiled);
    if (failed(linalg::vectorize(rewriter, tiled)))
      return tiled->emitOpError("could not be vectorised by rows");
    rewriter.eraseOp(tiled);
    return success();
  }

  /// An elementwise op whose innermost loops are of one iteration (a
  /// concat into [7, 7, 128, 1]: rows of 64 channels, then a unit
  /// dimension; SqueezeNet's expand layers) as a generic op on collapsed
  /// views with those loops merged into the row's, so that its rows are its
  /// innermost loop (onShortRows) as they are in memory: LLVM left its
  /// 64-element rows scalar, an element at a time (SqueezeNet's two
  /// [7, 7, 64, 1] halves 2.9 us). Returns the op that computes it now
  /// (`op` when it is no such op, or when an operand does not index the
  /// row and its unit loops one after the other).
  static linalg::LinalgOp dropTrailingUnitLoops(RewriterBase &rewriter,
                                                linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (!op.hasPureBufferSemantics() || ranges.size() < 2 ||
        ranges.back() != 1 || op.getNumReductionLoops() != 0 ||
        llvm::any_of(ranges, ShapedType::isDynamic) ||
        llvm::all_of(ranges, [](int64_t r) { return r == 1; }))
      return op;
    unsigned row = ranges.size() - 1;
    while (ranges[row] == 1)
      --row;
    SmallVector<ReassociationIndices> groups;
    for (unsigned loop = 0; loop < row; ++loop)
      groups.push_back({int64_t(loop)});
    groups.push_back(
        llvm::to_vector(llvm::seq<int64_t>(row, int64_t(ranges.size()))));
    if (!linalg::areDimSequencesPreserved(op.getIndexingMapsArray(), groups))
      return op;
    FailureOr<linalg::LinalgOp> collapsed = collapseLoops(rewriter, op, groups);
    return succeeded(collapsed) ? *collapsed : op;
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
    // Elementwise ops on short rows, in chunks or too small for threads;
    // rows followed by unit dimensions first without them.
    SmallVector<linalg::LinalgOp> all, rowed;
    getOperation().walk([&](linalg::LinalgOp op) { all.push_back(op); });
    for (linalg::LinalgOp op : all) {
      linalg::LinalgOp rows = dropTrailingUnitLoops(rewriter, op);
      if (onShortRows(rows))
        rowed.push_back(rows);
    }
    for (linalg::LinalgOp op : rowed)
      if (failed(vectorizeRows(rewriter, op)))
        return signalPassFailure();
  }
};

} // namespace

} // namespace fungible
