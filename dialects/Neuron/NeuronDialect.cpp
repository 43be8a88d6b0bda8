//===- NeuronDialect.cpp - The neuron dialect -------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file registers the neuron ops and implements their verifiers: the
// NeuronCore's partition, SBUF, PSUM and TensorEngine tile limits.
//
//===----------------------------------------------------------------------===//

#include "dialects/Neuron/NeuronDialect.h"
#include "dialects/TargetDialectSupport.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace fungible::neuron;

#include "dialects/Neuron/NeuronDialect.cpp.inc"
#include "dialects/Neuron/NeuronEnums.cpp.inc"

void NeuronDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Neuron/NeuronOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "dialects/Neuron/NeuronOps.cpp.inc"

namespace {

int64_t elementBytes(MemRefType type) {
  return (type.getElementTypeBitWidth() + 7) / 8;
}

LogicalResult verifyPartitions(Operation *op, MemRefType type) {
  if (!type.hasStaticShape())
    return op->emitOpError("needs a static shape, not ") << type;
  if (type.getDimSize(0) > kPartitions || type.getDimSize(0) < 1)
    return op->emitOpError("a tile spans 1 to ")
           << kPartitions << " partitions, not " << type.getDimSize(0);
  return success();
}

bool isSbuf(Value v) { return static_cast<bool>(v.getDefiningOp<SbufAllocOp>()); }
bool isPsum(Value v) { return static_cast<bool>(v.getDefiningOp<PsumAllocOp>()); }

LogicalResult verifyDma(Operation *op, Value hbm, ValueRange indices,
                        Value buffer, bool transpose) {
  auto hbmType = cast<MemRefType>(hbm.getType());
  auto bufferType = cast<MemRefType>(buffer.getType());
  if (!isSbuf(buffer))
    return op->emitOpError("the on-chip side must be a neuron.sbuf_alloc "
                           "buffer (DMAs do not reach PSUM)");
  if (isSbuf(hbm) || isPsum(hbm))
    return op->emitOpError("the HBM side is an on-chip buffer");
  if (hbmType.getRank() < 2)
    return op->emitOpError("the HBM side must have at least 2 dimensions, "
                           "not ")
           << hbmType.getRank();
  if (static_cast<int64_t>(indices.size()) != hbmType.getRank())
    return op->emitOpError("expects ")
           << hbmType.getRank() << " indices into " << hbmType << ", got "
           << indices.size();
  if (hbmType.getElementType() != bufferType.getElementType())
    return op->emitOpError("element types differ: ")
           << hbmType.getElementType() << " in HBM, "
           << bufferType.getElementType() << " in SBUF";
  return success();
}

} // namespace

LogicalResult SbufAllocOp::verify() {
  MemRefType type = getBuffer().getType();
  if (failed(verifyPartitions(*this, type)))
    return failure();
  auto func = (*this)->getParentOfType<FunctionOpInterface>();
  auto capacity =
      func ? func->getAttrOfType<IntegerAttr>(kSbufPartitionBytesAttr)
           : IntegerAttr();
  if (!capacity)
    return success();
  int64_t used = fungible::sumLiveBuffers<SbufAllocOp>(*this, [](MemRefType t) {
    return t.getDimSize(1) * elementBytes(t);
  });
  if (used > capacity.getInt())
    return emitOpError("SBUF overflow: the buffers live here need ")
           << used << " bytes per partition, the core has "
           << capacity.getInt() << " (" << kSbufPartitionBytesAttr << ")";
  return success();
}

LogicalResult PsumAllocOp::verify() {
  MemRefType type = getBuffer().getType();
  if (failed(verifyPartitions(*this, type)))
    return failure();
  Type element = type.getElementType();
  if (!element.isF32() && !element.isInteger(32))
    return emitOpError("PSUM holds f32 or i32 accumulators, not ") << element;
  if (type.getDimSize(1) * 4 > kPsumBankBytes)
    return emitOpError("a PSUM bank holds ")
           << kPsumBankBytes / 4 << " accumulators per partition, not "
           << type.getDimSize(1);
  int64_t banks = fungible::sumLiveBuffers<PsumAllocOp>(*this, [](MemRefType) { return 1; });
  if (banks > kPsumBanks)
    return emitOpError("PSUM overflow: ")
           << banks << " banks live here, a NeuronCore has " << kPsumBanks;
  return success();
}

LogicalResult DmaLoadOp::verify() {
  if (getTranspose() && getBroadcast())
    return emitOpError("a DMA either transposes or broadcasts a row, not both");
  if (failed(verifyDma(*this, getSource(), getIndices(), getBuffer(),
                       getTranspose())))
    return failure();
  return fungible::verifyPadding(*this, getPaddingAttr(), getBuffer());
}

LogicalResult DmaStoreOp::verify() {
  return verifyDma(*this, getDest(), getIndices(), getBuffer(), false);
}

LogicalResult MatmulOp::verify() {
  if (!isSbuf(getStationary()) || !isSbuf(getMoving()))
    return emitOpError("the stationary and moving tiles must be in SBUF");
  if (!isPsum(getPsum()))
    return emitOpError("the accumulator must be a PSUM bank");
  MemRefType st = getStationary().getType(), mv = getMoving().getType(),
             ps = getPsum().getType();
  int64_t k = st.getDimSize(0), m = st.getDimSize(1), n = mv.getDimSize(1);
  if (mv.getDimSize(0) != k)
    return emitOpError("the contraction differs: ")
           << k << " partitions in the stationary tile, "
           << mv.getDimSize(0) << " in the moving one";
  if (m > kStationaryFree)
    return emitOpError("the stationary tile is ")
           << k << "x" << m << ": its free size is at most "
           << kStationaryFree;
  if (n > kMovingFree)
    return emitOpError("the moving tile is ")
           << k << "x" << n << ": its free size is at most " << kMovingFree
           << " (one PSUM bank)";
  if (ps.getDimSize(0) != m || ps.getDimSize(1) != n)
    return emitOpError("the PSUM tile must be ")
           << m << "x" << n << ", not " << ps.getDimSize(0) << "x"
           << ps.getDimSize(1);
  Type in = st.getElementType(), acc = ps.getElementType();
  if (in != mv.getElementType())
    return emitOpError("stationary and moving element types differ");
  bool floatIn =
      isa<Float8E4M3FNType, BFloat16Type, Float16Type, Float32Type>(in);
  if (floatIn && !acc.isF32())
    return emitOpError("a floating-point product accumulates in f32");
  if (in.isInteger(8) && !acc.isInteger(32))
    return emitOpError("an i8 product accumulates in i32");
  if (!floatIn && !in.isInteger(8))
    return emitOpError("the TensorEngine takes bf16, f16, f8E4M3FN, f32 or "
                       "i8, not ")
           << in;
  return success();
}

/// Checks what neuron.elementwise and neuron.reduce share: a vector, scalar
/// or gpsimd engine, an SBUF output of `shape`'s partitions, and inputs in
/// SBUF or PSUM that are `shape` or a `P x 1` per-partition column.
static LogicalResult verifyEngineTiles(Operation *op, Engine engine,
                                       ValueRange inputs, Value output,
                                       ArrayRef<int64_t> shape) {
  if (engine == Engine::Sync || engine == Engine::Tensor)
    return op->emitOpError("runs on the vector, scalar or gpsimd engine, not ")
           << stringifyEngine(engine);
  if (!isSbuf(output))
    return op->emitOpError("writes an SBUF tile");
  for (Value input : inputs) {
    if (!isSbuf(input) && !isPsum(input))
      return op->emitOpError("reads SBUF or PSUM tiles");
    ArrayRef<int64_t> in = cast<MemRefType>(input.getType()).getShape();
    if (in != shape && !(in[0] == shape[0] && in[1] == 1))
      return op->emitOpError("input tile ")
             << input.getType() << " is neither " << shape[0] << "x"
             << shape[1] << " nor a " << shape[0]
             << "x1 per-partition column";
  }
  return success();
}

LogicalResult TransposeOp::verify() {
  if (!isSbuf(getInput()))
    return emitOpError("the input tile must be in SBUF");
  if (!isPsum(getPsum()))
    return emitOpError("the result must be a PSUM bank");
  MemRefType in = getInput().getType(), out = getPsum().getType();
  if (in.getDimSize(1) > kStationaryFree)
    return emitOpError("the input tile is ")
           << in.getDimSize(0) << "x" << in.getDimSize(1)
           << ": its free size is at most " << kStationaryFree;
  if (out.getDimSize(0) != in.getDimSize(1) ||
      out.getDimSize(1) != in.getDimSize(0))
    return emitOpError("the PSUM tile must be ")
           << in.getDimSize(1) << "x" << in.getDimSize(0) << ", not "
           << out.getDimSize(0) << "x" << out.getDimSize(1);
  if (!isa<BFloat16Type, Float16Type, Float32Type>(in.getElementType()) ||
      !out.getElementType().isF32())
    return emitOpError("transposes a bf16, f16 or f32 tile into f32");
  return success();
}

LogicalResult ElementwiseOp::verify() {
  if (failed(verifyEngineTiles(*this, getEngine(), getInputs(), getOutput(),
                               getOutput().getType().getShape())))
    return failure();
  return fungible::verifyScalarBody<YieldOp>(*this, getBody().front(),
                                             getInputs(), getOutput());
}

LogicalResult ReduceOp::verify() {
  ArrayRef<int64_t> acc = getAcc().getType().getShape();
  if (acc[1] != 1)
    return emitOpError("accumulates into a P x 1 tile, not ")
           << getAcc().getType();
  // The inputs' free size: that of the first full tile (1 if none).
  int64_t free = 1;
  for (Value input : getInputs())
    free = std::max(free, cast<MemRefType>(input.getType()).getDimSize(1));
  if (failed(verifyEngineTiles(*this, getEngine(), getInputs(), getAcc(),
                               {acc[0], free})))
    return failure();
  SmallVector<Value> scalars(getInputs());
  scalars.push_back(getAcc());
  return fungible::verifyScalarBody<YieldOp>(*this, getBody().front(), scalars,
                                             getAcc());
}

LogicalResult WaitOp::verify() {
  auto func = (*this)->getParentOfType<FunctionOpInterface>();
  int64_t id = static_cast<int64_t>(getSemaphore());
  bool signalled = false;
  if (func)
    func->walk([&](Operation *op) {
      if (auto s = op->getAttrOfType<IntegerAttr>("signal"))
        signalled |= s.getInt() == id &&
                     isa<NeuronDialect>(op->getDialect());
    });
  if (!signalled)
    return emitOpError("waits on semaphore ")
           << id << ", which no op of the function signals";
  return success();
}
