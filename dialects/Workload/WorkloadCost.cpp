//===- WorkloadCost.cpp - WorkloadCostInterface of the wl ops ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements WorkloadCostInterface for every wl op: the exact FLOP
// counts and work kinds. The convention is documented on the interface
// (WorkloadInterfaces.td) and in docs/CostConvention.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"
#include "dialects/Workload/WorkloadUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace fungible::wl;

static int64_t numElements(Value value) {
  return cast<RankedTensorType>(value.getType()).getNumElements();
}

/// FLOP arithmetic saturates at kFlopsOverflow (INT64_MAX): a count that
/// does not fit is never a wrapped, small or negative number, and the
/// verifiers reject it (detail::verifyFlopsFit).
static int64_t mul(int64_t a, int64_t b) {
  int64_t r;
  return llvm::MulOverflow(a, b, r) ? fungible::wl::detail::kFlopsOverflow : r;
}
template <typename... Rest>
static int64_t mul(int64_t a, int64_t b, Rest... rest) {
  return mul(mul(a, b), rest...);
}
static int64_t add(int64_t a, int64_t b) {
  int64_t r;
  return llvm::AddOverflow(a, b, r) ? fungible::wl::detail::kFlopsOverflow : r;
}

LogicalResult fungible::wl::detail::verifyFlopsFit(Operation *op) {
  auto costed = dyn_cast<WorkloadCostInterface>(op);
  if (!costed || costed.getFlops() != fungible::wl::detail::kFlopsOverflow)
    return success();
  return op->emitOpError("its FLOP count does not fit in 64 bits (2^63 - 1 "
                         "at most): the op is too large to cost");
}

/// Elementwise ops: one FLOP per result element.
#define WL_ELEMENTWISE_COST(OpTy)                                              \
  int64_t OpTy::getFlops() { return numElements(getResult()); }                \
  WorkKind OpTy::getWorkKind() { return WorkKind::Elementwise; }
WL_ELEMENTWISE_COST(ReluOp)
WL_ELEMENTWISE_COST(NegOp)
WL_ELEMENTWISE_COST(ExpOp)
WL_ELEMENTWISE_COST(TanhOp)
WL_ELEMENTWISE_COST(SinOp)
WL_ELEMENTWISE_COST(CosOp)
WL_ELEMENTWISE_COST(SigmoidOp)
WL_ELEMENTWISE_COST(SqrtOp)
WL_ELEMENTWISE_COST(RsqrtOp)
WL_ELEMENTWISE_COST(GeluOp)
WL_ELEMENTWISE_COST(AddOp)
WL_ELEMENTWISE_COST(SubOp)
WL_ELEMENTWISE_COST(MulOp)
WL_ELEMENTWISE_COST(DivOp)
WL_ELEMENTWISE_COST(MaxOp)
WL_ELEMENTWISE_COST(MinOp)
#undef WL_ELEMENTWISE_COST

/// Pure data movement (and type conversion): zero FLOPs.
#define WL_ZERO_FLOP_COST(OpTy, Kind)                                          \
  int64_t OpTy::getFlops() { return 0; }                                       \
  WorkKind OpTy::getWorkKind() { return WorkKind::Kind; }
WL_ZERO_FLOP_COST(CastOp, Elementwise)
WL_ZERO_FLOP_COST(TransposeOp, DataMovement)
WL_ZERO_FLOP_COST(ReshapeOp, DataMovement)
WL_ZERO_FLOP_COST(BroadcastOp, DataMovement)
WL_ZERO_FLOP_COST(ConcatOp, DataMovement)
WL_ZERO_FLOP_COST(SliceOp, DataMovement)
WL_ZERO_FLOP_COST(PadOp, DataMovement)
WL_ZERO_FLOP_COST(TransferOp, DataMovement)
#undef WL_ZERO_FLOP_COST

// A slice reads only the elements it selects.
int64_t SliceOp::getBytesRead() { return detail::tensorBytes(getResult()); }

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

int64_t MatmulOp::getFlops() {
  MatmulDims d = getMatmulDims(*this);
  return mul(2, d.m, d.n, d.k);
}
WorkKind MatmulOp::getWorkKind() { return WorkKind::Contraction; }

int64_t BatchMatmulOp::getFlops() {
  MatmulDims d = getMatmulDims(*this);
  return mul(2, d.b, d.m, d.n, d.k);
}
WorkKind BatchMatmulOp::getWorkKind() { return WorkKind::Contraction; }

int64_t Conv2DOp::getFlops() {
  auto filter = cast<RankedTensorType>(getFilter().getType());
  // Per output element: KH * KW * (C / groups) multiply-accumulates.
  int64_t macsPerOutput =
      mul(filter.getDimSize(0), filter.getDimSize(1), filter.getDimSize(2));
  return mul(2, numElements(getResult()), macsPerOutput);
}
WorkKind Conv2DOp::getWorkKind() { return WorkKind::Contraction; }

int64_t AttentionOp::getFlops() {
  auto q = cast<RankedTensorType>(getQuery().getType());
  auto v = cast<RankedTensorType>(getValue().getType());
  int64_t rank = q.getRank();
  int64_t batch = 1;
  for (int64_t d : q.getShape().drop_back(2))
    batch = mul(batch, d);
  int64_t sq = q.getDimSize(rank - 2), d = q.getDimSize(rank - 1);
  int64_t sk = v.getDimSize(rank - 2), dv = v.getDimSize(rank - 1);
  int64_t scores = mul(sq, sk);
  // QK^T, scaling, the mask's add, softmax (5 per score), then PV. Normalised
  // after the product: 4 per score (max, subtract, exp, sum), a reciprocal
  // per row and a multiplication per result element.
  int64_t perScore = (getMask() ? 2 : 1) + (getNormalizeAfter() ? 4 : 5);
  int64_t late = getNormalizeAfter() ? add(sq, mul(sq, dv)) : 0;
  return mul(batch, add(add(mul(2, scores, d), mul(perScore, scores)),
                        add(mul(2, scores, dv), late)));
}
WorkKind AttentionOp::getWorkKind() { return WorkKind::Contraction; }

//===----------------------------------------------------------------------===//
// Reductions, normalisations, pooling
//===----------------------------------------------------------------------===//

int64_t ReduceOp::getFlops() { return numElements(getInput()); }
WorkKind ReduceOp::getWorkKind() { return WorkKind::Reduction; }

int64_t SoftmaxOp::getFlops() { return mul(5, numElements(getInput())); }
WorkKind SoftmaxOp::getWorkKind() { return WorkKind::Reduction; }

/// Number of normalised rows: input elements / parameter elements.
static int64_t normRows(Value input, Value scale) {
  return numElements(input) / numElements(scale);
}

int64_t LayerNormOp::getFlops() {
  return add(mul(7, numElements(getInput())),
             mul(4, normRows(getInput(), getScale())));
}
WorkKind LayerNormOp::getWorkKind() { return WorkKind::Reduction; }

int64_t RmsNormOp::getFlops() {
  return add(mul(4, numElements(getInput())),
             mul(3, normRows(getInput(), getScale())));
}
WorkKind RmsNormOp::getWorkKind() { return WorkKind::Reduction; }

int64_t Pool2DOp::getFlops() {
  ArrayRef<int64_t> window = getWindow();
  return mul(numElements(getResult()), window[0], window[1]);
}
WorkKind Pool2DOp::getWorkKind() { return WorkKind::Reduction; }

//===----------------------------------------------------------------------===//
// Opaque kernels
//===----------------------------------------------------------------------===//

/// Whether `op` is arithmetic for the FLOP count of an opaque body:
/// arith and math ops other than constants, comparisons, selects and casts.
static bool isArithmetic(Operation *op) {
  if (isa<math::MathDialect>(op->getDialect()))
    return true;
  if (!isa<arith::ArithDialect>(op->getDialect()))
    return false;
  return !isa<arith::ConstantOp, arith::CmpFOp, arith::CmpIOp,
              arith::SelectOp>(op) &&
         !isa<CastOpInterface>(op);
}

/// Storage bytes of a statically shaped buffer, tensor or vector (at most
/// INT64_MAX).
static int64_t storageBytes(ShapedType type) {
  return mul(type.getNumElements(),
             fungible::wl::detail::elementBytes(type.getElementType()));
}

/// The buffer or tensor an element access (a load, a store, a
/// tensor.extract: one statically shaped buffer or tensor operand and one
/// index operand per dimension) reads or writes, and its indices.
static std::optional<std::pair<ShapedType, SmallVector<Value>>>
asElementAccess(Operation *op) {
  SmallVector<Value> shaped, indices;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<ShapedType>(operand.getType());
    if (type && isa<MemRefType, RankedTensorType>(type))
      shaped.push_back(operand);
    else if (operand.getType().isIndex())
      indices.push_back(operand);
  }
  if (shaped.size() != 1)
    return std::nullopt;
  auto type = cast<ShapedType>(shaped[0].getType());
  if (!type.hasStaticShape() ||
      indices.size() != static_cast<size_t>(type.getRank()))
    return std::nullopt;
  return std::make_pair(type, indices);
}

/// The most values the induction variable `iv` can take in bounds: the
/// smallest extent of a dimension that an access (a load, a store, a
/// tensor.extract: an op with one statically shaped buffer or tensor
/// operand and one index operand per dimension) indexes with `iv` itself.
/// nullopt when no access says.
static std::optional<int64_t> extentIndexedBy(Value iv) {
  std::optional<int64_t> extent;
  for (Operation *user : iv.getUsers())
    if (auto access = asElementAccess(user))
      for (auto [d, index] : llvm::enumerate(access->second))
        if (index == iv)
          extent =
              std::min(extent.value_or(INT64_MAX), access->first.getDimSize(d));
  return extent;
}

/// Iterations of a loop-like op. A dimension whose upper bound is not a
/// constant (a decode step's loop up to the token's position) counts the
/// most iterations its accesses allow in bounds (extentIndexedBy), else
/// one; a lower bound or step that is not a constant counts one.
static int64_t tripCount(LoopLikeOpInterface loop) {
  std::optional<SmallVector<OpFoldResult>> lbs = loop.getLoopLowerBounds(),
                                           ubs = loop.getLoopUpperBounds(),
                                           steps = loop.getLoopSteps();
  std::optional<SmallVector<Value>> ivs = loop.getLoopInductionVars();
  if (!lbs || !ubs || !steps || lbs->size() != ubs->size() ||
      lbs->size() != steps->size())
    return 1;
  int64_t trips = 1;
  for (auto [i, bounds] : llvm::enumerate(llvm::zip(*lbs, *ubs, *steps))) {
    auto [lb, ub, step] = bounds;
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !s || *s <= 0)
      return 1;
    if (!u && ivs && i < ivs->size())
      u = extentIndexedBy((*ivs)[i]);
    if (!u)
      continue;
    trips = mul(trips, *u > *l ? llvm::divideCeil(*u - *l, *s) : 0);
  }
  return trips;
}

/// Whether the access `indices` into `type` moves a cache line or more
/// with each step of `iv` (the innermost loop's induction variable): `iv`
/// indexes a dimension other than the last, whose stride is 64 bytes or
/// more, and not the last.
static bool isStrided(ShapedType type, ArrayRef<Value> indices, Value iv) {
  if (!iv || indices.empty() || indices.back() == iv)
    return false;
  int64_t stride = fungible::wl::detail::elementBytes(type.getElementType());
  for (int64_t d = type.getRank() - 1; d-- > 0;) {
    stride = mul(stride, type.getDimSize(d + 1));
    if (indices[d] == iv)
      return stride >= 64;
  }
  return false;
}

static void countLoopLatency(Operation *op, int64_t times, Value innermostIv,
                             fungible::wl::detail::LoopLatency &counts) {
  if (auto loop = dyn_cast<LoopLikeOpInterface>(op)) {
    times = mul(times, tripCount(loop));
    if (llvm::any_of(loop.getRegionIterArgs(), [](BlockArgument arg) {
          return isa<FloatType>(arg.getType());
        }))
      counts.serialSteps = add(counts.serialSteps, times);
    if (std::optional<SmallVector<Value>> ivs = loop.getLoopInductionVars();
        ivs && !ivs->empty())
      innermostIv = ivs->back();
  } else if (auto access = asElementAccess(op);
             access && isStrided(access->first, access->second, innermostIv)) {
    counts.stridedAccesses.emplace_back(times, storageBytes(access->first));
  }
  for (Region &region : op->getRegions())
    for (Operation &inner : region.getOps())
      countLoopLatency(&inner, times, innermostIv, counts);
}

fungible::wl::detail::LoopLatency
fungible::wl::detail::countLoopLatency(Operation *op) {
  LoopLatency counts;
  ::countLoopLatency(op, 1, Value(), counts);
  return counts;
}

int64_t fungible::wl::detail::countWork(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    int64_t iterations = 1;
    for (int64_t range : linalgOp.getStaticLoopRanges())
      iterations = mul(iterations, ShapedType::isDynamic(range) ? 0 : range);
    // Named ops have a body too (the region the interface exposes).
    int64_t perIteration =
        llvm::count_if(linalgOp.getBlock()->without_terminator(),
                       [](Operation &inner) { return isArithmetic(&inner); });
    return mul(iterations, perIteration);
  }
  if (op->getDialect() && op->getDialect()->getNamespace() == "tosa") {
    int64_t flops = 0;
    for (Value result : op->getResults())
      if (auto type = dyn_cast<RankedTensorType>(result.getType()))
        if (type.hasStaticShape())
          flops = add(flops, type.getNumElements());
    return flops;
  }
  if (isArithmetic(op)) {
    if (op->getNumResults() != 1)
      return 0;
    Type type = op->getResult(0).getType();
    if (auto shaped = dyn_cast<ShapedType>(type))
      return shaped.hasStaticShape() ? shaped.getNumElements() : 0;
    return type.isIndex() ? 0 : 1;
  }
  int64_t body = 0;
  for (Region &region : op->getRegions())
    for (Operation &inner : region.getOps())
      body = add(body, countWork(&inner));
  if (auto loop = dyn_cast<LoopLikeOpInterface>(op))
    return mul(tripCount(loop), body);
  return body;
}

/// Storage bytes of the non-buffer, non-index values of `values` (a loaded
/// or stored scalar or vector).
static int64_t dataBytes(TypeRange types) {
  int64_t bytes = 0;
  for (Type type : types) {
    if (isa<BaseMemRefType>(type) || type.isIndex())
      continue;
    if (auto vector = dyn_cast<VectorType>(type))
      bytes = add(bytes, storageBytes(vector));
    else if (type.isIntOrFloat())
      bytes = add(bytes, fungible::wl::detail::elementBytes(type));
  }
  return bytes;
}

/// Storage bytes of a statically shaped buffer.
static int64_t bufferBytes(Value buffer) {
  auto type = dyn_cast<MemRefType>(buffer.getType());
  if (!type || !type.hasStaticShape())
    return 0;
  return storageBytes(type);
}

int64_t fungible::wl::detail::countAccessBytes(Operation *op, bool writes) {
  int64_t bytes = 0;
  auto isTensor = [](Type t) { return isa<TensorType>(t); };
  // A buffer taken as a tensor (bufferization.to_tensor) moves nothing.
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (effects && llvm::any_of(op->getResultTypes(), isTensor))
    effects = nullptr;
  if (effects) {
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &e : instances) {
      Value buffer = e.getValue();
      if (!buffer || !isa<BaseMemRefType>(buffer.getType()) ||
          !llvm::is_contained(op->getOperands(), buffer))
        continue;
      // An element access moves the value loaded or stored; an op that
      // moves no such value (a copy) moves the whole buffer.
      if (!writes && isa<MemoryEffects::Read>(e.getEffect())) {
        int64_t loaded = dataBytes(op->getResultTypes());
        bytes = add(bytes, loaded ? loaded : bufferBytes(buffer));
      } else if (writes && isa<MemoryEffects::Write>(e.getEffect())) {
        int64_t stored = dataBytes(op->getOperandTypes());
        bytes = add(bytes, stored ? stored : bufferBytes(buffer));
      }
    }
  }
  if (!writes && op->getNumRegions() == 0 &&
      llvm::any_of(op->getOperandTypes(), isTensor) &&
      llvm::none_of(op->getResultTypes(),
                    [](Type t) { return isa<ShapedType>(t); })) {
    // An element read from a tensor (tensor.extract).
    bytes = add(bytes, dataBytes(op->getResultTypes()));
  }
  int64_t body = 0;
  for (Region &region : op->getRegions())
    for (Operation &inner : region.getOps())
      body = add(body, countAccessBytes(&inner, writes));
  if (auto loop = dyn_cast<LoopLikeOpInterface>(op))
    body = mul(tripCount(loop), body);
  return add(bytes, body);
}

bool fungible::wl::detail::touchesBuffers(Operation *op) {
  auto isBuffer = [](Type t) { return isa<BaseMemRefType>(t); };
  WalkResult found = op->walk([&](Operation *inner) {
    return llvm::any_of(inner->getOperandTypes(), isBuffer) ||
                   llvm::any_of(inner->getResultTypes(), isBuffer)
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return found.wasInterrupted();
}

/// Bytes an opaque kernel over buffers reads or writes: its loops'
/// accesses and its copies.
static int64_t bufferBodyBytes(OpaqueOp op, bool writes) {
  int64_t bytes = 0;
  for (Operation &inner : op.getBody().front().without_terminator())
    bytes = add(bytes, fungible::wl::detail::countAccessBytes(&inner, writes));
  return bytes;
}

int64_t OpaqueOp::getFlops() {
  int64_t flops = 0;
  for (Operation &op : getBody().front().without_terminator())
    flops = add(flops, detail::countWork(&op));
  return flops;
}

int64_t OpaqueOp::getBytesRead() {
  if (detail::touchesBuffers(*this))
    return bufferBodyBytes(*this, /*writes=*/false);
  return detail::sumTensorBytes(getInputs());
}
int64_t OpaqueOp::getBytesWritten() {
  if (detail::touchesBuffers(*this))
    return bufferBodyBytes(*this, /*writes=*/true);
  return detail::sumTensorBytes(getResults());
}
WorkKind OpaqueOp::getWorkKind() { return WorkKind::Opaque; }

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// How strongly an op of `kind` anchors a kernel (lower is stronger).
static int anchorRank(WorkKind kind) {
  switch (kind) {
  case WorkKind::Contraction:
    return 0;
  case WorkKind::Reduction:
    return 1;
  case WorkKind::Opaque:
    return 2;
  case WorkKind::Elementwise:
    return 3;
  case WorkKind::DataMovement:
    return 4;
  }
  llvm_unreachable("unknown work kind");
}

Operation *KernelOp::getAnchor() {
  Operation *anchor = nullptr;
  int best = 5;
  for (Operation &op : getBody().front().without_terminator()) {
    auto costed = dyn_cast<WorkloadCostInterface>(&op);
    if (!costed)
      continue;
    int rank = anchorRank(costed.getWorkKind());
    if (rank < best) {
      best = rank;
      anchor = &op;
    }
  }
  return anchor;
}

int64_t KernelOp::getFlops() {
  int64_t flops = 0;
  for (Operation &op : getBody().front().without_terminator())
    if (auto costed = dyn_cast<WorkloadCostInterface>(&op))
      flops = add(flops, costed.getFlops());
  return flops;
}

/// The opaque kernel over buffers `kernel` is (a wl.opaque is a kernel of
/// its own), if it is one: its bytes are its loops' and copies'.
static OpaqueOp bufferKernel(KernelOp kernel) {
  auto opaque = dyn_cast_or_null<OpaqueOp>(kernel.getAnchor());
  return opaque && fungible::wl::detail::touchesBuffers(opaque) ? opaque
                                                                : OpaqueOp();
}

int64_t KernelOp::getBytesRead() {
  if (OpaqueOp opaque = bufferKernel(*this))
    return opaque.getBytesRead();
  return detail::sumTensorBytes(getInputs());
}
int64_t KernelOp::getBytesWritten() {
  if (OpaqueOp opaque = bufferKernel(*this))
    return opaque.getBytesWritten();
  return detail::sumTensorBytes(getResults());
}

WorkKind KernelOp::getWorkKind() {
  Operation *anchor = getAnchor();
  return anchor ? cast<WorkloadCostInterface>(anchor).getWorkKind()
                : WorkKind::DataMovement;
}
