//===- LiveBuffers.h - On-chip buffers live at an op ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines what the target dialects' verifiers use to check
// on-chip capacity (mxu VMEM, neuron SBUF and PSUM): a buffer lives from its
// allocation to the end of the region that holds it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_LIVEBUFFERS_H
#define FUNGIBLE_DIALECTS_LIVEBUFFERS_H

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

} // namespace fungible

#endif // FUNGIBLE_DIALECTS_LIVEBUFFERS_H
