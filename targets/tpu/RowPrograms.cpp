//===- RowPrograms.cpp - Row chains as one mxu program ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements tpu::mapRowChains (MxuProgram.h): a run of row ops
// (a norm or a softmax: targets/RowChains.h) whose whole rows fit in VMEM
// becomes one program. Per tile of rows (a multiple of 8 sublanes), what
// it reads from outside comes in by DMA once, every step runs on the
// tiles, and only what is read after the run is stored:
//   - a whole buffer is a `tr x L` tile (L: the columns padded to 128
//     lanes);
//   - a per-row value (a row's max, sum or mean) is a `tr x 128` tile
//     whose lane 0 holds it: mxu.reduce folds each row's lanes into lane 0
//     and the VPU reads it at lane 0 for every lane (`lane_broadcast`);
//   - a per-column operand (a norm's gains and bias) is an `8 x L` tile
//     loaded once, its row 0 read for every row (`row_broadcast`).
//
//===----------------------------------------------------------------------===//

#include "targets/RowChains.h"
#include "targets/tpu/MxuProgram.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <algorithm>

using namespace mlir;

namespace fungible::tpu {
namespace {

/// The most rows of a tile.
constexpr int64_t kMaxTileRows = 256;

/// A buffer of the program: the view a DMA addresses and its VMEM tile.
struct BufferTile {
  Value hbm, tile;
};

/// The inputs of a step that are read at lane 0 (per-row values) or row 0
/// (per-column operands), by position.
std::pair<SmallVector<int64_t>, SmallVector<int64_t>>
broadcastInputs(const RowChain &chain, const RowChain::Step &step) {
  SmallVector<int64_t> lanes, rows;
  for (auto [index, in] : llvm::enumerate(step.inputs)) {
    RowOperand kind = chain.bufferOf(in).kind;
    if (kind == RowOperand::PerRow)
      lanes.push_back(index);
    else if (kind == RowOperand::PerColumn)
      rows.push_back(index);
  }
  return {lanes, rows};
}

} // namespace

std::pair<int64_t, int64_t> rowTileShape(RowOperand kind, int64_t tr,
                                         int64_t lanes) {
  switch (kind) {
  case RowOperand::PerRow:
    return {tr, mxu::kLanes};
  case RowOperand::PerColumn:
    return {mxu::kSublanes, lanes};
  case RowOperand::Whole:
    break;
  }
  return {tr, lanes};
}

void writeRowChainSteps(ProgramBuilder &p, const RowChain &chain,
                        function_ref<Value(Value)> tileOf) {
  OpBuilder &b = p.b;
  Location loc = p.loc;
  Value zero = p.index(0);
  int64_t cols = chain.cols;
  for (const RowChain::Step &step : chain.steps) {
    Value out = tileOf(RowChain::rootOf(step.output));
    SmallVector<Value> ins;
    for (Value in : step.inputs)
      ins.push_back(tileOf(RowChain::rootOf(in)));
    SmallVector<Value> slots(ins.size(), zero);
    auto [laneBroadcast, rowBroadcast] = broadcastInputs(chain, step);
    linalg::LinalgOp op = step.op;
    auto body = [&](OpBuilder &nb, ValueRange args) {
      return cloneScalarBody(nb, op, args);
    };
    if (step.fold) {
      auto reduce = mxu::ReduceOp::create(b, loc, ins, slots, out, zero,
                                          p.index(cols), DenseI64ArrayAttr());
      if (!laneBroadcast.empty())
        reduce.setLaneBroadcast(laneBroadcast);
      SmallVector<Value> scalars(ins);
      scalars.push_back(out);
      buildScalarBody<mxu::YieldOp>(b, loc, reduce.getBody(), scalars, body);
      continue;
    }
    auto vpu = mxu::VpuOp::create(b, loc, ins, slots, out, zero);
    if (!laneBroadcast.empty())
      vpu.setLaneBroadcast(laneBroadcast);
    if (!rowBroadcast.empty())
      vpu.setRowBroadcast(rowBroadcast);
    buildScalarBody<mxu::YieldOp>(b, loc, vpu.getBody(), ins, body);
  }
}

namespace {

/// Writes `chain` as one program where its last step is, in tiles of the
/// most rows (8 at least) whose tiles fit in `vmemBytes`.
bool writeRowChain(RowChain &chain, int64_t vmemBytes) {
  int64_t rows = chain.rows, cols = chain.cols;
  int64_t lanes = roundUp(cols, mxu::kLanes);
  // A fold reads whole rows and per-row values only (mxu.reduce has no
  // row broadcast).
  for (const RowChain::Step &step : chain.steps)
    if (step.fold && !broadcastInputs(chain, step).second.empty())
      return false;
  auto bytesFor = [&](int64_t tr) {
    int64_t bytes = 0;
    for (auto &[root, buffer] : chain.buffers) {
      auto [r, l] = rowTileShape(buffer.kind, tr, lanes);
      bytes += r * l *
               byteWidth(
                   cast<MemRefType>(buffer.operand.getType()).getElementType());
    }
    return bytes;
  };
  int64_t tr = std::min(roundUp(rows, mxu::kSublanes), kMaxTileRows);
  while (bytesFor(tr) > vmemBytes && tr > mxu::kSublanes)
    tr = std::max(mxu::kSublanes, tr / 2 / mxu::kSublanes * mxu::kSublanes);
  if (bytesFor(tr) > vmemBytes)
    return false;

  Operation *last = chain.steps.back().op;
  OpBuilder b(last);
  Location loc = last->getLoc();
  llvm::MapVector<Value, BufferTile> tiles;
  for (auto &[root, buffer] : chain.buffers)
    tiles[root].hbm = viewAsRowOperand(b, loc, buffer.operand, buffer.kind);
  beginScopedProgram(b, last);
  ProgramBuilder p{{b, loc}};
  for (auto &[root, buffer] : chain.buffers) {
    auto [r, l] = rowTileShape(buffer.kind, tr, lanes);
    tiles[root].tile = p.alloc(
        1, r, l, cast<MemRefType>(buffer.operand.getType()).getElementType());
  }
  Value zero = p.index(0);
  // Per-column operands are the same for every row tile: loaded once.
  for (auto &[root, buffer] : chain.buffers)
    if (buffer.kind == RowOperand::PerColumn) {
      BufferTile &t = tiles[root];
      mxu::DmaLoadOp::create(b, loc, t.hbm, ValueRange{zero, zero}, t.tile,
                             zero);
      mxu::DmaWaitOp::create(b, loc, t.tile, zero);
    }
  Value r0 = p.loop(rows, tr);
  // What the run reads before it writes it comes from HBM.
  for (Value root : chain.rowTileInputs()) {
    BufferTile &t = tiles[root];
    mxu::DmaLoadOp::create(b, loc, t.hbm, ValueRange{r0, zero}, t.tile, zero);
    mxu::DmaWaitOp::create(b, loc, t.tile, zero);
  }
  writeRowChainSteps(p, chain, [&](Value root) { return tiles[root].tile; });
  for (auto &[root, buffer] : chain.buffers) {
    if (!buffer.written || !buffer.liveOut)
      continue;
    BufferTile &t = tiles[root];
    mxu::DmaStoreOp::create(b, loc, t.tile, zero, t.hbm, ValueRange{r0, zero});
    mxu::DmaWaitOp::create(b, loc, t.tile, zero);
  }
  chain.replaceWith(last->getPrevNode());
  return true;
}

} // namespace

bool mapRowChains(Operation *func, int64_t vmemBytes) {
  return fungible::mapRowChains(
      func, [&](RowChain &chain) { return writeRowChain(chain, vmemBytes); });
}

} // namespace fungible::tpu
