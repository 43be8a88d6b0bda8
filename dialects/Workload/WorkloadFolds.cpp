//===- WorkloadFolds.cpp - Folders and canonicalisations --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the folds and canonicalisation patterns of the wl ops
// that are obviously right: identity transposes, reshapes, broadcasts, casts
// and concats fold away; chains of transposes and of reshapes collapse.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace fungible::wl;

/// result dim d of transpose(transpose(x, inner), outer) is x's dim
/// inner[outer[d]].
static SmallVector<int64_t> composePermutations(ArrayRef<int64_t> inner,
                                                ArrayRef<int64_t> outer) {
  SmallVector<int64_t> composed;
  for (int64_t d : outer)
    composed.push_back(inner[d]);
  return composed;
}

static bool isIdentityPermutation(ArrayRef<int64_t> perm) {
  for (auto [i, p] : llvm::enumerate(perm))
    if (static_cast<int64_t>(i) != p)
      return false;
  return true;
}

/// A constant reshaped (the same elements in the same order) or permuted:
/// a splat stays a splat; other constants are permuted when small (a
/// model's weights are folded when the importer gives them as constants
/// of at most kMaxFoldedElements).
static constexpr int64_t kMaxFoldedElements = 4096;

static Attribute permuteConstant(Attribute input, RankedTensorType type,
                                 ArrayRef<int64_t> perm) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(input);
  if (!dense)
    return {};
  if (dense.isSplat())
    return DenseElementsAttr::get(type, dense.getSplatValue<Attribute>());
  if (type.getNumElements() > kMaxFoldedElements)
    return {};
  auto inType = cast<RankedTensorType>(dense.getType());
  SmallVector<Attribute> in(dense.getValues<Attribute>());
  SmallVector<int64_t> inStrides(inType.getRank(), 1);
  for (int64_t d = inType.getRank() - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * inType.getDimSize(d + 1);
  SmallVector<Attribute> out;
  out.reserve(type.getNumElements());
  SmallVector<int64_t> index(type.getRank(), 0);
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    int64_t at = 0;
    for (int64_t d = 0; d < type.getRank(); ++d)
      at += index[d] * inStrides[perm[d]];
    out.push_back(in[at]);
    for (int64_t d = type.getRank() - 1; d >= 0; --d) {
      if (++index[d] < type.getDimSize(d))
        break;
      index[d] = 0;
    }
  }
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
    SmallVector<int64_t> strides; // 0 on broadcast dims
  };
  SmallVector<Operand> ins;
  int64_t rank = type.getRank();
  for (Attribute attr : operands) {
    auto dense = dyn_cast_if_present<DenseFPElementsAttr>(attr);
    if (!dense)
      return {};
    auto shape = cast<RankedTensorType>(dense.getType()).getShape();
    Operand in;
    in.values.assign(dense.getValues<APFloat>().begin(),
                     dense.getValues<APFloat>().end());
    in.strides.assign(rank, 0);
    int64_t stride = 1, offset = rank - shape.size();
    for (int64_t d = shape.size() - 1; d >= 0; --d) {
      if (shape[d] != 1)
        in.strides[d + offset] = stride;
      stride *= shape[d];
    }
    ins.push_back(std::move(in));
  }
  SmallVector<APFloat> out;
  SmallVector<int64_t> index(rank, 0);
  SmallVector<APFloat> args;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    args.clear();
    for (const Operand &in : ins) {
      int64_t at = 0;
      for (int64_t d = 0; d < rank; ++d)
        at += index[d] * in.strides[d];
      args.push_back(in.values[in.values.size() == 1 ? 0 : at]);
    }
    out.push_back(fn(args));
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < type.getDimSize(d))
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(type, out);
}

#define WL_FOLD_BINARY(OpTy, expr)                                             \
  OpFoldResult OpTy::fold(FoldAdaptor adaptor) {                               \
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
    if (isIdentityPermutation(composePermutations(inner.getPermutation(),
                                                  getPermutation())))
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
        composePermutations(inner.getPermutation(), op.getPermutation()));
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
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  return {};
}
