//===- TrainiumLowering.cpp - The Trainium target's lowering ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the Trainium-like target's lowering
// (TrainiumLowering.h): fungible-trainium-map-to-neuron writes a neuron
// program for every matmul, batch matmul, convolution, depthwise
// convolution and pooling (TiledPrograms.cpp), chain of row ops
// (RowPrograms.cpp), elementwise linalg.generic and linalg.fill on
// memrefs, and fungible-trainium-emulate turns neuron programs into linalg
// on memref views for the host.
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
#include "targets/Emulation.h"
#include "targets/LoweringSupport.h"
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
  SmallVector<Value> hbmIn;
  for (auto [in, kind] : llvm::zip(row->inputs, row->kinds))
    hbmIn.push_back(viewAsRowOperand(b, loc, in, kind));
  Value hbmOut =
      viewAsRowOperand(b, loc, row->output,
                       row->reduction ? RowOperand::PerRow : RowOperand::Whole);
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
    // Attentions first (a softmax between two products), then matmuls and
    // convolutions (each takes the zero fill before it, a convolution its
    // input's zero padding), then the chains of row ops whole rows at a
    // time, then every op left on its own.
    mapFunctions(
        getOperation(),
        [&](Operation *func) {
          return mapAttentions(func, sbufPartitionBytes);
        },
        kSbufPartitionBytesAttr, sbufPartitionBytes);
    mapLinalgOps(
        getOperation(),
        [&](linalg::LinalgOp op) {
          return isAccumulatingOp(op) && (mapMatmul(op, sbufPartitionBytes) ||
                                          mapWindow(op, sbufPartitionBytes));
        },
        kSbufPartitionBytesAttr, sbufPartitionBytes);
    mapFunctions(
        getOperation(),
        [&](Operation *func) { return mapRowChains(func, sbufPartitionBytes); },
        kSbufPartitionBytesAttr, sbufPartitionBytes);
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
      if (isa<NeuronDialect>(op->getDialect()) && !isa<YieldOp, IotaOp>(op))
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
                        load.getBroadcast(), load.getPaddingAttr());
      } else if (auto store = dyn_cast<DmaStoreOp>(op)) {
        emulateTileStore(b, loc, store.getBuffer(), store.getDest(),
                         store.getIndices());
      } else if (auto matmul = dyn_cast<MatmulOp>(op)) {
        emulateMatmul(b, matmul);
      } else if (auto transpose = dyn_cast<TransposeOp>(op)) {
        emulateTranspose(b, transpose);
      } else if (auto elementwise = dyn_cast<ElementwiseOp>(op)) {
        SmallVector<std::pair<Operation *, int64_t>> iotas;
        for (IotaOp iota : elementwise.getBody().getOps<IotaOp>())
          iotas.push_back({iota, iota.getDimension()});
        buildGenericFromBody(b, loc, elementwise.getInputs(),
                             elementwise.getOutput(), elementwise.getBody());
        replaceIotasWithIndices(iotas);
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
  /// psum[f, p] = input[p, f], extended to f32.
  static void emulateTranspose(OpBuilder &b, TransposeOp transpose) {
    Location loc = transpose.getLoc();
    MLIRContext *ctx = b.getContext();
    AffineExpr p, f;
    bindDims(ctx, f, p);
    SmallVector<AffineMap> maps = {AffineMap::get(2, 0, {p, f}, ctx),
                                   AffineMap::get(2, 0, {f, p}, ctx)};
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    Type f32 = transpose.getPsum().getType().getElementType();
    linalg::GenericOp::create(
        b, loc, transpose.getInput(), transpose.getPsum(), maps, iterators,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value x = args[0];
          if (x.getType() != f32)
            x = arith::ExtFOp::create(nb, nloc, f32, x);
          linalg::YieldOp::create(nb, nloc, x);
        });
  }

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
