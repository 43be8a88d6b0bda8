//===- IndexBounds.cpp - Where a scalar argument may index ----------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "runtime/IndexBounds.h"
#include "passes/PassSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace fungible {
namespace {

/// One access `value` indexes: its dimension `dim` of `shaped` (static)
/// takes it as an index (`extent` 1) or as the offset (`offset`) of
/// `extent` elements.
struct Access {
  Operation *op;
  ShapedType shaped;
  unsigned dim;
  int64_t extent;
  bool offset;
};

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

/// The accesses `value` indexes directly in `use`'s owner.
void accessesAt(OpOperand &use, SmallVectorImpl<Access> &accesses) {
  Operation *op = use.getOwner();
  Value value = use.get();
  if (auto indexed = indicesOf(op)) {
    auto [indices, shaped] = *indexed;
    for (auto [dim, index] : llvm::enumerate(indices))
      if (index == value && !shaped.isDynamicDim(dim))
        accesses.push_back({op, shaped, unsigned(dim), 1, false});
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
          {op, shaped, unsigned(dim), (*size - 1) * *stride + 1, true});
  }
}

/// The accesses `value` indexes, followed into the regions of the ops it
/// is passed to that take their operands as their entry block's arguments
/// (wl.kernel, wl.opaque).
void collectAccesses(Value value, SmallVectorImpl<Access> &accesses,
                     SmallPtrSetImpl<Value> &seen) {
  if (!seen.insert(value).second)
    return;
  for (OpOperand &use : value.getUses()) {
    Operation *op = use.getOwner();
    // Casts that keep the value (an i32 position made an index).
    if (isa<arith::IndexCastOp, arith::IndexCastUIOp, arith::ExtSIOp,
            arith::ExtUIOp>(op)) {
      collectAccesses(op->getResult(0), accesses, seen);
      continue;
    }
    accessesAt(use, accesses);
    if (op->getNumRegions() != 1 || op->getRegion(0).empty())
      continue;
    Block &entry = op->getRegion(0).front();
    if (entry.getNumArguments() == op->getNumOperands() &&
        entry.getArgument(use.getOperandNumber()).getType() == value.getType())
      collectAccesses(entry.getArgument(use.getOperandNumber()), accesses,
                      seen);
  }
}

} // namespace

llvm::Error checkIndexArgument(BlockArgument arg, int64_t value) {
  SmallVector<Access> accesses;
  SmallPtrSet<Value, 8> seen;
  collectAccesses(arg, accesses, seen);
  for (const Access &a : accesses) {
    int64_t last = a.shaped.getDimSize(a.dim) - a.extent;
    if (value >= 0 && value <= last)
      continue;
    std::string message;
    llvm::raw_string_ostream os(message);
    os << "argument " << arg.getArgNumber() << " is " << value << ", but '"
       << a.op->getName() << "' at " << locationString(a.op->getLoc())
       << " takes it as " << (a.offset ? "the offset" : "an index")
       << " into dimension " << a.dim << " of " << a.shaped;
    if (a.offset)
      os << " of " << a.extent << (a.extent == 1 ? " element" : " elements");
    if (last < 0)
      os << ", which has no room for them";
    else
      os << ": it must be 0 to " << last;
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  }
  return llvm::Error::success();
}

} // namespace fungible
