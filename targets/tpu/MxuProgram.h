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

} // namespace fungible::tpu

#endif // FUNGIBLE_TARGETS_TPU_MXUPROGRAM_H
