//===- Attention.cpp - Attention as one program ---------------------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/Attention.h"
#include "targets/LayoutCopies.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <numeric>

using namespace mlir;

namespace fungible {
namespace {

/// The uses of `buffer` and of every view of it, but for the views'.
void usesThroughViews(Value buffer, SmallVectorImpl<OpOperand *> &uses) {
  for (OpOperand &use : buffer.getUses()) {
    auto view = dyn_cast<ViewLikeOpInterface>(use.getOwner());
    if (view && view.getViewSource() == buffer) {
      for (Value result : use.getOwner()->getResults())
        usesThroughViews(result, uses);
      continue;
    }
    uses.push_back(&use);
  }
}

/// The one linalg op other than a fill that writes `buffer` (a view of it
/// or itself), or null when there is none or more than one.
linalg::LinalgOp writerOf(Value buffer) {
  SmallVector<OpOperand *> uses;
  usesThroughViews(buffer, uses);
  linalg::LinalgOp writer;
  for (OpOperand *use : uses) {
    auto op = dyn_cast<linalg::LinalgOp>(use->getOwner());
    if (!op || isa<linalg::FillOp>(op) || !op.isDpsInit(use))
      continue;
    if (writer)
      return {};
    writer = op;
  }
  return writer;
}

/// Whether every use of `buffer` (through views) is by an op in `allowed`
/// or a free.
bool onlyUsedBy(Value buffer, const SmallPtrSetImpl<Operation *> &allowed) {
  SmallVector<OpOperand *> uses;
  usesThroughViews(buffer, uses);
  return llvm::all_of(uses, [&](OpOperand *use) {
    return allowed.contains(use->getOwner()) ||
           isa<memref::DeallocOp>(use->getOwner());
  });
}

/// Whether `generic` is an elementwise op whose body reads at most the
/// last two indices (a scaling, a causal mask) and does not read its
/// output, with one result read in order and inputs read through
/// projected permutations.
bool isScoreMask(linalg::GenericOp generic) {
  if (generic.getNumDpsInits() != 1 || generic.getNumReductionLoops() != 0 ||
      !generic.getIndexingMapsArray().back().isIdentity() ||
      !llvm::all_of(generic.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation(/*allowZeroInResults=*/true);
      }))
    return false;
  int64_t rank = generic.getNumLoops();
  if (rank < 2 || !generic.getBody()->getArguments().back().use_empty())
    return false;
  for (Operation &op : generic.getBody()->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      if (static_cast<int64_t>(index.getDim()) < rank - 2)
        return false;
      continue;
    }
    if (!isMemoryEffectFree(&op) || op.getNumRegions() != 0)
      return false;
  }
  return true;
}

} // namespace

std::optional<AttentionChain> matchAttention(const RowChain &chain) {
  if (std::optional<AttentionChain> a = AttentionChain::match(chain))
    return a;
  // An elementwise mask over the scores (an additive mask's, which reads
  // its operand as the chain's steps read theirs) may be the chain's first
  // step: the softmax is the rest.
  const RowChain::Step &first = chain.steps.front();
  if (first.fill || first.fold || !isa<linalg::GenericOp>(first.op))
    return std::nullopt;
  std::optional<RowChain> rest = chain.dropFront(1);
  if (!rest)
    return std::nullopt;
  return AttentionChain::match(*rest);
}

std::optional<AttentionChain> AttentionChain::match(const RowChain &chain) {
  SmallVector<Value> inputs = chain.rowTileInputs();
  if (inputs.size() != 1)
    return std::nullopt;
  Value input = inputs.front();
  const RowChain::Buffer &in = chain.bufferOf(input);
  if (in.kind != RowOperand::Whole || in.written ||
      !input.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  // The one whole buffer read after the chain: the probabilities; per-row
  // values may be read after it too (normalised after the product).
  Value probabilities;
  AttentionChain a;
  for (auto &[root, buffer] : chain.buffers) {
    if (buffer.kind == RowOperand::PerColumn ||
        !root.getDefiningOp<memref::AllocOp>())
      return std::nullopt;
    if (root == input || !buffer.liveOut)
      continue;
    if (buffer.kind == RowOperand::PerRow) {
      if (!buffer.written || !isPlainMemRef(root))
        return std::nullopt;
      a.rowOutputs.push_back(root);
      continue;
    }
    if (probabilities)
      return std::nullopt;
    probabilities = root;
  }
  if (!probabilities)
    return std::nullopt;

  SmallPtrSet<Operation *, 16> steps;
  for (const RowChain::Step &step : chain.steps)
    steps.insert(step.op);
  a.softmax = chain;
  a.softmaxInput = input;
  a.probabilities = probabilities;
  // The product with V reads them as its A, and nothing else does.
  SmallVector<OpOperand *> uses;
  usesThroughViews(probabilities, uses);
  for (OpOperand *use : uses) {
    Operation *user = use->getOwner();
    if (steps.contains(user) || isa<memref::DeallocOp>(user))
      continue;
    auto op = dyn_cast<linalg::LinalgOp>(user);
    if (a.product || !op || !isPlainNamedMatmul(op) ||
        use != op.getDpsInputOperand(0))
      return std::nullopt;
    a.product = op;
  }
  if (!a.product)
    return std::nullopt;

  // The scores: the product Q K^T, or a mask over it: the one input read
  // in order that the product writes.
  linalg::LinalgOp writer = writerOf(input);
  if (!writer)
    return std::nullopt;
  Value scores = input;
  SmallVector<OpOperand *, 1> maskUses;
  if (auto generic = dyn_cast<linalg::GenericOp>(writer.getOperation())) {
    if (!isScoreMask(generic))
      return std::nullopt;
    a.mask = generic;
    writer = {};
    for (OpOperand *operand : generic.getDpsInputOperands()) {
      Value root = baseOf(operand->get());
      linalg::LinalgOp product =
          root.getDefiningOp<memref::AllocOp>() &&
                  generic.getMatchingIndexingMap(operand).isIdentity()
              ? writerOf(root)
              : linalg::LinalgOp();
      if (!product || !isPlainNamedMatmul(product)) {
        maskUses.push_back(operand);
        continue;
      }
      if (writer)
        return std::nullopt;
      writer = product;
      scores = root;
      a.scoresInput = operand->getOperandNumber();
    }
    if (!writer)
      return std::nullopt;
  }
  if (!isPlainNamedMatmul(writer))
    return std::nullopt;
  std::optional<ImplicitGemm> qk = ImplicitGemm::match(writer);
  std::optional<ImplicitGemm> pv = ImplicitGemm::match(a.product);
  a.scoresFill = zeroFillBefore(writer);
  if (!qk || !pv || !a.scoresFill)
    return std::nullopt;
  a.scores = *qk;
  a.values = pv->n;
  int64_t batch = 1;
  for (int64_t size : qk->lead)
    batch *= size;
  if (qk->n != chain.cols || pv->k != chain.cols || pv->m != qk->m ||
      pv->lead != qk->lead || batch * qk->m != chain.rows)
    return std::nullopt;

  // The mask's operands are read over the scores' shape at fixed strides,
  // from buffers defined before the scores' product that nothing in the
  // match writes.
  if (a.mask) {
    ArrayRef<int64_t> loops =
        cast<MemRefType>(a.mask.getDpsInits()[0].getType()).getShape();
    ArrayRef<int64_t> shape = cast<MemRefType>(qk->c.getType()).getShape();
    // Its rows are one query head's when a group's heads fold into the
    // product's rows.
    int64_t rows = loops[loops.size() - 2];
    if (rows != qk->m) {
      if (qk->m % rows)
        return std::nullopt;
      a.headRows = rows;
    }
    for (OpOperand *use : maskUses) {
      Value operand = use->get();
      auto type = dyn_cast<MemRefType>(operand.getType());
      if (!type || !isPlainMemRef(operand))
        return std::nullopt;
      Operation *def = operand.getDefiningOp();
      if (def && def->getBlock() == writer->getBlock() &&
          !def->isBeforeInBlock(writer))
        return std::nullopt;
      Value root = baseOf(operand);
      if (root == scores || root == input || chain.buffers.count(root))
        return std::nullopt;
      SmallVector<int64_t> periods, divisors;
      std::optional<SmallVector<int64_t>> strides =
          reshapeStrides(loops,
                         indexingStrides(a.mask.getMatchingIndexingMap(use),
                                         type.getShape(), loops.size()),
                         shape, &periods, &divisors);
      // A run along the keys would split a row's tile; a divided index
      // is taken along the leading dimensions only (a padding mask over
      // the heads folded into them), where a tile has one index.
      if (!strides || periods.back() ||
          llvm::any_of(ArrayRef(divisors).take_back(2),
                       [](int64_t d) { return d != 0; }))
        return std::nullopt;
      a.maskOperands.push_back(operand);
      a.maskStrides.push_back(*strides);
      a.maskPeriods.push_back(periods);
      a.maskDivisors.push_back(divisors);
    }
  }

  // What reads the scores (and the mask's result) is all in the match.
  SmallPtrSet<Operation *, 16> matched(steps);
  matched.insert(writer);
  matched.insert(a.scoresFill);
  if (a.mask) {
    matched.insert(a.mask);
    if (!onlyUsedBy(input, matched))
      return std::nullopt;
  }
  if (!onlyUsedBy(scores, matched))
    return std::nullopt;

  // The program sits at the product with V and reads Q and K there: in
  // between, nothing but the match, fills, views and frees (which move
  // after the program).
  Block *block = writer->getBlock();
  if (a.product->getBlock() != block || !writer->isBeforeInBlock(a.product))
    return std::nullopt;
  for (Operation *op = writer->getNextNode(); op != a.product.getOperation();
       op = op->getNextNode()) {
    if (isa<memref::DeallocOp>(op)) {
      a.frees.push_back(op);
      continue;
    }
    if (auto fill = dyn_cast<linalg::FillOp>(op);
        fill && llvm::any_of(a.maskOperands, [&](Value operand) {
          return baseOf(operand) == baseOf(fill.getOutputs()[0]);
        }))
      return std::nullopt;
    if (matched.contains(op) || isa<linalg::FillOp, memref::AllocOp>(op) ||
        (isMemoryEffectFree(op) && op->getNumRegions() == 0))
      continue;
    return std::nullopt;
  }
  return a;
}

std::optional<AttentionChain::Tiles> AttentionChain::onChipTiles() const {
  if (!scores.acc.isF32() || !scores.out.isF32())
    return std::nullopt;
  Tiles tiles;
  for (auto &[root, buffer] : softmax.buffers) {
    auto element = dyn_cast<FloatType>(elementType(root));
    // The probabilities are the product's A: of its operand type, which
    // ImplicitGemm::match made V's.
    if (!element || (!element.isF32() &&
                     (root != probabilities || element.getWidth() > 32)))
      return std::nullopt;
    ++(buffer.kind == RowOperand::PerRow ? tiles.rowValues : tiles.wholeRows);
  }
  // A tile of each mask operand beside the scores'.
  for (Value operand : maskOperands) {
    if (!isa<FloatType>(elementType(operand)))
      return std::nullopt;
    ++tiles.wholeRows;
  }
  return tiles;
}

Type AttentionChain::elementType(Value buffer) const {
  return cast<MemRefType>(buffer.getType()).getElementType();
}

void AttentionChain::prepareViews(OpBuilder &b) {
  ArrayRef<int64_t> shape = cast<MemRefType>(scores.c.getType()).getShape();
  for (auto [operand, strides] : llvm::zip(maskOperands, maskStrides))
    operand = stridedView(b, mask.getLoc(), operand, shape, strides);
  // lead... x m x 1, row-major.
  SmallVector<int64_t> rowShape(scores.lead);
  rowShape.append({scores.m, 1});
  SmallVector<int64_t> strides(rowShape.size(), 1);
  for (int64_t i = static_cast<int64_t>(rowShape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * rowShape[i + 1];
  for (Value output : rowOutputs)
    rowOutputViews.push_back(
        stridedView(b, product.getLoc(), output, rowShape, strides));
}

TileAddress AttentionChain::rowOutputTile(OpBuilder &b, Location loc,
                                          unsigned i, ValueRange lead,
                                          Value row) const {
  SmallVector<Value> indices(lead);
  indices.append({row, arith::ConstantIndexOp::create(b, loc, 0)});
  return TileAddress{rowOutputViews[i], indices};
}

TileAddress AttentionChain::maskTile(OpBuilder &b, Location loc, unsigned i,
                                     ValueRange lead, Value row,
                                     Value col) const {
  SmallVector<Value> indices(lead);
  indices.append({row, col});
  for (auto [index, period, divisor] :
       llvm::zip(indices, maskPeriods[i], maskDivisors[i])) {
    if (divisor)
      index = arith::DivUIOp::create(
          b, loc, index, arith::ConstantIndexOp::create(b, loc, divisor));
    if (period)
      index = arith::RemUIOp::create(
          b, loc, index, arith::ConstantIndexOp::create(b, loc, period));
  }
  return TileAddress{maskOperands[i], indices};
}

int64_t AttentionChain::maskRowPeriod() const {
  int64_t gcd = 0;
  for (ArrayRef<int64_t> periods : maskPeriods)
    gcd = std::gcd(gcd, periods[periods.size() - 2]);
  return gcd;
}

Value AttentionChain::applyMask(OpBuilder &b, Location loc, Value score,
                                ValueRange operands, Value row,
                                Value col) const {
  if (!mask)
    return score;
  linalg::GenericOp generic = mask;
  Block &body = *generic.getBody();
  int64_t rank = generic.getNumLoops();
  IRMapping mapping;
  unsigned next = 0;
  for (unsigned i = 0, e = generic.getNumDpsInputs(); i < e; ++i)
    mapping.map(body.getArgument(i),
                i == scoresInput ? score : operands[next++]);
  // One query head's row when a group's heads fold into the rows.
  if (headRows &&
      llvm::any_of(body.getOps<linalg::IndexOp>(), [&](linalg::IndexOp index) {
        return static_cast<int64_t>(index.getDim()) == rank - 2;
      }))
    row = arith::RemUIOp::create(
        b, loc, row, arith::ConstantIndexOp::create(b, loc, headRows));
  for (Operation &op : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      mapping.map(index.getResult(),
                  static_cast<int64_t>(index.getDim()) == rank - 1 ? col : row);
      continue;
    }
    b.clone(op, mapping);
  }
  return mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
}

bool mapAttentions(Operation *func,
                   function_ref<Operation *(AttentionChain &)> write) {
  // Found first, written after: a program replaces ops past the chain.
  SmallVector<AttentionChain, 1> found;
  mapRowChains(func, [&](RowChain &chain) {
    if (std::optional<AttentionChain> a = matchAttention(chain))
      found.push_back(std::move(*a));
    return false;
  });
  bool mapped = false;
  for (AttentionChain &a : found)
    if (Operation *program = write(a)) {
      a.erase(program);
      mapped = true;
    }
  return mapped;
}

void AttentionChain::erase(Operation *program) {
  for (Operation *free : llvm::reverse(frees))
    free->moveAfter(program);
  for (const RowChain::Step &step : llvm::reverse(softmax.steps))
    step.op->erase();
  if (mask)
    mask->erase();
  scoresFill->erase();
  scores.erase();
}

} // namespace fungible
