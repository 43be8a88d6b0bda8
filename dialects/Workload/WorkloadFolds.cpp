//===- WorkloadFolds.cpp - Folders and canonicalisations --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the folds and canonicalisation patterns of the wl ops
// that are obviously right: identity transposes, reshapes, broadcasts, casts
// and concats fold away; chains of transposes and of reshapes collapse;
// small constants are transposed, reshaped, sliced, cast to float types and
// combined elementwise at compile time; a convolution's filter taps that
// only read padding are sliced off.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"
#include "dialects/Workload/WorkloadUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/MathExtras.h"

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

/// The elements of constant `dense` that a slice of `offsets` and
/// `strides` selects, as a constant of `type`.
static DenseElementsAttr sliceConstant(DenseElementsAttr dense,
                                       RankedTensorType type,
                                       ArrayRef<int64_t> offsets,
                                       ArrayRef<int64_t> strides) {
  if (dense.isSplat())
    return DenseElementsAttr::get(type, dense.getSplatValue<Attribute>());
  SmallVector<int64_t> layout = computeStrides(dense.getType().getShape());
  int64_t base = 0;
  SmallVector<int64_t> steps;
  for (auto [d, stride] : llvm::enumerate(strides)) {
    base += offsets[d] * layout[d];
    steps.push_back(stride * layout[d]);
  }
  auto values = dense.getValues<Attribute>().begin();
  SmallVector<Attribute> out;
  for (int64_t at : sourceOffsets(type.getShape(), steps))
    out.push_back(values[base + at]);
  return DenseElementsAttr::get(type, out);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  // Every element, in order (a slice of the whole tensor: offsets 0).
  if (getInput().getType() == getType() &&
      llvm::all_of(getOffsets(), [](int64_t o) { return o == 0; }))
    return getInput();
  auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!dense ||
      (!dense.isSplat() && type.getNumElements() > kMaxFoldedElements))
    return {};
  return sliceConstant(dense, type, getOffsets(), getStridesOrDefault());
}

/// Whether a slice of `value` folds to a constant: `value` is a constant
/// (a splat, small, or read by nothing else), seen through transposes
/// that nothing else reads (SliceOfTranspose moves the slice before them).
static bool sliceFolds(Value value) {
  while (auto transpose = value.getDefiningOp<TransposeOp>()) {
    if (!transpose->hasOneUse())
      return false;
    value = transpose.getInput();
  }
  DenseElementsAttr dense;
  return matchPattern(value, m_Constant(&dense)) &&
         (dense.isSplat() || value.hasOneUse() ||
          dense.getNumElements() <= kMaxFoldedElements);
}

namespace {
/// slice(transpose(x)) -> transpose(slice(x)) when nothing else reads the
/// transpose: the slice then meets what x is (a constant filter folds).
struct SliceOfTranspose : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op,
                                PatternRewriter &rewriter) const override {
    auto transpose = op.getInput().getDefiningOp<TransposeOp>();
    if (!transpose || !transpose->hasOneUse())
      return failure();
    // Result dim d of the transpose is dim perm[d] of its input.
    ArrayRef<int64_t> perm = transpose.getPermutation();
    auto type = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> offsets(perm.size()), strides(perm.size()),
        sizes(perm.size());
    SmallVector<int64_t> stride = op.getStridesOrDefault();
    for (auto [d, from] : llvm::enumerate(perm)) {
      offsets[from] = op.getOffsets()[d];
      strides[from] = stride[d];
      sizes[from] = type.getDimSize(d);
    }
    bool unit = llvm::all_of(strides, [](int64_t s) { return s == 1; });
    Value sliced = SliceOp::create(
        rewriter, op.getLoc(),
        RankedTensorType::get(sizes, type.getElementType(), type.getEncoding()),
        transpose.getInput(), offsets,
        unit ? DenseI64ArrayAttr() : rewriter.getDenseI64ArrayAttr(strides));
    rewriter.replaceOpWithNewOp<TransposeOp>(op, type, sliced, perm);
    return success();
  }
};

/// A slice of a constant that nothing else reads is the constant's
/// selected elements at any size: the program then holds fewer elements
/// than before (a convolution's filter without the taps that only read
/// padding).
struct SliceLoneConstant : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr dense;
    if (!op.getInput().hasOneUse() ||
        !matchPattern(op.getInput(), m_Constant(&dense)))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, type,
        sliceConstant(dense, type, op.getOffsets(), op.getStridesOrDefault()));
    return success();
  }
};

/// The taps of a convolution's filter that only ever read padding add
/// zeros: a constant filter is sliced to the rows and columns of taps that
/// read the input for some output, and the padding shrinks to match. On an
/// image smaller than the filter's reach (ResNet's last stage on a 1x1
/// image padded by 1) a 3x3 convolution becomes its centre tap: a 1x1
/// convolution of a ninth of the work. (A tap reading padding multiplies
/// a zero: dropping it keeps every result as long as the filter is finite.)
struct DropPaddingOnlyTaps : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto input = cast<RankedTensorType>(op.getInput().getType());
    auto filter = cast<RankedTensorType>(op.getFilter().getType());
    auto result = cast<RankedTensorType>(op.getType());
    // A filter computed at run time would be sliced by a kernel of its own
    // (an extra launch, a copy): only constant filters, whose slice folds.
    if (!input.hasStaticShape() || !filter.hasStaticShape() ||
        !result.hasStaticShape() || result.getNumElements() == 0 ||
        !sliceFolds(op.getFilter()))
      return failure();
    SmallVector<int64_t> offsets(filter.getRank(), 0);
    SmallVector<int64_t> sizes(filter.getShape());
    SmallVector<int64_t> padding(op.getPadding());
    for (int i = 0; i < 2; ++i) {
      int64_t in = input.getDimSize(1 + i), taps = filter.getDimSize(i),
              out = result.getDimSize(1 + i), stride = op.getStrides()[i],
              dilation = op.getDilations()[i], low = padding[2 * i];
      // Tap t of output o reads input row o * stride + t * dilation - low;
      // the first output at or past row 0 tells whether any reads the input.
      auto reads = [&](int64_t t) {
        int64_t row = t * dilation - low;
        int64_t o = row >= 0 ? 0 : llvm::divideCeil(-row, stride);
        return o < out && o * stride + row < in;
      };
      int64_t first = 0, last = taps - 1;
      while (first < taps && !reads(first))
        ++first;
      if (first == taps)
        return failure(); // Nothing but padding: left as it is.
      while (!reads(last))
        --last;
      if (first == 0 && last == taps - 1)
        continue;
      int64_t kept = last - first + 1, newLow = low - first * dilation;
      int64_t needed = (out - 1) * stride + dilation * (kept - 1) + 1;
      int64_t newHigh = std::max<int64_t>(0, needed - in - newLow);
      // Rows the output never reads past the input's end would give more
      // outputs under the new padding: that needs the input sliced too.
      if (newLow < 0 ||
          windowOutputSize(in, kept, stride, dilation, newLow, newHigh) != out)
        return failure();
      offsets[i] = first;
      sizes[i] = kept;
      padding[2 * i] = newLow;
      padding[2 * i + 1] = newHigh;
    }
    if (sizes == filter.getShape())
      return failure();
    Value sliced =
        SliceOp::create(rewriter, op.getLoc(),
                        RankedTensorType::get(sizes, filter.getElementType(),
                                              filter.getEncoding()),
                        op.getFilter(), offsets, /*strides=*/nullptr);
    rewriter.modifyOpInPlace(op, [&] {
      op.getFilterMutable().assign(sliced);
      op.setPadding(padding);
    });
    return success();
  }
};
} // namespace

void SliceOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                          MLIRContext *context) {
  results.add<SliceLoneConstant, SliceOfTranspose>(context);
}

void Conv2DOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<DropPaddingOnlyTaps>(context);
}
