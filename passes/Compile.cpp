//===- Compile.cpp - wl-compile: the fat multi-target module ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-compile: every kernel compiled by every target
// it is feasible on, each variant a nested module lowered by that target's
// own pipeline (Target::buildLoweringPipeline, as wl-lower runs it).
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"
#include "passes/PassSupport.h"
#include "passes/Passes.h"
#include "targets/Kernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Threading.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"

namespace fungible {
#define GEN_PASS_DEF_WORKLOADCOMPILEPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;

namespace fungible {
namespace {

struct WorkloadCompilePass
    : impl::WorkloadCompilePassBase<WorkloadCompilePass> {
  using Base::Base;

  /// Every target pipeline's dialects: they are built here, once the
  /// options are known and before any thread runs.
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<func::FuncDialect>();
    for (const Variant &variant : variants)
      if (variant.pipeline)
        variant.pipeline->getDependentDialects(registry);
  }

  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Pass::initializeOptions(options, errorHandler)))
      return failure();
    buildPipelines();
    return success();
  }

  void runOnOperation() override {
    if (!built)
      buildPipelines();
    ModuleOp module = getOperation();
    if (!error.empty()) {
      emitError(module.getLoc()) << "wl-compile: " << error;
      return signalPassFailure();
    }
    SmallVector<wl::KernelOp> kernels;
    for (auto func : module.getOps<FunctionOpInterface>())
      func->walk([&](wl::KernelOp kernel) { kernels.push_back(kernel); });
    // A variant is named <kernel>.<chip>: kernel names must be unique in
    // the module (wl-outline-kernels makes them so).
    llvm::StringMap<wl::KernelOp> byName;
    for (wl::KernelOp kernel : kernels) {
      auto [it, inserted] = byName.try_emplace(kernel.getSymName(), kernel);
      if (inserted)
        continue;
      InFlightDiagnostic diag =
          kernel.emitError()
          << "wl-compile: kernel name '" << kernel.getSymName()
          << "' is used twice in the module; its variants would clash "
             "(wl-outline-kernels names kernels uniquely in a module)";
      diag.attachNote(it->second.getLoc()) << "the other kernel of that name";
      return signalPassFailure();
    }
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToEnd(module.getBody());
    MLIRContext *context = &getContext();
    // First every variant's module is made (in order, so the output does
    // not depend on threads), then they are lowered in parallel, each by
    // its own copy of its target's pipeline, then the kernels are marked.
    struct Task {
      ModuleOp nested;
      wl::KernelOp kernel;
      unsigned kernelIndex;
      const Variant *variant;
    };
    std::vector<Task> tasks;
    std::vector<SmallVector<NamedAttribute>> skipped(kernels.size());
    for (auto [k, kernel] : llvm::enumerate(kernels)) {
      std::optional<KernelInfo> info = summarizeKernel(kernel);
      std::string fingerprint = kernelFingerprint(kernel);
      for (const Variant &variant : variants) {
        StringRef chip = variant.target->getName();
        if (!variant.pipeline) {
          skipped[k].emplace_back(chip, b.getStringAttr("no lowering"));
          continue;
        }
        if (info) {
          // The explanation is written only for the chips left out.
          if (!variant.target->estimate(*info, /*explain=*/false).feasible) {
            skipped[k].emplace_back(
                chip,
                b.getStringAttr("infeasible: " +
                                variant.target->estimate(*info).explanation));
            continue;
          }
        }
        std::string name = (kernel.getSymName() + "." + chip).str();
        auto nested = ModuleOp::create(b, kernel.getLoc(), StringRef(name));
        wl::WLDialect::KernelAttrHelper(context).setAttr(
            nested, kernel.getSymNameAttr());
        wl::WLDialect::TargetAttrHelper(context).setAttr(nested,
                                                         b.getStringAttr(chip));
        wl::WLDialect::KernelFingerprintAttrHelper(context).setAttr(
            nested, b.getStringAttr(fingerprint));
        OpBuilder nb = OpBuilder::atBlockEnd(nested.getBody());
        kernelAsFunction(nb, kernel, kernel.getSymName());
        tasks.push_back({nested, kernel, static_cast<unsigned>(k), &variant});
      }
    }
    // The variants' dialects were loaded by getDependentDialects, so
    // nothing is registered while the threads run.
    LogicalResult lowered =
        failableParallelForEach(context, tasks, [&](Task &task) {
          PassManager pm(context, ModuleOp::getOperationName());
          static_cast<OpPassManager &>(pm) = *task.variant->pipeline;
          if (succeeded(pm.run(task.nested)))
            return success();
          task.kernel.emitError()
              << "wl-compile: lowering kernel '" << task.kernel.getSymName()
              << "' for '" << task.variant->target->getName() << "' failed";
          return failure();
        });
    if (failed(lowered))
      return signalPassFailure();
    std::vector<SmallVector<Attribute>> compiled(kernels.size());
    for (const Task &task : tasks)
      compiled[task.kernelIndex].push_back(
          b.getStringAttr(task.variant->target->getName()));
    for (auto [k, kernel] : llvm::enumerate(kernels)) {
      wl::WLDialect::CompiledAttrHelper(context).setAttr(
          kernel, ArrayAttr::get(context, compiled[k]));
      if (!skipped[k].empty())
        wl::WLDialect::NotCompiledAttrHelper(context).setAttr(
            kernel, DictionaryAttr::get(context, skipped[k]));
    }
  }

private:
  struct Variant {
    const Target *target;
    /// Null when the target has no lowering.
    std::shared_ptr<OpPassManager> pipeline;
  };

  /// Builds every chosen target's pipeline, or sets `error`.
  void buildPipelines() {
    built = true;
    variants.clear();
    error.clear();
    llvm::Expected<TargetSelection> loaded = loadTargets(
        specsDir, optionValues(targetSpecs), optionValues(targets));
    if (!loaded) {
      error = llvm::toString(loaded.takeError());
      return;
    }
    selection = std::move(*loaded);
    for (const Target *target : selection.targets) {
      auto pm = std::make_shared<OpPassManager>(ModuleOp::getOperationName());
      llvm::Expected<bool> has = target->buildLoweringPipeline(*pm);
      if (!has) {
        error = llvm::toString(has.takeError());
        return;
      }
      variants.push_back({target, *has ? std::move(pm) : nullptr});
    }
  }

  TargetSelection selection;
  std::vector<Variant> variants;
  std::string error;
  bool built = false;
};

} // namespace
} // namespace fungible
