//===- Lower.cpp - wl-lower: one target's lowering pipeline -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-lower{target=<chip>}: the target's own lowering
// pipeline (Target::buildLoweringPipeline) run on the module as a dynamic
// pipeline.
//
//===----------------------------------------------------------------------===//

#include "passes/PassSupport.h"
#include "passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"

namespace fungible {
#define GEN_PASS_DEF_WORKLOADLOWERPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;

namespace fungible {
namespace {

struct WorkloadLowerPass
    : impl::WorkloadLowerPassBase<WorkloadLowerPass> {
  using Base::Base;

  /// The dependent dialects are those of the target's pipeline: it is
  /// built here, once the options are known and before any thread runs.
  void getDependentDialects(DialectRegistry &registry) const override {
    if (pipeline)
      pipeline->getDependentDialects(registry);
  }

  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Pass::initializeOptions(options, errorHandler)))
      return failure();
    buildPipeline();
    return success();
  }

  void runOnOperation() override {
    if (!pipeline && error.empty())
      buildPipeline();
    if (!pipeline) {
      emitError(getOperation().getLoc()) << "wl-lower: " << error;
      return signalPassFailure();
    }
    if (failed(runPipeline(*pipeline, getOperation())))
      signalPassFailure();
  }

private:
  /// Builds the target's pipeline, or sets `error`.
  void buildPipeline() {
    pipeline.reset();
    error.clear();
    if (target.empty()) {
      error = "option 'target' is required (a chip id, such as h100)";
      return;
    }
    llvm::Expected<TargetSelection> selection =
        loadTargets(specsDir, optionValues(targetSpecs), {target.getValue()});
    if (!selection) {
      error = llvm::toString(selection.takeError());
      return;
    }
    const Target *chip = selection->targets.front();
    auto pm = std::make_shared<OpPassManager>(ModuleOp::getOperationName());
    llvm::Expected<bool> built = emulate ? chip->buildEmulationPipeline(*pm)
                                         : chip->buildLoweringPipeline(*pm);
    if (!built) {
      error = llvm::toString(built.takeError());
      return;
    }
    if (!*built) {
      std::vector<std::string> lowerable;
      for (const std::string &name : selection->registry->getNames())
        if (hasPipeline(*selection->registry->lookup(name),
                        emulate ? &Target::buildEmulationPipeline
                                : &Target::buildLoweringPipeline))
          lowerable.push_back(name);
      error = "target '" + target.getValue() + "' (family " +
              stringifyChipFamily(chip->getFamily()).str() +
              ") has no " + (emulate ? "host emulation" : "lowering") +
              " pipeline yet; targets with one: " +
              llvm::join(lowerable, ", ");
      return;
    }
    pipeline = std::move(pm);
  }

  std::shared_ptr<OpPassManager> pipeline;
  std::string error;
};

} // namespace

} // namespace fungible
