//===- Place.cpp - Cheapest target per kernel, transfers counted -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-place: it builds each function's placement
// problem from the targets' estimates and the link model, solves it, and
// writes the placement into the IR (wl.target on kernels, wl.transfer on
// edges that cross targets, wl.placement on the function).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialects/Workload/WorkloadOps.h"
#include "passes/PassSupport.h"
#include "placement/Links.h"
#include "placement/Makespan.h"
#include "placement/Placement.h"
#include "placement/ProblemBuilder.h"
#include "targets/Kernels.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

namespace fungible {
#define GEN_PASS_DEF_WORKLOADPLACEPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;
namespace pl = fungible::placement;

namespace {

struct WorkloadPlacePass
    : fungible::impl::WorkloadPlacePassBase<WorkloadPlacePass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    // -1 (the default) is no cap; any other negative value is a mistake.
    for (auto [name, value] : {std::make_pair("max-dollars", +maxDollars),
                               std::make_pair("max-joules", +maxJoules)})
      if (value != -1 && !(value >= 0))
        return emitError(UnknownLoc::get(context))
               << "wl-place: " << name << " must be a number >= 0, not "
               << llvm::formatv("{0}", llvm::format("%g", value)).str();
    if (maxDollars >= 0 && maxJoules >= 0)
      return emitError(UnknownLoc::get(context))
             << "wl-place: give at most one of max-dollars and max-joules";
    bool makespan = objective == PlaceObjective::Makespan;
    if (makespan && (maxDollars >= 0 || maxJoules >= 0))
      return emitError(UnknownLoc::get(context))
             << "wl-place: max-dollars and max-joules cap the time, energy "
                "and dollars objectives, not makespan";
    if (makespan && method == pl::Method::Tree)
      return emitError(UnknownLoc::get(context))
             << "wl-place: method=tree solves the serial objectives; "
                "makespan takes auto, exact or heuristic";
    if (!makespan && !devices.empty())
      return emitError(UnknownLoc::get(context))
             << "wl-place: devices applies to objective=makespan";
    if (maxDollars >= 0)
      cap = {Objective::Dollars, maxDollars};
    else if (maxJoules >= 0)
      cap = {Objective::Energy, maxJoules};
    FailureOr<TargetSelection> loaded =
        loadPassTargets(context, getArgument(), specsDir,
                        optionValues(targetSpecs), optionValues(targets));
    if (failed(loaded))
      return failure();
    selection = std::move(*loaded);
    // The devices of each target: one unless `devices` says otherwise.
    counts.assign(selection.targets.size(), 1);
    for (StringRef entry : devices) {
      auto [chip, text] = entry.split(':');
      unsigned count = 0;
      auto it = llvm::find_if(selection.targets, [&](const Target *t) {
        return t->getName() == chip;
      });
      if (it == selection.targets.end() || text.getAsInteger(10, count) ||
          count == 0 || count > 1000000)
        return emitError(UnknownLoc::get(context))
               << "wl-place: bad devices entry '" << entry
               << "' (expected <target>:<count>, a target being placed on "
                  "and a count from 1 to 1000000)";
      counts[it - selection.targets.begin()] = count;
    }
    return success();
  }

  void runOnOperation() override {
    std::vector<NamedKernel> all = collectKernels(getOperation());
    llvm::DenseMap<Operation *, std::vector<NamedKernel>> byFunction;
    std::vector<Operation *> functions;
    for (NamedKernel &kernel : all) {
      Operation *func =
          kernel.op->getParentOfType<FunctionOpInterface>().getOperation();
      if (!byFunction.count(func))
        functions.push_back(func);
      byFunction[func].push_back(std::move(kernel));
    }
    for (Operation *func : functions)
      if (failed(place(cast<FunctionOpInterface>(func), byFunction[func])))
        return signalPassFailure();
  }

  LogicalResult place(FunctionOpInterface func,
                      std::vector<NamedKernel> &kernels) {
    const std::vector<const Target *> &chosen = selection.targets;
    unsigned t = chosen.size();
    std::vector<Operation *> ops;
    std::vector<std::string> names;
    for (NamedKernel &kernel : kernels) {
      ops.push_back(kernel.op);
      names.push_back(kernel.name);
    }
    bool makespan = objective == PlaceObjective::Makespan;
    Objective unit = makespan                               ? Objective::Time
                     : objective == PlaceObjective::Energy  ? Objective::Energy
                     : objective == PlaceObjective::Dollars ? Objective::Dollars
                                                            : Objective::Time;
    pl::PlacementProblem built =
        pl::buildPlacementProblem(ops, names, chosen, unit, cap);
    const pl::KernelIndex &index = built.index;
    const pl::Problem &problem = built.problem;
    const std::optional<pl::Problem> &capped = built.capped;
    pl::Budget budget = built.getBudget();

    Builder b(&getContext());
    llvm::Expected<pl::Solution> solution =
        makespan ? placeForMakespan(problem, kernels)
                 : pl::solve(problem, budget, method);
    if (!solution)
      return func.emitError("wl-place: ")
             << llvm::toString(solution.takeError());

    // Write the placement.
    wl::WLDialect::TargetAttrHelper targetAttr(&getContext());
    for (auto [i, kernel] : llvm::enumerate(kernels))
      targetAttr.setAttr(
          kernel.op,
          b.getStringAttr(chosen[solution->assignment[i]]->getName()));
    for (auto [i, kernel] : llvm::enumerate(kernels)) {
      StringRef from = chosen[solution->assignment[i]]->getName();
      for (Value result : kernel.op->getResults()) {
        llvm::StringMap<Value> moved;
        for (OpOperand &use : llvm::make_early_inc_range(result.getUses())) {
          auto it = index.find(use.getOwner());
          if (it == index.end())
            continue;
          StringRef to = chosen[solution->assignment[it->second]]->getName();
          if (to == from)
            continue;
          Value &copy = moved[to];
          if (!copy) {
            OpBuilder builder(kernel.op->getContext());
            builder.setInsertionPointAfter(kernel.op);
            copy = wl::TransferOp::create(builder, kernel.op->getLoc(), result,
                                          from, to);
          }
          use.set(copy);
        }
      }
    }
    // The best single-target placement (within the cap), for comparison.
    double bestSingle = pl::kInfeasible;
    StringRef bestSingleName;
    if (makespan && bestSingleTarget >= 0) {
      bestSingle = bestSingleMakespan;
      bestSingleName = chosen[bestSingleTarget]->getName();
    }
    for (unsigned c = 0; c < t && !makespan; ++c) {
      std::vector<unsigned> all(kernels.size(), c);
      if (capped && !(pl::evaluate(*capped, all) <= cap->second))
        continue;
      double cost = pl::evaluate(problem, all);
      if (cost < bestSingle) {
        bestSingle = cost;
        bestSingleName = chosen[c]->getName();
      }
    }
    SmallVector<NamedAttribute> summary = {
        b.getNamedAttr("cost", b.getF64FloatAttr(solution->objective)),
        b.getNamedAttr("lower_bound", b.getF64FloatAttr(solution->lowerBound)),
        b.getNamedAttr("method", b.getStringAttr(solution->method)),
        b.getNamedAttr(
            "objective",
            b.getStringAttr(makespan ? "makespan" : stringifyObjective(unit))),
        b.getNamedAttr("optimal", b.getBoolAttr(solution->optimal)),
    };
    if (cap) {
      summary.push_back(b.getNamedAttr(
          "budget", b.getStringAttr(stringifyObjective(cap->first))));
      summary.push_back(
          b.getNamedAttr("budget_limit", b.getF64FloatAttr(cap->second)));
      summary.push_back(
          b.getNamedAttr("budget_used", b.getF64FloatAttr(solution->capped)));
    }
    if (!bestSingleName.empty()) {
      summary.push_back(b.getNamedAttr("best_single_target",
                                       b.getStringAttr(bestSingleName)));
      summary.push_back(b.getNamedAttr("best_single_target_cost",
                                       b.getF64FloatAttr(bestSingle)));
    }
    wl::WLDialect::PlacementAttrHelper(&getContext())
        .setAttr(func, b.getDictionaryAttr(summary));
    return success();
  }

  /// Places `problem` (in seconds) for the makespan over `counts` devices
  /// and puts each kernel's wl.schedule on it.
  llvm::Expected<pl::Solution> placeForMakespan(const pl::Problem &problem,
                                                ArrayRef<NamedKernel> kernels) {
    std::vector<const ChipSpec *> specs;
    for (const Target *target : selection.targets)
      specs.push_back(&target->getSpec());
    pl::DeviceFleet fleet = pl::deviceFleet(specs, counts);
    pl::MakespanMethod how =
        method == pl::Method::Exact       ? pl::MakespanMethod::Exact
        : method == pl::Method::Heuristic ? pl::MakespanMethod::Heuristic
                                          : pl::MakespanMethod::Auto;
    llvm::Expected<pl::MakespanSolution> s =
        pl::solveMakespan(problem, fleet, how);
    if (!s)
      return s.takeError();
    pl::Timing timing;
    pl::evaluateMakespan(problem, fleet, s->schedule, &timing);
    Builder b(&getContext());
    std::vector<unsigned> position(kernels.size());
    for (auto [i, k] : llvm::enumerate(s->schedule.order))
      position[k] = i;
    wl::WLDialect::ScheduleAttrHelper scheduleAttr(&getContext());
    for (auto [k, kernel] : llvm::enumerate(kernels))
      scheduleAttr.setAttr(
          kernel.op,
          b.getDictionaryAttr({
              b.getNamedAttr("device",
                             b.getI64IntegerAttr(s->schedule.device[k])),
              b.getNamedAttr("end", b.getF64FloatAttr(timing.end[k])),
              b.getNamedAttr("position", b.getI64IntegerAttr(position[k])),
              b.getNamedAttr("start", b.getF64FloatAttr(timing.start[k])),
          }));
    bestSingleMakespan = s->bestSingle;
    bestSingleTarget = s->bestSingleTarget;
    pl::Solution solution;
    solution.assignment = s->schedule.target;
    solution.objective = s->makespan;
    solution.lowerBound = s->lowerBound;
    solution.optimal = s->optimal;
    solution.method = s->method;
    return solution;
  }

  TargetSelection selection;
  /// Devices per target (objective=makespan).
  std::vector<unsigned> counts;
  /// The last makespan placement's best single target and its makespan.
  double bestSingleMakespan = pl::kInfeasible;
  int bestSingleTarget = -1;
  /// The capped quantity and its limit, if any.
  std::optional<std::pair<Objective, double>> cap;
};

} // namespace
