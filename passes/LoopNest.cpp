//===- LoopNest.cpp - Loop nests over buffers, analysed --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "passes/LoopNest.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace fungible;

FailureOr<LoopNest> LoopNest::analyze(Operation *root) {
  LoopNest nest;
  nest.root = root;

  WalkResult result = root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    auto loop = dyn_cast<LoopLikeOpInterface>(op);
    if (!loop) {
      if (op->getNumRegions())
        return WalkResult::interrupt(); // an scf.if, a parallel loop, ...
      return WalkResult::advance();
    }
    std::optional<Value> iv = loop.getSingleInductionVar();
    std::optional<OpFoldResult> lb = loop.getSingleLowerBound(),
                                ub = loop.getSingleUpperBound(),
                                step = loop.getSingleStep();
    if (!isa<scf::ForOp, affine::AffineForOp>(op) || !iv || !lb || !ub || !step)
      return WalkResult::interrupt();
    std::optional<int64_t> l = getConstantIntValue(*lb),
                           u = getConstantIntValue(*ub),
                           s = getConstantIntValue(*step);
    if (!l || !u || !s || *s <= 0 || *u <= *l)
      return WalkResult::interrupt();
    nest.loopId[op] = nest.loops.size();
    nest.ivLoop[*iv] = nest.loops.size();
    nest.loops.push_back({loop, *l, *s, (*u - *l + *s - 1) / *s});
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    return failure();
  return nest;
}

bool LoopNest::contains(Value v) const {
  Operation *def = v.getDefiningOp();
  if (!def)
    def = v.getParentBlock()->getParentOp();
  return def == root || root->isProperAncestor(def);
}

std::optional<unsigned> LoopNest::idOf(Operation *op) const {
  if (auto it = loopId.find(op); it != loopId.end())
    return it->second;
  return std::nullopt;
}

std::optional<unsigned> LoopNest::loopOfIv(Value v) const {
  if (auto it = ivLoop.find(v); it != ivLoop.end())
    return it->second;
  return std::nullopt;
}

FailureOr<SmallVector<Linear>> LoopNest::evalMap(AffineMap map,
                                                 ValueRange operands) const {
  SmallVector<Linear> values;
  for (Value operand : operands) {
    FailureOr<Linear> l = linear(operand);
    if (failed(l))
      return failure();
    values.push_back(*l);
  }
  unsigned numDims = map.getNumDims();
  std::function<FailureOr<Linear>(AffineExpr)> eval =
      [&](AffineExpr e) -> FailureOr<Linear> {
    if (auto d = dyn_cast<AffineDimExpr>(e))
      return values[d.getPosition()];
    if (auto s = dyn_cast<AffineSymbolExpr>(e))
      return values[numDims + s.getPosition()];
    if (auto k = dyn_cast<AffineConstantExpr>(e))
      return Linear::of(k.getValue());
    auto bin = dyn_cast<AffineBinaryOpExpr>(e);
    if (!bin)
      return failure();
    FailureOr<Linear> l = eval(bin.getLHS()), r = eval(bin.getRHS());
    if (failed(l) || failed(r))
      return failure();
    if (e.getKind() == AffineExprKind::Add)
      return l->plus(*r);
    if (e.getKind() == AffineExprKind::Mul && r->isConstant())
      return l->scaled(r->constant);
    if (e.getKind() == AffineExprKind::Mul && l->isConstant())
      return r->scaled(l->constant);
    return failure(); // mod, floordiv, ceildiv
  };
  SmallVector<Linear> results;
  for (AffineExpr e : map.getResults()) {
    FailureOr<Linear> l = eval(e);
    if (failed(l))
      return failure();
    results.push_back(*l);
  }
  return results;
}

FailureOr<Linear> LoopNest::linear(Value v) const {
  if (auto it = ivLoop.find(v); it != ivLoop.end()) {
    const Loop &l = loops[it->second];
    Linear r = Linear::of(l.lb);
    r.terms.push_back({it->second, l.step});
    return r;
  }
  APInt c;
  if (matchPattern(v, m_ConstantInt(&c)))
    return Linear::of(c.getSExtValue());
  if (!contains(v)) {
    if (!v.getType().isIndex())
      return failure();
    Linear r;
    r.symbols.push_back({v, 1});
    return r;
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return failure();
  auto binary = [&](auto combine) -> FailureOr<Linear> {
    FailureOr<Linear> l = linear(def->getOperand(0)),
                      r = linear(def->getOperand(1));
    if (failed(l) || failed(r))
      return failure();
    return combine(*l, *r);
  };
  if (isa<arith::AddIOp>(def))
    return binary([](Linear &l, Linear &r) { return l.plus(r); });
  if (isa<arith::SubIOp>(def))
    return binary([](Linear &l, Linear &r) { return l.plus(r.scaled(-1)); });
  if (isa<arith::MulIOp>(def))
    return binary([](Linear &l, Linear &r) -> FailureOr<Linear> {
      if (r.isConstant())
        return l.scaled(r.constant);
      if (l.isConstant())
        return r.scaled(l.constant);
      return failure();
    });
  if (auto apply = dyn_cast<affine::AffineApplyOp>(def)) {
    FailureOr<SmallVector<Linear>> results =
        evalMap(apply.getAffineMap(), apply.getMapOperands());
    if (failed(results))
      return failure();
    return results->front();
  }
  return failure();
}

FailureOr<SmallVector<Linear>> LoopNest::indices(Operation *access) const {
  // memref.load/store and tensor.extract index with values, each linear.
  std::optional<ValueRange> plain;
  if (auto load = dyn_cast<memref::LoadOp>(access))
    plain = load.getIndices();
  else if (auto store = dyn_cast<memref::StoreOp>(access))
    plain = store.getIndices();
  else if (auto extract = dyn_cast<tensor::ExtractOp>(access))
    plain = extract.getIndices();
  if (plain) {
    SmallVector<Linear> result;
    for (Value v : *plain) {
      FailureOr<Linear> l = linear(v);
      if (failed(l))
        return failure();
      result.push_back(*l);
    }
    return result;
  }
  // affine.load/store: the map over its operands.
  if (auto load = dyn_cast<affine::AffineLoadOp>(access))
    return evalMap(load.getAffineMap(), load.getMapOperands());
  if (auto store = dyn_cast<affine::AffineStoreOp>(access))
    return evalMap(store.getAffineMap(), store.getMapOperands());
  return failure();
}

Value LoopNest::bufferOf(Operation *access) {
  if (auto load = dyn_cast<memref::LoadOp>(access))
    return load.getMemRef();
  if (auto store = dyn_cast<memref::StoreOp>(access))
    return store.getMemRef();
  if (auto load = dyn_cast<affine::AffineLoadOp>(access))
    return load.getMemRef();
  if (auto store = dyn_cast<affine::AffineStoreOp>(access))
    return store.getMemRef();
  return {};
}

SmallVector<unsigned> LoopNest::loopsAround(Operation *op) const {
  SmallVector<unsigned> around;
  for (Operation *p = op->getParentOp(); p && p != root->getParentOp();
       p = p->getParentOp())
    if (auto it = loopId.find(p); it != loopId.end())
      around.push_back(it->second);
  std::reverse(around.begin(), around.end());
  return around;
}

LogicalResult
LoopNest::checkSplittable(function_ref<bool(Value)> isTracked) const {
  struct Access {
    Operation *op;
    Value buffer;
    SmallVector<Linear> index;
    SmallVector<unsigned> around;
    bool write;
  };
  SmallVector<Access> accesses;
  WalkResult walked = root->walk([&](Operation *op) {
    bool write = isa<memref::StoreOp, affine::AffineStoreOp>(op);
    if (!write && !isa<memref::LoadOp, affine::AffineLoadOp>(op)) {
      // Nothing else in the nest may touch memory.
      if (!isa<LoopLikeOpInterface>(op) &&
          !op->hasTrait<OpTrait::IsTerminator>() && !isPure(op))
        return WalkResult::interrupt();
      return WalkResult::advance();
    }
    FailureOr<SmallVector<Linear>> index = indices(op);
    if (failed(index) || !isTracked(bufferOf(op)))
      return WalkResult::interrupt();
    accesses.push_back({op, bufferOf(op), *index, loopsAround(op), write});
    return WalkResult::advance();
  });
  if (walked.wasInterrupted())
    return failure();
  // The part of an index outside `shared`'s loops and the symbols: its
  // smallest and largest values.
  auto range = [&](const Linear &l, unsigned skip) {
    int64_t lo = l.constant, hi = l.constant;
    for (auto [loop, c] : l.terms) {
      if (loop == skip)
        continue;
      int64_t span = c * (loops[loop].trip - 1);
      (span < 0 ? lo : hi) += span;
    }
    return std::make_pair(lo, hi);
  };
  for (const Access &w : accesses) {
    if (!w.write)
      continue;
    for (const Access &a : accesses) {
      if (&a == &w || a.buffer != w.buffer)
        continue;
      unsigned n = 0;
      while (n < w.around.size() && n < a.around.size() &&
             w.around[n] == a.around[n])
        ++n;
      ArrayRef<unsigned> shared = ArrayRef(w.around).take_front(n);
      for (unsigned loop : shared) {
        // Some dim where both take `coef * loop` plus the same symbols and
        // parts that together stay within one step of `loop`.
        bool disjoint =
            llvm::any_of(llvm::seq<size_t>(0, w.index.size()), [&](size_t d) {
              const Linear &x = w.index[d], &y = a.index[d];
              int64_t c = x.coefficient(loop);
              if (c == 0 || y.coefficient(loop) != c || !x.sameSymbols(y))
                return false;
              for (const Linear *l : {&x, &y})
                for (auto [other, k] : l->terms)
                  if (other != loop && llvm::is_contained(shared, other))
                    return false;
              auto [xl, xh] = range(x, loop);
              auto [yl, yh] = range(y, loop);
              return std::max(xh, yh) - std::min(xl, yl) < std::abs(c);
            });
        if (!disjoint)
          return failure();
      }
    }
  }
  return success();
}
