//===- Import.cpp - wl-import -----------------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-import: it rejects dynamic shapes, raises linalg,
// tensor and TOSA ops into wl with the conversion patterns, and wraps what
// is left of the work (linalg and TOSA compute ops) into wl.opaque kernels.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialects/Workload/WorkloadOps.h"
#include "passes/Conversion/LinalgToWorkload/Attention.h"
#include "passes/Conversion/LinalgToWorkload/Idioms.h"
#include "passes/Conversion/LinalgToWorkload/Layout.h"
#include "passes/Conversion/LinalgToWorkload/LinalgToWorkload.h"
#include "passes/Conversion/TosaToWorkload/TosaToWorkload.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace fungible {
#define GEN_PASS_DEF_WORKLOADIMPORTPASS
#define GEN_PASS_DEF_WORKLOADWRAPLEFTOVERSPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;

namespace {

/// Linalg and TOSA ops that do work: what becomes an opaque kernel when it
/// could not be raised. Inits (linalg.fill) and constants are not kernels.
bool isUnraisedKernel(Operation *op) {
  if (op->getParentOfType<wl::OpaqueOp>())
    return false;
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return !isa<linalg::FillOp>(op) && linalgOp.hasPureTensorSemantics();
  if (isa<linalg::SoftmaxOp>(op))
    return true;
  if (isa<tosa::TosaDialect>(op->getDialect()))
    return !isa<tosa::ConstOp, tosa::ConstShapeOp>(op) &&
           op->getNumResults() > 0 &&
           isa<RankedTensorType>(op->getResult(0).getType());
  return false;
}

/// Whether an op of an imported dialect has a tensor type we cannot handle.
std::optional<Type> unsupportedShape(Operation *op) {
  if (!isa<linalg::LinalgDialect, tosa::TosaDialect>(op->getDialect()))
    return std::nullopt;
  for (Type type : llvm::concat<Type>(op->getOperandTypes(),
                                      op->getResultTypes())) {
    if (isa<UnrankedTensorType>(type))
      return type;
    if (auto ranked = dyn_cast<RankedTensorType>(type))
      if (!ranked.hasStaticShape())
        return type;
  }
  return std::nullopt;
}

} // namespace

bool fungible::isMadeAgainInside(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return false;
  if (isa<tensor::EmptyOp>(def))
    return true;
  if (isa<ShapedType>(v.getType()))
    return false;
  return matchPattern(v, m_Constant()) || isPureScalar(def);
}

bool fungible::isPureScalar(Operation *op) {
  return op->getNumRegions() == 0 && op->getNumResults() > 0 && isPure(op) &&
         llvm::none_of(op->getResultTypes(),
                       [](Type t) { return isa<ShapedType>(t); });
}

void fungible::eraseDeadScalarCode(Block &block,
                                   function_ref<bool(Operation *)> alsoDead) {
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
    if ((isPureScalar(&op) || (alsoDead && alsoDead(&op))) &&
        !op.hasTrait<OpTrait::ConstantLike>() && op.use_empty())
      op.erase();
}

void fungible::wrapInOpaque(Operation *op) {
  llvm::SetVector<Value> used(op->getOperands().begin(),
                              op->getOperands().end());
  getUsedValuesDefinedAbove(op->getRegions(), used);
  // What is made again inside, in an order that defines before use, and
  // what comes in.
  SmallVector<Value> inputs;
  llvm::SetVector<Operation *> remade;
  std::function<void(Value)> visit = [&](Value value) {
    if (!isMadeAgainInside(value)) {
      if (!llvm::is_contained(inputs, value))
        inputs.push_back(value);
      return;
    }
    Operation *def = value.getDefiningOp();
    if (remade.contains(def))
      return;
    for (Value operand : def->getOperands())
      visit(operand);
    remade.insert(def);
  };
  for (Value value : used)
    visit(value);
  OpBuilder b(op);
  auto opaque = wl::OpaqueOp::create(b, op->getLoc(), op->getResultTypes(),
                                     inputs, op->getName().getStringRef());
  Block &block = opaque.getBody().front();
  b.setInsertionPointToStart(&block);
  IRMapping mapping;
  mapping.map(inputs, block.getArguments());
  for (Operation *def : remade)
    b.clone(*def, mapping);
  Operation *clone = b.clone(*op, mapping);
  wl::YieldOp::create(b, op->getLoc(), clone->getResults());
  op->replaceAllUsesWith(opaque.getResults());
  op->erase();
}

LogicalResult fungible::raiseIntoWorkload(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  RewritePatternSet patterns(ctx);
  populateLinalgToWorkloadPatterns(patterns);
  populateTensorToWorkloadPatterns(patterns);
  populateTosaToWorkloadPatterns(patterns);
  // Convolution taps that only read padding go as soon as a convolution
  // is raised (their filter slices fold into the constant weights).
  wl::Conv2DOp::getCanonicalizationPatterns(patterns, ctx);
  wl::SliceOp::getCanonicalizationPatterns(patterns, ctx);
  if (failed(applyPatternsGreedily(module, std::move(patterns)))) {
    module.emitError("wl-import: raising did not converge");
    return failure();
  }
  // Idioms spread over several ops are fused once everything that can be
  // raised is wl, so each matcher sees the whole expression.
  RewritePatternSet idioms(ctx);
  import::populateIdiomPatterns(idioms);
  if (failed(applyPatternsGreedily(module, std::move(idioms)))) {
    module.emitError("wl-import: fusing idioms did not converge");
    return failure();
  }
  // Then layout transposes (and broadcasts) sink past layout-blind ops
  // and cancel, and then the reshapes left between elementwise ops sink
  // and fold. A reshape that sank may let a transpose or a broadcast sink
  // further (a cos of a reshape of a broadcast), so the two alternate
  // until neither moves anything.
  RewritePatternSet layoutSet(ctx), reshapeSet(ctx);
  import::populateTransposeSinkingPatterns(layoutSet);
  import::populateReshapeSinkingPatterns(reshapeSet);
  FrozenRewritePatternSet layout(std::move(layoutSet)),
      reshapes(std::move(reshapeSet));
  for (int round = 0, kRounds = 4; round < kRounds; ++round) {
    bool moved = false, reshaped = false;
    if (failed(applyPatternsGreedily(module, layout, {}, &moved))) {
      module.emitError("wl-import: sinking transposes did not converge");
      return failure();
    }
    if (failed(applyPatternsGreedily(module, reshapes, {}, &reshaped))) {
      module.emitError("wl-import: sinking reshapes did not converge");
      return failure();
    }
    if (!reshaped || (round > 0 && !moved))
      break;
  }

  // Then an attention written out, its reshapes now where they settle,
  // becomes one wl.attention.
  RewritePatternSet attention(ctx);
  import::populateAttentionFusionPatterns(attention);
  if (failed(applyPatternsGreedily(module, std::move(attention)))) {
    module.emitError("wl-import: fusing attention did not converge");
    return failure();
  }

  SmallVector<Operation *> leftovers;
  module.walk([&](Operation *op) {
    if (isUnraisedKernel(op))
      leftovers.push_back(op);
  });
  for (Operation *op : leftovers)
    wrapInOpaque(op);
  return success();
}

namespace {

struct WorkloadImportPass
    : fungible::impl::WorkloadImportPassBase<WorkloadImportPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    WalkResult shapes = module.walk([](Operation *op) {
      if (std::optional<Type> type = unsupportedShape(op)) {
        op->emitError("dynamic shapes are not supported yet: '")
            << op->getName() << "' has type " << *type;
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (shapes.wasInterrupted())
      return signalPassFailure();

    if (failed(raiseIntoWorkload(module)))
      signalPassFailure();
  }
};

struct WorkloadWrapLeftoversPass
    : fungible::impl::WorkloadWrapLeftoversPassBase<WorkloadWrapLeftoversPass> {
  void runOnOperation() override {
    getOperation().walk([&](func::FuncOp f) {
      if (f.isExternal())
        return;
      for (Operation &op : llvm::make_early_inc_range(f.getBody().front()))
        if (!isa<wl::WLDialect>(op.getDialect()) &&
            !op.hasTrait<OpTrait::ConstantLike>() &&
            !isa<tensor::EmptyOp>(op) && op.getNumResults() &&
            // A memref argument's contents (wl-wrap-buffer-code's).
            !isArgumentContents(&op) &&
            llvm::all_of(op.getResultTypes(),
                         [](Type t) { return isa<RankedTensorType>(t); }))
          wrapInOpaque(&op);
      // Scalar code the kernels took copies of is dead now.
      eraseDeadScalarCode(f.getBody().front());
    });
  }
};

struct ImportAndOutlineOptions
    : mlir::PassPipelineOptions<ImportAndOutlineOptions> {
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("Fuse consumers into kernels (off: every "
                                   "wl op a kernel of its own)"),
                    llvm::cl::init(true)};
  Option<bool> raiseLoops{
      *this, "raise-loops",
      llvm::cl::desc("Raise loops over buffers into ops on tensors (off: "
                     "each run of buffer code one opaque kernel)"),
      llvm::cl::init(true)};
};
} // namespace

void fungible::buildImportAndOutlinePipeline(OpPassManager &pm, bool fuse,
                                             bool raiseLoops) {
  pm.addPass(createInlinerPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createWorkloadImportPass());
  pm.addPass(createWorkloadWrapBufferCodePass());
  if (raiseLoops)
    pm.addPass(createWorkloadRaiseBufferLoopsPass());
  pm.addPass(createWorkloadWrapLeftoversPass());
  WorkloadOutlineKernelsPassOptions outline;
  outline.fuse = fuse;
  pm.addPass(createWorkloadOutlineKernelsPass(outline));
}

void fungible::registerImportAndOutlinePipeline() {
  PassPipelineRegistration<ImportAndOutlineOptions>(
      "wl-import-and-outline",
      "Inline, canonicalize, wl-import, wl-wrap-buffer-code, "
      "wl-raise-buffer-loops, wl-wrap-leftovers and "
      "wl-outline-kernels: the kernels every tool costs, places and runs",
      [](OpPassManager &pm, const ImportAndOutlineOptions &options) {
        buildImportAndOutlinePipeline(pm, options.fuse, options.raiseLoops);
      });
}
