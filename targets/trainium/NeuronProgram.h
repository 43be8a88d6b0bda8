//===- NeuronProgram.h - Building neuron programs ---------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the Trainium lowering's program writers share
// (TrainiumLowering.cpp, RowPrograms.cpp, TiledPrograms.cpp): the
// semaphores, the program builder, the choice of engine and the writers
// themselves. Internal to the trainium family.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TRAINIUM_NEURONPROGRAM_H
#define FUNGIBLE_TARGETS_TRAINIUM_NEURONPROGRAM_H

#include "dialects/Neuron/NeuronDialect.h"
#include "targets/LoweringSupport.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <functional>

namespace fungible::neuron {

/// The semaphores of a program (TrainiumLowering.h).
enum Semaphore : int64_t { Loaded = 0, Computed = 1, Stored = 2, Read = 3 };

/// Builds one neuron program at a builder's insertion point.
struct ProgramBuilder : LoopBuilder {
  mlir::IntegerAttr sem(Semaphore s) { return b.getI64IntegerAttr(s); }
  void wait(Engine engine, Semaphore s) {
    WaitOp::create(b, loc, engine, static_cast<uint64_t>(s));
  }

  /// An elementwise op on `engine` from `inputs` to `output`, whose body
  /// `body` builds from the block's scalars; signals Computed.
  void elementwise(
      Engine engine, mlir::ValueRange inputs, mlir::Value output,
      llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::ValueRange)>
          body) {
    auto op =
        ElementwiseOp::create(b, loc, engine, inputs, output, sem(Computed));
    buildScalarBody<YieldOp>(b, loc, op.getBody(), inputs, body);
  }

  /// A fold on `engine` of the first `count` columns of `inputs` into the
  /// column `acc`, whose body `body` builds from the inputs' scalars and
  /// the accumulator's; signals Computed.
  void fold(Engine engine, mlir::ValueRange inputs, mlir::Value acc,
            mlir::Value count,
            llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::ValueRange)>
                body) {
    auto op =
        ReduceOp::create(b, loc, engine, inputs, acc, count, sem(Computed));
    llvm::SmallVector<mlir::Value> scalars(inputs);
    scalars.push_back(acc);
    buildScalarBody<YieldOp>(b, loc, op.getBody(), scalars, body);
  }
};

/// Transcendentals run on the Scalar engine's activation tables, the rest
/// on the Vector engine.
Engine engineFor(mlir::Operation *op);

/// A matmul's stationary tiles (A^T: K on the partitions) that its
/// program makes on chip instead of loading them (an attention's
/// probabilities, transposed: AttentionPrograms.cpp): one `128 x rows`
/// tile per K step of 128, for output tiles of `rows` rows.
struct OnChipStationary {
  int64_t rows = 0;
  /// The SBUF bytes per partition the producer takes, its tiles included.
  int64_t partitionBytes = 0;
  /// Before the program, at the builder: views the producer reads.
  std::function<void(mlir::OpBuilder &)> prepare;
  /// Reserves the producer's buffers (before the program's loops).
  std::function<void(ProgramBuilder &)> allocate;
  /// Writes the stationary tiles of the output tile at (`lead`, `row`)
  /// and returns them, one per K step.
  std::function<llvm::SmallVector<mlir::Value>(
      ProgramBuilder &, mlir::ValueRange lead, mlir::Value row)>
      produce;
};

/// Writes the program of a (batch) matmul or a convolution (an
/// ImplicitGemm, targets/TiledOps.h) on the TensorEngine with its epilogue
/// (TiledPrograms.cpp), its stationary tiles made by `lhs` when given;
/// false when the op is not one it takes or `lhs`'s tiles do not fit.
bool mapMatmul(mlir::linalg::LinalgOp op, int64_t sbufPartitionBytes,
               const OnChipStationary *lhs = nullptr);

/// Writes every attention (targets/Attention.h) of `func` whose tiles fit
/// as one program (AttentionPrograms.cpp); whether any was.
bool mapAttentions(mlir::Operation *func, int64_t sbufPartitionBytes);

/// Writes the program of a depthwise convolution or a pooling (a
/// WindowReduction) on the Vector engine with its epilogue
/// (TiledPrograms.cpp); false when the op is not one.
bool mapWindow(mlir::linalg::LinalgOp op, int64_t sbufPartitionBytes);

/// Writes one program for each chain of row ops (a norm's or a softmax's
/// fills, folds and elementwise steps over the same rows x columns) in
/// `func` whose whole rows fit in SBUF (RowPrograms.cpp); whether it wrote
/// one.
bool mapRowChains(mlir::Operation *func, int64_t sbufPartitionBytes);

} // namespace fungible::neuron

#endif // FUNGIBLE_TARGETS_TRAINIUM_NEURONPROGRAM_H
