//===- CpuMergeParallelRegions.cpp - One fork for consecutive loops -------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements fungible-cpu-merge-parallel-regions (CpuPasses.td):
// consecutive omp.parallel ops of a block, with only allocations,
// deallocations and ops free of memory effects between them, become one
// region, so a kernel of several parallel loops forks the thread team once.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuPasses.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace fungible {
#define GEN_PASS_DEF_CPUMERGEPARALLELREGIONSPASS
#include "targets/cpu/CpuPasses.h.inc"

namespace {

/// Whether `parallel` is a plain fork: no clauses (its operands are the
/// thread count, the condition, private and reduction variables) and one
/// block without arguments.
bool isPlainRegion(omp::ParallelOp parallel) {
  return parallel->getNumOperands() == 0 && !parallel.getProcBindKind() &&
         parallel.getRegion().hasOneBlock() &&
         parallel.getRegion().front().getNumArguments() == 0;
}

/// Whether `block` ends with a worksharing loop whose implied barrier
/// stands in for one between it and what follows.
bool endsWithBarrier(Block &block) {
  Operation *terminator = block.getTerminator();
  auto loop = dyn_cast_or_null<omp::WsloopOp>(terminator->getPrevNode());
  return loop && !loop.getNowait();
}

/// Whether every operand of `op` is defined before `first` (in an
/// enclosing block, or earlier in its own), or by an op in `moved`.
bool availableBefore(Operation *op, Operation *first,
                     const llvm::SmallPtrSetImpl<Operation *> &moved) {
  return llvm::all_of(op->getOperands(), [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return true; // A block argument of this block or an enclosing one.
    if (moved.contains(def))
      return true;
    return def->getBlock() != first->getBlock() || def->isBeforeInBlock(first);
  });
}

/// Merges `second` into `first` when only movable ops lie between them:
/// allocations and effect-free ops whose operands are available before
/// `first` go above it, deallocations below `second`. Returns whether it
/// did.
bool mergeInto(RewriterBase &rewriter, omp::ParallelOp first,
               omp::ParallelOp second) {
  SmallVector<Operation *> above, below;
  llvm::SmallPtrSet<Operation *, 8> moved;
  for (Operation *op = first->getNextNode(); op != second;
       op = op->getNextNode()) {
    if (isa<memref::DeallocOp>(op)) {
      below.push_back(op);
      continue;
    }
    bool movable = (isa<memref::AllocOp, memref::AllocaOp>(op) ||
                    (op->getNumRegions() == 0 && isMemoryEffectFree(op))) &&
                   availableBefore(op, first, moved);
    if (!movable)
      return false;
    above.push_back(op);
    moved.insert(op);
  }
  for (Operation *op : above)
    rewriter.moveOpBefore(op, first);
  for (Operation *op : llvm::reverse(below))
    rewriter.moveOpAfter(op, second);
  Block &into = first.getRegion().front(), &from = second.getRegion().front();
  Operation *terminator = into.getTerminator();
  rewriter.setInsertionPoint(terminator);
  if (!endsWithBarrier(into))
    omp::BarrierOp::create(rewriter, terminator->getLoc());
  rewriter.eraseOp(terminator);
  rewriter.mergeBlocks(&from, &into);
  rewriter.eraseOp(second);
  return true;
}

struct CpuMergeParallelRegionsPass
    : impl::CpuMergeParallelRegionsPassBase<CpuMergeParallelRegionsPass> {
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation().walk([&](Block *block) { blocks.push_back(block); });
    IRRewriter rewriter(&getContext());
    for (Block *block : blocks) {
      omp::ParallelOp open;
      for (Operation &op : llvm::make_early_inc_range(*block)) {
        auto parallel = dyn_cast<omp::ParallelOp>(op);
        if (!parallel || !isPlainRegion(parallel))
          continue;
        if (open && mergeInto(rewriter, open, parallel))
          continue;
        open = parallel;
      }
    }
  }
};

} // namespace
} // namespace fungible
