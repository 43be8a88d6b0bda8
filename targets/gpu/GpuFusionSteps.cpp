//===- GpuFusionSteps.cpp - Rewrites before a GPU kernel is tiled ---------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the rewrites GpuFusion.cpp applies to a kernel
// before it tiles it (GpuFusionSteps.h).
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuFusionSteps.h"
#include "targets/gpu/GpuSchedule.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace fungible::gpu_fusion {

using gpu_kernels::reductionLanes;

bool isContractionLike(Operation *op) {
  if (isa<linalg::ContractionOpInterface, linalg::ConvolutionOpInterface>(op))
    return true;
  // A generic that is one (a matmul a reshape was moved through).
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && (linalg::isaContractionOpInterface(linalgOp) ||
                      linalg::isaConvolutionOpInterface(linalgOp));
}

/// A bound on the rewrites of one greedy application: patterns that undo
/// each other end in an error rather than in memory exhaustion.
static GreedyRewriteConfig bounded() {
  GreedyRewriteConfig config;
  config.setMaxNumRewrites(100000);
  return config;
}

/// Whether `op` is a matrix-vector product on the CUDA cores: a
/// contraction (not a convolution) of f32 or f64 operands whose only
/// reduction loop is its last and long enough for reductionLanes, and
/// whose loops only the first operand reads (its rows) are all of one
/// iteration. Its K, split like a row's sum, gives it threads: a tile of
/// a few outputs has a thread for each partial sum (VGG-11's 1 x 25088 x
/// 4096 classifier: 512 CTAs of 128 threads walking 1568 steps).
static bool isThinContraction(linalg::LinalgOp op) {
  if (!isContractionLike(op) || isa<linalg::ConvolutionOpInterface>(*op) ||
      linalg::isaConvolutionOpInterface(op) || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 1)
    return false;
  Type element = getElementTypeOrSelf(op.getDpsInputs()[0].getType());
  if (!element.isF32() && !element.isF64())
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned last = op.getNumLoops() - 1;
  if (iterators[last] != utils::IteratorType::reduction ||
      llvm::any_of(ranges, ShapedType::isDynamic) ||
      !reductionLanes(ranges[last]))
    return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  bool cols = false;
  for (unsigned d = 0; d < last; ++d) {
    bool a = maps[0].isFunctionOfDim(d), b = maps[1].isFunctionOfDim(d);
    if (a && !b && ranges[d] != 1)
      return false;
    cols |= b && !a && ranges[d] > 1;
  }
  return cols;
}

void convolutionsAsMatrixVectorProducts(func::FuncOp func) {
  SmallVector<linalg::Conv2DNhwcHwcfOp> convs;
  func.walk([&](linalg::Conv2DNhwcHwcfOp op) {
    auto shapeOf = [&](Value v) {
      return cast<ShapedType>(v.getType()).getShape();
    };
    Type element = getElementTypeOrSelf(op.getInputs()[0].getType());
    if (op.hasPureTensorSemantics() &&
        llvm::all_of(
            op->getOperandTypes(),
            [&](Type t) { return getElementTypeOrSelf(t) == element; }) &&
        (element.isF32() || element.isF64()) &&
        gpu_kernels::isMatrixVectorConvolution(
            shapeOf(op.getInputs()[0]), shapeOf(op.getInputs()[1]),
            shapeOf(op.getOutputs()[0]), /*groups=*/1) &&
        reductionLanes(shapeOf(op.getInputs()[0])[3]))
      convs.push_back(op);
  });
  IRRewriter rewriter(func.getContext());
  // [1, 1, 1, C] -> [1, C]; [1, 1, C, F] -> [C, F]; [1, 1, 1, F] -> [1, F].
  SmallVector<ReassociationIndices> outer{{0, 1, 2}, {3}};
  for (linalg::Conv2DNhwcHwcfOp op : convs) {
    rewriter.setInsertionPoint(op);
    Location loc = op.getLoc();
    auto collapse = [&](Value v) -> Value {
      return tensor::CollapseShapeOp::create(rewriter, loc, v, outer);
    };
    // A fill of the image (the zeros a wl.conv2d starts from) is a fill of
    // the row, which the tile fuses as it does a matmul's.
    Value init;
    if (auto fill = op.getOutputs()[0].getDefiningOp<linalg::FillOp>()) {
      auto type = cast<RankedTensorType>(op.getResultTypes()[0]);
      Value empty = tensor::EmptyOp::create(
          rewriter, loc, ArrayRef<int64_t>{1, type.getDimSize(3)},
          type.getElementType());
      init = linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
                 .getResult(0);
    } else {
      init = collapse(op.getOutputs()[0]);
    }
    auto matmul = linalg::MatmulOp::create(
        rewriter, loc, init.getType(),
        ValueRange{collapse(op.getInputs()[0]), collapse(op.getInputs()[1])},
        ValueRange{init});
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, op.getResultTypes()[0], matmul.getResult(0), outer);
  }
}

/// Splits each long innermost reduction of a generic (a norm's or
/// softmax's row sums), and of a matrix-vector product
/// (isThinContraction), into reductionLanes interleaved partial sums, a
/// parallel loop, and their combination: in a tile of a few rows, the
/// partial sums spread over the CTA's threads where the rows alone would
/// keep most of them idle. Upstream's splitReduction; the order of the
/// additions changes (as in any parallel reduction). The partial sums of
/// a split contraction carry kSplitLanesAttr.
void splitRowReductions(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  SmallVector<linalg::LinalgOp> reductions, contractions;
  func.walk([&](linalg::LinalgOp op) {
    if (isThinContraction(op)) {
      contractions.push_back(op);
      return;
    }
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic)
      return;
    SmallVector<unsigned> dims;
    generic.getReductionDims(dims);
    SmallVector<int64_t> ranges = generic.getStaticLoopRanges();
    // A contraction's reduction is not a row's: a 2048x4096x4096 matmul
    // written as a generic was split so, and ran in 16-point tiles.
    if (dims.size() == 1 && dims.front() == generic.getNumLoops() - 1 &&
        generic.getNumDpsInits() == 1 && generic.getNumLoops() >= 2 &&
        !isContractionLike(generic) && reductionLanes(ranges.back()))
      reductions.push_back(op);
  });
  // Failure (a combiner it does not know) leaves the op as it is; a split
  // contraction's partial sums are marked with their lanes.
  auto split = [&](linalg::LinalgOp op, bool contraction) {
    rewriter.setInsertionPoint(op);
    int64_t lanes = reductionLanes(op.getStaticLoopRanges().back());
    FailureOr<linalg::SplitReductionResult> result =
        linalg::splitReduction(rewriter, op, [&](linalg::LinalgOp) {
          linalg::SplitReductionOptions options;
          options.ratio = lanes;
          options.index = op.getNumLoops() - 1;
          options.innerParallel = true;
          return options;
        });
    if (succeeded(result) && contraction)
      result->splitLinalgOp->setAttr(kSplitLanesAttr,
                                     rewriter.getI64IntegerAttr(lanes));
  };
  for (linalg::LinalgOp op : reductions)
    split(op, /*contraction=*/false);
  for (linalg::LinalgOp op : contractions) {
    if (!isa<linalg::GenericOp>(op.getOperation())) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::GenericOp> generic =
          linalg::generalizeNamedOp(rewriter, op);
      if (failed(generic))
        continue;
      op = *generic;
    }
    split(op, /*contraction=*/true);
  }
}

/// Gives an op that accumulates into an argument (a linalg.matmul writing
/// into its input) an explicit copy of it, which a tile then fuses;
/// bufferisation would otherwise copy the whole argument in a launch of
/// its own.
void copyAccumulatedArguments(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  func.walk([&](linalg::LinalgOp op) {
    for (OpOperand &init : op.getDpsInitsMutable()) {
      auto arg = dyn_cast<BlockArgument>(init.get());
      if (!arg || arg.getOwner() != &func.getBody().front() ||
          !isa<RankedTensorType>(arg.getType()))
        continue;
      rewriter.setInsertionPoint(op);
      Value empty = tensor::EmptyOp::create(
          rewriter, op.getLoc(),
          tensor::getMixedSizes(rewriter, op.getLoc(), arg),
          cast<RankedTensorType>(arg.getType()).getElementType());
      init.set(linalg::CopyOp::create(rewriter, op.getLoc(), arg, empty)
                   .getResult(0));
    }
  });
}

/// Generalises every named op but contractions, convolutions and fills,
/// then fuses elementwise producers with one use into their consumers.
LogicalResult fuseElementwise(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  SmallVector<linalg::LinalgOp> named;
  func.walk([&](linalg::LinalgOp op) {
    if (!isa<linalg::GenericOp, linalg::FillOp>(op) && !isContractionLike(op))
      named.push_back(op);
  });
  for (linalg::LinalgOp op : named) {
    rewriter.setInsertionPoint(op);
    if (failed(linalg::generalizeNamedOp(rewriter, op)))
      return op->emitError("cannot generalise this op for GPU fusion");
  }
  RewritePatternSet patterns(func.getContext());
  auto oneUse = [](OpOperand *fused) {
    Operation *producer = fused->get().getDefiningOp();
    return producer && producer->hasOneUse();
  };
  // A producer with one use, fused into (or a reshape moved into) a
  // consumer that is not `excluded`.
  auto oneUseNotInto = [oneUse](auto excluded) {
    return [oneUse, excluded](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      return oneUse(fused) && !(consumer && excluded(consumer));
    };
  };
  // Nothing is fused into a contraction (a batch matmul that moving a
  // reshape made a generic): its body stays a multiply-accumulate, which
  // then accumulates with FMAs as the reference does
  // (fungible-cpu-fuse-contractions), and the producer runs once per
  // element, not once per element and step of the reduction.
  linalg::populateElementwiseOpsFusionPatterns(
      patterns, oneUseNotInto([](linalg::LinalgOp op) {
        return linalg::isaContractionOpInterface(op);
      }));
  // Reshapes between elementwise ops (a unit dim dropped or added) move out
  // of the way, as in upstream's linalg-fuse-elementwise-ops. Not into a
  // matrix-vector product: VGG-11's flattened image, moved into its
  // classifier, made it a contraction over three loops, which
  // splitRowReductions does not split (and a splat weight then folded
  // into its body: a 2-CTA row sum).
  linalg::populateFoldReshapeOpsByExpansionPatterns(
      patterns, oneUseNotInto(isThinContraction));
  tensor::populateFoldTensorEmptyPatterns(patterns);
  return applyPatternsGreedily(func, std::move(patterns), bounded());
}

/// The pieces of a concat of equal pieces, in order, and the dimension
/// they are stacked on, when `last` ends a chain of tensor.insert_slice
/// ops (each but the last with one use) into a tensor.empty whose slices
/// have the same static shape, unit strides, and tile the destination
/// along one dimension: what wl.concat lowers to.
static std::optional<std::pair<SmallVector<Value>, unsigned>>
matchEqualConcat(tensor::InsertSliceOp last) {
  RankedTensorType type = last.getResultType();
  if (!type.hasStaticShape())
    return std::nullopt;
  SmallVector<tensor::InsertSliceOp> chain = {last};
  while (!chain.back().getDest().getDefiningOp<tensor::EmptyOp>()) {
    auto prev = chain.back().getDest().getDefiningOp<tensor::InsertSliceOp>();
    if (!prev || !prev->hasOneUse())
      return std::nullopt;
    chain.push_back(prev);
  }
  if (chain.size() < 2)
    return std::nullopt;
  std::optional<unsigned> dim;
  SmallVector<std::pair<int64_t, Value>> pieces;
  for (tensor::InsertSliceOp op : chain) {
    if (op.getSourceType().getRank() != type.getRank() ||
        !op.getSourceType().hasStaticShape() ||
        op.getSourceType().getShape() !=
            chain.front().getSourceType().getShape() ||
        llvm::any_of(op.getStaticStrides(), [](int64_t s) { return s != 1; }) ||
        llvm::any_of(op.getStaticOffsets(), ShapedType::isDynamic))
      return std::nullopt;
    for (unsigned d = 0; d < type.getRank(); ++d) {
      int64_t offset = op.getStaticOffsets()[d];
      if (op.getSourceType().getDimSize(d) == type.getDimSize(d)) {
        if (offset != 0)
          return std::nullopt;
        continue;
      }
      if (dim && *dim != d)
        return std::nullopt;
      dim = d;
      pieces.push_back({offset, op.getSource()});
    }
  }
  if (!dim)
    return std::nullopt;
  llvm::sort(pieces, [](auto &a, auto &b) { return a.first < b.first; });
  int64_t extent = chain.front().getSourceType().getDimSize(*dim);
  for (auto [i, piece] : llvm::enumerate(pieces))
    if (piece.first != static_cast<int64_t>(i) * extent)
      return std::nullopt;
  if (static_cast<int64_t>(pieces.size()) * extent != type.getDimSize(*dim))
    return std::nullopt;
  return std::make_pair(llvm::to_vector(llvm::make_second_range(pieces)), *dim);
}

/// Rewrites each concat of equal pieces (matchEqualConcat) as a generic
/// that a tile loop can take as its root: over the result with the
/// concatenated dimension split into (piece, position), each point selects
/// its piece's value. A concat left as insert_slices is a copy launched on
/// its own per piece, and its pieces' producers launched apart; as a
/// generic, every tile computes its slice of each piece and stores it.
void concatsAsGenerics(func::FuncOp func) {
  SmallVector<tensor::InsertSliceOp> lasts;
  func.walk([&](tensor::InsertSliceOp op) {
    if (!llvm::all_of(
            op->getUsers(),
            [](Operation *u) { return isa<tensor::InsertSliceOp>(u); }) ||
        op->use_empty())
      lasts.push_back(op);
  });
  IRRewriter rewriter(func.getContext());
  for (tensor::InsertSliceOp last : lasts) {
    auto concat = matchEqualConcat(last);
    if (!concat)
      continue;
    auto [pieces, dim] = *concat;
    RankedTensorType type = last.getResultType();
    unsigned rank = type.getRank();
    SmallVector<int64_t> shape(type.getShape());
    shape[dim] /= pieces.size();
    shape.insert(shape.begin() + dim, pieces.size());
    Location loc = last.getLoc();
    rewriter.setInsertionPoint(last);
    Value init =
        tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
    MLIRContext *ctx = func.getContext();
    SmallVector<AffineExpr> pieceExprs;
    for (unsigned d = 0; d <= rank; ++d)
      if (d != dim)
        pieceExprs.push_back(getAffineDimExpr(d, ctx));
    SmallVector<AffineMap> maps(pieces.size(),
                                AffineMap::get(rank + 1, 0, pieceExprs, ctx));
    maps.push_back(AffineMap::getMultiDimIdentityMap(rank + 1, ctx));
    SmallVector<utils::IteratorType> iterators(rank + 1,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), pieces, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value index = linalg::IndexOp::create(b, l, dim);
          Value value = args[pieces.size() - 1];
          for (int64_t i = pieces.size() - 2; i >= 0; --i) {
            Value isPiece =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, index,
                                      arith::ConstantIndexOp::create(b, l, i));
            value = arith::SelectOp::create(b, l, isPiece, args[i], value);
          }
          linalg::YieldOp::create(b, l, value);
        });
    generic->setAttr(kPieceLoopAttr, rewriter.getI64IntegerAttr(dim));
    SmallVector<ReassociationIndices> groups;
    for (unsigned d = 0; d < rank; ++d)
      groups.push_back(d < dim    ? ReassociationIndices{d}
                       : d == dim ? ReassociationIndices{d, d + 1}
                                  : ReassociationIndices{d + 1});
    Value result = tensor::CollapseShapeOp::create(
        rewriter, loc, type, generic.getResult(0), groups);
    Value dest = last.getDest();
    rewriter.replaceOp(last, result);
    while (auto prev = dest.getDefiningOp<tensor::InsertSliceOp>()) {
      dest = prev.getDest();
      rewriter.eraseOp(prev);
    }
  }
}

} // namespace fungible::gpu_fusion
