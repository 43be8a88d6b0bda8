//===- Idioms.cpp - Activations and normalisations written out --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the idiom matchers and fusion patterns (see
// Idioms.h).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToWorkload/Idioms.h"
#include "passes/Conversion/LinalgToWorkload/ImportBuilder.h"
#include "passes/Conversion/LinalgToWorkload/Polynomial.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible::import {

namespace {
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kGeluCubic = 0.044715;

Type elementTypeOf(Value value) {
  return getElementTypeOrSelf(value.getType());
}

template <typename... OpTys> bool definedBy(Value value) {
  Operation *op = value.getDefiningOp();
  return op && isa<OpTys...>(op);
}

/// The polynomial `value` computes when it is `coefficient`·x for the
/// given leaf x.
bool isScaled(Value value, Value x, double coefficient) {
  std::optional<Polynomial> p = Polynomial::of(value);
  return p && p->size() == 1 &&
         closeTo(p->coefficient({x}), coefficient, elementTypeOf(x));
}
} // namespace

std::optional<GeluMatch> matchGelu(Value root) {
  std::optional<Polynomial> p = Polynomial::of(root);
  if (!p || p->size() != 2 || p->getLeaves().size() != 2)
    return std::nullopt;
  Type elem = elementTypeOf(root);
  for (Value t : p->getLeaves()) {
    bool isTanh = definedBy<math::TanhOp, wl::TanhOp>(t);
    if (!isTanh && !definedBy<math::ErfOp, tosa::ErfOp>(t))
      continue;
    Value x = p->getLeaves()[p->getLeaves()[0] == t ? 1 : 0];
    if (x.getType() != root.getType() ||
        !closeTo(p->coefficient({x}), 0.5, elem) ||
        !closeTo(p->coefficient({x, t}), 0.5, elem))
      return std::nullopt;
    Value u = t.getDefiningOp()->getOperand(0);
    if (!isTanh)
      return isScaled(u, x, kInvSqrt2)
                 ? std::optional<GeluMatch>(GeluMatch{x, false})
                 : std::nullopt;
    std::optional<Polynomial> q = Polynomial::of(u);
    if (q && q->size() == 2 &&
        closeTo(q->coefficient({x}), kSqrt2OverPi, elem) &&
        closeTo(q->coefficient({x, x, x}), kSqrt2OverPi * kGeluCubic, elem))
      return GeluMatch{x, true};
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<SigmoidMatch> matchSigmoid(Value root) {
  Operation *div = root.getDefiningOp();
  if (!div || !isa<arith::DivFOp, wl::DivOp>(div))
    return std::nullopt;
  // The denominator is 1 + e with e = exp(-x).
  std::optional<Polynomial> den = Polynomial::of(div->getOperand(1));
  if (!den || den->size() != 2 || den->getLeaves().size() != 1)
    return std::nullopt;
  Value e = den->getLeaves()[0];
  Type elem = elementTypeOf(root);
  if (!definedBy<math::ExpOp, wl::ExpOp>(e) ||
      !closeTo(den->constant(), 1, elem) ||
      !closeTo(den->coefficient({e}), 1, elem))
    return std::nullopt;
  std::optional<Polynomial> exponent =
      Polynomial::of(e.getDefiningOp()->getOperand(0));
  if (!exponent || exponent->size() != 1 || exponent->getLeaves().size() != 1)
    return std::nullopt;
  Value x = exponent->getLeaves()[0];
  if (x.getType() != root.getType() ||
      !closeTo(exponent->coefficient({x}), -1, elem))
    return std::nullopt;
  Value num = div->getOperand(0);
  std::optional<double> one = getConstantValue(num);
  if (one && closeTo(*one, 1, elem))
    return SigmoidMatch{x, false};
  if (num == x)
    return SigmoidMatch{x, true};
  return std::nullopt;
}

namespace {

/// Looks through a wl.reshape (the reductions' results are reshaped to
/// keep their reduced dims as 1s).
Value throughReshape(Value value) {
  if (auto reshape = value.getDefiningOp<wl::ReshapeOp>())
    return reshape.getInput();
  return value;
}

/// The shape of the rows of `input` over its trailing `k` dims: those dims
/// kept as 1s.
SmallVector<int64_t> rowsShape(Value input, int64_t k) {
  SmallVector<int64_t> rows(tensorType(input).getShape());
  std::fill(rows.end() - k, rows.end(), 1);
  return rows;
}

/// The trailing dims a reduction `value` (looked through its reshape)
/// reduces `input` over, with `value` shaped as the rows of `input`: the
/// reduced dims kept as 1s (a value broadcast over the rows), or, with
/// `overRows`, dropped (the reduction's own result in an expression over
/// the rows alone, which a reshape to the rows' shape then broadcasts; in
/// an expression over `input` such a value would broadcast over columns).
/// The count of elements per row, or 0.
int64_t rowReduction(Value value, Value input, wl::ReduceKind kind,
                     bool overRows = false) {
  auto reduce = throughReshape(value).getDefiningOp<wl::ReduceOp>();
  if (!reduce || reduce.getKind() != kind || reduce.getInput() != input)
    return 0;
  RankedTensorType in = tensorType(input);
  ArrayRef<int64_t> dims = reduce.getDims();
  int64_t rank = in.getRank(), k = dims.size(), count = 1;
  for (int64_t i = 0; i < k; ++i) {
    if (dims[i] != rank - k + i)
      return 0;
    count *= in.getDimSize(dims[i]);
  }
  SmallVector<int64_t> rows = rowsShape(input, k);
  ArrayRef<int64_t> want =
      overRows ? in.getShape().drop_back(k) : ArrayRef<int64_t>(rows);
  if (k == 0 || tensorType(value).getShape() != want)
    return 0;
  return count;
}

/// Whether `value` is shaped as the rows of `input` over its trailing `k`
/// dims, those kept as 1s.
bool shapedAsRows(Value value, Value input, int64_t k) {
  return k > 0 && k <= tensorType(input).getRank() &&
         tensorType(value).getShape() == ArrayRef<int64_t>(rowsShape(input, k));
}

/// A per-row value as a leaf of an expression over whole rows: a
/// reduction (through a reshape), or a reshape of a constant times a
/// reduction computed over the rows alone (a mean computed once a row,
/// sum / n, then reshaped to be broadcast over them).
struct ScaledReduction {
  Value reduced;
  double scale = 1.0;
  /// Whether `reduced` is the reduction's own result, over the rows alone.
  bool overRows = false;
};

ScaledReduction scaledReduction(Value value) {
  Value inner = throughReshape(value);
  if (inner == value || inner.getDefiningOp<wl::ReduceOp>())
    return {value};
  std::optional<Polynomial> scaled = Polynomial::of(inner);
  if (!scaled || scaled->getLeaves().size() != 1 || scaled->size() != 1)
    return {value};
  Value sum = scaled->getLeaves()[0];
  double c = scaled->coefficient({sum});
  if (c == 0 || !sum.getDefiningOp<wl::ReduceOp>())
    return {value};
  return {sum, c, /*overRows=*/true};
}

/// Whether `value` is a wl.reduce of `kind` over the last dim of `input`,
/// shaped as its rows (a row sum read along the last dim instead, as a
/// broadcast over columns, is not a softmax's denominator).
bool isLastDimReduce(Value value, wl::ReduceKind kind, Value input) {
  auto reduce = throughReshape(value).getDefiningOp<wl::ReduceOp>();
  return reduce && reduce.getDims().size() == 1 &&
         rowReduction(value, input, kind);
}

/// A softmax written out: e = exp(x - max(x)), then e / sum(e) (as
/// torch-mlir decomposes it) or e * (1 / sum(e)) (TOSA's reciprocal), all
/// over the last dim; x, or null.
Value matchSoftmax(Operation *root) {
  Value e, sum;
  if (auto div = dyn_cast<wl::DivOp>(root)) {
    e = div.getLhs();
    sum = div.getRhs();
  } else if (auto mul = dyn_cast<wl::MulOp>(root)) {
    for (auto [a, b] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())}) {
      auto reciprocal = b.getDefiningOp<wl::DivOp>();
      std::optional<double> one =
          reciprocal ? getConstantValue(reciprocal.getLhs()) : std::nullopt;
      if (one && *one == 1) {
        e = a;
        sum = reciprocal.getRhs();
        break;
      }
    }
  }
  auto exp = e ? e.getDefiningOp<wl::ExpOp>() : nullptr;
  if (!exp || root->getResult(0).getType() != exp.getType())
    return nullptr;
  auto sub = exp.getInput().getDefiningOp<wl::SubOp>();
  if (!sub || sub.getType() != exp.getType())
    return nullptr;
  Value x = sub.getLhs();
  if (x.getType() != exp.getType() ||
      !isLastDimReduce(sub.getRhs(), wl::ReduceKind::Max, x) ||
      !isLastDimReduce(sum, wl::ReduceKind::Sum, exp.getResult()))
    return nullptr;
  return x;
}

/// The softmax written out becomes one wl.softmax; the pieces die once
/// the root is replaced.
template <typename RootOp> struct FuseSoftmax : OpRewritePattern<RootOp> {
  using OpRewritePattern<RootOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(RootOp root,
                                PatternRewriter &rewriter) const override {
    Value x = matchSoftmax(root);
    if (!x)
      return failure();
    rewriter.replaceOpWithNewOp<wl::SoftmaxOp>(root, x,
                                               tensorType(x).getRank() - 1);
    return success();
  }
};

/// GELU over tensors: what producers that split it over several generics
/// or ops (TOSA: tosa.erf, tosa.tanh, tosa.mul...) leave after raising.
template <typename RootOp> struct FuseGelu : OpRewritePattern<RootOp> {
  using OpRewritePattern<RootOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(RootOp root,
                                PatternRewriter &rewriter) const override {
    if (!isa<FloatType>(root.getType().getElementType()))
      return failure();
    std::optional<GeluMatch> gelu = matchGelu(root.getResult());
    if (!gelu)
      return failure();
    rewriter.replaceOpWithNewOp<wl::GeluOp>(root, root.getType(), gelu->x,
                                            gelu->approximate);
    return success();
  }
};

/// A layer or RMS norm written out, as the matcher found it.
struct NormMatch {
  Value x, scale, bias;
  double epsilon = 0;
  bool rms = false;
  SmallVector<int64_t> normShape;
};

/// A mean of `input` over its trailing dims: reduce mean (coefficient 1)
/// or reduce sum scaled by 1/count. The count, or 0.
int64_t rowMean(Value value, Value input, double coefficient, Type elem,
                bool overRows = false) {
  if (int64_t n = rowReduction(value, input, wl::ReduceKind::Mean, overRows))
    return closeTo(coefficient, 1, elem) ? n : 0;
  if (int64_t n = rowReduction(value, input, wl::ReduceKind::Sum, overRows))
    return closeTo(coefficient, 1.0 / static_cast<double>(n), elem) ? n : 0;
  return 0;
}

/// The rsqrt(mean(q) + eps) of a norm: the normalised input x (q = x^2
/// for an RMS norm) or x - mean(x) (q = (x - m/n)^2, m = sum(x), for a
/// layer norm), with the row count n.
struct Variance {
  Value x, m;
  double alpha = 0, epsilon = 0;
  /// Elements per row, and the number of trailing dims a row spans.
  int64_t n = 0, rowDims = 0;
};

/// `overRows`: the rsqrt is computed over the rows alone (a reshape then
/// broadcasts it), and so is its mean.
std::optional<Variance> matchVariance(wl::RsqrtOp rsqrt, Type elem,
                                      bool overRows) {
  std::optional<Polynomial> var = Polynomial::of(rsqrt.getInput());
  if (!var || var->getLeaves().size() != 1 || var->constant() < 0 ||
      var->size() != (var->constant() > 0 ? 2u : 1u))
    return std::nullopt;
  Value v = var->getLeaves()[0];
  auto reduce = throughReshape(v).getDefiningOp<wl::ReduceOp>();
  if (!reduce || rsqrt.getType() != v.getType())
    return std::nullopt;
  Variance result;
  result.epsilon = var->constant();
  Value q = reduce.getInput();
  result.n = rowMean(v, q, var->coefficient({v}), elem, overRows);
  result.rowDims = reduce.getDims().size();
  auto square = q.getDefiningOp<wl::MulOp>();
  if (!result.n || !square || square.getLhs() != square.getRhs() ||
      square.getLhs().getType() != q.getType())
    return std::nullopt;
  // The centred value: x - m/n, x being what m sums.
  Value centred = square.getLhs();
  result.x = centred;
  std::optional<Polynomial> wide = Polynomial::of(centred);
  for (Value leaf : wide ? wide->getLeaves() : ArrayRef<Value>()) {
    ScaledReduction mean = scaledReduction(leaf);
    auto sum = throughReshape(mean.reduced).getDefiningOp<wl::ReduceOp>();
    if (!sum || sum.getInput().getType() != q.getType())
      continue;
    Value x = sum.getInput();
    std::optional<Polynomial> c = Polynomial::of(centred, {x});
    if (!c || c->size() != 2 || !closeTo(c->coefficient({x}), 1, elem))
      continue;
    double alpha = c->coefficient({leaf});
    if ((mean.overRows && !shapedAsRows(leaf, x, result.rowDims)) ||
        rowMean(mean.reduced, x, -alpha * mean.scale, elem, mean.overRows) !=
            result.n)
      continue;
    result.x = x;
    result.m = leaf;
    result.alpha = alpha;
    break;
  }
  return result;
}

std::optional<NormMatch> matchNorm(Value root) {
  std::optional<Polynomial> wide = Polynomial::of(root);
  if (!wide)
    return std::nullopt;
  Type elem = elementTypeOf(root);
  for (Value rs : wide->getLeaves()) {
    // Computed at each element, or over the rows alone and reshaped to
    // their shape to be broadcast over them.
    Value computed = throughReshape(rs);
    auto rsqrt = computed.getDefiningOp<wl::RsqrtOp>();
    if (!rsqrt)
      continue;
    bool overRows = computed != rs;
    std::optional<Variance> variance = matchVariance(rsqrt, elem, overRows);
    if (!variance || variance->x.getType() != root.getType() ||
        (overRows && !shapedAsRows(rs, variance->x, variance->rowDims)))
      return std::nullopt;
    Value x = variance->x, m = variance->m;
    double alpha = variance->alpha;
    std::optional<Polynomial> p = Polynomial::of(root, {x});
    if (!p)
      return std::nullopt;
    ArrayRef<Value> leaves = p->getLeaves();
    size_t rsIndex = llvm::find(leaves, rs) - leaves.begin();
    // root = (x + alpha m) * rs * scale + bias.
    unsigned rsTerms = 0, otherTerms = 0;
    for (const auto &term : p->getTerms()) {
      int64_t uses = llvm::count(term.first, rsIndex);
      if (uses > 1)
        return std::nullopt;
      ++(uses ? rsTerms : otherTerms);
    }
    if (rsTerms != (m ? 2u : 1u) || otherTerms > 1)
      return std::nullopt;
    NormMatch match;
    for (const auto &[monomial, c] : p->getTerms()) {
      if (llvm::is_contained(monomial, rsIndex))
        continue;
      if (monomial.size() != 1 || !closeTo(c, 1, elem))
        return std::nullopt;
      match.bias = leaves[monomial[0]];
    }
    // What is left is the scale, if anything: one leaf at most.
    for (Value leaf : leaves) {
      if (leaf == x || leaf == m || leaf == rs || leaf == match.bias)
        continue;
      if (match.scale)
        return std::nullopt;
      match.scale = leaf;
    }
    SmallVector<Value> xTerm{x, rs}, mTerm{m, rs};
    if (match.scale) {
      xTerm.push_back(match.scale);
      mTerm.push_back(match.scale);
    }
    if (!closeTo(p->coefficient(xTerm), 1, elem) ||
        (m && !closeTo(p->coefficient(mTerm), alpha, elem)))
      return std::nullopt;
    RankedTensorType xType = tensorType(x);
    int64_t k = xType.getRank() - variance->rowDims;
    match.normShape.assign(xType.getShape().begin() + k,
                           xType.getShape().end());
    match.x = x;
    match.epsilon = variance->epsilon;
    match.rms = !m;
    return match;
  }
  return std::nullopt;
}

/// `value` as a tensor of `shape` when it holds exactly that many elements
/// laid out the same (leading 1s dropped); null otherwise.
Value asNormOperand(WorkloadBuilder &wb, Value value, ArrayRef<int64_t> shape) {
  RankedTensorType type = tensorType(value);
  ArrayRef<int64_t> dims = type.getShape();
  while (dims.size() > shape.size() && dims.front() == 1)
    dims = dims.drop_front();
  if (dims != shape)
    return nullptr;
  return wb.reshape(value, shape);
}

/// A splat constant of `shape` and `type`.
Value splat(WorkloadBuilder &wb, ArrayRef<int64_t> shape, Type type,
            double value) {
  auto tensor = RankedTensorType::get(shape, type);
  return wb.track(arith::ConstantOp::create(
      wb.b, wb.loc, tensor,
      DenseElementsAttr::get(tensor, FloatAttr::get(type, value))));
}

template <typename RootOp> struct FuseNorm : OpRewritePattern<RootOp> {
  using OpRewritePattern<RootOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(RootOp root,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = root.getType();
    if (!isa<FloatType>(type.getElementType()))
      return failure();
    std::optional<NormMatch> norm = matchNorm(root.getResult());
    if (!norm)
      return failure();
    // The largest expression is the norm: leave a root whose only user
    // extends it (applies the scale or bias) to that user.
    if (root->hasOneUse()) {
      Operation *user = *root->user_begin();
      if (isa<wl::AddOp, wl::MulOp>(user) && matchNorm(user->getResult(0)))
        return failure();
    }
    Type elem = type.getElementType();
    WorkloadBuilder wb(rewriter, root.getLoc());
    Value scale = norm->scale ? asNormOperand(wb, norm->scale, norm->normShape)
                              : splat(wb, norm->normShape, elem, 1.0);
    Value bias = norm->bias  ? asNormOperand(wb, norm->bias, norm->normShape)
                 : norm->rms ? Value()
                             : splat(wb, norm->normShape, elem, 0.0);
    auto ofType = [&](Value v) {
      return v && tensorType(v).getElementType() == elem;
    };
    if (!ofType(scale) || (norm->rms ? bool(norm->bias) : !ofType(bias))) {
      wb.rollback();
      return failure();
    }
    FloatAttr epsilon = rewriter.getF64FloatAttr(norm->epsilon);
    if (norm->rms)
      rewriter.replaceOpWithNewOp<wl::RmsNormOp>(root, type, norm->x, scale,
                                                 epsilon);
    else
      rewriter.replaceOpWithNewOp<wl::LayerNormOp>(root, type, norm->x, scale,
                                                   bias, epsilon);
    return success();
  }
};

/// x + 0 -> broadcast(x), where 0 is a constant zero and the sum has more
/// elements than x: TOSA writes a broadcast as an add of zeros of the
/// broadcast shape (the RoPE table's frequencies repeated over both
/// halves, K and V over a group's query heads). x + 0 is x but for -0,
/// which equals 0. The broadcast is data movement: no FLOPs, and a target
/// stores it rather than computing it (a matrix unit's tiles written twice).
struct BroadcastByAddingZero : OpRewritePattern<wl::AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(wl::AddOp add,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = add.getType();
    for (auto [x, zero] : {std::pair(add.getLhs(), add.getRhs()),
                           std::pair(add.getRhs(), add.getLhs())}) {
      std::optional<double> c = getConstantValue(zero);
      RankedTensorType xType = tensorType(x);
      if (!c || *c != 0 || xType.getElementType() != type.getElementType() ||
          !xType.hasStaticShape() || !type.hasStaticShape() ||
          xType.getNumElements() >= type.getNumElements())
        continue;
      rewriter.replaceOpWithNewOp<wl::BroadcastOp>(add, type, x);
      return success();
    }
    return failure();
  }
};

} // namespace

void populateIdiomPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<FuseSoftmax<wl::DivOp>, FuseSoftmax<wl::MulOp>,
               FuseGelu<wl::MulOp>, FuseGelu<wl::AddOp>, FuseNorm<wl::MulOp>,
               FuseNorm<wl::AddOp>, BroadcastByAddingZero>(ctx);
}

} // namespace fungible::import
