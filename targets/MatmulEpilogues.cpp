//===- MatmulEpilogues.cpp - Elementwise ops fused into a matmul -*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/MatmulEpilogues.h"
#include "targets/LoweringSupport.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace fungible {
namespace {

/// The view of `input` (a plain memref read through `map`, a projected
/// permutation that may read unit dimensions at 0) with `shape`, one
/// dimension per loop: the strides of the input's dimensions that each loop
/// indexes, 0 for the loops it does not.
Value broadcastView(OpBuilder &b, Location loc, Value input, AffineMap map,
                    ArrayRef<int64_t> shape) {
  auto type = cast<MemRefType>(input.getType());
  if (map.isIdentity())
    return input;
  SmallVector<int64_t> inputStrides(type.getRank(), 1);
  for (int64_t d = type.getRank() - 1; d > 0; --d)
    inputStrides[d - 1] = inputStrides[d] * type.getDimSize(d);
  SmallVector<int64_t> strides(shape.size(), 0);
  // A result 0 (a unit dimension read at 0) moves nothing.
  for (auto [d, result] : llvm::enumerate(map.getResults()))
    if (auto dim = dyn_cast<AffineDimExpr>(result))
      strides[dim.getPosition()] += inputStrides[d];
  return stridedView(b, loc, input, shape, strides);
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

SmallVector<MatmulEpilogue> collectMatmulEpilogues(linalg::LinalgOp matmul,
                                                   Value c, Operation *fill,
                                                   int64_t tileElements,
                                                   int64_t bytesLeft) {
  SmallVector<MatmulEpilogue> chain;
  auto cType = cast<MemRefType>(c.getType());
  Value carried = c;
  Operation *producer = matmul;
  for (Operation *next = matmul->getNextNode(); next;
       next = next->getNextNode()) {
    // Past allocations, frees and pure ops: nothing in between writes what
    // the epilogue reads, so its reads can move to the matmul.
    if (isa<memref::AllocOp, memref::DeallocOp>(next) ||
        isMemoryEffectFree(next))
      continue;
    auto generic = dyn_cast<linalg::GenericOp>(next);
    if (!generic || generic.getNumDpsInits() != 1 ||
        generic.getNumLoops() != cType.getRank() ||
        generic.getNumReductionLoops() != 0 ||
        !generic.getIndexingMapsArray().back().isIdentity() ||
        !generic.getBody()->getArguments().back().use_empty() ||
        !generic.getBody()->getOps<linalg::IndexOp>().empty())
      break;
    Value output = generic.getDpsInits()[0];
    auto alloc = output.getDefiningOp<memref::AllocOp>();
    if (!alloc || alloc->getNumOperands() || !isPlainMemRef(output) ||
        output.getType() !=
            MemRefType::get(
                cType.getShape(),
                cast<MemRefType>(output.getType()).getElementType()))
      break;
    SmallVector<Operation *> users = {producer, next};
    if (fill && carried == c)
      users.push_back(fill);
    if (!onlyUsedBy(carried, users))
      break;
    MatmulEpilogue epilogue{generic, {}, output};
    bool reads = false, ok = true;
    // Its result tile, and a tile of each other input.
    int64_t bytes =
        tileElements *
        byteWidth(cast<MemRefType>(output.getType()).getElementType());
    for (OpOperand *input : generic.getDpsInputOperands()) {
      AffineMap map = generic.getMatchingIndexingMap(input);
      if (input->get() == carried && map.isIdentity()) {
        reads = true;
        epilogue.views.push_back(Value());
        continue;
      }
      if (input->get() == c || !isPlainMemRef(input->get()) ||
          !map.isProjectedPermutation(/*allowZeroInResults=*/true) ||
          map.getNumResults() == 0) {
        ok = false;
        break;
      }
      // Read where the matmul is: defined before it, or by pure ops (a
      // constant's get_global and reshape) that can move there.
      if (!collectHoistable(input->get(), matmul, epilogue.hoisted)) {
        ok = false;
        break;
      }
      bytes +=
          tileElements *
          byteWidth(cast<MemRefType>(input->get().getType()).getElementType());
      epilogue.views.push_back(input->get());
    }
    if (!ok || !reads || bytes > bytesLeft)
      break;
    bytesLeft -= bytes;
    chain.push_back(epilogue);
    carried = output;
    producer = next;
  }
  return chain;
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
    for (auto [index, view] : llvm::enumerate(e.views))
      if (view)
        view = broadcastView(
            b, matmul.getLoc(), view,
            e.op.getMatchingIndexingMap(e.op.getDpsInputOperand(index)),
            cast<MemRefType>(c.getType()).getShape());
  }
}

void eraseMatmulEpilogues(Value c, ArrayRef<MatmulEpilogue> epilogues) {
  if (epilogues.empty())
    return;
  SmallVector<Value> dead = {c};
  for (const MatmulEpilogue &e : epilogues) {
    e.op->erase();
    dead.push_back(e.output);
  }
  dead.pop_back();
  for (Value buffer : dead) {
    for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
      user->erase(); // Frees: nothing else uses it now.
    buffer.getDefiningOp()->erase();
  }
}

} // namespace fungible
