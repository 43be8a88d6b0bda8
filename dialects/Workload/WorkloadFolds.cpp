//===- WorkloadFolds.cpp - Folders and canonicalisations --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the folds and canonicalisation patterns of the wl ops
// that are obviously right: identity transposes, reshapes, broadcasts, casts
// and concats fold away; chains of transposes and of reshapes collapse;
// small constants are transposed, reshaped, cast to float types and
// combined elementwise at compile time.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace fungible::wl;

/// A constant reshaped (the same elements in the same order) or permuted:
/// a splat stays a splat; other constants are permuted when small (a
/// model's weights are folded when the importer gives them as constants
/// of at most kMaxFoldedElements).
static constexpr int64_t kMaxFoldedElements = 4096;

/// For each element of a tensor of `shape`, in row-major order, the offset
/// sum(index[d] * strides[d]) it reads: strides of the source's layout in
/// the result's dim order, 0 where the source is broadcast.
static SmallVector<int64_t> sourceOffsets(ArrayRef<int64_t> shape,
                                          ArrayRef<int64_t> strides) {
  SmallVector<int64_t> offsets;
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0, e = ShapedType::getNumElements(shape); i < e; ++i) {
    int64_t at = 0;
    for (auto [d, stride] : llvm::enumerate(strides))
      at += index[d] * stride;
    offsets.push_back(at);
    for (int64_t d = shape.size() - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return offsets;
}

static Attribute permuteConstant(Attribute input, RankedTensorType type,
                                 ArrayRef<int64_t> perm) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(input);
  if (!dense)
    return {};
  if (dense.isSplat())
    return DenseElementsAttr::get(type, dense.getSplatValue<Attribute>());
  if (type.getNumElements() > kMaxFoldedElements)
    return {};
  SmallVector<int64_t> inStrides =
      computeStrides(cast<RankedTensorType>(dense.getType()).getShape());
  SmallVector<Attribute> in(dense.getValues<Attribute>()), out;
  for (int64_t at :
       sourceOffsets(type.getShape(), applyPermutation(inStrides, perm)))
    out.push_back(in[at]);
  return DenseElementsAttr::get(type, out);
}

/// Elementwise `fn` over float constants with numpy broadcasting into
/// `type`; null when an operand is not a constant or the result is not
/// float, or is larger than kMaxFoldedElements and not all splats.
static Attribute
foldElementwise(ArrayRef<Attribute> operands, RankedTensorType type,
                llvm::function_ref<APFloat(ArrayRef<APFloat>)> fn) {
  if (!isa<FloatType>(type.getElementType()))
    return {};
  // Splats fold at any size: one value.
  if (llvm::all_of(operands, [](Attribute a) {
        auto dense = dyn_cast_if_present<DenseFPElementsAttr>(a);
        return dense && dense.isSplat();
      })) {
    SmallVector<APFloat> args;
    for (Attribute a : operands)
      args.push_back(cast<DenseFPElementsAttr>(a).getSplatValue<APFloat>());
    return DenseElementsAttr::get(type, fn(args));
  }
  if (type.getNumElements() > kMaxFoldedElements)
    return {};
  struct Operand {
    SmallVector<APFloat> values;
    SmallVector<int64_t> offsets;
  };
  SmallVector<Operand> ins;
  int64_t rank = type.getRank();
  for (Attribute attr : operands) {
    auto dense = dyn_cast_if_present<DenseFPElementsAttr>(attr);
    if (!dense)
      return {};
    // The operand's strides, aligned at the trailing dim, 0 where it
    // broadcasts (size 1 or missing).
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(dense.getType()).getShape();
    SmallVector<int64_t> own = computeStrides(shape), strides(rank, 0);
    int64_t offset = rank - shape.size();
    for (auto [d, size] : llvm::enumerate(shape))
      if (size != 1)
        strides[d + offset] = own[d];
    ins.push_back({SmallVector<APFloat>(dense.getValues<APFloat>()),
                   sourceOffsets(type.getShape(), strides)});
  }
  SmallVector<APFloat> out, args;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    args.clear();
    for (const Operand &in : ins)
      args.push_back(in.values[in.offsets[i]]);
    out.push_back(fn(args));
  }
  return DenseElementsAttr::get(type, out);
}

/// Whether `attr` is a splat of one (of a float or integer type).
static bool isSplatOne(Attribute attr) {
  auto splat = dyn_cast_if_present<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  if (isa<FloatType>(splat.getElementType()))
    return splat.getSplatValue<APFloat>().isExactlyValue(1.0);
  return splat.getElementType().isInteger() &&
         splat.getSplatValue<APInt>().isOne();
}

/// The operand a binary op is equal to, whatever its value, or null: x * 1,
/// 1 * x and x / 1 are x, exactly (a NaN stays a NaN), when x has the
/// result's type (the one does not broadcast it); no identity for the
/// others.
template <typename OpTy>
static Value identityOperand(OpTy, typename OpTy::FoldAdaptor) {
  return {};
}
static Value identityOperand(MulOp op, MulOp::FoldAdaptor adaptor) {
  if (isSplatOne(adaptor.getRhs()) && op.getLhs().getType() == op.getType())
    return op.getLhs();
  if (isSplatOne(adaptor.getLhs()) && op.getRhs().getType() == op.getType())
    return op.getRhs();
  return {};
}
static Value identityOperand(DivOp op, DivOp::FoldAdaptor adaptor) {
  if (isSplatOne(adaptor.getRhs()) && op.getLhs().getType() == op.getType())
    return op.getLhs();
  return {};
}

#define WL_FOLD_BINARY(OpTy, expr)                                             \
  OpFoldResult OpTy::fold(FoldAdaptor adaptor) {                               \
    if (Value x = identityOperand(*this, adaptor))                             \
      return x;                                                                \
    return foldElementwise({adaptor.getLhs(), adaptor.getRhs()}, getType(),    \
                           [](ArrayRef<APFloat> v) {                           \
                             APFloat a = v[0], b = v[1];                       \
                             return expr;                                      \
                           });                                                 \
  }
WL_FOLD_BINARY(AddOp, a + b)
WL_FOLD_BINARY(SubOp, a - b)
WL_FOLD_BINARY(MulOp, a *b)
WL_FOLD_BINARY(DivOp, a / b)
WL_FOLD_BINARY(MaxOp, llvm::maximum(a, b))
WL_FOLD_BINARY(MinOp, llvm::minimum(a, b))
#undef WL_FOLD_BINARY

/// sqrt correctly rounded in the element type (computed in double, which
/// rounds f32 and narrower correctly), as the generated code's sqrt is.
static APFloat sqrtIn(const APFloat &x) {
  APFloat r(std::sqrt(x.convertToDouble()));
  bool lost;
  r.convert(x.getSemantics(), APFloat::rmNearestTiesToEven, &lost);
  return r;
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  if (getType().getElementType().isF64())
    return {};
  return foldElementwise({adaptor.getInput()}, getType(),
                         [](ArrayRef<APFloat> v) { return sqrtIn(v[0]); });
}

/// 1 / sqrt(x), both steps rounded: how the math dialect's rsqrt is
/// lowered for the host and the GPU.
OpFoldResult RsqrtOp::fold(FoldAdaptor adaptor) {
  if (getType().getElementType().isF64())
    return {};
  return foldElementwise({adaptor.getInput()}, getType(),
                         [](ArrayRef<APFloat> v) {
                           APFloat one(v[0].getSemantics(), 1);
                           return one / sqrtIn(v[0]);
                         });
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (isIdentityPermutation(getPermutation()))
    return getInput();
  if (Attribute folded =
          permuteConstant(adaptor.getInput(), getType(), getPermutation()))
    return folded;
  if (auto inner = getInput().getDefiningOp<TransposeOp>())
    // Result dim d of the pair is x's dim inner[outer[d]].
    if (isIdentityPermutation(
            applyPermutation(inner.getPermutation(), getPermutation())))
      return inner.getInput();
  return {};
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), inner.getInput(),
        applyPermutation(inner.getPermutation(), op.getPermutation()));
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  // reshape(reshape(x)) -> reshape(x): only the element order matters.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

OpFoldResult BroadcastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // broadcast(reshape(x)) back to x's type, repeating nothing (as many
  // elements: only unit dimensions come and go) -> x, as importers write
  // a 1 x N vector's elementwise chain through N.
  auto input = cast<ShapedType>(getInput().getType());
  auto result = cast<ShapedType>(getType());
  if (auto reshape = getInput().getDefiningOp<ReshapeOp>())
    if (reshape.getInput().getType() == getType() && input.hasStaticShape() &&
        result.hasStaticShape() &&
        input.getNumElements() == result.getNumElements())
      return reshape.getInput();
  return {};
}

/// `value` converted to the float type of `semantics` as wl.cast does:
/// rounded to nearest even; an integer is signed.
static APFloat castToFloat(Attribute value,
                           const llvm::fltSemantics &semantics) {
  APFloat result(semantics);
  bool lost;
  if (auto f = dyn_cast<FloatAttr>(value)) {
    result = f.getValue();
    result.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
  } else {
    result.convertFromAPInt(cast<IntegerAttr>(value).getValue(),
                            /*IsSigned=*/true, APFloat::rmNearestTiesToEven);
  }
  return result;
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // A constant converted to a float type (an i64 table of positions, a
  // mask): a splat at any size, others up to kMaxFoldedElements.
  auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  auto to = dyn_cast<FloatType>(type.getElementType());
  if (!dense || !to)
    return {};
  const llvm::fltSemantics &semantics = to.getFloatSemantics();
  if (dense.isSplat())
    return DenseElementsAttr::get(
        type, castToFloat(dense.getSplatValue<Attribute>(), semantics));
  if (type.getNumElements() > kMaxFoldedElements)
    return {};
  SmallVector<APFloat> out;
  for (Attribute value : dense.getValues<Attribute>())
    out.push_back(castToFloat(value, semantics));
  return DenseElementsAttr::get(type, out);
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  return {};
}
