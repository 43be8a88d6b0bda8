//===- RaiseBufferLoops.cpp - wl-raise-buffer-loops -------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-raise-buffer-loops (Passes.td has the contract).
// A kernel of buffer code (wl-wrap-buffer-code's) is a closed world: each
// buffer in it is a fresh allocation, a copy of an input or an input read
// in place, so each buffer's contents are a tensor value, followed op by
// op. Each top-level loop nest is split into computations, emitted in
// program order, each a linalg.generic on those contents:
//
//  - a store: a parallel generic over the loops around it, whose result
//    is put back into the stored buffer's contents;
//  - a value a loop carries and combines with one op (a sum, a running
//    maximum): a reduction over the loops around the loop and the loop
//    itself;
//  - a float value computed in fewer loops than where it is used: a
//    parallel generic over its own loops, so its work is not repeated.
//
// Each load reads the contents as they were where it stands. Emitting the
// computations one after another, each over all of its iterations, is the
// nest's meaning when no element goes from one iteration of a loop two
// accesses share to another iteration of it: checked for every write and
// every other access to its buffer (each shared loop must select disjoint
// parts of the buffer in both).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "passes/LoopNest.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace fungible {
#define GEN_PASS_DEF_WORKLOADRAISEBUFFERLOOPSPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;

namespace {

/// How a computation over `domain` (loop ids) reads or writes a buffer's
/// contents: a slice (offsets, sizes, strides; dims read at one index keep
/// size 1), then a reshape that drops those dims and splits the others into
/// one dim per loop (a row index `64 * h + d` into [8, 64]), read through
/// `map`.
struct View {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  bool sliced = false;
  SmallVector<int64_t> slicedShape, kept, expanded;
  AffineMap map;
};

/// A value a computation's body uses, by how the body gets it.
struct Leaf {
  enum Kind { Input, Index, Outer, Op } kind;
  unsigned position = 0; // the input, or the domain dim
};

/// One generic being built: its loops, inputs and how its body gets each
/// value.
struct Computation {
  SmallVector<unsigned> domain;
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  llvm::DenseMap<Value, Leaf> leaves;

  unsigned addInput(Value tensor, AffineMap map) {
    for (unsigned i = 0; i < inputs.size(); ++i)
      if (inputs[i] == tensor && maps[i] == map)
        return i;
    inputs.push_back(tensor);
    maps.push_back(map);
    return inputs.size() - 1;
  }
};

/// A value computed over `loops` into `tensor`: a reduction's result or a
/// hoisted value (over the first loops of the domains that read it, with
/// the prefix identity map), or a stored value (read through `map`, the
/// store's, in a computation over the same loops).
struct Temp {
  Value tensor;
  SmallVector<unsigned> loops;
  AffineMap map;
};

/// Raises one kernel: its ops are replaced, in order, by tensor code built
/// before the kernel.
class Raiser {
public:
  explicit Raiser(wl::OpaqueOp kernel)
      : kernel(kernel), body(kernel.getBody().front()), b(kernel) {}

  /// Raises the kernel into ops before it; on failure erases them and
  /// leaves the kernel as it was.
  LogicalResult run();

private:
  /// Follows the body's buffers and raises its nests, then replaces the
  /// kernel's results.
  LogicalResult raiseBody();
  /// Program order through a nest: loads note the contents they read,
  /// stores and (after their loop) reductions are emitted.
  LogicalResult walk(Block &block);
  LogicalResult walkOp(Operation &op);
  /// The store's computation; the buffer's contents become its result.
  LogicalResult emitStore(Operation *store);
  /// The reduction of `loop`'s carried value `i`.
  LogicalResult emitReduction(const Loop &loop, unsigned i);

  /// How a computation over `domain` accesses a buffer of `type` at
  /// `index`; failure when some dim's index is not a row-major split of
  /// domain loops (or a constant or position), or leaves the buffer.
  FailureOr<View> view(ShapedType type, ArrayRef<Linear> index,
                       ArrayRef<unsigned> domain);
  /// `contents` as the view reads it, and `result` put back into it, at
  /// the location of the load or store (what a kernel made of it is named
  /// after).
  Value read(Value contents, const View &v, Location loc);
  Value writeBack(Value result, Value contents, const View &v, Location loc);
  /// An index without loops (a position and constants) as a value.
  Value materialize(const Linear &l);
  SmallVector<int64_t> shapeOf(ArrayRef<unsigned> loops);

  /// `v`, defined in the kernel's body outside the nests (or an input of
  /// the kernel), as a value before the kernel: pure scalar code is made
  /// again there.
  FailureOr<Value> outer(Value v);
  /// Says how the body of a generic over `c.domain` gets `v` and what it
  /// uses, adding inputs to `c` (and emitting hoisted values first).
  LogicalResult classify(Value v, Computation &c);
  /// `v` over `domain` (a parallel generic, or the input it is).
  FailureOr<Value> compute(Value v, ArrayRef<unsigned> domain);
  /// `v`, classified in `c`, over `c`'s loops into a tensor of `shape`
  /// indexed by `outMap` (a permutation of them): the input `v` is when it
  /// is read that way (a copy), else a parallel generic.
  Value parallel(Computation &c, Value v, ArrayRef<int64_t> shape,
                 AffineMap outMap, Location loc);
  /// `v` in the body of a generic of `c`, whose block arguments are
  /// `args`.
  Value emit(Value v, Computation &c, OpBuilder &nb, ValueRange args,
             IRMapping &bm);
  bool insideNest(Value v) const { return nest && nest->contains(v); }

  wl::OpaqueOp kernel;
  Block &body;
  OpBuilder b;
  /// The nest being raised.
  std::optional<LoopNest> nest;
  /// Each buffer's contents now, and each load's when it reads.
  llvm::DenseMap<Value, Value> contents;
  llvm::DenseMap<Operation *, Value> loadVersion;
  /// Reductions' results, hoisted values, stored values.
  llvm::DenseMap<Value, Temp> temps, stored;
  IRMapping outside;
};

//===----------------------------------------------------------------------===//
// Views of contents
//===----------------------------------------------------------------------===//

SmallVector<int64_t> Raiser::shapeOf(ArrayRef<unsigned> ls) {
  SmallVector<int64_t> shape;
  for (unsigned l : ls)
    shape.push_back(nest->loop(l).trip);
  return shape;
}

Value Raiser::materialize(const Linear &l) {
  Location loc = kernel.getLoc();
  Value sum = arith::ConstantIndexOp::create(b, loc, l.constant);
  for (auto [s, c] : l.symbols) {
    Value term = outside.lookup(s);
    if (c != 1)
      term = arith::MulIOp::create(b, loc, term,
                                   arith::ConstantIndexOp::create(b, loc, c));
    sum = arith::AddIOp::create(b, loc, sum, term);
  }
  return sum;
}

FailureOr<View> Raiser::view(ShapedType type, ArrayRef<Linear> index,
                             ArrayRef<unsigned> domain) {
  View v;
  SmallVector<AffineExpr> results;
  MLIRContext *ctx = kernel.getContext();
  for (auto [dim, l] : llvm::enumerate(index)) {
    int64_t size = type.getDimSize(dim);
    auto offset = [&]() -> OpFoldResult {
      if (l.symbols.empty())
        return b.getIndexAttr(l.constant);
      for (auto [s, c] : l.symbols)
        if (failed(outer(s)))
          return {};
      return materialize(l);
    };
    if (l.terms.empty()) {
      if (l.symbols.empty() && (l.constant < 0 || l.constant >= size))
        return failure();
      OpFoldResult off = offset();
      if (!off)
        return failure();
      v.offsets.push_back(off);
      v.sizes.push_back(b.getIndexAttr(1));
      v.strides.push_back(b.getIndexAttr(1));
      v.slicedShape.push_back(1);
      v.sliced |= size != 1 || !l.symbols.empty() || l.constant != 0;
      continue;
    }
    // Terms by decreasing coefficient, each the next one's stride times
    // its trip count: one dim per loop of a row-major split.
    SmallVector<std::pair<unsigned, int64_t>> terms(l.terms);
    llvm::sort(terms, [](auto &x, auto &y) { return x.second > y.second; });
    int64_t extent = 1;
    for (auto [i, t] : llvm::enumerate(terms)) {
      auto pos = llvm::find(domain, t.first);
      if (t.second <= 0 || pos == domain.end())
        return failure();
      if (i + 1 < terms.size() &&
          t.second != terms[i + 1].second * nest->loop(terms[i + 1].first).trip)
        return failure();
      results.push_back(getAffineDimExpr(pos - domain.begin(), ctx));
      v.expanded.push_back(nest->loop(t.first).trip);
      extent *= nest->loop(t.first).trip;
    }
    int64_t stride = terms.back().second;
    if (l.symbols.empty() &&
        (l.constant < 0 || l.constant + (extent - 1) * stride >= size))
      return failure();
    OpFoldResult off = offset();
    if (!off)
      return failure();
    v.offsets.push_back(off);
    v.sizes.push_back(b.getIndexAttr(extent));
    v.strides.push_back(b.getIndexAttr(stride));
    v.slicedShape.push_back(extent);
    v.kept.push_back(extent);
    v.sliced |=
        !l.symbols.empty() || l.constant != 0 || stride != 1 || extent != size;
  }
  v.map = AffineMap::get(domain.size(), 0, results, ctx);
  return v;
}

/// `value` reshaped to `shape` by a collapse or an expansion (unit dims
/// dropped or added, dims split or merged); itself when the shapes agree.
static Value reshape(OpBuilder &b, Location loc, Value value,
                     ArrayRef<int64_t> shape) {
  auto from = cast<RankedTensorType>(value.getType());
  if (from.getShape() == shape)
    return value;
  auto to = RankedTensorType::get(shape, from.getElementType());
  std::optional<SmallVector<ReassociationIndices>> groups =
      getReassociationIndicesForReshape(from, to);
  assert(groups && "the views' reshapes only drop, add or split dims");
  if (from.getRank() > to.getRank())
    return tensor::CollapseShapeOp::create(b, loc, to, value, *groups);
  return tensor::ExpandShapeOp::create(b, loc, to, value, *groups);
}

Value Raiser::read(Value contents, const View &v, Location loc) {
  Value t = contents;
  if (v.sliced) {
    // Rank-reduced: the dims read at one index are dropped by the slice.
    auto type = RankedTensorType::get(
        v.kept, cast<ShapedType>(contents.getType()).getElementType());
    t = tensor::ExtractSliceOp::create(b, loc, type, contents, v.offsets,
                                       v.sizes, v.strides);
  }
  return reshape(b, loc, reshape(b, loc, t, v.kept), v.expanded);
}

Value Raiser::writeBack(Value result, Value contents, const View &v,
                        Location loc) {
  Value t = reshape(b, loc, result, v.kept);
  if (!v.sliced)
    return reshape(b, loc, t, v.slicedShape);
  return tensor::InsertSliceOp::create(b, loc, t, contents, v.offsets, v.sizes,
                                       v.strides);
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

FailureOr<Value> Raiser::outer(Value v) {
  if (Value known = outside.lookupOrNull(v))
    return known;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (arg.getOwner() != &body)
      return failure();
    outside.map(v, kernel.getInputs()[arg.getArgNumber()]);
    return outside.lookup(v);
  }
  Operation *def = v.getDefiningOp();
  if (def->getBlock() != &body || !isPureScalar(def))
    return failure();
  for (Value operand : def->getOperands())
    if (failed(outer(operand)))
      return failure();
  b.clone(*def, outside);
  return outside.lookup(v);
}

LogicalResult Raiser::classify(Value v, Computation &c) {
  if (c.leaves.count(v))
    return success();
  auto prefixOf = [&](ArrayRef<unsigned> ls) {
    return ls.size() <= c.domain.size() &&
           llvm::equal(ls, ArrayRef(c.domain).take_front(ls.size()));
  };
  auto input = [&](Value tensor, AffineMap map) {
    c.leaves[v] = {Leaf::Input, c.addInput(tensor, map)};
    return success();
  };
  auto prefixMap = [&](unsigned n) {
    return AffineMap::getMultiDimIdentityMap(c.domain.size(),
                                             kernel.getContext())
        .getMajorSubMap(n);
  };
  if (std::optional<unsigned> iv = nest->loopOfIv(v)) {
    auto pos = llvm::find(c.domain, *iv);
    if (pos == c.domain.end())
      return failure();
    c.leaves[v] = {Leaf::Index, unsigned(pos - c.domain.begin())};
    return success();
  }
  if (!insideNest(v)) {
    if (failed(outer(v)))
      return failure();
    c.leaves[v] = {Leaf::Outer};
    return success();
  }
  if (auto it = stored.find(v);
      it != stored.end() && it->second.loops == c.domain)
    return input(it->second.tensor, it->second.map);
  if (auto it = temps.find(v); it != temps.end()) {
    if (!prefixOf(it->second.loops))
      return failure();
    return input(it->second.tensor, prefixMap(it->second.loops.size()));
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return failure(); // a loop's iter_arg outside its combining op
  // A load reads the contents as they were where it stands; an element of
  // a tensor from outside (a load of an input's buffer the canonicalizer
  // folded) always the same contents.
  Value source;
  if (isa<memref::LoadOp, affine::AffineLoadOp>(def)) {
    source = loadVersion.lookup(def);
  } else if (auto extract = dyn_cast<tensor::ExtractOp>(def);
             extract && !insideNest(extract.getTensor())) {
    FailureOr<Value> tensor = outer(extract.getTensor());
    if (failed(tensor))
      return failure();
    source = *tensor;
  }
  if (source) {
    FailureOr<SmallVector<Linear>> index = nest->indices(def);
    if (failed(index))
      return failure();
    FailureOr<View> rv =
        view(cast<ShapedType>(source.getType()), *index, c.domain);
    if (failed(rv))
      return failure();
    return input(read(source, *rv, def->getLoc()), rv->map);
  }
  if (isa<memref::LoadOp, affine::AffineLoadOp>(def))
    return failure();
  if (def->getNumRegions() || def->getNumResults() != 1 || !isPure(def))
    return failure();
  SmallVector<unsigned> own = nest->loopsAround(def);
  if (!prefixOf(own))
    return failure();
  // Float work done in fewer loops than the computation's is computed over
  // its own loops first (the reciprocal of a softmax's sum, once per row).
  if (own.size() < c.domain.size() && !v.getType().isIntOrIndex() &&
      !matchPattern(v, m_Constant())) {
    FailureOr<Value> hoisted = compute(v, own);
    if (failed(hoisted))
      return failure();
    temps[v] = {*hoisted, own, {}};
    return input(*hoisted, prefixMap(own.size()));
  }
  for (Value operand : def->getOperands())
    if (failed(classify(operand, c)))
      return failure();
  c.leaves[v] = {Leaf::Op};
  return success();
}

Value Raiser::emit(Value v, Computation &c, OpBuilder &nb, ValueRange args,
                   IRMapping &bm) {
  if (Value done = bm.lookupOrNull(v))
    return done;
  Leaf leaf = c.leaves.lookup(v);
  Location loc = v.getLoc();
  Value result;
  switch (leaf.kind) {
  case Leaf::Input:
    result = args[leaf.position];
    break;
  case Leaf::Outer:
    result = outside.lookup(v);
    break;
  case Leaf::Index: {
    const Loop &l = nest->loop(c.domain[leaf.position]);
    result = linalg::IndexOp::create(nb, loc, leaf.position);
    if (l.step != 1)
      result = arith::MulIOp::create(
          nb, loc, result, arith::ConstantIndexOp::create(nb, loc, l.step));
    if (l.lb != 0)
      result = arith::AddIOp::create(
          nb, loc, result, arith::ConstantIndexOp::create(nb, loc, l.lb));
    break;
  }
  case Leaf::Op: {
    Operation *def = v.getDefiningOp();
    for (Value operand : def->getOperands())
      emit(operand, c, nb, args, bm);
    result = nb.clone(*def, bm)->getResult(0);
    break;
  }
  }
  bm.map(v, result);
  return result;
}

Value Raiser::parallel(Computation &c, Value v, ArrayRef<int64_t> shape,
                       AffineMap outMap, Location loc) {
  Leaf leaf = c.leaves.lookup(v);
  if (leaf.kind == Leaf::Input && c.maps[leaf.position] == outMap)
    return c.inputs[leaf.position]; // a copy
  Value init = tensor::EmptyOp::create(b, loc, shape, v.getType());
  SmallVector<AffineMap> maps(c.maps);
  maps.push_back(outMap);
  SmallVector<utils::IteratorType> iterators(c.domain.size(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, c.inputs, ValueRange{init},
             maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               IRMapping bm;
               linalg::YieldOp::create(nb, l, emit(v, c, nb, args, bm));
             })
      .getResult(0);
}

FailureOr<Value> Raiser::compute(Value v, ArrayRef<unsigned> domain) {
  Computation c;
  c.domain.assign(domain.begin(), domain.end());
  if (failed(classify(v, c)))
    return failure();
  return parallel(
      c, v, shapeOf(domain),
      AffineMap::getMultiDimIdentityMap(domain.size(), v.getContext()),
      v.getLoc());
}

//===----------------------------------------------------------------------===//
// Computations
//===----------------------------------------------------------------------===//

LogicalResult Raiser::emitStore(Operation *store) {
  Value buffer = LoopNest::bufferOf(store);
  Value value = store->getOperand(0);
  Value current = contents.lookup(buffer);
  FailureOr<SmallVector<Linear>> index = nest->indices(store);
  if (!current || failed(index))
    return failure();
  Computation c;
  c.domain = nest->loopsAround(store);
  FailureOr<View> out =
      view(cast<ShapedType>(current.getType()), *index, c.domain);
  // Every iteration writes an element of its own: each loop one dim.
  if (failed(out) || out->map.getNumResults() != c.domain.size() ||
      !out->map.isPermutation() || failed(classify(value, c)))
    return failure();
  Value result = parallel(c, value, out->expanded, out->map, store->getLoc());
  stored[value] = {result, c.domain, out->map};
  contents[buffer] = writeBack(result, current, *out, store->getLoc());
  return success();
}

LogicalResult Raiser::emitReduction(const Loop &loop, unsigned i) {
  LoopLikeOpInterface op = loop.op;
  Value acc = op.getRegionIterArgs()[i];
  Value yielded = (*op.getYieldedValuesMutable())[i].get();
  Operation *combine = yielded.getDefiningOp();
  if (!combine || combine->getBlock() != &op->getRegion(0).front() ||
      combine->getNumOperands() != 2 || combine->getNumResults() != 1 ||
      !isPure(combine) || combine->getNumRegions() || !acc.hasOneUse() ||
      !llvm::is_contained(combine->getOperands(), acc))
    return failure();
  Value term = combine->getOperand(combine->getOperand(0) == acc ? 1 : 0);
  if (term == acc)
    return failure();
  SmallVector<unsigned> around = nest->loopsAround(op);
  Computation c;
  c.domain = around;
  c.domain.push_back(*nest->idOf(op));
  if (failed(classify(term, c)))
    return failure();
  // The initial value over the loops around (a constant, or computed there).
  Value initValue = op.getInits()[i];
  Location loc = op.getLoc();
  Value init;
  if (!insideNest(initValue)) {
    FailureOr<Value> scalar = outer(initValue);
    if (failed(scalar))
      return failure();
    Value empty =
        tensor::EmptyOp::create(b, loc, shapeOf(around), acc.getType());
    init =
        linalg::FillOp::create(b, loc, ValueRange{*scalar}, ValueRange{empty})
            .getResult(0);
  } else {
    FailureOr<Value> computed = compute(initValue, around);
    if (failed(computed))
      return failure();
    init = *computed;
  }
  MLIRContext *ctx = kernel.getContext();
  SmallVector<AffineMap> maps(c.maps);
  maps.push_back(AffineMap::getMultiDimIdentityMap(around.size() + 1, ctx)
                     .getMajorSubMap(around.size()));
  SmallVector<utils::IteratorType> iterators(around.size(),
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  unsigned numInputs = c.inputs.size();
  Value result = linalg::GenericOp::create(
                     b, loc, TypeRange{init.getType()}, c.inputs,
                     ValueRange{init}, maps, iterators,
                     [&](OpBuilder &nb, Location l, ValueRange args) {
                       IRMapping bm;
                       bm.map(acc, args[numInputs]);
                       emit(term, c, nb, args, bm);
                       linalg::YieldOp::create(
                           nb, l, nb.clone(*combine, bm)->getResult(0));
                     })
                     .getResult(0);
  temps[op->getResult(i)] = {result, around, {}};
  return success();
}

LogicalResult Raiser::walkOp(Operation &op) {
  if (isa<memref::LoadOp, affine::AffineLoadOp>(op)) {
    Value version = contents.lookup(LoopNest::bufferOf(&op));
    if (!version)
      return failure();
    loadVersion[&op] = version;
    return success();
  }
  if (isa<memref::StoreOp, affine::AffineStoreOp>(op))
    return emitStore(&op);
  if (std::optional<unsigned> id = nest->idOf(&op)) {
    const Loop &loop = nest->loop(*id);
    if (failed(walk(loop.op->getRegion(0).front())))
      return failure();
    for (unsigned i = 0, e = op.getNumResults(); i < e; ++i)
      if (!op.getResult(i).use_empty() && failed(emitReduction(loop, i)))
        return failure();
    return success();
  }
  return success(op.getNumRegions() == 0 && isPure(&op));
}

LogicalResult Raiser::walk(Block &block) {
  for (Operation &op : block.without_terminator())
    if (failed(walkOp(op)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Nests
//===----------------------------------------------------------------------===//

LogicalResult Raiser::raiseBody() {
  DenseMap<Value, Value> replaced;
  for (Operation &op : body.without_terminator()) {
    if (auto toBuffer = dyn_cast<bufferization::ToBufferOp>(op)) {
      FailureOr<Value> t = outer(toBuffer.getTensor());
      if (failed(t))
        return failure();
      contents[toBuffer.getResult()] = *t;
      continue;
    }
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity())
        return failure();
      contents[alloc.getResult()] = tensor::EmptyOp::create(
          b, alloc.getLoc(), type.getShape(), type.getElementType());
      continue;
    }
    if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      Value from = contents.lookup(copy.getSource());
      if (!from || !contents.count(copy.getTarget()) ||
          copy.getSource().getType() != copy.getTarget().getType())
        return failure();
      contents[copy.getTarget()] = from;
      continue;
    }
    if (auto toTensor = dyn_cast<bufferization::ToTensorOp>(op)) {
      Value t = contents.lookup(toTensor.getBuffer());
      if (!t)
        return failure();
      replaced[toTensor.getResult()] = t;
      continue;
    }
    if (isa<memref::DeallocOp>(op) || isPureScalar(&op))
      continue;
    if (!isa<scf::ForOp, affine::AffineForOp>(op) || op.getNumResults())
      return failure();
    FailureOr<LoopNest> analysed = LoopNest::analyze(&op);
    if (failed(analysed))
      return failure();
    nest = std::move(*analysed);
    if (failed(nest->checkSplittable(
            [&](Value buffer) { return contents.count(buffer) != 0; })) ||
        failed(walkOp(op)))
      return failure();
  }
  nest.reset();
  auto yield = cast<wl::YieldOp>(body.getTerminator());
  SmallVector<Value> results;
  for (Value v : yield.getOperands()) {
    if (Value t = replaced.lookup(v)) {
      results.push_back(t);
      continue;
    }
    FailureOr<Value> o = outer(v);
    if (failed(o))
      return failure();
    results.push_back(*o);
  }
  kernel->replaceAllUsesWith(results);
  return success();
}

LogicalResult Raiser::run() {
  Operation *before = kernel->getPrevNode();
  if (succeeded(raiseBody())) {
    kernel.erase();
    return success();
  }
  // Erase what was built, last first.
  for (Operation *op = kernel->getPrevNode(); op && op != before;) {
    Operation *prev = op->getPrevNode();
    op->dropAllUses();
    op->erase();
    op = prev;
  }
  return failure();
}

} // namespace

namespace {

struct WorkloadRaiseBufferLoopsPass
    : fungible::impl::WorkloadRaiseBufferLoopsPassBase<
          WorkloadRaiseBufferLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<wl::OpaqueOp> kernels;
    module.walk([&](wl::OpaqueOp op) {
      if (isa<func::FuncOp>(op->getParentOp()) &&
          llvm::any_of(op.getBody().front(), [](Operation &inner) {
            return isa<scf::ForOp, affine::AffineForOp>(inner);
          }))
        kernels.push_back(op);
    });
    bool raised = false;
    for (wl::OpaqueOp kernel : kernels)
      raised |= succeeded(Raiser(kernel).run());
    // What the loops became is raised into wl as an import would.
    if (raised && failed(raiseIntoWorkload(module)))
      signalPassFailure();
  }
};

} // namespace
