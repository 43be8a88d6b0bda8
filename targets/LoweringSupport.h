//===- LoweringSupport.h - What the targets' lowerings share ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the front end every built-in target's lowering starts
// with: wl (and what an import left opaque: TOSA, elementwise arith/math on
// tensors) to linalg on tensors, then one-shot bufferisation with
// identity-layout memrefs at function boundaries; and what the program
// writers share: views of buffers, the ops a vector unit takes, tile
// loops. What the emulators share is in Emulation.h.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_LOWERINGSUPPORT_H
#define FUNGIBLE_TARGETS_LOWERINGSUPPORT_H

#include "targets/CostModelSupport.h"
#include "targets/HostBackend.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace mlir {
class ModuleOp;
class OpPassManager;
namespace linalg {
class LinalgOp;
class FillOp;
} // namespace linalg
} // namespace mlir

namespace fungible {

/// Adds wl -> linalg on tensors -> linalg on memrefs to `pm` (a module pass
/// manager); with `deallocate` (code that runs on the host) every buffer a
/// function allocates and does not return is freed before it returns;
/// `onTensors`, when given, adds a target's own passes on linalg on tensors
/// before bufferisation. Registers upstream's passes on first use. Fails
/// only if upstream's pipeline text does not parse (a build with passes
/// missing).
llvm::LogicalResult addBufferizedLinalgPipeline(
    mlir::OpPassManager &pm, bool deallocate = false,
    llvm::function_ref<void(mlir::OpPassManager &)> onTensors = {});

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

/// The buffer `value` is a view of (through every view-like op), or
/// `value` itself.
mlir::Value baseOf(mlir::Value value);

/// `memref` seen through `permutation` (a memref.transpose: the result's
/// dimension i is the source's permutation[i], as linalg.transpose has
/// it), its strides permuted, nothing copied.
mlir::Value permutedView(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value memref,
                         llvm::ArrayRef<int64_t> permutation);

/// `value` (a plain memref of rank >= 1) as a 2-D memref: the last
/// dimension is the columns, the others collapse into the rows (rank 1:
/// one row).
mlir::Value viewAsRowsAndColumns(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value value);

/// `memref` (a plain memref) viewed with `shape` and `strides` from its
/// first element (a memref.reinterpret_cast; a stride of 0 repeats it
/// along that dimension: a broadcast).
mlir::Value stridedView(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value memref, llvm::ArrayRef<int64_t> shape,
                        llvm::ArrayRef<int64_t> strides);

/// The 2-D view `rows x cols` of `memref` at `offsets` (one per dimension;
/// leading dimensions are dropped).
mlir::Value subview2d(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value memref,
                      llvm::ArrayRef<mlir::OpFoldResult> offsets,
                      mlir::OpFoldResult rows, mlir::OpFoldResult cols);

/// An all-parallel linalg.generic with identity maps over plain memrefs
/// and one output whose body has no side effects and no linalg.index, or a
/// linalg.fill of its element type: what a vector unit computes tile by
/// tile. `inputs` are the operands it reads (its inputs, then its output
/// when the body reads the output element); the output is viewed as
/// `rows x cols`, the last dimension being the columns.
struct TileableElementwise {
  llvm::SmallVector<mlir::Value> inputs;
  mlir::Value output;
  mlir::MemRefType outputType;
  int64_t rows, cols;
};
std::optional<TileableElementwise>
matchTileableElementwise(mlir::linalg::LinalgOp op);

/// How an operand of a TileableRowOp is indexed.
enum class RowOperand {
  Whole,     ///< rows x cols (the identity map)
  PerRow,    ///< one value per row (the map without the last dimension,
             ///< or with 0 for it)
  PerColumn, ///< one value per column (the map of the last dimension only:
             ///< a bias row)
};

/// A linalg.generic over `rows x cols` (its leading loops are the rows,
/// its last loop the columns) whose operands are each whole, per row or
/// per column (RowOperand), over plain memrefs, with a body free of side
/// effects and linalg.index. Either the last loop is parallel, the output
/// is whole and at least one input is not (an elementwise op with per-row
/// or per-column operands: softmax's subtraction and division, a bias add),
/// or it is a reduction into a per-row output (a row fold: softmax's max
/// and sum). The body reads the output element only in a fold (its
/// accumulator).
struct TileableRowOp {
  llvm::SmallVector<mlir::Value> inputs;
  llvm::SmallVector<RowOperand> kinds;
  mlir::Value output;
  bool reduction;
  int64_t rows, cols;
};
std::optional<TileableRowOp> matchTileableRowOp(mlir::linalg::LinalgOp op);

/// The `rows x 1` view of a per-row operand (rank >= 1, collapsed).
mlir::Value viewAsColumn(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value value);

/// The `1 x cols` view of a per-column operand (rank >= 1, collapsed).
mlir::Value viewAsRow(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value value);

/// The 2-D view of an operand indexed as `kind`: viewAsColumn, viewAsRow or
/// viewAsRowsAndColumns.
mlir::Value viewAsRowOperand(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value value, RowOperand kind);

/// Whether `op` is a matmul, a batch matmul, an NHWC convolution
/// (depthwise or not) or an NHWC pooling: the ops whose programs
/// accumulate into their output tiles (targets/TiledOps.h), starting from
/// the fill before them.
bool isAccumulatingOp(mlir::linalg::LinalgOp op);

/// Runs `map` on every linalg op of `module`, the accumulating ones first
/// (so each can take the fill before it and a convolution or pooling its
/// input's zero padding), then the rest (each group collected
/// first: `map` may replace the op), and sets `attribute` = `value` (i64)
/// on each function where it mapped one: the target's capacity the
/// verifiers check.
void mapLinalgOps(mlir::ModuleOp module,
                  llvm::function_ref<bool(mlir::linalg::LinalgOp)> map,
                  llvm::StringRef attribute, int64_t value);

/// Runs `map` on every function of `module` (a mapping of several ops at
/// once: row chains, attentions) and sets `attribute` = `value` (i64) on
/// each where it wrote a program, as mapLinalgOps does.
void mapFunctions(mlir::ModuleOp module,
                  llvm::function_ref<bool(mlir::Operation *)> map,
                  llvm::StringRef attribute, int64_t value);

/// Clones the scalar body of an elementwise op (matchTileableElementwise) at
/// `b`, its block arguments replaced by `args` (one per
/// TileableElementwise::inputs); returns the yielded value (a fill's value).
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

/// Rewrites, in every float contraction and convolution under `root`
/// (named or generic), the arith.addf of a product into the accumulator as
/// math.fma of the same operands: one rounding per step in the same order,
/// as the CPU's vectorised matmuls and convolutions (vector.fma), tensor
/// cores, MXUs and TensorEngines accumulate. Named ops are generalised
/// first; elementwise multiply-adds are left alone, and so are the ops
/// `keep` returns true for.
void fuseContractionAccumulations(
    mlir::Operation *root,
    llvm::function_ref<bool(mlir::linalg::LinalgOp)> keep = nullptr);

/// The zero linalg.fill of `op`'s output just before it (but for views
/// and constants), or null.
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

/// The program (memref.alloca_scope) `b` is building in, or null.
mlir::Operation *enclosingProgram(mlir::OpBuilder &b);

/// Gives `region` (of an elementwise tile op: mxu.vpu, neuron.elementwise)
/// one block taking a scalar of each input's element type, with the body
/// `body` builds from them, ending in a `YieldOp` of its value.
template <typename YieldOp>
void buildScalarBody(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Region &region,
    mlir::ValueRange inputs,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::ValueRange)> body) {
  mlir::Block *block = new mlir::Block();
  region.push_back(block);
  for (mlir::Value input : inputs)
    block->addArgument(
        llvm::cast<mlir::MemRefType>(input.getType()).getElementType(), loc);
  mlir::OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(block);
  YieldOp::create(b, loc, body(b, block->getArguments()));
}

/// The loops over a tiled op's output tiles: one per leading dimension,
/// then the row and column tiles.
struct TileLoops {
  llvm::SmallVector<mlir::Value> lead;
  mlir::Value row, col;

  /// The indices of the tile at (`r`, `c`) in the current leading indices.
  llvm::SmallVector<mlir::Value> at(mlir::Value r, mlir::Value c) const {
    llvm::SmallVector<mlir::Value> indices(lead);
    indices.push_back(r);
    indices.push_back(c);
    return indices;
  }
  /// The indices of the current tile.
  llvm::SmallVector<mlir::Value> at() const { return at(row, col); }
};

/// Builds the loops of a tiled program at a builder's insertion point.
struct LoopBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;

  /// An index constant.
  mlir::Value index(int64_t value);
  /// for %iv = 0 to `upper` step `step`; leaves the builder in the body.
  mlir::Value loop(int64_t upper, int64_t step);
  /// The loops over the `lead... x m x n` output tiles of `tm x tn`
  /// (`lead` the extents of the leading dimensions, stepped one by one);
  /// leaves the builder in the innermost body.
  TileLoops tileLoops(llvm::ArrayRef<int64_t> lead, int64_t m, int64_t tm,
                      int64_t n, int64_t tn);
  /// if (`index` == 0) { `body` }: what the first tile of a loop loads for
  /// the tiles after it (K and V, the same for every query tile of a
  /// head); leaves the builder after it.
  void ifFirst(mlir::Value index, llvm::function_ref<void()> body);
};

/// Bytes per element of an int or float type.
int64_t byteWidth(mlir::Type type);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_LOWERINGSUPPORT_H
