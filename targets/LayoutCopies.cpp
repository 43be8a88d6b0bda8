//===- LayoutCopies.cpp - Layout copies done by a program's DMAs ----------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/LayoutCopies.h"
#include "targets/LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace fungible {

bool writesTo(Operation *op, Value root) {
  if (isMemoryEffectFree(op))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return true;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [&](const MemoryEffects::EffectInstance &e) {
    if (!isa<MemoryEffects::Write>(e.getEffect()))
      return false;
    Value value = e.getValue();
    return !value || baseOf(value) == root;
  });
}

namespace {

using Atom = TileStores::Atom;
using Atoms = SmallVector<Atom>;

/// `atoms` without unit atoms, each run of atoms that steps through memory
/// as one (the outer's stride is the inner's extent) merged.
Atoms normalize(ArrayRef<Atom> atoms) {
  Atoms out;
  for (Atom atom : atoms) {
    if (atom.size == 1)
      continue;
    if (!out.empty() && out.back().stride == atom.size * atom.stride) {
      out.back() = {out.back().size * atom.size, atom.stride};
      continue;
    }
    out.push_back(atom);
  }
  return out;
}

/// The atoms of a dimension of `sizes.size()` dimensions of `sizes`
/// (row-major) that together index like `atoms`: split where a dimension
/// ends inside an atom; nothing when one does not divide it.
std::optional<SmallVector<Atoms>> regroup(ArrayRef<Atom> atoms,
                                          ArrayRef<int64_t> sizes) {
  SmallVector<Atom> queue(normalize(atoms));
  std::reverse(queue.begin(), queue.end()); // pop_back: the major atom
  SmallVector<Atoms> dims;
  for (int64_t size : sizes) {
    Atoms dim;
    int64_t need = size;
    while (need > 1) {
      if (queue.empty())
        return std::nullopt;
      Atom atom = queue.back();
      if (need % atom.size == 0) {
        dim.push_back(atom);
        need /= atom.size;
        queue.pop_back();
      } else if (atom.size % need == 0) {
        dim.push_back({need, atom.stride * (atom.size / need)});
        queue.back() = {atom.size / need, atom.stride};
        need = 1;
      } else {
        return std::nullopt;
      }
    }
    dims.push_back(dim);
  }
  if (!queue.empty())
    return std::nullopt;
  return dims;
}

/// One atom per dimension of `sizes` with `strides`.
SmallVector<Atom> atomsOf(ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides) {
  SmallVector<Atom> atoms;
  for (auto [size, stride] : llvm::zip(sizes, strides))
    atoms.push_back({size, stride});
  return atoms;
}

/// The atoms of the dimensions of `view`'s source, from those of `view`'s
/// (`dims`); for a subview, also the region of the source it is (`begin`,
/// `size`). Nothing for other ops, or sizes that do not divide.
std::optional<SmallVector<Atoms>> sourceAtoms(Operation *view,
                                              ArrayRef<Atoms> dims,
                                              SmallVectorImpl<int64_t> &begin,
                                              SmallVectorImpl<int64_t> &size) {
  if (auto expand = dyn_cast<memref::ExpandShapeOp>(view)) {
    SmallVector<Atoms> out;
    for (const ReassociationIndices &group : expand.getReassociationIndices()) {
      Atoms flat;
      for (int64_t d : group)
        flat.append(dims[d]);
      out.push_back(normalize(flat));
    }
    return out;
  }
  if (auto collapse = dyn_cast<memref::CollapseShapeOp>(view)) {
    ArrayRef<int64_t> shape = collapse.getSrcType().getShape();
    SmallVector<Atoms> out;
    for (auto [d, group] :
         llvm::enumerate(collapse.getReassociationIndices())) {
      SmallVector<int64_t> sizes;
      for (int64_t s : group)
        sizes.push_back(shape[s]);
      std::optional<SmallVector<Atoms>> split = regroup(dims[d], sizes);
      if (!split)
        return std::nullopt;
      out.append(*split);
    }
    return out;
  }
  if (auto transpose = dyn_cast<memref::TransposeOp>(view)) {
    AffineMap perm = transpose.getPermutation();
    SmallVector<Atoms> out(dims.size());
    for (auto [i, result] : llvm::enumerate(perm.getResults()))
      out[cast<AffineDimExpr>(result).getPosition()] = dims[i];
    return out;
  }
  if (auto subview = dyn_cast<memref::SubViewOp>(view)) {
    if (!subview.hasUnitStride() || !subview.getSourceType().hasStaticShape())
      return std::nullopt;
    for (OpFoldResult offset : subview.getMixedOffsets()) {
      std::optional<int64_t> value = getConstantIntValue(offset);
      if (!value)
        return std::nullopt;
      begin.push_back(*value);
    }
    llvm::append_range(size, subview.getStaticSizes());
    if (llvm::any_of(size, ShapedType::isDynamic))
      return std::nullopt;
    llvm::SmallBitVector dropped = subview.getDroppedDims();
    SmallVector<Atoms> out;
    const Atoms *next = dims.begin();
    for (int64_t d = 0, e = begin.size(); d < e; ++d)
      out.push_back(dropped.test(d) ? Atoms() : *next++);
    return out;
  }
  return std::nullopt;
}

/// `value` split by `atoms` (major to minor), times their strides: the
/// element offset of index `value` along a dimension of those atoms.
Value atomOffset(OpBuilder &b, Location loc, Value value,
                 ArrayRef<Atom> atoms) {
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value offset = constant(0);
  int64_t inner = 1;
  for (auto [i, atom] : llvm::enumerate(llvm::reverse(atoms))) {
    Value digit = b.createOrFold<arith::DivUIOp>(loc, value, constant(inner));
    if (i + 1 < atoms.size())
      digit = b.createOrFold<arith::RemUIOp>(loc, digit, constant(atom.size));
    offset = b.createOrFold<arith::AddIOp>(
        loc, offset,
        b.createOrFold<arith::MulIOp>(loc, digit, constant(atom.stride)));
    inner *= atom.size;
  }
  return offset;
}

/// Whether `value` is available at `anchor`, or can be (an allocation, or
/// views of one, after it in its block): adds what must move to `defs`.
bool collectDestination(Value value, Operation *anchor,
                        SmallVectorImpl<Operation *> &defs) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return true; // An argument.
  if (def->getBlock() != anchor->getBlock())
    return false;
  if (def->isBeforeInBlock(anchor) || llvm::is_contained(defs, def))
    return true;
  if (auto alloc = dyn_cast<memref::AllocOp>(def)) {
    if (alloc->getNumOperands())
      return false;
  } else if (isa<memref::SubViewOp, memref::ExpandShapeOp,
                 memref::CollapseShapeOp, memref::TransposeOp>(def)) {
    for (Value operand : def->getOperands())
      if (!collectDestination(operand, anchor, defs))
        return false;
  } else {
    return false;
  }
  defs.push_back(def);
  return true;
}

} // namespace

SmallVector<int64_t> indexingStrides(AffineMap map, ArrayRef<int64_t> shape,
                                     size_t loops) {
  SmallVector<int64_t> strides(loops, 0);
  int64_t stride = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    // A result 0 (a unit dimension read at 0) moves nothing.
    if (auto dim = dyn_cast<AffineDimExpr>(map.getResult(d)))
      strides[dim.getPosition()] += stride;
    stride *= shape[d];
  }
  return strides;
}

std::optional<SmallVector<int64_t>>
reshapeStrides(ArrayRef<int64_t> from, ArrayRef<int64_t> fromStrides,
               ArrayRef<int64_t> to, SmallVectorImpl<int64_t> *periods,
               SmallVectorImpl<int64_t> *divisors) {
  std::optional<SmallVector<Atoms>> dims =
      regroup(atomsOf(from, fromStrides), to);
  if (!dims)
    return std::nullopt;
  SmallVector<int64_t> strides;
  if (periods)
    periods->clear();
  if (divisors)
    divisors->clear();
  for (const Atoms &dim : *dims) {
    int64_t period = 0, divisor = 0,
            stride = dim.empty() ? 0 : dim.back().stride;
    if (dim.size() == 2 && periods && dim.front().stride == 0 &&
        dim.back().stride != 0) {
      period = dim.back().size; // A run repeated: read modulo its size.
    } else if (dim.size() == 2 && divisors && dim.front().stride != 0 &&
               dim.back().stride == 0) {
      divisor = dim.back().size; // Each element repeated: read divided.
      stride = dim.front().stride;
    } else if (dim.size() > 1) {
      return std::nullopt;
    }
    if (periods)
      periods->push_back(period);
    if (divisors)
      divisors->push_back(divisor);
    strides.push_back(stride);
  }
  return strides;
}

//===----------------------------------------------------------------------===//
// TransposedOperand
//===----------------------------------------------------------------------===//

std::optional<TransposedOperand> TransposedOperand::match(Value operand,
                                                          Operation *user) {
  TransposedOperand result;
  if (auto collapse = operand.getDefiningOp<memref::CollapseShapeOp>()) {
    if (!collapse->hasOneUse())
      return std::nullopt;
    result.collapse = collapse;
    operand = collapse.getSrc();
  }
  auto alloc = operand.getDefiningOp<memref::AllocOp>();
  if (!alloc || alloc->getNumOperands())
    return std::nullopt;
  for (Operation *other : operand.getUsers()) {
    if (other == user || other == result.collapse ||
        isa<memref::DeallocOp>(other))
      continue;
    auto transpose = dyn_cast<linalg::TransposeOp>(other);
    if (!transpose || result.transpose || transpose.getInit() != operand ||
        transpose.getInput() == operand)
      return std::nullopt;
    result.transpose = transpose;
  }
  linalg::TransposeOp transpose = result.transpose;
  if (!transpose || transpose->getBlock() != user->getBlock() ||
      !transpose->isBeforeInBlock(user))
    return std::nullopt;
  // The transposed view of the source must collapse as the buffer did.
  if (result.collapse) {
    auto source = cast<MemRefType>(transpose.getInput().getType());
    auto [strides, offset] = source.getStridesAndOffset();
    SmallVector<int64_t> shape, permuted;
    for (int64_t d : transpose.getPermutation()) {
      shape.push_back(source.getDimSize(d));
      permuted.push_back(strides[d]);
    }
    auto view = MemRefType::get(
        shape, source.getElementType(),
        StridedLayoutAttr::get(source.getContext(), offset, permuted));
    SmallVector<ReassociationIndices> groups =
        cast<memref::CollapseShapeOp>(result.collapse)
            .getReassociationIndices();
    if (!memref::CollapseShapeOp::isGuaranteedCollapsible(view, groups)) {
      // Only leading dimensions merged (the rest one to one, the last two,
      // a tile's rows and columns, among them): read uncollapsed, the
      // merged index split (splitLeadIndex).
      if (groups.size() < 3 || llvm::any_of(ArrayRef(groups).drop_front(),
                                            [](const ReassociationIndices &g) {
                                              return g.size() != 1;
                                            }))
        return std::nullopt;
      for (int64_t d : groups.front())
        result.leadSizes.push_back(shape[d]);
    }
  }
  // The view reads the source when `user` does: nothing may write it in
  // between.
  Value source = baseOf(transpose.getInput());
  for (Operation *op = transpose->getNextNode(); op != user;
       op = op->getNextNode())
    if (writesTo(op, source))
      return std::nullopt;
  return result;
}

Value TransposedOperand::view(OpBuilder &b) {
  Value view = permutedView(b, transpose.getLoc(), transpose.getInput(),
                            transpose.getPermutation());
  if (auto reshape = cast_or_null<memref::CollapseShapeOp>(collapse);
      reshape && leadSizes.empty())
    view = memref::CollapseShapeOp::create(b, reshape.getLoc(), view,
                                           reshape.getReassociationIndices());
  return view;
}

void TransposedOperand::splitLeadIndex(OpBuilder &b, Location loc,
                                       SmallVectorImpl<Value> &indices) const {
  if (leadSizes.empty())
    return;
  // Row-major: the last merged dimension varies fastest.
  SmallVector<Value> split(leadSizes.size());
  Value rest = indices.front();
  for (size_t d = leadSizes.size() - 1; d > 0; --d) {
    Value size = arith::ConstantIndexOp::create(b, loc, leadSizes[d]);
    split[d] = arith::RemUIOp::create(b, loc, rest, size);
    rest = arith::DivUIOp::create(b, loc, rest, size);
  }
  split[0] = rest;
  indices.erase(indices.begin());
  indices.insert(indices.begin(), split.begin(), split.end());
}

void TransposedOperand::erase() {
  if (collapse)
    collapse->erase();
  Value buffer = transpose.getInit();
  transpose->erase();
  for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
    user->erase(); // Frees: the op reading it is gone.
  buffer.getDefiningOp()->erase();
}

//===----------------------------------------------------------------------===//
// TileStores
//===----------------------------------------------------------------------===//

bool isLayoutCopy(linalg::GenericOp op) {
  if (!op.isSingleYieldOp() || !op.hasPureBufferSemantics() ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !op.getIndexingMapsArray()[1].isIdentity())
    return false;
  // Each input dimension read at one loop's index, or at 0 when it is 1;
  // no loop read twice.
  AffineMap map = op.getIndexingMapsArray()[0];
  auto input = dyn_cast<MemRefType>(op.getDpsInputs()[0].getType());
  if (!input || !input.hasStaticShape() ||
      !map.isProjectedPermutation(/*allowZeroInResults=*/true))
    return false;
  for (auto [k, expr] : llvm::enumerate(map.getResults()))
    if (!isa<AffineDimExpr>(expr) && input.getDimSize(k) != 1)
      return false;
  return true;
}

TileStores TileStores::match(Value result, ArrayRef<int64_t> shape,
                             Operation *anchor,
                             ArrayRef<Operation *> replaced) {
  TileStores stores;
  stores.result = result;
  stores.target = result;
  stores.shape.assign(shape.begin(), shape.end());
  auto type = cast<MemRefType>(result.getType());
  auto alloc = result.getDefiningOp<memref::AllocOp>();
  if (!alloc || alloc->getNumOperands() || !type.getLayout().isIdentity() ||
      !type.hasStaticShape() || shape.size() < 2)
    return stores;
  TileStores found = stores;
  // The readers of `result`: views of it (a subview only of `result`
  // itself), copies of those, and frees.
  SmallVector<Value> worklist = {result};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      if (value == result && llvm::is_contained(replaced, user))
        continue;
      if (isa<memref::DeallocOp>(user)) {
        if (value != result)
          return stores;
        found.frees.push_back(user);
      } else if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp,
                     memref::TransposeOp>(user) ||
                 (value == result && isa<memref::SubViewOp>(user))) {
        found.views.push_back(user);
        worklist.push_back(user->getResult(0));
      } else if (auto transpose = dyn_cast<linalg::TransposeOp>(user);
                 transpose && transpose.getInput() == value) {
        found.copies.push_back(user);
      } else if (auto copy = dyn_cast<linalg::CopyOp>(user);
                 copy && copy.getInputs()[0] == value) {
        found.copies.push_back(user);
      } else if (auto copy = dyn_cast<memref::CopyOp>(user);
                 copy && copy.getSource() == value) {
        found.copies.push_back(user);
      } else if (auto generic = dyn_cast<linalg::GenericOp>(user);
                 generic && isLayoutCopy(generic) &&
                 generic.getDpsInputs()[0] == value) {
        found.copies.push_back(user);
      } else {
        return stores;
      }
    }
  }
  if (found.copies.empty())
    return stores;
  // The program stores where `anchor` is: the copies must follow it with
  // nothing in between that reads or writes what they do.
  size_t seen = 0;
  for (Operation *op = anchor->getNextNode(); op && seen < found.copies.size();
       op = op->getNextNode()) {
    if (llvm::is_contained(found.copies, op))
      ++seen;
    else if (!llvm::is_contained(replaced, op) &&
             !isa<memref::AllocOp, memref::DeallocOp>(op) &&
             !isMemoryEffectFree(op))
      return stores;
  }
  if (seen < found.copies.size())
    return stores;

  for (Operation *copy : found.copies) {
    Value input = copy->getOperand(0), dest = copy->getOperand(1);
    auto destType = cast<MemRefType>(dest.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    if (!destType.hasStaticShape() ||
        failed(destType.getStridesAndOffset(strides, offset)) ||
        ShapedType::isDynamic(offset) ||
        llvm::any_of(strides, ShapedType::isDynamic) ||
        baseOf(dest) == result ||
        !collectDestination(dest, anchor, found.hoisted))
      return stores;
    // The destination's dimensions, then the copy's input's, then back
    // through the views to `result`'s.
    SmallVector<Atoms> dims;
    for (auto [size, stride] : llvm::zip(destType.getShape(), strides))
      dims.push_back(normalize({{size, stride}}));
    if (auto transpose = dyn_cast<linalg::TransposeOp>(copy)) {
      SmallVector<Atoms> in(dims.size());
      for (auto [i, p] : llvm::enumerate(transpose.getPermutation()))
        in[p] = dims[i];
      dims = in;
    }
    // A broadcasting copy writes its input once per index of each
    // dimension it does not read: one piece per copy, at its offset.
    SmallVector<int64_t> offsets = {offset};
    if (auto generic = dyn_cast<linalg::GenericOp>(copy)) {
      AffineMap map = generic.getIndexingMapsArray()[0];
      SmallVector<Atoms> in(map.getNumResults());
      SmallVector<bool> read(dims.size(), false);
      for (auto [k, expr] : llvm::enumerate(map.getResults()))
        if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
          in[k] = dims[dim.getPosition()];
          read[dim.getPosition()] = true;
        }
      for (auto [d, size] : llvm::enumerate(destType.getShape())) {
        if (read[d] || size == 1)
          continue;
        SmallVector<int64_t> more;
        for (int64_t base : offsets)
          for (int64_t i = 0; i < size; ++i)
            more.push_back(base + i * strides[d]);
        offsets = std::move(more);
      }
      if (static_cast<int64_t>(offsets.size()) > kMaxBroadcastStores)
        return stores;
      dims = in;
    }
    Piece piece;
    piece.dest = dest;
    piece.offset = offset;
    for (Value value = input; value != result;) {
      Operation *view = value.getDefiningOp();
      std::optional<SmallVector<Atoms>> source =
          sourceAtoms(view, dims, piece.begin, piece.size);
      if (!source)
        return stores;
      dims = *source;
      value = view->getOperand(0);
    }
    if (type.getShape() != shape) {
      // The program's tiles index a reshape of `result`: the whole of it.
      if (!piece.begin.empty())
        return stores;
      Atoms flat;
      for (const Atoms &dim : dims)
        flat.append(dim);
      std::optional<SmallVector<Atoms>> reshaped = regroup(flat, shape);
      if (!reshaped)
        return stores;
      dims = *reshaped;
    }
    if (piece.begin.empty()) {
      piece.begin.assign(shape.size(), 0);
      piece.size.assign(shape.begin(), shape.end());
    }
    piece.dims = dims;
    for (int64_t at : offsets) {
      piece.offset = at;
      found.pieces.push_back(piece);
    }
  }
  return found;
}

void TileStores::prepare(OpBuilder &b, Operation *anchor) {
  for (Operation *def : hoisted)
    if (anchor->isBeforeInBlock(def))
      def->moveBefore(anchor);
  auto type = cast<MemRefType>(result.getType());
  if (!pieces.empty() || type.getShape() == ArrayRef<int64_t>(shape))
    return;
  // A row-major buffer is any shape of its elements: through 1-D.
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(anchor);
  Location loc = anchor->getLoc();
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  Value flat = type.getRank() == 1
                   ? result
                   : memref::CollapseShapeOp::create(
                         b, loc, result, ArrayRef<ReassociationIndices>{all});
  all.clear();
  for (int64_t d = 0, e = shape.size(); d < e; ++d)
    all.push_back(d);
  target = memref::ExpandShapeOp::create(
      b, loc, MemRefType::get(shape, type.getElementType()), flat,
      ArrayRef<ReassociationIndices>{all});
}

void TileStores::store(OpBuilder &b, Location loc, ValueRange at, int64_t rows,
                       int64_t cols,
                       function_ref<void(Value, ValueRange)> emit) const {
  if (pieces.empty()) {
    emit(target, at);
    return;
  }
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto add = [&](Value x, Value y) -> Value {
    return b.createOrFold<arith::AddIOp>(loc, x, y);
  };
  int64_t rank = shape.size();
  for (const Piece &piece : pieces) {
    OpBuilder::InsertionGuard guard(b);
    // Where the tile starts in the piece's region, and whether it meets it
    // (along a dimension the destination does not split; along one it
    // splits, the loop over its runs is empty when it does not).
    SmallVector<Value> local;
    Value meets;
    for (int64_t d = 0; d < rank; ++d) {
      Value index = at[d];
      if (piece.begin[d])
        index =
            b.createOrFold<arith::SubIOp>(loc, index, constant(piece.begin[d]));
      local.push_back(index);
      int64_t extent = d == rank - 1 ? cols : d == rank - 2 ? rows : 1;
      bool split = d >= rank - 2 && piece.dims[d].size() > 1;
      if (split || (piece.begin[d] == 0 && piece.size[d] == shape[d]))
        continue;
      Value inside = arith::AndIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index,
                                constant(piece.size[d])),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                add(index, constant(extent)), constant(0)));
      meets = meets ? arith::AndIOp::create(b, loc, meets, inside) : inside;
    }
    if (meets) {
      auto guardIf = scf::IfOp::create(b, loc, meets, /*withElseRegion=*/false);
      b.setInsertionPoint(guardIf.thenBlock()->getTerminator());
    }
    Value offset = constant(piece.offset);
    for (int64_t d = 0; d + 2 < rank; ++d)
      offset = add(offset, atomOffset(b, loc, local[d], piece.dims[d]));
    // Rows, then columns: the innermost atom is the view's dimension; a
    // loop runs over the runs of it that the tile meets.
    SmallVector<Value> indices;
    SmallVector<int64_t> sizes, strides;
    for (int64_t d : {rank - 2, rank - 1}) {
      ArrayRef<Atom> atoms = piece.dims[d];
      Atom inner = atoms.empty() ? Atom{1, 1} : atoms.back();
      sizes.push_back(inner.size);
      strides.push_back(inner.stride);
      if (atoms.size() < 2) {
        indices.push_back(local[d]);
        continue;
      }
      ArrayRef<Atom> outer = atoms.drop_back();
      int64_t runs = 1;
      for (Atom atom : outer)
        runs *= atom.size;
      int64_t extent = d == rank - 1 ? cols : rows;
      Value first = arith::MaxSIOp::create(
          b, loc,
          arith::FloorDivSIOp::create(b, loc, local[d], constant(inner.size)),
          constant(0));
      Value end = arith::MinSIOp::create(
          b, loc,
          arith::CeilDivSIOp::create(b, loc, add(local[d], constant(extent)),
                                     constant(inner.size)),
          constant(runs));
      auto loop = scf::ForOp::create(b, loc, first, end, constant(1));
      b.setInsertionPoint(loop.getBody()->getTerminator());
      Value run = loop.getInductionVar();
      offset = add(offset, atomOffset(b, loc, run, outer));
      indices.push_back(arith::SubIOp::create(
          b, loc, local[d],
          arith::MulIOp::create(b, loc, run, constant(inner.size))));
    }
    auto destType = cast<MemRefType>(piece.dest.getType());
    auto viewType = MemRefType::get(
        sizes, destType.getElementType(),
        StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, strides));
    SmallVector<OpFoldResult> sizeValues, strideValues;
    for (auto [size, stride] : llvm::zip(sizes, strides)) {
      sizeValues.push_back(b.getIndexAttr(size));
      strideValues.push_back(b.getIndexAttr(stride));
    }
    Value view = memref::ReinterpretCastOp::create(b, loc, viewType, piece.dest,
                                                   OpFoldResult(offset),
                                                   sizeValues, strideValues);
    emit(view, indices);
  }
}

void TileStores::erase() {
  if (pieces.empty())
    return;
  for (Operation *op : copies)
    op->erase();
  for (Operation *op : llvm::reverse(views))
    op->erase();
  for (Operation *op : frees)
    op->erase();
  result.getDefiningOp()->erase();
  pieces.clear();
}

} // namespace fungible
