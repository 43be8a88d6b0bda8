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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible::import {

namespace {

/// An elementwise op with one operand (its result has the operand's
/// shape).
bool isUnaryElementwise(Operation *op) {
  return isa<wl::ReluOp, wl::NegOp, wl::ExpOp, wl::TanhOp, wl::SigmoidOp,
             wl::SqrtOp, wl::RsqrtOp, wl::SinOp, wl::CosOp, wl::GeluOp,
             wl::CastOp>(op);
}

/// Whether the transpose sinking patterns below may move a transpose past
/// `op`: a layout-blind elementwise op or a reshape.
bool isLayoutBlind(Operation *op) {
  return isUnaryElementwise(op) ||
         isa<wl::AddOp, wl::SubOp, wl::MulOp, wl::DivOp, wl::MaxOp, wl::MinOp,
             wl::ReshapeOp, wl::BroadcastOp>(op);
}

/// A copy of the unary elementwise op `op` applied to `input` instead (the
/// source of its operand's transpose or reshape).
Value cloneOnto(PatternRewriter &rewriter, Operation *op, Value input) {
  Type elem = tensorType(op->getResult(0)).getElementType();
  Operation *moved = rewriter.clone(*op);
  moved->setOperand(0, input);
  moved->getResult(0).setType(tensorType(input).clone(elem));
  return moved->getResult(0);
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

/// unary(transpose(x, p)) -> transpose(unary(x), p).
struct SinkThroughUnary : RewritePattern {
  SinkThroughUnary(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    wl::TransposeOp t;
    if (!isUnaryElementwise(op) || !(t = soleTranspose(op->getOperand(0))))
      return failure();
    rewriter.replaceOpWithNewOp<wl::TransposeOp>(
        op, op->getResult(0).getType(), cloneOnto(rewriter, op, t.getInput()),
        t.getPermutation());
    return success();
  }
};

/// unary(view(x)) -> view(unary(x)), where `sinkable` gives the view (a
/// reshape or a broadcast, which an elementwise op does not care about)
/// producing the op's operand: the op runs on x, and the view after it.
template <typename ViewOp, ViewOp (*sinkable)(Value)>
struct SinkViewThroughUnary : RewritePattern {
  SinkViewThroughUnary(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    ViewOp view;
    if (!isUnaryElementwise(op) || !(view = sinkable(op->getOperand(0))))
      return failure();
    rewriter.replaceOpWithNewOp<ViewOp>(
        op, op->getResult(0).getType(),
        cloneOnto(rewriter, op, view.getInput()));
    return success();
  }
};

/// The broadcast producing `value`, whatever its other users (they keep
/// reading it).
wl::BroadcastOp producingBroadcast(Value value) {
  return value.getDefiningOp<wl::BroadcastOp>();
}

/// unary(broadcast(x)) -> broadcast(unary(x)): the op runs once per
/// element of x instead of once per copy (the RoPE table's cos and sin of
/// the frequencies repeated over both halves), and the broadcast is what
/// the kernel stores. Every unary user of a broadcast takes it (its others
/// keep reading the broadcast).
using SinkBroadcastThroughUnary =
    SinkViewThroughUnary<wl::BroadcastOp, producingBroadcast>;

/// The reshape producing `value` when it may sink below its users: it has
/// one, or every user is an elementwise op (a SiLU's sigmoid and product
/// both read it), whose copies of it meet again as one op's operands.
wl::ReshapeOp sinkableReshape(Value value) {
  auto reshape = value.getDefiningOp<wl::ReshapeOp>();
  if (!reshape)
    return nullptr;
  if (reshape->hasOneUse() ||
      llvm::all_of(reshape->getUsers(), [](Operation *user) {
        return isLayoutBlind(user) &&
               !isa<wl::ReshapeOp, wl::BroadcastOp>(user);
      }))
    return reshape;
  return nullptr;
}

/// unary(reshape(x)) -> reshape(unary(x)) (sinkableReshape): an
/// elementwise op does not care about shape, and the reshape then meets the
/// next one (torch-mlir drops a CNN's batch dim around each ReLU and adds
/// it back) and the two fold. A kernel's epilogue then runs in its
/// producer's shape, on the tiles a matrix unit wrote.
using SinkReshapeThroughUnary =
    SinkViewThroughUnary<wl::ReshapeOp, sinkableReshape>;

/// binary(reshape(x), y) -> reshape(binary(x, y')) (either operand), where
/// the reshape is sinkableReshape's and has the result's shape, and y' is
/// y in x's shape:
///   - y is a reshape of a value of x's shape: that value (both sink);
///   - y has one element and no more dims than x: y itself (it broadcasts);
///   - y is a constant of the result's shape, or of one element: the same
///     constant in x's shape (or all-ones dims), folded;
///   - y has the result's shape and the reshape drops dims (x has the
///     higher rank: a residual add after the batch dim was dropped): y
///     reshaped to x's shape. Only towards the higher rank: the reshape of
///     y it makes adds dims, so it never sinks back.
/// The binary op then runs in the shape of what produced x, and the
/// reshapes meet and fold.
template <typename OpTy>
struct SinkReshapeThroughBinary : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    for (int side = 0; side < 2; ++side) {
      Value reshaped = side == 0 ? op.getLhs() : op.getRhs();
      Value other = side == 0 ? op.getRhs() : op.getLhs();
      wl::ReshapeOp reshape = sinkableReshape(reshaped);
      if (!reshape || tensorType(reshaped).getShape() != type.getShape())
        continue;
      RankedTensorType inner = tensorType(reshape.getInput());
      RankedTensorType otherType = tensorType(other);
      Value matched;
      Operation *made = nullptr;
      DenseElementsAttr dense;
      if (wl::ReshapeOp twin = sinkableReshape(other);
          twin && otherType.getShape() == type.getShape() &&
          tensorType(twin.getInput()).getShape() == inner.getShape()) {
        matched = twin.getInput();
      } else if (otherType.getNumElements() == 1 &&
                 otherType.getRank() <= inner.getRank()) {
        // A scalar broadcasts to any shape of at least its rank.
        matched = other;
      } else if (matchPattern(other, m_Constant(&dense)) &&
                 (otherType.getShape() == type.getShape() ||
                  otherType.getNumElements() == 1)) {
        SmallVector<int64_t> shape(inner.getShape());
        if (otherType.getShape() != type.getShape())
          shape.assign(inner.getRank(), 1);
        matched =
            arith::ConstantOp::create(rewriter, op.getLoc(),
                                      dense.reshape(RankedTensorType::get(
                                          shape, otherType.getElementType())));
        made = matched.getDefiningOp();
      } else if (inner.getRank() > type.getRank() &&
                 otherType.getShape() == type.getShape()) {
        matched = wl::ReshapeOp::create(rewriter, op.getLoc(),
                                        inner.clone(otherType.getElementType()),
                                        other);
        made = matched.getDefiningOp();
      } else {
        continue;
      }
      Value lhs = side == 0 ? reshape.getInput() : matched;
      Value rhs = side == 0 ? matched : reshape.getInput();
      WorkloadBuilder wb(rewriter, op.getLoc());
      Value computed = wb.binary<OpTy>(lhs, rhs);
      if (!computed || tensorType(computed).getShape() != inner.getShape()) {
        // Equal shapes always broadcast; undo what was made regardless.
        wb.rollback();
        if (made)
          rewriter.eraseOp(made);
        return failure();
      }
      rewriter.replaceOpWithNewOp<wl::ReshapeOp>(op, type, computed);
      return success();
    }
    return failure();
  }
};

/// binary(transpose(x, p), c) -> transpose(binary(x, c'), p): every
/// operand is either a transpose by the same p (its input is used; a
/// lower-rank one lifted: liftTranspose) or
/// smaller than the result (a per-channel scale, a bias, a scalar, or a
/// wl.broadcast of one), which is brought into x's layout by a transpose
/// of its own, as small as it is. Operands as large as the result are left
/// alone: permuting them would cost what is saved.
/// A transpose operand of a binary op seen at the op's rank: a transpose
/// of rank k < r whose shape is the result's last k dims, the others 1 (a
/// broadcast adds them), is the rank-r transpose of its input with r - k
/// unit dims in front (a squeeze-excitation gate times the CHW map of an
/// image whose batch dim was dropped).
struct LiftedTranspose {
  wl::TransposeOp op;
  SmallVector<int64_t> perm;
  int64_t lead = 0; ///< unit dims added in front
};

std::optional<LiftedTranspose> liftTranspose(Value operand,
                                             RankedTensorType type) {
  wl::TransposeOp t = soleTranspose(operand);
  if (!t)
    return std::nullopt;
  int64_t rank = type.getRank(), k = t.getType().getRank();
  if (k > rank || t.getType().getShape() != type.getShape().take_back(k) ||
      llvm::any_of(type.getShape().drop_back(k),
                   [](int64_t d) { return d != 1; }))
    return std::nullopt;
  LiftedTranspose lifted{t, {}, rank - k};
  for (int64_t d = 0; d < lifted.lead; ++d)
    lifted.perm.push_back(d);
  for (int64_t p : t.getPermutation())
    lifted.perm.push_back(p + lifted.lead);
  return lifted;
}

template <typename OpTy> struct SinkThroughBinary : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    SmallVector<int64_t> perm;
    for (Value operand : {op.getLhs(), op.getRhs()})
      if (std::optional<LiftedTranspose> t = liftTranspose(operand, type)) {
        perm = t->perm;
        break;
      }
    if (perm.empty())
      return failure();
    SmallVector<int64_t> inv = invertPermutationVector(perm);
    WorkloadBuilder wb(rewriter, op.getLoc());
    SmallVector<Value, 2> operands;
    for (Value operand : {op.getLhs(), op.getRhs()}) {
      std::optional<LiftedTranspose> t = liftTranspose(operand, type);
      if (t && t->perm == perm) {
        Value input = t->op.getInput();
        SmallVector<int64_t> shape(t->lead, 1);
        llvm::append_range(shape, tensorType(input).getShape());
        operands.push_back(wb.reshape(input, shape));
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

/// concat(transpose(x_i, p), d) -> transpose(concat(x_i, p[d]), p) when
/// every input is the sole use of a transpose by the same permutation: a
/// channel concat between NHWC convolutions that torch-mlir writes in
/// NCHW (SqueezeNet's fire modules) is then one in NHWC, and the
/// transpose back to NHWC after it cancels.
struct SinkThroughConcat : OpRewritePattern<wl::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(wl::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> inputs;
    ArrayRef<int64_t> perm;
    for (Value input : op.getInputs()) {
      auto t = input.getDefiningOp<wl::TransposeOp>();
      if (!t || !t->hasOneUse() ||
          (!perm.empty() && t.getPermutation() != perm))
        return failure();
      perm = t.getPermutation();
      inputs.push_back(t.getInput());
    }
    if (inputs.empty())
      return failure();
    int64_t dim = perm[op.getDim()];
    SmallVector<int64_t> shape(tensorType(inputs.front()).getShape());
    shape[dim] = 0;
    for (Value input : inputs)
      shape[dim] += tensorType(input).getDimSize(dim);
    auto concat =
        wl::ConcatOp::create(rewriter, op.getLoc(), op.getType().clone(shape),
                             inputs, rewriter.getI64IntegerAttr(dim));
    WorkloadBuilder wb(rewriter, op.getLoc());
    rewriter.replaceOp(op, wb.transpose(concat, perm));
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
  patterns.add<SinkThroughUnary, SinkBroadcastThroughUnary,
               SinkThroughBinary<wl::AddOp>, SinkThroughBinary<wl::SubOp>,
               SinkThroughBinary<wl::MulOp>, SinkThroughBinary<wl::DivOp>,
               SinkThroughBinary<wl::MaxOp>, SinkThroughBinary<wl::MinOp>,
               SinkThroughUnitReshape<wl::ReshapeOp>,
               SinkThroughUnitReshape<wl::BroadcastOp>, SinkThroughConcat,
               TransposeAsReshape, AbsorbIntoMatmul<wl::MatmulOp>,
               AbsorbIntoMatmul<wl::BatchMatmulOp>>(ctx);
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
