//===- SimtMatmul.cpp - Contractions on CUDA cores in a tile ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CUDA-core kernels of a fused tile
// (SimtMatmul.h): contractions in register blocks, and other reductions
// with their accumulators in registers.
//
// The R x C outputs of a batch are cut into blocks of TM x TN (8 x 8 at
// most): block (ur, uc) holds rows ur + i * nr and columns uc + j * nc,
// with nr = ceil(R / TM) and nc = ceil(C / TN) blocks down and across.
// Consecutive threads take consecutive uc, so a warp's loads of one
// operand row and its stores of C fall on consecutive addresses. A thread
// loads TM elements of the first operand and TN of the second per step of
// k and does TM x TN multiply-adds with them; its accumulators stay in
// registers for the whole reduction. The operands are read through the L1
// cache, with no shared memory and no barrier: the kernel is race-free
// thread by thread, which is what fungible-gpu-emulate-launches runs.
//
// Before, each thread computed one output at a time, reading and writing
// its accumulator in memory at every step: an H200 ran the TOSA
// transformer's 40x256x1536 f32 projection at 4 GFLOP/s.
//
// A reduction that is not such a contraction (a row's partial sums, their
// combination) runs one output a thread at a time, its accumulator
// carried through the reduction loops in a register: linalg's own loops
// load and store the output element at every step, so that unrolling
// them gained nothing (an H200's reductions were 2 to 12 times slower).
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/SimtMatmul.h"
#include "targets/LoweringSupport.h"
#include "targets/gpu/GpuSchedule.h"
#include "targets/gpu/TensorCores.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace fungible::gpu_kernels {

namespace {

/// The product of `ranges` at `dims`.
int64_t extent(ArrayRef<int64_t> ranges, ArrayRef<unsigned> dims) {
  int64_t n = 1;
  for (unsigned d : dims)
    n *= ranges[d];
  return n;
}

/// Sets `values` at `dims` to `linear` delinearised over their ranges (the
/// last fastest); returns what is left of `linear` past them.
Value delinearize(IndexMath &im, Value linear, ArrayRef<unsigned> dims,
                  ArrayRef<int64_t> ranges, MutableArrayRef<Value> values) {
  for (unsigned d : llvm::reverse(dims)) {
    values[d] = im.rem(linear, ranges[d]);
    linear = im.div(linear, ranges[d]);
  }
  return linear;
}

/// The indices of an operand read through `map` with the loops at `dims`
/// (an affine.apply for an expression that is not a loop).
SmallVector<Value> indicesAt(OpBuilder &b, Location loc, AffineMap map,
                             ArrayRef<Value> dims, Value zero) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      indices.push_back(dims[dim.getPosition()]);
      continue;
    }
    // Only the loops the expression reads are operands (the others may
    // have no value here).
    SmallVector<Value> used;
    for (unsigned d = 0; d < dims.size(); ++d)
      used.push_back(expr.isFunctionOfDim(d) ? dims[d] : zero);
    indices.push_back(affine::AffineApplyOp::create(
        b, loc, AffineMap::get(dims.size(), 0, expr), used));
  }
  return indices;
}

/// Opens the loops `reductions` (of `ranges`) nested in their order at the
/// insertion point, carrying `init`, and leaves the insertion point in the
/// innermost one, which steps by 4 or 2 where that divides it (the caller
/// unrolls its body: the kernel's loop bounds are parameters, which LLVM
/// would not unroll). Returns the loops, outermost first.
SmallVector<scf::ForOp> openReductionLoops(OpBuilder &b, Location loc,
                                           ArrayRef<unsigned> reductions,
                                           ArrayRef<int64_t> ranges,
                                           ValueRange init) {
  IndexMath im{b, loc};
  SmallVector<scf::ForOp> loops;
  SmallVector<Value> carried(init);
  for (auto [index, d] : llvm::enumerate(reductions)) {
    bool innermost = index + 1 == reductions.size();
    int64_t step = !innermost           ? 1
                   : ranges[d] % 4 == 0 ? 4
                   : ranges[d] % 2 == 0 ? 2
                                        : 1;
    auto loop = scf::ForOp::create(b, loc, im.c(0), im.c(ranges[d]), im.c(step),
                                   carried);
    if (!loops.empty())
      scf::YieldOp::create(b, loc, loop.getResults());
    b.setInsertionPointToStart(loop.getBody());
    loops.push_back(loop);
    carried.assign(loop.getRegionIterArgs().begin(),
                   loop.getRegionIterArgs().end());
  }
  return loops;
}

/// Sets `dims` at `reductions` to the loops' values, the innermost at its
/// induction variable plus `offset` (a step of its unrolled body).
void setReductionDims(IndexMath &im, ArrayRef<scf::ForOp> loops,
                      ArrayRef<unsigned> reductions, int64_t offset,
                      MutableArrayRef<Value> dims) {
  for (auto [index, d] : llvm::enumerate(reductions)) {
    scf::ForOp loop = loops[index];
    dims[d] = loop.getInductionVar();
  }
  dims[reductions.back()] = im.add(dims[reductions.back()], offset);
}

/// Emits the linalg body `body` on `args` (its block arguments' values),
/// its index ops at `dims`; returns the value it yields.
Value applyBody(OpBuilder &b, Block *body, ArrayRef<Value> args,
                ArrayRef<Value> dims) {
  IRMapping mapping;
  mapping.map(body->getArguments(), args);
  for (Operation &inner : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), dims[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  return mapping.lookupOrDefault(body->getTerminator()->getOperand(0));
}

/// Whether `op`'s body is what the kernels here can emit: ops without
/// regions or memory effects (index ops included), one value yielded.
bool hasPlainBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  return body->getTerminator()->getNumOperands() == 1 &&
         llvm::all_of(body->without_terminator(), [](Operation &inner) {
           return isMemoryEffectFree(&inner) && inner.getNumRegions() == 0;
         });
}

/// A reduction on buffers the kernels here take: one output, written by
/// no other op of the tile (no results), which reads every parallel loop
/// and no other (each output is one thread's), at least one reduction
/// loop, every loop static, the inputs affine in the loops, a plain body.
struct Reduction {
  linalg::LinalgOp op;
  SmallVector<unsigned> parallel, reductions;
  SmallVector<int64_t> ranges;
};

std::optional<Reduction> matchReduction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op->getNumResults() != 0 || op.getNumReductionLoops() == 0 ||
      !hasPlainBody(op))
    return std::nullopt;
  Reduction red;
  red.op = op;
  red.ranges = op.getStaticLoopRanges();
  if (llvm::any_of(red.ranges, ShapedType::isDynamic))
    return std::nullopt;
  for (AffineMap map : op.getIndexingMapsArray())
    if (map.getNumSymbols())
      return std::nullopt;
  AffineMap out = op.getIndexingMapsArray().back();
  if (!out.isProjectedPermutation())
    return std::nullopt;
  llvm::SmallBitVector outDims(op.getNumLoops());
  for (unsigned r = 0; r < out.getNumResults(); ++r)
    outDims.set(out.getDimPosition(r));
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray())) {
    bool parallel = iterator == utils::IteratorType::parallel;
    if (parallel != outDims.test(d))
      return std::nullopt;
    (parallel ? red.parallel : red.reductions).push_back(d);
  }
  return red;
}

/// A contraction or convolution (a Reduction of two inputs):
/// out[batch, rows, cols] combined with in0[f(batch, rows, reductions)]
/// and in1[g(batch, cols, reductions)] by its body, the reduction loops in
/// order. `rows` are the parallel loops of more than one iteration only
/// the first input reads, `cols` those only the second reads, `batch` the
/// other parallel loops (a convolution's window, oh + kh, is affine).
struct SimtMatmul : Reduction {
  SmallVector<unsigned> rows, cols, batch;
};

std::optional<SimtMatmul> matchSimtMatmul(const Reduction &red) {
  linalg::LinalgOp op = red.op;
  if (op.getNumDpsInputs() != 2)
    return std::nullopt;
  SimtMatmul mm;
  static_cast<Reduction &>(mm) = red;
  // The loops each input's indices depend on.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  unsigned loops = op.getNumLoops();
  auto reads = [&](unsigned operand) {
    llvm::SmallBitVector dims(loops);
    for (AffineExpr expr : maps[operand].getResults())
      for (unsigned d = 0; d < loops; ++d)
        if (expr.isFunctionOfDim(d))
          dims.set(d);
    return dims;
  };
  llvm::SmallBitVector a = reads(0), bDims = reads(1);
  for (unsigned d : red.parallel) {
    if (!(a.test(d) || bDims.test(d)))
      return std::nullopt;
    // A loop of one iteration (a head of a tile) is a batch loop, whoever
    // reads it.
    if (red.ranges[d] == 1 || (a.test(d) && bDims.test(d)))
      mm.batch.push_back(d);
    else if (a.test(d))
      mm.rows.push_back(d);
    else
      mm.cols.push_back(d);
  }
  return mm;
}

/// Emits `mm` spread over `threads` threads (`tid` this one's id) without
/// barriers: each thread computes blocks of outputs in registers, each
/// output's accumulation in the reduction's order (the same bits as the
/// op's loops).
void buildSimtMatmul(OpBuilder &b, Location loc, const SimtMatmul &mm,
                     Value tid, int64_t threads) {
  IndexMath im{b, loc};
  ArrayRef<int64_t> ranges = mm.ranges;
  int64_t rows = extent(ranges, mm.rows), cols = extent(ranges, mm.cols);
  auto [tm, tn] = blockShape(rows, cols, threads);
  int64_t nr = ceilDiv(rows, tm), nc = ceilDiv(cols, tn);
  int64_t total = nr * nc * extent(ranges, mm.batch);
  linalg::LinalgOp op = mm.op;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<Value> operands = {op.getDpsInputs()[0], op.getDpsInputs()[1],
                                 op.getDpsInits()[0]};
  Block *body = op.getBlock();
  unsigned loops = op.getNumLoops();

  // Each thread takes the blocks tid, tid + threads, ...
  auto blocks = scf::ForOp::create(b, loc, tid, im.c(total), im.c(threads));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(blocks.getBody());
  // The batch loops' values at this block (outermost), then ur, uc.
  SmallVector<Value> dims(loops);
  Value rest = blocks.getInductionVar();
  Value uc = im.rem(rest, nc);
  rest = im.div(rest, nc);
  Value ur = rest;
  if (!mm.batch.empty()) {
    ur = im.rem(rest, nr);
    delinearize(im, im.div(rest, nr), mm.batch, ranges, dims);
  }
  // Row i and column j of the block, clamped into the tile (a block that
  // overhangs it computes a copy of an edge output and stores nothing
  // there), and whether they are inside.
  auto place = [&](Value first, int64_t index, int64_t stride,
                   int64_t size) -> std::pair<Value, Value> {
    Value at = im.add(first, index * stride);
    // first < stride: only a block whose last row could pass the tile's.
    if ((index + 1) * stride <= size)
      return {at, Value()};
    Value last = im.c(size - 1);
    return {arith::MinUIOp::create(b, loc, at, last), im.lt(at, size)};
  };
  // The row and column loops' values at each row and column of the block.
  SmallVector<SmallVector<Value>> rowDims, colDims;
  SmallVector<Value> rowIn, colIn;
  for (int64_t i = 0; i < tm; ++i) {
    auto [at, in] = place(ur, i, nr, rows);
    rowDims.emplace_back(loops);
    delinearize(im, at, mm.rows, ranges, rowDims.back());
    rowIn.push_back(in);
  }
  for (int64_t j = 0; j < tn; ++j) {
    auto [at, in] = place(uc, j, nc, cols);
    colDims.emplace_back(loops);
    delinearize(im, at, mm.cols, ranges, colDims.back());
    colIn.push_back(in);
  }
  // An operand's indices with the rows at block row i, the columns at
  // block column j (either ignored where the operand does not read them)
  // and the reduction loops at `kAt`.
  Value zero = im.c(0);
  auto setDims = [&](int64_t i, int64_t j, ArrayRef<Value> kAt) {
    for (unsigned d : mm.rows)
      dims[d] = rowDims[i][d];
    for (unsigned d : mm.cols)
      dims[d] = colDims[j][d];
    for (auto [d, v] : llvm::zip(mm.reductions, kAt))
      dims[d] = v;
  };
  auto indicesOf = [&](unsigned operand, int64_t i, int64_t j,
                       ArrayRef<Value> kAt) {
    setDims(i, j, kAt);
    return indicesAt(b, loc, maps[operand], dims, zero);
  };
  auto element = [&](unsigned operand, int64_t i, int64_t j,
                     ArrayRef<Value> kAt) -> Value {
    return memref::LoadOp::create(b, loc, operands[operand],
                                  indicesOf(operand, i, j, kAt));
  };
  SmallVector<Value> noReduction(mm.reductions.size(), zero);
  SmallVector<Value> init;
  for (int64_t i = 0; i < tm; ++i)
    for (int64_t j = 0; j < tn; ++j)
      init.push_back(element(2, i, j, noReduction));

  SmallVector<scf::ForOp> kLoops =
      openReductionLoops(b, loc, mm.reductions, ranges, init);
  SmallVector<Value> acc(kLoops.back().getRegionIterArgs());
  int64_t unroll = kLoops.back().getConstantStep()->getSExtValue();
  for (int64_t u = 0; u < unroll; ++u) {
    setReductionDims(im, kLoops, mm.reductions, u, dims);
    SmallVector<Value> at;
    for (unsigned d : mm.reductions)
      at.push_back(dims[d]);
    SmallVector<Value> lhs, rhs;
    for (int64_t i = 0; i < tm; ++i)
      lhs.push_back(element(0, i, 0, at));
    for (int64_t j = 0; j < tn; ++j)
      rhs.push_back(element(1, 0, j, at));
    for (int64_t i = 0; i < tm; ++i)
      for (int64_t j = 0; j < tn; ++j) {
        // The body's index ops read the loops at this output.
        setDims(i, j, at);
        acc[i * tn + j] =
            applyBody(b, body, {lhs[i], rhs[j], acc[i * tn + j]}, dims);
      }
  }
  scf::YieldOp::create(b, loc, acc);
  b.setInsertionPointAfter(kLoops.front());
  for (int64_t i = 0; i < tm; ++i)
    for (int64_t j = 0; j < tn; ++j) {
      OpBuilder::InsertionGuard store(b);
      SmallVector<Value, 2> inside;
      for (Value in : {rowIn[i], colIn[j]})
        if (in)
          inside.push_back(in);
      if (Value cond = im.all(inside)) {
        auto ifOp = scf::IfOp::create(b, loc, cond);
        b.setInsertionPointToStart(ifOp.thenBlock());
      }
      memref::StoreOp::create(b, loc, kLoops.front().getResult(i * tn + j),
                              operands[2], indicesOf(2, i, j, noReduction));
    }
}

/// Emits `red` spread over `threads` threads (`tid` this one's id): each
/// thread takes its outputs one at a time, the accumulator carried in a
/// register through the reduction loops (in their order: the same bits as
/// the op's loops, which would load and store the output element at every
/// step), the innermost unrolled by 4 or 2 where that divides it.
void buildRegisterReduction(OpBuilder &b, Location loc, const Reduction &red,
                            Value tid, int64_t threads) {
  IndexMath im{b, loc};
  linalg::LinalgOp op = red.op;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  Block *body = op.getBlock();
  Value out = op.getDpsInits()[0];
  // Each thread takes the outputs tid, tid + threads, ...
  auto points = scf::ForOp::create(
      b, loc, tid, im.c(extent(red.ranges, red.parallel)), im.c(threads));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(points.getBody());
  SmallVector<Value> dims(op.getNumLoops());
  delinearize(im, points.getInductionVar(), red.parallel, red.ranges, dims);
  Value zero = im.c(0);
  SmallVector<Value> outIndices = indicesAt(b, loc, maps.back(), dims, zero);
  Value init = memref::LoadOp::create(b, loc, out, outIndices);
  SmallVector<scf::ForOp> loops =
      openReductionLoops(b, loc, red.reductions, red.ranges, init);
  Value acc = loops.back().getRegionIterArgs()[0];
  int64_t unroll = loops.back().getConstantStep()->getSExtValue();
  for (int64_t u = 0; u < unroll; ++u) {
    setReductionDims(im, loops, red.reductions, u, dims);
    SmallVector<Value> args;
    for (auto [input, map] : llvm::zip(op.getDpsInputs(), maps))
      args.push_back(memref::LoadOp::create(
          b, loc, input, indicesAt(b, loc, map, dims, zero)));
    args.push_back(acc);
    acc = applyBody(b, body, args, dims);
  }
  scf::YieldOp::create(b, loc, acc);
  b.setInsertionPointAfter(loops.front());
  memref::StoreOp::create(b, loc, loops.front().getResult(0), out, outIndices);
}

} // namespace

bool lowerOnCudaCores(linalg::LinalgOp op, Value tid, int64_t threads) {
  std::optional<Reduction> red = matchReduction(op);
  if (!red)
    return false;
  OpBuilder b(op);
  if (std::optional<SimtMatmul> mm = matchSimtMatmul(*red))
    buildSimtMatmul(b, op->getLoc(), *mm, tid, threads);
  else
    buildRegisterReduction(b, op->getLoc(), *red, tid, threads);
  op->erase();
  return true;
}

} // namespace fungible::gpu_kernels
