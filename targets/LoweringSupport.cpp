//===- LoweringSupport.cpp - What the targets' lowerings share --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"

#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace fungible {

LogicalResult addUpstreamPipeline(OpPassManager &pm, StringRef pipeline) {
  static bool registered = [] {
    registerAllPasses();
    return true;
  }();
  (void)registered;
  return parsePassPipeline(pipeline, pm);
}

LogicalResult
addBufferizedLinalgPipeline(OpPassManager &pm, bool deallocate,
                            function_ref<void(OpPassManager &)> onTensors) {
  pm.addPass(createConvertWorkloadToLinalgPass());
  // Elementwise arith/math on whole tensors (what opaque kernels may hold)
  // become linalg.generic, which bufferises; TOSA ops inside opaque kernels
  // take upstream's TOSA lowering.
  if (failed(addUpstreamPipeline(
          pm, "func.func(tosa-to-linalg-named, tosa-to-linalg, "
              "tosa-to-tensor, tosa-to-arith, convert-elementwise-to-linalg)")))
    return failure();
  if (onTensors)
    onTensors(pm);
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // Contiguous arguments: vector loads need a static innermost stride.
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Every buffer a kernel allocates and does not return is freed before it
  // returns (upstream's ownership-based deallocation); its results are the
  // caller's (HostExecutor frees them). Without it every host run leaked
  // its kernels' intermediate buffers (#18).
  if (deallocate) {
    bufferization::buildBufferDeallocationPipeline(pm);
    // The clones it makes of returned arguments become allocs and copies.
    return addUpstreamPipeline(pm, "convert-bufferization-to-memref");
  }
  return success();
}

bool isPlainMemRef(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  return type && type.hasStaticShape() && type.getLayout().isIdentity() &&
         type.getElementType().isIntOrFloat();
}

Value baseOf(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

Value permutedView(OpBuilder &b, Location loc, Value memref,
                   ArrayRef<int64_t> permutation) {
  return memref::TransposeOp::create(
      b, loc, memref,
      AffineMapAttr::get(
          AffineMap::getPermutationMap(permutation, b.getContext())));
}

Value viewAsRowsAndColumns(OpBuilder &b, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getRank() == 2)
    return value;
  if (type.getRank() == 1)
    return memref::ExpandShapeOp::create(
        b, loc, MemRefType::get({1, type.getDimSize(0)}, type.getElementType()),
        value, ArrayRef<ReassociationIndices>{{0, 1}});
  ReassociationIndices rows;
  for (int64_t d = 0; d + 1 < type.getRank(); ++d)
    rows.push_back(d);
  return memref::CollapseShapeOp::create(
      b, loc, value,
      ArrayRef<ReassociationIndices>{rows, {type.getRank() - 1}});
}

Value stridedView(OpBuilder &b, Location loc, Value memref,
                  ArrayRef<int64_t> shape, ArrayRef<int64_t> strides) {
  auto type = cast<MemRefType>(memref.getType());
  auto viewType = MemRefType::get(
      shape, type.getElementType(),
      StridedLayoutAttr::get(b.getContext(), /*offset=*/0, strides));
  SmallVector<OpFoldResult> sizes, strideValues;
  for (auto [size, stride] : llvm::zip(shape, strides)) {
    sizes.push_back(b.getIndexAttr(size));
    strideValues.push_back(b.getIndexAttr(stride));
  }
  return memref::ReinterpretCastOp::create(
      b, loc, viewType, memref, b.getIndexAttr(0), sizes, strideValues);
}

Value subview2d(OpBuilder &b, Location loc, Value memref,
                ArrayRef<OpFoldResult> offsets, OpFoldResult rows,
                OpFoldResult cols) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes(rank - 2, b.getIndexAttr(1));
  sizes.push_back(rows);
  sizes.push_back(cols);
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  SmallVector<int64_t> shape = {
      getConstantIntValue(rows).value_or(ShapedType::kDynamic),
      getConstantIntValue(cols).value_or(ShapedType::kDynamic)};
  MemRefType viewType = memref::SubViewOp::inferRankReducedResultType(
      shape, type, offsets, sizes, strides);
  return memref::SubViewOp::create(b, loc, viewType, memref, offsets, sizes,
                                   strides);
}

namespace {

/// A body a vector unit computes element by element: no side effects and
/// no linalg.index.
bool hasPureScalarBody(linalg::GenericOp generic) {
  bool pure = true;
  generic.getBody()->walk([&](Operation *inner) {
    if (isa<linalg::IndexOp>(inner) || !isMemoryEffectFree(inner))
      pure = false;
  });
  return pure;
}

bool isTileableElementwise(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumLoops() == 0 ||
      op.getNumReductionLoops() != 0 || !op.hasPureBufferSemantics())
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    if (isa<linalg::FillOp>(op) && !isa<ShapedType>(operand.get().getType()))
      continue; // The fill's value: a scalar.
    if (!isPlainMemRef(operand.get()) ||
        !op.getMatchingIndexingMap(&operand).isIdentity())
      return false;
  }
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation()))
    return hasPureScalarBody(generic);
  auto fill = dyn_cast<linalg::FillOp>(op.getOperation());
  return fill && fill.getInputs()[0].getType() ==
                     cast<MemRefType>(fill.getDpsInits()[0].getType())
                         .getElementType();
}

} // namespace

std::optional<TileableElementwise>
matchTileableElementwise(linalg::LinalgOp op) {
  if (!isTileableElementwise(op))
    return std::nullopt;
  TileableElementwise ew;
  ew.output = op.getDpsInits()[0];
  ew.outputType = cast<MemRefType>(ew.output.getType());
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation())) {
    ew.inputs.append(generic.getInputs().begin(), generic.getInputs().end());
    if (!generic.getRegionOutputArgs()[0].use_empty())
      ew.inputs.push_back(ew.output);
  }
  ew.cols = ew.outputType.getShape().back();
  ew.rows = ew.outputType.getNumElements() / std::max<int64_t>(ew.cols, 1);
  if (ew.rows == 0 || ew.cols == 0)
    return std::nullopt;
  return ew;
}

std::optional<TileableRowOp> matchTileableRowOp(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumDpsInits() != 1 ||
      !generic.hasPureBufferSemantics() || generic.getNumLoops() < 2)
    return std::nullopt;
  unsigned n = generic.getNumLoops();
  SmallVector<utils::IteratorType> iterators =
      generic.getIteratorTypesArray();
  for (unsigned d = 0; d + 1 < n; ++d)
    if (iterators[d] != utils::IteratorType::parallel)
      return std::nullopt;
  MLIRContext *context = op->getContext();
  AffineMap whole = AffineMap::getMultiDimIdentityMap(n, context);
  AffineMap row = whole.dropResult(n - 1);
  // The same per-row value broadcast from a last dimension of extent 1.
  AffineMap rowBroadcast =
      row.insertResult(getAffineConstantExpr(0, context), n - 1);
  AffineMap column = AffineMap::get(n, 0, getAffineDimExpr(n - 1, context));
  TileableRowOp match;
  match.reduction = iterators[n - 1] == utils::IteratorType::reduction;
  bool anyPartial = false;
  for (OpOperand *operand : generic.getDpsInputOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(operand);
    RowOperand kind = map == whole ? RowOperand::Whole
                      : map == row || map == rowBroadcast
                          ? RowOperand::PerRow
                          : RowOperand::PerColumn;
    if (!isPlainMemRef(operand->get()) ||
        (kind == RowOperand::PerColumn && map != column))
      return std::nullopt;
    match.inputs.push_back(operand->get());
    match.kinds.push_back(kind);
    anyPartial |= kind != RowOperand::Whole;
  }
  OpOperand &init = generic.getDpsInitsMutable()[0];
  match.output = init.get();
  AffineMap outMap = generic.getMatchingIndexingMap(&init);
  bool outputRead = !generic.getRegionOutputArgs()[0].use_empty();
  if (!isPlainMemRef(match.output) ||
      (match.reduction ? outMap != row
                       : (outMap != whole || !anyPartial || outputRead)))
    return std::nullopt;
  if (!hasPureScalarBody(generic))
    return std::nullopt;
  SmallVector<int64_t> ranges = generic.getStaticLoopRanges();
  match.cols = ranges.back();
  match.rows = 1;
  for (unsigned d = 0; d + 1 < n; ++d)
    match.rows *= ranges[d];
  if (match.rows <= 0 || match.cols <= 0)
    return std::nullopt;
  return match;
}

/// `value` (rank >= 1) collapsed to one dimension, then viewed as one
/// column (`n x 1`) or one row (`1 x n`).
static Value viewAsVector(OpBuilder &b, Location loc, Value value,
                          bool column) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getRank() > 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < type.getRank(); ++d)
      all.push_back(d);
    value = memref::CollapseShapeOp::create(
        b, loc, value, ArrayRef<ReassociationIndices>{all});
  }
  int64_t n = type.getNumElements();
  SmallVector<int64_t, 2> shape = {column ? n : 1, column ? 1 : n};
  return memref::ExpandShapeOp::create(
      b, loc, MemRefType::get(shape, type.getElementType()), value,
      ArrayRef<ReassociationIndices>{{0, 1}});
}

Value viewAsColumn(OpBuilder &b, Location loc, Value value) {
  return viewAsVector(b, loc, value, /*column=*/true);
}

Value viewAsRow(OpBuilder &b, Location loc, Value value) {
  return viewAsVector(b, loc, value, /*column=*/false);
}

Value viewAsRowOperand(OpBuilder &b, Location loc, Value value,
                       RowOperand kind) {
  switch (kind) {
  case RowOperand::PerRow:
    return viewAsColumn(b, loc, value);
  case RowOperand::PerColumn:
    return viewAsRow(b, loc, value);
  case RowOperand::Whole:
    break;
  }
  return viewAsRowsAndColumns(b, loc, value);
}

void mapLinalgOps(ModuleOp module, function_ref<bool(linalg::LinalgOp)> map,
                  StringRef attribute, int64_t value) {
  auto type = IntegerType::get(module.getContext(), 64);
  // Matmuls, convolutions and poolings first: each takes the fill just
  // before it as its accumulator's start, and a convolution or pooling the
  // zero padding of its input, which must not have become programs of
  // their own by then.
  for (bool matmuls : {true, false}) {
    SmallVector<linalg::LinalgOp> ops;
    module.walk([&](linalg::LinalgOp op) {
      if (isAccumulatingOp(op) == matmuls)
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      auto func = op->getParentOfType<FunctionOpInterface>();
      if (map(op) && func)
        func->setAttr(attribute, IntegerAttr::get(type, value));
    }
  }
}

void mapFunctions(ModuleOp module, function_ref<bool(Operation *)> map,
                  StringRef attribute, int64_t value) {
  auto type = IntegerType::get(module.getContext(), 64);
  module.walk([&](FunctionOpInterface func) {
    if (map(func))
      func->setAttr(attribute, IntegerAttr::get(type, value));
  });
}

Value cloneScalarBody(OpBuilder &b, linalg::LinalgOp op, ValueRange args) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic)
    return op.getDpsInputs()[0];
  Block &original = *generic.getBody();
  int64_t numInputs = generic.getNumDpsInputs();
  IRMapping mapping;
  for (auto [from, to] :
       llvm::zip(original.getArguments().take_front(numInputs), args))
    mapping.map(from, to);
  if (static_cast<int64_t>(args.size()) > numInputs)
    mapping.map(original.getArguments().back(), args.back());
  for (Operation &inner : original.without_terminator())
    b.clone(inner, mapping);
  return mapping.lookupOrDefault(original.getTerminator()->getOperand(0));
}

bool isPlainNamedMatmul(linalg::LinalgOp op) {
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation()))
    return !matmul.hasUserDefinedMaps() &&
           matmul.getCast() == linalg::TypeFn::cast_signed;
  if (auto batched = dyn_cast<linalg::BatchMatmulOp>(op.getOperation()))
    return !batched.hasUserDefinedMaps() &&
           batched.getCast() == linalg::TypeFn::cast_signed;
  return false;
}

/// The addf in `body` that adds a product used nowhere else to the
/// accumulator `acc` (the output's block argument), and that product's
/// mulf; nulls when there is none.
static std::pair<arith::AddFOp, arith::MulFOp>
productAccumulation(Block &body, Value acc) {
  for (Operation &op : body) {
    auto add = dyn_cast<arith::AddFOp>(op);
    if (!add)
      continue;
    Value other = add.getLhs() == acc   ? add.getRhs()
                  : add.getRhs() == acc ? add.getLhs()
                                        : Value();
    auto mul = other ? other.getDefiningOp<arith::MulFOp>() : nullptr;
    if (mul && mul->hasOneUse())
      return {add, mul};
  }
  return {};
}

void fuseContractionAccumulations(
    Operation *root, llvm::function_ref<bool(linalg::LinalgOp)> keep) {
  SmallVector<linalg::LinalgOp> ops;
  root->walk([&](linalg::LinalgOp op) {
    if ((keep && keep(op)) || op.getNumDpsInits() != 1 ||
        !isa<FloatType>(getElementTypeOrSelf(op.getDpsInits()[0])) ||
        !(linalg::isaContractionOpInterface(op) ||
          linalg::isaConvolutionOpInterface(op)))
      return;
    Block *body = op.getBlock();
    if (productAccumulation(*body, body->getArguments().back()).first)
      ops.push_back(op);
  });
  IRRewriter rewriter(root->getContext());
  for (linalg::LinalgOp op : ops) {
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::GenericOp> generalized =
          linalg::generalizeNamedOp(rewriter, op);
      if (failed(generalized))
        continue;
      generic = *generalized;
    }
    // Found again in the generic's own body (generalising makes a new one).
    Block *body = generic.getBody();
    Value acc = body->getArguments().back();
    auto [add, mul] = productAccumulation(*body, acc);
    if (!add)
      continue;
    rewriter.setInsertionPoint(add);
    rewriter.replaceOpWithNewOp<math::FmaOp>(add, mul.getLhs(), mul.getRhs(),
                                             acc);
    rewriter.eraseOp(mul);
  }
}

std::optional<TileableMatmul> matchTileableMatmul(linalg::LinalgOp op) {
  if (!isPlainNamedMatmul(op))
    return std::nullopt;
  TileableMatmul mm;
  mm.a = op.getDpsInputs()[0];
  mm.b = op.getDpsInputs()[1];
  mm.c = op.getDpsInits()[0];
  if (!isPlainMemRef(mm.a) || !isPlainMemRef(mm.b) || !isPlainMemRef(mm.c))
    return std::nullopt;
  auto aType = cast<MemRefType>(mm.a.getType());
  auto cType = cast<MemRefType>(mm.c.getType());
  mm.in = aType.getElementType();
  mm.out = cType.getElementType();
  mm.acc = accumulatorType(mm.in);
  if (!mm.acc || cast<MemRefType>(mm.b.getType()).getElementType() != mm.in)
    return std::nullopt;
  mm.convert = mm.out != mm.acc;
  if (mm.convert && !(isa<FloatType>(mm.out) && isa<FloatType>(mm.acc)))
    return std::nullopt;
  mm.batched = isa<linalg::BatchMatmulOp>(op.getOperation());
  int64_t r = aType.getRank();
  mm.batches = mm.batched ? aType.getDimSize(0) : 1;
  mm.m = aType.getDimSize(r - 2);
  mm.k = aType.getDimSize(r - 1);
  mm.n = cType.getDimSize(r - 1);
  return mm;
}

bool isAccumulatingOp(linalg::LinalgOp op) {
  return isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
             linalg::DepthwiseConv2DNhwcHwcOp, linalg::PoolingNhwcSumOp,
             linalg::PoolingNhwcMaxOp>(op.getOperation());
}

linalg::FillOp zeroFillBefore(linalg::LinalgOp op) {
  // Views and constants may lie between them (an operand's reshape).
  Operation *before = op->getPrevNode();
  while (before && isMemoryEffectFree(before) && before->getNumRegions() == 0)
    before = before->getPrevNode();
  auto fill = dyn_cast_or_null<linalg::FillOp>(before);
  if (!fill || fill.getDpsInits()[0] != op.getDpsInits()[0])
    return {};
  Value value = fill.getInputs()[0];
  if (matchPattern(value, m_AnyZeroFloat()) || matchPattern(value, m_Zero()))
    return fill;
  return {};
}

Type accumulatorType(Type in) {
  MLIRContext *context = in.getContext();
  if (isa<Float8E4M3FNType, BFloat16Type, Float16Type, Float32Type>(in))
    return Float32Type::get(context);
  if (in.isInteger(8))
    return IntegerType::get(context, 32);
  return {};
}

Value convertFloat(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  if (type.getIntOrFloatBitWidth() < value.getType().getIntOrFloatBitWidth())
    return arith::TruncFOp::create(b, loc, type, value);
  return arith::ExtFOp::create(b, loc, type, value);
}

void beginScopedProgram(OpBuilder &b, Operation *op) {
  b.setInsertionPoint(op);
  auto scope = memref::AllocaScopeOp::create(b, op->getLoc(), TypeRange());
  Block *body = new Block();
  scope.getBodyRegion().push_back(body);
  b.setInsertionPointToStart(body);
  memref::AllocaScopeReturnOp::create(b, op->getLoc(), ValueRange());
  b.setInsertionPointToStart(body);
}

Operation *enclosingProgram(OpBuilder &b) {
  Block *block = b.getInsertionBlock();
  if (!block)
    return nullptr;
  if (auto scope =
          dyn_cast_or_null<memref::AllocaScopeOp>(block->getParentOp()))
    return scope;
  return block->getParentOp()->getParentOfType<memref::AllocaScopeOp>();
}

void LoopBuilder::ifFirst(Value index, function_ref<void()> body) {
  Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, index,
                                      this->index(0));
  auto op = scf::IfOp::create(b, loc, first, /*withElseRegion=*/false);
  b.setInsertionPoint(op.thenBlock()->getTerminator());
  body();
  b.setInsertionPointAfter(op);
}

Value LoopBuilder::index(int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value LoopBuilder::loop(int64_t upper, int64_t step) {
  auto op = scf::ForOp::create(b, loc, index(0), index(upper), index(step));
  b.setInsertionPoint(op.getBody()->getTerminator());
  return op.getInductionVar();
}

TileLoops LoopBuilder::tileLoops(ArrayRef<int64_t> lead, int64_t m, int64_t tm,
                                 int64_t n, int64_t tn) {
  TileLoops loops;
  for (int64_t extent : lead)
    loops.lead.push_back(loop(extent, 1));
  loops.row = loop(m, tm);
  loops.col = loop(n, tn);
  return loops;
}

int64_t byteWidth(Type type) {
  return (static_cast<int64_t>(type.getIntOrFloatBitWidth()) + 7) / 8;
}

} // namespace fungible
