//===- ImportBuilder.h - Building wl ops while raising ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the helpers shared by the raising patterns (linalg,
// tensor and TOSA into wl): type checks, and wl builders that infer their
// result types (transpose, reshape, elementwise with broadcasting, casts,
// scalar constants) and skip no-op steps.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_IMPORTBUILDER_H
#define FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_IMPORTBUILDER_H

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace fungible::import {

/// The type of `value`, a ranked tensor (what the raising patterns handle).
inline mlir::RankedTensorType tensorType(mlir::Value value) {
  return llvm::cast<mlir::RankedTensorType>(value.getType());
}

/// f64, f32, f16, bf16, f8E4M3FN, i8 or i32.
bool isWorkloadElementType(mlir::Type type);
/// A statically shaped ranked tensor of a wl element type.
bool isWorkloadTensor(mlir::Type type);
/// isWorkloadTensor for every type.
bool allWorkloadTensors(mlir::TypeRange types);

/// The splat value of a linalg.fill or a splat constant producing `value`.
std::optional<mlir::Attribute> getSplatValue(mlir::Value value);
/// Whether `value` is zero everywhere (a zero fill or zero constant), or
/// undefined (tensor.empty), so accumulating into it adds nothing.
bool isZeroOrUndefined(mlir::Value value);

/// Builds wl ops at the rewriter's insertion point.
class WorkloadBuilder {
public:
  WorkloadBuilder(mlir::PatternRewriter &rewriter, mlir::Location loc)
      : b(rewriter), loc(loc) {}

  /// wl.transpose with result dim d = input dim perm[d] (no-op if identity).
  mlir::Value transpose(mlir::Value value, llvm::ArrayRef<int64_t> perm);
  /// wl.reshape to `shape` (no-op if equal).
  mlir::Value reshape(mlir::Value value, llvm::ArrayRef<int64_t> shape);
  /// wl.broadcast to `shape` (no-op if equal).
  mlir::Value broadcast(mlir::Value value, llvm::ArrayRef<int64_t> shape);
  /// wl.cast to `elementType` (no-op if equal).
  mlir::Value cast(mlir::Value value, mlir::Type elementType);
  /// A binary wl op with the numpy-broadcast result shape; null if the
  /// shapes do not broadcast.
  template <typename OpTy>
  mlir::Value binary(mlir::Value lhs, mlir::Value rhs);
  /// A unary wl op of the operand's type.
  template <typename OpTy>
  mlir::Value unary(mlir::Value value) {
    return track(OpTy::create(b, loc, value));
  }
  /// A rank-0 tensor constant.
  mlir::Value scalar(mlir::TypedAttr value);

  /// Records an op this builder's user created directly.
  template <typename T>
  T track(T op) {
    created.push_back(op.getOperation());
    return op;
  }
  /// Erases every op created through this builder, newest first: patterns
  /// call it when raising fails half-way, so a failed match changes nothing.
  void rollback();

  mlir::PatternRewriter &b;
  mlir::Location loc;
  llvm::SmallVector<mlir::Operation *> created;
};

} // namespace fungible::import

#endif // FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_IMPORTBUILDER_H
