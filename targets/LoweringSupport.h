//===- LoweringSupport.h - What the targets' lowerings share ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the front end every built-in target's lowering starts
// with: wl (and what an import left opaque: TOSA, elementwise arith/math on
// tensors) to linalg on tensors, then one-shot bufferisation with
// identity-layout memrefs at function boundaries.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_LOWERINGSUPPORT_H
#define FUNGIBLE_TARGETS_LOWERINGSUPPORT_H

#include "targets/CostModelSupport.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace mlir {
class OpPassManager;
namespace linalg {
class LinalgOp;
class FillOp;
} // namespace linalg
} // namespace mlir

namespace fungible {

/// Adds wl -> linalg on tensors -> linalg on memrefs to `pm` (a module pass
/// manager). Registers upstream's passes on first use. Fails only if
/// upstream's pipeline text does not parse (a build with passes missing).
llvm::LogicalResult addBufferizedLinalgPipeline(mlir::OpPassManager &pm);

/// Parses `pipeline` into `pm` after making sure upstream's passes are
/// registered.
llvm::LogicalResult addUpstreamPipeline(mlir::OpPassManager &pm,
                                        llvm::StringRef pipeline);

//===----------------------------------------------------------------------===//
// Building tiled programs on memrefs (the TPU and Trainium lowerings)
//===----------------------------------------------------------------------===//

inline int64_t ceilDiv(int64_t value, int64_t divisor) {
  return (value + divisor - 1) / divisor;
}

/// A statically shaped, identity-layout memref of ints or floats: what a
/// DMA addresses as rows and columns.
bool isPlainMemRef(mlir::Value value);

/// `value` (a plain memref of rank >= 1) as a 2-D memref: the last
/// dimension is the columns, the others collapse into the rows (rank 1:
/// one row).
mlir::Value viewAsRowsAndColumns(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value value);

/// The 2-D view `rows x cols` of `memref` at `offsets` (one per dimension;
/// leading dimensions are dropped).
mlir::Value subview2d(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value memref,
                      llvm::ArrayRef<mlir::OpFoldResult> offsets,
                      mlir::OpFoldResult rows, mlir::OpFoldResult cols);

/// The part of a `tileRows x tileCols` tile at `indices` of `hbm` that
/// lies inside it: (the HBM view, its rows, its columns).
struct ClippedTile {
  mlir::Value hbm;
  mlir::OpFoldResult rows, cols;
};
ClippedTile clipTile(mlir::OpBuilder &b, mlir::Location loc, mlir::Value hbm,
                     mlir::ValueRange indices, int64_t tileRows,
                     int64_t tileCols);

/// An all-parallel linalg.generic with identity maps over plain memrefs
/// and one output whose body has no side effects and no linalg.index, or a
/// linalg.fill of its element type: what a vector unit computes tile by
/// tile.
bool isTileableElementwise(mlir::linalg::LinalgOp op);

/// The tiles an elementwise op reads (its inputs, then its output when the
/// body reads the output element).
llvm::SmallVector<mlir::Value> elementwiseTileInputs(mlir::linalg::LinalgOp op);

/// Clones the scalar body of an elementwise op (isTileableElementwise) at
/// `b`, its block arguments replaced by `args` (one per
/// elementwiseTileInputs); returns the yielded value (a fill's value).
mlir::Value cloneScalarBody(mlir::OpBuilder &b, mlir::linalg::LinalgOp op,
                            mlir::ValueRange args);

/// A linalg.matmul or linalg.batch_matmul a matrix unit can take: default
/// maps and signed casts, plain memrefs, A and B of one element type with
/// an accumulator type, and an output that is the accumulator type or a
/// float the accumulator rounds to.
struct TileableMatmul {
  mlir::Value a, b, c;
  mlir::Type in, out, acc;
  /// The output is not the accumulator type: the sum is converted.
  bool convert;
  /// Batch count (1 for linalg.matmul) and M x N x K.
  bool batched;
  int64_t batches, m, n, k;
};
std::optional<TileableMatmul> matchTileableMatmul(mlir::linalg::LinalgOp op);

/// Whether `op` is a linalg.matmul or linalg.batch_matmul with default
/// indexing maps and signed casts (what a rebuilt named op computes).
bool isPlainNamedMatmul(mlir::linalg::LinalgOp op);

/// The zero linalg.fill of `op`'s output just before it, or null.
mlir::linalg::FillOp zeroFillBefore(mlir::linalg::LinalgOp op);

/// The accumulator type of a matrix unit multiplying `in` operands: f32
/// for floats, i32 for i8; null for other types.
mlir::Type accumulatorType(mlir::Type in);

/// `value` converted between float types (itself when `type` is its own).
mlir::Value convertFloat(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value value, mlir::Type type);

/// Creates a memref.alloca_scope before `op` (buffers allocated in it are
/// released after it) and leaves `b` at the start of its body.
void beginScopedProgram(mlir::OpBuilder &b, mlir::Operation *op);

/// Host emulation: replaces an on-chip buffer allocation (`alloc`, one
/// memref result) with a memref.alloc freed at the end of its block.
void replaceWithHostBuffer(mlir::Operation *alloc);

/// Host emulation: a linalg.generic at `b`, identity maps and parallel
/// iterators over `inputs` and `output` (tiles of one shape), that takes
/// over `body` (one block: a scalar per input, ending in a terminator whose
/// one operand is the result element), its terminator made linalg.yield.
void buildGenericFromBody(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::ValueRange inputs, mlir::Value output,
                          mlir::Region &body);

/// Builds the loops of a tiled program at a builder's insertion point.
struct LoopBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;

  /// An index constant.
  mlir::Value index(int64_t value);
  /// for %iv = 0 to `upper` step `step`; leaves the builder in the body.
  mlir::Value loop(int64_t upper, int64_t step);
};

/// Bytes per element of an int or float type.
int64_t byteWidth(mlir::Type type);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_LOWERINGSUPPORT_H
