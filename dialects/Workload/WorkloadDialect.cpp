//===- WorkloadDialect.cpp - The wl dialect ---------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file registers the ops of the wl dialect and defines the helpers of
// WorkloadCostInterface and the StaticShapes trait.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadDialect.h"
#include "dialects/Workload/WorkloadOps.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace fungible::wl;

#include "dialects/Workload/WorkloadDialect.cpp.inc"
#include "dialects/Workload/WorkloadEnums.cpp.inc"
#include "dialects/Workload/WorkloadInterfaces.cpp.inc"

void WLDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Workload/WorkloadOps.cpp.inc"
      >();
}

int64_t fungible::wl::detail::elementBytes(Type type) {
  return (static_cast<int64_t>(type.getIntOrFloatBitWidth()) + 7) / 8;
}

int64_t fungible::wl::detail::tensorBytes(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getNumElements() * elementBytes(type.getElementType());
}

int64_t fungible::wl::detail::sumTensorBytes(ValueRange values) {
  int64_t total = 0;
  for (Value value : values)
    if (auto type = dyn_cast<RankedTensorType>(value.getType()))
      if (type.hasStaticShape() && type.getElementType().isIntOrFloat())
        total += tensorBytes(value);
  return total;
}

LogicalResult fungible::wl::detail::verifyStaticShapes(Operation *op) {
  auto check = [&](Type type, StringRef what, unsigned index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return success();
    if (!tensor.hasStaticShape())
      return op->emitOpError("dynamic shapes are not supported yet: ")
             << what << " #" << index << " has type " << type;
    // Work counts are int64_t: a tensor's size in bytes must fit.
    if (!tensor.getElementType().isIntOrFloat())
      return success();
    int64_t bytes = elementBytes(tensor.getElementType());
    for (int64_t dim : tensor.getShape())
      if (llvm::MulOverflow(bytes, dim, bytes))
        return op->emitOpError("tensor too large: the size in bytes of ")
               << what << " #" << index << " (" << type
               << ") does not fit in 64 bits";
    return success();
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}
