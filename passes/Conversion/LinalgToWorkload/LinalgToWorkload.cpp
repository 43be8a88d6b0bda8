//===- LinalgToWorkload.cpp - Raise linalg ops into wl ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file raises linalg ops on tensors into wl. Structured ops are
// matched through the LinalgOp interface, so a named op and a
// linalg.generic with the same maps and body raise alike:
//  - contractions: operands are transposed into [batch, m, k] / [batch, k,
//    n] order and reshaped into one matmul or batch_matmul, then reshaped
//    and transposed into the output's layout;
//  - parallel ops: the body is raised op by op (BodyRaiser), inputs are
//    aligned to the loop space so broadcasting replaces the maps;
//  - reductions: the body's combiner becomes a wl.reduce over the
//    reduction loops, its other operand an elementwise expression.
// An output that is not zero (or the reduction identity) is combined with
// the result, so raising never changes what the program computes.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToWorkload/LinalgToWorkload.h"
#include "passes/Conversion/LinalgToWorkload/BodyRaiser.h"

#include "dialects/Workload/WorkloadUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace fungible::import;
namespace wl = fungible::wl;

namespace {

/// Loop dim of every map result, -1 for a constant 0; failure for any
/// other expression or a repeated dim.
FailureOr<SmallVector<int64_t>> resultDims(AffineMap map) {
  SmallVector<int64_t> dims;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      if (llvm::is_contained(dims, static_cast<int64_t>(dim.getPosition())))
        return failure();
      dims.push_back(dim.getPosition());
    } else if (auto c = dyn_cast<AffineConstantExpr>(expr);
               c && c.getValue() == 0) {
      dims.push_back(-1);
    } else {
      return failure();
    }
  }
  return dims;
}

/// Static loop ranges of `op`, failure if any is dynamic.
FailureOr<SmallVector<int64_t>> staticLoops(linalg::LinalgOp op) {
  SmallVector<int64_t> loops = op.getStaticLoopRanges();
  if (llvm::any_of(loops, ShapedType::isDynamic))
    return failure();
  return loops;
}

/// Whether every tensor operand and result of `op` is a wl tensor.
bool hasWorkloadTensors(linalg::LinalgOp op) {
  return op.hasPureTensorSemantics() &&
         llvm::all_of(op->getOperands(),
                      [](Value v) { return isWorkloadTensor(v.getType()); }) &&
         allWorkloadTensors(op->getResultTypes());
}

/// perm such that transposing a tensor whose dims are `from` gives `to`.
SmallVector<int64_t> permutationTo(ArrayRef<int64_t> from,
                                   ArrayRef<int64_t> to) {
  SmallVector<int64_t> perm;
  for (int64_t d : to)
    perm.push_back(llvm::find(from, d) - from.begin());
  return perm;
}

/// Brings `value`, read through map results `dims`, into the loop space:
/// constant-0 dims (size 1) are dropped, the rest transposed into loop
/// order, and size-1 dims inserted for missing loops unless the present
/// ones are trailing (numpy broadcasting aligns those).
Value alignToLoops(WorkloadBuilder &wb, Value value, ArrayRef<int64_t> dims,
                   ArrayRef<int64_t> loops) {
  RankedTensorType type = tensorType(value);
  SmallVector<int64_t> kept, keptShape;
  for (auto [i, d] : llvm::enumerate(dims))
    if (d >= 0) {
      kept.push_back(d);
      keptShape.push_back(type.getDimSize(i));
    }
  value = wb.reshape(value, keptShape);
  SmallVector<int64_t> sorted(kept);
  llvm::sort(sorted);
  value = wb.transpose(value, permutationTo(kept, sorted));
  int64_t numLoops = loops.size(), k = sorted.size();
  bool trailing = true;
  for (int64_t j = 0; j < k; ++j)
    trailing &= sorted[j] == numLoops - k + j;
  if (trailing)
    return value;
  SmallVector<int64_t> shape(numLoops, 1);
  for (int64_t d : sorted)
    shape[d] = loops[d];
  return wb.reshape(value, shape);
}

/// Checks that constant-0 map results read size-1 dims of `value`.
bool constantDimsAreUnit(Value value, ArrayRef<int64_t> dims) {
  RankedTensorType type = tensorType(value);
  for (auto [i, d] : llvm::enumerate(dims))
    if (d < 0 && type.getDimSize(i) != 1)
      return false;
  return true;
}

/// Binds the input block arguments (and the output one, when the body
/// reads it) of `op` to their tensors aligned to the loop space.
LogicalResult bindOperands(linalg::LinalgOp op, ArrayRef<int64_t> loops,
                           WorkloadBuilder &wb, BodyRaiser &raiser,
                           bool bindOutput) {
  for (OpOperand &operand : op->getOpOperands()) {
    bool isInit = op.isDpsInit(&operand);
    BlockArgument arg = op.getMatchingBlockArgument(&operand);
    if (isInit && (!bindOutput || arg.use_empty()))
      continue;
    FailureOr<SmallVector<int64_t>> dims =
        resultDims(op.getMatchingIndexingMap(&operand));
    if (failed(dims) || !constantDimsAreUnit(operand.get(), *dims))
      return failure();
    raiser.bind(arg, alignToLoops(wb, operand.get(), *dims, loops));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

struct RaiseContraction : OpInterfaceRewritePattern<linalg::LinalgOp> {
  RaiseContraction(MLIRContext *ctx)
      : OpInterfaceRewritePattern<linalg::LinalgOp>(ctx, /*benefit=*/3) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
        !hasWorkloadTensors(op) || !linalg::isaContractionOpInterface(op))
      return failure();
    FailureOr<linalg::ContractionDimensions> cd =
        linalg::inferContractionDims(op);
    FailureOr<SmallVector<int64_t>> loops = staticLoops(op);
    // A side without dims of its own is a side of 1: a matrix-vector
    // product (a token's query against each row of a cache) is a matmul of
    // one row.
    if (failed(cd) || failed(loops) || cd->k.empty())
      return failure();
    OpOperand *lhsOp = op.getDpsInputOperand(0),
              *rhsOp = op.getDpsInputOperand(1), *outOp = op.getDpsInitOperand(0);
    auto lhsDims = resultDims(op.getMatchingIndexingMap(lhsOp));
    auto rhsDims = resultDims(op.getMatchingIndexingMap(rhsOp));
    auto outDims = resultDims(op.getMatchingIndexingMap(outOp));
    if (failed(lhsDims) || failed(rhsDims) || failed(outDims))
      return failure();
    auto concat = [](std::initializer_list<ArrayRef<unsigned>> groups) {
      SmallVector<int64_t> dims;
      for (ArrayRef<unsigned> g : groups)
        dims.append(g.begin(), g.end());
      return dims;
    };
    // C = A B, or C^T = B^T A^T when that moves fewer elements: an operand
    // whose innermost dim the matmul's layout moves is transposed by a
    // kernel of its own (one that keeps it, the heads of a cache's rows, is
    // read in place), so a query row against a cache [S, H, D] is computed
    // as the cache's rows times the query's column.
    auto moved = [&](OpOperand *operand, ArrayRef<int64_t> dims,
                     ArrayRef<int64_t> order) -> int64_t {
      RankedTensorType type = tensorType(operand->get());
      SmallVector<int64_t> perm = permutationTo(dims, order);
      auto innermost = [&](auto indices) {
        int64_t last = -1;
        for (int64_t i : indices)
          if (type.getDimSize(i) != 1)
            last = i;
        return last;
      };
      return innermost(llvm::seq<int64_t>(0, type.getRank())) == innermost(perm)
                 ? 0
                 : type.getNumElements();
    };
    if (moved(rhsOp, *rhsDims, concat({cd->batch, cd->k, cd->n})) +
            moved(lhsOp, *lhsDims, concat({cd->batch, cd->m, cd->k})) >
        moved(lhsOp, *lhsDims, concat({cd->batch, cd->k, cd->m})) +
            moved(rhsOp, *rhsDims, concat({cd->batch, cd->n, cd->k}))) {
      std::swap(lhsOp, rhsOp);
      std::swap(lhsDims, rhsDims);
      std::swap(cd->m, cd->n);
    }
    SmallVector<int64_t> lhsOrder = concat({cd->batch, cd->m, cd->k});
    SmallVector<int64_t> rhsOrder = concat({cd->batch, cd->k, cd->n});
    SmallVector<int64_t> outOrder = concat({cd->batch, cd->m, cd->n});
    auto sameSet = [](ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
      return a.size() == b.size() &&
             llvm::all_of(a, [&](int64_t d) { return llvm::is_contained(b, d); });
    };
    if (!sameSet(*lhsDims, lhsOrder) || !sameSet(*rhsDims, rhsOrder) ||
        !sameSet(*outDims, outOrder))
      return failure();
    Type lhsElem = tensorType(lhsOp->get()).getElementType();
    Type outElem = tensorType(outOp->get()).getElementType();
    if (lhsElem != tensorType(rhsOp->get()).getElementType() ||
        !wl::isAccumulatorType(lhsElem, outElem))
      return failure();

    auto product = [&](ArrayRef<unsigned> group) {
      int64_t p = 1;
      for (unsigned d : group)
        p *= (*loops)[d];
      return p;
    };
    int64_t b = product(cd->batch), m = product(cd->m), n = product(cd->n),
            k = product(cd->k);
    bool batched = !cd->batch.empty();
    auto shape3 = [&](int64_t x, int64_t y) {
      return batched ? SmallVector<int64_t>{b, x, y}
                     : SmallVector<int64_t>{x, y};
    };
    WorkloadBuilder wb(rewriter, op.getLoc());
    Value lhs = wb.reshape(
        wb.transpose(lhsOp->get(), permutationTo(*lhsDims, lhsOrder)),
        shape3(m, k));
    Value rhs = wb.reshape(
        wb.transpose(rhsOp->get(), permutationTo(*rhsDims, rhsOrder)),
        shape3(k, n));
    auto mmType = RankedTensorType::get(shape3(m, n), outElem);
    // A non-zero output is the accumulator: one op, 2*M*N*K FLOPs, as the
    // linalg op computes it (the sum starts from the output).
    Value acc;
    if (!isZeroOrUndefined(outOp->get()))
      acc = wb.reshape(
          wb.transpose(outOp->get(), permutationTo(*outDims, outOrder)),
          shape3(m, n));
    Value result =
        batched ? Value(wb.track(wl::BatchMatmulOp::create(
                      rewriter, op.getLoc(), mmType, lhs, rhs, acc)))
                : Value(wb.track(wl::MatmulOp::create(rewriter, op.getLoc(),
                                                      mmType, lhs, rhs, acc)));
    SmallVector<int64_t> outShape;
    for (int64_t d : outOrder)
      outShape.push_back((*loops)[d]);
    result = wb.reshape(result, outShape);
    result = wb.transpose(result, permutationTo(outOrder, *outDims));
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Parallel ops and reductions
//===----------------------------------------------------------------------===//

struct RaiseParallel : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<linalg::FillOp>(op) || op.getNumDpsInits() != 1 ||
        op.getNumParallelLoops() != op.getNumLoops() || !hasWorkloadTensors(op))
      return failure();
    FailureOr<SmallVector<int64_t>> loops = staticLoops(op);
    OpOperand *out = op.getDpsInitOperand(0);
    auto outDims = resultDims(op.getMatchingIndexingMap(out));
    if (failed(loops) || failed(outDims) ||
        static_cast<int64_t>(outDims->size()) != op.getNumLoops() ||
        llvm::is_contained(*outDims, -1))
      return failure();
    WorkloadBuilder wb(rewriter, op.getLoc());
    BodyRaiser raiser(wb);
    Value yielded = op.getBlock()->getTerminator()->getOperand(0);
    FailureOr<Value> result = failure();
    if (succeeded(bindOperands(op, *loops, wb, raiser, /*bindOutput=*/true)))
      result = raiser.raise(yielded);
    Type outElem = tensorType(out->get()).getElementType();
    if (failed(result) || tensorType(*result).getElementType() != outElem) {
      wb.rollback();
      return failure();
    }
    Value value = wb.broadcast(*result, *loops);
    SmallVector<int64_t> loopOrder =
        llvm::to_vector(llvm::seq<int64_t>(0, op.getNumLoops()));
    rewriter.replaceOp(op, wb.transpose(value, permutationTo(loopOrder, *outDims)));
    return success();
  }
};

/// wl.reduce kind for the combiner `op`, or nullopt.
std::optional<wl::ReduceKind> reduceKindOf(Operation *op) {
  if (isa<arith::AddFOp, arith::AddIOp>(op))
    return wl::ReduceKind::Sum;
  if (isa<arith::MaximumFOp, arith::MaxNumFOp, arith::MaxSIOp>(op))
    return wl::ReduceKind::Max;
  if (isa<arith::MinimumFOp, arith::MinNumFOp, arith::MinSIOp>(op))
    return wl::ReduceKind::Min;
  return std::nullopt;
}

/// Whether `init` holds the identity of `kind` (or is undefined).
bool isIdentityInit(Value init, wl::ReduceKind kind) {
  if (kind == wl::ReduceKind::Sum)
    return isZeroOrUndefined(init);
  if (init.getDefiningOp<tensor::EmptyOp>())
    return true;
  // max: -inf or the lowest finite value; min: +inf or the largest.
  std::optional<Attribute> splat = getSplatValue(init);
  if (!splat)
    return false;
  bool max = kind == wl::ReduceKind::Max;
  if (auto f = dyn_cast<FloatAttr>(*splat)) {
    APFloat v = f.getValue();
    APFloat extreme = APFloat::getLargest(v.getSemantics(), /*Negative=*/max);
    return v.isInfinity() ? v.isNegative() == max : v == extreme;
  }
  if (auto i = dyn_cast<IntegerAttr>(*splat)) {
    unsigned w = i.getValue().getBitWidth();
    return i.getValue() == (max ? APInt::getSignedMinValue(w)
                                : APInt::getSignedMaxValue(w));
  }
  return false;
}

struct RaiseReduction : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    // Contractions that fit a matmul are taken first (higher benefit);
    // what is left is any reduction of an elementwise expression.
    if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0 ||
        !hasWorkloadTensors(op))
      return failure();
    FailureOr<SmallVector<int64_t>> loops = staticLoops(op);
    OpOperand *out = op.getDpsInitOperand(0);
    auto outDims = resultDims(op.getMatchingIndexingMap(out));
    if (failed(loops) || failed(outDims))
      return failure();
    SmallVector<int64_t> parallel, reduced;
    for (auto [i, it] : llvm::enumerate(op.getIteratorTypesArray()))
      (it == utils::IteratorType::parallel ? parallel : reduced).push_back(i);
    SmallVector<int64_t> present;
    for (int64_t d : *outDims)
      if (d >= 0)
        present.push_back(d);
    SmallVector<int64_t> sortedPresent(present);
    llvm::sort(sortedPresent);
    if (sortedPresent != parallel)
      return failure();

    // yield combine(out, expr) or combine(expr, out).
    Block *body = op.getBlock();
    Operation *combine = body->getTerminator()->getOperand(0).getDefiningOp();
    BlockArgument outArg = op.getMatchingBlockArgument(out);
    if (!combine || combine->getNumOperands() != 2 ||
        combine->getBlock() != body)
      return failure();
    std::optional<wl::ReduceKind> kind = reduceKindOf(combine);
    Value expr = combine->getOperand(0) == outArg ? combine->getOperand(1)
                                                  : combine->getOperand(0);
    if (!kind || !llvm::is_contained(combine->getOperands(), Value(outArg)) ||
        expr == outArg)
      return failure();

    WorkloadBuilder wb(rewriter, op.getLoc());
    BodyRaiser raiser(wb);
    FailureOr<Value> value = failure();
    // The output argument is left unbound: an expression reading it fails.
    if (succeeded(bindOperands(op, *loops, wb, raiser, /*bindOutput=*/false)))
      value = raiser.raise(expr);
    Type outElem = tensorType(out->get()).getElementType();
    if (failed(value) || tensorType(*value).getElementType() != outElem) {
      wb.rollback();
      return failure();
    }
    Value full = wb.broadcast(*value, *loops);
    SmallVector<int64_t> reducedShape;
    for (int64_t d : parallel)
      reducedShape.push_back((*loops)[d]);
    Value result = wb.track(wl::ReduceOp::create(
        rewriter, op.getLoc(), RankedTensorType::get(reducedShape, outElem),
        full, *kind, reduced, /*keep_dims=*/false));
    result = wb.transpose(result, permutationTo(parallel, present));
    result = wb.reshape(result, tensorType(out->get()).getShape());
    if (!isIdentityInit(out->get(), *kind)) {
      Value init = out->get();
      result = *kind == wl::ReduceKind::Sum   ? wb.binary<wl::AddOp>(result, init)
               : *kind == wl::ReduceKind::Max ? wb.binary<wl::MaxOp>(result, init)
                                              : wb.binary<wl::MinOp>(result, init);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Convolutions and pooling
//===----------------------------------------------------------------------===//

SmallVector<int64_t> attrValues(DenseIntElementsAttr attr) {
  return llvm::to_vector(attr.getValues<int64_t>());
}

/// If `value` is a constant pad of only the H and W dims (at `hDim`,
/// `hDim + 1`) with `padValue` accepted by `acceptValue`, returns its source
/// and sets `padding` to [top, bottom, left, right].
Value lookThroughPad(Value value, int64_t hDim,
                     llvm::function_ref<bool(Attribute)> acceptValue,
                     SmallVectorImpl<int64_t> &padding) {
  SmallVector<int64_t> low, high;
  Attribute padValue;
  Value source;
  if (auto pad = value.getDefiningOp<tensor::PadOp>()) {
    if (!pad.getLow().empty() || !pad.getHigh().empty())
      return nullptr;
    Value constant = pad.getConstantPaddingValue();
    if (!constant || !matchPattern(constant, m_Constant(&padValue)))
      return nullptr;
    low.assign(pad.getStaticLow().begin(), pad.getStaticLow().end());
    high.assign(pad.getStaticHigh().begin(), pad.getStaticHigh().end());
    source = pad.getSource();
  } else if (auto pad = value.getDefiningOp<wl::PadOp>()) {
    low.assign(pad.getLow().begin(), pad.getLow().end());
    high.assign(pad.getHigh().begin(), pad.getHigh().end());
    Type elem = tensorType(value).getElementType();
    double v = pad.getValue().convertToDouble();
    padValue = isa<FloatType>(elem)
                   ? Attribute(FloatAttr::get(elem, v))
                   : Attribute(IntegerAttr::get(elem, static_cast<int64_t>(v)));
    source = pad.getInput();
  } else {
    return nullptr;
  }
  for (int64_t d = 0, e = low.size(); d < e; ++d)
    if ((d != hDim && d != hDim + 1) && (low[d] != 0 || high[d] != 0))
      return nullptr;
  if (!acceptValue(padValue))
    return nullptr;
  padding.assign({low[hDim], high[hDim], low[hDim + 1], high[hDim + 1]});
  return source;
}

bool isZeroAttr(Attribute attr) {
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValue().isZero();
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return i.getValue().isZero();
  return false;
}

bool isLowestAttr(Attribute attr) {
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    APFloat v = f.getValue();
    return (v.isInfinity() && v.isNegative()) ||
           v == APFloat::getLargest(v.getSemantics(), /*Negative=*/true);
  }
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return i.getValue().isMinSignedValue();
  return false;
}

/// Linalg windowed ops iterate over their output, so their input may be
/// longer than the output needs (e.g. PyTorch's ceil_mode pads). Trims the
/// high padding of `padding` ([top, bottom, left, right]) to what the
/// output reads; false when wl's output-size formula still does not give
/// `out` for the NHWC `inShape`.
bool fitPadding(ArrayRef<int64_t> inShape, ArrayRef<int64_t> out,
                ArrayRef<int64_t> window, ArrayRef<int64_t> strides,
                ArrayRef<int64_t> dilations, SmallVectorImpl<int64_t> &padding) {
  for (int i = 0; i < 2; ++i) {
    int64_t needed = (out[1 + i] - 1) * strides[i] +
                     dilations[i] * (window[i] - 1) + 1;
    // Rows past `needed` are never read: drop the high padding there (the
    // floor in the output-size formula ignores unread input rows).
    int64_t high = std::max<int64_t>(0, needed - inShape[1 + i] - padding[2 * i]);
    padding[2 * i + 1] = std::min(padding[2 * i + 1], high);
    if (wl::windowOutputSize(inShape[1 + i], window[i], strides[i],
                             dilations[i], padding[2 * i],
                             padding[2 * i + 1]) != out[1 + i])
      return false;
  }
  return true;
}

/// Builds the wl.conv2d of NHWC `input` and HWCF `filter` into an NHWC
/// result of `resultShape`, absorbing a zero pad of the input.
Value buildConv(WorkloadBuilder &wb, Value input, Value filter,
                ArrayRef<int64_t> resultShape, Type resultElem,
                ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                int64_t groups, ArrayRef<int64_t> padding) {
  return wb.track(wl::Conv2DOp::create(
      wb.b, wb.loc, RankedTensorType::get(resultShape, resultElem), input,
      filter, strides, dilations, padding, groups));
}

/// Shared raising of NCHW/NHWC convolutions (regular and depthwise).
template <typename ConvOp>
struct RaiseConv : OpRewritePattern<ConvOp> {
  RaiseConv(MLIRContext *ctx, bool nchw, bool depthwise)
      : OpRewritePattern<ConvOp>(ctx, /*benefit=*/4), nchw(nchw),
        depthwise(depthwise) {}

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    auto linalgOp = cast<linalg::LinalgOp>(op.getOperation());
    if (!hasWorkloadTensors(linalgOp))
      return failure();
    Value input = op.getDpsInputOperand(0)->get();
    Value filter = op.getDpsInputOperand(1)->get();
    Value init = op.getDpsInitOperand(0)->get();
    SmallVector<int64_t> padding = {0, 0, 0, 0};
    if (Value source = lookThroughPad(input, nchw ? 2 : 1, isZeroAttr, padding))
      input = source;
    RankedTensorType inType = tensorType(input), outType = tensorType(init);
    Type filterElem = tensorType(filter).getElementType();
    if (inType.getElementType() != filterElem)
      return failure();
    WorkloadBuilder wb(rewriter, op.getLoc());
    if (nchw)
      input = wb.transpose(input, {0, 2, 3, 1});
    int64_t channels = tensorType(input).getDimSize(3);
    if (depthwise) {
      // CHW (NCHW form) or HWC (NHWC form) -> HWC -> HW x 1 x C.
      if (nchw)
        filter = wb.transpose(filter, {1, 2, 0});
      RankedTensorType f = tensorType(filter);
      filter = wb.reshape(filter, {f.getDimSize(0), f.getDimSize(1), 1,
                                   f.getDimSize(2)});
    } else if (nchw) {
      filter = wb.transpose(filter, {2, 3, 1, 0}); // FCHW -> HWCF
    }
    SmallVector<int64_t> nhwc =
        nchw ? SmallVector<int64_t>{outType.getDimSize(0), outType.getDimSize(2),
                                    outType.getDimSize(3), outType.getDimSize(1)}
             : SmallVector<int64_t>(outType.getShape());
    SmallVector<int64_t> strides = attrValues(op.getStrides());
    SmallVector<int64_t> dilations = attrValues(op.getDilations());
    RankedTensorType f = tensorType(filter);
    if (!fitPadding(tensorType(input).getShape(), nhwc,
                    {f.getDimSize(0), f.getDimSize(1)}, strides, dilations,
                    padding)) {
      wb.rollback();
      return failure();
    }
    Value result = buildConv(wb, input, filter, nhwc, outType.getElementType(),
                             strides, dilations, depthwise ? channels : 1,
                             padding);
    if (nchw)
      result = wb.transpose(result, {0, 3, 1, 2});
    if (!isZeroOrUndefined(init))
      result = wb.binary<wl::AddOp>(result, init);
    rewriter.replaceOp(op, result);
    return success();
  }

  bool nchw, depthwise;
};

template <typename PoolOp>
struct RaisePool : OpRewritePattern<PoolOp> {
  RaisePool(MLIRContext *ctx, bool nchw, wl::PoolKind kind)
      : OpRewritePattern<PoolOp>(ctx, /*benefit=*/4), nchw(nchw), kind(kind) {}

  LogicalResult matchAndRewrite(PoolOp op,
                                PatternRewriter &rewriter) const override {
    auto linalgOp = cast<linalg::LinalgOp>(op.getOperation());
    if (!linalgOp.hasPureTensorSemantics() ||
        llvm::any_of(attrValues(op.getDilations()),
                     [](int64_t d) { return d != 1; }))
      return failure();
    Value input = op.getDpsInputOperand(0)->get();
    Value init = op.getDpsInitOperand(0)->get();
    if (!isWorkloadTensor(input.getType()) || !isWorkloadTensor(init.getType()))
      return failure();
    SmallVector<int64_t> window(
        tensorType(op.getDpsInputOperand(1)->get()).getShape());
    bool isMax = kind == wl::PoolKind::Max;
    SmallVector<int64_t> padding = {0, 0, 0, 0};
    if (Value source = lookThroughPad(
            input, nchw ? 2 : 1, isMax ? isLowestAttr : isZeroAttr, padding)) {
      bool fits = padding[0] < window[0] && padding[1] < window[0] &&
                  padding[2] < window[1] && padding[3] < window[1];
      if (fits)
        input = source;
      else
        padding = {0, 0, 0, 0};
    }
    RankedTensorType outType = tensorType(init);
    SmallVector<int64_t> nhwc =
        nchw ? SmallVector<int64_t>{outType.getDimSize(0), outType.getDimSize(2),
                                    outType.getDimSize(3), outType.getDimSize(1)}
             : SmallVector<int64_t>(outType.getShape());
    SmallVector<int64_t> inShape(tensorType(input).getShape());
    if (nchw)
      inShape = {inShape[0], inShape[2], inShape[3], inShape[1]};
    SmallVector<int64_t> strides = attrValues(op.getStrides());
    if (!fitPadding(inShape, nhwc, window, strides, {1, 1}, padding))
      return failure();
    WorkloadBuilder wb(rewriter, op.getLoc());
    if (nchw)
      input = wb.transpose(input, {0, 2, 3, 1});
    Value result = wb.track(wl::Pool2DOp::create(
        rewriter, op.getLoc(), outType.clone(nhwc), input, kind, window,
        strides, padding));
    if (nchw)
      result = wb.transpose(result, {0, 3, 1, 2});
    wl::ReduceKind combine = isMax ? wl::ReduceKind::Max : wl::ReduceKind::Sum;
    if (!isIdentityInit(init, combine))
      result = isMax ? wb.binary<wl::MaxOp>(result, init)
                     : wb.binary<wl::AddOp>(result, init);
    rewriter.replaceOp(op, result);
    return success();
  }

  bool nchw;
  wl::PoolKind kind;
};

struct RaiseSoftmax : OpRewritePattern<linalg::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getInput();
    if (!op.hasPureTensorSemantics() || !isWorkloadTensor(input.getType()) ||
        !isa<FloatType>(tensorType(input).getElementType()))
      return failure();
    rewriter.replaceOpWithNewOp<wl::SoftmaxOp>(op, input, op.getDimension());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Arith and math on whole tensors
//===----------------------------------------------------------------------===//

/// An arith or math op applied to whole tensors (RoPE's math.cos on a
/// tensor, elementwise code after TOSA lowering) is the wl op its scalar
/// form in a linalg body would raise to.
struct RaiseTensorArith : RewritePattern {
  RaiseTensorArith(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) ||
        op->hasTrait<OpTrait::ConstantLike>() || op->getNumResults() != 1 ||
        !isWorkloadTensor(op->getResult(0).getType()) ||
        !allWorkloadTensors(op->getOperandTypes()))
      return failure();
    WorkloadBuilder wb(rewriter, op->getLoc());
    FailureOr<Value> raised =
        raiseWithOperands(wb, op, llvm::to_vector(op->getOperands()));
    if (failed(raised) || raised->getType() != op->getResult(0).getType()) {
      wb.rollback();
      return failure();
    }
    rewriter.replaceOp(op, *raised);
    return success();
  }
};

} // namespace

void fungible::populateLinalgToWorkloadPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<RaiseContraction, RaiseParallel, RaiseReduction, RaiseSoftmax,
               RaiseTensorArith>(ctx);
  patterns.add<RaiseConv<linalg::Conv2DNchwFchwOp>>(ctx, true, false);
  patterns.add<RaiseConv<linalg::Conv2DNhwcHwcfOp>>(ctx, false, false);
  patterns.add<RaiseConv<linalg::DepthwiseConv2DNchwChwOp>>(ctx, true, true);
  patterns.add<RaiseConv<linalg::DepthwiseConv2DNhwcHwcOp>>(ctx, false, true);
  patterns.add<RaisePool<linalg::PoolingNchwMaxOp>>(ctx, true, wl::PoolKind::Max);
  patterns.add<RaisePool<linalg::PoolingNchwSumOp>>(ctx, true, wl::PoolKind::Sum);
  patterns.add<RaisePool<linalg::PoolingNhwcMaxOp>>(ctx, false, wl::PoolKind::Max);
  patterns.add<RaisePool<linalg::PoolingNhwcSumOp>>(ctx, false, wl::PoolKind::Sum);
}
