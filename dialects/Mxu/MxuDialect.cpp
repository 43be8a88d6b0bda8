//===- MxuDialect.cpp - The mxu dialect -------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file registers the mxu ops and implements their verifiers: the
// hardware's rules on VMEM tiles, VMEM capacity and MXU operand shapes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Mxu/MxuDialect.h"
#include "dialects/TargetDialectSupport.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace fungible::mxu;

#include "dialects/Mxu/MxuDialect.cpp.inc"

void MxuDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Mxu/MxuOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "dialects/Mxu/MxuOps.cpp.inc"

namespace {

int64_t bufferBytes(MemRefType type) {
  return type.getNumElements() *
         ((type.getElementTypeBitWidth() + 7) / 8);
}

/// A VMEM tile is `rows x lanes` of whole vector registers.
LogicalResult verifyTileShape(Operation *op, MemRefType type, StringRef what) {
  if (!type.hasStaticShape())
    return op->emitOpError() << what << " must have a static shape, not "
                             << type;
  if (type.getDimSize(1) % kSublanes || type.getDimSize(2) % kLanes)
    return op->emitOpError()
           << what << " tile " << type.getDimSize(1) << "x"
           << type.getDimSize(2) << " is not made of (" << kSublanes << ","
           << kLanes << ") vector registers: rows must be a multiple of "
           << kSublanes << " and lanes of " << kLanes;
  return success();
}

/// The buffer's tile as `rows x lanes`.
std::pair<int64_t, int64_t> tileOf(Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  return {type.getDimSize(1), type.getDimSize(2)};
}

/// What a DMA load and store check: the HBM side has one index per
/// dimension and at least two dimensions, the element types agree, and
/// the VMEM side is a VMEM buffer.
LogicalResult verifyDma(Operation *op, Value hbm, ValueRange indices,
                        Value buffer) {
  auto hbmType = cast<MemRefType>(hbm.getType());
  auto bufferType = cast<MemRefType>(buffer.getType());
  if (!buffer.getDefiningOp<VmemAllocOp>())
    return op->emitOpError("the VMEM side must be an mxu.vmem_alloc buffer");
  if (hbm.getDefiningOp<VmemAllocOp>())
    return op->emitOpError("the HBM side is a VMEM buffer: DMAs move data "
                           "between HBM and VMEM");
  if (hbmType.getRank() < 2)
    return op->emitOpError("the HBM side must have at least 2 dimensions "
                           "(rows and lanes), not ")
           << hbmType.getRank();
  if (static_cast<int64_t>(indices.size()) != hbmType.getRank())
    return op->emitOpError("expects ")
           << hbmType.getRank() << " indices into " << hbmType << ", got "
           << indices.size();
  if (hbmType.getElementType() != bufferType.getElementType())
    return op->emitOpError("element types differ: ")
           << hbmType.getElementType() << " in HBM, "
           << bufferType.getElementType() << " in VMEM (a DMA does not "
           << "convert; use mxu.vpu)";
  return success();
}

} // namespace

LogicalResult VmemAllocOp::verify() {
  MemRefType type = getBuffer().getType();
  if (failed(verifyTileShape(*this, type, "VMEM buffer")))
    return failure();
  if (type.getDimSize(0) != 1 && type.getDimSize(0) != 2)
    return emitOpError("a VMEM buffer has 1 slot or 2 (double-buffered), not ")
           << type.getDimSize(0);
  auto func = (*this)->getParentOfType<FunctionOpInterface>();
  if (!func)
    return success();
  auto capacity = func->getAttrOfType<IntegerAttr>(kVmemBytesAttr);
  if (!capacity)
    return success();
  int64_t used = fungible::sumLiveBuffers<VmemAllocOp>(
      *this, [](MemRefType type) { return bufferBytes(type); });
  bool overflow = used > capacity.getInt();
  if (overflow)
    return emitOpError("VMEM overflow: the buffers live here need ")
           << used << " bytes, the core has "
           << capacity.getInt() << " (" << kVmemBytesAttr << ")";
  return success();
}

LogicalResult DmaLoadOp::verify() {
  if (failed(verifyDma(*this, getSource(), getIndices(), getBuffer())))
    return failure();
  return fungible::verifyPadding(*this, getPaddingAttr(), getBuffer());
}

LogicalResult DmaStoreOp::verify() {
  return verifyDma(*this, getDest(), getIndices(), getBuffer());
}

LogicalResult MatmulOp::verify() {
  int64_t dim = getDim();
  if (dim != 128 && dim != 256)
    return emitOpError("the MXU is 128x128 or 256x256, not ") << dim;
  auto [m, k] = tileOf(getLhs());
  auto [k2, n] = tileOf(getRhs());
  auto [m2, n2] = tileOf(getAcc());
  if (k != k2 || m != m2 || n != n2)
    return emitOpError("tile shapes do not chain: lhs ")
           << m << "x" << k << ", rhs " << k2 << "x" << n << ", acc " << m2
           << "x" << n2;
  if (k % dim || n % dim)
    return emitOpError("the stationary tile is ")
           << k << "x" << n << ": K and N must be multiples of the "
           << dim << "x" << dim << " MXU";
  Type in = getLhs().getType().getElementType();
  Type acc = getAcc().getType().getElementType();
  if (in != getRhs().getType().getElementType())
    return emitOpError("lhs and rhs element types differ");
  bool floatIn = isa<Float8E4M3FNType, BFloat16Type, Float16Type,
                     Float32Type>(in);
  if (floatIn && !acc.isF32())
    return emitOpError("a floating-point product accumulates in f32, not ")
           << acc;
  if (in.isInteger(8) && !acc.isInteger(32))
    return emitOpError("an i8 product accumulates in i32, not ") << acc;
  if (!floatIn && !in.isInteger(8))
    return emitOpError("the MXU takes bf16, f16, f8E4M3FN, f32 or i8, not ")
           << in;
  return success();
}

namespace {

/// The positions `attr` names, each an input of `op` (of `count`).
FailureOr<ArrayRef<int64_t>>
broadcastInputs(Operation *op, std::optional<ArrayRef<int64_t>> attr,
                StringRef name, size_t count) {
  if (!attr)
    return ArrayRef<int64_t>();
  for (int64_t index : *attr)
    if (index < 0 || index >= static_cast<int64_t>(count))
      return op->emitOpError()
             << name << " names input " << index << " of " << count;
  return *attr;
}

/// Whether each input's tile is `tile`, but for the rows of a row-broadcast
/// input and the lanes of a lane-broadcast one.
LogicalResult verifyInputTiles(Operation *op, ValueRange inputs,
                               std::pair<int64_t, int64_t> tile,
                               ArrayRef<int64_t> rowBroadcast,
                               ArrayRef<int64_t> laneBroadcast,
                               StringRef against) {
  for (auto [index, input] : llvm::enumerate(inputs)) {
    std::pair<int64_t, int64_t> in = tileOf(input);
    bool rows = llvm::is_contained(rowBroadcast, static_cast<int64_t>(index));
    bool lanes = llvm::is_contained(laneBroadcast, static_cast<int64_t>(index));
    if ((!rows && in.first != tile.first) ||
        (!lanes && in.second != tile.second))
      return op->emitOpError("input tile ")
             << in.first << "x" << in.second << " differs from the " << against
             << " tile " << tile.first << "x" << tile.second;
  }
  return success();
}

} // namespace

LogicalResult VpuOp::verify() {
  std::pair<int64_t, int64_t> tile = tileOf(getOutput());
  if (getInputs().size() != getInputSlots().size())
    return emitOpError("expects one slot per input: ")
           << getInputs().size() << " inputs, " << getInputSlots().size()
           << " slots";
  FailureOr<ArrayRef<int64_t>> rows = broadcastInputs(
      *this, getRowBroadcast(), "row_broadcast", getInputs().size());
  FailureOr<ArrayRef<int64_t>> lanes = broadcastInputs(
      *this, getLaneBroadcast(), "lane_broadcast", getInputs().size());
  if (failed(rows) || failed(lanes) ||
      failed(
          verifyInputTiles(*this, getInputs(), tile, *rows, *lanes, "output")))
    return failure();
  return fungible::verifyScalarBody<YieldOp>(*this, getBody().front(),
                                             getInputs(), getOutput());
}

LogicalResult ReduceOp::verify() {
  if (getInputs().size() != getInputSlots().size())
    return emitOpError("expects one slot per input: ")
           << getInputs().size() << " inputs, " << getInputSlots().size()
           << " slots";
  FailureOr<ArrayRef<int64_t>> lanes = broadcastInputs(
      *this, getLaneBroadcast(), "lane_broadcast", getInputs().size());
  if (failed(lanes))
    return failure();
  // The inputs' lanes: those of the first full tile.
  std::pair<int64_t, int64_t> tile = tileOf(getAcc());
  for (auto [index, input] : llvm::enumerate(getInputs()))
    if (!llvm::is_contained(*lanes, static_cast<int64_t>(index))) {
      tile.second = tileOf(input).second;
      break;
    }
  if (failed(verifyInputTiles(*this, getInputs(), tile, {}, *lanes,
                              "accumulator's rows by the inputs' lanes")))
    return failure();
  SmallVector<Value> scalars(getInputs());
  scalars.push_back(getAcc());
  return fungible::verifyScalarBody<YieldOp>(*this, getBody().front(), scalars,
                                             getAcc());
}
