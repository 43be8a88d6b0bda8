//===- Passes.h - Fungible passes -------------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the passes of Fungible (generated from Passes.td) and
// their registration.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_PASSES_H
#define FUNGIBLE_PASSES_PASSES_H

#include "placement/Placement.h"
#include "targets/PluginAPI/CostEstimate.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
} // namespace arith
namespace bufferization {
class BufferizationDialect;
} // namespace bufferization
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace math {
class MathDialect;
} // namespace math
namespace memref {
class MemRefDialect;
} // namespace memref
namespace tensor {
class TensorDialect;
} // namespace tensor
} // namespace mlir

namespace fungible::wl {
class WLDialect;
} // namespace fungible::wl

namespace fungible {
/// What wl-place minimises: the serial total of kernels and transfers in
/// time, energy or dollars, or the makespan of one execution over the
/// fleet's devices (placement/Makespan.h).
enum class PlaceObjective { Time, Energy, Dollars, Makespan };

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Adds the pipeline every tool takes a model through before costing,
/// placing or running it, so they all see the same kernels under the same
/// names: inline calls, canonicalize (shape asserts on constants fold
/// away), wl-import, wl-wrap-buffer-code, wl-raise-buffer-loops,
/// wl-wrap-leftovers, wl-outline-kernels{fuse}. Without `raiseLoops`,
/// loops over buffers stay opaque kernels as written (to measure them).
/// Registered as the pass pipeline
/// `wl-import-and-outline{fuse raise-loops}`.
void buildImportAndOutlinePipeline(mlir::OpPassManager &pm, bool fuse = true,
                                   bool raiseLoops = true);

/// Registers `wl-import-and-outline` (registerAllFungiblePasses calls it).
void registerImportAndOutlinePipeline();

/// wl-import's raising on `module`: the linalg, tensor and TOSA patterns,
/// the idioms, layout sinking and attention fusion, then what is left of
/// the work wrapped in wl.opaque kernels. wl-raise-buffer-loops runs it
/// again on what it made of loops. Errors are emitted on the module.
mlir::LogicalResult raiseIntoWorkload(mlir::ModuleOp module);

/// Moves `op` into a new wl.opaque kernel (what wl-import does with ops it
/// cannot raise): values it uses become the kernel's inputs, except scalar
/// constants, tensor.empty inits and pure scalar code (a value read from a
/// tensor and cast), which are made again inside.
void wrapInOpaque(mlir::Operation *op);

/// Whether the value `v` is made again inside a kernel that uses it rather
/// than passed in: a scalar constant, a tensor.empty init (no data) or the
/// result of pure scalar code (a position read from a tensor and cast to
/// an index), whose own operands are then treated the same way.
bool isMadeAgainInside(mlir::Value v);

/// Whether `op` is pure scalar code: pure, without regions, with results
/// none of which is shaped (index arithmetic, a tensor.extract and its
/// casts). A kernel that uses it makes it again inside (wrapInOpaque,
/// wl-wrap-buffer-code) rather than take it as an input.
bool isPureScalar(mlir::Operation *op);

/// Erases, last first, the ops of `block` without uses that are pure
/// scalar code or for which `alsoDead` holds: what is left once kernels
/// made copies of it. Constants stay (the canonicalizer's to fold).
void eraseDeadScalarCode(
    mlir::Block &block,
    llvm::function_ref<bool(mlir::Operation *)> alsoDead = nullptr);

/// Whether `op` moves a memref argument's contents in or out of its
/// function (a `bufferization.to_tensor` of the argument, a
/// `materialize_in_destination` into it: wl-wrap-buffer-code's bindings).
/// No kernel: the runtime binds the argument's contents to the tensor and
/// writes them back; the import report does not count it.
bool isArgumentContents(mlir::Operation *op);

} // namespace fungible

#endif // FUNGIBLE_PASSES_PASSES_H
