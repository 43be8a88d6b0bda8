//===- ProblemBuilder.cpp - A function's placement problem ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements buildPlacementProblem (ProblemBuilder.h).
//
//===----------------------------------------------------------------------===//

#include "placement/ProblemBuilder.h"
#include "placement/Links.h"

#include "dialects/Workload/WorkloadOps.h"
#include "targets/Kernels.h"

#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace fungible::placement {

std::pair<int, unsigned> findProducer(Value value, const KernelIndex &index) {
  while (auto transfer = value.getDefiningOp<wl::TransferOp>())
    value = transfer.getInput();
  auto it = index.find(value.getDefiningOp());
  if (it == index.end())
    return {-1, 0};
  return {static_cast<int>(it->second),
          cast<OpResult>(value).getResultNumber()};
}

PlacementProblem buildPlacementProblem(ArrayRef<Operation *> kernels,
                                       ArrayRef<std::string> names,
                                       ArrayRef<const Target *> targets,
                                       Objective objective,
                                       std::optional<Cap> cap) {
  unsigned n = kernels.size(), t = targets.size();
  PlacementProblem result{Problem(n, t), std::nullopt, 0, {}, KernelIndex()};
  Problem &problem = result.problem;
  if (cap) {
    result.capped.emplace(n, t);
    result.limit = cap->second;
  }
  problem.kernelNames.assign(names.begin(), names.end());
  for (const Target *target : targets)
    problem.targetNames.push_back(target->getName().str());

  KernelIndex &index = result.index;
  for (auto [i, op] : llvm::enumerate(kernels))
    index[op] = i;
  result.estimates.resize(n);
  for (auto [i, op] : llvm::enumerate(kernels)) {
    std::optional<KernelInfo> info = summarizeKernel(op);
    for (auto [c, target] : llvm::enumerate(targets)) {
      CostEstimate e = target->estimate(*info, /*explain=*/false);
      problem.cost(i, c) = e.feasible ? valueOf(e, objective) : kInfeasible;
      if (cap)
        result.capped->cost(i, c) =
            e.feasible ? valueOf(e, cap->first) : kInfeasible;
      result.estimates[i].push_back(std::move(e));
    }
    // Why no target can run it, when none can: each reason once.
    if (llvm::none_of(result.estimates[i],
                      [](const CostEstimate &e) { return e.feasible; })) {
      problem.whyNowhere.resize(n);
      std::string &why = problem.whyNowhere[i];
      for (auto [c, e] : llvm::enumerate(result.estimates[i])) {
        std::string line = (targets[c]->getName() + ": " + e.explanation).str();
        if (!e.explanation.empty() &&
            why.find(e.explanation) == std::string::npos)
          why += (why.empty() ? "" : "; ") + line;
      }
    }
    // One edge per value read from another kernel; a value read by several
    // kernels is one output of its producer, moved once per target (as
    // wl-place's wl.transfer ops and the runtime's schedule move it).
    llvm::SmallDenseSet<std::pair<int, unsigned>> seen;
    for (Value operand : op->getOperands()) {
      auto [p, output] = findProducer(operand, index);
      if (p < 0 || static_cast<unsigned>(p) == i ||
          !seen.insert({p, output}).second)
        continue;
      problem.edges.push_back(
          {static_cast<unsigned>(p), static_cast<unsigned>(i),
           static_cast<double>(wl::detail::sumTensorBytes(ValueRange(operand))),
           output});
    }
  }

  std::vector<const ChipSpec *> specs;
  for (const Target *target : targets)
    specs.push_back(&target->getSpec());
  setLinkCosts(problem, specs, objective);
  if (cap) {
    result.capped->edges = problem.edges;
    result.capped->kernelNames = problem.kernelNames;
    result.capped->targetNames = problem.targetNames;
    setLinkCosts(*result.capped, specs, cap->first);
  }
  return result;
}

} // namespace fungible::placement
