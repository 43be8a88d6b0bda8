//===- MatmulEpilogues.cpp - Elementwise ops fused into a matmul -*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/MatmulEpilogues.h"
#include "targets/LayoutCopies.h"
#include "targets/LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace fungible {
namespace {

/// Whether `strides` step through `shape` in row-major order (unit
/// dimensions aside).
bool isRowMajor(ArrayRef<int64_t> shape, ArrayRef<int64_t> strides) {
  int64_t stride = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (shape[d] != 1 && strides[d] != stride)
      return false;
    stride *= shape[d];
  }
  return true;
}

/// Whether a generic over `loops` (writing a row-major output of that
/// shape) reads a row-major buffer of `shape` through `map` at the element
/// it writes: the same row-major index.
bool readsInOrder(AffineMap map, ArrayRef<int64_t> shape,
                  ArrayRef<int64_t> loops) {
  return isRowMajor(loops, indexingStrides(map, shape, loops.size()));
}

/// Whether a generic over `loops` reads a row-major buffer of `shape` (a
/// reshape of one row) through `map` at its last loop's index, whatever
/// its other loops' (a row broadcast over them).
bool readsColumns(AffineMap map, ArrayRef<int64_t> shape,
                  ArrayRef<int64_t> loops) {
  SmallVector<int64_t> strides = indexingStrides(map, shape, loops.size());
  for (int64_t d = 0, e = loops.size(); d < e; ++d)
    if (loops[d] != 1 && strides[d] != (d + 1 == e ? 1 : 0))
      return false;
  return true;
}

/// The reshapes from `carried` to `value` (the input of an epilogue),
/// each the only reader of the one before; nothing when `value` is not
/// `carried` or such a reshape of it.
std::optional<SmallVector<Operation *>> reshapesOf(Value value, Value carried) {
  SmallVector<Operation *> reshapes;
  while (value != carried) {
    Operation *def = value.getDefiningOp();
    if (!isa_and_nonnull<memref::ExpandShapeOp, memref::CollapseShapeOp>(def) ||
        !value.hasOneUse())
      return std::nullopt;
    reshapes.insert(reshapes.begin(), def);
    value = def->getOperand(0);
  }
  return reshapes;
}

/// Whether `buffer` (a memref.alloc) is only used by `users` and freed.
bool onlyUsedBy(Value buffer, ArrayRef<Operation *> users) {
  return buffer.getDefiningOp<memref::AllocOp>() &&
         llvm::all_of(buffer.getUsers(), [&](Operation *user) {
           return isa<memref::DeallocOp>(user) ||
                  llvm::is_contained(users, user);
         });
}

/// Whether `value` is available before `matmul`: defined before it, or by
/// memory-effect-free ops after it in its block whose operands are; adds
/// those ops to `hoisted` (once each).
bool collectHoistable(Value value, Operation *matmul,
                      SmallVectorImpl<Operation *> &hoisted) {
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != matmul->getBlock() ||
      def->isBeforeInBlock(matmul) || llvm::is_contained(hoisted, def))
    return true;
  if (def == matmul || !isMemoryEffectFree(def) || def->getNumRegions())
    return false;
  for (Value operand : def->getOperands())
    if (!collectHoistable(operand, matmul, hoisted))
      return false;
  hoisted.push_back(def);
  return true;
}

} // namespace

namespace {

/// collectMatmulEpilogues' chain, its first op `first` (or the first op
/// after the matmul), `c` read by `readers` too (the other branches' first
/// ops); `bytesLeft` is what the chain takes from.
SmallVector<MatmulEpilogue> collectChain(
    linalg::LinalgOp matmul, Value c, Operation *fill, Operation *first,
    ArrayRef<Operation *> readers, int64_t tileElements, int64_t &bytesLeft,
    int64_t broadcastTileElements, int64_t tileRows, int64_t tileCols) {
  SmallVector<MatmulEpilogue> chain;
  auto cType = cast<MemRefType>(c.getType());
  int64_t elements = cType.getNumElements();
  int64_t columns = cType.getShape().back();
  // A one-row product may be broadcast over rows by the chain's last op.
  bool oneRow = broadcastTileElements && elements == columns;
  Value carried = c;
  Operation *producer = matmul;
  for (Operation *next = first; next; next = next->getNextNode()) {
    // Past allocations, frees and pure ops: nothing in between writes what
    // the epilogue reads, so its reads can move to the matmul.
    if (isa<memref::AllocOp, memref::DeallocOp>(next) ||
        isMemoryEffectFree(next))
      continue;
    auto generic = dyn_cast<linalg::GenericOp>(next);
    if (!generic || generic.getNumDpsInits() != 1 ||
        generic.getNumReductionLoops() != 0 ||
        !generic.getIndexingMapsArray().back().isIdentity() ||
        !generic.getBody()->getArguments().back().use_empty() ||
        !generic.getBody()->getOps<linalg::IndexOp>().empty())
      break;
    // It runs over the product's shape, or a reshape of it; or, as a
    // broadcast stage, over rows of the product's columns.
    Value output = generic.getDpsInits()[0];
    auto alloc = output.getDefiningOp<memref::AllocOp>();
    if (!alloc || alloc->getNumOperands() || !isPlainMemRef(output))
      break;
    auto outputType = cast<MemRefType>(output.getType());
    ArrayRef<int64_t> loops = outputType.getShape();
    MatmulEpilogue epilogue{generic, {}, {}, {}, output, {}, {}};
    if (outputType.getNumElements() != elements) {
      if (!oneRow || loops.empty() || loops.back() != columns)
        break;
      epilogue.broadcastRows = outputType.getNumElements() / columns;
    }
    SmallVector<int64_t> shape = epilogue.viewShape(c);
    int64_t perTile =
        epilogue.broadcastRows ? broadcastTileElements : tileElements;
    bool ok = true;
    // Its result tile, and a tile of each other input.
    int64_t bytes = perTile * byteWidth(outputType.getElementType());
    for (OpOperand *input : generic.getDpsInputOperands()) {
      AffineMap map = generic.getMatchingIndexingMap(input);
      auto type = dyn_cast<MemRefType>(input->get().getType());
      if (!type || !isPlainMemRef(input->get()) ||
          !map.isProjectedPermutation(/*allowZeroInResults=*/true)) {
        ok = false;
        break;
      }
      // The value the chain carries, read in order (x * x reads it twice).
      std::optional<SmallVector<Operation *>> reshapes =
          reshapesOf(input->get(), carried);
      bool carriedRead =
          llvm::any_of(epilogue.views, [](Value v) { return !v; });
      if (reshapes && (!carriedRead || reshapes->empty()) &&
          (epilogue.broadcastRows
               ? readsColumns(map, type.getShape(), loops)
               : readsInOrder(map, type.getShape(), loops))) {
        if (!reshapes->empty())
          epilogue.reshapes.assign(reshapes->begin(), reshapes->end());
        epilogue.views.push_back(Value());
        epilogue.strides.emplace_back();
        epilogue.periods.emplace_back();
        continue;
      }
      if (input->get() == c || reshapes) {
        ok = false;
        break;
      }
      // Read where the matmul is: defined before it, or by pure ops (a
      // constant's get_global and reshape) that can move there; over the
      // product's shape (the stage's) at fixed strides.
      // A run it repeats along a dimension needs tiles within one run.
      SmallVector<int64_t> periods;
      bool periodic = tileRows && !epilogue.broadcastRows;
      std::optional<SmallVector<int64_t>> strides = reshapeStrides(
          loops, indexingStrides(map, type.getShape(), loops.size()), shape,
          periodic ? &periods : nullptr);
      for (auto [d, period] : llvm::enumerate(periods)) {
        int64_t rank = shape.size(), extent = 1;
        if (static_cast<int64_t>(d) == rank - 2)
          extent = tileRows;
        else if (static_cast<int64_t>(d) == rank - 1)
          extent = tileCols;
        if (period && period % extent)
          strides.reset();
      }
      if (!strides ||
          !collectHoistable(input->get(), matmul, epilogue.hoisted)) {
        ok = false;
        break;
      }
      bytes += perTile * byteWidth(type.getElementType());
      epilogue.views.push_back(input->get());
      epilogue.strides.push_back(*strides);
      epilogue.periods.push_back(periods);
    }
    bool reads = llvm::any_of(epilogue.views, [](Value v) { return !v; });
    if (!ok || !reads || bytes > bytesLeft)
      break;
    SmallVector<Operation *> users = {producer};
    users.push_back(epilogue.reshapes.empty() ? next : epilogue.reshapes[0]);
    if (carried == c) {
      if (fill)
        users.push_back(fill);
      users.append(readers.begin(), readers.end());
    }
    if (!onlyUsedBy(carried, users))
      break;
    bytesLeft -= bytes;
    chain.push_back(epilogue);
    if (epilogue.broadcastRows)
      break; // Nothing follows a broadcast stage on chip.
    carried = output;
    producer = next;
  }
  return chain;
}

} // namespace

SmallVector<MatmulEpilogue>
collectMatmulEpilogues(linalg::LinalgOp matmul, Value c, Operation *fill,
                       int64_t tileElements, int64_t bytesLeft,
                       int64_t broadcastTileElements, int64_t tileRows,
                       int64_t tileCols) {
  return collectChain(matmul, c, fill, matmul->getNextNode(), {}, tileElements,
                      bytesLeft, broadcastTileElements, tileRows, tileCols);
}

EpilogueBranches
collectMatmulEpilogueBranches(linalg::LinalgOp matmul, Value c, Operation *fill,
                              int64_t tileElements, int64_t bytesLeft,
                              int64_t broadcastTileElements, int64_t tileRows,
                              int64_t tileCols) {
  // The ops other than the matmul, its fill and frees that read `c`.
  SmallVector<Operation *> readers;
  for (Operation *user : c.getUsers())
    if (user != matmul.getOperation() && user != fill &&
        !isa<memref::DeallocOp>(user) && !llvm::is_contained(readers, user))
      readers.push_back(user);
  if (readers.size() < 2 || readers.size() > kMaxEpilogueBranches ||
      !llvm::all_of(readers, [&](Operation *r) {
        return isa<linalg::GenericOp>(r) && r->getBlock() == matmul->getBlock();
      }))
    return EpilogueBranches{
        collectMatmulEpilogues(matmul, c, fill, tileElements, bytesLeft,
                               broadcastTileElements, tileRows, tileCols)};
  llvm::sort(readers,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  // Each reader starts a chain; every one must, or the product is stored
  // for the readers left and no branch is taken.
  EpilogueBranches branches;
  for (Operation *reader : readers) {
    SmallVector<Operation *> others;
    for (Operation *other : readers)
      if (other != reader)
        others.push_back(other);
    SmallVector<MatmulEpilogue> chain =
        collectChain(matmul, c, fill, reader, others, tileElements, bytesLeft,
                     /*broadcastTileElements=*/0, tileRows, tileCols);
    if (chain.empty() || chain.front().op != reader)
      return EpilogueBranches(1);
    branches.push_back(std::move(chain));
  }
  // A chain's reads move to the matmul: no op between the matmul and its
  // first op (but the branches' own) may write what it reads besides the
  // product (an operand a chain hoisted is a constant's view, or defined
  // before the matmul and perhaps written after it).
  SmallVector<Operation *> members;
  for (const SmallVector<MatmulEpilogue> &chain : branches)
    for (const MatmulEpilogue &e : chain)
      members.push_back(e.op);
  for (const SmallVector<MatmulEpilogue> &chain : branches)
    for (Operation *op = matmul->getNextNode(); op != chain.front().op;
         op = op->getNextNode()) {
      if (isa<memref::AllocOp, memref::DeallocOp>(op) ||
          llvm::is_contained(members, op))
        continue;
      for (const MatmulEpilogue &e : chain)
        for (Value view : e.views)
          if (view && writesTo(op, baseOf(view)))
            return EpilogueBranches(1);
    }
  return branches;
}

SmallVector<Value> MatmulEpilogue::operandIndices(OpBuilder &b, Location loc,
                                                  unsigned input,
                                                  ValueRange indices) const {
  SmallVector<Value> at(indices);
  for (auto [d, period] : llvm::enumerate(periods[input]))
    if (period)
      at[d] = arith::RemUIOp::create(
          b, loc, at[d], arith::ConstantIndexOp::create(b, loc, period));
  return at;
}

SmallVector<int64_t> MatmulEpilogue::viewShape(Value c) const {
  ArrayRef<int64_t> shape = cast<MemRefType>(c.getType()).getShape();
  if (broadcastRows)
    return {broadcastRows, shape.back()};
  return SmallVector<int64_t>(shape);
}

void prepareMatmulEpilogues(OpBuilder &b, linalg::LinalgOp matmul, Value c,
                            MutableArrayRef<MatmulEpilogue> epilogues) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(matmul);
  for (MatmulEpilogue &e : epilogues) {
    // Operands first, each after those it uses (collectHoistable's order);
    // an earlier epilogue's may have moved some already.
    for (Operation *op : e.hoisted)
      if (matmul->isBeforeInBlock(op))
        op->moveBefore(matmul);
    // The program writes the epilogue's buffer where the matmul is.
    if (Operation *alloc = e.output.getDefiningOp();
        matmul->isBeforeInBlock(alloc))
      alloc->moveBefore(matmul);
    for (auto [view, strides, periods] :
         llvm::zip(e.views, e.strides, e.periods)) {
      // A periodic dimension's view spans one run.
      SmallVector<int64_t> shape = e.viewShape(c);
      for (auto [d, period] : llvm::enumerate(periods))
        if (period)
          shape[d] = period;
      if (view && !(cast<MemRefType>(view.getType()).getShape() ==
                        ArrayRef<int64_t>(shape) &&
                    isRowMajor(shape, strides)))
        view = stridedView(b, matmul.getLoc(), view, shape, strides);
    }
  }
}

void eraseMatmulEpilogues(Value c, ArrayRef<MatmulEpilogue> epilogues) {
  eraseMatmulEpilogues(
      c, EpilogueBranches{SmallVector<MatmulEpilogue>(epilogues)});
}

void eraseMatmulEpilogues(Value c, const EpilogueBranches &branches) {
  if (llvm::all_of(branches, [](const auto &b) { return b.empty(); }))
    return;
  SmallVector<Value> dead = {c};
  for (ArrayRef<MatmulEpilogue> epilogues : branches) {
    for (const MatmulEpilogue &e : epilogues) {
      e.op->erase();
      for (Operation *reshape : llvm::reverse(e.reshapes))
        reshape->erase();
      dead.push_back(e.output);
    }
    if (!epilogues.empty())
      dead.pop_back(); // The branch's last result: what it stores.
  }
  for (Value buffer : dead) {
    for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
      user->erase(); // Frees: nothing else uses it now.
    buffer.getDefiningOp()->erase();
  }
}

} // namespace fungible
