//===- TrainiumLowering.cpp - The Trainium target's lowering ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the Trainium-like target's lowering
// (TrainiumLowering.h): fungible-trainium-map-to-neuron writes a neuron
// program for every matmul, batch matmul, elementwise linalg.generic and
// linalg.fill on memrefs, and fungible-trainium-emulate turns neuron
// programs into linalg on memref views for the host.
//
// Each program is one memref.alloca_scope, so its SBUF and PSUM buffers
// are released after it. Engines run their own queues: every hand-off
// between the DMA queue and an engine is a signal and a wait on one of
// four semaphores (see the header), in both directions (a DMA does not
// overwrite a tile an engine still reads).
//
//===----------------------------------------------------------------------===//

#include "targets/trainium/TrainiumLowering.h"
#include "dialects/Neuron/NeuronDialect.h"
#include "passes/Passes.h"
#include "targets/LoweringSupport.h"
#include "targets/MatmulEpilogues.h"
#include "targets/TiledOps.h"
#include "targets/trainium/NeuronProgram.h"
#include "targets/trainium/TrainiumPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <algorithm>

using namespace mlir;
using namespace fungible::neuron;

namespace fungible {

Engine neuron::engineFor(Operation *op) {
  bool activation = false;
  op->walk([&](Operation *inner) {
    activation |= isa<math::MathDialect>(inner->getDialect());
  });
  return activation ? Engine::Scalar : Engine::Vector;
}

#define GEN_PASS_DEF_TRAINIUMMAPTONEURONPASS
#define GEN_PASS_DEF_TRAINIUMEMULATEPASS
#include "targets/trainium/TrainiumPasses.h.inc"

namespace {

//===----------------------------------------------------------------------===//
// Matmuls on the TensorEngine
//===----------------------------------------------------------------------===//

/// The SBUF tiles of the epilogue (collectMatmulEpilogues) of a program
/// that writes `tm x tn` output tiles (rows on the partitions), and the
/// code that applies it to an output tile and stores the result.
struct EpilogueProgram {
  ArrayRef<MatmulEpilogue> epilogues;
  /// Per epilogue: a tile per input (null for the value it carries), and
  /// its result tile.
  SmallVector<SmallVector<Value>> inputs;
  SmallVector<Value> outputs;

  /// Allocates the tiles (before the program's loops). An operand constant
  /// along the columns (a per-row scale: its view's column stride is 0)
  /// is a `tm x 1` per-partition column.
  EpilogueProgram(ProgramBuilder &p, ArrayRef<MatmulEpilogue> epilogues,
                  int64_t tm, int64_t tn)
      : epilogues(epilogues) {
    auto tileOf = [&](Value hbm) -> Value {
      auto type = cast<MemRefType>(hbm.getType());
      SmallVector<int64_t> strides;
      int64_t offset;
      bool perRow = succeeded(type.getStridesAndOffset(strides, offset)) &&
                    strides.back() == 0;
      return SbufAllocOp::create(
          p.b, p.loc,
          MemRefType::get({tm, perRow ? 1 : tn}, type.getElementType()));
    };
    for (const MatmulEpilogue &e : epilogues) {
      SmallVector<Value> tiles;
      for (Value view : e.views)
        tiles.push_back(view ? tileOf(view) : Value());
      inputs.push_back(tiles);
      outputs.push_back(tileOf(e.output));
    }
  }

  /// Applies the epilogue to `carried`, the tile of `c` at `at(row, col)`
  /// that engine `last` wrote (each op on the Vector or Scalar engine, its
  /// other inputs' tiles DMA'd from the same indices), and stores what it
  /// ends with.
  void applyAndStore(ProgramBuilder &p, Value carried, Engine last, Value c,
                     function_ref<SmallVector<Value>(Value, Value)> at,
                     Value row, Value col) {
    OpBuilder &b = p.b;
    Location loc = p.loc;
    Value dest = c;
    for (auto [index, e, tiles, tileOut] :
         llvm::enumerate(epilogues, inputs, outputs)) {
      Engine engine = engineFor(e.op);
      SmallVector<Value> operands;
      bool loads = false;
      for (auto [view, tile] : llvm::zip(e.views, tiles)) {
        if (!view) {
          operands.push_back(carried);
          continue;
        }
        // The engines must have read this tile for the last output tile.
        if (!loads)
          p.wait(Engine::Sync, Computed);
        loads = true;
        bool column = cast<MemRefType>(tile.getType()).getDimSize(1) == 1;
        DmaLoadOp::create(b, loc, view, at(row, column ? p.index(0) : col),
                          tile, /*transpose=*/false, p.sem(Loaded));
        operands.push_back(tile);
      }
      if (loads)
        p.wait(engine, Loaded);
      // The op before it (on its own queue, in order) wrote its input; and
      // every engine op of the last output tile has read what this one
      // overwrites.
      if (engine != last)
        p.wait(engine, Computed);
      // The store of the last output tile must have read the tile stored.
      if (index + 1 == epilogues.size())
        p.wait(engine, Stored);
      linalg::GenericOp generic = e.op;
      p.elementwise(engine, operands, tileOut,
                    [&](OpBuilder &nb, ValueRange args) {
                      return cloneScalarBody(nb, generic, args);
                    });
      carried = tileOut;
      last = engine;
      dest = e.output;
    }
    p.wait(Engine::Sync, Computed);
    DmaStoreOp::create(b, loc, carried, dest, at(row, col), p.sem(Stored));
  }
};

/// Writes the neuron program of a (batch) matmul or a convolution (an
/// implicit GEMM: ImplicitGemm) and of the epilogue after it
/// (collectMatmulEpilogues: each op on the Vector or Scalar engine, on the
/// product's SBUF tile before its one store); false when the op is not one
/// the TensorEngine takes.
bool mapMatmul(linalg::LinalgOp op, int64_t sbufPartitionBytes) {
  std::optional<ImplicitGemm> gemm = ImplicitGemm::match(op);
  if (!gemm)
    return false;
  Value c = gemm->c;
  Type in = gemm->in, out = gemm->out, acc = gemm->acc;
  int64_t m = gemm->m, n = gemm->n, k = gemm->k;
  int64_t tm = std::min(m, kStationaryFree), tn = std::min(n, kMovingFree),
          tk = std::min(k, kPartitions);
  int64_t kSteps = ceilDiv(k, tk);
  linalg::FillOp fill = zeroFillBefore(op);

  OpBuilder b(op);
  Location loc = op.getLoc();
  // Bytes per partition: the stationary tile (tm per K partition), the
  // moving one, the result and the old output tile (PSUM is apart).
  int64_t sbufUsed =
      (tm + tn) * byteWidth(in) + (fill ? 1 : 2) * tn * byteWidth(out);
  SmallVector<MatmulEpilogue> epilogues =
      collectMatmulEpilogues(op, c, fill, tn, sbufPartitionBytes - sbufUsed);
  prepareMatmulEpilogues(b, op, c, epilogues);
  beginScopedProgram(b, op);
  ProgramBuilder p{{b, loc}};
  // Stationary: A's tile transposed, K on the partitions; moving: B's.
  Value stationary =
      SbufAllocOp::create(b, loc, MemRefType::get({tk, tm}, in));
  Value moving = SbufAllocOp::create(b, loc, MemRefType::get({tk, tn}, in));
  Value psum = PsumAllocOp::create(b, loc, MemRefType::get({tm, tn}, acc));
  bool readsBank = fill && out == acc && !epilogues.empty();
  Value result =
      readsBank ? Value()
                : SbufAllocOp::create(b, loc, MemRefType::get({tm, tn}, out));
  Value previous =
      fill ? Value()
           : SbufAllocOp::create(b, loc, MemRefType::get({tm, tn}, out));
  EpilogueProgram epilogue(p, epilogues, tm, tn);

  SmallVector<Value> lead;
  for (int64_t extent : gemm->lead)
    lead.push_back(p.loop(extent, 1));
  Value i = p.loop(m, tm);
  Value j = p.loop(n, tn);
  auto at = [&](Value row, Value col) {
    SmallVector<Value> indices(lead);
    indices.push_back(row);
    indices.push_back(col);
    return indices;
  };
  // linalg.matmul accumulates into its output: unless a zero fill came
  // just before, the old output tile is added to the product.
  if (!fill)
    DmaLoadOp::create(b, loc, c, at(i, j), previous, /*transpose=*/false,
                      p.sem(Read));
  {
    OpBuilder::InsertionGuard guard(b);
    // Every K step of every tap (one for a matmul).
    Value step = p.loop(gemm->taps * kSteps, 1);
    auto [tap, k0] = gemm->splitStep(b, loc, step, kSteps, tk);
    TileAddress aTile = gemm->aTile(b, loc, lead, i, tap, k0);
    TileAddress bTile = gemm->bTile(b, loc, lead, j, tap, k0);
    // The previous matmul must have read the tiles before they are
    // overwritten.
    p.wait(Engine::Sync, Computed);
    DmaLoadOp::create(b, loc, aTile.hbm, aTile.indices, stationary,
                      /*transpose=*/true, p.sem(Loaded));
    DmaLoadOp::create(b, loc, bTile.hbm, bTile.indices, moving,
                      /*transpose=*/false, p.sem(Loaded));
    p.wait(Engine::Tensor, Loaded);
    Value start = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        step, p.index(0));
    MatmulOp::create(b, loc, stationary, moving, psum, start,
                     p.sem(Computed));
  }
  // PSUM -> SBUF on the Vector engine: rounded to the output type, plus
  // the old output tile unless a zero fill came before. An f32 (i32)
  // product the epilogue starts from needs neither: it reads the bank.
  Value carried = psum;
  Engine last = Engine::Tensor;
  if (result) {
    p.wait(Engine::Vector, Computed);
    // The store of the previous tile must have read `result`.
    p.wait(Engine::Vector, Stored);
    SmallVector<Value> inputs = {psum};
    if (!fill) {
      p.wait(Engine::Vector, Read);
      inputs.push_back(previous);
    }
    p.elementwise(
        Engine::Vector, inputs, result,
        [&](OpBuilder &nb, ValueRange args) -> Value {
          if (args.size() == 1)
            return convertFloat(nb, loc, args[0], out);
          Value old = isa<FloatType>(acc) ? convertFloat(nb, loc, args[1], acc)
                                          : args[1];
          Value sum =
              isa<FloatType>(acc)
                  ? arith::AddFOp::create(nb, loc, args[0], old).getResult()
                  : arith::AddIOp::create(nb, loc, args[0], old).getResult();
          return convertFloat(nb, loc, sum, out);
        });
    carried = result;
    last = Engine::Vector;
  }
  // The epilogue, one engine op each on the tile before it, and the one
  // store.
  epilogue.applyAndStore(p, carried, last, c, at, i, j);
  eraseReplacedOps(
      fill, [&] { gemm->erase(); }, c, epilogues);
  return true;
}

//===----------------------------------------------------------------------===//
// Depthwise convolutions and pooling on the Vector engine
//===----------------------------------------------------------------------===//

/// Writes the neuron program of a depthwise convolution or a pooling
/// (WindowReduction) and of the epilogue after it: per output tile (up to
/// 128 pixels of one image row on the partitions by up to 512 channels),
/// the accumulator starts from the fill before the op (else the output's
/// tile) and takes every filter tap in order on the Vector engine: the
/// tap's window of the input (and its weights, DMA'd into every partition
/// through a stride-0 view). False when the op is not one.
bool mapWindow(linalg::LinalgOp op, int64_t sbufPartitionBytes) {
  std::optional<WindowReduction> window = WindowReduction::match(op);
  if (!window)
    return false;
  Value c = window->c;
  Type element = window->element;
  int64_t tp = std::min(window->m, kPartitions),
          tf = std::min<int64_t>(window->n, kMovingFree);
  int64_t sbufUsed = (window->weighted() ? 3 : 2) * tf * byteWidth(element);
  if (sbufUsed > sbufPartitionBytes)
    return false;

  OpBuilder b(op);
  Location loc = op.getLoc();
  WindowProgramPlan plan =
      planWindowProgram(b, *window, tf, sbufPartitionBytes - sbufUsed, tp);
  linalg::FillOp fill = plan.fill;
  Value weights = plan.weights;
  beginScopedProgram(b, op);
  ProgramBuilder p{{b, loc}};
  auto tile = [&] {
    return SbufAllocOp::create(b, loc, MemRefType::get({tp, tf}, element));
  };
  Value inTile = tile();
  Value weightTile = weights ? tile() : Value();
  Value acc = tile();
  EpilogueProgram epilogue(p, plan.epilogues, tp, tf);

  SmallVector<Value> lead;
  for (int64_t extent : window->lead)
    lead.push_back(p.loop(extent, 1));
  Value i = p.loop(window->m, tp);
  Value j = p.loop(window->n, tf);
  auto at = [&](Value row, Value col) {
    SmallVector<Value> indices(lead);
    indices.append({row, col});
    return indices;
  };
  // The accumulator's start; the engine ops and the store of the last
  // output tile must be done with it.
  if (fill) {
    p.wait(Engine::Vector, Computed);
    p.wait(Engine::Vector, Stored);
    Value value = fill.getInputs()[0];
    p.elementwise(Engine::Vector, {}, acc,
                  [&](OpBuilder &, ValueRange) { return value; });
  } else {
    p.wait(Engine::Sync, Computed);
    p.wait(Engine::Sync, Stored);
    DmaLoadOp::create(b, loc, c, at(i, j), acc, /*transpose=*/false,
                      p.sem(Read));
    p.wait(Engine::Vector, Read);
  }
  {
    OpBuilder::InsertionGuard guard(b);
    Value tap = p.loop(window->taps, 1);
    // The last tap's op must have read the tiles before they are
    // overwritten.
    p.wait(Engine::Sync, Computed);
    TileAddress in = window->inputTile(b, loc, lead, i, tap, j);
    DmaLoadOp::create(b, loc, in.hbm, in.indices, inTile,
                      /*transpose=*/false, p.sem(Loaded));
    SmallVector<Value> inputs = {acc, inTile};
    if (weights) {
      TileAddress w = window->weightTile(b, loc, weights, tap, j);
      DmaLoadOp::create(b, loc, w.hbm, w.indices, weightTile,
                        /*transpose=*/false, p.sem(Loaded));
      inputs.push_back(weightTile);
    }
    p.wait(Engine::Vector, Loaded);
    // acc = combine(acc, x[, w]), in place.
    p.elementwise(Engine::Vector, inputs, acc,
                  [&](OpBuilder &nb, ValueRange args) {
                    return window->combine(nb, loc, args[0], args[1],
                                           weights ? args[2] : Value());
                  });
  }
  epilogue.applyAndStore(p, acc, Engine::Vector, c, at, i, j);
  eraseReplacedOps(
      fill, [&] { window->erase(); }, c, plan.epilogues);
  return true;
}

//===----------------------------------------------------------------------===//
// Elementwise ops on the Vector and Scalar engines
//===----------------------------------------------------------------------===//

/// Columns per free-axis tile: up to 2048, halved (down to 128) until the
/// tiles of a partition use at most half of its SBUF; nothing when they do
/// not fit at all.
std::optional<int64_t> freeTileColumns(int64_t cols, int64_t bytesPerColumn,
                                       int64_t sbufPartitionBytes) {
  int64_t tf = std::min<int64_t>(cols, 2048);
  while (tf * bytesPerColumn > sbufPartitionBytes / 2 && tf > 128)
    tf /= 2;
  if (tf * bytesPerColumn > sbufPartitionBytes)
    return std::nullopt;
  return tf;
}

bool mapElementwise(linalg::LinalgOp op, int64_t sbufPartitionBytes) {
  std::optional<TileableElementwise> ew = matchTileableElementwise(op);
  if (!ew)
    return false;
  Value output = ew->output;
  SmallVector<Value> &inputs = ew->inputs;
  MemRefType outType = ew->outputType;
  int64_t rows = ew->rows, cols = ew->cols;
  int64_t bytesPerColumn = byteWidth(outType.getElementType());
  for (Value in : inputs)
    bytesPerColumn +=
        byteWidth(cast<MemRefType>(in.getType()).getElementType());
  std::optional<int64_t> columns =
      freeTileColumns(cols, bytesPerColumn, sbufPartitionBytes);
  if (!columns)
    return false;
  int64_t tp = std::min(rows, kPartitions), tf = *columns;
  Engine engine = engineFor(op);

  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Value> hbmIn;
  for (Value in : inputs)
    hbmIn.push_back(viewAsRowsAndColumns(b, loc, in));
  Value hbmOut = viewAsRowsAndColumns(b, loc, output);
  beginScopedProgram(b, op);
  ProgramBuilder p{{b, loc}};
  SmallVector<Value> tiles;
  for (Value in : inputs)
    tiles.push_back(SbufAllocOp::create(
        b, loc,
        MemRefType::get({tp, tf},
                        cast<MemRefType>(in.getType()).getElementType())));
  Value result = SbufAllocOp::create(
      b, loc, MemRefType::get({tp, tf}, outType.getElementType()));
  Value r0 = p.loop(rows, tp);
  Value c0 = p.loop(cols, tf);
  if (!tiles.empty()) {
    p.wait(Engine::Sync, Computed);
    for (auto [hbm, tile] : llvm::zip(hbmIn, tiles))
      DmaLoadOp::create(b, loc, hbm, ValueRange{r0, c0}, tile,
                        /*transpose=*/false, p.sem(Loaded));
    p.wait(engine, Loaded);
  }
  p.wait(engine, Stored);
  p.elementwise(engine, tiles, result, [&](OpBuilder &nb, ValueRange args) {
    return cloneScalarBody(nb, op, args);
  });
  p.wait(Engine::Sync, Computed);
  DmaStoreOp::create(b, loc, result, hbmOut, ValueRange{r0, c0},
                     p.sem(Stored));
  op->erase();
  return true;
}

//===----------------------------------------------------------------------===//
// Row ops: per-partition columns and folds on the Vector and Scalar engines
//===----------------------------------------------------------------------===//

/// An elementwise op with per-row or per-column operands, or a fold of each
/// row (matchTileableRowOp): rows on the partitions, 128 at a time; columns
/// in free-axis tiles. Per-row values are `P x 1` columns, loaded once per
/// row tile; per-column values (a bias row) are DMA'd into every partition
/// (`broadcast`) with each column tile; a fold's accumulator column starts
/// from the output's values, takes every column tile in order (the ragged
/// last one through a shorter access pattern) and is stored once per row
/// tile.
bool mapRowOp(linalg::LinalgOp op, int64_t sbufPartitionBytes) {
  std::optional<TileableRowOp> row = matchTileableRowOp(op);
  if (!row)
    return false;
  auto elementOf = [](Value v) {
    return cast<MemRefType>(v.getType()).getElementType();
  };
  int64_t bytesPerColumn =
      row->reduction ? 0 : byteWidth(elementOf(row->output));
  for (auto [in, kind] : llvm::zip(row->inputs, row->kinds))
    if (kind != RowOperand::PerRow)
      bytesPerColumn += byteWidth(elementOf(in));
  std::optional<int64_t> columns =
      freeTileColumns(row->cols, bytesPerColumn, sbufPartitionBytes);
  if (!columns)
    return false;
  int64_t tp = std::min(row->rows, kPartitions), tf = *columns;
  Engine engine = engineFor(op);

  OpBuilder b(op);
  Location loc = op.getLoc();
  auto view = [&](Value v, RowOperand kind) {
    switch (kind) {
    case RowOperand::PerRow:
      return viewAsColumn(b, loc, v);
    case RowOperand::PerColumn:
      return viewAsRow(b, loc, v);
    case RowOperand::Whole:
      break;
    }
    return viewAsRowsAndColumns(b, loc, v);
  };
  SmallVector<Value> hbmIn;
  for (auto [in, kind] : llvm::zip(row->inputs, row->kinds))
    hbmIn.push_back(view(in, kind));
  Value hbmOut = view(row->output, row->reduction ? RowOperand::PerRow
                                                  : RowOperand::Whole);
  beginScopedProgram(b, op);
  ProgramBuilder p{{b, loc}};
  SmallVector<Value> tiles;
  for (auto [in, kind] : llvm::zip(row->inputs, row->kinds))
    tiles.push_back(SbufAllocOp::create(
        b, loc,
        MemRefType::get({tp, kind == RowOperand::PerRow ? 1 : tf},
                        elementOf(in))));
  Value result = SbufAllocOp::create(
      b, loc,
      MemRefType::get({tp, row->reduction ? 1 : tf}, elementOf(row->output)));
  Value zero = p.index(0);
  Value r0 = p.loop(row->rows, tp);
  // The engine must have read the last row tile's columns.
  p.wait(Engine::Sync, Computed);
  for (auto [hbm, tile, kind] : llvm::zip(hbmIn, tiles, row->kinds))
    if (kind == RowOperand::PerRow)
      DmaLoadOp::create(b, loc, hbm, ValueRange{r0, zero}, tile,
                        /*transpose=*/false, p.sem(Loaded));
  if (row->reduction)
    DmaLoadOp::create(b, loc, hbmOut, ValueRange{r0, zero}, result,
                      /*transpose=*/false, p.sem(Loaded));
  {
    OpBuilder::InsertionGuard guard(b);
    Value c0 = p.loop(row->cols, tf);
    p.wait(Engine::Sync, Computed);
    for (auto [hbm, tile, kind] : llvm::zip(hbmIn, tiles, row->kinds)) {
      if (kind == RowOperand::Whole)
        DmaLoadOp::create(b, loc, hbm, ValueRange{r0, c0}, tile,
                          /*transpose=*/false, p.sem(Loaded));
      else if (kind == RowOperand::PerColumn)
        DmaLoadOp::create(b, loc, hbm, ValueRange{zero, c0}, tile,
                          /*transpose=*/false, p.sem(Loaded),
                          /*broadcast=*/true);
    }
    p.wait(engine, Loaded);
    p.wait(engine, Stored);
    auto body = [&](OpBuilder &nb, ValueRange args) {
      return cloneScalarBody(nb, op, args);
    };
    if (row->reduction) {
      Value left = arith::SubIOp::create(b, loc, p.index(row->cols), c0);
      Value count = arith::MinSIOp::create(b, loc, left, p.index(tf));
      p.fold(engine, tiles, result, count, body);
    } else {
      p.elementwise(engine, tiles, result, body);
      p.wait(Engine::Sync, Computed);
      DmaStoreOp::create(b, loc, result, hbmOut, ValueRange{r0, c0},
                         p.sem(Stored));
    }
  }
  if (row->reduction) {
    p.wait(Engine::Sync, Computed);
    DmaStoreOp::create(b, loc, result, hbmOut, ValueRange{r0, zero},
                       p.sem(Stored));
  }
  op->erase();
  return true;
}

struct TrainiumMapToNeuronPass
    : impl::TrainiumMapToNeuronPassBase<TrainiumMapToNeuronPass> {
  using Base::Base;

  void runOnOperation() override {
    // Matmuls and convolutions first (each takes the zero fill before it,
    // a convolution its input's zero padding), then the chains of row ops
    // whole rows at a time, then every op left on its own.
    mapLinalgOps(
        getOperation(),
        [&](linalg::LinalgOp op) {
          return isAccumulatingOp(op) && (mapMatmul(op, sbufPartitionBytes) ||
                                          mapWindow(op, sbufPartitionBytes));
        },
        kSbufPartitionBytesAttr, sbufPartitionBytes);
    getOperation().walk([&](FunctionOpInterface func) {
      if (mapRowChains(func, sbufPartitionBytes))
        func->setAttr(kSbufPartitionBytesAttr,
                      IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                       sbufPartitionBytes));
    });
    mapLinalgOps(
        getOperation(),
        [&](linalg::LinalgOp op) {
          return mapElementwise(op, sbufPartitionBytes) ||
                 mapRowOp(op, sbufPartitionBytes);
        },
        kSbufPartitionBytesAttr, sbufPartitionBytes);
  }
};

//===----------------------------------------------------------------------===//
// The host emulator: neuron -> linalg on memref views
//===----------------------------------------------------------------------===//

struct TrainiumEmulatePass
    : impl::TrainiumEmulatePassBase<TrainiumEmulatePass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<NeuronDialect>(op->getDialect()) && !isa<YieldOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      if (isa<SbufAllocOp, PsumAllocOp>(op)) {
        replaceWithHostBuffer(op);
      } else if (auto load = dyn_cast<DmaLoadOp>(op)) {
        emulateTileLoad(b, loc, load.getSource(), load.getIndices(),
                        load.getBuffer(), load.getTranspose(),
                        load.getBroadcast());
      } else if (auto store = dyn_cast<DmaStoreOp>(op)) {
        emulateTileStore(b, loc, store.getBuffer(), store.getDest(),
                         store.getIndices());
      } else if (auto matmul = dyn_cast<MatmulOp>(op)) {
        emulateMatmul(b, matmul);
      } else if (auto elementwise = dyn_cast<ElementwiseOp>(op)) {
        buildGenericFromBody(b, loc, elementwise.getInputs(),
                             elementwise.getOutput(), elementwise.getBody());
      } else if (auto reduce = dyn_cast<ReduceOp>(op)) {
        // The first `count` columns of the whole tiles; columns stay.
        SmallVector<Value> inputs;
        for (Value in : reduce.getInputs()) {
          auto type = cast<MemRefType>(in.getType());
          inputs.push_back(
              type.getDimSize(1) == 1
                  ? in
                  : subview2d(b, loc, in,
                              {b.getIndexAttr(0), b.getIndexAttr(0)},
                              b.getIndexAttr(type.getDimSize(0)),
                              reduce.getCount()));
        }
        buildGenericFromBody(b, loc, inputs, reduce.getAcc(), reduce.getBody(),
                             /*fold=*/true);
      }
      // neuron.wait: the emulator runs every op to completion in order.
    }
    for (Operation *op : llvm::reverse(ops))
      op->erase();
  }

  /// psum = (start ? 0 : psum) + stationary^T x moving.
  static void emulateMatmul(OpBuilder &b, MatmulOp matmul) {
    Location loc = matmul.getLoc();
    Value psum = matmul.getPsum();
    Type acc = matmul.getPsum().getType().getElementType();
    auto reset = scf::IfOp::create(b, loc, matmul.getStart(),
                                   /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(reset.thenBlock()->getTerminator());
      Value zero = arith::ConstantOp::create(
          b, loc, cast<TypedAttr>(b.getZeroAttr(acc)));
      linalg::FillOp::create(b, loc, zero, psum);
    }
    MLIRContext *context = b.getContext();
    AffineExpr m, n, k;
    bindDims(context, m, n, k);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0, {k, m}, context),
        AffineMap::get(3, 0, {k, n}, context),
        AffineMap::get(3, 0, {m, n}, context)};
    linalg::GenericOp::create(
        b, loc, TypeRange(),
        ValueRange{matmul.getStationary(), matmul.getMoving()},
        ValueRange{psum}, maps,
        {utils::IteratorType::parallel, utils::IteratorType::parallel,
         utils::IteratorType::reduction},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value sum;
          if (isa<FloatType>(acc)) {
            Value x = convertFloat(nb, l, args[0], acc);
            Value y = convertFloat(nb, l, args[1], acc);
            // Fused, as the host's matmuls are (vector.fma): the same
            // bits on every device.
            sum = math::FmaOp::create(nb, l, x, y, args[2]);
          } else {
            Value x = arith::ExtSIOp::create(nb, l, acc, args[0]);
            Value y = arith::ExtSIOp::create(nb, l, acc, args[1]);
            sum = arith::AddIOp::create(nb, l, args[2],
                                        arith::MulIOp::create(nb, l, x, y));
          }
          linalg::YieldOp::create(nb, l, sum);
        });
  }
};

} // namespace

LogicalResult
buildTrainiumLoweringPipeline(OpPassManager &pm,
                              const TrainiumLoweringOptions &options) {
  if (failed(addBufferizedLinalgPipeline(
          pm, /*deallocate=*/true, [](OpPassManager &tensors) {
            // A chain of elementwise ops is one VPU/engine op.
            tensors.addPass(createFuseElementwiseProducersPass());
          })))
    return failure();
  pm.addPass(createTrainiumMapToNeuronPass({options.sbufPartitionBytes}));
  if (failed(addUpstreamPipeline(pm, "canonicalize, cse")))
    return failure();
  if (!options.emulate)
    return success();
  return buildTrainiumProgramEmulationPipeline(pm, options.hostBackend);
}

LogicalResult
buildTrainiumProgramEmulationPipeline(OpPassManager &pm,
                                      const HostBackendBuilder &hostBackend) {
  if (!hostBackend)
    return failure();
  pm.addPass(createTrainiumEmulatePass());
  return hostBackend(pm);
}

} // namespace fungible
