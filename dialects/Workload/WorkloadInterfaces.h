//===- WorkloadInterfaces.h - WorkloadCostInterface -------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares WorkloadCostInterface (the exact FLOP/byte counts of
// every wl op), the enums of the dialect and the StaticShapes trait.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADINTERFACES_H
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADINTERFACES_H

#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <utility>

#include "dialects/Workload/WorkloadEnums.h.inc"

namespace fungible::wl {
namespace detail {
/// Storage bytes of one element of `type` (f8/i8: 1, f16/bf16: 2, f32: 4).
int64_t elementBytes(mlir::Type type);
/// Storage bytes of a statically shaped tensor value.
int64_t tensorBytes(mlir::Value value);
/// Sum of tensorBytes over the statically shaped tensors of `values`;
/// other values (scalars) count zero.
int64_t sumTensorBytes(mlir::ValueRange values);
/// Emits "dynamic shapes are not supported yet" for a dynamic operand or
/// result of `op`.
mlir::LogicalResult verifyStaticShapes(mlir::Operation *op);
/// What getFlops returns for a count that does not fit in int64_t (its
/// arithmetic saturates).
constexpr int64_t kFlopsOverflow = INT64_MAX;
/// Emits an error when `op`'s FLOP count does not fit (called at the end
/// of the verifiers of the ops whose count is a product of dimensions).
mlir::LogicalResult verifyFlopsFit(mlir::Operation *op);
/// The FLOPs of an op the importer did not raise (what wl.opaque and
/// wl-import-report count), by the convention of docs/CostConvention.md:
/// a linalg op, its iterations times the arithmetic of its body; a TOSA
/// op, one per result element; an arith or math op, one per element
/// (scalar: one), index arithmetic excepted; a loop (scf.for, affine.for,
/// scf.parallel...), its trip count times its body's work (an upper bound
/// that is not constant: the most iterations its accesses allow in bounds,
/// else once); any other op with regions, the
/// work of its regions. Saturates at kFlopsOverflow.
int64_t countWork(mlir::Operation *op);
/// The bytes `op` reads (or, when `writes`, writes) through buffers, with
/// loops counted as countWork counts them: an element access (memref or
/// affine load/store, vector load/store) the value it moves, an op that
/// moves no such value (memref.copy) the whole buffer, an element read
/// from a tensor (tensor.extract) its value. What wl.opaque kernels over
/// buffers count as their bytes.
int64_t countAccessBytes(mlir::Operation *op, bool writes);
/// What makes loops over buffers slower than their FLOPs and bytes say,
/// counted as countWork counts (loops' trip counts multiplied):
struct LoopLatency {
  /// Iterations of loops that carry a floating-point value from one
  /// iteration to the next (an accumulator, a running max): each waits for
  /// the previous one's arithmetic.
  int64_t serialSteps = 0;
  /// Element accesses (loads, stores, tensor.extract) whose innermost
  /// loop walks a dimension other than the last, a cache line (64 bytes)
  /// or more apart (a column of a row-major cache), as (accesses, bytes of
  /// the buffer or tensor walked) per access op.
  llvm::SmallVector<std::pair<int64_t, int64_t>, 2> stridedAccesses;
};
LoopLatency countLoopLatency(mlir::Operation *op);
/// Whether `op`, or an op nested in it, has a buffer (memref) operand or
/// result: code over buffers, which wl-wrap-buffer-code wraps and only the
/// host runs.
bool touchesBuffers(mlir::Operation *op);
} // namespace detail

/// The trait behind WL_StaticShapes.
template <typename ConcreteType>
class StaticShapes
    : public mlir::OpTrait::TraitBase<ConcreteType, StaticShapes> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyStaticShapes(op);
  }
};
} // namespace fungible::wl

#include "dialects/Workload/WorkloadInterfaces.h.inc"

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADINTERFACES_H
