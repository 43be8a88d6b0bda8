//===- CpuMatmulSchedule.cpp - The CPU matmul and conv schedule -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements fungible-cpu-vectorize-matmuls (CpuPasses.td): the
// schedule of the host's matmuls and batch matmuls (cache tiles as an
// scf.forall, register tiles of FMAs, accumulators hoisted out of the K
// loop) and the vectorisation of NHWC convolutions onto the same
// contractions.
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/CpuPackOperands.h"
#include "targets/cpu/CpuPasses.h"
#include "targets/cpu/CpuTiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

using namespace mlir;

namespace fungible {
#define GEN_PASS_DEF_CPUVECTORIZEMATMULSPASS
#include "targets/cpu/CpuPasses.h.inc"

namespace {

/// The schedule for matmuls on memrefs: 256x128x128 cache tiles, 4x64
/// register tiles (vectorised with masks where they do not divide a
/// dynamic or transposed shape; static plain shapes are cut so that they
/// divide, CpuMatmulEdges.cpp, and the parts narrower than a register
/// tile, tiled there, vectorised first as they are), contractions
/// lowered to outer-product FMAs (the accumulator's reads and writes are
/// then hoisted out of the K loop by hoistAccumulators: the script's
/// hoist_redundant_vector_transfers declines tiles that are views). The
/// (M, N) cache tiles form an scf.forall:
/// each tile owns its block of C, so the tiles run on any number of
/// threads in any order and give the same bits (the K order inside a tile
/// is fixed); a matmul of one cache tile has no forall left after
/// canonicalisation, so small matmuls pay no fork. Chosen by a sweep on
/// the project's 2-vCPU AVX-512 EPYC VM (benchmarks/RESULTS.md), f32
/// GFLOP/s on one core at 256/1024/2048: 4x64 with 128x256x128: 98/80/77
/// (OpenBLAS: 95/94/96); 4x64 with 128x128x128: 93/88/68; 4x32: 73/57/47; 8x32:
/// 72/33; 6x32 and 3x64 (ragged: masked): 15-41. With FMAs (2026-12-03),
/// two threads at 256/1024/2048: 128x256: 190/154-179/145-151; 256x128:
/// 176/160-172/162-176 (one thread: 106/85-87/78-85 against 106/76-84/71-80);
/// 512x256: 37/170/160; 256x128 with K tiles of 256: 173/173/164. Taller
/// tiles stream B fewer times.
/// The (M, N) cache tiles (matmulCacheTile, per matmul) are tiled before
/// the script runs (tileCacheBlocks). Written with @CK@, @RM@ and @RN@ for
/// the tile sizes of CpuLowering.h (matmulSchedule() puts them in).
constexpr const char *kMatmulSchedule = R"mlir(
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(
      %root: !transform.any_op {transform.readonly}) {
    // The register tiles tileRegisterEdges made (kRegisterEdgeAttr), as
    // they are: static, no masks. A single row's vectors then drop their
    // unit dimension: left in, the lowering patterns below rewrote its
    // broadcasts back and forth without end (ub.poison, from_elements).
    %edges = transform.structured.match ops{["linalg.matmul"]}
      attributes{fungible.register_edge} in %root
      : (!transform.any_op) -> !transform.any_op
    transform.structured.vectorize %edges {create_named_contraction}
      : !transform.any_op
    %edgeFuncs = transform.structured.match ops{["func.func"]} in %root
      : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %edgeFuncs {
      transform.apply_patterns.vector.cast_away_vector_leading_one_dim
    } : !transform.any_op
    %mm = transform.structured.match ops{["linalg.matmul"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %t1, %l1 = transform.structured.tile_using_for %mm
      tile_sizes [0, 0, @CK@]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %t2, %l2:3 = transform.structured.tile_using_for %t1 tile_sizes [@RM@, @RN@, 1]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                !transform.any_op, !transform.any_op)
    transform.structured.vectorize %t2 vector_sizes [@RM@, @RN@, 1]
      {create_named_contraction} : !transform.any_op
    %bmm = transform.structured.match ops{["linalg.batch_matmul"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %b1, %bl1 = transform.structured.tile_using_for %bmm
      tile_sizes [0, 0, 0, @CK@]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %b2, %bl2:4 = transform.structured.tile_using_for %b1
      tile_sizes [1, @RM@, @RN@, 1]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op,
                                !transform.any_op, !transform.any_op,
                                !transform.any_op)
    transform.structured.vectorize %b2 vector_sizes [1, @RM@, @RN@, 1]
      : !transform.any_op
    %funcs = transform.structured.match ops{["func.func"]} in %root
      : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %funcs {
      transform.apply_patterns.vector.lower_masked_transfers
      transform.apply_patterns.vector.lower_contraction
        lowering_strategy = "outerproduct"
      transform.apply_patterns.vector.lower_outerproduct
      transform.apply_patterns.vector.transfer_permutation_patterns
      transform.apply_patterns.vector.lower_transfer max_transfer_rank = 1
      transform.apply_patterns.vector.lower_transpose
      transform.apply_patterns.vector.lower_broadcast
      transform.apply_patterns.canonicalization
    } : !transform.any_op
    transform.apply_cse to %funcs : !transform.any_op
    %hoisted = transform.structured.hoist_redundant_vector_transfers %funcs
      : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
)mlir";

/// kMatmulSchedule with the tile sizes of CpuLowering.h.
std::string matmulSchedule() {
  std::string text = kMatmulSchedule;
  for (auto [token, value] :
       {std::pair<StringRef, int64_t>{"@CK@", kCacheTileK},
        {"@RM@", kRegisterTileM},
        {"@RN@", kRegisterTileN}})
    for (size_t at = text.find(token.str()); at != std::string::npos;
         at = text.find(token.str(), at))
      text.replace(at, token.size(), std::to_string(value));
  return text;
}

/// The loops a schedule tiles a contraction `op` of these loop `ranges`
/// into: an scf.forall (run on the threads) when contractionWorthThreads
/// for its iterations and the bytes of `rhs` (a dynamic range or shape
/// counting as enough); else an scf.for. Inside a parallel loop already (a
/// batch element's, an attention tile's) an scf.for too: OpenMP would run
/// a nested region on the one thread that reaches it, but still enter and
/// leave a region of its own each time.
scf::SCFTilingOptions::LoopType tileLoops(Operation *op,
                                          ArrayRef<int64_t> ranges, Value rhs) {
  if (insideParallelLoop(op))
    return scf::SCFTilingOptions::LoopType::ForOp;
  double iterations = 1;
  for (int64_t r : ranges)
    iterations = ShapedType::isDynamic(r) ? double(kMinParallelMultiplyAdds)
                                          : iterations * double(r);
  auto type = dyn_cast<ShapedType>(rhs.getType());
  double bytes = type && type.hasStaticShape()
                     ? double(type.getNumElements()) *
                           double(byteWidth(type.getElementType()))
                     : double(kMinParallelOperandBytes);
  return contractionWorthThreads(iterations, bytes)
             ? scf::SCFTilingOptions::LoopType::ForallOp
             : scf::SCFTilingOptions::LoopType::ForOp;
}

/// Vectorises an NHWC convolution on memrefs (`linalg.conv_2d_nhwc_hwcf`
/// or `linalg.depthwise_conv_2d_nhwc_hwc`, static shapes, floats), or a
/// pooling (`linalg.pooling_nhwc_sum`, `linalg.pooling_nhwc_max`: a
/// depthwise convolution's loops, the window its filter; its window rows
/// 1-D poolings, vector adds or maxes into the tile): output
/// tiles of OWt x Ft (4 x 64 when they divide: the matmul's register tile)
/// as an scf.forall when the convolution has enough work for threads,
/// each looping over the filter rows and input-channel tiles; the tile's
/// one filter row is a 1-D convolution on rank-reduced views, which
/// upstream's vectoriser turns into one contraction per filter column
/// (outer-product FMAs once lowered, with the accumulator hoisted out of
/// the loops by the matmul schedule's patterns). Upstream's 2-D to 1-D
/// decomposition works on tensors only; this is it on buffers. Every
/// device's host code goes through here, so outputs stay equal across
/// them. Returns failure (the op left as it is) when a shape does not fit.
LogicalResult vectorizeConvolution(RewriterBase &rewriter,
                                   linalg::LinalgOp op) {
  // A pooling op's loops are a depthwise convolution's, its window the
  // filter: tiled alike.
  bool pooling = isa<linalg::PoolingNhwcSumOp, linalg::PoolingNhwcMaxOp>(op);
  bool depthwise = pooling || isa<linalg::DepthwiseConv2DNhwcHwcOp>(op);
  if (!op.hasPureBufferSemantics() || op.hasIndexSemantics())
    return failure();
  for (Value v : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return failure();
  }
  // Loops: conv (n, oh, ow, f, kh, kw, c); depthwise (n, oh, ow, c, kh, kw).
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto [owTile, laneTile] = convolutionTile(ranges[2], ranges[3], depthwise);
  SmallVector<int64_t> outer(ranges.size(), 0), inner(ranges.size(), 0);
  outer[0] = outer[1] = 1;
  outer[2] = owTile;
  outer[3] = laneTile;
  inner[4] = 1; // one filter row at a time
  if (!depthwise)
    inner[6] = dividingTile(ranges[6], {8, 4, 2}, 1);

  // A pooling's tiles go on the threads as the elementwise loops do
  // (kMinParallelIterations), as the host model counts them.
  double iterations = 1;
  for (int64_t r : ranges)
    iterations *= double(r);
  FailureOr<scf::SCFTilingResult> tiled =
      tileAndReplace(rewriter, cast<TilingInterface>(op.getOperation()), outer,
                     !pooling ? tileLoops(op, ranges, op.getDpsInputs()[1])
                     : iterations >= double(kMinParallelIterations)
                         ? scf::SCFTilingOptions::LoopType::ForallOp
                         : scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(tiled))
    return failure();
  FailureOr<scf::SCFTilingResult> rows =
      tileAndReplace(rewriter, cast<TilingInterface>(tiled->tiledOps.front()),
                     inner, scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(rows))
    return failure();

  // One filter row of one output row: drop the unit H dimensions.
  auto conv2d = cast<linalg::LinalgOp>(rows->tiledOps.front());
  Location loc = conv2d.getLoc();
  rewriter.setInsertionPoint(conv2d);
  auto dropH = [&](Value view, unsigned dim) {
    ArrayRef<int64_t> shape = cast<MemRefType>(view.getType()).getShape();
    SmallVector<int64_t> reduced(shape);
    reduced.erase(reduced.begin() + dim);
    return memref::createCanonicalRankReducingSubViewOp(rewriter, loc, view,
                                                        reduced);
  };
  Value input = dropH(conv2d.getDpsInputs()[0], 1);
  Value filter = dropH(conv2d.getDpsInputs()[1], 0);
  Value output = dropH(conv2d.getDpsInits()[0], 1);
  auto oneD = [&](DenseIntElementsAttr attr) {
    auto values = llvm::to_vector(attr.getValues<int64_t>());
    return DenseIntElementsAttr::get(
        RankedTensorType::get({1}, rewriter.getI64Type()),
        ArrayRef<int64_t>{values[1]});
  };
  Operation *conv1d;
  if (auto sum = dyn_cast<linalg::PoolingNhwcSumOp>(*conv2d)) {
    conv1d = linalg::PoolingNwcSumOp::create(
        rewriter, loc, TypeRange(), ValueRange{input, filter},
        ValueRange{output}, oneD(sum.getStrides()), oneD(sum.getDilations()));
  } else if (auto max = dyn_cast<linalg::PoolingNhwcMaxOp>(*conv2d)) {
    conv1d = linalg::PoolingNwcMaxOp::create(
        rewriter, loc, TypeRange(), ValueRange{input, filter},
        ValueRange{output}, oneD(max.getStrides()), oneD(max.getDilations()));
  } else if (auto dw = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(*conv2d)) {
    conv1d = linalg::DepthwiseConv1DNwcWcOp::create(
        rewriter, loc, TypeRange(), ValueRange{input, filter},
        ValueRange{output}, oneD(dw.getStrides()), oneD(dw.getDilations()));
  } else {
    auto nhwc = cast<linalg::Conv2DNhwcHwcfOp>(*conv2d);
    conv1d = linalg::Conv1DNwcWcfOp::create(
        rewriter, loc, TypeRange(), ValueRange{input, filter},
        ValueRange{output}, oneD(nhwc.getStrides()), oneD(nhwc.getDilations()));
  }
  rewriter.eraseOp(conv2d);
  if (failed(linalg::vectorize(rewriter, conv1d)))
    return failure();
  rewriter.eraseOp(conv1d);
  // The output tile's view does not change over the filter-row and
  // channel loops: hoisted, its reads and writes can be too.
  for (LoopLikeOpInterface loop : llvm::reverse(rows->loops))
    moveLoopInvariantCode(loop);
  return success();
}

/// Rewrites `op` as the matmul it is when convolutionIsMatmul says so:
/// [N*OH*OW, C] by [C, F] into [N*OH*OW, F], on collapsed views of its
/// buffers (identity layouts only: their rows are then one after the
/// other). The matmul schedule then tiles it as any. Returns failure, `op`
/// left as it is, otherwise.
LogicalResult convolutionAsMatmul(RewriterBase &rewriter, linalg::LinalgOp op) {
  auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation());
  if (!conv || !conv.hasPureBufferSemantics())
    return failure();
  SmallVector<MemRefType, 3> types;
  for (Value v : conv->getOperands()) {
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
      return failure();
    types.push_back(type);
  }
  ArrayRef<int64_t> filter = types[1].getShape(), out = types[2].getShape();
  bool f32 = llvm::all_of(
      types, [](MemRefType t) { return t.getElementType().isF32(); });
  bool unitStrides = llvm::all_of(conv.getStrides().getValues<int64_t>(),
                                  [](int64_t s) { return s == 1; });
  if (!convolutionIsMatmul(filter[0], filter[1], unitStrides, f32, out[2],
                           out[3]))
    return failure();
  rewriter.setInsertionPoint(conv);
  Location loc = conv.getLoc();
  auto rows = [&](Value view) -> Value {
    return memref::CollapseShapeOp::create(
        rewriter, loc, view, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  };
  Value a = rows(conv.getDpsInputs()[0]), b = rows(conv.getDpsInputs()[1]),
        c = rows(conv.getDpsInits()[0]);
  linalg::MatmulOp::create(rewriter, loc, ValueRange{a, b}, ValueRange{c});
  rewriter.eraseOp(conv);
  return success();
}

/// A vector read or write of a buffer: an unmasked transfer, or a
/// vector.load / vector.store (what the unit-dimension patterns make of a
/// transfer of one row).
struct VectorAccess {
  Value buffer;
  ValueRange indices;
  VectorType type;
  AffineMap map; ///< The transfer's permutation; null for a load or store.
};

/// `op` as a vector access when it is an unmasked `Transfer`
/// (transfer_read or transfer_write) or a `Plain` one (load or store).
template <typename Transfer, typename Plain>
std::optional<VectorAccess> accessOf(Operation *op) {
  if (auto transfer = dyn_cast<Transfer>(op))
    if (!transfer.getMask())
      return VectorAccess{transfer.getBase(), transfer.getIndices(),
                          transfer.getVectorType(),
                          transfer.getPermutationMap()};
  if (auto plain = dyn_cast<Plain>(op))
    return VectorAccess{plain.getBase(), plain.getIndices(),
                        plain.getVectorType(), AffineMap()};
  return std::nullopt;
}

/// Moves a vector read / write pair of one buffer (transfers or loads and
/// stores) out of `loop` when the buffer and indices are loop-invariant,
/// the read comes first and the loop touches the buffer nowhere else: the
/// vector becomes a loop-carried value (an accumulator tile in
/// registers). Upstream's hoist_redundant_vector_transfers declines
/// buffers that are views, which every tile is. The arithmetic and its
/// order are unchanged. Returns whether it moved one.
bool hoistTransferPair(RewriterBase &rewriter, scf::ForOp loop) {
  Block *body = loop.getBody();
  for (Operation &writeOp : *body) {
    std::optional<VectorAccess> write =
        accessOf<vector::TransferWriteOp, vector::StoreOp>(&writeOp);
    if (!write || !isa<MemRefType>(write->buffer.getType()) ||
        !loop.isDefinedOutsideOfLoop(write->buffer) ||
        !llvm::all_of(write->indices,
                      [&](Value v) { return loop.isDefinedOutsideOfLoop(v); }))
      continue;
    Operation *readOp = nullptr;
    for (Operation &candidate : *body) {
      std::optional<VectorAccess> read =
          accessOf<vector::TransferReadOp, vector::LoadOp>(&candidate);
      if (read && read->buffer == write->buffer &&
          read->indices == write->indices && read->type == write->type &&
          read->map == write->map && candidate.isBeforeInBlock(&writeOp))
        readOp = &candidate;
    }
    if (!readOp)
      continue;
    auto transfer = dyn_cast<vector::TransferReadOp>(readOp);
    if (transfer && !loop.isDefinedOutsideOfLoop(transfer.getPadding()))
      continue;
    bool onlyThese = llvm::all_of(write->buffer.getUses(), [&](OpOperand &use) {
      Operation *user = use.getOwner();
      return !loop->isAncestor(user) || user == readOp || user == &writeOp;
    });
    if (!onlyThese)
      continue;
    Value stored = writeOp.getOperand(0); // The vector, in both kinds.
    rewriter.moveOpBefore(readOp, loop);
    rewriter.moveOpAfter(&writeOp, loop);
    auto yield = [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
      return SmallVector<Value>{stored};
    };
    FailureOr<LoopLikeOpInterface> carried =
        cast<LoopLikeOpInterface>(loop.getOperation())
            .replaceWithAdditionalYields(rewriter, readOp->getResult(0),
                                         /*replaceInitOperandUsesInLoop=*/true,
                                         yield);
    if (failed(carried))
      return false;
    rewriter.modifyOpInPlace(&writeOp, [&] {
      writeOp.setOperand(0, carried->getOperation()->getResults().back());
    });
    return true;
  }
  return false;
}

/// Hoists accumulator tiles out of every loop of `root`, innermost first,
/// until none moves.
void hoistAccumulators(Operation *root) {
  IRRewriter rewriter(root->getContext());
  bool changed = true;
  while (changed) {
    changed = false;
    root->walk([&](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
    root->walk([&](scf::ForOp loop) {
      if (hoistTransferPair(rewriter, loop)) {
        changed = true;
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
  }
}

/// Rewrites each plain batch_matmul on buffers as a loop over its batch of
/// linalg.matmul on rank-reduced views, so that the matmul schedule (cache
/// tiles, register tiles, FMAs) applies to every batch element. The loop
/// is an scf.forall when there are at least two elements and enough work
/// for threads in all (contractionWorthThreads); one element's cache tiles are
/// then a loop inside it (tileLoops).
void splitBatchMatmuls(RewriterBase &rewriter, Operation *root) {
  SmallVector<linalg::BatchMatmulOp> ops;
  root->walk([&](linalg::BatchMatmulOp op) {
    if (isPlainNamedMatmul(op) && op.hasPureBufferSemantics())
      ops.push_back(op);
  });
  for (linalg::BatchMatmulOp op : ops) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    // One element: nothing to share out.
    FailureOr<scf::SCFTilingResult> tiled = tileAndReplace(
        rewriter, cast<TilingInterface>(op.getOperation()), {1, 0, 0, 0},
        ranges[0] == 1 ? scf::SCFTilingOptions::LoopType::ForOp
                       : tileLoops(op, ranges, op.getDpsInputs()[1]));
    if (failed(tiled))
      continue;
    auto tile = cast<linalg::LinalgOp>(tiled->tiledOps.front());
    rewriter.setInsertionPoint(tile);
    Location loc = tile.getLoc();
    auto dropBatch = [&](Value view) -> Value {
      auto shape = cast<MemRefType>(view.getType()).getShape();
      return memref::createCanonicalRankReducingSubViewOp(rewriter, loc, view,
                                                          shape.drop_front());
    };
    Value a = dropBatch(tile.getDpsInputs()[0]);
    Value b = dropBatch(tile.getDpsInputs()[1]);
    Value c = dropBatch(tile.getDpsInits()[0]);
    bool transposed;
    b = asRowMajorRhs(rewriter, loc, b, transposed);
    if (transposed)
      linalg::MatmulTransposeBOp::create(rewriter, loc, ValueRange{a, b},
                                         ValueRange{c});
    else
      linalg::MatmulOp::create(rewriter, loc, ValueRange{a, b}, ValueRange{c});
    rewriter.eraseOp(tile);
  }
}

/// Tiles each statically shaped matmul and batch matmul (one batch
/// element per tile) into an scf.forall of its cache tiles
/// (matmulCacheTile; a loop when contractionWorthThreads says one
/// thread), which kMatmulSchedule then tiles along K and into
/// register tiles.
LogicalResult tileCacheBlocks(RewriterBase &rewriter, Operation *root) {
  SmallVector<linalg::LinalgOp> ops;
  root->walk([&](linalg::LinalgOp op) {
    if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
        !llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
      ops.push_back(op);
  });
  auto tile = [&](linalg::LinalgOp op) -> LogicalResult {
    bool batched = isa<linalg::BatchMatmulOp>(op);
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    auto [cm, cn] = matmulCacheTile(ranges[batched], ranges[batched + 1]);
    SmallVector<int64_t> sizes = {cm, cn};
    if (batched)
      sizes.insert(sizes.begin(), 1);
    // Too little work is not worth a fork: the tiles are a loop (a 1 x 16
    // by 16 x 300 matmul was two threads' forall of 4800 FLOPs).
    FailureOr<scf::SCFTilingResult> tiled =
        tileAndReplace(rewriter, cast<TilingInterface>(op.getOperation()),
                       sizes, tileLoops(op, ranges, op.getDpsInputs()[1]));
    if (failed(tiled))
      return op->emitOpError("could not be cut into cache tiles");
    if (auto matmul = dyn_cast<linalg::MatmulOp>(tiled->tiledOps.front()))
      return packRhs(rewriter, matmul, cn);
    return success();
  };
  for (linalg::LinalgOp op : ops) {
    auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
    if (!matmul) {
      if (failed(tile(op)))
        return failure();
      continue;
    }
    // Rows and columns the cache tile does not divide are matmuls of their
    // own, each divided by its tile.
    for (linalg::MatmulOp part : splitCacheEdges(rewriter, matmul))
      if (failed(tile(part)))
        return failure();
  }
  return success();
}

/// Applies kMatmulSchedule to the module (after bufferisation).
struct CpuVectorizeMatmulsPass
    : impl::CpuVectorizeMatmulsPassBase<CpuVectorizeMatmulsPass> {
  CpuVectorizeMatmulsPass() = default;
  /// The parsed schedule is not copied: initialize parses it again.
  CpuVectorizeMatmulsPass(const CpuVectorizeMatmulsPass &other) : Base(other) {}

  LogicalResult initialize(MLIRContext *context) override {
    schedule = parseSourceString<ModuleOp>(matmulSchedule(), context);
    return success(static_cast<bool>(schedule));
  }

  void runOnOperation() override {
    // Convolutions first: their contractions are lowered by the schedule's
    // patterns with the matmuls'.
    SmallVector<linalg::LinalgOp> convolutions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp,
              linalg::PoolingNhwcSumOp, linalg::PoolingNhwcMaxOp>(op))
        convolutions.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    // A matmul with a loop of 0 adds nothing to C (no rows, no columns or
    // an empty sum), and upstream's tiling faults on it: it goes.
    SmallVector<linalg::LinalgOp> empty;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
          op.hasPureBufferSemantics() &&
          llvm::is_contained(op.getStaticLoopRanges(), 0))
        empty.push_back(op);
    });
    for (linalg::LinalgOp op : empty)
      rewriter.eraseOp(op);
    readPermutedBatchRhsInPlace(rewriter, getOperation());
    splitBatchMatmuls(rewriter, getOperation());
    bool vectorized = false;
    for (linalg::LinalgOp op : convolutions)
      if (failed(convolutionAsMatmul(rewriter, op)))
        vectorized |= succeeded(vectorizeConvolution(rewriter, op));
    // The 1-D convolutions' vectors carry the batch's unit dimension:
    // drop it, so that their contractions are the matmuls' 2-D ones.
    if (vectorized) {
      RewritePatternSet patterns(&getContext());
      vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
      vector::populateVectorTransferDropUnitDimsPatterns(patterns);
      GreedyRewriteConfig config;
      config.setMaxNumRewrites(100000);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                       config)))
        return signalPassFailure();
    }

    readTransposedRhsInPlace(rewriter, getOperation());
    if (failed(tileCacheBlocks(rewriter, getOperation())) ||
        failed(tileRegisterEdges(rewriter, getOperation())))
      return signalPassFailure();
    Operation *entry = nullptr;
    schedule->walk([&](transform::NamedSequenceOp op) { entry = op; });
    if (failed(transform::applyTransformNamedSequence(
            getOperation(), entry, *schedule, transform::TransformOptions())))
      return signalPassFailure();
    hoistAccumulators(getOperation());
  }

  OwningOpRef<ModuleOp> schedule;
};

} // namespace
} // namespace fungible
