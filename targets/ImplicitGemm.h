//===- ImplicitGemm.h - The GEMM a matrix unit runs for an op ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the TPU and Trainium lowerings share to put a
// (batch) matmul or a convolution on their matrix unit: the GEMM it is,
// and where each of its operand tiles lies in HBM. A convolution is an
// implicit GEMM, as the cost models price it (getGemms): its output pixels
// are the rows, its filters the columns, and its reduction runs over the
// filter taps, each a GEMM step over the input channels whose A tile is a
// window of the input read in place. A zero-padded copy of the input
// before it is absorbed: the window's DMA reads zeros outside the input.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_IMPLICITGEMM_H
#define FUNGIBLE_TARGETS_IMPLICITGEMM_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

#include <array>
#include <cstdint>
#include <optional>

namespace fungible {

/// Where a DMA reads one operand tile: an HBM memref (or a view of one)
/// and its indices, the last two being the tile's first row and column.
struct TileAddress {
  mlir::Value hbm;
  llvm::SmallVector<mlir::Value> indices;
};

/// The GEMM a matrix unit computes for a linalg.matmul, a
/// linalg.batch_matmul or a linalg.conv_2d_nhwc_hwcf on plain memrefs
/// (default maps and signed casts; A and B of one element type with an
/// accumulator type, the output that type or a float it rounds to).
///
/// The output `c` is `lead... x m x n`: its tiles are `tm x tn` at
/// (lead indices..., row, col), so an elementwise epilogue over `c` reads
/// its other operands' tiles at the same indices. The reduction is `taps`
/// groups of `k` each: one for a matmul, one per filter tap (kh, kw) of the
/// C input channels for a convolution (lead = N x OH, m = OW, n = F).
class ImplicitGemm {
public:
  /// The op's GEMM, or nothing when the matrix unit does not take it.
  static std::optional<ImplicitGemm> match(mlir::linalg::LinalgOp op);

  mlir::linalg::LinalgOp op;
  mlir::Value c;
  mlir::Type in, out, acc;
  /// The output is not the accumulator type: the sum is converted.
  bool convert = false;
  llvm::SmallVector<int64_t> lead;
  int64_t m = 0, n = 0, k = 0, taps = 1;

  /// The K group (tap) and the first channel of step `step` of the
  /// reduction, with `kSteps` steps of `tk` per group.
  std::pair<mlir::Value, mlir::Value>
  splitStep(mlir::OpBuilder &b, mlir::Location loc, mlir::Value step,
            int64_t kSteps, int64_t tk) const;

  /// A's tile of rows `row`... of the output tile at `leadIndices`, columns
  /// `k0`... of K group `tap`. A convolution's is the window of the input
  /// that tap reads: rows `stride` pixels apart, at a signed offset (the
  /// padding reads zeros).
  TileAddress aTile(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::ValueRange leadIndices, mlir::Value row,
                    mlir::Value tap, mlir::Value k0) const;

  /// B's tile of rows `k0`... of K group `tap`, columns `col`...
  TileAddress bTile(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::ValueRange leadIndices, mlir::Value col,
                    mlir::Value tap, mlir::Value k0) const;

  /// After a program replaced it: erases the op and the padded copy of
  /// its input it absorbed.
  void erase();

private:
  /// A and B (a convolution: the unpadded input and the filter).
  mlir::Value lhs, rhs;
  bool conv = false;
  int64_t filterWidth = 1;
  std::array<int64_t, 2> strides = {1, 1}, dilations = {1, 1}, padding = {0, 0};
  /// The padded copy absorbed (its allocation, fill, view, copy and
  /// frees), erased with the op.
  llvm::SmallVector<mlir::Operation *> padOps;
};

} // namespace fungible

#endif // FUNGIBLE_TARGETS_IMPLICITGEMM_H
