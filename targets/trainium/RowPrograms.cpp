//===- RowPrograms.cpp - Row chains as one neuron program -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements mapRowChains (NeuronProgram.h): a norm or a softmax
// bufferises into a run of fills, row folds and elementwise steps over the
// same rows x columns, each reading what the one before wrote in HBM. When
// the whole rows of every buffer the run touches fit in SBUF, the run
// becomes one program: per tile of 128 rows, what it reads from outside
// comes in by DMA once, every step runs on its engine on the tiles, and
// only what is read after the run is stored.
//
//===----------------------------------------------------------------------===//

#include "targets/trainium/NeuronProgram.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/ScopeExit.h"

using namespace mlir;

namespace fungible::neuron {
namespace {

/// One step of a chain.
struct Step {
  linalg::LinalgOp op;
  /// The operands it reads, in the order of its body's scalars (a fold's
  /// accumulator is `output`, read last).
  SmallVector<Value> inputs;
  Value output;
  bool fill = false, fold = false;
};

/// The buffer a view (collapse or expand shape) is of.
Value rootOf(Value value) {
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

/// A buffer of a chain: its tile's kind, the view a DMA addresses, its
/// SBUF tile, whether the chain wrote it yet (while building) and whether
/// it is read after the chain.
struct Buffer {
  RowOperand kind;
  Value operand; // One operand of the chain that is this buffer.
  Value tile;
  bool loaded = false, written = false, liveOut = false;
};

/// Collects and writes the chains of one block.
class ChainMapper {
public:
  explicit ChainMapper(int64_t sbufPartitionBytes)
      : sbufPartitionBytes(sbufPartitionBytes) {}

  bool run(Block &block) {
    bool mapped = false;
    SmallVector<Operation *> ops;
    for (Operation &op : block)
      ops.push_back(&op);
    for (Operation *op : ops) {
      if (isa<memref::AllocOp, memref::DeallocOp>(op) ||
          (isMemoryEffectFree(op) && op->getNumRegions() == 0)) {
        if (isa<memref::DeallocOp>(op) && !steps.empty())
          deallocs.push_back(op);
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
  int64_t sbufPartitionBytes;
  SmallVector<Step> steps;
  SmallVector<Operation *> deallocs;
  int64_t rows = 0, cols = 0;
  bool sized = false;

  /// Appends `op` to the chain when it is a step over the chain's rows and
  /// columns.
  bool add(Operation *op) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp)
      return false;
    Step step{linalgOp, {}, Value()};
    if (auto fill = dyn_cast<linalg::FillOp>(op)) {
      if (!isPlainMemRef(fill.getDpsInits()[0]))
        return false;
      step.fill = true;
      step.output = fill.getDpsInits()[0];
    } else if (std::optional<TileableRowOp> row =
                   matchTileableRowOp(linalgOp)) {
      if (!fits(row->rows, row->cols))
        return false;
      step.inputs = row->inputs;
      step.output = row->output;
      step.fold = row->reduction;
    } else if (std::optional<TileableElementwise> ew =
                   matchTileableElementwise(linalgOp)) {
      if (!fits(ew->rows, ew->cols))
        return false;
      step.inputs = ew->inputs;
      step.output = ew->output;
    } else {
      return false;
    }
    steps.push_back(step);
    return true;
  }

  /// Whether `r x c` is the chain's space (the first row op sets it).
  bool fits(int64_t r, int64_t c) {
    if (!sized) {
      rows = r;
      cols = c;
      sized = true;
    }
    return r == rows && c == cols;
  }

  void reset() {
    steps.clear();
    deallocs.clear();
    sized = false;
  }

  /// How `step` reads or writes `value`; nullopt when the shapes do not
  /// fit the chain.
  std::optional<RowOperand> kindOf(const Step &step, Value value, bool output) {
    int64_t elements = cast<MemRefType>(value.getType()).getNumElements();
    auto lastDim = [&] {
      auto type = cast<MemRefType>(value.getType());
      return type.getRank() ? type.getShape().back() : 1;
    };
    if (step.fill) {
      if (elements == rows && cols != 1)
        return RowOperand::PerRow;
      if (elements == rows * cols && lastDim() == cols)
        return RowOperand::Whole;
      return std::nullopt;
    }
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

  /// Writes the chain as one program if it is worth it (two steps or more,
  /// a fold among them) and fits; false otherwise (its ops stay for the
  /// per-op mapping).
  bool finish() {
    llvm::scope_exit done([&] { reset(); });
    if (steps.size() < 2 || !sized ||
        llvm::none_of(steps, [](const Step &s) { return s.fold; }))
      return false;
    // The buffers, by root, each of one kind.
    llvm::MapVector<Value, Buffer> buffers;
    auto note = [&](const Step &step, Value value, bool output) {
      std::optional<RowOperand> kind = kindOf(step, value, output);
      if (!kind)
        return false;
      auto [it, inserted] =
          buffers.try_emplace(rootOf(value), Buffer{*kind, value, {}});
      return inserted || it->second.kind == *kind;
    };
    for (const Step &step : steps) {
      for (Value in : step.inputs)
        if (!note(step, in, /*output=*/false))
          return false;
      if (!note(step, step.output, /*output=*/true))
        return false;
    }
    // A per-column buffer is only read; every tile's whole rows fit.
    int64_t bytes = 0;
    for (auto &[root, buffer] : buffers) {
      auto type = cast<MemRefType>(buffer.operand.getType());
      bytes += (buffer.kind == RowOperand::PerRow ? 1 : cols) *
               byteWidth(type.getElementType());
    }
    if (bytes > sbufPartitionBytes)
      return false;
    for (const Step &step : steps)
      if (buffers.lookup(rootOf(step.output)).kind == RowOperand::PerColumn)
        return false;
    // Which written buffers are read after the chain (or are the caller's).
    SmallPtrSet<Operation *, 16> inChain;
    for (const Step &step : steps)
      inChain.insert(step.op);
    for (auto &[root, buffer] : buffers)
      buffer.liveOut =
          !root.getDefiningOp<memref::AllocOp>() || usedOutside(root, inChain);
    write(buffers);
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

  /// The program, where the last step is.
  void write(llvm::MapVector<Value, Buffer> &buffers) {
    Operation *last = steps.back().op;
    OpBuilder b(last);
    Location loc = last->getLoc();
    int64_t tp = std::min(rows, kPartitions);
    // The HBM views: rows x cols, a rows x 1 column, a 1 x cols row.
    DenseMap<Value, Value> hbm;
    for (auto &[root, buffer] : buffers) {
      switch (buffer.kind) {
      case RowOperand::PerRow:
        hbm[root] = viewAsColumn(b, loc, buffer.operand);
        break;
      case RowOperand::PerColumn:
        hbm[root] = viewAsRow(b, loc, buffer.operand);
        break;
      case RowOperand::Whole:
        hbm[root] = viewAsRowsAndColumns(b, loc, buffer.operand);
        break;
      }
    }
    beginScopedProgram(b, last);
    ProgramBuilder p{{b, loc}};
    for (auto &[root, buffer] : buffers) {
      auto type = cast<MemRefType>(buffer.operand.getType());
      buffer.tile = SbufAllocOp::create(
          b, loc,
          MemRefType::get({tp, buffer.kind == RowOperand::PerRow ? 1 : cols},
                          type.getElementType()));
    }
    Value zero = p.index(0);
    // Per-column operands are the same for every row tile: loaded once.
    for (auto &[root, buffer] : buffers)
      if (buffer.kind == RowOperand::PerColumn) {
        DmaLoadOp::create(b, loc, hbm[root], ValueRange{zero, zero},
                          buffer.tile, /*transpose=*/false, p.sem(Loaded),
                          /*broadcast=*/true);
        buffer.loaded = true;
      }
    Value r0 = p.loop(rows, tp);
    // The engines must have read the last row tile's tiles before DMAs
    // overwrite them.
    p.wait(Engine::Sync, Computed);
    // What a step reads before the chain writes it comes from HBM.
    for (const Step &step : steps) {
      SmallVector<Value> reads(step.inputs);
      if (step.fold)
        reads.push_back(step.output);
      for (Value in : reads) {
        Buffer &buffer = buffers.find(rootOf(in))->second;
        if (buffer.written || buffer.loaded)
          continue;
        DmaLoadOp::create(b, loc, hbm[rootOf(in)], ValueRange{r0, zero},
                          buffer.tile, /*transpose=*/false, p.sem(Loaded));
        buffer.loaded = true;
      }
      buffers.find(rootOf(step.output))->second.written = true;
    }
    for (const Step &step : steps) {
      Engine engine = step.fill ? Engine::Vector : engineFor(step.op);
      // Each step waits for the DMAs, for every step before it (on any
      // engine) and for the last row tile's stores.
      p.wait(engine, Loaded);
      p.wait(engine, Computed);
      p.wait(engine, Stored);
      Value out = buffers.lookup(rootOf(step.output)).tile;
      SmallVector<Value> tiles;
      for (Value in : step.inputs)
        tiles.push_back(buffers.lookup(rootOf(in)).tile);
      linalg::LinalgOp op = step.op;
      auto body = [&](OpBuilder &nb, ValueRange args) {
        return cloneScalarBody(nb, op, args);
      };
      if (step.fold)
        p.fold(engine, tiles, out, p.index(cols), body);
      else
        p.elementwise(engine, tiles, out, body);
    }
    p.wait(Engine::Sync, Computed);
    for (auto &[root, buffer] : buffers)
      if (buffer.written && buffer.liveOut)
        DmaStoreOp::create(b, loc, buffer.tile, hbm[root], ValueRange{r0, zero},
                           p.sem(Stored));
    // The steps are the program now; frees of what they read move after it.
    Operation *scope = last->getPrevNode();
    for (Operation *dealloc : deallocs)
      dealloc->moveAfter(scope);
    for (Step &step : llvm::reverse(steps))
      step.op->erase();
  }
};

} // namespace

bool mapRowChains(Operation *func, int64_t sbufPartitionBytes) {
  SmallVector<Block *> blocks;
  func->walk([&](Block *block) { blocks.push_back(block); });
  bool mapped = false;
  for (Block *block : blocks)
    mapped |= ChainMapper(sbufPartitionBytes).run(*block);
  return mapped;
}

} // namespace fungible::neuron
