//===- TensorToWorkload.cpp - Raise tensor ops into wl ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file raises statically shaped tensor ops into wl data-movement ops:
// expand/collapse_shape -> wl.reshape, extract_slice -> wl.slice (+ a
// reshape when rank-reducing), pad with a constant -> wl.pad, concat ->
// wl.concat.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToWorkload/ImportBuilder.h"
#include "passes/Conversion/LinalgToWorkload/LinalgToWorkload.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace fungible::import;
namespace wl = fungible::wl;

namespace {

template <typename ReshapeOp>
struct RaiseReshape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern<ReshapeOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isWorkloadTensor(op.getSrc().getType()) ||
        !isWorkloadTensor(op.getType()))
      return failure();
    rewriter.replaceOpWithNewOp<wl::ReshapeOp>(op, op.getType(), op.getSrc());
    return success();
  }
};

struct RaiseExtractSlice : OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::ExtractSliceOp op,
                                PatternRewriter &rewriter) const override {
    if (!isWorkloadTensor(op.getSource().getType()) ||
        !isWorkloadTensor(op.getType()) || !op.getOffsets().empty() ||
        !op.getSizes().empty() || !op.getStrides().empty())
      return failure();
    auto source = cast<RankedTensorType>(op.getSource().getType());
    auto sliced = source.clone(op.getStaticSizes());
    WorkloadBuilder wb(rewriter, op.getLoc());
    Value slice = wb.track(wl::SliceOp::create(
        rewriter, op.getLoc(), sliced, op.getSource(), op.getStaticOffsets(),
        rewriter.getDenseI64ArrayAttr(op.getStaticStrides())));
    rewriter.replaceOp(op, wb.reshape(slice, op.getType().getShape()));
    return success();
  }
};

struct RaisePad : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::PadOp op,
                                PatternRewriter &rewriter) const override {
    Attribute value;
    Value constant = op.getConstantPaddingValue();
    if (!isWorkloadTensor(op.getSource().getType()) ||
        !isWorkloadTensor(op.getType()) || !op.getLow().empty() ||
        !op.getHigh().empty() || !constant ||
        !matchPattern(constant, m_Constant(&value)))
      return failure();
    double padValue;
    if (auto f = dyn_cast<FloatAttr>(value))
      padValue = f.getValue().convertToDouble();
    else if (auto i = dyn_cast<IntegerAttr>(value))
      padValue = static_cast<double>(i.getValue().getSExtValue());
    else
      return failure();
    rewriter.replaceOpWithNewOp<wl::PadOp>(
        op, op.getType(), op.getSource(), op.getStaticLow(),
        op.getStaticHigh(), APFloat(padValue));
    return success();
  }
};

struct RaiseConcat : OpRewritePattern<tensor::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    if (!allWorkloadTensors(op.getInputs().getTypes()) ||
        !isWorkloadTensor(op.getType()))
      return failure();
    rewriter.replaceOpWithNewOp<wl::ConcatOp>(op, op.getType(), op.getInputs(),
                                              op.getDim());
    return success();
  }
};

} // namespace

void fungible::populateTensorToWorkloadPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseReshape<tensor::ExpandShapeOp>,
               RaiseReshape<tensor::CollapseShapeOp>, RaiseExtractSlice,
               RaisePad, RaiseConcat>(patterns.getContext());
}
