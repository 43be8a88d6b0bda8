//===- TosaToWorkload.cpp - Raise TOSA ops into wl --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file raises TOSA ops into wl. TOSA's elementwise broadcasting (equal
// ranks, size-1 dims) is a case of numpy broadcasting, so elementwise ops
// map one to one. Ops with quantisation parameters are raised only when
// those are zero (as they are for floats); float -> int casts stay TOSA
// (TOSA rounds to nearest, wl.cast truncates).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/TosaToWorkload/TosaToWorkload.h"
#include "passes/Conversion/LinalgToWorkload/ImportBuilder.h"

#include "dialects/Workload/WorkloadUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace fungible::import;
namespace wl = fungible::wl;

namespace {

bool allTensorsOk(Operation *op) {
  for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults()))
    if (isa<TensorType>(v.getType()) && !isWorkloadTensor(v.getType()))
      return false;
  return true;
}

/// A tensor operand that holds zeros (a zero point, a shift).
bool isZero(Value value) { return !value || isZeroOrUndefined(value); }

template <typename TosaOp, typename WlOp>
struct RaiseBinary : OpRewritePattern<TosaOp> {
  using OpRewritePattern<TosaOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(TosaOp op,
                                PatternRewriter &rewriter) const override {
    if (!isWorkloadTensor(op.getInput1().getType()) ||
        !isWorkloadTensor(op.getInput2().getType()) ||
        !isWorkloadTensor(op.getType()))
      return failure();
    if constexpr (std::is_same_v<TosaOp, tosa::MulOp>)
      if (!isZero(op.getShift()))
        return failure();
    rewriter.replaceOpWithNewOp<WlOp>(op, op.getType(), op.getInput1(),
                                      op.getInput2());
    return success();
  }
};

template <typename TosaOp, typename WlOp>
struct RaiseUnary : OpRewritePattern<TosaOp> {
  using OpRewritePattern<TosaOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(TosaOp op,
                                PatternRewriter &rewriter) const override {
    if (!allTensorsOk(op) || op->getOperand(0).getType() != op.getType())
      return failure();
    if constexpr (std::is_same_v<TosaOp, tosa::NegateOp>)
      if (!isZero(op.getInput1Zp()) || !isZero(op.getOutputZp()))
        return failure();
    rewriter.replaceOpWithNewOp<WlOp>(op, op->getOperand(0));
    return success();
  }
};

struct RaiseReciprocal : OpRewritePattern<tosa::ReciprocalOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ReciprocalOp op,
                                PatternRewriter &rewriter) const override {
    Type elem = getElementTypeOrSelf(op.getType());
    if (!allTensorsOk(op) || !isa<FloatType>(elem))
      return failure();
    WorkloadBuilder wb(rewriter, op.getLoc());
    Value one = wb.scalar(rewriter.getFloatAttr(elem, 1.0));
    rewriter.replaceOp(op, wb.binary<wl::DivOp>(one, op.getInput1()));
    return success();
  }
};

/// clamp(x, 0, +large) is a relu; any other clamp is min(max(x, lo), hi).
struct RaiseClamp : OpRewritePattern<tosa::ClampOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ClampOp op,
                                PatternRewriter &rewriter) const override {
    if (!allTensorsOk(op))
      return failure();
    auto lo = dyn_cast<TypedAttr>(op.getMinValAttr());
    auto hi = dyn_cast<TypedAttr>(op.getMaxValAttr());
    if (!lo || !hi)
      return failure();
    WorkloadBuilder wb(rewriter, op.getLoc());
    bool loIsZero = false, hiIsTop = false;
    if (auto f = dyn_cast<FloatAttr>(lo))
      loIsZero = f.getValue().isZero();
    if (auto f = dyn_cast<FloatAttr>(hi))
      hiIsTop = f.getValue().isInfinity() ||
                f.getValue() == APFloat::getLargest(f.getValue().getSemantics());
    if (auto i = dyn_cast<IntegerAttr>(lo))
      loIsZero = i.getValue().isZero();
    if (auto i = dyn_cast<IntegerAttr>(hi))
      hiIsTop = i.getValue().isMaxSignedValue();
    if (loIsZero && hiIsTop) {
      rewriter.replaceOpWithNewOp<wl::ReluOp>(op, op.getInput());
      return success();
    }
    Value v = wb.binary<wl::MaxOp>(op.getInput(), wb.scalar(lo));
    rewriter.replaceOp(op, wb.binary<wl::MinOp>(v, wb.scalar(hi)));
    return success();
  }
};

template <typename TosaOp>
struct RaiseReduce : OpRewritePattern<TosaOp> {
  RaiseReduce(MLIRContext *ctx, wl::ReduceKind kind)
      : OpRewritePattern<TosaOp>(ctx), kind(kind) {}
  LogicalResult matchAndRewrite(TosaOp op,
                                PatternRewriter &rewriter) const override {
    if (!allTensorsOk(op))
      return failure();
    int64_t axis = op.getAxis();
    rewriter.replaceOpWithNewOp<wl::ReduceOp>(op, op.getType(), op.getInput(),
                                              kind, ArrayRef<int64_t>{axis},
                                              /*keep_dims=*/true);
    return success();
  }
  wl::ReduceKind kind;
};

struct RaiseReshape : OpRewritePattern<tosa::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isWorkloadTensor(op.getInput1().getType()) ||
        !isWorkloadTensor(op.getType()))
      return failure();
    rewriter.replaceOpWithNewOp<wl::ReshapeOp>(op, op.getType(),
                                               op.getInput1());
    return success();
  }
};

struct RaiseTranspose : OpRewritePattern<tosa::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!allTensorsOk(op))
      return failure();
    SmallVector<int64_t> perm(op.getPerms().begin(), op.getPerms().end());
    rewriter.replaceOpWithNewOp<wl::TransposeOp>(op, op.getType(),
                                                 op.getInput1(), perm);
    return success();
  }
};

struct RaiseCast : OpRewritePattern<tosa::CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::CastOp op,
                                PatternRewriter &rewriter) const override {
    Type from = getElementTypeOrSelf(op.getInput().getType());
    Type to = getElementTypeOrSelf(op.getType());
    // An i64 input (positions, a mask) is brought in by the cast itself.
    auto input = dyn_cast<RankedTensorType>(op.getInput().getType());
    bool i64Input = input && input.hasStaticShape() && from.isInteger(64);
    if ((!i64Input && !isWorkloadTensor(op.getInput().getType())) ||
        !isWorkloadTensor(op.getType()) ||
        (isa<FloatType>(from) && !isa<FloatType>(to)))
      return failure();
    rewriter.replaceOpWithNewOp<wl::CastOp>(op, op.getType(), op.getInput());
    return success();
  }
};

/// An i64 tensor (token ids, an attention mask as producers pass it) is
/// not a Workload tensor, but wl.cast takes it: a cast of an i64 reshape
/// converts first and reshapes the result, so that both are wl ops (a
/// reshape only moves elements, so the order does not change them).
struct RaiseCastOfI64Reshape : OpRewritePattern<tosa::CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::CastOp op,
                                PatternRewriter &rewriter) const override {
    auto reshape = op.getInput().getDefiningOp<tosa::ReshapeOp>();
    if (!reshape)
      return failure();
    auto source = dyn_cast<RankedTensorType>(reshape.getInput1().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!source || !type || !source.getElementType().isInteger(64) ||
        !isWorkloadTensor(type) || !source.hasStaticShape())
      return failure();
    Value cast = wl::CastOp::create(rewriter, op.getLoc(),
                                    source.clone(type.getElementType()),
                                    reshape.getInput1());
    rewriter.replaceOpWithNewOp<wl::ReshapeOp>(op, type, cast);
    return success();
  }
};

struct RaiseIdentity : OpRewritePattern<tosa::IdentityOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::IdentityOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInput1().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, op.getInput1());
    return success();
  }
};

struct RaiseMatmul : OpRewritePattern<tosa::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (!allTensorsOk(op) || !isZero(op.getAZp()) || !isZero(op.getBZp()) ||
        !wl::isAccumulatorType(getElementTypeOrSelf(op.getA().getType()),
                       getElementTypeOrSelf(op.getType())))
      return failure();
    rewriter.replaceOpWithNewOp<wl::BatchMatmulOp>(op, op.getType(), op.getA(),
                                                   op.getB(), /*acc=*/Value());
    return success();
  }
};

/// conv2d: NHWC input, OHWI weight -> HWCF, plus the bias.
struct RaiseConv : OpRewritePattern<tosa::Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto out = cast<RankedTensorType>(op.getType());
    if (!allTensorsOk(op) || !isZero(op.getInputZp()) ||
        !isZero(op.getWeightZp()) ||
        !wl::isAccumulatorType(getElementTypeOrSelf(op.getInput().getType()),
                       out.getElementType()) ||
        getElementTypeOrSelf(op.getBias().getType()) != out.getElementType())
      return failure();
    WorkloadBuilder wb(rewriter, op.getLoc());
    Value filter = wb.transpose(op.getWeight(), {1, 2, 3, 0});
    Value conv = wb.track(wl::Conv2DOp::create(
        rewriter, op.getLoc(), out, op.getInput(), filter, op.getStride(),
        op.getDilation(), op.getPad(), /*groups=*/1));
    Value result = isZero(op.getBias())
                       ? conv
                       : wb.binary<wl::AddOp>(conv, op.getBias());
    if (!result) {
      wb.rollback();
      return failure();
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void fungible::populateTosaToWorkloadPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      RaiseBinary<tosa::AddOp, wl::AddOp>, RaiseBinary<tosa::SubOp, wl::SubOp>,
      RaiseBinary<tosa::MulOp, wl::MulOp>,
      RaiseBinary<tosa::MaximumOp, wl::MaxOp>,
      RaiseBinary<tosa::MinimumOp, wl::MinOp>,
      RaiseUnary<tosa::ExpOp, wl::ExpOp>, RaiseUnary<tosa::TanhOp, wl::TanhOp>,
      RaiseUnary<tosa::SinOp, wl::SinOp>, RaiseUnary<tosa::CosOp, wl::CosOp>,
      RaiseUnary<tosa::SigmoidOp, wl::SigmoidOp>,
      RaiseUnary<tosa::RsqrtOp, wl::RsqrtOp>,
      RaiseUnary<tosa::NegateOp, wl::NegOp>, RaiseReciprocal, RaiseClamp,
      RaiseReshape, RaiseTranspose, RaiseCast, RaiseIdentity, RaiseMatmul,
      RaiseConv>(ctx);
  // Before RaiseCast, which would leave the i64 reshape behind.
  patterns.add<RaiseCastOfI64Reshape>(ctx, /*benefit=*/2);
  patterns.add<RaiseReduce<tosa::ReduceSumOp>>(ctx, wl::ReduceKind::Sum);
  patterns.add<RaiseReduce<tosa::ReduceMaxOp>>(ctx, wl::ReduceKind::Max);
  patterns.add<RaiseReduce<tosa::ReduceMinOp>>(ctx, wl::ReduceKind::Min);
}
