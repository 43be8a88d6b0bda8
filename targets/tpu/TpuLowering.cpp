//===- TpuLowering.cpp - The TPU target's lowering to mxu -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the TPU-like target's lowering (TpuLowering.h):
// fungible-tpu-map-to-mxu writes an mxu program for every matmul, batch
// matmul, convolution (an implicit GEMM), depthwise convolution, pooling,
// elementwise linalg.generic and linalg.fill on memrefs, and
// fungible-tpu-emulate turns mxu programs into linalg on memref views for
// the host.
//
// A program is one memref.alloca_scope, so its VMEM buffers are released
// after it. Its loops are pipelined: the DMA of step s + 1 starts before
// the compute of step s, into the other slot of double-buffered tiles.
//
//===----------------------------------------------------------------------===//

#include "targets/tpu/TpuLowering.h"
#include "dialects/Mxu/MxuDialect.h"
#include "passes/Passes.h"
#include "targets/Emulation.h"
#include "targets/LoweringSupport.h"
#include "targets/MatmulEpilogues.h"
#include "targets/TiledOps.h"
#include "targets/tpu/MxuProgram.h"
#include "targets/tpu/TpuPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <algorithm>

using namespace mlir;

namespace fungible {
#define GEN_PASS_DEF_TPUMAPTOMXUPASS
#define GEN_PASS_DEF_TPUEMULATEPASS
#include "targets/tpu/TpuPasses.h.inc"

namespace {

using tpu::ProgramBuilder;

//===----------------------------------------------------------------------===//
// Matmuls on the MXU
//===----------------------------------------------------------------------===//

/// The most rows of a broadcast stage's tiles.
constexpr int64_t kBroadcastStageRows = 256;

/// The VMEM tiles of the epilogue (collectMatmulEpilogues) of a program
/// that writes `tm x tn` output tiles, and the code that applies it to an
/// output tile and stores the result.
struct EpilogueProgram {
  ArrayRef<MatmulEpilogue> epilogues;
  /// Per epilogue: a tile per input (null for the value it carries), and
  /// its result tile.
  SmallVector<SmallVector<Value>> inputs;
  SmallVector<Value> outputs;
  int64_t tm, tn;
  /// The rows of a broadcast stage's tiles (0 without one).
  int64_t stageRows = 0;

  /// Allocates the tiles (before the program's loops).
  EpilogueProgram(ProgramBuilder &p, ArrayRef<MatmulEpilogue> epilogues,
                  int64_t tm, int64_t tn)
      : epilogues(epilogues), tm(tm), tn(tn) {
    auto elementOf = [](Value v) {
      return cast<MemRefType>(v.getType()).getElementType();
    };
    for (const MatmulEpilogue &e : epilogues) {
      int64_t rows = tm;
      if (e.broadcastRows)
        rows = stageRows = std::min(roundUp(e.broadcastRows, mxu::kSublanes),
                                    kBroadcastStageRows);
      SmallVector<Value> tiles;
      for (Value view : e.views)
        tiles.push_back(view ? p.alloc(1, rows, tn, elementOf(view)) : Value());
      inputs.push_back(tiles);
      outputs.push_back(p.alloc(1, rows, tn, elementOf(e.output)));
    }
  }

  /// Applies the epilogue to `result`, the tile of the product at
  /// `indices` (each op on the VPU, its other inputs' tiles DMA'd from the
  /// same indices), and stores what it ends with (`stores`); `zero` is the
  /// index 0 (every tile's one slot).
  void applyAndStore(ProgramBuilder &p, Value result, const TileStores &stores,
                     ValueRange indices, Value zero) {
    OpBuilder &b = p.b;
    Location loc = p.loc;
    for (auto [e, tiles, tileOut] : llvm::zip(epilogues, inputs, outputs)) {
      if (e.broadcastRows)
        return applyBroadcastStage(p, e, result, tiles, tileOut, stores,
                                   indices.back(), zero);
      SmallVector<Value> operands;
      for (auto [input, view, tile] : llvm::enumerate(e.views, tiles)) {
        if (!view) {
          operands.push_back(result);
          continue;
        }
        mxu::DmaLoadOp::create(
            b, loc, view, e.operandIndices(b, loc, input, indices), tile, zero);
        mxu::DmaWaitOp::create(b, loc, tile, zero);
        operands.push_back(tile);
      }
      linalg::GenericOp generic = e.op;
      p.vpu(operands, zero, tileOut, zero, [&](OpBuilder &nb, ValueRange args) {
        return cloneScalarBody(nb, generic, args);
      });
      result = tileOut;
    }
    stores.store(b, loc, indices, tm, tn, [&](Value dest, ValueRange at) {
      mxu::DmaStoreOp::create(b, loc, result, zero, dest, at);
    });
    mxu::DmaWaitOp::create(b, loc, result, zero);
  }

  /// The broadcast stage `e` at the end of the chain: its rows in tiles of
  /// stageRows at column `col`, each op reading row 0 of `product` (the
  /// one-row product's tile) for every row: a sublane broadcast on the VPU.
  void applyBroadcastStage(ProgramBuilder &p, const MatmulEpilogue &e,
                           Value product, ArrayRef<Value> tiles, Value tileOut,
                           const TileStores &stores, Value col, Value zero) {
    OpBuilder &b = p.b;
    Location loc = p.loc;
    OpBuilder::InsertionGuard guard(b);
    Value row = p.loop(e.broadcastRows, stageRows);
    SmallVector<Value> operands, at = {row, col};
    SmallVector<int64_t> broadcast;
    for (auto [view, tile] : llvm::zip(e.views, tiles)) {
      if (!view) {
        broadcast.push_back(operands.size());
        operands.push_back(product);
        continue;
      }
      mxu::DmaLoadOp::create(b, loc, view, at, tile, zero);
      mxu::DmaWaitOp::create(b, loc, tile, zero);
      operands.push_back(tile);
    }
    SmallVector<Value> slots(operands.size(), zero);
    auto vpu = mxu::VpuOp::create(b, loc, operands, slots, tileOut, zero);
    vpu.setRowBroadcast(broadcast);
    linalg::GenericOp generic = e.op;
    buildScalarBody<mxu::YieldOp>(b, loc, vpu.getBody(), operands,
                                  [&](OpBuilder &nb, ValueRange args) {
                                    return cloneScalarBody(nb, generic, args);
                                  });
    stores.store(b, loc, at, stageRows, tn, [&](Value dest, ValueRange to) {
      mxu::DmaStoreOp::create(b, loc, tileOut, zero, dest, to);
    });
    mxu::DmaWaitOp::create(b, loc, tileOut, zero);
  }
};

} // namespace

bool tpu::mapMatmul(linalg::LinalgOp op, int64_t dim, int64_t vmemBytes,
                    const tpu::OnChipLhs *lhs) {
  std::optional<ImplicitGemm> gemm = ImplicitGemm::match(op);
  if (!gemm)
    return false;
  Value c = gemm->c;
  Type in = gemm->in, out = gemm->out, acc = gemm->acc;
  bool convert = gemm->convert;
  int64_t m = gemm->m, n = gemm->n;
  MxuGemmTiling tiling =
      chooseMxuGemmTiling(m, n, gemm->k, static_cast<double>(vmemBytes),
                          byteWidth(in), convert ? byteWidth(out) : 0, dim);
  if (lhs) {
    // The A tile made on chip holds all of K; the columns are one tile.
    tiling.tm = lhs->rows;
    tiling.tk = roundUp(gemm->k, dim);
    tiling.kSteps = 1;
    tiling.tn = roundUp(n, dim);
    if (gemm->taps != 1 || tiling.tn > kMaxOnChipLhsColumns)
      return false;
  }
  int64_t tm = tiling.tm, tn = tiling.tn, tk = tiling.tk,
          kSteps = tiling.kSteps;

  OpBuilder b(op);
  Location loc = op.getLoc();
  // linalg.matmul accumulates into its output; a zero fill just before it
  // becomes a zeroed accumulator instead of a DMA of zeros.
  linalg::FillOp fill = zeroFillBefore(op);
  bool zeroInit = static_cast<bool>(fill);
  // The elementwise ops after it that take the product tile while it is in
  // VMEM: one program, as the cost model prices the kernel.
  int64_t vmemUsed =
      (lhs ? lhs->vmemBytes + tk * tn * byteWidth(in)
           : (2 * tm * tk + 2 * tk * tn) * byteWidth(in)) +
      tm * tn * (byteWidth(acc) + (convert ? byteWidth(out) : 0));
  if (vmemUsed > vmemBytes)
    return false;
  // A product that several chains read (the cos and the sin of one
  // product) takes each of them on its tile: one store per branch.
  EpilogueBranches branches =
      collectMatmulEpilogueBranches(op, c, fill, tm * tn, vmemBytes - vmemUsed,
                                    kBroadcastStageRows * tn, tm, tn);
  for (SmallVector<MatmulEpilogue> &epilogues : branches)
    prepareMatmulEpilogues(b, op, c, epilogues);
  std::vector<TileStores> stores = planBranchStores(op, c, fill, branches);
  gemm->readTransposedOperandsInPlace(b);
  if (lhs)
    lhs->prepare(b);

  beginScopedProgram(b, op);
  ProgramBuilder p{{b, loc}};
  Value aBuf = lhs ? lhs->allocate(p) : p.alloc(2, tm, tk, in);
  Value bBuf = p.alloc(lhs ? 1 : 2, tk, tn, in);
  Value accBuf = p.alloc(1, tm, tn, acc);
  Value outBuf = convert ? p.alloc(1, tm, tn, out) : accBuf;
  Value zero = p.index(0);
  std::vector<EpilogueProgram> epilogue;
  for (ArrayRef<MatmulEpilogue> epilogues : branches)
    epilogue.emplace_back(p, epilogues, tm, tn);

  TileLoops tiles = p.tileLoops(gemm->lead, m, tm, n, tn);
  ValueRange lead = tiles.lead;
  Value i = tiles.row, j = tiles.col;
  if (zeroInit) {
    p.vpu({}, zero, accBuf, zero, [&](OpBuilder &nb, ValueRange) -> Value {
      return arith::ConstantOp::create(nb, loc,
                                       cast<TypedAttr>(nb.getZeroAttr(acc)));
    });
  } else {
    mxu::DmaLoadOp::create(b, loc, c, tiles.at(), outBuf, zero);
    mxu::DmaWaitOp::create(b, loc, outBuf, zero);
    if (convert)
      p.vpu(outBuf, zero, accBuf, zero, [&](OpBuilder &nb, ValueRange args) {
        return convertFloat(nb, loc, args[0], acc);
      });
  }
  if (lhs) {
    // One K step: A made on chip, B loaded whole (the same for every row
    // tile at these leading indices: loaded with the first).
    lhs->produce(p, lead, i, aBuf);
    p.ifFirst(i, [&] {
      TileAddress bTile = gemm->bTile(b, loc, lead, j, zero, zero);
      mxu::DmaLoadOp::create(b, loc, bTile.hbm, bTile.indices, bBuf, zero);
      mxu::DmaWaitOp::create(b, loc, bBuf, zero);
    });
    mxu::MatmulOp::create(b, loc, aBuf, zero, bBuf, zero, accBuf, zero,
                          b.getI64IntegerAttr(dim));
  } else {
    // Every K step of every tap (one for a matmul).
    p.pipeline(
        gemm->taps * kSteps,
        [&](Value step, Value slot) {
          auto [tap, k0] = gemm->splitStep(b, loc, step, kSteps, tk);
          TileAddress aTile = gemm->aTile(b, loc, lead, i, tap, k0);
          TileAddress bTile = gemm->bTile(b, loc, lead, j, tap, k0);
          mxu::DmaLoadOp::create(b, loc, aTile.hbm, aTile.indices, aBuf, slot);
          mxu::DmaLoadOp::create(b, loc, bTile.hbm, bTile.indices, bBuf, slot);
        },
        [&](Value slot) {
          mxu::DmaWaitOp::create(b, loc, aBuf, slot);
          mxu::DmaWaitOp::create(b, loc, bBuf, slot);
        },
        [&](Value, Value slot) {
          mxu::MatmulOp::create(b, loc, aBuf, slot, bBuf, slot, accBuf, zero,
                                b.getI64IntegerAttr(dim));
        });
  }
  if (convert)
    p.vpu(accBuf, zero, outBuf, zero, [&](OpBuilder &nb, ValueRange args) {
      return convertFloat(nb, loc, args[0], out);
    });
  // The epilogue in VMEM, then the one store (per branch).
  for (auto [branch, branchStores] : llvm::zip(epilogue, stores))
    branch.applyAndStore(p, outBuf, branchStores, tiles.at(), zero);
  eraseReplacedOps(
      fill, [&] { gemm->erase(); }, c, branches, stores);
  return true;
}

namespace {

//===----------------------------------------------------------------------===//
// Depthwise convolutions and pooling on the VPU
//===----------------------------------------------------------------------===//

/// Writes the mxu program of a depthwise convolution or a pooling
/// (WindowReduction) and of the epilogue after it: per output tile (tm
/// pixels of one image row by tl channels), the accumulator starts from
/// the fill before the op (else the output's tile) and takes every filter
/// tap in order on the VPU: the tap's window of the input (and its weights,
/// the same in every row: a stride-0 view), DMA'd in place and pipelined
/// as a matmul's K loop. False when the op is not one.
bool mapWindow(linalg::LinalgOp op, int64_t vmemBytes) {
  std::optional<WindowReduction> window = WindowReduction::match(op);
  if (!window)
    return false;
  Value c = window->c;
  Type element = window->element;
  int64_t tm = std::min<int64_t>(roundUp(window->m, mxu::kSublanes), 256);
  int64_t tl = std::min<int64_t>(roundUp(window->n, mxu::kLanes), 512);
  // Double-buffered input (and weight) tiles and the accumulator.
  int64_t vmemUsed =
      (window->weighted() ? 5 : 3) * tm * tl * byteWidth(element);
  if (vmemUsed > vmemBytes)
    return false;

  OpBuilder b(op);
  Location loc = op.getLoc();
  WindowProgramPlan plan =
      planWindowProgram(b, *window, tm * tl, vmemBytes - vmemUsed, tm);
  linalg::FillOp fill = plan.fill;
  Value weights = plan.weights;

  beginScopedProgram(b, op);
  ProgramBuilder p{{b, loc}};
  Value inBuf = p.alloc(2, tm, tl, element);
  Value weightBuf = weights ? p.alloc(2, tm, tl, element) : Value();
  Value accBuf = p.alloc(1, tm, tl, element);
  Value zero = p.index(0);
  EpilogueProgram epilogue(p, plan.epilogues, tm, tl);

  TileLoops tiles = p.tileLoops(window->lead, window->m, tm, window->n, tl);
  ValueRange lead = tiles.lead;
  Value i = tiles.row, j = tiles.col;
  if (fill) {
    Value value = fill.getInputs()[0];
    p.vpu({}, zero, accBuf, zero,
          [&](OpBuilder &, ValueRange) -> Value { return value; });
  } else {
    mxu::DmaLoadOp::create(b, loc, c, tiles.at(), accBuf, zero);
    mxu::DmaWaitOp::create(b, loc, accBuf, zero);
  }
  p.pipeline(
      window->taps,
      [&](Value tap, Value slot) {
        TileAddress in = window->inputTile(b, loc, lead, i, tap, j);
        mxu::DmaLoadOp::create(b, loc, in.hbm, in.indices, inBuf, slot,
                               in.padding);
        if (!weights)
          return;
        TileAddress w = window->weightTile(b, loc, weights, tap, j);
        mxu::DmaLoadOp::create(b, loc, w.hbm, w.indices, weightBuf, slot);
      },
      [&](Value slot) {
        mxu::DmaWaitOp::create(b, loc, inBuf, slot);
        if (weights)
          mxu::DmaWaitOp::create(b, loc, weightBuf, slot);
      },
      [&](Value, Value slot) {
        // acc = combine(acc, x[, w]), in place.
        SmallVector<Value> inputs = {accBuf, inBuf}, slots = {zero, slot};
        if (weights) {
          inputs.push_back(weightBuf);
          slots.push_back(slot);
        }
        auto vpu = mxu::VpuOp::create(b, loc, inputs, slots, accBuf, zero);
        buildScalarBody<mxu::YieldOp>(
            b, loc, vpu.getBody(), inputs, [&](OpBuilder &nb, ValueRange args) {
              return window->combine(nb, loc, args[0], args[1],
                                     weights ? args[2] : Value());
            });
      });
  epilogue.applyAndStore(p, accBuf, plan.stores, tiles.at(), zero);
  eraseReplacedOps(
      fill, [&] { window->erase(); }, c, plan.epilogues, plan.stores);
  return true;
}

//===----------------------------------------------------------------------===//
// Elementwise ops on the VPU
//===----------------------------------------------------------------------===//

/// Writes the mxu program of an elementwise op or a fill.
bool mapElementwise(linalg::LinalgOp op, int64_t vmemBytes) {
  std::optional<TileableElementwise> ew = matchTileableElementwise(op);
  if (!ew)
    return false;
  Value output = ew->output;
  SmallVector<Value> &inputs = ew->inputs;
  MemRefType outType = ew->outputType;
  int64_t rows = ew->rows, lanes = ew->cols;
  // Tiles of up to 64 x 1024, halved until the double-buffered tiles of
  // every operand use at most half of VMEM.
  int64_t widest = byteWidth(outType.getElementType());
  for (Value in : inputs)
    widest = std::max(widest,
                      byteWidth(cast<MemRefType>(in.getType()).getElementType()));
  int64_t tr = std::min<int64_t>(64, roundUp(rows, mxu::kSublanes));
  int64_t tl = std::min<int64_t>(1024, roundUp(lanes, mxu::kLanes));
  auto vmemUse = [&] {
    return static_cast<int64_t>(inputs.size() + 1) * 2 * tr * tl * widest;
  };
  while (vmemUse() > vmemBytes / 2 && tr > mxu::kSublanes)
    tr = std::max<int64_t>(mxu::kSublanes, tr / 2 / mxu::kSublanes *
                                               mxu::kSublanes);
  while (vmemUse() > vmemBytes / 2 && tl > mxu::kLanes)
    tl = std::max<int64_t>(mxu::kLanes, tl / 2 / mxu::kLanes * mxu::kLanes);
  if (vmemUse() > vmemBytes)
    return false;
  int64_t rowTiles = ceilDiv(rows, tr), laneTiles = ceilDiv(lanes, tl);

  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Value> hbmIn;
  for (Value in : inputs)
    hbmIn.push_back(viewAsRowsAndColumns(b, loc, in));
  Value hbmOut = viewAsRowsAndColumns(b, loc, output);

  beginScopedProgram(b, op);
  ProgramBuilder p{{b, loc}};
  SmallVector<Value> bufs;
  for (Value in : inputs)
    bufs.push_back(
        p.alloc(2, tr, tl, cast<MemRefType>(in.getType()).getElementType()));
  Value outBuf = p.alloc(2, tr, tl, outType.getElementType());
  auto origin = [&](Value step) {
    Value row = p.mul(arith::DivUIOp::create(b, loc, step, p.index(laneTiles)),
                      tr);
    Value lane = p.mul(arith::RemUIOp::create(b, loc, step, p.index(laneTiles)),
                       tl);
    return SmallVector<Value>{row, lane};
  };
  p.pipeline(
      rowTiles * laneTiles,
      [&](Value step, Value slot) {
        SmallVector<Value> at = origin(step);
        for (auto [hbm, buf] : llvm::zip(hbmIn, bufs))
          mxu::DmaLoadOp::create(b, loc, hbm, at, buf, slot);
      },
      [&](Value slot) {
        for (Value buf : bufs)
          mxu::DmaWaitOp::create(b, loc, buf, slot);
        // The store of two steps ago read this output slot.
        mxu::DmaWaitOp::create(b, loc, outBuf, slot);
      },
      [&](Value step, Value slot) {
        p.vpu(bufs, slot, outBuf, slot,
              [&](OpBuilder &nb, ValueRange args) {
                return cloneScalarBody(nb, op, args);
              });
        mxu::DmaStoreOp::create(b, loc, outBuf, slot, hbmOut, origin(step));
      });
  mxu::DmaWaitOp::create(b, loc, outBuf, p.index(0));
  mxu::DmaWaitOp::create(b, loc, outBuf, p.index(1));
  op->erase();
  return true;
}

struct TpuMapToMxuPass : impl::TpuMapToMxuPassBase<TpuMapToMxuPass> {
  using Base::Base;

  void runOnOperation() override {
    if (mxuDim != 128 && mxuDim != 256) {
      getOperation().emitError("fungible-tpu-map-to-mxu: mxu-dim must be 128 "
                               "or 256, not ")
          << static_cast<int64_t>(mxuDim);
      return signalPassFailure();
    }
    // Attentions first (a softmax between two products), then matmuls and
    // convolutions (each takes the zero fill before it, a convolution its
    // input's zero padding), then the chains of row ops whole rows at a
    // time, then every op left on its own.
    mapFunctions(
        getOperation(),
        [&](Operation *func) {
          return tpu::mapAttentions(func, mxuDim, vmemBytes);
        },
        mxu::kVmemBytesAttr, vmemBytes);
    mapLinalgOps(
        getOperation(),
        [&](linalg::LinalgOp op) {
          return isAccumulatingOp(op) &&
                 (tpu::mapMatmul(op, mxuDim, vmemBytes) ||
                  mapWindow(op, vmemBytes));
        },
        mxu::kVmemBytesAttr, vmemBytes);
    mapFunctions(
        getOperation(),
        [&](Operation *func) { return tpu::mapRowChains(func, vmemBytes); },
        mxu::kVmemBytesAttr, vmemBytes);
    mapLinalgOps(
        getOperation(),
        [&](linalg::LinalgOp op) { return mapElementwise(op, vmemBytes); },
        mxu::kVmemBytesAttr, vmemBytes);
  }
};

//===----------------------------------------------------------------------===//
// The host emulator: mxu -> linalg on memref views
//===----------------------------------------------------------------------===//

/// Slot `slot` of a VMEM buffer as its rows x lanes tile.
Value tileView(OpBuilder &b, Location loc, Value buffer, Value slot) {
  auto type = cast<MemRefType>(buffer.getType());
  return subview2d(b, loc, buffer, {slot, b.getIndexAttr(0), b.getIndexAttr(0)},
                   b.getIndexAttr(type.getDimSize(1)),
                   b.getIndexAttr(type.getDimSize(2)));
}

/// Lane 0 of each row of a 2-D tile view.
Value laneZero(OpBuilder &b, Location loc, Value tile) {
  return subview2d(
      b, loc, tile, {b.getIndexAttr(0), b.getIndexAttr(0)},
      b.getIndexAttr(cast<MemRefType>(tile.getType()).getDimSize(0)),
      b.getIndexAttr(1));
}

/// The tile views an mxu.vpu or mxu.reduce reads: row 0 of a
/// row-broadcast input, lane 0 of a lane-broadcast one (each broadcast by
/// buildGenericFromBody over its extent 1), the first `lanes` lanes of the
/// others (all of them when null).
SmallVector<Value> inputViews(OpBuilder &b, Location loc, ValueRange buffers,
                              ValueRange slots,
                              std::optional<ArrayRef<int64_t>> rowBroadcast,
                              std::optional<ArrayRef<int64_t>> laneBroadcast,
                              Value lanes) {
  SmallVector<Value> views;
  for (auto [index, input] : llvm::enumerate(buffers)) {
    Value tile = tileView(b, loc, input, slots[index]);
    auto has = [&](std::optional<ArrayRef<int64_t>> list) {
      return list && llvm::is_contained(*list, static_cast<int64_t>(index));
    };
    auto type = cast<MemRefType>(tile.getType());
    OpFoldResult zero = b.getIndexAttr(0);
    if (has(rowBroadcast))
      tile = subview2d(b, loc, tile, {zero, zero}, b.getIndexAttr(1),
                       b.getIndexAttr(type.getDimSize(1)));
    else if (has(laneBroadcast))
      tile = laneZero(b, loc, tile);
    else if (lanes)
      tile = subview2d(b, loc, tile, {zero, zero},
                       b.getIndexAttr(type.getDimSize(0)), lanes);
    views.push_back(tile);
  }
  return views;
}

struct TpuEmulatePass : impl::TpuEmulatePassBase<TpuEmulatePass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<mxu::MxuDialect>(op->getDialect()) &&
          !isa<mxu::YieldOp, mxu::IotaOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      if (isa<mxu::VmemAllocOp>(op)) {
        replaceWithHostBuffer(op);
      } else if (auto load = dyn_cast<mxu::DmaLoadOp>(op)) {
        emulateTileLoad(b, loc, load.getSource(), load.getIndices(),
                        tileView(b, loc, load.getBuffer(), load.getSlot()),
                        /*transpose=*/false, /*broadcast=*/false,
                        load.getPaddingAttr());
      } else if (auto store = dyn_cast<mxu::DmaStoreOp>(op)) {
        emulateTileStore(b, loc,
                         tileView(b, loc, store.getBuffer(), store.getSlot()),
                         store.getDest(), store.getIndices());
      } else if (auto matmul = dyn_cast<mxu::MatmulOp>(op)) {
        Value lhs = tileView(b, loc, matmul.getLhs(), matmul.getLhsSlot());
        Value rhs = tileView(b, loc, matmul.getRhs(), matmul.getRhsSlot());
        Value acc = tileView(b, loc, matmul.getAcc(), matmul.getAccSlot());
        linalg::MatmulOp::create(b, loc, ValueRange{lhs, rhs}, ValueRange{acc});
      } else if (auto vpu = dyn_cast<mxu::VpuOp>(op)) {
        SmallVector<Value> inputs =
            inputViews(b, loc, vpu.getInputs(), vpu.getInputSlots(),
                       vpu.getRowBroadcast(), vpu.getLaneBroadcast(), Value());
        Value output = tileView(b, loc, vpu.getOutput(), vpu.getOutputSlot());
        SmallVector<std::pair<Operation *, int64_t>> iotas;
        for (mxu::IotaOp iota : vpu.getBody().getOps<mxu::IotaOp>())
          iotas.push_back({iota, iota.getDimension()});
        buildGenericFromBody(b, loc, inputs, output, vpu.getBody());
        replaceIotasWithIndices(iotas);
      } else if (auto reduce = dyn_cast<mxu::ReduceOp>(op)) {
        // The first `count` lanes of each input folded into lane 0 of the
        // accumulator: its extent 1 makes the lanes a reduction.
        SmallVector<Value> inputs = inputViews(
            b, loc, reduce.getInputs(), reduce.getInputSlots(), std::nullopt,
            reduce.getLaneBroadcast(), reduce.getCount());
        Value acc = laneZero(
            b, loc, tileView(b, loc, reduce.getAcc(), reduce.getAccSlot()));
        buildGenericFromBody(b, loc, inputs, acc, reduce.getBody(),
                             /*fold=*/true);
      }
      // mxu.dma_wait: the emulator's DMAs are done when they start.
    }
    for (Operation *op : llvm::reverse(ops))
      op->erase();
  }
};

} // namespace

MxuGemmTiling chooseMxuGemmTiling(int64_t m, int64_t n, int64_t k,
                                  double vmemBytes, double inBytes,
                                  double outBytes, int64_t dim) {
  int64_t edge = squareTile(vmemBytes, inBytes, dim, outBytes);
  // (tile, blocks) of one dimension, searching `extra` more blocks than
  // the fewest.
  auto tileOf = [&](int64_t size, int64_t quantum, int64_t extra) {
    int64_t padded = roundUp(size, quantum);
    int64_t fewest = ceilDiv(padded, edge);
    std::pair<int64_t, int64_t> best = {0, 0};
    for (int64_t blocks = fewest;
         blocks <= fewest + extra && blocks <= ceilDiv(padded, quantum);
         ++blocks) {
      int64_t tile = roundUp(ceilDiv(padded, blocks), quantum);
      int64_t blocksNeeded = ceilDiv(padded, tile);
      if (!best.first || tile * blocksNeeded < best.first * best.second)
        best = {tile, blocksNeeded};
    }
    return best;
  };
  // Rows pad to 8 sublanes only: the fewest blocks, balanced. N and K pad
  // to the MXU: a block more can save a whole pass.
  auto [tm, rowBlocks] = tileOf(m, mxu::kSublanes, 0);
  auto [tn, colBlocks] = tileOf(n, dim, 4);
  auto [tk, kSteps] = tileOf(k, dim, 4);
  return {tm, tn, tk, rowBlocks, colBlocks, kSteps};
}

std::optional<MxuAttentionTiling>
chooseMxuAttentionTiling(int64_t sq, int64_t sk, int64_t d, int64_t dv,
                         int64_t vmemBytes, int64_t inBytes, int64_t dim,
                         int64_t scoreTiles, int64_t rowValueTiles,
                         int64_t rowPeriod) {
  MxuAttentionTiling t;
  t.headLanes = roundUp(d, dim);
  t.keyLanes = roundUp(sk, dim);
  t.valueLanes = roundUp(dv, dim);
  if (t.valueLanes > kMaxOnChipLhsColumns)
    return std::nullopt;
  constexpr int64_t f32 = 4;
  auto producer = [&](int64_t rows) {
    return rows * t.headLanes * inBytes + t.headLanes * t.keyLanes * inBytes +
           scoreTiles * rows * t.keyLanes * f32 +
           rowValueTiles * rows * mxu::kLanes * f32;
  };
  auto total = [&](int64_t rows) {
    return producer(rows) + t.keyLanes * t.valueLanes * inBytes +
           rows * t.valueLanes * f32;
  };
  constexpr int64_t kMaxRows = 256;
  int64_t rows = std::min(roundUp(sq, mxu::kSublanes), kMaxRows);
  while (total(rows) > vmemBytes && rows > mxu::kSublanes)
    rows = std::max(mxu::kSublanes, rows / 2 / mxu::kSublanes * mxu::kSublanes);
  while (rowPeriod && rows > mxu::kSublanes && rowPeriod % rows)
    rows -= mxu::kSublanes;
  if (total(rows) > vmemBytes || (rowPeriod && rowPeriod % rows))
    return std::nullopt;
  t.rows = rows;
  t.producerBytes = producer(rows);
  t.rowBlocks = ceilDiv(sq, rows);
  return t;
}

LogicalResult buildTpuLoweringPipeline(OpPassManager &pm,
                                       const TpuLoweringOptions &options) {
  if (failed(addBufferizedLinalgPipeline(
          pm, /*deallocate=*/true, [](OpPassManager &tensors) {
            // A chain of elementwise ops is one VPU/engine op.
            tensors.addPass(createFuseElementwiseProducersPass());
          })))
    return failure();
  pm.addPass(createTpuMapToMxuPass({options.mxuDim, options.vmemBytes}));
  if (failed(addUpstreamPipeline(pm, "canonicalize, cse")))
    return failure();
  if (!options.emulate)
    return success();
  return buildTpuProgramEmulationPipeline(pm, options.hostBackend);
}

LogicalResult
buildTpuProgramEmulationPipeline(OpPassManager &pm,
                                 const HostBackendBuilder &hostBackend) {
  if (!hostBackend)
    return failure();
  pm.addPass(createTpuEmulatePass());
  return hostBackend(pm);
}

} // namespace fungible
