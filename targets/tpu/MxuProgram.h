//===- MxuProgram.h - Building mxu programs ---------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the TPU lowering's program writers share
// (TpuLowering.cpp, RowPrograms.cpp): the program builder and the row-chain
// writer. Internal to the tpu family.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TPU_MXUPROGRAM_H
#define FUNGIBLE_TARGETS_TPU_MXUPROGRAM_H

#include "dialects/Mxu/MxuDialect.h"
#include "targets/LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <functional>

namespace fungible {
struct RowChain;
} // namespace fungible

namespace fungible::tpu {

/// Builds one mxu program at a builder's insertion point.
struct ProgramBuilder : LoopBuilder {
  mlir::Value add(mlir::Value x, mlir::Value y) {
    return mlir::arith::AddIOp::create(b, loc, x, y);
  }
  mlir::Value mul(mlir::Value x, int64_t y) {
    return mlir::arith::MulIOp::create(b, loc, x, index(y));
  }

  mlir::Value alloc(int64_t slots, int64_t rows, int64_t lanes,
                    mlir::Type element) {
    return mxu::VmemAllocOp::create(
        b, loc, mlir::MemRefType::get({slots, rows, lanes}, element));
  }

  /// `steps` steps with the DMAs of step s + 1 (`load`) issued before the
  /// waits (`wait`) and the compute (`compute`) of step s; slots alternate.
  void pipeline(int64_t steps,
                llvm::function_ref<void(mlir::Value, mlir::Value)> load,
                llvm::function_ref<void(mlir::Value)> wait,
                llvm::function_ref<void(mlir::Value, mlir::Value)> compute) {
    load(index(0), index(0));
    mlir::OpBuilder::InsertionGuard guard(b);
    mlir::Value step = loop(steps, 1);
    mlir::Value slot = mlir::arith::RemUIOp::create(b, loc, step, index(2));
    mlir::Value next = add(step, index(1));
    mlir::Value more = mlir::arith::CmpIOp::create(
        b, loc, mlir::arith::CmpIPredicate::ult, next, index(steps));
    auto prefetch =
        mlir::scf::IfOp::create(b, loc, more, /*withElseRegion=*/false);
    {
      mlir::OpBuilder::InsertionGuard inner(b);
      b.setInsertionPoint(prefetch.thenBlock()->getTerminator());
      load(next, mlir::arith::SubIOp::create(b, loc, index(1), slot));
    }
    wait(slot);
    compute(step, slot);
  }

  /// A VPU op from `inputs` (slot `slot` each) to `output`, whose body
  /// `body` builds from the block's scalars.
  void vpu(mlir::ValueRange inputs, mlir::Value slot, mlir::Value output,
           mlir::Value outputSlot,
           llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::ValueRange)>
               body) {
    llvm::SmallVector<mlir::Value> slots(inputs.size(), slot);
    auto op = mxu::VpuOp::create(b, loc, inputs, slots, output, outputSlot);
    buildScalarBody<mxu::YieldOp>(b, loc, op.getBody(), inputs, body);
  }
};

/// Writes one program for each chain of row ops (a norm's or a softmax's
/// fills, folds and elementwise steps over the same rows x columns) in
/// `func` whose whole rows fit in `vmemBytes` for 8 rows or more
/// (RowPrograms.cpp); whether it wrote one.
bool mapRowChains(mlir::Operation *func, int64_t vmemBytes);

/// The `rows x lanes` VMEM tile of a row chain's buffer of `kind` in tiles
/// of `tr` rows by `lanes` lanes: a whole buffer's is `tr x lanes`; a
/// per-row value sits in lane 0 of a `tr x 128` tile; a per-column operand
/// is an `8 x lanes` tile read at its row 0.
std::pair<int64_t, int64_t> rowTileShape(RowOperand kind, int64_t tr,
                                         int64_t lanes);

/// Writes the steps of `chain` on VMEM tiles, each at slot 0: `tileOf`
/// gives the tile of each buffer (by root) in rowTileShape's shape. Folds
/// are mxu.reduce over the first `chain.cols` lanes.
void writeRowChainSteps(ProgramBuilder &p, const RowChain &chain,
                        llvm::function_ref<mlir::Value(mlir::Value)> tileOf);

/// A matmul's A tile that its program computes on chip instead of loading
/// it (an attention's probabilities: AttentionPrograms.cpp): the program
/// takes the whole of K in one step, in tiles of `rows` rows.
struct OnChipLhs {
  int64_t rows = 0;
  /// The VMEM the producer takes, its A tile included.
  int64_t vmemBytes = 0;
  /// Before the program, at the builder: views the producer reads.
  std::function<void(mlir::OpBuilder &)> prepare;
  /// Reserves the producer's VMEM buffers; returns the A tile's (one slot
  /// of `rows x K`, K padded to the MXU's dimension).
  std::function<mlir::Value(ProgramBuilder &)> allocate;
  /// Writes the A tile of the output tile at (`lead`, `row`).
  std::function<void(ProgramBuilder &, mlir::ValueRange lead, mlir::Value row,
                     mlir::Value tile)>
      produce;
};

/// Writes the mxu program of a (batch) matmul or a convolution (an
/// implicit GEMM: ImplicitGemm) and of the epilogue after it (its A tile
/// computed by `lhs` when given); false when the op is not one the MXU
/// takes (transposed maps, mixed or unsupported types), or `lhs`'s tiles
/// do not fit.
bool mapMatmul(mlir::linalg::LinalgOp op, int64_t dim, int64_t vmemBytes,
               const OnChipLhs *lhs = nullptr);

/// Writes every attention (Attention.h) of `func` whose tiles fit in
/// `vmemBytes` as one program; whether any was.
bool mapAttentions(mlir::Operation *func, int64_t dim, int64_t vmemBytes);

} // namespace fungible::tpu

#endif // FUNGIBLE_TARGETS_TPU_MXUPROGRAM_H
