//===- Attention.cpp - Attention written out, fused back --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements populateAttentionFusionPatterns (Attention.h): the
// scaled dot-product attention that producers write out as
//
//   S = batch_matmul(Q, K) {transpose_rhs}      [B, Sq, Sk]
//     (or batch_matmul(Q, K^T) with K^T [B, D, Sk] given transposed, as
//     a KV cache laid out [.., D, S] holds it)
//   X = S * c  (or S / c)                       optional scale
//   X = X + M                                   optional additive mask
//   P = softmax(X) over the keys
//   O = batch_matmul(P, V)                      [B, Sq, Dv]
//
// (reshapes anywhere between the products, as torch-mlir's and TOSA's
// head splits leave them) becomes one `wl.attention %q, %k, %v mask %m
// {scale = c}`, the op every family's cost model prices with its scores
// on chip and its lowering keeps there. When the softmax runs over the
// query heads of a group split out of S's rows (Llama's grouped-query
// attention: [B, G, Sq, Sk] with G x Sq = M), the attention takes the
// grouped form (K and V 1 along G); so it does when K and V were repeated
// over a group's heads (TOSA's x + 0, a wl.broadcast once the idioms ran).
//
// It is numerically the same program: wl-to-linalg lowers wl.attention to
// the same products (the same sums in the same order), the scaled score
// plus the mask in the same arithmetic and the same softmax. A division is
// taken only by a power of two, whose reciprocal multiplies exactly.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToWorkload/Attention.h"
#include "passes/Conversion/LinalgToWorkload/ImportBuilder.h"
#include "passes/Conversion/LinalgToWorkload/Polynomial.h"

#include "dialects/Workload/WorkloadOps.h"
#include "dialects/Workload/WorkloadUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible::import {
namespace {

/// Whether `a` and `b` have the same last two dimensions (a reshape
/// between them regroups only the batch dimensions).
bool sameMatrices(RankedTensorType a, RankedTensorType b) {
  return a.getRank() >= 2 && b.getRank() >= 2 &&
         a.getShape().take_back(2) == b.getShape().take_back(2);
}

/// `value` past the single-use wl.reshapes that define it (a reshape
/// keeps the elements' row-major order: what the pattern checks is the
/// shapes at both ends).
Value skipReshapes(Value value) {
  while (auto reshape = value.getDefiningOp<wl::ReshapeOp>()) {
    if (!reshape->hasOneUse())
      break;
    value = reshape.getInput();
  }
  return value;
}

/// The scale `value` multiplies by when it is a splat constant `c` (a
/// multiplication), or `1 / c` for a power of two (a division, which that
/// multiplies exactly); nothing otherwise.
std::optional<double> scaleOf(Value value, bool divides) {
  std::optional<double> c = getConstantValue(value);
  if (!c || !std::isfinite(*c) || *c == 0)
    return std::nullopt;
  if (!divides)
    return *c;
  int exponent = 0;
  if (std::frexp(std::fabs(*c), &exponent) != 0.5)
    return std::nullopt;
  return 1.0 / *c;
}

/// The shape of wl.attention's mask for `mask`, added to scores reshaped
/// to `scores` (the last two dimensions of the attention's `[B, Sq, Sk]`):
/// its own when it reaches only the matrix dimensions, its matrices over
/// one batch dimension of B when its batch dimensions are the scores' or
/// all 1; nothing when it does not broadcast so.
std::optional<SmallVector<int64_t>>
maskShape(RankedTensorType mask, RankedTensorType scores, int64_t batch) {
  ArrayRef<int64_t> shape = mask.getShape();
  int64_t rank = mask.getRank();
  if (rank <= 2)
    return SmallVector<int64_t>(shape);
  ArrayRef<int64_t> lead = shape.drop_back(2);
  if (llvm::all_of(lead, [](int64_t d) { return d == 1; }))
    return SmallVector<int64_t>(shape.take_back(2));
  if (rank == scores.getRank() && lead == scores.getShape().drop_back(2))
    return SmallVector<int64_t>{batch, shape[rank - 2], shape[rank - 1]};
  return std::nullopt;
}

/// The scaled scores: `x` (past reshapes) is S * c, S / c or S for
/// S = Q K^T, a batch_matmul with K transposed (or given transposed) read
/// only there; the scaling, when there is one, is read `uses` times.
struct ScaledScores {
  wl::BatchMatmulOp scores;
  double scale = 1.0;
};
std::optional<ScaledScores> matchScaledScores(Value x, unsigned uses = 1) {
  ScaledScores result;
  x = skipReshapes(x);
  Operation *def = x.getDefiningOp();
  if (isa_and_nonnull<wl::MulOp, wl::DivOp>(def) &&
      def->getResult(0).hasNUses(uses)) {
    bool divides = isa<wl::DivOp>(def);
    Value lhs = def->getOperand(0), rhs = def->getOperand(1);
    std::optional<double> scale = scaleOf(rhs, divides);
    if (!scale && !divides) {
      std::swap(lhs, rhs);
      scale = scaleOf(rhs, divides);
    }
    if (!scale || lhs.getType() != x.getType())
      return std::nullopt;
    result.scale = *scale;
    x = skipReshapes(lhs);
    uses = 1;
  }
  result.scores = x.getDefiningOp<wl::BatchMatmulOp>();
  wl::BatchMatmulOp s = result.scores;
  if (!s || !s->getResult(0).hasNUses(uses) || s.getAcc() ||
      s.getTransposeLhs())
    return std::nullopt;
  return result;
}

/// The attention ending at the product with V.
struct FuseAttention : OpRewritePattern<wl::BatchMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(wl::BatchMatmulOp product,
                                PatternRewriter &rewriter) const override {
    if (product.getAcc() || product.getTransposeLhs() ||
        product.getTransposeRhs())
      return failure();
    Type elem = product.getType().getElementType();
    // Narrow floats round each op's result; the fused op rounds once.
    if (!elem.isF32() && !elem.isF64())
      return failure();

    // P = softmax over the keys, read only by the product.
    auto softmax =
        skipReshapes(product.getLhs()).getDefiningOp<wl::SoftmaxOp>();
    if (!softmax || !softmax->hasOneUse() ||
        softmax.getAxis() != softmax.getType().getRank() - 1)
      return failure();

    // Back from the softmax: the mask (either operand of an add), then
    // the scale and the scores.
    Value x = skipReshapes(softmax.getInput()), mask;
    std::optional<ScaledScores> scaled;
    RankedTensorType maskedType;
    if (auto add = x.getDefiningOp<wl::AddOp>(); add && add->hasOneUse()) {
      maskedType = add.getType();
      for (auto [scores, other] : {std::pair(add.getLhs(), add.getRhs()),
                                   std::pair(add.getRhs(), add.getLhs())}) {
        if (scores.getType() != maskedType)
          continue;
        if ((scaled = matchScaledScores(scores))) {
          mask = other;
          break;
        }
      }
    } else {
      scaled = matchScaledScores(x);
    }
    if (!scaled)
      return failure();

    // Q [B, M, D], K [B, Sk, D], V [B, Sk, Dv] and the result of one
    // element type; the scores S [B, M, Sk] are the probabilities' shape.
    wl::BatchMatmulOp scores = scaled->scores;
    Value q = scores.getLhs(), k = scores.getRhs(), v = product.getRhs();
    RankedTensorType s = scores.getType(), x4 = softmax.getType();
    int64_t heads = s.getDimSize(0), rows = s.getDimSize(1),
            keys = s.getDimSize(2);
    if (llvm::any_of(ValueRange{q, k, v, scores.getResult()},
                     [&](Value value) {
                       return tensorType(value).getElementType() != elem;
                     }) ||
        s != tensorType(product.getLhs()) ||
        (mask && tensorType(mask).getElementType() != elem) ||
        tensorType(q).getDimSize(0) != tensorType(v).getDimSize(0) ||
        keys == 0 || tensorType(q).getDimSize(2) == 0 ||
        x4.getShape().back() != keys)
      return failure();
    // The softmax runs over S's rows, or over the query heads of a group
    // split out of them (grouped-query attention: [B, G.., Sq, Sk] with
    // G.. x Sq = M, the heads sharing their K and V), where the mask was
    // added.
    int64_t rank = x4.getRank();
    bool grouped = x4.getDimSize(rank - 2) != rows;
    if (grouped &&
        (rank < 4 || x4.getDimSize(0) != heads || (mask && maskedType != x4)))
      return failure();
    if (!grouped && mask && !sameMatrices(maskedType, s))
      return failure();

    // A mask broadcast over only some of the scores' leading dimensions
    // (a padding mask [B, 1, 1, Sk] over [B, H, Sq, Sk]) keeps them: the
    // attention runs over those dimensions, the mask broadcast by its own.
    std::optional<SmallVector<int64_t>> flatMask;
    if (mask && !grouped)
      flatMask = maskShape(tensorType(mask), maskedType, heads);
    bool keepLead = mask && !grouped && !flatMask;
    if (keepLead && (maskedType.getRank() < 4 ||
                     tensorType(mask).getRank() != maskedType.getRank()))
      return failure();

    WorkloadBuilder wb(rewriter, product.getLoc());
    // The attention's scores: S's shape, or the groups', or the masked
    // scores' with their leading dimensions.
    ArrayRef<int64_t> attentionScores = grouped    ? x4.getShape()
                                        : keepLead ? maskedType.getShape()
                                                   : s.getShape();
    Value maskValue;
    if (mask) {
      // Over the attention's one batch dimension (maskShape), or its own.
      SmallVector<int64_t> shape =
          flatMask ? *flatMask
                   : SmallVector<int64_t>(tensorType(mask).getShape());
      SmallVector<int64_t> broadcast;
      if (!wl::getBroadcastShape(shape, attentionScores, broadcast) ||
          ArrayRef<int64_t>(broadcast) != attentionScores)
        return failure();
      maskValue = wb.reshape(mask, shape);
    }
    // K given transposed ([B, D, Sk]): wl.attention's K is [B, Sk, D]; the
    // lowering's own transpose of it cancels this one, so the products
    // read the same elements in the same order.
    if (!scores.getTransposeRhs())
      k = wb.transpose(k, {0, 2, 1});
    FloatAttr scale = rewriter.getF64FloatAttr(scaled->scale);
    if (!grouped && !keepLead) {
      rewriter.replaceOpWithNewOp<wl::AttentionOp>(
          product, product.getType(), q, k, v, maskValue, /*offset=*/Value(),
          scale, /*causal=*/false, /*normalize_after=*/false);
      return success();
    }
    // Over the scores' leading dimensions, the result merged back. Grouped:
    // Q split into the heads of each group, K and V shared by them (1
    // along the group's dimensions).
    ArrayRef<int64_t> lead = attentionScores.drop_back(2);
    int64_t sq = attentionScores[attentionScores.size() - 2];
    auto shapeOf = [&](int64_t matrixRows, int64_t cols, bool shared) {
      SmallVector<int64_t> shape(lead);
      if (shared && grouped)
        std::fill(shape.begin() + 1, shape.end(), 1);
      shape.append({matrixRows, cols});
      return shape;
    };
    int64_t d = tensorType(q).getDimSize(2), dv = tensorType(v).getDimSize(2);
    auto attention = wl::AttentionOp::create(
        rewriter, wb.loc,
        product.getType().clone(shapeOf(sq, dv, /*shared=*/false)),
        wb.reshape(q, shapeOf(sq, d, false)),
        wb.reshape(k, shapeOf(keys, d, true)),
        wb.reshape(v, shapeOf(keys, dv, true)), maskValue, /*offset=*/Value(),
        scale, /*causal=*/false, /*normalize_after=*/false);
    rewriter.replaceOp(product,
                       wb.reshape(attention, product.getType().getShape()));
    return success();
  }
};

/// The mask a decode step's loops leave on its scores (raised by
/// wl-raise-buffer-loops): `select(j >u p, -inf, s * c)` for key index `j`
/// (the generic's last loop), a position `p` known when it runs, and an
/// optional scale `c`; the generic's one input is the scores.
struct PositionMask {
  Value scores, position;
  double scale = 1.0;
};
std::optional<PositionMask> matchPositionMask(linalg::GenericOp generic) {
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || generic.getNumReductionLoops() != 0 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return std::nullopt;
  Block &body = *generic.getBody();
  auto select = dyn_cast<arith::SelectOp>(
      body.getTerminator()->getOperand(0).getDefiningOp());
  if (!select)
    return std::nullopt;
  std::optional<double> negInf = getConstantValue(select.getTrueValue());
  auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
  if (!negInf || !std::isinf(*negInf) || *negInf > 0 || !cmp)
    return std::nullopt;
  // j >u p, or p <u j.
  Value key = cmp.getLhs(), position = cmp.getRhs();
  if (cmp.getPredicate() == arith::CmpIPredicate::ult)
    std::swap(key, position);
  else if (cmp.getPredicate() != arith::CmpIPredicate::ugt)
    return std::nullopt;
  auto index = key.getDefiningOp<linalg::IndexOp>();
  if (!index || index.getDim() != generic.getNumLoops() - 1 ||
      !position.getType().isIndex() ||
      generic->isAncestor(position.getParentRegion()->getParentOp()))
    return std::nullopt;
  PositionMask mask;
  mask.scores = generic.getDpsInputs()[0];
  mask.position = position;
  Value in = body.getArgument(0), scaled = select.getFalseValue();
  if (scaled != in) {
    auto mul = scaled.getDefiningOp<arith::MulFOp>();
    if (!mul || mul->getBlock() != &body)
      return std::nullopt;
    Value factor = mul.getLhs() == in ? mul.getRhs() : mul.getLhs();
    std::optional<double> scale = getConstantValue(factor);
    if ((mul.getLhs() != in && mul.getRhs() != in) || !scale ||
        !std::isfinite(*scale) || *scale == 0)
      return std::nullopt;
    mask.scale = *scale;
  }
  return mask;
}

/// Whether `value` is `reduce kind x` over x's last dimension, or a reshape
/// of it (the per-row values of x's rows, in order).
bool isRowReduction(Value value, wl::ReduceKind kind, Value x) {
  auto reduce = skipReshapes(value).getDefiningOp<wl::ReduceOp>();
  return reduce && reduce.getKind() == kind && reduce.getInput() == x &&
         reduce.getDims() == ArrayRef<int64_t>{tensorType(x).getRank() - 1};
}

/// The query and key of scores S of `keys` keys: a batch_matmul Q K^T (K
/// transposed, or given transposed), or, for one query row, K q^T (the
/// keys as the product's rows: what a loop over a cache's rows makes of a
/// query's dot products), K possibly given transposed. Q is [B, M, D]
/// once `viewQuery`, K [B, Sk, D] once `transposeKey`.
struct QueryKey {
  Value q, k;
  bool viewQuery = false, transposeKey = false;
  int64_t rows() const { return viewQuery ? 1 : tensorType(q).getDimSize(1); }
};
std::optional<QueryKey> matchQueryKey(wl::BatchMatmulOp s, int64_t keys) {
  if (!s || s.getAcc())
    return std::nullopt;
  RankedTensorType type = s.getType();
  QueryKey qk;
  if (type.getDimSize(2) == keys && !s.getTransposeLhs()) {
    // Q [B, M, D] times K [B, Sk, D] transposed (or K^T [B, D, Sk]).
    qk.q = s.getLhs();
    qk.k = s.getRhs();
    qk.transposeKey = !s.getTransposeRhs();
    return qk;
  }
  if (type.getDimSize(1) == keys && type.getDimSize(2) == 1) {
    // K [B, Sk, D] (or K^T [B, D, Sk]) times q^T [B, D, 1] (or q [B, 1, D]).
    qk.k = s.getLhs();
    qk.q = s.getRhs();
    qk.transposeKey = s.getTransposeLhs();
    qk.viewQuery = true;
    return qk;
  }
  return std::nullopt;
}

/// An attention whose weighted sum is normalised after the product with V,
/// as a decode step's loops (and FlashAttention) compute it:
///
///   X = S * c, or the position mask over S (matchPositionMask)
///   E = exp(X - max(X))                        over the keys
///   O = batch_matmul(E, V) * (1 / sum(E))      per row
///
/// becomes `wl.attention {normalize_after}` (causal at the position's
/// offset when masked): the same sums and products in the same order, so
/// the same numbers. The scores' rows are one head's queries in order (the
/// products' rows and batch, reshapes only regrouping them).
struct FuseAttentionNormalizedAfter : OpRewritePattern<wl::MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(wl::MulOp root,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = root.getType();
    Type elem = type.getElementType();
    if (!elem.isF32() && !elem.isF64())
      return failure();
    for (auto [out, inv] : {std::pair(root.getLhs(), root.getRhs()),
                            std::pair(root.getRhs(), root.getLhs())})
      if (succeeded(rewrite(root, out, inv, rewriter)))
        return success();
    return failure();
  }

  LogicalResult rewrite(wl::MulOp root, Value out, Value inv,
                        PatternRewriter &rewriter) const {
    RankedTensorType type = root.getType();
    // O [B, M, Dv] = E [B, M, Sk] x V [B, Sk, Dv], read in the result's
    // shape: its last dimension Dv, the rest B x M rows in order.
    auto product = skipReshapes(out).getDefiningOp<wl::BatchMatmulOp>();
    if (!product || !product->hasOneUse() || product.getAcc() ||
        product.getTransposeLhs() || product.getTransposeRhs() ||
        tensorType(out) != type)
      return failure();
    RankedTensorType o = product.getType();
    int64_t heads = o.getDimSize(0), rows = o.getDimSize(1),
            dv = o.getDimSize(2),
            keys = tensorType(product.getLhs()).getDimSize(2);
    if (type.getShape().back() != dv)
      return failure();
    // 1 / sum(E) per row, broadcast along Dv.
    SmallVector<int64_t> rowShape(type.getShape());
    rowShape.back() = 1;
    auto div = skipReshapes(inv).getDefiningOp<wl::DivOp>();
    std::optional<double> one =
        div ? getConstantValue(div.getLhs()) : std::nullopt;
    if (tensorType(inv).getShape() != ArrayRef<int64_t>(rowShape) || !one ||
        *one != 1.0 || !div->hasOneUse() ||
        tensorType(div.getRhs()) != div.getType())
      return failure();
    // E = exp(X - max(X)), read by the sum and (reshaped) by the product.
    auto exp = skipReshapes(product.getLhs()).getDefiningOp<wl::ExpOp>();
    if (!exp || !isRowReduction(div.getRhs(), wl::ReduceKind::Sum, exp) ||
        !exp.getResult().hasNUses(2) ||
        tensorType(exp).getShape().back() != keys ||
        tensorType(exp).getNumElements() != heads * rows * keys)
      return failure();
    // The maximum broadcast along the keys.
    auto sub = exp.getInput().getDefiningOp<wl::SubOp>();
    SmallVector<int64_t> maxShape(tensorType(exp).getShape());
    maxShape.back() = 1;
    if (!sub || !sub->hasOneUse() || sub.getType() != exp.getType() ||
        tensorType(sub.getLhs()) != sub.getType() ||
        tensorType(sub.getRhs()).getShape() != ArrayRef<int64_t>(maxShape) ||
        !isRowReduction(sub.getRhs(), wl::ReduceKind::Max, sub.getLhs()))
      return failure();
    Value x = sub.getLhs();
    if (!x.hasNUses(2))
      return failure();

    // X: S scaled, or masked at a position.
    double scale = 1.0;
    Value offset, scoresValue;
    if (auto generic = x.getDefiningOp<linalg::GenericOp>()) {
      std::optional<PositionMask> mask = matchPositionMask(generic);
      // The mask reads only the key's index: one query row per head.
      if (!mask || rows != 1 || !mask->scores.hasOneUse())
        return failure();
      scale = mask->scale;
      offset = mask->position;
      scoresValue = mask->scores;
    } else {
      // Read by the maximum and the subtraction.
      std::optional<ScaledScores> scaled = matchScaledScores(x, /*uses=*/2);
      if (!scaled)
        return failure();
      scale = scaled->scale;
      scoresValue = scaled->scores;
    }
    auto scores = skipReshapes(scoresValue).getDefiningOp<wl::BatchMatmulOp>();
    if (!scores || (offset && !scores->hasOneUse()) ||
        scores.getType().getDimSize(0) != heads ||
        scores.getType().getNumElements() != heads * rows * keys)
      return failure();
    std::optional<QueryKey> qk = matchQueryKey(scores, keys);
    Value v = product.getRhs();
    Type elem = type.getElementType();
    if (!qk || qk->rows() != rows ||
        llvm::any_of(ValueRange{qk->q, qk->k, v, scores.getResult()},
                     [&](Value value) {
                       return tensorType(value).getElementType() != elem;
                     }))
      return failure();
    WorkloadBuilder wb(rewriter, root.getLoc());
    Value q = qk->q, k = qk->k;
    if (qk->viewQuery)
      q = wb.reshape(q, {heads, 1, tensorType(q).getNumElements() / heads});
    if (qk->transposeKey)
      k = wb.transpose(k, {0, 2, 1});
    auto attention = wl::AttentionOp::create(
        rewriter, wb.loc, o, q, k, v, /*mask=*/Value(), offset,
        rewriter.getF64FloatAttr(scale), /*causal=*/bool(offset),
        /*normalize_after=*/true);
    rewriter.replaceOp(root, wb.reshape(attention, type.getShape()));
    return success();
  }
};

/// `value` (past reshapes) as a broadcast to more heads: x, the value
/// before the broadcast (1 along the dimensions it repeats), and the
/// broadcast shape; nothing otherwise. (TOSA's repeat of K and V over a
/// group's query heads, x + 0, which the idioms made a wl.broadcast.)
std::optional<std::pair<Value, RankedTensorType>> matchRepeated(Value value) {
  auto broadcast = skipReshapes(value).getDefiningOp<wl::BroadcastOp>();
  if (!broadcast || !broadcast->hasOneUse())
    return std::nullopt;
  Value x = broadcast.getInput();
  RankedTensorType type = broadcast.getType();
  if (tensorType(x).getRank() != type.getRank() ||
      tensorType(x).getShape().take_back(2) != type.getShape().take_back(2))
    return std::nullopt;
  return std::pair(x, type);
}

/// An attention whose K and V are each repeated over the query heads of a
/// group (broadcast, then reshaped to the query's heads) reads them
/// unrepeated: grouped-query attention, K and V 1 along the group, Q and
/// the result viewed with the broadcast's batch dimensions.
struct ShareRepeatedKeyValues : OpRewritePattern<wl::AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(wl::AttentionOp attention,
                                PatternRewriter &rewriter) const override {
    std::optional<std::pair<Value, RankedTensorType>> k =
        matchRepeated(attention.getKey());
    std::optional<std::pair<Value, RankedTensorType>> v =
        matchRepeated(attention.getValue());
    if (!k || !v)
      return failure();
    RankedTensorType q = tensorType(attention.getQuery()),
                     result = attention.getType();
    // The broadcast's batch dimensions regroup the query's, and K's and V's
    // are one group of them (the same as the broadcast's, then 1s where
    // the broadcast's are not: wl.attention's grouped-query form).
    ArrayRef<int64_t> heads = k->second.getShape().drop_back(2);
    ArrayRef<int64_t> shared = tensorType(k->first).getShape().drop_back(2);
    if (heads != v->second.getShape().drop_back(2) ||
        shared != tensorType(v->first).getShape().drop_back(2) ||
        !wl::getSharedBatchRank(shared, heads) ||
        ShapedType::getNumElements(heads) !=
            ShapedType::getNumElements(q.getShape().drop_back(2)))
      return failure();
    auto view = [&](RankedTensorType type) {
      SmallVector<int64_t> shape(heads);
      shape.append(type.getShape().take_back(2).begin(),
                   type.getShape().take_back(2).end());
      return type.clone(shape);
    };
    // A mask of the matrices alone broadcasts over any heads.
    Value mask = attention.getMask();
    if (mask && tensorType(mask).getRank() > 2 &&
        llvm::any_of(tensorType(mask).getShape().drop_back(2),
                     [](int64_t d) { return d != 1; }))
      return failure();
    WorkloadBuilder wb(rewriter, attention.getLoc());
    if (mask)
      mask = wb.reshape(mask, tensorType(mask).getShape().take_back(2));
    auto grouped = wl::AttentionOp::create(
        rewriter, wb.loc, view(result),
        wb.reshape(attention.getQuery(), view(q).getShape()), k->first,
        v->first, mask, attention.getOffset(), attention.getScaleAttr(),
        attention.getCausalAttr(), attention.getNormalizeAfterAttr());
    rewriter.replaceOpWithNewOp<wl::ReshapeOp>(attention, result, grouped);
    return success();
  }
};

} // namespace

void populateAttentionFusionPatterns(RewritePatternSet &patterns) {
  patterns
      .add<FuseAttention, FuseAttentionNormalizedAfter, ShareRepeatedKeyValues>(
          patterns.getContext());
}

} // namespace fungible::import
