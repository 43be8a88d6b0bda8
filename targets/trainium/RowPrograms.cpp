//===- RowPrograms.cpp - Row chains as one neuron program -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements mapRowChains (NeuronProgram.h): a run of row ops (a
// norm or a softmax: targets/RowChains.h) whose whole rows fit in SBUF
// becomes one program: per tile of 128 rows, what it reads from outside
// comes in by DMA once, every step runs on its engine on the tiles, and
// only what is read after the run is stored.
//
//===----------------------------------------------------------------------===//

#include "targets/RowChains.h"
#include "targets/trainium/NeuronProgram.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

namespace fungible::neuron {
namespace {

/// A buffer of the program: the view a DMA addresses and its SBUF tile.
struct BufferTile {
  Value hbm, tile;
};

/// Writes `chain` as one program where its last step is, if its whole rows
/// fit in a partition's `sbufPartitionBytes`.
bool writeRowChain(RowChain &chain, int64_t sbufPartitionBytes) {
  if (chain.rowBytes() > sbufPartitionBytes)
    return false;
  Operation *last = chain.steps.back().op;
  OpBuilder b(last);
  Location loc = last->getLoc();
  int64_t rows = chain.rows, cols = chain.cols;
  int64_t tp = std::min(rows, kPartitions);
  // The HBM views: rows x cols, a rows x 1 column, a 1 x cols row.
  llvm::MapVector<Value, BufferTile> tiles;
  for (auto &[root, buffer] : chain.buffers)
    tiles[root].hbm = viewAsRowOperand(b, loc, buffer.operand, buffer.kind);
  beginScopedProgram(b, last);
  ProgramBuilder p{{b, loc}};
  for (auto &[root, buffer] : chain.buffers) {
    auto type = cast<MemRefType>(buffer.operand.getType());
    tiles[root].tile = SbufAllocOp::create(
        b, loc,
        MemRefType::get({tp, buffer.kind == RowOperand::PerRow ? 1 : cols},
                        type.getElementType()));
  }
  Value zero = p.index(0);
  // Per-column operands are the same for every row tile: loaded once.
  for (auto &[root, buffer] : chain.buffers)
    if (buffer.kind == RowOperand::PerColumn) {
      BufferTile &t = tiles[root];
      DmaLoadOp::create(b, loc, t.hbm, ValueRange{zero, zero}, t.tile,
                        /*transpose=*/false, p.sem(Loaded),
                        /*broadcast=*/true);
    }
  Value r0 = p.loop(rows, tp);
  // The engines must have read the last row tile's tiles before DMAs
  // overwrite them.
  p.wait(Engine::Sync, Computed);
  // What the run reads before it writes it comes from HBM.
  for (Value root : chain.rowTileInputs()) {
    BufferTile &t = tiles[root];
    DmaLoadOp::create(b, loc, t.hbm, ValueRange{r0, zero}, t.tile,
                      /*transpose=*/false, p.sem(Loaded));
  }
  for (const RowChain::Step &step : chain.steps) {
    Engine engine = step.fill ? Engine::Vector : engineFor(step.op);
    // Each step waits for the DMAs, for every step before it (on any
    // engine) and for the last row tile's stores.
    p.wait(engine, Loaded);
    p.wait(engine, Computed);
    p.wait(engine, Stored);
    Value out = tiles[RowChain::rootOf(step.output)].tile;
    SmallVector<Value> ins;
    for (Value in : step.inputs)
      ins.push_back(tiles[RowChain::rootOf(in)].tile);
    linalg::LinalgOp op = step.op;
    auto body = [&](OpBuilder &nb, ValueRange args) {
      return cloneScalarBody(nb, op, args);
    };
    if (step.fold)
      p.fold(engine, ins, out, p.index(cols), body);
    else
      p.elementwise(engine, ins, out, body);
  }
  p.wait(Engine::Sync, Computed);
  for (auto &[root, buffer] : chain.buffers) {
    BufferTile &t = tiles[root];
    if (buffer.written && buffer.liveOut)
      DmaStoreOp::create(b, loc, t.tile, t.hbm, ValueRange{r0, zero},
                         p.sem(Stored));
  }
  chain.replaceWith(last->getPrevNode());
  return true;
}

} // namespace

bool mapRowChains(Operation *func, int64_t sbufPartitionBytes) {
  return fungible::mapRowChains(func, [&](RowChain &chain) {
    return writeRowChain(chain, sbufPartitionBytes);
  });
}

} // namespace fungible::neuron
