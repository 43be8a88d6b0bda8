//===- LayoutCopies.h - Layout copies done by a program's DMAs --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the TPU and Trainium lowerings share to do the
// layout copies around a tiled op with the DMAs of its program, as the
// cost model prices the kernel: one program, and no HBM round trip for a
// transpose.
//   - TransposedOperand: an operand that a linalg.transpose wrote only for
//     the op (a weight stored N x K for a transposed-B matmul) is read
//     through a transposed view of the transpose's source.
//   - TileStores: when the buffer a program writes is read only by copies
//     of views of it (a product reshaped and transposed to split heads, a
//     channels-last result transposed to channels-first, a product sliced
//     into the outputs of a fused QKV projection), the program stores each
//     tile straight into the copies' destinations, through 2-D views of
//     them; the buffer and the copies are gone.
//
// Both DMA engines take any strided access pattern. On a TPU a transposed
// tile costs the same HBM bytes as a plain one (the transpose itself is a
// pass of the XLU over the tile in VMEM, which the emulator does not
// distinguish); the cost model counts the bytes once either way.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_LAYOUTCOPIES_H
#define FUNGIBLE_TARGETS_LAYOUTCOPIES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>

namespace fungible {

/// The strides, one per loop of `loops`, at which `map` (a projected
/// permutation that may read unit dimensions at 0) reads a row-major
/// buffer of `shape`: the strides of the dimensions each loop indexes, 0
/// for the loops it does not.
llvm::SmallVector<int64_t> indexingStrides(mlir::AffineMap map,
                                           llvm::ArrayRef<int64_t> shape,
                                           size_t loops);

/// The strides of a view of shape `to` that reaches, in row-major order,
/// the elements a view of shape `from` with strides `fromStrides` reaches
/// (a reshape of a strided view: stride 0 along a broadcast dimension);
/// nothing when a dimension of `to` would need two strides. With
/// `periods`, a dimension of `to` that repeats a run of P elements at one
/// stride (a broadcast over the run: a mask repeated over the heads folded
/// into the rows) takes that stride and period P (its index is read modulo
/// P); `periods` gets P or 0 per dimension. With `divisors`, a dimension
/// of `to` that steps at one stride every D elements (each element
/// broadcast over a run of D: a padding mask over the heads folded into
/// the batch) takes that stride and divisor D (its index is read divided
/// by D); `divisors` gets D or 0 per dimension.
std::optional<llvm::SmallVector<int64_t>>
reshapeStrides(llvm::ArrayRef<int64_t> from,
               llvm::ArrayRef<int64_t> fromStrides, llvm::ArrayRef<int64_t> to,
               llvm::SmallVectorImpl<int64_t> *periods = nullptr,
               llvm::SmallVectorImpl<int64_t> *divisors = nullptr);

/// A linalg.transpose that wrote a buffer (an allocation) that only one op
/// reads (itself, or through a memref.collapse_shape that the transposed
/// view of the source can take too: the batch dimensions of grouped-query
/// attention's K^T), and frees, after it; nothing in between writes the
/// transpose's source.
class TransposedOperand {
public:
  static std::optional<TransposedOperand> match(mlir::Value operand,
                                                mlir::Operation *user);

  /// The source read through the transpose (memref.transpose), built at
  /// `b`: the operand's shape and elements.
  mlir::Value view(mlir::OpBuilder &b);

  /// Erases the transpose, its buffer and the buffer's frees, once the op
  /// reading it is gone.
  void erase();

  /// Where the collapse merges leading dimensions that the transposed view
  /// cannot merge (a batch matmul's [B*H, S, D] of V given as [B, S, H,
  /// D]: B and H are not adjacent in memory), the view stays uncollapsed
  /// and the merged dimension's index is split into theirs: `indices`
  /// (the collapsed operand's) become the view's.
  void splitLeadIndex(mlir::OpBuilder &b, mlir::Location loc,
                      llvm::SmallVectorImpl<mlir::Value> &indices) const;

private:
  mlir::linalg::TransposeOp transpose;
  /// The memref.collapse_shape of the buffer the op reads, or null.
  mlir::Operation *collapse = nullptr;
  /// The sizes of the view's leading dimensions the collapse merged into
  /// its first, when the view is read uncollapsed; empty otherwise.
  llvm::SmallVector<int64_t> leadSizes;
};

/// Whether `op` may write the buffer `root` (or a view of it).
bool writesTo(mlir::Operation *op, mlir::Value root);

/// The most copies of a tile a broadcasting copy may store (TileStores):
/// beyond, the broadcast stays a copy of its own.
constexpr int64_t kMaxBroadcastStores = 16;

/// Whether `op` is a layout copy: an all-parallel linalg.generic on
/// buffers that only yields its one input, read through a projected
/// permutation (a transpose, and a broadcast along the output dimensions it
/// does not read; a unit input dimension may be read at 0).
bool isLayoutCopy(mlir::linalg::GenericOp op);

/// The stores of the tiles of a buffer a program writes.
class TileStores {
public:
  /// The stores of the tiles of `result` (an allocation with an identity
  /// layout), seen with shape `shape` (a reshape of it: the program's
  /// output shape), by the program of `anchor` (which, with the ops of
  /// `replaced`, writes `result`): through the copies that read it, when
  /// only views copied (linalg.transpose, linalg.copy, memref.copy, a
  /// layout copy: isLayoutCopy, one store per copy it broadcasts to), the
  /// ops of `replaced` and frees use it, and the copies follow `anchor`
  /// with only `replaced`, allocations, frees and pure ops in between;
  /// else straight into `result`.
  static TileStores match(mlir::Value result, llvm::ArrayRef<int64_t> shape,
                          mlir::Operation *anchor,
                          llvm::ArrayRef<mlir::Operation *> replaced);

  /// Before the program is written at `anchor` (with `b`): moves the
  /// destinations' allocations and views after it there, or views
  /// `result` with the program's shape.
  void prepare(mlir::OpBuilder &b, mlir::Operation *anchor);

  /// Stores the `rows x cols` tile at `at` (leading indices, first row,
  /// first column) of the program's output: `emit(dest, indices)` writes one
  /// DMA of the whole tile to a 2-D `dest` at `indices` (signed; what lies
  /// outside `dest` is not written). One DMA per destination, or one per
  /// run of contiguous columns (rows) where a destination splits them (a
  /// head of a split product).
  void
  store(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange at,
        int64_t rows, int64_t cols,
        llvm::function_ref<void(mlir::Value, mlir::ValueRange)> emit) const;

  /// The copies the stores do (none when they go straight into `result`).
  llvm::ArrayRef<mlir::Operation *> absorbed() const {
    return pieces.empty() ? llvm::ArrayRef<mlir::Operation *>() : copies;
  }

  /// After the program replaced what wrote `result`: erases the copies,
  /// the views, the frees and `result`. Nothing when not absorbsCopies().
  void erase();

  /// Where one element step along a dimension of `result` goes.
  struct Atom {
    int64_t size, stride;
  };

private:
  /// One copy's destination: `result`'s region [begin, begin + size) goes
  /// to `dest` at `offset` (of its base buffer), each dimension of the
  /// region split into atoms, major to minor.
  struct Piece {
    mlir::Value dest;
    int64_t offset = 0;
    llvm::SmallVector<llvm::SmallVector<Atom>> dims;
    llvm::SmallVector<int64_t> begin, size;
  };

  mlir::Value result;
  llvm::SmallVector<int64_t> shape;
  /// Where a plain store goes: `result`, viewed with `shape`.
  mlir::Value target;
  llvm::SmallVector<Piece> pieces;
  /// The copies, the views of `result` (users first) and its frees.
  llvm::SmallVector<mlir::Operation *> copies, views, frees;
  /// What defines the destinations after `anchor`, in order.
  llvm::SmallVector<mlir::Operation *> hoisted;
};

} // namespace fungible

#endif // FUNGIBLE_TARGETS_LAYOUTCOPIES_H
