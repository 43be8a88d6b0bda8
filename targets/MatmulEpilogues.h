//===- MatmulEpilogues.h - Elementwise ops fused into a matmul --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the TPU and Trainium lowerings share to apply a
// matmul's epilogue (a bias, a per-row scale, an activation, a residual) to
// the product's tile on chip, before its one store: which elementwise ops
// after the matmul form the chain, the HBM views their other operands are
// read through, and the clean-up once the program replaced them.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_MATMULEPILOGUES_H
#define FUNGIBLE_TARGETS_MATMULEPILOGUES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <vector>

namespace fungible {

/// An elementwise linalg.generic applied to the product's tiles on chip
/// before they are stored: the product, or the previous epilogue's result,
/// is one of its inputs.
struct MatmulEpilogue {
  mlir::linalg::GenericOp op;
  /// Per input of `op`: null for the value the chain carries, else the
  /// input; prepareMatmulEpilogues replaces it with its HBM view over the
  /// product's shape, which a DMA reads tile by tile as the product's.
  llvm::SmallVector<mlir::Value> views;
  /// Per input of `op`: the strides of its view over the product's shape
  /// (0 along a broadcast), empty for the value the chain carries.
  std::vector<llvm::SmallVector<int64_t>> strides;
  /// Per input of `op`: per dimension of the product's shape, 0, or the
  /// period P of a run the input repeats along it (reshapeStrides: a mask
  /// repeated over the heads folded into the rows). Its view has P there,
  /// and a tile's index along it is read modulo P (operandIndices); P is a
  /// multiple of the tile's extent, so no tile straddles two runs.
  std::vector<llvm::SmallVector<int64_t>> periods;
  /// The buffer `op` writes: the product's shape, or a reshape of it.
  mlir::Value output;
  /// The reshapes (memref.expand_shape / collapse_shape) through which
  /// `op` reads the value the chain carries, in order.
  llvm::SmallVector<mlir::Operation *, 2> reshapes;
  /// Nonzero for a broadcast stage (the chain's last op, of a one-row
  /// product): `op` reads the product's row for each of its
  /// `broadcastRows` rows, and its operands and result are viewed as
  /// `broadcastRows x n`, the product's columns.
  int64_t broadcastRows = 0;

  /// The shape the program views `op`'s operands and result with: the
  /// product's, or `broadcastRows x n` for a broadcast stage.
  llvm::SmallVector<int64_t> viewShape(mlir::Value c) const;
  /// Pure ops after the matmul that define its operands (a constant's
  /// memref.get_global and a reshape of it): they move before the matmul.
  llvm::SmallVector<mlir::Operation *> hoisted;

  /// The indices at which input `input`'s tile lies for the product's tile
  /// at `indices`: those, each periodic one modulo its period.
  llvm::SmallVector<mlir::Value> operandIndices(mlir::OpBuilder &b,
                                                mlir::Location loc,
                                                unsigned input,
                                                mlir::ValueRange indices) const;
};

/// The elementwise generics right after `matmul` (past ops without memory
/// effects, allocations and frees) that consume its product `c` in a
/// chain, each the only reader of the previous one's buffer (directly, or
/// through reshapes that keep its elements' row-major order: a generic
/// may run over a reshape of the product's shape), whose tiles
/// fit in `bytesLeft`: `tileElements` elements per tile (per partition on
/// Trainium), one result tile and one tile per other input each. `fill`
/// (or null) is the zero fill of `c` the program absorbs. `c` must be a
/// buffer the kernel allocates (an argument written is the caller's to
/// see); an operand must be defined before the matmul or by pure ops that
/// can move there, and read through a projected permutation (a broadcast:
/// a bias row, a per-row scale). With `broadcastTileElements` (elements
/// of one tile of the stage), the chain of a one-row product may end with
/// a broadcast stage: an op over more rows that reads the product's row
/// for each of them (a squeeze-excitation gate times a feature map). With
/// the output tile's rows and columns (`tileRows` x `tileCols`), an
/// operand may repeat along a dimension with a period those divide (the
/// leading dimensions' tiles are 1 deep).
llvm::SmallVector<MatmulEpilogue>
collectMatmulEpilogues(mlir::linalg::LinalgOp matmul, mlir::Value c,
                       mlir::Operation *fill, int64_t tileElements,
                       int64_t bytesLeft, int64_t broadcastTileElements = 0,
                       int64_t tileRows = 0, int64_t tileCols = 0);

/// Chains of epilogues that each read the product's tile.
using EpilogueBranches = std::vector<llvm::SmallVector<MatmulEpilogue>>;

/// The most branches collectMatmulEpilogueBranches takes.
constexpr size_t kMaxEpilogueBranches = 4;

/// The epilogues of `matmul` as branches, each a chain
/// (collectMatmulEpilogues) that reads the product tile: one chain, or,
/// when two to kMaxEpilogueBranches elementwise generics read `c` (the
/// cos and sin of one product: each a kernel result), one chain starting
/// at each of them, all of whose tiles fit in `bytesLeft`; {{}} (one empty
/// chain) when a reader does not start one. A broadcast stage ends no
/// branch of a fork.
EpilogueBranches collectMatmulEpilogueBranches(
    mlir::linalg::LinalgOp matmul, mlir::Value c, mlir::Operation *fill,
    int64_t tileElements, int64_t bytesLeft, int64_t broadcastTileElements = 0,
    int64_t tileRows = 0, int64_t tileCols = 0);

/// Before the program is written at `matmul`: moves each epilogue's result
/// allocation before it, and replaces each other operand in `views` by its
/// view with `c`'s shape (a memref.reinterpret_cast with stride 0 along
/// the dimensions it is broadcast over).
void prepareMatmulEpilogues(mlir::OpBuilder &b, mlir::linalg::LinalgOp matmul,
                            mlir::Value c,
                            llvm::MutableArrayRef<MatmulEpilogue> epilogues);

/// After the program replaced them: erases the epilogue ops, and the
/// buffers the chain no longer writes (`c` and every result but the last)
/// with their frees. Nothing when `epilogues` is empty.
void eraseMatmulEpilogues(mlir::Value c,
                          llvm::ArrayRef<MatmulEpilogue> epilogues);
/// The same for every branch of collectMatmulEpilogueBranches: every op
/// first, then the buffers (`c` and every result but each branch's last).
void eraseMatmulEpilogues(mlir::Value c, const EpilogueBranches &branches);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_MATMULEPILOGUES_H
