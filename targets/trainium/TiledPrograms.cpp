//===- TiledPrograms.cpp - Matmuls, convolutions and windows ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file writes the Trainium lowering's programs for the tiled ops
// (targets/TiledOps.h): a matmul or a convolution on the TensorEngine (an
// ImplicitGemm), a depthwise convolution or a pooling on the Vector engine
// (a WindowReduction), each with its epilogue on the engines before its
// one store (NeuronProgram.h).
//
//===----------------------------------------------------------------------===//

#include "dialects/Neuron/NeuronDialect.h"
#include "targets/LoweringSupport.h"
#include "targets/MatmulEpilogues.h"
#include "targets/TiledOps.h"
#include "targets/trainium/NeuronProgram.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <algorithm>

using namespace mlir;

namespace fungible::neuron {
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
  int64_t tm, tn;
  /// A broadcast stage's partitions per tile (0 without one), its row of
  /// ones (the stationary tile that copies the product's row onto every
  /// partition) and the PSUM bank that receives the copies.
  int64_t stageRows = 0;
  Value ones, broadcastBank;

  /// Allocates the tiles (before the program's loops). An operand constant
  /// along the columns (a per-row scale: its view's column stride is 0)
  /// is a `tm x 1` per-partition column. `product` is the product tile's
  /// element type, `acc` the accumulator's.
  EpilogueProgram(ProgramBuilder &p, ArrayRef<MatmulEpilogue> epilogues,
                  int64_t tm, int64_t tn, Type product, Type acc)
      : epilogues(epilogues), tm(tm), tn(tn) {
    auto tileOf = [&](Value hbm, int64_t rows) -> Value {
      auto type = cast<MemRefType>(hbm.getType());
      SmallVector<int64_t> strides;
      int64_t offset;
      bool perRow = succeeded(type.getStridesAndOffset(strides, offset)) &&
                    strides.back() == 0;
      return SbufAllocOp::create(
          p.b, p.loc,
          MemRefType::get({rows, perRow ? 1 : tn}, type.getElementType()));
    };
    for (const MatmulEpilogue &e : epilogues) {
      int64_t rows = tm;
      if (e.broadcastRows) {
        rows = stageRows = std::min(e.broadcastRows, kPartitions);
        ones = SbufAllocOp::create(p.b, p.loc,
                                   MemRefType::get({1, rows}, product));
        broadcastBank =
            PsumAllocOp::create(p.b, p.loc, MemRefType::get({rows, tn}, acc));
        p.elementwise(Engine::Vector, {}, ones,
                      [&](OpBuilder &nb, ValueRange) -> Value {
                        return arith::ConstantOp::create(
                            nb, p.loc, nb.getFloatAttr(product, 1.0));
                      });
      }
      SmallVector<Value> tiles;
      for (Value view : e.views)
        tiles.push_back(view ? tileOf(view, rows) : Value());
      inputs.push_back(tiles);
      outputs.push_back(tileOf(e.output, rows));
      product = cast<MemRefType>(e.output.getType()).getElementType();
    }
  }

  /// Applies the epilogue to `carried`, the tile of the product at
  /// `output.at()` that engine `last` wrote (each op on the Vector or
  /// Scalar engine, its other inputs' tiles DMA'd from the same indices),
  /// and stores what it ends with (`stores`).
  void applyAndStore(ProgramBuilder &p, Value carried, Engine last,
                     const TileStores &stores, const TileLoops &output) {
    OpBuilder &b = p.b;
    Location loc = p.loc;
    for (auto [index, e, tiles, tileOut] :
         llvm::enumerate(epilogues, inputs, outputs)) {
      if (e.broadcastRows)
        return applyBroadcastStage(p, e, carried, tiles, tileOut, stores,
                                   output.col);
      Engine engine = engineFor(e.op);
      SmallVector<Value> operands;
      bool loads = false;
      for (auto [input, view, tile] : llvm::enumerate(e.views, tiles)) {
        if (!view) {
          operands.push_back(carried);
          continue;
        }
        // The engines must have read this tile for the last output tile.
        if (!loads)
          p.wait(Engine::Sync, Computed);
        loads = true;
        bool column = cast<MemRefType>(tile.getType()).getDimSize(1) == 1;
        DmaLoadOp::create(
            b, loc, view,
            e.operandIndices(
                b, loc, input,
                output.at(output.row, column ? p.index(0) : output.col)),
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
    }
    p.wait(Engine::Sync, Computed);
    stores.store(b, loc, output.at(), tm, tn, [&](Value dest, ValueRange at) {
      DmaStoreOp::create(b, loc, carried, dest, at, p.sem(Stored));
    });
  }

  /// The broadcast stage `e` at the end of the chain: its rows in tiles of
  /// stageRows partitions at column `col`. The TensorEngine copies the
  /// one-row product `row` (an SBUF tile, one partition) onto every
  /// partition (ones^T x row into a PSUM bank, exact), and the op reads
  /// that bank in its place.
  void applyBroadcastStage(ProgramBuilder &p, const MatmulEpilogue &e,
                           Value row, ArrayRef<Value> tiles, Value tileOut,
                           const TileStores &stores, Value col) {
    OpBuilder &b = p.b;
    Location loc = p.loc;
    OpBuilder::InsertionGuard guard(b);
    Value r0 = p.loop(e.broadcastRows, stageRows);
    // The engines must have read the last row tile's tiles.
    p.wait(Engine::Sync, Computed);
    SmallVector<Value> operands;
    bool loads = false;
    for (auto [view, tile] : llvm::zip(e.views, tiles)) {
      if (!view) {
        operands.push_back(broadcastBank);
        continue;
      }
      loads = true;
      bool column = cast<MemRefType>(tile.getType()).getDimSize(1) == 1;
      DmaLoadOp::create(b, loc, view, ValueRange{r0, column ? p.index(0) : col},
                        tile,
                        /*transpose=*/false, p.sem(Loaded));
      operands.push_back(tile);
    }
    // The row and the ones are written, the bank read by the last op.
    p.wait(Engine::Tensor, Computed);
    Value start = arith::ConstantIntOp::create(b, loc, 1, 1);
    MatmulOp::create(b, loc, ones, row, broadcastBank, start, p.sem(Computed));
    Engine engine = engineFor(e.op);
    if (loads)
      p.wait(engine, Loaded);
    p.wait(engine, Computed);
    p.wait(engine, Stored);
    linalg::GenericOp generic = e.op;
    p.elementwise(engine, operands, tileOut,
                  [&](OpBuilder &nb, ValueRange args) {
                    return cloneScalarBody(nb, generic, args);
                  });
    p.wait(Engine::Sync, Computed);
    stores.store(b, loc, ValueRange{r0, col}, stageRows, tn,
                 [&](Value dest, ValueRange at) {
                   DmaStoreOp::create(b, loc, tileOut, dest, at, p.sem(Stored));
                 });
  }
};

} // namespace

/// Writes the neuron program of a (batch) matmul or a convolution (an
/// implicit GEMM: ImplicitGemm) and of the epilogue after it
/// (collectMatmulEpilogues: each op on the Vector or Scalar engine, on the
/// product's SBUF tile before its one store); false when the op is not one
/// the TensorEngine takes.
bool mapMatmul(linalg::LinalgOp op, int64_t sbufPartitionBytes,
               const OnChipStationary *lhs) {
  std::optional<ImplicitGemm> gemm = ImplicitGemm::match(op);
  if (!gemm)
    return false;
  Value c = gemm->c;
  Type in = gemm->in, out = gemm->out, acc = gemm->acc;
  int64_t m = gemm->m, n = gemm->n, k = gemm->k;
  int64_t tm = std::min(m, kStationaryFree), tn = std::min(n, kMovingFree),
          tk = std::min(k, kPartitions);
  // Stationary tiles made on chip: 128 of K each, the columns one tile.
  if (lhs) {
    tm = lhs->rows;
    tk = kPartitions;
    if (gemm->taps != 1 || n > kMovingFree)
      return false;
  }
  int64_t kSteps = ceilDiv(k, tk);
  linalg::FillOp fill = zeroFillBefore(op);

  OpBuilder b(op);
  Location loc = op.getLoc();
  // Bytes per partition: the stationary tile (tm per K partition), the
  // moving one, the result and the old output tile (PSUM is apart).
  int64_t sbufUsed = (lhs ? lhs->partitionBytes + kSteps * tn * byteWidth(in)
                          : (tm + tn) * byteWidth(in)) +
                     (fill ? 1 : 2) * tn * byteWidth(out);
  if (sbufUsed > sbufPartitionBytes)
    return false;
  // A broadcast stage copies a float product's row onto the partitions
  // on the TensorEngine: f32 rows, exact, read as the op's f32 operand.
  bool stage = out == acc && isa<FloatType>(out);
  // A product that several chains read (the cos and the sin of one
  // product) takes each of them on its tile: one store per branch.
  EpilogueBranches branches = collectMatmulEpilogueBranches(
      op, c, fill, tn,
      sbufPartitionBytes - sbufUsed -
          (stage ? kPartitions * byteWidth(out) : 0),
      stage ? tn : 0, tm, tn);
  SmallVector<MatmulEpilogue> &epilogues = branches.front();
  // The stage reads the bank as the value the chain carries: of its type.
  if (!epilogues.empty() && epilogues.back().broadcastRows &&
      (epilogues.size() > 1
           ? cast<MemRefType>(epilogues[epilogues.size() - 2].output.getType())
                 .getElementType()
           : out) != acc)
    epilogues.pop_back();
  // It multiplies an SBUF row: the product leaves the bank first.
  bool toStage = !epilogues.empty() && epilogues.front().broadcastRows;
  for (SmallVector<MatmulEpilogue> &branch : branches)
    prepareMatmulEpilogues(b, op, c, branch);
  std::vector<TileStores> stores = planBranchStores(op, c, fill, branches);
  gemm->readTransposedOperandsInPlace(b);
  if (lhs)
    lhs->prepare(b);
  beginScopedProgram(b, op);
  ProgramBuilder p{{b, loc}};
  // Stationary: A's tile transposed, K on the partitions; moving: B's.
  Value stationary;
  if (lhs)
    lhs->allocate(p);
  else
    stationary = SbufAllocOp::create(b, loc, MemRefType::get({tk, tm}, in));
  Value moving;
  SmallVector<Value> movingTiles;
  if (lhs)
    for (int64_t s = 0; s < kSteps; ++s)
      movingTiles.push_back(
          SbufAllocOp::create(b, loc, MemRefType::get({tk, tn}, in)));
  else
    moving = SbufAllocOp::create(b, loc, MemRefType::get({tk, tn}, in));
  Value psum = PsumAllocOp::create(b, loc, MemRefType::get({tm, tn}, acc));
  bool readsBank = fill && out == acc && !epilogues.empty() && !toStage;
  Value result =
      readsBank ? Value()
                : SbufAllocOp::create(b, loc, MemRefType::get({tm, tn}, out));
  Value previous =
      fill ? Value()
           : SbufAllocOp::create(b, loc, MemRefType::get({tm, tn}, out));
  std::vector<EpilogueProgram> epilogue;
  for (ArrayRef<MatmulEpilogue> branch : branches)
    epilogue.emplace_back(p, branch, tm, tn, out, acc);

  TileLoops tiles = p.tileLoops(gemm->lead, m, tm, n, tn);
  ValueRange lead = tiles.lead;
  Value i = tiles.row, j = tiles.col;
  // linalg.matmul accumulates into its output: unless a zero fill came
  // just before, the old output tile is added to the product.
  if (!fill)
    DmaLoadOp::create(b, loc, c, tiles.at(), previous, /*transpose=*/false,
                      p.sem(Read));
  if (lhs) {
    // The stationary tiles made on chip, one per K step (unrolled: each
    // is its own tile). B's tiles, the same for every row tile at these
    // leading indices, are loaded with the first.
    SmallVector<Value> made = lhs->produce(p, lead, i);
    p.ifFirst(i, [&] {
      p.wait(Engine::Sync, Computed);
      for (auto [s, tile] : llvm::enumerate(movingTiles)) {
        TileAddress bTile = gemm->bTile(b, loc, lead, j, p.index(0),
                                        p.index(static_cast<int64_t>(s) * tk));
        DmaLoadOp::create(b, loc, bTile.hbm, bTile.indices, tile,
                          /*transpose=*/false, p.sem(Loaded));
      }
    });
    p.wait(Engine::Tensor, Loaded);
    p.wait(Engine::Tensor, Computed);
    for (auto [s, tile] : llvm::enumerate(made)) {
      Value start = arith::ConstantIntOp::create(b, loc, s == 0, 1);
      MatmulOp::create(b, loc, tile, movingTiles[s], psum, start,
                       p.sem(Computed));
    }
  } else {
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
    Value start = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, step,
                                        p.index(0));
    MatmulOp::create(b, loc, stationary, moving, psum, start, p.sem(Computed));
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
  // store (per branch: each reads the product's tile).
  for (auto [branch, branchStores] : llvm::zip(epilogue, stores))
    branch.applyAndStore(p, carried, last, branchStores, tiles);
  eraseReplacedOps(
      fill, [&] { gemm->erase(); }, c, branches, stores);
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
  EpilogueProgram epilogue(p, plan.epilogues, tp, tf, window->element,
                           window->element);

  TileLoops tiles = p.tileLoops(window->lead, window->m, tp, window->n, tf);
  ValueRange lead = tiles.lead;
  Value i = tiles.row, j = tiles.col;
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
    DmaLoadOp::create(b, loc, c, tiles.at(), acc, /*transpose=*/false,
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
                      /*transpose=*/false, p.sem(Loaded),
                      /*broadcast=*/false, in.padding);
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
  epilogue.applyAndStore(p, acc, Engine::Vector, plan.stores, tiles);
  eraseReplacedOps(
      fill, [&] { window->erase(); }, c, plan.epilogues, plan.stores);
  return true;
}

} // namespace fungible::neuron
