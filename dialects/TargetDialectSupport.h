//===- TargetDialectSupport.h - Shared target-dialect checks ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines what the target dialects' verifiers share: on-chip
// capacity (mxu VMEM, neuron SBUF and PSUM), where a buffer lives from its
// allocation to the end of the region that holds it, and the scalar bodies
// of elementwise tile ops.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_TARGETDIALECTSUPPORT_H
#define FUNGIBLE_DIALECTS_TARGETDIALECTSUPPORT_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace fungible {

/// Sums `measure` over the buffers `AllocOp` allocates that are live at
/// `op`: allocated at or before it, in its region or an enclosing one, in
/// the function that holds it.
template <typename AllocOp>
int64_t sumLiveBuffers(mlir::Operation *op,
                       llvm::function_ref<int64_t(mlir::MemRefType)> measure) {
  auto func = op->getParentOfType<mlir::FunctionOpInterface>();
  if (!func)
    return 0;
  mlir::Region *here = op->getParentRegion();
  int64_t sum = 0;
  func->walk([&](AllocOp alloc) {
    if (!alloc->getParentRegion()->isAncestor(here))
      return;
    mlir::Operation *at = alloc->getBlock()->findAncestorOpInBlock(*op);
    if (at && (at == alloc.getOperation() || alloc->isBeforeInBlock(at)))
      sum += measure(alloc.getBuffer().getType());
  });
  return sum;
}

/// Verifies the scalar body of an elementwise tile op (mxu.vpu,
/// neuron.elementwise): one argument per input, of its element type, and a
/// `YieldOp` yielding the output's element type.
/// A DMA load's `padding` (null: zero) is a value of its tile's elements.
inline llvm::LogicalResult verifyPadding(mlir::Operation *op,
                                         mlir::TypedAttr padding,
                                         mlir::Value buffer) {
  mlir::Type element =
      mlir::cast<mlir::MemRefType>(buffer.getType()).getElementType();
  if (padding && padding.getType() != element)
    return op->emitOpError("padding ")
           << padding << " is not a " << element << " like the tile";
  return llvm::success();
}

template <typename YieldOp>
llvm::LogicalResult verifyScalarBody(mlir::Operation *op, mlir::Block &body,
                                     mlir::ValueRange inputs,
                                     mlir::Value output) {
  if (body.getNumArguments() != inputs.size())
    return op->emitOpError("the body takes one scalar per input: expected ")
           << inputs.size() << " arguments, got " << body.getNumArguments();
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs))
    if (arg.getType() !=
        llvm::cast<mlir::MemRefType>(input.getType()).getElementType())
      return op->emitOpError("body argument type ")
             << arg.getType() << " differs from its input's element type";
  auto yield = body.empty() ? YieldOp() : llvm::dyn_cast<YieldOp>(body.back());
  if (!yield)
    return op->emitOpError("the body must end with ")
           << YieldOp::getOperationName();
  mlir::Type out =
      llvm::cast<mlir::MemRefType>(output.getType()).getElementType();
  if (yield.getValue().getType() != out)
    return op->emitOpError("yields ")
           << yield.getValue().getType() << " into a tile of " << out;
  return mlir::success();
}

} // namespace fungible

#endif // FUNGIBLE_DIALECTS_TARGETDIALECTSUPPORT_H
