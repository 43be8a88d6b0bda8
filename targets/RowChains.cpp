//===- RowChains.cpp - Chains of row ops as one program -------------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/RowChains.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/ScopeExit.h"

using namespace mlir;

namespace fungible {
namespace {

/// Collects the runs of one block and hands each to the writer.
class ChainCollector {
public:
  explicit ChainCollector(function_ref<bool(RowChain &)> write)
      : write(write) {}

  /// The run `steps` over `rows x cols` analysed as a run of its own.
  static std::optional<RowChain> analyze(ArrayRef<RowChain::Step> steps,
                                         int64_t rows, int64_t cols) {
    ChainCollector collector(nullptr);
    collector.chain.steps.assign(steps.begin(), steps.end());
    collector.chain.rows = rows;
    collector.chain.cols = cols;
    collector.sized = true;
    if (!collector.analyze())
      return std::nullopt;
    return std::move(collector.chain);
  }

  bool run(Block &block) {
    bool mapped = false;
    SmallVector<Operation *> ops;
    for (Operation &op : block)
      ops.push_back(&op);
    for (Operation *op : ops) {
      if (isa<memref::AllocOp, memref::DeallocOp>(op) ||
          (isMemoryEffectFree(op) && op->getNumRegions() == 0)) {
        if (isa<memref::DeallocOp>(op) && !chain.steps.empty())
          chain.deallocs.push_back(op);
        continue;
      }
      if (add(op))
        continue;
      mapped |= finish();
      add(op);
    }
    mapped |= finish();
    return mapped;
  }

private:
  function_ref<bool(RowChain &)> write;
  RowChain chain;
  bool sized = false;

  /// Appends `op` to the run when it is a step over the run's rows and
  /// columns.
  bool add(Operation *op) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp)
      return false;
    RowChain::Step step{linalgOp, {}, Value()};
    if (auto fill = dyn_cast<linalg::FillOp>(op)) {
      if (!isPlainMemRef(fill.getDpsInits()[0]))
        return false;
      step.fill = true;
      step.output = fill.getDpsInits()[0];
      // A fill of another shape (the next matmul's output) ends the run.
      if (sized && !kindOf(step, step.output, /*output=*/true))
        return false;
    } else if (std::optional<TileableRowOp> row =
                   matchTileableRowOp(linalgOp)) {
      if (!fits(row->rows, row->cols))
        return false;
      step.inputs = row->inputs;
      step.output = row->output;
      step.fold = row->reduction;
    } else if (std::optional<TileableElementwise> ew =
                   matchTileableElementwise(linalgOp)) {
      step.inputs = ew->inputs;
      step.output = ew->output;
      // An op over one value per row after a fold computes on the fold's
      // per-row tiles.
      step.perRow =
          sized && chain.cols != 1 &&
          llvm::all_of(
              llvm::concat<Value>(step.inputs, ValueRange{step.output}),
              [&](Value v) {
                return cast<MemRefType>(v.getType()).getNumElements() ==
                       chain.rows;
              }) &&
          llvm::any_of(chain.steps,
                       [](const RowChain::Step &s) { return s.fold; });
      if (!step.perRow && !fits(ew->rows, ew->cols))
        return false;
    } else {
      return false;
    }
    chain.steps.push_back(step);
    return true;
  }

  /// Whether `r x c` is the run's space (the first row op sets it).
  bool fits(int64_t r, int64_t c) {
    if (!sized) {
      chain.rows = r;
      chain.cols = c;
      sized = true;
    }
    return r == chain.rows && c == chain.cols;
  }

  /// How `step` reads or writes `value`; nullopt when the shapes do not
  /// fit the run.
  std::optional<RowOperand> kindOf(const RowChain::Step &step, Value value,
                                   bool output) {
    int64_t elements = cast<MemRefType>(value.getType()).getNumElements();
    auto lastDim = [&] {
      auto type = cast<MemRefType>(value.getType());
      return type.getRank() ? type.getShape().back() : 1;
    };
    if (step.fill) {
      if (elements == chain.rows && chain.cols != 1)
        return RowOperand::PerRow;
      if (elements == chain.rows * chain.cols && lastDim() == chain.cols)
        return RowOperand::Whole;
      return std::nullopt;
    }
    if (step.perRow)
      return RowOperand::PerRow;
    if (output)
      return step.fold ? RowOperand::PerRow : RowOperand::Whole;
    if (std::optional<TileableRowOp> row = matchTileableRowOp(step.op)) {
      for (auto [in, kind] : llvm::zip(row->inputs, row->kinds))
        if (in == value)
          return kind;
      return std::nullopt;
    }
    return RowOperand::Whole;
  }

  /// Hands the run to the writer if analyze() takes it.
  bool finish() {
    llvm::scope_exit done([&] {
      chain = RowChain();
      sized = false;
    });
    return analyze() && write(chain);
  }

  /// Whether the run is worth a program (two steps or more, a fold among
  /// them) and its buffers are each of one kind, a per-column one only
  /// read; sets the buffers.
  bool analyze() {
    if (chain.steps.size() < 2 || !sized ||
        llvm::none_of(chain.steps,
                      [](const RowChain::Step &s) { return s.fold; }))
      return false;
    auto note = [&](const RowChain::Step &step, Value value, bool output) {
      std::optional<RowOperand> kind = kindOf(step, value, output);
      if (!kind)
        return false;
      auto [it, inserted] = chain.buffers.try_emplace(
          RowChain::rootOf(value), RowChain::Buffer{*kind, value});
      return inserted || it->second.kind == *kind;
    };
    for (const RowChain::Step &step : chain.steps) {
      for (Value in : step.inputs)
        if (!note(step, in, /*output=*/false))
          return false;
      if (!note(step, step.output, /*output=*/true))
        return false;
    }
    for (const RowChain::Step &step : chain.steps) {
      RowChain::Buffer &output =
          chain.buffers.find(RowChain::rootOf(step.output))->second;
      if (output.kind == RowOperand::PerColumn)
        return false;
      output.written = true;
    }
    // Which written buffers are read after the run (or are the caller's).
    SmallPtrSet<Operation *, 16> inChain;
    for (const RowChain::Step &step : chain.steps)
      inChain.insert(step.op);
    for (auto &[root, buffer] : chain.buffers)
      buffer.liveOut =
          !root.getDefiningOp<memref::AllocOp>() || usedOutside(root, inChain);
    return true;
  }

  /// Whether `value` or a view of it has a user outside `inChain` but its
  /// frees.
  static bool usedOutside(Value value,
                          const SmallPtrSetImpl<Operation *> &inChain) {
    for (Operation *user : value.getUsers()) {
      if (inChain.contains(user) || isa<memref::DeallocOp>(user))
        continue;
      if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(user)) {
        if (usedOutside(user->getResult(0), inChain))
          return true;
        continue;
      }
      return true;
    }
    return false;
  }
};

} // namespace

Value RowChain::rootOf(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto collapse = dyn_cast<memref::CollapseShapeOp>(def))
      value = collapse.getSrc();
    else if (auto expand = dyn_cast<memref::ExpandShapeOp>(def))
      value = expand.getSrc();
    else
      break;
  }
  return value;
}

int64_t RowChain::rowBytes() const {
  int64_t bytes = 0;
  for (auto &[root, buffer] : buffers)
    bytes +=
        (buffer.kind == RowOperand::PerRow ? 1 : cols) *
        byteWidth(cast<MemRefType>(buffer.operand.getType()).getElementType());
  return bytes;
}

SmallVector<Value> RowChain::rowTileInputs() const {
  SmallVector<Value> inputs;
  llvm::SmallPtrSet<Value, 8> seen;
  for (const Step &step : steps) {
    SmallVector<Value> reads(step.inputs);
    if (step.fold)
      reads.push_back(step.output);
    for (Value in : reads) {
      Value root = rootOf(in);
      if (bufferOf(root).kind != RowOperand::PerColumn &&
          seen.insert(root).second)
        inputs.push_back(root);
    }
    seen.insert(rootOf(step.output));
  }
  return inputs;
}

std::optional<RowChain> RowChain::dropFront(unsigned count) const {
  if (count > steps.size())
    return std::nullopt;
  std::optional<RowChain> rest = ChainCollector::analyze(
      ArrayRef<Step>(steps).drop_front(count), rows, cols);
  // The frees among the steps left.
  if (rest)
    for (Operation *dealloc : deallocs)
      if (rest->steps.front().op->isBeforeInBlock(dealloc))
        rest->deallocs.push_back(dealloc);
  return rest;
}

void RowChain::replaceWith(Operation *program) {
  for (Operation *dealloc : deallocs)
    dealloc->moveAfter(program);
  for (Step &step : llvm::reverse(steps))
    step.op->erase();
}

bool mapRowChains(Operation *func, function_ref<bool(RowChain &)> write) {
  SmallVector<Block *> blocks;
  func->walk([&](Block *block) { blocks.push_back(block); });
  bool mapped = false;
  for (Block *block : blocks)
    mapped |= ChainCollector(write).run(*block);
  return mapped;
}

} // namespace fungible
