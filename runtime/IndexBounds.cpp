//===- IndexBounds.cpp - Where a scalar argument may index ----------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "runtime/IndexBounds.h"
#include "dialects/Workload/WorkloadOps.h"
#include "passes/PassSupport.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <limits>

using namespace mlir;

namespace fungible {
namespace {

/// One access the scalar indexes: its dimension `dim` of `shaped`
/// (static) takes the scalar plus `shift` as an index (`extent` 1) or as
/// the offset (`offset`) of `extent` elements.
struct Access {
  Operation *op;
  ShapedType shaped;
  unsigned dim;
  int64_t extent;
  bool offset;
  int64_t shift = 0;
};

/// The constant `c` when `expr` is the map's operand `position` plus `c`
/// (a dimension or a symbol, alone or plus a constant).
std::optional<int64_t> shiftOf(AffineExpr expr, unsigned position,
                               unsigned numDims) {
  auto isOperand = [&](AffineExpr e) {
    if (auto d = dyn_cast<AffineDimExpr>(e))
      return d.getPosition() == position;
    if (auto sym = dyn_cast<AffineSymbolExpr>(e))
      return numDims + sym.getPosition() == position;
    return false;
  };
  if (isOperand(expr))
    return 0;
  auto sum = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!sum || sum.getKind() != AffineExprKind::Add)
    return std::nullopt;
  for (auto [term, c] : {std::pair(sum.getLHS(), sum.getRHS()),
                         std::pair(sum.getRHS(), sum.getLHS())})
    if (auto constant = dyn_cast<AffineConstantExpr>(c);
        constant && isOperand(term))
      return constant.getValue();
  return std::nullopt;
}

/// The indices `op` takes, with the type they index: a load's, a store's,
/// a tensor.extract's or a tensor.insert's (nothing for other ops).
std::optional<std::pair<OperandRange, ShapedType>> indicesOf(Operation *op) {
  auto shaped = [](Value v) { return cast<ShapedType>(v.getType()); };
  if (auto load = dyn_cast<memref::LoadOp>(op))
    return std::pair(load.getIndices(), shaped(load.getMemRef()));
  if (auto store = dyn_cast<memref::StoreOp>(op))
    return std::pair(store.getIndices(), shaped(store.getMemRef()));
  if (auto extract = dyn_cast<tensor::ExtractOp>(op))
    return std::pair(extract.getIndices(), shaped(extract.getTensor()));
  if (auto insert = dyn_cast<tensor::InsertOp>(op))
    return std::pair(insert.getIndices(), shaped(insert.getDest()));
  return std::nullopt;
}

/// Whether `lbs` to `ubs` (constants) are a non-empty range in each loop.
bool nonEmpty(ArrayRef<OpFoldResult> lbs, ArrayRef<OpFoldResult> ubs) {
  for (auto [lb, ub] : llvm::zip_equal(lbs, ubs)) {
    std::optional<int64_t> from = getConstantIntValue(lb),
                           to = getConstantIntValue(ub);
    if (!from || !to || *from >= *to)
      return false;
  }
  return true;
}

/// Whether the region of `op` runs whenever `op` does: a kernel's, an
/// opaque op's, an execute_region's; a loop's of constant bounds with at
/// least one iteration; a linalg op's of static, non-empty loops. Not a
/// branch's (scf.if, affine.if), a while loop's or a loop's whose bounds
/// are known only when it runs.
bool runsItsBody(Operation *op) {
  if (isa<wl::KernelOp, wl::OpaqueOp, scf::ExecuteRegionOp>(op))
    return true;
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return nonEmpty({getAsOpFoldResult(loop.getLowerBound())},
                    {getAsOpFoldResult(loop.getUpperBound())});
  if (auto loop = dyn_cast<affine::AffineForOp>(op))
    return loop.hasConstantBounds() &&
           loop.getConstantLowerBound() < loop.getConstantUpperBound();
  if (auto loop = dyn_cast<scf::ForallOp>(op))
    return nonEmpty(loop.getMixedLowerBound(), loop.getMixedUpperBound());
  if (auto loop = dyn_cast<scf::ParallelOp>(op))
    return nonEmpty(getAsOpFoldResult(loop.getLowerBound()),
                    getAsOpFoldResult(loop.getUpperBound()));
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return llvm::all_of(linalgOp.getStaticLoopRanges(), [](int64_t range) {
      return !ShapedType::isDynamic(range) && range > 0;
    });
  return false;
}

/// Whether `op` runs whenever its function does: each op around it, up to
/// the function, runs its region.
bool runsEveryTime(Operation *op) {
  for (Operation *parent = op->getParentOp();
       parent && !isa<FunctionOpInterface>(parent);
       parent = parent->getParentOp())
    if (!runsItsBody(parent))
      return false;
  return true;
}

/// The accesses `value` (the scalar plus `shift`) indexes directly in
/// `use`'s owner.
void accessesAt(OpOperand &use, int64_t shift,
                SmallVectorImpl<Access> &accesses) {
  Operation *op = use.getOwner();
  Value value = use.get();
  if (auto indexed = indicesOf(op)) {
    auto [indices, shaped] = *indexed;
    for (auto [dim, index] : llvm::enumerate(indices))
      if (index == value && !shaped.isDynamicDim(dim))
        accesses.push_back({op, shaped, unsigned(dim), 1, false, shift});
    return;
  }
  // An affine load's or store's map result that is the operand, plus a
  // constant.
  std::optional<std::pair<AffineMap, ShapedType>> affine;
  if (auto load = dyn_cast<affine::AffineLoadOp>(op))
    affine =
        std::pair(load.getAffineMap(), cast<ShapedType>(load.getMemRefType()));
  else if (auto store = dyn_cast<affine::AffineStoreOp>(op))
    affine = std::pair(store.getAffineMap(),
                       cast<ShapedType>(store.getMemRefType()));
  if (affine) {
    auto [map, shaped] = *affine;
    // The map's operands follow the memref (and a store's value).
    unsigned first = isa<affine::AffineStoreOp>(op) ? 2 : 1;
    if (use.getOperandNumber() < first)
      return;
    unsigned position = use.getOperandNumber() - first;
    for (auto [dim, expr] : llvm::enumerate(map.getResults())) {
      std::optional<int64_t> c = shiftOf(expr, position, map.getNumDims());
      int64_t total = 0;
      if (c && !shaped.isDynamicDim(dim) &&
          !llvm::AddOverflow(shift, *c, total))
        accesses.push_back({op, shaped, unsigned(dim), 1, false, total});
    }
    return;
  }
  auto slice = dyn_cast<OffsetSizeAndStrideOpInterface>(op);
  if (!slice)
    return;
  // The full extent: an insert's destination, else the source.
  Value whole = op->getOperand(0);
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op))
    whole = insert.getDest();
  auto shaped = dyn_cast<ShapedType>(whole.getType());
  if (!shaped)
    return;
  for (auto [dim, offset] : llvm::enumerate(slice.getMixedOffsets())) {
    if (dyn_cast_if_present<Value>(offset) != value ||
        dim >= unsigned(shaped.getRank()) || shaped.isDynamicDim(dim))
      continue;
    std::optional<int64_t> size =
        getConstantIntValue(slice.getMixedSizes()[dim]);
    std::optional<int64_t> stride =
        getConstantIntValue(slice.getMixedStrides()[dim]);
    if (size && stride && *size > 0)
      accesses.push_back(
          {op, shaped, unsigned(dim), (*size - 1) * *stride + 1, true, shift});
  }
}

/// The accesses `value` (the scalar plus `shift`) indexes, followed
/// through casts that keep it, additions and subtractions of constants,
/// and into the regions of the ops it is passed to that take their
/// operands as their entry block's arguments (wl.kernel, wl.opaque).
void collectAccesses(Value value, int64_t shift,
                     SmallVectorImpl<Access> &accesses,
                     SmallPtrSetImpl<Value> &seen) {
  if (!seen.insert(value).second)
    return;
  for (OpOperand &use : value.getUses()) {
    Operation *op = use.getOwner();
    // Casts that keep the value (an i32 position made an index).
    if (isa<arith::IndexCastOp, arith::IndexCastUIOp, arith::ExtSIOp,
            arith::ExtUIOp>(op)) {
      collectAccesses(op->getResult(0), shift, accesses, seen);
      continue;
    }
    // The scalar plus or minus a constant (`pos + 1`).
    if (isa<arith::AddIOp, arith::SubIOp>(op)) {
      Value other = op->getOperand(1 - use.getOperandNumber());
      std::optional<int64_t> c = getConstantIntValue(other);
      bool minus = isa<arith::SubIOp>(op);
      int64_t total = 0;
      // Only `x - c`, not `c - x`.
      if (c && !(minus && use.getOperandNumber() == 1) &&
          !(minus ? llvm::SubOverflow(shift, *c, total)
                  : llvm::AddOverflow(shift, *c, total)) &&
          total != std::numeric_limits<int64_t>::min())
        collectAccesses(op->getResult(0), total, accesses, seen);
      continue;
    }
    // An access the program may skip (under a branch, in a loop that may
    // run no iteration) is not held against the scalar: a program may
    // guard its own position.
    if (runsEveryTime(op))
      accessesAt(use, shift, accesses);
    if (op->getNumRegions() != 1 || op->getRegion(0).empty())
      continue;
    Block &entry = op->getRegion(0).front();
    if (entry.getNumArguments() == op->getNumOperands() &&
        entry.getArgument(use.getOperandNumber()).getType() == value.getType())
      collectAccesses(entry.getArgument(use.getOperandNumber()), shift,
                      accesses, seen);
  }
}

} // namespace

llvm::Error checkIndexArgument(BlockArgument arg, int64_t value) {
  SmallVector<Access> accesses;
  SmallPtrSet<Value, 8> seen;
  collectAccesses(arg, /*shift=*/0, accesses, seen);
  // The values every access allows: value + shift in [0, last] for each,
  // so value in [-shift, last - shift].
  int64_t low = std::numeric_limits<int64_t>::min(),
          high = std::numeric_limits<int64_t>::max();
  const Access *outside = nullptr;
  for (const Access &a : accesses) {
    int64_t last = a.shaped.getDimSize(a.dim) - a.extent, index = 0, from = 0,
            to = 0;
    if (last < 0 || llvm::SubOverflow(int64_t(0), a.shift, from) ||
        llvm::SubOverflow(last, a.shift, to)) {
      low = 1, high = 0; // Nothing fits.
    } else {
      low = std::max(low, from);
      high = std::min(high, to);
    }
    if (!outside &&
        (llvm::AddOverflow(value, a.shift, index) || index < 0 || index > last))
      outside = &a;
  }
  if (!outside)
    return llvm::Error::success();
  const Access &a = *outside;
  std::string message;
  llvm::raw_string_ostream os(message);
  os << "argument " << arg.getArgNumber() << " is " << value << ", but '"
     << a.op->getName() << "' at " << locationString(a.op->getLoc())
     << " takes it";
  if (a.shift)
    os << (a.shift > 0 ? " plus " : " minus ")
       << (a.shift > 0 ? a.shift : -a.shift);
  os << " as " << (a.offset ? "the offset" : "an index") << " into dimension "
     << a.dim << " of " << a.shaped;
  if (a.offset)
    os << " of " << a.extent << (a.extent == 1 ? " element" : " elements");
  if (low > high)
    os << "; no value fits every access it indexes";
  else
    os << "; every access it indexes takes " << low << " to " << high;
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace fungible
