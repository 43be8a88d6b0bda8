//===- Layout.cpp - Sinking and cancelling layout transposes ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the transpose sinking of wl-import (Layout.h).
//
// Semantics used throughout: transpose(x, p) has result dim d = x dim p[d],
// so x dim j is result dim inv(p)[j].
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToWorkload/Layout.h"
#include "passes/Conversion/LinalgToWorkload/ImportBuilder.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible::import {

namespace {

/// Whether the transpose sinking patterns below may move a transpose past
/// `op`: a layout-blind elementwise op or a reshape.
bool isLayoutBlind(Operation *op) {
  return isa<wl::ReluOp, wl::NegOp, wl::ExpOp, wl::TanhOp, wl::SigmoidOp,
             wl::SqrtOp, wl::RsqrtOp, wl::SinOp, wl::CosOp, wl::GeluOp,
             wl::CastOp, wl::AddOp, wl::SubOp, wl::MulOp, wl::DivOp, wl::MaxOp,
             wl::MinOp, wl::ReshapeOp, wl::BroadcastOp>(op);
}

/// The transpose producing `value` when it may sink below its users: it
/// has one, or every user is layout-blind (a SiLU's sigmoid and product
/// both read it), so that, once it has sunk below each, the copies meet
/// again (as operands of one op, or as opposite transposes) rather than
/// multiply.
wl::TransposeOp soleTranspose(Value value) {
  auto t = value.getDefiningOp<wl::TransposeOp>();
  if (!t)
    return nullptr;
  if (t->hasOneUse() || llvm::all_of(t->getUsers(), isLayoutBlind))
    return t;
  return nullptr;
}

/// unary(transpose(x, p)) -> transpose(unary(x), p), for the elementwise
/// ops with one operand (their result has the operand's shape).
struct SinkThroughUnary : RewritePattern {
  SinkThroughUnary(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<wl::ReluOp, wl::NegOp, wl::ExpOp, wl::TanhOp, wl::SigmoidOp,
             wl::SqrtOp, wl::RsqrtOp, wl::SinOp, wl::CosOp, wl::GeluOp,
             wl::CastOp>(op))
      return failure();
    wl::TransposeOp t = soleTranspose(op->getOperand(0));
    if (!t)
      return failure();
    Type elem = tensorType(op->getResult(0)).getElementType();
    Operation *moved = rewriter.clone(*op);
    moved->setOperand(0, t.getInput());
    moved->getResult(0).setType(tensorType(t.getInput()).clone(elem));
    rewriter.replaceOpWithNewOp<wl::TransposeOp>(op, op->getResult(0).getType(),
                                                 moved->getResult(0),
                                                 t.getPermutation());
    return success();
  }
};

/// unary(reshape(x)) -> reshape(unary(x)) when the reshape has no other
/// use: an elementwise op does not care about shape, and the reshape then
/// meets the next one (torch-mlir drops the batch dim around each ReLU of
/// a CNN and adds it back) and the two fold. A kernel's epilogue then runs
/// in its producer's shape, on the tiles a matrix unit wrote.
struct SinkReshapeThroughUnary : RewritePattern {
  SinkReshapeThroughUnary(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<wl::ReluOp, wl::NegOp, wl::ExpOp, wl::TanhOp, wl::SigmoidOp,
             wl::SqrtOp, wl::RsqrtOp, wl::SinOp, wl::CosOp, wl::GeluOp,
             wl::CastOp>(op))
      return failure();
    auto reshape = op->getOperand(0).getDefiningOp<wl::ReshapeOp>();
    if (!reshape || !reshape->hasOneUse())
      return failure();
    Type elem = tensorType(op->getResult(0)).getElementType();
    Operation *moved = rewriter.clone(*op);
    moved->setOperand(0, reshape.getInput());
    moved->getResult(0).setType(tensorType(reshape.getInput()).clone(elem));
    rewriter.replaceOpWithNewOp<wl::ReshapeOp>(op, op->getResult(0).getType(),
                                               moved->getResult(0));
    return success();
  }
};

/// binary(reshape(x), y) -> reshape(binary(x, reshape(y))) (either
/// operand) when the reshape drops dims (x has the higher rank), has no
/// other use and y has the result's shape (no broadcasting): a residual
/// add after the batch dim was dropped runs in the shape of what it adds
/// to, and the reshapes meet and fold. Only towards the higher rank: the
/// reshape of y it makes adds dims, so it never sinks back.
template <typename OpTy>
struct SinkReshapeThroughBinary : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    for (int side = 0; side < 2; ++side) {
      Value reshaped = side == 0 ? op.getLhs() : op.getRhs();
      Value other = side == 0 ? op.getRhs() : op.getLhs();
      auto reshape = reshaped.getDefiningOp<wl::ReshapeOp>();
      if (!reshape || !reshape->hasOneUse() ||
          tensorType(reshaped).getShape() != type.getShape() ||
          tensorType(other).getShape() != type.getShape())
        continue;
      RankedTensorType inner = tensorType(reshape.getInput());
      if (inner.getRank() <= type.getRank())
        continue;
      WorkloadBuilder wb(rewriter, op.getLoc());
      Value matched = wb.reshape(other, inner.getShape());
      Value lhs = side == 0 ? reshape.getInput() : matched;
      Value rhs = side == 0 ? matched : reshape.getInput();
      Value computed = wb.binary<OpTy>(lhs, rhs);
      if (!computed) {
        wb.rollback();
        continue;
      }
      rewriter.replaceOpWithNewOp<wl::ReshapeOp>(op, type, computed);
      return success();
    }
    return failure();
  }
};

/// binary(transpose(x, p), c) -> transpose(binary(x, c'), p): every
/// operand is either a transpose by the same p (its input is used) or
/// smaller than the result (a per-channel scale, a bias, a scalar, or a
/// wl.broadcast of one), which is brought into x's layout by a transpose
/// of its own, as small as it is. Operands as large as the result are left
/// alone: permuting them would cost what is saved.
template <typename OpTy> struct SinkThroughBinary : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> perm;
    for (Value operand : {op.getLhs(), op.getRhs()})
      if (wl::TransposeOp t = soleTranspose(operand))
        if (t.getType().getRank() == rank &&
            t.getType().getShape() == type.getShape()) {
          perm = t.getPermutation();
          break;
        }
    if (perm.empty())
      return failure();
    SmallVector<int64_t> inv = invertPermutationVector(perm);
    WorkloadBuilder wb(rewriter, op.getLoc());
    SmallVector<Value, 2> operands;
    for (Value operand : {op.getLhs(), op.getRhs()}) {
      auto t = operand.getDefiningOp<wl::TransposeOp>();
      if (t && t.getPermutation() == perm &&
          t.getType().getShape() == type.getShape()) {
        operands.push_back(t.getInput());
        continue;
      }
      // A broadcast operand is its input: the op broadcasts it the same
      // way (numpy rules both).
      if (auto b = operand.getDefiningOp<wl::BroadcastOp>())
        operand = b.getInput();
      RankedTensorType small = tensorType(operand);
      if (small.getNumElements() >= type.getNumElements() ||
          small.getRank() > rank) {
        wb.rollback();
        return failure();
      }
      SmallVector<int64_t> aligned(rank - small.getRank(), 1);
      llvm::append_range(aligned, small.getShape());
      operands.push_back(wb.transpose(wb.reshape(operand, aligned), inv));
    }
    Value inner = wb.binary<OpTy>(operands[0], operands[1]);
    if (!inner) {
      wb.rollback();
      return failure();
    }
    rewriter.replaceOpWithNewOp<wl::TransposeOp>(op, type, inner, perm);
    return success();
  }
};

/// The dims of `shape` that are not 1, in order.
SmallVector<int64_t> nonUnit(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> dims;
  for (int64_t d : shape)
    if (d != 1)
      dims.push_back(d);
  return dims;
}

/// reshape(transpose(x, p)) -> transpose(reshape(x), q) when the reshape
/// only drops or inserts dims of size 1 (also a wl.broadcast that only
/// adds them): the data moves the same way, the unit dims go to the end of
/// x's layout.
template <typename OpTy>
struct SinkThroughUnitReshape : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    wl::TransposeOp t = soleTranspose(op.getInput());
    RankedTensorType type = op.getType();
    if (!t || type.getNumElements() != t.getType().getNumElements() ||
        nonUnit(type.getShape()) != nonUnit(t.getType().getShape()))
      return failure();
    // x's non-unit dims, in x order, and where each result dim's data
    // comes from among them.
    RankedTensorType xType = tensorType(t.getInput());
    SmallVector<int64_t> xIndex(xType.getRank(), -1), shapeX;
    for (int64_t j = 0; j < xType.getRank(); ++j)
      if (xType.getDimSize(j) != 1) {
        xIndex[j] = shapeX.size();
        shapeX.push_back(xType.getDimSize(j));
      }
    // The non-unit dims of the transpose's result, as x's non-unit dims.
    SmallVector<int64_t> order;
    for (auto [d, p] : llvm::enumerate(t.getPermutation()))
      if (t.getType().getDimSize(d) != 1)
        order.push_back(xIndex[p]);
    int64_t nextUnit = shapeX.size(), nextData = 0;
    SmallVector<int64_t> q;
    for (int64_t size : type.getShape())
      q.push_back(size == 1 ? nextUnit++ : order[nextData++]);
    shapeX.append(type.getRank() - order.size(), 1);
    WorkloadBuilder wb(rewriter, op.getLoc());
    Value reshaped = wb.reshape(t.getInput(), shapeX);
    rewriter.replaceOp(op, wb.transpose(reshaped, q));
    return success();
  }
};

/// A transpose that keeps the order of the dims that are not 1 moves no
/// data: it is a reshape (a per-channel vector between layouts, or what
/// is left of a transpose after unit-dim reshapes sank into it).
struct TransposeAsReshape : OpRewritePattern<wl::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(wl::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType in = op.getInput().getType();
    int64_t last = -1;
    for (int64_t p : op.getPermutation()) {
      if (in.getDimSize(p) == 1)
        continue;
      if (p < last)
        return failure();
      last = p;
    }
    rewriter.replaceOpWithNewOp<wl::ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};

/// matmul(transpose(a), b) -> matmul(a, b) {transpose_lhs} (and for the
/// right operand, and batch_matmul): a transpose of the two matrix dims is
/// what the op's flags say, and a matrix unit reads either layout.
template <typename OpTy> struct AbsorbIntoMatmul : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto swapsLastTwo = [](Value v) -> wl::TransposeOp {
      auto t = v.getDefiningOp<wl::TransposeOp>();
      if (!t)
        return nullptr;
      ArrayRef<int64_t> perm = t.getPermutation();
      int64_t rank = perm.size();
      for (int64_t d = 0; d < rank - 2; ++d)
        if (perm[d] != d)
          return nullptr;
      return perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2 ? t
                                                                      : nullptr;
    };
    wl::TransposeOp lhs = swapsLastTwo(op.getLhs()),
                    rhs = swapsLastTwo(op.getRhs());
    if (!lhs && !rhs)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      if (lhs) {
        op.getLhsMutable().assign(lhs.getInput());
        op.setTransposeLhs(!op.getTransposeLhs());
      }
      if (rhs) {
        op.getRhsMutable().assign(rhs.getInput());
        op.setTransposeRhs(!op.getTransposeRhs());
      }
    });
    return success();
  }
};

} // namespace

void populateTransposeSinkingPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns
      .add<SinkThroughUnary, SinkThroughBinary<wl::AddOp>,
           SinkThroughBinary<wl::SubOp>, SinkThroughBinary<wl::MulOp>,
           SinkThroughBinary<wl::DivOp>, SinkThroughBinary<wl::MaxOp>,
           SinkThroughBinary<wl::MinOp>, SinkThroughUnitReshape<wl::ReshapeOp>,
           SinkThroughUnitReshape<wl::BroadcastOp>, TransposeAsReshape,
           AbsorbIntoMatmul<wl::MatmulOp>, AbsorbIntoMatmul<wl::BatchMatmulOp>>(
          ctx);
  wl::TransposeOp::getCanonicalizationPatterns(patterns, ctx);
}

void populateReshapeSinkingPatterns(RewritePatternSet &patterns) {
  patterns.add<
      SinkReshapeThroughUnary, SinkReshapeThroughBinary<wl::AddOp>,
      SinkReshapeThroughBinary<wl::SubOp>, SinkReshapeThroughBinary<wl::MulOp>,
      SinkReshapeThroughBinary<wl::DivOp>, SinkReshapeThroughBinary<wl::MaxOp>,
      SinkReshapeThroughBinary<wl::MinOp>>(patterns.getContext());
}

} // namespace fungible::import
