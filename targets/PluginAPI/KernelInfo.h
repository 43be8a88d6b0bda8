//===- KernelInfo.h - What a cost model is told about a kernel --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares KernelInfo: the work of one kernel as Fungible derives
// it from the wl dialect's WorkloadCostInterface, once per kernel, before
// any target estimates it. Cost models read it instead of the IR, so a
// plugin needs no wl dialect (it only sees the plugin API headers), and
// nine targets estimating one kernel share one summary.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_PLUGINAPI_KERNELINFO_H
#define FUNGIBLE_TARGETS_PLUGINAPI_KERNELINFO_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir {
class Operation;
} // namespace mlir

namespace fungible {

/// The kind of work a kernel does (its anchor op's kind).
enum class KernelKind { Contraction, Elementwise, Reduction, DataMovement, Opaque };

/// "contraction", "elementwise", "reduction", "data_movement", "opaque".
llvm::StringRef stringifyKernelKind(KernelKind kind);

/// `batch` independent [m x k] x [k x n] products.
struct Gemm {
  int64_t batch, m, n, k;
};

/// A sliding-window reduction (a pooling): `outputs` results (N x OH x
/// OW x C), each a fold over `taps` window elements (KH x KW).
struct WindowFold {
  int64_t outputs, taps;
};

/// An attention (wl.attention): `batch` heads of `queries x keys` scores
/// over a head dimension `headDim`, times values `valueDim` wide. With
/// grouped-query attention `batch` counts key/value heads and `queries`
/// the rows of all the query heads that share one (as it runs: each
/// group's K and V read once). Its two
/// GEMMs are among KernelInfo::gemms as well. With an additive mask, a
/// program that keeps the scores on chip reads a tile of it beside each
/// tile of scores: `maskElements` (batch x queries x keys, the mask
/// broadcast to the scores' shape), 0 without one.
struct AttentionShape {
  int64_t batch, queries, keys, headDim, valueDim;
  int64_t maskElements = 0;
  /// The rows after which the mask repeats when a group's query heads are
  /// folded into the rows and the mask does not vary over them (one head's
  /// queries); 0 when it does not repeat within the rows. A lowering reads
  /// it at the row modulo the period, so its row tiles divide the period.
  int64_t maskRowPeriod = 0;
};

struct KernelInfo {
  KernelKind kind = KernelKind::Elementwise;
  /// FLOPs (2 per multiply-accumulate), bytes read and written at the
  /// kernel's boundary: docs/CostConvention.md.
  double flops = 0, bytesRead = 0, bytesWritten = 0;
  /// The matrix products of its contraction (matmul and batch_matmul as
  /// they are, conv2d as an implicit GEMM per group, attention as its two
  /// GEMMs); empty for a kernel without one.
  llvm::SmallVector<Gemm, 2> gemms;
  /// FLOPs of the GEMMs (2 * sum of batch*m*n*k); the rest of `flops` is
  /// vector work (epilogues, softmax, ...).
  double gemmFlops = 0;
  /// The element type of the anchor op's first operand (null when none):
  /// what picks the matrix unit's peak.
  mlir::Type elementType;
  /// Tensor operands of the kernel (vector engines stream each).
  unsigned tensorInputs = 0;
  /// The kernel (a wl.kernel or a single wl op); may be null for
  /// synthetic kernels built by benchmarks and tests.
  mlir::Operation *op = nullptr;
  /// Its poolings (empty when none): a lowering that reads each tap's
  /// window of the input in turn reads `outputs x taps` elements.
  llvm::SmallVector<WindowFold, 1> windows;
  /// Its attentions (empty when none): a lowering that keeps the scores on
  /// chip reads Q once and K and V once per tile of query rows.
  llvm::SmallVector<AttentionShape, 1> attentions;
};

} // namespace fungible

#endif // FUNGIBLE_TARGETS_PLUGINAPI_KERNELINFO_H
