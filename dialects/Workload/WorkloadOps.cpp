//===- WorkloadOps.cpp - Verifiers of the wl ops ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the verifiers of the wl ops: shapes, element types and
// attribute ranges. Every message names the offending values so a user can
// fix the input without reading this file.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"
#include "dialects/Workload/WorkloadUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace fungible::wl;

#define GET_OP_CLASSES
#include "dialects/Workload/WorkloadOps.cpp.inc"

namespace {
RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// Checks that `out` is `in` or the accumulator type of `in`.
LogicalResult verifyAccumulator(Operation *op, Type in, Type out) {
  if (isAccumulatorType(in, out))
    return success();
  return op->emitOpError("result element type ")
         << out << " is neither the operand element type " << in
         << " nor its accumulator type (f32 for floats, i32 for i8)";
}

/// Shared verifier of wl.matmul (batchRank 0) and wl.batch_matmul (1).
template <typename OpTy>
LogicalResult verifyMatmulLike(OpTy op, unsigned batchRank) {
  RankedTensorType lhs = tensorType(op.getLhs()), rhs = tensorType(op.getRhs()),
                   res = tensorType(op.getResult());
  unsigned rank = batchRank + 2;
  if (lhs.getRank() != rank || rhs.getRank() != rank ||
      res.getRank() != rank)
    return op.emitOpError("expects rank-")
           << rank << " operands and result, got ranks " << lhs.getRank()
           << ", " << rhs.getRank() << " and " << res.getRank();
  if (lhs.getElementType() != rhs.getElementType())
    return op.emitOpError("operand element types differ: ")
           << lhs.getElementType() << " vs " << rhs.getElementType();
  ArrayRef<int64_t> a = lhs.getShape(), b = rhs.getShape();
  if (batchRank && a[0] != b[0])
    return op.emitOpError("batch sizes differ: ") << a[0] << " vs " << b[0];
  MatmulDims dims = getMatmulDims(op);
  int64_t rhsK = op.getTransposeRhs() ? b[batchRank + 1] : b[batchRank];
  if (dims.k != rhsK)
    return op.emitOpError("contraction dimensions differ: lhs has K = ")
           << dims.k << ", rhs has K = " << rhsK;
  SmallVector<int64_t> expected;
  if (batchRank)
    expected.push_back(a[0]);
  expected.append({dims.m, dims.n});
  if (res.getShape() != ArrayRef<int64_t>(expected))
    return op.emitOpError("result shape ")
           << "[" << ArrayRef<int64_t>(res.getShape()) << "]" << " does not match the expected "
           << "[" << ArrayRef<int64_t>(expected) << "]";
  if (failed(verifyAccumulator(op, lhs.getElementType(), res.getElementType())))
    return failure();
  if (Value acc = op.getAcc(); acc && acc.getType() != res)
    return op.emitOpError("accumulator type ")
           << acc.getType() << " differs from the result type " << res;
  return fungible::wl::detail::verifyFlopsFit(op);
}

/// Checks an array attribute's length and that every entry is >= `min`.
LogicalResult verifyArray(Operation *op, StringRef name, ArrayRef<int64_t> v,
                          size_t size, int64_t min) {
  if (v.size() != size)
    return op->emitOpError("'")
           << name << "' must have " << size << " entries, got " << v.size();
  for (int64_t x : v)
    if (x < min)
      return op->emitOpError("'")
             << name << "' entries must be >= " << min << ", got " << x;
  return success();
}

/// Verifies the window arithmetic shared by conv2d and pool2d, and that the
/// result is `[N, OH, OW, channels]`.
LogicalResult verifyWindowed(Operation *op, RankedTensorType input,
                             RankedTensorType result, ArrayRef<int64_t> window,
                             ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> dilations,
                             ArrayRef<int64_t> padding, int64_t channels) {
  if (input.getRank() != 4 || result.getRank() != 4)
    return op->emitOpError("expects rank-4 NHWC input and result, got ranks ")
           << input.getRank() << " and " << result.getRank();
  if (failed(verifyArray(op, "strides", strides, 2, 1)) ||
      failed(verifyArray(op, "dilations", dilations, 2, 1)) ||
      failed(verifyArray(op, "padding", padding, 4, 0)))
    return failure();
  SmallVector<int64_t> expected = {input.getDimSize(0), 0, 0, channels};
  for (unsigned i = 0; i < 2; ++i) {
    int64_t size = windowOutputSize(input.getDimSize(1 + i), window[i],
                                    strides[i], dilations[i], padding[2 * i],
                                    padding[2 * i + 1]);
    if (size <= 0)
      return op->emitOpError("window of ")
             << window[i] << " (dilation " << dilations[i]
             << ") does not fit input dimension " << input.getDimSize(1 + i)
             << " padded by " << padding[2 * i] << " + " << padding[2 * i + 1];
    expected[1 + i] = size;
  }
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError("result shape ")
           << "[" << ArrayRef<int64_t>(result.getShape()) << "]" << " does not match the expected "
           << "[" << ArrayRef<int64_t>(expected) << "]";
  return success();
}

/// Verifies that `scale` (and `bias`) describe the trailing dims of `input`.
LogicalResult verifyNormParams(Operation *op, RankedTensorType input,
                               ArrayRef<Value> params, double epsilon) {
  for (Value param : params) {
    RankedTensorType type = tensorType(param);
    if (type.getElementType() != input.getElementType())
      return op->emitOpError("parameter element type ")
             << type.getElementType() << " differs from the input's "
             << input.getElementType();
    if (type.getRank() < 1 || type.getRank() > input.getRank() ||
        type.getShape() !=
            input.getShape().take_back(type.getRank()))
      return op->emitOpError("parameter shape ")
             << "[" << ArrayRef<int64_t>(type.getShape()) << "]"
             << " is not a non-empty trailing part of the input shape "
             << "[" << ArrayRef<int64_t>(input.getShape()) << "]";
    if (type.getShape() != tensorType(params.front()).getShape())
      return op->emitOpError("scale and bias shapes differ");
  }
  if (!(epsilon >= 0.0) || !std::isfinite(epsilon))
    return op->emitOpError("epsilon must be finite and >= 0, got ") << epsilon;
  if (op->getResult(0).getType() != input)
    return op->emitOpError("result type ")
           << op->getResult(0).getType() << " differs from the input type "
           << input;
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() { return verifyMatmulLike(*this, 0); }
LogicalResult BatchMatmulOp::verify() { return verifyMatmulLike(*this, 1); }

LogicalResult Conv2DOp::verify() {
  RankedTensorType input = tensorType(getInput()),
                   filter = tensorType(getFilter()),
                   result = tensorType(getResult());
  if (filter.getRank() != 4)
    return emitOpError("expects a rank-4 HWCF filter, got rank ")
           << filter.getRank();
  if (input.getElementType() != filter.getElementType())
    return emitOpError("input and filter element types differ: ")
           << input.getElementType() << " vs " << filter.getElementType();
  int64_t groups = getGroups();
  if (groups < 1)
    return emitOpError("'groups' must be >= 1, got ") << groups;
  if (input.getRank() == 4) {
    int64_t c = input.getDimSize(3), f = filter.getDimSize(3);
    if (c % groups || f % groups)
      return emitOpError("input channels (")
             << c << ") and filters (" << f
             << ") must both be divisible by groups (" << groups << ")";
    if (filter.getDimSize(2) != c / groups)
      return emitOpError("filter has ")
             << filter.getDimSize(2)
             << " input channels per group, expected C / groups = "
             << c / groups;
  }
  if (failed(verifyWindowed(*this, input, result, filter.getShape().take_front(2),
                            getStrides(), getDilations(), getPadding(),
                            filter.getDimSize(3))))
    return failure();
  if (failed(verifyAccumulator(*this, input.getElementType(),
                               result.getElementType())))
    return failure();
  return fungible::wl::detail::verifyFlopsFit(*this);
}

double AttentionOp::getEffectiveScale() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToDouble();
  return 1.0 / std::sqrt(static_cast<double>(
                   tensorType(getQuery()).getShape().back()));
}

unsigned AttentionOp::getSharedBatchRank() {
  ArrayRef<int64_t> q = tensorType(getQuery()).getShape().drop_back(2);
  return fungible::wl::getSharedBatchRank(
             tensorType(getKey()).getShape().drop_back(2), q)
      .value_or(q.size());
}

std::pair<int64_t, int64_t> AttentionOp::getHeadsAndRows() {
  RankedTensorType q = tensorType(getQuery());
  int64_t rank = q.getRank(), heads = 1, rows = q.getDimSize(rank - 2);
  unsigned shared = getSharedBatchRank();
  for (int64_t i = 0; i < rank - 2; ++i)
    (i < shared ? heads : rows) *= q.getDimSize(i);
  return {heads, rows};
}

LogicalResult AttentionOp::verify() {
  RankedTensorType q = tensorType(getQuery()), k = tensorType(getKey()),
                   v = tensorType(getValue()), r = tensorType(getResult());
  int64_t rank = q.getRank();
  if (rank < 2 || k.getRank() != rank || v.getRank() != rank ||
      r.getRank() != rank)
    return emitOpError("expects query, key, value and result of one rank >= 2,"
                       " got ranks ")
           << rank << ", " << k.getRank() << ", " << v.getRank() << ", "
           << r.getRank();
  Type elem = q.getElementType();
  if (k.getElementType() != elem || v.getElementType() != elem ||
      r.getElementType() != elem)
    return emitOpError("query, key, value and result must share one element "
                       "type");
  ArrayRef<int64_t> batch = q.getShape().drop_back(2);
  if (k.getShape().drop_back(2) != v.getShape().drop_back(2) ||
      !fungible::wl::getSharedBatchRank(k.getShape().drop_back(2), batch))
    return emitOpError("batch dimensions differ: query [")
           << q.getShape() << "], key [" << k.getShape() << "], value ["
           << v.getShape()
           << "] (key and value may have 1 in trailing batch dimensions "
              "where the query has not: grouped-query attention)";
  int64_t sq = q.getDimSize(rank - 2), d = q.getDimSize(rank - 1);
  int64_t sk = k.getDimSize(rank - 2), dv = v.getDimSize(rank - 1);
  if (k.getDimSize(rank - 1) != d)
    return emitOpError("key head dimension ")
           << k.getDimSize(rank - 1) << " differs from the query's " << d;
  if (v.getDimSize(rank - 2) != sk)
    return emitOpError("value sequence length ")
           << v.getDimSize(rank - 2) << " differs from the key's " << sk;
  SmallVector<int64_t> expected(batch);
  expected.append({sq, dv});
  if (r.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << "[" << ArrayRef<int64_t>(r.getShape()) << "]" << " does not match the expected "
           << "[" << ArrayRef<int64_t>(expected) << "]";
  if (sk == 0 || d == 0)
    return emitOpError("needs at least one key and a non-empty head "
                       "dimension, got Sk = ")
           << sk << ", D = " << d;
  if (Value mask = getMask()) {
    RankedTensorType m = tensorType(mask);
    SmallVector<int64_t> scores(batch), shape;
    scores.append({sq, sk});
    if (m.getElementType() != elem)
      return emitOpError("mask element type ")
             << m.getElementType() << " differs from the query's " << elem;
    if (m.getRank() > rank || !getBroadcastShape(m.getShape(), scores, shape) ||
        ArrayRef<int64_t>(shape) != ArrayRef<int64_t>(scores))
      return emitOpError("mask shape [")
             << m.getShape() << "] does not broadcast to the scores' shape ["
             << ArrayRef<int64_t>(scores) << "]";
  }
  if (getOffset() && !getCausal())
    return emitOpError("an offset needs 'causal': it places the causal "
                       "mask's diagonal");
  if (getCausal() && !getOffset() && sq > sk)
    return emitOpError("a causal mask needs Sq <= Sk (or an offset), got "
                       "Sq = ")
           << sq << ", Sk = " << sk;
  if (std::optional<APFloat> scale = getScale())
    if (!scale->isFinite())
      return emitOpError("scale must be finite");
  return fungible::wl::detail::verifyFlopsFit(*this);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

static LogicalResult verifyBinary(Operation *op) {
  RankedTensorType lhs = tensorType(op->getOperand(0)),
                   rhs = tensorType(op->getOperand(1)),
                   res = tensorType(op->getResult(0));
  SmallVector<int64_t> shape;
  if (!getBroadcastShape(lhs.getShape(), rhs.getShape(), shape))
    return op->emitOpError("operand shapes ")
           << "[" << ArrayRef<int64_t>(lhs.getShape()) << "]" << " and " << "[" << ArrayRef<int64_t>(rhs.getShape()) << "]"
           << " are not broadcast-compatible";
  if (res.getShape() != ArrayRef<int64_t>(shape))
    return op->emitOpError("result shape ")
           << "[" << ArrayRef<int64_t>(res.getShape()) << "]"
           << " does not match the broadcast shape " << "[" << ArrayRef<int64_t>(shape) << "]";
  return success();
}

LogicalResult AddOp::verify() { return verifyBinary(*this); }
LogicalResult SubOp::verify() { return verifyBinary(*this); }
LogicalResult MulOp::verify() { return verifyBinary(*this); }
LogicalResult DivOp::verify() { return verifyBinary(*this); }
LogicalResult MaxOp::verify() { return verifyBinary(*this); }
LogicalResult MinOp::verify() { return verifyBinary(*this); }

//===----------------------------------------------------------------------===//
// Reductions and normalisations
//===----------------------------------------------------------------------===//

LogicalResult ReduceOp::verify() {
  RankedTensorType input = tensorType(getInput()),
                   result = tensorType(getResult());
  ArrayRef<int64_t> dims = getDims();
  if (dims.empty())
    return emitOpError("'dims' must name at least one dimension");
  for (auto [i, d] : llvm::enumerate(dims)) {
    if (d < 0 || d >= input.getRank())
      return emitOpError("dimension ")
             << d << " is out of range for a rank-" << input.getRank()
             << " input";
    if (i > 0 && d <= dims[i - 1])
      return emitOpError("'dims' must be sorted and unique");
  }
  if (getKind() == ReduceKind::Mean && !isa<FloatType>(input.getElementType()))
    return emitOpError("'mean' needs a floating-point element type, got ")
           << input.getElementType();
  if (result.getElementType() != input.getElementType())
    return emitOpError("result element type differs from the input's");
  SmallVector<int64_t> expected =
      getReducedShape(input.getShape(), dims, getKeepDims());
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << "[" << ArrayRef<int64_t>(result.getShape()) << "]" << " does not match the expected "
           << "[" << ArrayRef<int64_t>(expected) << "]";
  return success();
}

LogicalResult SoftmaxOp::verify() {
  int64_t rank = tensorType(getInput()).getRank();
  // I64Attr getters are unsigned: read the signed value.
  int64_t axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ")
           << axis << " is out of range for a rank-" << rank << " input";
  return fungible::wl::detail::verifyFlopsFit(*this);
}

LogicalResult LayerNormOp::verify() {
  if (failed(verifyNormParams(*this, tensorType(getInput()),
                              {getScale(), getBias()},
                              getEpsilon().convertToDouble())))
    return failure();
  return fungible::wl::detail::verifyFlopsFit(*this);
}

LogicalResult RmsNormOp::verify() {
  if (failed(verifyNormParams(*this, tensorType(getInput()), {getScale()},
                              getEpsilon().convertToDouble())))
    return failure();
  return fungible::wl::detail::verifyFlopsFit(*this);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult Pool2DOp::verify() {
  RankedTensorType input = tensorType(getInput()),
                   result = tensorType(getResult());
  if (failed(verifyArray(*this, "window", getWindow(), 2, 1)))
    return failure();
  ArrayRef<int64_t> padding = getPadding();
  if (padding.size() == 4)
    for (unsigned i = 0; i < 4; ++i)
      if (padding[i] >= getWindow()[i / 2])
        return emitOpError("padding ")
               << padding[i] << " must be smaller than the window ("
               << getWindow()[i / 2] << ")";
  if (getKind() == PoolKind::Avg && !isa<FloatType>(input.getElementType()))
    return emitOpError("'avg' needs a floating-point element type, got ")
           << input.getElementType();
  if (result.getElementType() != input.getElementType())
    return emitOpError("result element type differs from the input's");
  int64_t channels = input.getRank() == 4 ? input.getDimSize(3) : 0;
  SmallVector<int64_t> dilations = {1, 1};
  if (failed(verifyWindowed(*this, input, result, getWindow(), getStrides(),
                            dilations, padding, channels)))
    return failure();
  return fungible::wl::detail::verifyFlopsFit(*this);
}

//===----------------------------------------------------------------------===//
// Data layout
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::verify() {
  RankedTensorType input = tensorType(getInput()),
                   result = tensorType(getResult());
  ArrayRef<int64_t> perm = getPermutation();
  if (static_cast<int64_t>(perm.size()) != input.getRank())
    return emitOpError("permutation has ")
           << perm.size() << " entries for a rank-" << input.getRank()
           << " input";
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t p : perm)
    if (p < 0 || p >= input.getRank() || !seen.insert(p).second)
      return emitOpError("'permutation' ")
             << "[" << ArrayRef<int64_t>(perm) << "]" << " is not a permutation of [0, "
             << input.getRank() << ")";
  SmallVector<int64_t> expected;
  for (int64_t p : perm)
    expected.push_back(input.getDimSize(p));
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << "[" << ArrayRef<int64_t>(result.getShape()) << "]" << " does not match the expected "
           << "[" << ArrayRef<int64_t>(expected) << "]";
  return success();
}

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = tensorType(getInput()),
                   result = tensorType(getResult());
  if (input.getNumElements() != result.getNumElements())
    return emitOpError("cannot reshape ")
           << input.getNumElements() << " elements "
           << "[" << ArrayRef<int64_t>(input.getShape()) << "]" << " into "
           << result.getNumElements() << " elements "
           << "[" << ArrayRef<int64_t>(result.getShape()) << "]";
  return success();
}

LogicalResult BroadcastOp::verify() {
  ArrayRef<int64_t> in = tensorType(getInput()).getShape(),
                    out = tensorType(getResult()).getShape();
  SmallVector<int64_t> shape;
  if (in.size() > out.size() || !getBroadcastShape(in, out, shape) ||
      ArrayRef<int64_t>(shape) != out)
    return emitOpError("cannot broadcast ")
           << "[" << ArrayRef<int64_t>(in) << "]" << " to " << "[" << ArrayRef<int64_t>(out) << "]";
  return success();
}

LogicalResult ConcatOp::verify() {
  RankedTensorType result = tensorType(getResult());
  int64_t rank = result.getRank(), dim = getDim();
  if (dim < 0 || dim >= rank)
    return emitOpError("dim ") << dim << " is out of range for rank " << rank;
  int64_t total = 0;
  for (auto [i, value] : llvm::enumerate(getInputs())) {
    RankedTensorType type = tensorType(value);
    if (type.getRank() != rank)
      return emitOpError("input #") << i << " has rank " << type.getRank()
                                    << ", expected " << rank;
    for (int64_t d = 0; d < rank; ++d)
      if (d != dim && type.getDimSize(d) != result.getDimSize(d))
        return emitOpError("input #")
               << i << " has size " << type.getDimSize(d) << " in dimension "
               << d << ", expected " << result.getDimSize(d);
    if (llvm::AddOverflow(total, type.getDimSize(dim), total))
      return emitOpError("the inputs' sizes in dimension ")
             << dim << " add up to more than fit in 64 bits";
  }
  if (total != result.getDimSize(dim))
    return emitOpError("result has size ")
           << result.getDimSize(dim) << " in dimension " << dim
           << ", the inputs add up to " << total;
  return success();
}

SmallVector<int64_t> SliceOp::getStridesOrDefault() {
  if (std::optional<ArrayRef<int64_t>> strides = getStrides())
    return SmallVector<int64_t>(*strides);
  return SmallVector<int64_t>(tensorType(getInput()).getRank(), 1);
}

LogicalResult SliceOp::verify() {
  RankedTensorType input = tensorType(getInput()),
                   result = tensorType(getResult());
  size_t rank = input.getRank();
  if (result.getRank() != input.getRank())
    return emitOpError("result rank ")
           << result.getRank() << " differs from the input rank " << rank;
  if (failed(verifyArray(*this, "offsets", getOffsets(), rank, 0)))
    return failure();
  SmallVector<int64_t> strides = getStridesOrDefault();
  if (failed(verifyArray(*this, "strides", strides, rank, 1)))
    return failure();
  for (size_t d = 0; d < rank; ++d) {
    int64_t size = result.getDimSize(d);
    // The last element's index, in 128 bits: no offset or stride overflows.
    __int128 last = static_cast<__int128>(getOffsets()[d]) +
                    static_cast<__int128>(size - 1) * strides[d];
    if (getOffsets()[d] > input.getDimSize(d) ||
        (size > 0 && last >= input.getDimSize(d)))
      return emitOpError("slice of ")
             << size << " elements from offset " << getOffsets()[d]
             << " with stride " << strides[d] << " exceeds dimension " << d
             << " of size " << input.getDimSize(d);
  }
  return success();
}

LogicalResult PadOp::verify() {
  RankedTensorType input = tensorType(getInput()),
                   result = tensorType(getResult());
  size_t rank = input.getRank();
  if (result.getRank() != input.getRank())
    return emitOpError("result rank ")
           << result.getRank() << " differs from the input rank " << rank;
  if (failed(verifyArray(*this, "low", getLow(), rank, 0)) ||
      failed(verifyArray(*this, "high", getHigh(), rank, 0)))
    return failure();
  for (size_t d = 0; d < rank; ++d) {
    int64_t expected;
    if (llvm::AddOverflow(input.getDimSize(d), getLow()[d], expected) ||
        llvm::AddOverflow(expected, getHigh()[d], expected))
      return emitOpError("padded dimension ")
             << d << " (" << input.getDimSize(d) << " + " << getLow()[d]
             << " + " << getHigh()[d] << ") does not fit in 64 bits";
    if (result.getDimSize(d) != expected)
      return emitOpError("result dimension ")
             << d << " is " << result.getDimSize(d) << ", expected "
             << expected;
  }
  double value = getValue().convertToDouble();
  if (auto integer = dyn_cast<IntegerType>(input.getElementType())) {
    if (value != std::trunc(value))
      return emitOpError("padding value ")
             << value << " is not an integer, but the tensor holds "
             << input.getElementType();
    // The value must be one the element type holds.
    unsigned width = integer.getWidth();
    double lo = -std::ldexp(1.0, width - 1), hi = std::ldexp(1.0, width - 1);
    if (value < lo || value >= hi)
      return emitOpError("padding value ")
             << value << " does not fit in " << input.getElementType();
  }
  return success();
}

LogicalResult TransferOp::verify() {
  if (getFrom().empty() || getTo().empty())
    return emitOpError("device names must not be empty");
  if (getFrom() == getTo())
    return emitOpError("transfers from device '")
           << getFrom() << "' to itself";
  return success();
}

//===----------------------------------------------------------------------===//
// Opaque kernels
//===----------------------------------------------------------------------===//

/// Builds a region op whose single block takes `inputs` as arguments
/// (wl.opaque and wl.kernel).
static void buildRegionKernel(OpBuilder &builder, OperationState &state,
                              TypeRange resultTypes, ValueRange inputs,
                              StringAttr nameAttr, StringRef name) {
  state.addOperands(inputs);
  state.addTypes(resultTypes);
  state.addAttribute(nameAttr, builder.getStringAttr(name));
  Region *region = state.addRegion();
  Block *block = new Block();
  region->push_back(block);
  for (Value input : inputs)
    block->addArgument(input.getType(), state.location);
}

/// Checks that the region's arguments match the inputs and its yield the
/// results (wl.opaque and wl.kernel).
static LogicalResult verifyRegionKernel(Operation *op, Block &block) {
  if (block.getNumArguments() != op->getNumOperands())
    return op->emitOpError("region has ")
           << block.getNumArguments() << " arguments for "
           << op->getNumOperands() << " inputs";
  for (auto [arg, input] : llvm::zip(block.getArguments(), op->getOperands()))
    if (arg.getType() != input.getType())
      return op->emitOpError("region argument type ")
             << arg.getType() << " differs from its input's " << input.getType();
  auto yield = cast<YieldOp>(block.getTerminator());
  if (yield.getValues().getTypes() != op->getResultTypes())
    return op->emitOpError("yields ")
           << yield.getValues().size()
           << " values whose types differ from the results";
  return success();
}

void OpaqueOp::build(OpBuilder &builder, OperationState &state,
                     TypeRange resultTypes, ValueRange inputs,
                     StringRef origin) {
  buildRegionKernel(builder, state, resultTypes, inputs,
                    getOriginAttrName(state.name), origin);
}

LogicalResult OpaqueOp::verify() {
  return verifyRegionKernel(*this, getBody().front());
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

void KernelOp::build(OpBuilder &builder, OperationState &state,
                     TypeRange resultTypes, ValueRange inputs, StringRef name) {
  buildRegionKernel(builder, state, resultTypes, inputs,
                    getSymNameAttrName(state.name), name);
}

LogicalResult KernelOp::verify() {
  if (getSymName().empty())
    return emitOpError("needs a non-empty name");
  Block &block = getBody().front();
  for (Operation &op : block.without_terminator())
    if (!isa<WLDialect>(op.getDialect()) && !op.hasTrait<OpTrait::ConstantLike>())
      return op.emitOpError("cannot be part of a wl.kernel: a kernel holds "
                            "wl ops and constants only");
    else if (isa<KernelOp>(op))
      return op.emitOpError("cannot nest in another wl.kernel");
  return verifyRegionKernel(*this, block);
}
