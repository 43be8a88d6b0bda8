//===- LinalgBuilders.h - Helpers that build linalg on tensors --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the small builders the wl -> linalg lowering is made
// of: typed scalar arithmetic, elementwise and reduction linalg.generic ops
// with numpy broadcasting, reshapes and a numerically stable softmax. They
// are reusable by any lowering that targets linalg on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_WORKLOADTOLINALG_LINALGBUILDERS_H
#define FUNGIBLE_PASSES_CONVERSION_WORKLOADTOLINALG_LINALGBUILDERS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace fungible::linalg_builders {

using BodyFn = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

//===--- Scalars ----------------------------------------------------------===//

/// A constant scalar of a float or integer type.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type type, double value);
/// Converts a scalar between float and (signed) integer types.
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value value, mlir::Type to);
/// Typed binary arithmetic: float or signed integer forms of arith ops.
mlir::Value addS(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::Value y);
mlir::Value subS(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::Value y);
mlir::Value mulS(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::Value y);
mlir::Value divS(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::Value y);
mlir::Value maxS(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::Value y);
mlir::Value minS(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::Value y);

//===--- Tensors ----------------------------------------------------------===//

/// tensor.empty of `type`.
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type);
/// A tensor of `type` filled with `value` (linalg.fill).
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value value);
/// A tensor of `type` filled with the identity of the reduction `kind`.
mlir::Value identityTensor(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::RankedTensorType type,
                           mlir::arith::AtomicRMWKind kind);
/// The map reading a tensor of `shape` inside a loop nest over `outShape`
/// with numpy broadcasting (trailing alignment; size-1 dims read index 0).
mlir::AffineMap broadcastMap(llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<int64_t> outShape,
                             mlir::MLIRContext *ctx);

/// A linalg.generic producing `resultType` from `inputs` read through
/// `inputMaps`; the output is written through the identity map when every
/// iterator is parallel. `body` gets the input scalars then the output's.
mlir::Value buildGeneric(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType resultType,
                         mlir::ValueRange inputs,
                         llvm::ArrayRef<mlir::AffineMap> inputMaps,
                         BodyFn body);

/// Elementwise op over broadcast `inputs` (maps from broadcastMap).
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             mlir::ValueRange inputs, BodyFn body);

/// A contraction-style linalg.generic: loops of `numLoops`, `iterators`,
/// maps for inputs and the output, accumulating into `init`.
mlir::Value buildStructured(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value init, mlir::ValueRange inputs,
                            llvm::ArrayRef<mlir::AffineMap> maps,
                            llvm::ArrayRef<mlir::utils::IteratorType> iterators,
                            BodyFn body);

/// Reduces `input` over the sorted `dims` with `kind` (addf, maximumf, ...),
/// dropping them from the result.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input, llvm::ArrayRef<int64_t> dims,
                           mlir::arith::AtomicRMWKind kind);

/// Casts every element of `input` to `elementType` (no-op when equal).
mlir::Value castTensor(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, mlir::Type elementType);

/// Reshapes `input` to `type` (same element count, row-major order) with
/// tensor.collapse_shape / tensor.expand_shape: one of them when one shape
/// refines the other, else a collapse to the coarsest shape both refine
/// and an expand from it (through 1-D only when they share no boundary).
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value input, mlir::RankedTensorType type);

/// Numerically stable softmax of `input` along `axis`.
mlir::Value buildSoftmax(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value input, int64_t axis);

/// The softmax's numerators: exp(x - max(x)) along `axis`, in the compute
/// type of `input`'s element type.
mlir::Value buildShiftedExps(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value input, int64_t axis);

/// The element type used for intermediate arithmetic: f32 for narrower
/// floats (f16, bf16, f8), else the type itself.
mlir::Type computeType(mlir::Type elementType);

} // namespace fungible::linalg_builders

#endif // FUNGIBLE_PASSES_CONVERSION_WORKLOADTOLINALG_LINALGBUILDERS_H
