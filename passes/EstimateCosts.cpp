//===- EstimateCosts.cpp - Attach every target's estimates ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-estimate-costs: every selected target estimates
// every kernel, and the estimates are attached to the kernel as the
// `wl.estimates` dictionary, with `wl.cheapest` naming the best feasible
// target for the chosen metric.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialects/Workload/WorkloadOps.h"
#include "passes/PassSupport.h"
#include "targets/Kernels.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace fungible {
#define GEN_PASS_DEF_WORKLOADESTIMATECOSTSPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;

namespace {

DictionaryAttr toAttr(Builder &b, const CostEstimate &e) {
  NamedAttribute fields[] = {
      b.getNamedAttr("bound", b.getStringAttr(stringifyBound(e.bound))),
      b.getNamedAttr("dollars", b.getF64FloatAttr(e.dollars)),
      b.getNamedAttr("feasible", b.getBoolAttr(e.feasible)),
      b.getNamedAttr("joules", b.getF64FloatAttr(e.joules)),
      b.getNamedAttr("padding_waste", b.getF64FloatAttr(e.paddingWaste)),
      b.getNamedAttr("seconds", b.getF64FloatAttr(e.seconds)),
      b.getNamedAttr("utilization", b.getF64FloatAttr(e.utilization)),
  };
  return b.getDictionaryAttr(fields);
}

struct WorkloadEstimateCostsPass
    : fungible::impl::WorkloadEstimateCostsPassBase<WorkloadEstimateCostsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    FailureOr<TargetSelection> loaded =
        loadPassTargets(context, getArgument(), specsDir,
                        optionValues(targetSpecs), optionValues(targets));
    if (failed(loaded))
      return failure();
    selection = std::move(*loaded);
    return success();
  }

  void runOnOperation() override {
    Builder b(&getContext());
    for (const NamedKernel &kernel : collectKernels(getOperation())) {
      std::optional<KernelInfo> info = summarizeKernel(kernel.op);
      if (!info)
        continue;
      SmallVector<NamedAttribute> entries;
      const Target *best = nullptr;
      CostEstimate bestEstimate;
      for (const Target *target : selection.targets) {
        CostEstimate e = target->estimate(*info, /*explain=*/false);
        entries.push_back(b.getNamedAttr(target->getName(), toAttr(b, e)));
        if (e.feasible && (!best || valueOf(e, metric) <
                                        valueOf(bestEstimate, metric))) {
          best = target;
          bestEstimate = e;
        }
      }
      MLIRContext *context = &getContext();
      wl::WLDialect::EstimatesAttrHelper(context).setAttr(
          kernel.op, b.getDictionaryAttr(entries));
      wl::WLDialect::CheapestAttrHelper cheapest(context);
      if (best)
        cheapest.setAttr(kernel.op, b.getStringAttr(best->getName()));
      else
        kernel.op->removeAttr(cheapest.getName());
    }
  }

  TargetSelection selection;
};

} // namespace
