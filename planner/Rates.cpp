//===- Rates.cpp - What a chip does for a workload --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements workloadRates and givenRate (Plan.h): a workload's
// step on each chip from Fungible's cost models, the planner's evidence.
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"

#include "dialects/Workload/WorkloadOps.h"
#include "placement/ProblemBuilder.h"
#include "runtime/Run.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;

namespace fungible::planner {

namespace {
/// A serving workload's latency bound: a chip whose step takes longer
/// cannot serve it.
void applyLatencyBound(const Workload &workload, Rate &r) {
  if (!r.feasible || !workload.latencyBound ||
      r.stepSeconds <= *workload.latencyBound)
    return;
  r.feasible = false;
  r.reason = llvm::formatv("a step takes {0} s, over its latency bound of "
                           "{1} s",
                           llvm::format("%.4g", r.stepSeconds),
                           llvm::format("%.4g", *workload.latencyBound))
                 .str();
}
} // namespace

Rate givenRate(const Workload &workload, llvm::StringRef chip,
               double unitsPerSecond, double pricePerHour) {
  Rate r;
  r.workload = workload.name;
  r.chip = chip.str();
  r.source = "given";
  r.feasible = unitsPerSecond > 0;
  if (!r.feasible) {
    r.reason = "the plan gives it a rate of 0";
    return r;
  }
  r.unitsPerSecond = unitsPerSecond;
  r.stepSeconds = workload.unitsPerStep / unitsPerSecond;
  r.dollarsPerUnit = pricePerHour / 3600 / unitsPerSecond;
  applyLatencyBound(workload, r);
  return r;
}

std::vector<Rate> workloadRates(const Workload &workload,
                                runtime::PreparedModel &model,
                                llvm::ArrayRef<const Target *> chips,
                                llvm::ArrayRef<double> pricesPerHour) {
  func::FuncOp func = model.func;
  std::vector<Operation *> kernels;
  std::vector<std::string> names;
  for (wl::KernelOp k : func.getBody().getOps<wl::KernelOp>()) {
    kernels.push_back(k);
    names.push_back(k.getSymName().str());
  }
  // Memory of one replica: the arguments (weights, inputs) and every
  // kernel's results (activations, as training keeps them).
  double bytes = wl::detail::sumTensorBytes(ValueRange(func.getArguments()));
  // Buffers the step keeps (a decode step's KV caches as memref arguments).
  for (Type type : func.getArgumentTypes())
    if (auto buffer = dyn_cast<MemRefType>(type);
        buffer && buffer.hasStaticShape())
      bytes += double(buffer.getNumElements()) *
               wl::detail::elementBytes(buffer.getElementType());
  for (Operation *k : kernels)
    bytes += wl::detail::sumTensorBytes(ValueRange(k->getResults()));
  placement::PlacementProblem problem =
      placement::buildPlacementProblem(kernels, names, chips, Objective::Time);
  std::vector<Rate> rates;
  for (auto [c, target] : llvm::enumerate(chips)) {
    Rate r;
    r.workload = workload.name;
    r.chip = target->getSpec().id;
    r.source = "model";
    double seconds = 0;
    std::string blocked, why;
    for (unsigned k = 0; k < kernels.size(); ++k) {
      const CostEstimate &e = problem.estimates[k][c];
      if (!e.feasible && blocked.empty()) {
        blocked = names[k];
        why = e.explanation;
      }
      seconds += e.seconds;
    }
    if (kernels.empty()) {
      r.reason = "its model has no kernels";
    } else if (!blocked.empty()) {
      r.reason = "kernel '" + blocked + "' cannot run on " + r.chip +
                 (why.empty() ? std::string() : " (" + why + ")");
    } else if (!(seconds > 0)) {
      r.reason = "its estimated step takes no time";
    } else {
      double memory = target->getSpec().memoryGB.value * 1e9;
      r.feasible = true;
      r.stepSeconds = seconds;
      r.chipsPerReplica = static_cast<unsigned>(
          std::max(1.0, std::ceil(bytes / std::max(memory, 1.0))));
      r.unitsPerSecond = workload.unitsPerStep / (seconds * r.chipsPerReplica);
      r.dollarsPerUnit = pricesPerHour[c] / 3600 / r.unitsPerSecond;
      applyLatencyBound(workload, r);
    }
    rates.push_back(std::move(r));
  }
  return rates;
}

} // namespace fungible::planner
