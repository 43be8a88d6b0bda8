//===- WorkloadToLinalg.cpp - wl -> linalg on tensors -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file lowers every wl op to linalg/tensor/arith/math on tensors.
// Named linalg ops are used where upstream has one (matmul, batch_matmul,
// conv_2d_nhwc_hwcf, pooling, transpose, fill) so later tiling and
// vectorisation recognise them; everything else is a linalg.generic.
// Floats narrower than f32 are computed in f32 and rounded once at the end
// of each op, as accelerators do.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/WorkloadToLinalg/WorkloadToLinalg.h"
#include "passes/Conversion/WorkloadToLinalg/LinalgBuilders.h"
#include "passes/Passes.h"

#include "dialects/Workload/WorkloadOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

namespace fungible {
#define GEN_PASS_DEF_CONVERTWORKLOADTOLINALGPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;
using namespace fungible::linalg_builders;
namespace wl = fungible::wl;

namespace {

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// An elementwise generic computing `fn` in the compute type of the result
/// (f32 for narrow floats) and rounding once to the result element type.
Value lowerElementwise(OpBuilder &b, Location loc, RankedTensorType type,
                       ValueRange inputs, BodyFn fn) {
  Type elem = type.getElementType(), compute = computeType(elem);
  return buildElementwise(
      b, loc, type, inputs, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        SmallVector<Value> xs;
        for (Value arg : args.take_front(inputs.size()))
          xs.push_back(convertScalar(nb, nloc, arg, compute));
        return convertScalar(nb, nloc, fn(nb, nloc, xs), elem);
      });
}

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  return filledTensor(b, loc, type,
                      scalarConstant(b, loc, type.getElementType(), 0.0));
}

/// `value` transposed: dimension i of the result is `perm[i]` of it.
Value transposeTensor(OpBuilder &b, Location loc, Value value,
                      ArrayRef<int64_t> perm) {
  RankedTensorType type = tensorType(value);
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Value init = emptyTensor(b, loc, type.clone(shape));
  return linalg::TransposeOp::create(b, loc, value, init, perm)->getResult(0);
}

/// Swaps the last two dimensions of `value`.
Value transposeLastTwo(OpBuilder &b, Location loc, Value value) {
  SmallVector<int64_t> perm =
      llvm::to_vector(llvm::seq<int64_t>(0, tensorType(value).getRank()));
  std::swap(perm[perm.size() - 2], perm[perm.size() - 1]);
  return transposeTensor(b, loc, value, perm);
}

/// Pads `value` by `low`/`high` with the scalar `pad` (no-op without pad).
Value padTensor(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> low, ArrayRef<int64_t> high, Value pad) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return value;
  RankedTensorType type = tensorType(value);
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    shape.push_back(type.getDimSize(d) + low[d] + high[d]);
  return tensor::PadOp::create(b, loc, type.clone(shape), value,
                               getAsIndexOpFoldResult(b.getContext(), low),
                               getAsIndexOpFoldResult(b.getContext(), high),
                               pad);
}

/// [0, 0, top, left] / [0, 0, bottom, right] for an NHWC window op.
void nhwcPadding(ArrayRef<int64_t> padding, SmallVectorImpl<int64_t> &low,
                 SmallVectorImpl<int64_t> &high) {
  low.assign({0, padding[0], padding[2], 0});
  high.assign({0, padding[1], padding[3], 0});
}

AffineMap mapOf(OpBuilder &b, unsigned numDims, ArrayRef<AffineExpr> exprs) {
  return AffineMap::get(numDims, 0, exprs, b.getContext());
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// wl.matmul -> linalg.matmul, wl.batch_matmul -> linalg.batch_matmul
/// into a zero fill, then the accumulator operand added;
/// transposed operands are materialised with linalg.transpose.
template <typename NamedOp, typename OpTy>
Value lowerMatmulLike(OpTy op, typename OpTy::Adaptor a, OpBuilder &b) {
  Location loc = op.getLoc();
  Value lhs = op.getTransposeLhs() ? transposeLastTwo(b, loc, a.getLhs())
                                   : a.getLhs();
  Value rhs = op.getTransposeRhs() ? transposeLastTwo(b, loc, a.getRhs())
                                   : a.getRhs();
  RankedTensorType type = op.getType();
  Value product = NamedOp::create(b, loc, TypeRange{type}, ValueRange{lhs, rhs},
                                  ValueRange{zeroFilled(b, loc, type)})
                      ->getResult(0);
  if (!a.getAcc())
    return product;
  // The accumulator is added to the finished sum (the numbers every
  // target computes: a matrix unit's accumulator starts from zero and a
  // vector unit adds the old tile), in the same kernel.
  return lowerElementwise(b, loc, type, {product, a.getAcc()},
                          [](OpBuilder &nb, Location nloc, ValueRange xs) {
                            return addS(nb, nloc, xs[0], xs[1]);
                          });
}

Value lower(wl::MatmulOp op, wl::MatmulOp::Adaptor a, OpBuilder &b) {
  return lowerMatmulLike<linalg::MatmulOp>(op, a, b);
}

Value lower(wl::BatchMatmulOp op, wl::BatchMatmulOp::Adaptor a,
            OpBuilder &b) {
  return lowerMatmulLike<linalg::BatchMatmulOp>(op, a, b);
}

Value lower(wl::Conv2DOp op, wl::Conv2DOp::Adaptor a, OpBuilder &b) {
  Location loc = op.getLoc();
  RankedTensorType type = op.getType();
  RankedTensorType inType = tensorType(a.getInput());
  SmallVector<int64_t> low, high;
  nhwcPadding(op.getPadding(), low, high);
  Value input = padTensor(b, loc, a.getInput(), low, high,
                          scalarConstant(b, loc, inType.getElementType(), 0));
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
  int64_t groups = op.getGroups();
  if (groups == 1)
    return linalg::Conv2DNhwcHwcfOp::create(
               b, loc, TypeRange{type}, ValueRange{input, a.getFilter()},
               ValueRange{zeroFilled(b, loc, type)},
               b.getI64TensorAttr(strides), b.getI64TensorAttr(dilations))
        ->getResult(0);

  RankedTensorType padded = tensorType(input), filter = tensorType(a.getFilter());
  int64_t n = padded.getDimSize(0), h = padded.getDimSize(1),
          w = padded.getDimSize(2), c = padded.getDimSize(3);
  int64_t kh = filter.getDimSize(0), kw = filter.getDimSize(1),
          cg = filter.getDimSize(2), f = filter.getDimSize(3);
  // Depthwise (one input and one output channel per group): upstream's
  // named op, on the filter viewed as kh x kw x channels. No reshape of
  // the output, so a consumer's tile fuses it like any convolution.
  if (cg == 1 && f == groups && c == groups &&
      type.getElementType() == inType.getElementType()) {
    Value filter3 = tensor::CollapseShapeOp::create(
        b, loc, a.getFilter(),
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    return linalg::DepthwiseConv2DNhwcHwcOp::create(
               b, loc, TypeRange{type}, ValueRange{input, filter3},
               ValueRange{zeroFilled(b, loc, type)},
               b.getI64TensorAttr(strides), b.getI64TensorAttr(dilations))
        ->getResult(0);
  }

  // Grouped: split channels into explicit group dims and contract per group.
  int64_t fg = f / groups, oh = type.getDimSize(1), ow = type.getDimSize(2);
  SmallVector<ReassociationIndices> splitLast = {{0}, {1}, {2}, {3, 4}};
  Value in5 = tensor::ExpandShapeOp::create(
      b, loc, padded.clone({n, h, w, groups, c / groups}), input, splitLast);
  Value filt5 = tensor::ExpandShapeOp::create(
      b, loc, filter.clone({kh, kw, cg, groups, fg}), a.getFilter(),
      splitLast);
  auto out5Type = type.clone({n, oh, ow, groups, fg});
  // Loops: (n, oh, ow, g, fg, kh, kw, cg).
  AffineExpr dN, dOH, dOW, dG, dFG, dKH, dKW, dCG;
  bindDims(b.getContext(), dN, dOH, dOW, dG, dFG, dKH, dKW, dCG);
  SmallVector<AffineMap> maps = {
      mapOf(b, 8,
            {dN, dOH * strides[0] + dKH * dilations[0],
             dOW * strides[1] + dKW * dilations[1], dG, dCG}),
      mapOf(b, 8, {dKH, dKW, dCG, dG, dFG}),
      mapOf(b, 8, {dN, dOH, dOW, dG, dFG})};
  SmallVector<utils::IteratorType> iterators(5, utils::IteratorType::parallel);
  iterators.append(3, utils::IteratorType::reduction);
  Type acc = type.getElementType();
  Value out5 = buildStructured(
      b, loc, zeroFilled(b, loc, out5Type), ValueRange{in5, filt5}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value x = convertScalar(nb, nloc, args[0], acc);
        Value y = convertScalar(nb, nloc, args[1], acc);
        return addS(nb, nloc, args[2], mulS(nb, nloc, x, y));
      });
  return tensor::CollapseShapeOp::create(b, loc, type, out5, splitLast);
}

Value lower(wl::AttentionOp op, wl::AttentionOp::Adaptor a, OpBuilder &b) {
  Location loc = op.getLoc();
  RankedTensorType type = op.getType();
  RankedTensorType q = tensorType(a.getQuery()), k = tensorType(a.getKey()),
                   v = tensorType(a.getValue());
  unsigned rank = q.getRank(), nb = rank - 2;
  Type compute = computeType(type.getElementType());
  int64_t sq = q.getDimSize(nb), sk = k.getDimSize(nb),
          d = q.getDimSize(nb + 1), dv = v.getDimSize(nb + 1);

  // The two products are batch matmuls (a named op, which every back
  // end's matmul path takes: the CPU's schedule, tensor cores, the MXU,
  // the TensorEngine) over one batch dimension, the key/value heads (the
  // batch dimensions key and value share with the query, collapsed), in
  // the compute type, K^T materialised by a transpose. The query heads of
  // a group (grouped-query attention: the trailing batch dimensions key
  // and value have as 1) fold into the rows, so that a group reads its
  // K and V as one product. The same sums in the same order as the
  // contraction written out.
  auto [heads, rows] = op.getHeadsAndRows();
  auto as3 = [&](Value value, int64_t m, int64_t n) {
    return reshapeTensor(b, loc, value, tensorType(value).clone({heads, m, n}));
  };
  auto batchMatmul = [&](Value lhs, Value rhs, int64_t n) {
    auto out3 = RankedTensorType::get({heads, rows, n}, compute);
    return linalg::BatchMatmulOp::create(b, loc, TypeRange{out3},
                                         ValueRange{lhs, rhs},
                                         ValueRange{zeroFilled(b, loc, out3)})
        ->getResult(0);
  };

  // scores[b.., i, j] = sum_r q[b.., i, r] * k[b'.., j, r].
  SmallVector<int64_t> scoreShape(q.getShape().drop_back(2));
  scoreShape.append({sq, sk});
  auto scoreType = RankedTensorType::get(scoreShape, compute);
  // K given transposed is transposed once: a transpose of K^T swapping
  // the last two dimensions (the import's form of a KV cache laid out
  // [.., D, Sk]) is K^T itself, any other (a cache's heads [Sk, H, D]
  // read as [H, Sk, D]) becomes one transpose of its source to K^T, which
  // a program's DMAs read in place (targets/LayoutCopies.h).
  SmallVector<int64_t> swap = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(swap[nb], swap[nb + 1]);
  Value keyT;
  if (auto given = a.getKey().getDefiningOp<linalg::TransposeOp>()) {
    ArrayRef<int64_t> perm = given.getPermutation();
    SmallVector<int64_t> composed;
    for (int64_t d : swap)
      composed.push_back(perm[d]);
    keyT = llvm::equal(composed, llvm::seq<int64_t>(0, rank))
               ? given.getInput()
               : transposeTensor(b, loc, given.getInput(), composed);
  } else {
    keyT = transposeLastTwo(b, loc, a.getKey());
  }
  Value scores = reshapeTensor(
      b, loc, batchMatmul(as3(a.getQuery(), rows, d), as3(keyT, d, sk), sk),
      scoreType);

  // Scale, add the mask (broadcast as wl.add does), and mask keys
  // j > i + offset (Sk - Sq, or the offset operand) with -inf when causal.
  double scale = op.getEffectiveScale();
  bool causal = op.getCausal();
  SmallVector<Value> inputs = {scores};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  if (Value mask = a.getMask()) {
    inputs.push_back(mask);
    maps.push_back(
        broadcastMap(tensorType(mask).getShape(), scoreShape, b.getContext()));
  }
  Value scaled = buildGeneric(
      b, loc, scoreType, inputs, maps,
      [&](OpBuilder &nb2, Location nloc, ValueRange args) -> Value {
        Value s = arith::MulFOp::create(
            nb2, nloc, args[0], scalarConstant(nb2, nloc, compute, scale));
        if (inputs.size() > 1)
          s = arith::AddFOp::create(nb2, nloc, s,
                                    convertScalar(nb2, nloc, args[1], compute));
        if (!causal)
          return s;
        Value row = linalg::IndexOp::create(nb2, nloc, nb);
        Value col = linalg::IndexOp::create(nb2, nloc, nb + 1);
        Value offset = a.getOffset();
        if (!offset)
          offset = arith::ConstantIndexOp::create(nb2, nloc, sk - sq);
        Value limit = arith::AddIOp::create(nb2, nloc, row, offset);
        Value masked = arith::CmpIOp::create(
            nb2, nloc, arith::CmpIPredicate::ugt, col, limit);
        Value negInf = scalarConstant(nb2, nloc, compute, -INFINITY);
        return arith::SelectOp::create(nb2, nloc, masked, negInf, s);
      });
  // In a narrower type than f32, the probabilities are rounded to it for
  // the product with V, as fused attention kernels feed the matrix unit
  // (FlashAttention, TPU splash attention): both products then take
  // operands of the element type and accumulate in f32.
  // Normalised after the product, its numerators exp(x - max) are, and
  // the reciprocals of their rows' sums then multiply the product's rows.
  bool late = op.getNormalizeAfter();
  Value weights = late ? buildShiftedExps(b, loc, scaled, rank - 1)
                       : buildSoftmax(b, loc, scaled, rank - 1);
  Value inverses;
  if (late) {
    // inv[h, i] = 1 / sum_j e[h, i, j].
    auto rowType = RankedTensorType::get({heads, rows}, compute);
    Value sums = reshapeTensor(
        b, loc,
        buildReduction(b, loc, weights, {rank - 1}, arith::AtomicRMWKind::addf),
        rowType);
    inverses = buildGeneric(
        b, loc, rowType, {sums}, {b.getMultiDimIdentityMap(2)},
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          return arith::DivFOp::create(
              nb, nloc, scalarConstant(nb, nloc, compute, 1.0), args[0]);
        });
  }
  Value probs = castTensor(b, loc, weights, type.getElementType());

  // out[b.., i, e] = sum_j p[b.., i, j] * v[b'.., j, e].
  Value out = batchMatmul(as3(probs, rows, sk), as3(a.getValue(), sk, dv), dv);
  if (late) {
    // out[h, i, e] *= inv[h, i].
    AffineMap perRow = AffineMap::get(
        3, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(1)}, b.getContext());
    out = buildGeneric(
        b, loc, cast<RankedTensorType>(out.getType()), {out, inverses},
        {b.getMultiDimIdentityMap(3), perRow},
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          return arith::MulFOp::create(nb, nloc, args[0], args[1]);
        });
  }
  return castTensor(b, loc, reshapeTensor(b, loc, out, type.clone(compute)),
                    type.getElementType());
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// Lowers a unary op whose scalar body is `fn(x)`.
template <typename OpTy>
Value lowerUnary(OpTy op, Value input, OpBuilder &b,
                 function_ref<Value(OpBuilder &, Location, Value)> fn) {
  return lowerElementwise(
      b, op.getLoc(), op.getType(), input,
      [&](OpBuilder &nb, Location loc, ValueRange xs) {
        return fn(nb, loc, xs[0]);
      });
}

Value lower(wl::ReluOp op, wl::ReluOp::Adaptor a, OpBuilder &b) {
  return lowerUnary(op, a.getInput(), b, [](OpBuilder &nb, Location loc, Value x) {
    return maxS(nb, loc, x, scalarConstant(nb, loc, x.getType(), 0));
  });
}
Value lower(wl::NegOp op, wl::NegOp::Adaptor a, OpBuilder &b) {
  return lowerUnary(op, a.getInput(), b, [](OpBuilder &nb, Location loc, Value x) -> Value {
    if (isa<FloatType>(x.getType()))
      return arith::NegFOp::create(nb, loc, x);
    return subS(nb, loc, scalarConstant(nb, loc, x.getType(), 0), x);
  });
}
#define FUNGIBLE_MATH_UNARY(WlOp, MathOp)                                      \
  Value lower(wl::WlOp op, wl::WlOp::Adaptor a, OpBuilder &b) {               \
    return lowerUnary(op, a.getInput(), b,                                     \
                      [](OpBuilder &nb, Location loc, Value x) -> Value {      \
                        return math::MathOp::create(nb, loc, x);               \
                      });                                                      \
  }
FUNGIBLE_MATH_UNARY(ExpOp, ExpOp)
FUNGIBLE_MATH_UNARY(TanhOp, TanhOp)
FUNGIBLE_MATH_UNARY(SinOp, SinOp)
FUNGIBLE_MATH_UNARY(CosOp, CosOp)
FUNGIBLE_MATH_UNARY(SqrtOp, SqrtOp)
FUNGIBLE_MATH_UNARY(RsqrtOp, RsqrtOp)
#undef FUNGIBLE_MATH_UNARY

Value lower(wl::SigmoidOp op, wl::SigmoidOp::Adaptor a, OpBuilder &b) {
  return lowerUnary(op, a.getInput(), b, [](OpBuilder &nb, Location loc, Value x) -> Value {
    Type t = x.getType();
    Value e = math::ExpOp::create(nb, loc, arith::NegFOp::create(nb, loc, x));
    Value one = scalarConstant(nb, loc, t, 1.0);
    return arith::DivFOp::create(nb, loc, one,
                                 arith::AddFOp::create(nb, loc, one, e));
  });
}

Value lower(wl::GeluOp op, wl::GeluOp::Adaptor a, OpBuilder &b) {
  bool approximate = op.getApproximate();
  return lowerUnary(op, a.getInput(), b, [&](OpBuilder &nb, Location loc, Value x) -> Value {
    Type t = x.getType();
    auto c = [&](double v) { return scalarConstant(nb, loc, t, v); };
    Value inner;
    if (approximate) {
      // sqrt(2/pi) * (x + 0.044715 x^3)
      Value x3 = mulS(nb, loc, mulS(nb, loc, x, x), x);
      Value poly = addS(nb, loc, x, mulS(nb, loc, c(0.044715), x3));
      inner = math::TanhOp::create(
          nb, loc, mulS(nb, loc, c(std::sqrt(2.0 / M_PI)), poly));
    } else {
      inner = math::ErfOp::create(nb, loc, mulS(nb, loc, x, c(M_SQRT1_2)));
    }
    Value half = mulS(nb, loc, c(0.5), x);
    return mulS(nb, loc, half, addS(nb, loc, c(1.0), inner));
  });
}

#define FUNGIBLE_BINARY(WlOp, Fn)                                              \
  Value lower(wl::WlOp op, wl::WlOp::Adaptor a, OpBuilder &b) {               \
    return lowerElementwise(                                                   \
        b, op.getLoc(), op.getType(), {a.getLhs(), a.getRhs()},                \
        [](OpBuilder &nb, Location loc, ValueRange xs) {                       \
          return Fn(nb, loc, xs[0], xs[1]);                                    \
        });                                                                    \
  }
FUNGIBLE_BINARY(AddOp, addS)
FUNGIBLE_BINARY(SubOp, subS)
FUNGIBLE_BINARY(MulOp, mulS)
FUNGIBLE_BINARY(DivOp, divS)
FUNGIBLE_BINARY(MaxOp, maxS)
FUNGIBLE_BINARY(MinOp, minS)
#undef FUNGIBLE_BINARY

Value lower(wl::CastOp op, wl::CastOp::Adaptor a, OpBuilder &b) {
  return castTensor(b, op.getLoc(), a.getInput(),
                    op.getType().getElementType());
}

//===----------------------------------------------------------------------===//
// Reductions and normalisations
//===----------------------------------------------------------------------===//

arith::AtomicRMWKind reductionKind(wl::ReduceKind kind, Type type) {
  bool isFloat = isa<FloatType>(type);
  switch (kind) {
  case wl::ReduceKind::Sum:
  case wl::ReduceKind::Mean:
    return isFloat ? arith::AtomicRMWKind::addf : arith::AtomicRMWKind::addi;
  case wl::ReduceKind::Max:
    return isFloat ? arith::AtomicRMWKind::maximumf
                   : arith::AtomicRMWKind::maxs;
  case wl::ReduceKind::Min:
    return isFloat ? arith::AtomicRMWKind::minimumf
                   : arith::AtomicRMWKind::mins;
  }
  llvm_unreachable("unknown reduce kind");
}

Value lower(wl::ReduceOp op, wl::ReduceOp::Adaptor a, OpBuilder &b) {
  Location loc = op.getLoc();
  RankedTensorType inType = tensorType(a.getInput());
  Type elem = inType.getElementType(), compute = computeType(elem);
  Value x = castTensor(b, loc, a.getInput(), compute);
  Value reduced = buildReduction(b, loc, x, op.getDims(),
                                 reductionKind(op.getKind(), compute));
  if (op.getKind() == wl::ReduceKind::Mean) {
    int64_t count = 1;
    for (int64_t d : op.getDims())
      count *= inType.getDimSize(d);
    reduced = buildElementwise(
        b, loc, tensorType(reduced), reduced,
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          return arith::DivFOp::create(
              nb, nloc, args[0], scalarConstant(nb, nloc, compute, count));
        });
  }
  reduced = castTensor(b, loc, reduced, elem);
  return reshapeTensor(b, loc, reduced, op.getType());
}

Value lower(wl::SoftmaxOp op, wl::SoftmaxOp::Adaptor a, OpBuilder &b) {
  return buildSoftmax(b, op.getLoc(), a.getInput(), op.getAxis());
}

/// Shared lowering of layer_norm (with bias and centring) and rms_norm.
Value lowerNorm(Location loc, Value input, Value scale, Value bias,
                double epsilon, OpBuilder &b) {
  RankedTensorType type = tensorType(input);
  Type elem = type.getElementType(), compute = computeType(elem);
  auto computeTensor = type.clone(compute);
  int64_t rank = type.getRank(), p = tensorType(scale).getRank();
  int64_t lead = rank - p, count = 1;
  for (int64_t d = lead; d < rank; ++d)
    count *= type.getDimSize(d);
  SmallVector<AffineExpr> leadExprs;
  for (int64_t d = 0; d < lead; ++d)
    leadExprs.push_back(b.getAffineDimExpr(d));
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap leadMap = mapOf(b, rank, leadExprs);
  AffineMap trailMap = AffineMap::getMinorIdentityMap(rank, p, b.getContext());
  SmallVector<int64_t> trailing = llvm::to_vector(llvm::seq<int64_t>(lead, rank));
  auto rowType = RankedTensorType::get(type.getShape().take_front(lead), compute);
  auto constant = [&](OpBuilder &nb, Location nloc, double v) {
    return scalarConstant(nb, nloc, compute, v);
  };

  // The per-row values (the mean, the reciprocal of the deviation) are ops
  // over the rows, computed once a row, not once an element where they are
  // used (the CPU's pipeline keeps them apart: fuse-broadcasts=false).
  auto perRow = [&](Value rows,
                    function_ref<Value(OpBuilder &, Location, Value)> fn) {
    return buildElementwise(
        b, loc, rowType, rows,
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          return fn(nb, nloc, args[0]);
        });
  };
  Value x = castTensor(b, loc, input, compute);
  if (bias) {
    // Centre: x - sum(x) / count.
    Value sum = buildReduction(b, loc, x, trailing, arith::AtomicRMWKind::addf);
    Value mean = perRow(sum, [&](OpBuilder &nb, Location nloc, Value s) {
      return arith::DivFOp::create(nb, nloc, s, constant(nb, nloc, count));
    });
    x = buildGeneric(
        b, loc, computeTensor, {x, mean}, {identity, leadMap},
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          return arith::SubFOp::create(nb, nloc, args[0], args[1]);
        });
  }
  SmallVector<utils::IteratorType> iterators(lead, utils::IteratorType::parallel);
  iterators.append(p, utils::IteratorType::reduction);
  Value sumSq = buildStructured(
      b, loc, zeroFilled(b, loc, rowType), x, {identity, leadMap}, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value sq = arith::MulFOp::create(nb, nloc, args[0], args[0]);
        return arith::AddFOp::create(nb, nloc, args[1], sq);
      });
  Value rstd = perRow(sumSq, [&](OpBuilder &nb, Location nloc, Value s) {
    Value var = arith::DivFOp::create(nb, nloc, s, constant(nb, nloc, count));
    return math::RsqrtOp::create(
        nb, nloc,
        arith::AddFOp::create(nb, nloc, var, constant(nb, nloc, epsilon)));
  });
  SmallVector<Value> operands = {x, rstd, castTensor(b, loc, scale, compute)};
  SmallVector<AffineMap> maps = {identity, leadMap, trailMap};
  if (bias) {
    operands.push_back(castTensor(b, loc, bias, compute));
    maps.push_back(trailMap);
  }
  Value y = buildGeneric(
      b, loc, computeTensor, operands, maps,
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value v = arith::MulFOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, args[0], args[1]),
            args[2]);
        return bias ? arith::AddFOp::create(nb, nloc, v, args[3]) : v;
      });
  return castTensor(b, loc, y, elem);
}

Value lower(wl::LayerNormOp op, wl::LayerNormOp::Adaptor a, OpBuilder &b) {
  return lowerNorm(op.getLoc(), a.getInput(), a.getScale(), a.getBias(),
                   op.getEpsilon().convertToDouble(), b);
}

Value lower(wl::RmsNormOp op, wl::RmsNormOp::Adaptor a, OpBuilder &b) {
  return lowerNorm(op.getLoc(), a.getInput(), a.getScale(), Value(),
                   op.getEpsilon().convertToDouble(), b);
}

Value lower(wl::Pool2DOp op, wl::Pool2DOp::Adaptor a, OpBuilder &b) {
  Location loc = op.getLoc();
  RankedTensorType type = op.getType();
  Type elem = type.getElementType();
  bool isMax = op.getKind() == wl::PoolKind::Max;
  bool isAvg = op.getKind() == wl::PoolKind::Avg;
  arith::AtomicRMWKind kind =
      isMax ? reductionKind(wl::ReduceKind::Max, elem)
            : reductionKind(wl::ReduceKind::Sum, elem);
  Value padValue = arith::getIdentityValue(kind, elem, b, loc);
  SmallVector<int64_t> low, high;
  nhwcPadding(op.getPadding(), low, high);
  Value input = padTensor(b, loc, a.getInput(), low, high, padValue);
  ArrayRef<int64_t> window = op.getWindow();
  Value windowTensor =
      tensor::EmptyOp::create(b, loc, window, elem).getResult();
  Value init = identityTensor(b, loc, type, kind);
  Attribute strides = b.getI64TensorAttr(op.getStrides());
  Attribute dilations = b.getI64TensorAttr({1, 1});
  if (isMax)
    return linalg::PoolingNhwcMaxOp::create(
               b, loc, TypeRange{type}, ValueRange{input, windowTensor},
               ValueRange{init}, strides, dilations)
        ->getResult(0);
  Value sum = linalg::PoolingNhwcSumOp::create(
                  b, loc, TypeRange{type}, ValueRange{input, windowTensor},
                  ValueRange{init}, strides, dilations)
                  ->getResult(0);
  if (!isAvg)
    return sum;
  double size = static_cast<double>(window[0] * window[1]);
  return lowerElementwise(b, loc, type, sum,
                          [&](OpBuilder &nb, Location nloc, ValueRange xs) {
                            return divS(nb, nloc, xs[0],
                                        scalarConstant(nb, nloc,
                                                       xs[0].getType(), size));
                          });
}

//===----------------------------------------------------------------------===//
// Data layout
//===----------------------------------------------------------------------===//

Value lower(wl::TransposeOp op, wl::TransposeOp::Adaptor a, OpBuilder &b) {
  return transposeTensor(b, op.getLoc(), a.getInput(), op.getPermutation());
}

Value lower(wl::ReshapeOp op, wl::ReshapeOp::Adaptor a, OpBuilder &b) {
  return reshapeTensor(b, op.getLoc(), a.getInput(), op.getType());
}

Value lower(wl::BroadcastOp op, wl::BroadcastOp::Adaptor a, OpBuilder &b) {
  return buildElementwise(b, op.getLoc(), op.getType(), a.getInput(),
                          [](OpBuilder &, Location, ValueRange args) {
                            return args[0];
                          });
}

Value lower(wl::ConcatOp op, wl::ConcatOp::Adaptor a, OpBuilder &b) {
  Location loc = op.getLoc();
  RankedTensorType type = op.getType();
  Value result = emptyTensor(b, loc, type);
  SmallVector<int64_t> offsets(type.getRank(), 0), strides(type.getRank(), 1);
  for (Value input : a.getInputs()) {
    ArrayRef<int64_t> sizes = tensorType(input).getShape();
    result = tensor::InsertSliceOp::create(
        b, loc, input, result, getAsIndexOpFoldResult(b.getContext(), offsets),
        getAsIndexOpFoldResult(b.getContext(), sizes),
        getAsIndexOpFoldResult(b.getContext(), strides));
    offsets[op.getDim()] += sizes[op.getDim()];
  }
  return result;
}

Value lower(wl::SliceOp op, wl::SliceOp::Adaptor a, OpBuilder &b) {
  MLIRContext *ctx = b.getContext();
  return tensor::ExtractSliceOp::create(
      b, op.getLoc(), op.getType(), a.getInput(),
      getAsIndexOpFoldResult(ctx, op.getOffsets()),
      getAsIndexOpFoldResult(ctx, op.getType().getShape()),
      getAsIndexOpFoldResult(ctx, op.getStridesOrDefault()));
}

Value lower(wl::PadOp op, wl::PadOp::Adaptor a, OpBuilder &b) {
  Value pad = scalarConstant(b, op.getLoc(), op.getType().getElementType(),
                             op.getValue().convertToDouble());
  Value padded =
      padTensor(b, op.getLoc(), a.getInput(), op.getLow(), op.getHigh(), pad);
  return padded;
}

Value lower(wl::TransferOp, wl::TransferOp::Adaptor a, OpBuilder &) {
  // Functionally the identity: devices are a placement concern.
  return a.getInput();
}

/// wl.opaque and wl.kernel: inline the body in place of the op (the wl ops
/// it holds are then lowered in turn).
template <typename OpTy>
struct InlineRegion : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Block &body = op.getBody().front();
    IRMapping mapping;
    mapping.map(body.getArguments(), adaptor.getInputs());
    for (Operation &inner : body.without_terminator())
      rewriter.clone(inner, mapping);
    SmallVector<Value> results;
    for (Value value : cast<wl::YieldOp>(body.getTerminator()).getValues())
      results.push_back(mapping.lookupOrDefault(value));
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// One pattern per op: replaces the op with what `lower` builds.
template <typename OpTy>
struct LowerToLinalg : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, lower(op, adaptor, rewriter));
    return success();
  }
};

struct ConvertWorkloadToLinalgPass
    : fungible::impl::ConvertWorkloadToLinalgPassBase<ConvertWorkloadToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<wl::WLDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    populateWorkloadToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void fungible::populateWorkloadToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerToLinalg<wl::MatmulOp>, LowerToLinalg<wl::BatchMatmulOp>,
               LowerToLinalg<wl::Conv2DOp>, LowerToLinalg<wl::AttentionOp>,
               LowerToLinalg<wl::ReluOp>, LowerToLinalg<wl::NegOp>,
               LowerToLinalg<wl::ExpOp>, LowerToLinalg<wl::TanhOp>,
               LowerToLinalg<wl::SinOp>, LowerToLinalg<wl::CosOp>,
               LowerToLinalg<wl::SigmoidOp>, LowerToLinalg<wl::SqrtOp>,
               LowerToLinalg<wl::RsqrtOp>, LowerToLinalg<wl::GeluOp>,
               LowerToLinalg<wl::AddOp>, LowerToLinalg<wl::SubOp>,
               LowerToLinalg<wl::MulOp>, LowerToLinalg<wl::DivOp>,
               LowerToLinalg<wl::MaxOp>, LowerToLinalg<wl::MinOp>,
               LowerToLinalg<wl::CastOp>, LowerToLinalg<wl::ReduceOp>,
               LowerToLinalg<wl::SoftmaxOp>, LowerToLinalg<wl::LayerNormOp>,
               LowerToLinalg<wl::RmsNormOp>, LowerToLinalg<wl::Pool2DOp>,
               LowerToLinalg<wl::TransposeOp>, LowerToLinalg<wl::ReshapeOp>,
               LowerToLinalg<wl::BroadcastOp>, LowerToLinalg<wl::ConcatOp>,
               LowerToLinalg<wl::SliceOp>, LowerToLinalg<wl::PadOp>,
               LowerToLinalg<wl::TransferOp>, InlineRegion<wl::OpaqueOp>,
               InlineRegion<wl::KernelOp>>(patterns.getContext());
}
