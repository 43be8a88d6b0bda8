//===- BodyRaiser.h - Scalar bodies to tensor wl ops ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares BodyRaiser, which turns the scalar body of a parallel
// linalg op (arith/math ops over block arguments and constants) into wl ops
// on tensors, one wl op per scalar op, with numpy broadcasting standing in
// for the indexing maps. Recognised idioms: select(cmp(a, b), a, b) is a
// max or min, and max(x, 0) is a relu; GELU (erf or tanh form), sigmoid and
// SiLU written out (Idioms.h) become wl.gelu and wl.sigmoid; a constant
// power becomes multiplications (by squaring, up to x^16, and a division
// for a negative one), x^0.5 a sqrt and x^-0.5 an rsqrt.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_BODYRAISER_H
#define FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_BODYRAISER_H

#include "passes/Conversion/LinalgToWorkload/ImportBuilder.h"

#include "llvm/ADT/DenseMap.h"

namespace fungible::import {

class BodyRaiser {
public:
  explicit BodyRaiser(WorkloadBuilder &builder) : wb(builder) {}

  /// Binds a block argument to the tensor it stands for.
  void bind(mlir::Value scalar, mlir::Value tensor) { values[scalar] = tensor; }

  /// The tensor computing `scalar`, raising its defining ops on demand;
  /// failure when some op has no wl equivalent.
  mlir::FailureOr<mlir::Value> raise(mlir::Value scalar);

private:
  mlir::FailureOr<mlir::Value> raiseOp(mlir::Operation *op);
  mlir::FailureOr<mlir::Value> raiseSelect(mlir::Operation *select);
  mlir::FailureOr<mlir::Value> raisePower(mlir::Operation *pow);
  mlir::FailureOr<mlir::Value> raiseIdiom(mlir::Operation *op);

  static constexpr unsigned kMaxRaisedPower = 16;

  WorkloadBuilder &wb;
  llvm::DenseMap<mlir::Value, mlir::Value> values;
};

/// The wl op computing arith/math `op` elementwise on `operands` (the
/// tensors standing for its operands); failure for an op without one.
/// Shared by the bodies of linalg ops and by arith/math ops on tensors.
mlir::FailureOr<mlir::Value>
raiseWithOperands(WorkloadBuilder &wb, mlir::Operation *op,
                  llvm::ArrayRef<mlir::Value> operands);

} // namespace fungible::import

#endif // FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_BODYRAISER_H
