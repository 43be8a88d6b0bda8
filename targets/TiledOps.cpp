//===- TiledOps.cpp - The tiled ops of the TPU and Trainium ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/TiledOps.h"
#include "targets/LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace fungible {
namespace {

bool isZero(TypedAttr attr) {
  if (auto value = dyn_cast<FloatAttr>(attr))
    return value.getValue().isPosZero();
  if (auto value = dyn_cast<IntegerAttr>(attr))
    return value.getValue().isZero();
  return false;
}

/// The constant `op` sets every element of `buffer` to, or null: a
/// linalg.fill, or the linalg.map without inputs that a tensor.pad
/// bufferises to.
TypedAttr constantFill(Operation *op, Value buffer) {
  Value value;
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    if (fill.getDpsInits()[0] == buffer)
      value = fill.getInputs()[0];
  } else if (auto map = dyn_cast<linalg::MapOp>(op);
             map && map.getInputs().empty() && map.getInit() == buffer) {
    Operation *yield = map.getMapper().front().getTerminator();
    if (yield->getNumOperands() == 1)
      value = yield->getOperand(0);
  }
  TypedAttr constant;
  if (value && matchPattern(value, m_Constant(&constant)))
    return constant;
  return TypedAttr();
}

/// The padded copy of `padded`, a convolution's input: allocated, filled
/// with a constant (zero unless `anyValue`), an unpadded `source` copied
/// into its interior at (0, top, left, 0), freed after `conv`, and used by
/// nothing else; and nothing between the copy and `conv` writes `source`,
/// so `conv` may read it in place. Sets `source`, `pad` (top, left),
/// `value` (the fill's constant) and `ops` (to erase with `conv`, in that
/// order).
bool matchPaddedCopy(Operation *conv, Value padded, bool anyValue,
                     Value &source, std::array<int64_t, 2> &pad,
                     TypedAttr &value, SmallVectorImpl<Operation *> &ops) {
  auto alloc = padded.getDefiningOp<memref::AllocOp>();
  Block *block = conv->getBlock();
  if (!alloc || alloc->getNumOperands() || alloc->getBlock() != block)
    return false;
  Operation *fill = nullptr;
  memref::SubViewOp view;
  SmallVector<Operation *> frees;
  for (Operation *user : padded.getUsers()) {
    if (user == conv)
      continue;
    if (isa<memref::DeallocOp>(user) && user->getBlock() == block &&
        conv->isBeforeInBlock(user)) {
      frees.push_back(user);
    } else if (auto subview = dyn_cast<memref::SubViewOp>(user);
               subview && !view) {
      view = subview;
    } else if (TypedAttr constant = constantFill(user, padded);
               !fill && constant && (anyValue || isZero(constant))) {
      fill = user;
      value = isZero(constant) ? TypedAttr() : constant;
    } else {
      return false;
    }
  }
  if (!fill || !view || !view->hasOneUse())
    return false;
  auto copy = dyn_cast<memref::CopyOp>(*view->user_begin());
  if (!copy || copy.getTarget() != view.getResult() ||
      !isPlainMemRef(copy.getSource()) || fill->getBlock() != block ||
      copy->getBlock() != block || !fill->isBeforeInBlock(copy) ||
      !copy->isBeforeInBlock(conv))
    return false;
  // The interior: offsets (0, top, left, 0), the source's sizes, unit
  // strides.
  auto sourceType = cast<MemRefType>(copy.getSource().getType());
  ArrayRef<int64_t> offsets = view.getStaticOffsets();
  if (view.getType().getRank() != 4 ||
      view.getStaticSizes() != sourceType.getShape() ||
      llvm::any_of(view.getStaticStrides(),
                   [](int64_t stride) { return stride != 1; }) ||
      llvm::any_of(offsets, ShapedType::isDynamic) || offsets[0] != 0 ||
      offsets[3] != 0)
    return false;
  // Read at the convolution instead of at the copy: nothing in between may
  // write it.
  Value base = baseOf(copy.getSource());
  for (Operation *between = copy->getNextNode(); between != conv;
       between = between->getNextNode()) {
    if (isMemoryEffectFree(between) ||
        isa<memref::AllocOp, memref::DeallocOp>(between))
      continue;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(between);
    if (linalgOp && linalgOp.hasPureBufferSemantics() &&
        llvm::none_of(linalgOp.getDpsInits(),
                      [&](Value init) { return baseOf(init) == base; }))
      continue;
    return false;
  }
  source = copy.getSource();
  pad = {offsets[1], offsets[2]};
  ops.append({copy, view, fill});
  ops.append(frees);
  ops.push_back(alloc);
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// ConvWindow
//===----------------------------------------------------------------------===//

ConvWindow ConvWindow::match(linalg::LinalgOp op, Value input,
                             int64_t filterWidth, DenseIntElementsAttr strides,
                             DenseIntElementsAttr dilations, bool anyPadValue) {
  ConvWindow window;
  window.source = input;
  window.filterWidth = filterWidth;
  for (auto [index, stride] : llvm::enumerate(strides.getValues<int64_t>()))
    window.strides[index] = stride;
  for (auto [index, dilation] : llvm::enumerate(dilations.getValues<int64_t>()))
    window.dilations[index] = dilation;
  if (!matchPaddedCopy(op, input, anyPadValue, window.source, window.padding,
                       window.padValue, window.padOps)) {
    window.padding = {0, 0};
    window.padValue = TypedAttr();
  }
  return window;
}

std::pair<Value, Value> ConvWindow::tapOf(OpBuilder &b, Location loc,
                                          Value tap) const {
  Value width = arith::ConstantIndexOp::create(b, loc, filterWidth);
  return {arith::DivUIOp::create(b, loc, tap, width),
          arith::RemUIOp::create(b, loc, tap, width)};
}

TileAddress ConvWindow::tile(OpBuilder &b, Location loc, Value n, Value oh,
                             Value row, Value tap, Value c0) const {
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  auto mul = [&](Value x, int64_t y) -> Value {
    return arith::MulIOp::create(b, loc, x, constant(y));
  };
  auto add = [&](Value x, Value y) -> Value {
    return arith::AddIOp::create(b, loc, x, y);
  };
  auto [kh, kw] = tapOf(b, loc, tap);
  // The input row of output row `oh` under tap row `kh`, and the tap's
  // column offset: both signed (the padding lies before the input).
  Value ih = add(mul(oh, strides[0]),
                 add(mul(kh, dilations[0]), constant(-padding[0])));
  Value shift = add(mul(kw, dilations[1]), constant(-padding[1]));
  int64_t sw = strides[1];
  if (sw == 1)
    return {source, {n, ih, add(row, shift), c0}, padValue};
  // Output column `ow` reads input column sw * ow + shift: in the view of
  // the columns p, p + sw, ... (p = shift mod sw) that is ow + shift div sw.
  int64_t bias = ceilDiv(padding[1], sw) * sw; // shift + bias >= 0
  Value shifted = add(shift, constant(bias));
  Value phase = arith::RemUIOp::create(b, loc, shifted, constant(sw));
  Value offset = add(arith::DivUIOp::create(b, loc, shifted, constant(sw)),
                     constant(-bias / sw));
  auto type = cast<MemRefType>(source.getType());
  // ceil((W - phase) / sw) columns, at least one since phase < sw.
  Value columns = arith::DivUIOp::create(
      b, loc,
      arith::SubIOp::create(b, loc, constant(type.getDimSize(2) + sw - 1),
                            phase),
      constant(sw));
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), b.getIndexAttr(0),
                                       phase, b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {
      b.getIndexAttr(type.getDimSize(0)), b.getIndexAttr(type.getDimSize(1)),
      columns, b.getIndexAttr(type.getDimSize(3))};
  SmallVector<OpFoldResult> viewStrides = {b.getIndexAttr(1), b.getIndexAttr(1),
                                           b.getIndexAttr(sw),
                                           b.getIndexAttr(1)};
  Value columnsView =
      memref::SubViewOp::create(b, loc, source, offsets, sizes, viewStrides);
  return {columnsView, {n, ih, add(row, offset), c0}, padValue};
}

void ConvWindow::erasePadding() {
  for (Operation *padOp : padOps)
    padOp->erase();
  padOps.clear();
}

//===----------------------------------------------------------------------===//
// ImplicitGemm
//===----------------------------------------------------------------------===//

std::optional<ImplicitGemm> ImplicitGemm::match(linalg::LinalgOp op) {
  ImplicitGemm gemm;
  gemm.op = op;
  if (std::optional<TileableMatmul> mm = matchTileableMatmul(op)) {
    gemm.lhs = mm->a;
    gemm.rhs = mm->b;
    if (mm->a != mm->b) {
      gemm.transposedLhs = TransposedOperand::match(mm->a, op);
      gemm.transposedRhs = TransposedOperand::match(mm->b, op);
    }
    gemm.c = mm->c;
    gemm.in = mm->in;
    gemm.out = mm->out;
    gemm.acc = mm->acc;
    gemm.convert = mm->convert;
    if (mm->batched)
      gemm.lead.push_back(mm->batches);
    gemm.m = mm->m;
    gemm.n = mm->n;
    gemm.k = mm->k;
    return gemm;
  }
  auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation());
  if (!conv || !op.hasPureBufferSemantics())
    return std::nullopt;
  Value input = conv.getDpsInputs()[0], filter = conv.getDpsInputs()[1],
        output = conv.getDpsInits()[0];
  if (!isPlainMemRef(input) || !isPlainMemRef(filter) || !isPlainMemRef(output))
    return std::nullopt;
  auto filterType = cast<MemRefType>(filter.getType());
  auto outputType = cast<MemRefType>(output.getType());
  gemm.in = cast<MemRefType>(input.getType()).getElementType();
  gemm.out = outputType.getElementType();
  gemm.acc = accumulatorType(gemm.in);
  if (!gemm.acc || filterType.getElementType() != gemm.in)
    return std::nullopt;
  gemm.convert = gemm.out != gemm.acc;
  if (gemm.convert && !(isa<FloatType>(gemm.out) && isa<FloatType>(gemm.acc)))
    return std::nullopt;
  gemm.rhs = filter;
  gemm.c = output;
  gemm.window = ConvWindow::match(op, input, filterType.getDimSize(1),
                                  conv.getStrides(), conv.getDilations());
  gemm.lead = {outputType.getDimSize(0), outputType.getDimSize(1)};
  gemm.m = outputType.getDimSize(2);
  gemm.n = outputType.getDimSize(3);
  gemm.k = filterType.getDimSize(2);
  gemm.taps = filterType.getDimSize(0) * filterType.getDimSize(1);
  return gemm;
}

std::pair<Value, Value> ImplicitGemm::splitStep(OpBuilder &b, Location loc,
                                                Value step, int64_t kSteps,
                                                int64_t tk) const {
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  if (taps == 1)
    return {constant(0), arith::MulIOp::create(b, loc, step, constant(tk))};
  if (kSteps == 1)
    return {step, constant(0)};
  Value tap = arith::DivUIOp::create(b, loc, step, constant(kSteps));
  Value block = arith::RemUIOp::create(b, loc, step, constant(kSteps));
  return {tap, arith::MulIOp::create(b, loc, block, constant(tk))};
}

TileAddress ImplicitGemm::aTile(OpBuilder &b, Location loc,
                                ValueRange leadIndices, Value row, Value tap,
                                Value k0) const {
  if (window)
    return window->tile(b, loc, leadIndices[0], leadIndices[1], row, tap, k0);
  SmallVector<Value> indices(leadIndices);
  indices.append({row, k0});
  if (transposedLhs)
    transposedLhs->splitLeadIndex(b, loc, indices);
  return {lhs, indices};
}

TileAddress ImplicitGemm::bTile(OpBuilder &b, Location loc,
                                ValueRange leadIndices, Value col, Value tap,
                                Value k0) const {
  if (window) {
    auto [kh, kw] = window->tapOf(b, loc, tap);
    return {rhs, {kh, kw, k0, col}};
  }
  SmallVector<Value> indices(leadIndices);
  indices.append({k0, col});
  if (transposedRhs)
    transposedRhs->splitLeadIndex(b, loc, indices);
  return {rhs, indices};
}

void ImplicitGemm::readTransposedOperandsInPlace(OpBuilder &b) {
  if (transposedLhs)
    lhs = transposedLhs->view(b);
  if (transposedRhs)
    rhs = transposedRhs->view(b);
}

void ImplicitGemm::erase() {
  op->erase();
  if (window)
    window->erasePadding();
  if (transposedLhs)
    transposedLhs->erase();
  if (transposedRhs)
    transposedRhs->erase();
}

//===----------------------------------------------------------------------===//
// WindowReduction
//===----------------------------------------------------------------------===//

std::optional<WindowReduction> WindowReduction::match(linalg::LinalgOp op) {
  WindowReduction reduction;
  reduction.op = op;
  DenseIntElementsAttr strides, dilations;
  if (auto conv =
          dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(op.getOperation())) {
    reduction.kind = Kind::MultiplyAdd;
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else if (auto sum = dyn_cast<linalg::PoolingNhwcSumOp>(op.getOperation())) {
    reduction.kind = Kind::Add;
    strides = sum.getStrides();
    dilations = sum.getDilations();
  } else if (auto max = dyn_cast<linalg::PoolingNhwcMaxOp>(op.getOperation())) {
    reduction.kind = Kind::Max;
    strides = max.getStrides();
    dilations = max.getDilations();
  } else {
    return std::nullopt;
  }
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  Value input = op.getDpsInputs()[0], filter = op.getDpsInputs()[1],
        output = op.getDpsInits()[0];
  // A pooling's second operand only gives the window's shape.
  auto filterType = dyn_cast<MemRefType>(filter.getType());
  if (!isPlainMemRef(input) || !isPlainMemRef(output) || !filterType ||
      !filterType.hasStaticShape() ||
      (reduction.weighted() && !isPlainMemRef(filter)))
    return std::nullopt;
  auto outputType = cast<MemRefType>(output.getType());
  Type element = outputType.getElementType();
  if (!isa<FloatType>(element) ||
      cast<MemRefType>(input.getType()).getElementType() != element ||
      (reduction.weighted() && filterType.getElementType() != element))
    return std::nullopt;
  reduction.element = element;
  reduction.c = output;
  if (reduction.weighted())
    reduction.filter = filter;
  // A max pool's padding is its identity (-inf), read as such by the DMA.
  reduction.window =
      ConvWindow::match(op, input, filterType.getDimSize(1), strides, dilations,
                        reduction.kind == Kind::Max);
  reduction.lead = {outputType.getDimSize(0), outputType.getDimSize(1)};
  reduction.m = outputType.getDimSize(2);
  reduction.n = outputType.getDimSize(3);
  reduction.taps = filterType.getDimSize(0) * filterType.getDimSize(1);
  return reduction;
}

TileAddress WindowReduction::inputTile(OpBuilder &b, Location loc,
                                       ValueRange leadIndices, Value row,
                                       Value tap, Value c0) const {
  return window.tile(b, loc, leadIndices[0], leadIndices[1], row, tap, c0);
}

Value WindowReduction::weightRows(OpBuilder &b, Location loc,
                                  int64_t rows) const {
  auto type = cast<MemRefType>(filter.getType());
  int64_t kh = type.getDimSize(0), kw = type.getDimSize(1),
          channels = type.getDimSize(2);
  return stridedView(b, loc, filter, {kh, kw, rows, channels},
                     {kw * channels, channels, 0, 1});
}

TileAddress WindowReduction::weightTile(OpBuilder &b, Location loc, Value rows,
                                        Value tap, Value c0) const {
  auto [kh, kw] = window.tapOf(b, loc, tap);
  return {rows, {kh, kw, arith::ConstantIndexOp::create(b, loc, 0), c0}};
}

Value WindowReduction::combine(OpBuilder &b, Location loc, Value acc, Value x,
                               Value w) const {
  switch (kind) {
  case Kind::MultiplyAdd:
    return math::FmaOp::create(b, loc, x, w, acc);
  case Kind::Add:
    return arith::AddFOp::create(b, loc, acc, x);
  case Kind::Max:
    return arith::MaximumFOp::create(b, loc, acc, x);
  }
  llvm_unreachable("unknown window reduction");
}

void WindowReduction::erase() {
  op->erase();
  window.erasePadding();
}

linalg::FillOp constantFillBefore(linalg::LinalgOp op) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
  if (!fill || fill.getDpsInits()[0] != op.getDpsInits()[0] ||
      !matchPattern(fill.getInputs()[0], m_Constant()))
    return {};
  return fill;
}

WindowProgramPlan planWindowProgram(OpBuilder &b, const WindowReduction &window,
                                    int64_t tileElements, int64_t bytesLeft,
                                    int64_t rows) {
  WindowProgramPlan plan;
  linalg::LinalgOp op = window.op;
  plan.fill = constantFillBefore(op);
  plan.epilogues =
      collectMatmulEpilogues(op, window.c, plan.fill, tileElements, bytesLeft);
  prepareMatmulEpilogues(b, op, window.c, plan.epilogues);
  plan.stores = planTileStores(op, window.c, plan.fill, plan.epilogues);
  if (window.weighted())
    plan.weights = window.weightRows(b, op.getLoc(), rows);
  return plan;
}

TileStores planTileStores(linalg::LinalgOp op, Value c, linalg::FillOp fill,
                          ArrayRef<MatmulEpilogue> epilogues) {
  return std::move(
      planBranchStores(op, c, fill,
                       EpilogueBranches{SmallVector<MatmulEpilogue>(epilogues)})
          .front());
}

std::vector<TileStores> planBranchStores(linalg::LinalgOp op, Value c,
                                         linalg::FillOp fill,
                                         const EpilogueBranches &branches) {
  SmallVector<Operation *> replaced = {op};
  if (fill)
    replaced.push_back(fill);
  for (const SmallVector<MatmulEpilogue> &epilogues : branches)
    for (const MatmulEpilogue &e : epilogues)
      replaced.push_back(e.op);
  // Between the program and a branch's copies there may be the other
  // branches' ops and the copies of the branches matched before it; a
  // branch whose copies come earlier than those stores into its result,
  // which its copies then read.
  std::vector<TileStores> stores;
  for (ArrayRef<MatmulEpilogue> epilogues : branches) {
    // The tiles of the product, or of the chain's last op (a broadcast
    // stage's rows).
    SmallVector<int64_t> shape =
        epilogues.empty()
            ? SmallVector<int64_t>(cast<MemRefType>(c.getType()).getShape())
            : epilogues.back().viewShape(c);
    stores.push_back(TileStores::match(
        epilogues.empty() ? c : epilogues.back().output, shape, op, replaced));
    llvm::append_range(replaced, stores.back().absorbed());
  }
  OpBuilder b(op);
  for (TileStores &branch : stores)
    branch.prepare(b, op);
  return stores;
}

void eraseReplacedOps(linalg::FillOp fill, function_ref<void()> erase, Value c,
                      const EpilogueBranches &branches,
                      std::vector<TileStores> &stores) {
  if (fill)
    fill->erase();
  erase();
  eraseMatmulEpilogues(c, branches);
  for (TileStores &branch : stores)
    branch.erase();
}

void eraseReplacedOps(linalg::FillOp fill, function_ref<void()> erase, Value c,
                      ArrayRef<MatmulEpilogue> epilogues, TileStores &stores) {
  if (fill)
    fill->erase();
  erase();
  eraseMatmulEpilogues(c, epilogues);
  stores.erase();
}

} // namespace fungible
