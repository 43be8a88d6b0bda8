//===- RowChains.h - Chains of row ops as one program -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the TPU and Trainium lowerings share to write a
// norm or a softmax as one program. Such an op bufferises into a run of
// fills, row folds and elementwise steps over the same rows x columns, each
// reading what the one before wrote in HBM. A family's writer turns a run
// whose whole rows fit on chip into one program: per tile of rows, what
// the run reads from outside comes in by DMA once, every step runs on the
// tiles, and only what is read after the run is stored.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_ROWCHAINS_H
#define FUNGIBLE_TARGETS_ROWCHAINS_H

#include "targets/LoweringSupport.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/MapVector.h"

namespace fungible {

/// A run of row ops over `rows x cols` (two steps or more, a fold among
/// them; after a fold, an elementwise op over per-row buffers only, such
/// as the reciprocal of a row's sum, computed on the per-row tiles) and
/// the buffers it touches.
struct RowChain {
  /// One step.
  struct Step {
    mlir::linalg::LinalgOp op;
    /// The operands it reads, in the order of its body's scalars (a fold's
    /// accumulator is `output`, read last).
    llvm::SmallVector<mlir::Value> inputs;
    mlir::Value output;
    bool fill = false, fold = false;
    /// An elementwise op over one value per row only (the reciprocal of a
    /// fold's sum): its operands and output are all per-row buffers.
    bool perRow = false;
  };

  /// A buffer the run touches (by root: views of it are the same buffer):
  /// how its tiles are indexed, one operand of the run that is it, whether
  /// the run writes it, and whether it is read after the run (or is the
  /// caller's). A program stores what is written and live out.
  struct Buffer {
    RowOperand kind;
    mlir::Value operand;
    bool written = false, liveOut = false;
  };

  llvm::SmallVector<Step> steps;
  llvm::MapVector<mlir::Value, Buffer> buffers;
  /// Frees among the steps: they move after the program.
  llvm::SmallVector<mlir::Operation *> deallocs;
  int64_t rows = 0, cols = 0;

  /// The buffer `value` (a view or not) is.
  static mlir::Value rootOf(mlir::Value value);
  const Buffer &bufferOf(mlir::Value value) const {
    return buffers.find(rootOf(value))->second;
  }

  /// The bytes of one row of every buffer (one element for a per-row one).
  int64_t rowBytes() const;

  /// The buffers (roots) the run reads before it writes them, but for the
  /// per-column ones, in the order it first reads them: what a program
  /// loads for each tile of rows.
  llvm::SmallVector<mlir::Value> rowTileInputs() const;

  /// The chain without its first `count` steps, its buffers analysed
  /// anew (an op before a softmax that the chain took as its own: an
  /// attention's mask); nothing when the rest is not a chain.
  std::optional<RowChain> dropFront(unsigned count) const;

  /// Once a program (written just before the last step) replaced the
  /// steps: moves the frees after `program` and erases the steps.
  void replaceWith(mlir::Operation *program);
};

/// Finds the runs of row ops in each block of `func` and hands each to
/// `write`, which writes its program (and calls replaceWith) or returns
/// false without touching the IR (the steps stay for the per-op mapping).
/// Whether a program was written.
bool mapRowChains(mlir::Operation *func,
                  llvm::function_ref<bool(RowChain &)> write);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_ROWCHAINS_H
