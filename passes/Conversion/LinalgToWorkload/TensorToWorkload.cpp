//===- TensorToWorkload.cpp - Raise tensor ops into wl ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file raises statically shaped tensor ops into wl data-movement ops:
// expand/collapse_shape -> wl.reshape, extract_slice -> wl.slice (+ a
// reshape when rank-reducing), pad with a constant -> wl.pad, concat ->
// wl.concat, and chains of insert_slice that fill an empty tensor along
// one dimension -> wl.concat.
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

/// A chain of tensor.insert_slice ops that fills a tensor.empty slice by
/// slice along one dimension (how torch-mlir writes torch.cat) is a
/// wl.concat, and chains of insert_slice that fill an empty tensor along
// one dimension -> wl.concat. Matched at the last insert of the chain.
struct RaiseInsertSliceConcat : OpRewritePattern<tensor::InsertSliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::InsertSliceOp last,
                                PatternRewriter &rewriter) const override {
    auto type = last.getType();
    if (!isWorkloadTensor(type) ||
        llvm::any_of(last->getUsers(),
                     [](Operation *u) { return isa<tensor::InsertSliceOp>(u); }))
      return failure();
    // Walk back to the tensor.empty, collecting (offset along dim, source).
    SmallVector<tensor::InsertSliceOp> chain;
    Value dest = last.getResult();
    while (auto insert = dest.getDefiningOp<tensor::InsertSliceOp>()) {
      if (insert != last && !insert->hasOneUse())
        return failure();
      chain.push_back(insert);
      dest = insert.getDest();
    }
    if (!dest.getDefiningOp<tensor::EmptyOp>() || chain.size() < 2)
      return failure();
    int64_t rank = type.getRank(), dim = -1;
    SmallVector<std::pair<int64_t, Value>> pieces;
    for (tensor::InsertSliceOp insert : chain) {
      auto source = dyn_cast<RankedTensorType>(insert.getSourceType());
      if (!insert.getOffsets().empty() || !insert.getSizes().empty() ||
          !insert.getStrides().empty() || !source ||
          source.getRank() != rank ||
          llvm::any_of(insert.getStaticStrides(),
                       [](int64_t s) { return s != 1; }))
        return failure();
      ArrayRef<int64_t> offsets = insert.getStaticOffsets();
      for (int64_t d = 0; d < rank; ++d) {
        if (source.getDimSize(d) == type.getDimSize(d) && offsets[d] == 0)
          continue;
        if (dim != -1 && dim != d)
          return failure(); // slices along two dims
        dim = d;
      }
      pieces.push_back({dim < 0 ? 0 : offsets[dim], insert.getSource()});
    }
    if (dim < 0)
      return failure();
    llvm::sort(pieces, [](auto &a, auto &b) { return a.first < b.first; });
    int64_t next = 0;
    SmallVector<Value> inputs;
    for (auto &[offset, source] : pieces) {
      if (offset != next)
        return failure(); // a gap or an overlap
      next += cast<RankedTensorType>(source.getType()).getDimSize(dim);
      inputs.push_back(source);
    }
    if (next != type.getDimSize(dim))
      return failure();
    rewriter.replaceOpWithNewOp<wl::ConcatOp>(last, type, inputs, dim);
    return success();
  }
};

} // namespace

void fungible::populateTensorToWorkloadPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseReshape<tensor::ExpandShapeOp>,
               RaiseReshape<tensor::CollapseShapeOp>, RaiseExtractSlice,
               RaisePad, RaiseConcat, RaiseInsertSliceConcat>(
      patterns.getContext());
}
