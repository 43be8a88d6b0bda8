//===- Run.cpp - Run a workload on a fleet ----------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the runtime's entry points (Run.h): the fleet's
// targets, preparing a model, and the run itself.
//
//===----------------------------------------------------------------------===//

#include "runtime/Run.h"
#include "placement/Links.h"
#include "placement/Makespan.h"
#include "placement/Throughput.h"
#include "runtime/IndexBounds.h"

#include "dialects/Workload/WorkloadDialect.h"
#include "dialects/Workload/WorkloadOps.h"
#include "passes/Passes.h"
#include "targets/Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
namespace pl = fungible::placement;

namespace fungible::runtime {

namespace {

llvm::Error runError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace

llvm::Expected<TargetSelection> loadFleetTargets(const FleetOptions &options) {
  std::vector<std::string> names;
  for (const Device &d : options.devices)
    if (!llvm::is_contained(names, d.target))
      names.push_back(d.target);
  for (const std::string &p : options.plugins)
    if (!llvm::is_contained(getToolTargetPlugins(), p))
      getToolTargetPlugins().push_back(p);
  llvm::Expected<TargetSelection> selection =
      loadTargets(options.specsDir, options.specFiles, names);
  if (!selection || options.prices.empty())
    return selection;
  // The fleet's own prices: the chip's target is rebuilt from its spec with
  // that price (costs in dollars and the schedule's bill use it). A
  // plugin's own target cannot be rebuilt that way: refused.
  TargetRegistry withoutPlugins;
  if (!options.plugins.empty())
    if (llvm::Error e = buildTargetRegistry(withoutPlugins, options.specsDir,
                                            options.specFiles, {}))
      return std::move(e);
  for (const auto &[chip, price] : options.prices) {
    if (!options.plugins.empty() && !withoutPlugins.lookup(chip))
      return runError("the fleet file prices '" + chip +
                      "', a plugin's chip, which cannot be re-priced; give "
                      "its spec with --target-spec instead");
    std::unique_ptr<Target> old = selection->registry->take(chip);
    ChipSpec spec = old->getSpec();
    spec.dollarsPerHour = {price, options.priceSource};
    std::unique_ptr<Target> repriced = createBuiltinTarget(std::move(spec));
    for (const Target *&t : selection->targets)
      if (t == old.get())
        t = repriced.get();
    if (llvm::Error e = selection->registry->add(std::move(repriced)))
      return std::move(e);
  }
  return selection;
}

llvm::Expected<PreparedModel> prepareForRun(ModuleOp module, StringRef entry,
                                            bool raiseLoops) {
  PreparedModel prepared;
  MLIRContext *context = module.getContext();
  for (ModuleOp nested : llvm::make_early_inc_range(module.getOps<ModuleOp>()))
    if (wl::WLDialect::KernelAttrHelper(context).isAttrPresent(nested) &&
        wl::WLDialect::TargetAttrHelper(context).isAttrPresent(nested)) {
      nested->remove();
      prepared.variants.emplace_back(nested);
    }
  // The kernels every tool sees: calls inlined, shape asserts on constants
  // folded away, imported, leftovers wrapped, outlined.
  PassManager pm(context);
  buildImportAndOutlinePipeline(pm, /*fuse=*/true, raiseLoops);
  if (failed(pm.run(module)))
    return runError("");
  // The entry: the named function, else the first public one with a body
  // (else the first with a body).
  func::FuncOp firstPrivate;
  module.walk([&](func::FuncOp f) {
    if (f.isExternal())
      return;
    ++prepared.functions;
    if (!entry.empty()) {
      if (!prepared.func && f.getName() == entry)
        prepared.func = f;
    } else if (f.isPublic() && !prepared.func) {
      prepared.func = f;
    } else if (!firstPrivate) {
      firstPrivate = f;
    }
  });
  if (!prepared.func && entry.empty())
    prepared.func = firstPrivate;
  if (!prepared.func)
    return runError(entry.empty() ? "the model has no function to run"
                                  : "no function named '" + entry + "'");

  // Host-side scalar code around the kernels (a benchmark's rtclock and
  // record_timing calls, shape asserts) touches no tensor: it is dropped.
  func::FuncOp func = prepared.func;
  for (Operation &op :
       llvm::make_early_inc_range(llvm::reverse(func.getBody().front()))) {
    auto isTensor = [](Type type) { return isa<TensorType>(type); };
    if (op.hasTrait<OpTrait::IsTerminator>() || isa<wl::KernelOp>(op) ||
        llvm::any_of(op.getOperandTypes(), isTensor) ||
        llvm::any_of(op.getResultTypes(), isTensor) || !op.use_empty() ||
        op.getNumRegions())
      continue;
    op.erase();
    ++prepared.droppedHostOps;
  }
  return std::move(prepared);
}

namespace {

/// The value of the 0-d integer tensor `t` of `element`, sign-extended
/// from the bytes the host holds it in (elementBytes: an index in 8).
int64_t scalarInteger(const HostTensor &t, Type element) {
  unsigned bytes = std::min<unsigned>(elementBytes(element), 8);
  uint64_t raw = 0;
  std::memcpy(&raw, t.data.data(), std::min<size_t>(t.data.size(), bytes));
  return llvm::SignExtend64(raw, bytes * 8);
}

/// The contents of buffer argument `arg` as a tensor, `arg`'s own type
/// when it is a tensor, a 0-d tensor for a scalar (kernels take it by
/// value: tensorForInput); nullopt for anything else (a buffer of a
/// dynamic shape or with a layout).
std::optional<RankedTensorType> argumentContents(BlockArgument arg) {
  if (RankedTensorType taken = tensorForInput(arg.getType()))
    return taken;
  auto buffer = dyn_cast<MemRefType>(arg.getType());
  if (!buffer || !buffer.hasStaticShape() || !buffer.getLayout().isIdentity())
    return std::nullopt;
  return RankedTensorType::get(buffer.getShape(), buffer.getElementType());
}

/// Computes every kernel's numbers on the host in the schedule's order and
/// writes the outputs.
llvm::Error execute(PreparedModel &model, ArrayRef<Operation *> kernelOps,
                    const TargetSelection &targets, const RunOptions &options,
                    RunResult &result) {
  func::FuncOp func = model.func;
  std::vector<ModuleOp> variantOps;
  for (OwningOpRef<ModuleOp> &v : model.variants)
    variantOps.push_back(*v);
  llvm::Expected<std::unique_ptr<HostExecutor>> executor =
      HostExecutor::create(func, variantOps, options.compileProgress);
  if (!executor)
    return executor.takeError();
  // Each value's tensor, where it stays while the map grows: a kernel's
  // inputs are pointers into it.
  llvm::DenseMap<Value, std::unique_ptr<HostTensor>> values;
  auto store = [&](Value v, HostTensor t) {
    std::unique_ptr<HostTensor> &slot = values[v];
    slot = std::make_unique<HostTensor>(std::move(t));
    return slot.get();
  };
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    // A buffer argument holds a tensor's worth of contents.
    std::optional<RankedTensorType> type = argumentContents(arg);
    if (!type) {
      std::string printed;
      llvm::raw_string_ostream os(printed);
      os << arg.getType();
      return runError("argument " + std::to_string(i) + " (" + printed +
                      ") is not supported: arguments are tensors, scalars "
                      "or memrefs of a static shape and the identity layout");
    }
    if (options.inputsDir.empty()) {
      // A scalar integer (an index into buffers: a position) is 0, valid
      // for any buffer; the rest is random.
      if (type->getRank() == 0 && type->getElementType().isIntOrIndex()) {
        HostTensor zero{*type, {}};
        zero.data.resize(elementBytes(type->getElementType()));
        store(arg, std::move(zero));
        continue;
      }
      store(arg, randomTensor(*type, options.seed * 1000003 + i));
      continue;
    }
    llvm::SmallString<128> path(options.inputsDir);
    llvm::sys::path::append(path, "arg" + std::to_string(i) + ".npy");
    llvm::Expected<HostTensor> t = readNpy(path, *type);
    if (!t)
      return t.takeError();
    // A scalar integer indexing buffers must lie inside them: out of
    // bounds, the kernels would write outside their buffers.
    if (type->getRank() == 0 && type->getElementType().isIntOrIndex())
      if (llvm::Error outside = checkIndexArgument(
              arg, scalarInteger(*t, type->getElementType())))
        return runError(path + ": " + llvm::toString(std::move(outside)));
    store(arg, std::move(*t));
  }
  auto lookup = [&](Value v) -> llvm::Expected<HostTensor *> {
    v = carriedValue(v);
    auto it = values.find(v);
    if (it != values.end())
      return it->second.get();
    if (auto empty = v.getDefiningOp<tensor::EmptyOp>()) {
      // Contents are undefined; zeros keep runs reproducible.
      HostTensor t{empty.getType(), {}};
      t.data.resize(empty.getType().getNumElements() *
                    elementBytes(empty.getType().getElementType()));
      return store(v, std::move(t));
    }
    Attribute attr;
    if (matchPattern(v, m_Constant(&attr))) {
      llvm::Expected<HostTensor> t =
          constantTensor(attr, cast<RankedTensorType>(v.getType()));
      if (!t)
        return t.takeError();
      return store(v, std::move(*t));
    }
    return runError("a value is used before it is computed");
  };
  const ScheduleResult &schedule = result.schedule;
  for (unsigned k : schedule.order) {
    // A stream's later items compute the same numbers as its first.
    if (k >= kernelOps.size())
      continue;
    auto kernel = cast<wl::KernelOp>(kernelOps[k]);
    const std::string &name = result.kernels[k].name;
    std::vector<const HostTensor *> inputs;
    // An input the kernel updates in place and nothing else reads is
    // handed over instead of copied (HostExecutor::run).
    std::vector<HostTensor *> donated(kernel.getInputs().size(), nullptr);
    std::vector<unsigned> inPlace = (*executor)->getInputsUpdatedInPlace(k);
    const std::vector<unsigned> &handOver = (*executor)->getInputsToHandOver(k);
    for (auto [i, operand] : llvm::enumerate(kernel.getInputs())) {
      llvm::Expected<HostTensor *> t = lookup(operand);
      if (!t)
        return runError(name + ": " + llvm::toString(t.takeError()));
      inputs.push_back(*t);
      if (llvm::is_contained(handOver, i))
        donated[i] = *t;
    }
    // Timed before the run, which may take the donated inputs; each timed
    // run gets its own copy of them, made outside the timing.
    if (options.measureRuns && result.measured[k].timing.runs == 0) {
      llvm::SmallVector<bool, 8> donate;
      for (HostTensor *t : donated)
        donate.push_back(t != nullptr);
      llvm::Expected<KernelTiming> timing =
          timeKernel(**executor, k, inputs, options.measureRuns, donate);
      if (!timing)
        return runError(name + ": " + llvm::toString(timing.takeError()));
      result.measured[k].timing = *timing;
    }
    std::vector<HostTensor> results;
    // The device's target computes the numbers: its own emulated program
    // where it has one.
    StringRef device = schedule.placement[k];
    const Target *target = targets.registry->lookup(device.rsplit(':').first);
    for (unsigned run = 0; run < schedule.runs[k]; ++run) {
      bool last = run + 1 == schedule.runs[k];
      if (llvm::Error e =
              (*executor)->run(k, inputs, results, target,
                               last ? donated : std::vector<HostTensor *>()))
        return runError(name + ": " + llvm::toString(std::move(e)));
      ++result.executions;
      for (unsigned i : inPlace)
        ++(last && donated[i] ? result.inputsHandedOver
                              : result.inputsCopiedForUpdate);
    }
    // What was handed over is gone: nothing may read it again.
    for (auto [i, operand] : llvm::enumerate(kernel.getInputs()))
      if (donated[i])
        values.erase(carriedValue(operand));
    for (auto [r, value] : llvm::enumerate(kernel.getResults()))
      store(value, std::move(results[r]));
  }
  result.hostFunctions = (*executor)->getNumDistinctKernels();
  result.variantsRun = (*executor)->getVariantsRun();
  result.variantsSkipped = (*executor)->getVariantsSkipped();
  if (options.outDir.empty())
    return llvm::Error::success();
  if (std::error_code ec = llvm::sys::fs::create_directories(options.outDir))
    return runError("cannot create '" + options.outDir + "': " + ec.message());
  auto write = [&](Value v, const std::string &name) -> llvm::Error {
    llvm::Expected<const HostTensor *> t = lookup(v);
    if (!t)
      return t.takeError();
    llvm::SmallString<128> path(options.outDir);
    llvm::sys::path::append(path, name + ".npy");
    return writeNpy(**t, path);
  };
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands()))
    if (llvm::Error e = write(v, "result" + std::to_string(i)))
      return e;
  // Each buffer argument's contents after the run: what the function wrote
  // back into it, else what it came in with.
  llvm::DenseMap<Value, Value> writtenBack;
  for (auto m : func.getOps<bufferization::MaterializeInDestinationOp>())
    writtenBack[m.getDest()] = m.getSource();
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    if (!isa<MemRefType>(arg.getType()))
      continue;
    Value contents = writtenBack.lookup(arg);
    if (llvm::Error e =
            write(contents ? contents : Value(arg), "arg" + std::to_string(i)))
      return e;
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<RunResult> runModel(PreparedModel &model,
                                   const TargetSelection &targets,
                                   ArrayRef<Device> fleet,
                                   const RunOptions &options) {
  func::FuncOp func = model.func;
  RunResult result;
  result.function = func.getName().str();
  result.devices = fleet.size();

  // The kernels; anything else left in the function cannot run.
  std::vector<Operation *> kernelOps;
  for (Operation &op : func.getBody().front()) {
    if (isa<wl::KernelOp>(op)) {
      kernelOps.push_back(&op);
      continue;
    }
    if (isa<func::ReturnOp, wl::TransferOp, tensor::EmptyOp>(op) ||
        op.hasTrait<OpTrait::ConstantLike>() || isArgumentContents(&op))
      continue;
    return runError(llvm::formatv("cannot run '{0}' outside a kernel (at {1})",
                                  op.getName(), op.getLoc())
                        .str());
  }
  std::vector<std::string> names;
  for (Operation *op : kernelOps)
    names.push_back(
        (func.getName() + "/" + cast<wl::KernelOp>(op).getSymName()).str());

  // Measuring times the host code and compares the host model with it.
  if (options.measureRuns) {
    if (options.simulateOnly)
      return runError("measuring times the kernels' host code: it cannot be "
                      "combined with simulating only");
    auto host = llvm::find_if(targets.targets, [](const Target *t) {
      return t->getName() == kHostChip;
    });
    if (host == targets.targets.end())
      return runError(std::string("measuring compares the ") + kHostChip +
                      " model's estimates with the host's times: add " +
                      kHostChip + " to the fleet (it may hold no kernel)");
    result.measured.resize(kernelOps.size());
    for (auto [k, op] : llvm::enumerate(kernelOps)) {
      std::optional<KernelInfo> info = summarizeKernel(op);
      if (!info)
        continue;
      result.measured[k].estimated = (*host)->estimate(*info, false).seconds;
      result.measured[k].kind = fidelityKind(*info);
    }
  }

  // The placement problem, solved.
  bool makespan = options.goal == PlacementGoal::Makespan;
  bool stream = options.goal == PlacementGoal::Throughput;
  bool floor = stream && options.minThroughput > 0;
  if ((makespan || stream) && options.cap)
    return runError("the makespan and throughput objectives take no dollar "
                    "or energy cap");
  if ((makespan || (stream && !floor)) && options.objective != Objective::Time)
    return runError("the makespan and throughput objectives are in seconds");
  if (floor && options.objective != Objective::Dollars)
    return runError("a throughput floor is served at the least dollars: the "
                    "objective must be dollars");
  if (stream && options.batches == 0)
    return runError("a stream needs at least one item (--batches >= 1)");
  pl::PlacementProblem problem = pl::buildPlacementProblem(
      kernelOps, names, targets.targets,
      makespan || stream ? Objective::Time : options.objective, options.cap);
  pl::Budget budget = problem.getBudget();
  std::vector<const ChipSpec *> specs;
  for (const Target *t : targets.targets)
    specs.push_back(&t->getSpec());
  // The devices of each target, and each device's place in the fleet.
  std::vector<unsigned> counts(specs.size(), 0);
  std::vector<std::vector<unsigned>> fleetIndex(specs.size());
  for (auto [i, d] : llvm::enumerate(fleet)) {
    unsigned t =
        llvm::find_if(specs,
                      [&](const ChipSpec *s) { return s->id == d.target; }) -
        specs.begin();
    if (t == specs.size())
      return runError("device '" + d.name() + "' has no target");
    ++counts[t];
    if (fleetIndex[t].size() <= d.index)
      fleetIndex[t].resize(d.index + 1, 0);
    fleetIndex[t][d.index] = i;
  }
  pl::DeviceFleet devices = pl::deviceFleet(specs, std::move(counts));
  std::optional<SchedulePlan> plan;
  /// With the throughput goal: the best single chip's assignment, the
  /// other candidate for the stream.
  std::vector<unsigned> singleChip;
  std::string streamNote;
  /// With the throughput goal: the devices of each chip the stream uses.
  std::vector<unsigned> held;
  // What the makespan and throughput solvers hand back, as the run keeps it.
  auto take = [&](const auto &s, std::vector<unsigned> assignment,
                  double objective) {
    result.placement.assignment = std::move(assignment);
    result.placement.objective = objective;
    result.placement.lowerBound = s.lowerBound;
    result.placement.optimal = s.optimal;
    result.placement.method = s.method;
    result.bestSingle = s.bestSingle;
    if (s.bestSingleTarget >= 0)
      result.bestSingleTarget = specs[s.bestSingleTarget]->id;
  };
  if (makespan) {
    llvm::Expected<pl::MakespanSolution> s =
        pl::solveMakespan(problem.problem, devices);
    if (!s)
      return s.takeError();
    take(*s, s->schedule.target, s->makespan);
    plan.emplace();
    plan->order = s->schedule.order;
    for (unsigned k = 0; k < s->schedule.target.size(); ++k)
      plan->device.push_back(
          fleetIndex[s->schedule.target[k]][s->schedule.device[k]]);
  } else if (stream) {
    pl::ThroughputFloor rate{options.minThroughput, {}};
    for (const ChipSpec *spec : specs)
      rate.pricePerSecond.push_back(spec->dollarsPerHour.value / 3600);
    llvm::Expected<pl::ThroughputSolution> s =
        floor ? pl::solveThroughputFloor(problem.problem, devices, rate)
              : pl::solveThroughput(problem.problem, devices);
    if (!s)
      return s.takeError();
    held = s->held;
    take(*s, s->assignment, s->period());
    if (s->bestSingleTarget >= 0)
      singleChip.assign(kernelOps.size(), s->bestSingleTarget);
  } else {
    llvm::Expected<pl::Solution> solution = pl::solve(problem.problem, budget);
    if (!solution)
      return solution.takeError();
    result.placement = std::move(*solution);
    // The best single chip's total (within the cap), for comparison.
    result.bestSingle = pl::kInfeasible;
    for (unsigned c = 0; c < specs.size(); ++c) {
      std::vector<unsigned> all(kernelOps.size(), c);
      if (problem.capped &&
          !(pl::evaluate(*problem.capped, all) <= problem.limit * (1 + 1e-12)))
        continue;
      double total = pl::evaluate(problem.problem, all);
      if (total < result.bestSingle) {
        result.bestSingle = total;
        result.bestSingleTarget = specs[c]->id;
      }
    }
  }
  for (const ChipSpec *spec : specs)
    result.chips.push_back(spec->id);

  // The schedule's view of the kernels: costs on every target and inputs.
  for (auto [i, op] : llvm::enumerate(kernelOps)) {
    ScheduledKernel sk;
    sk.name = names[i];
    for (const CostEstimate &e : problem.estimates[i])
      sk.costs.push_back({e.seconds, e.joules, e.dollars, e.feasible, e.bound});
    if (std::optional<KernelInfo> info = summarizeKernel(op)) {
      sk.flops = info->flops;
      sk.bytes = info->bytesRead + info->bytesWritten;
    }
    for (Value operand : cast<wl::KernelOp>(op).getInputs()) {
      auto [p, output] = pl::findProducer(operand, problem.index);
      double bytes = wl::detail::sumTensorBytes(ValueRange(operand));
      sk.inputs.push_back({p, bytes, output});
    }
    result.kernels.push_back(std::move(sk));
  }

  // After a failure: the kernels before `fixed` keep their target, the
  // rest are placed again over the targets that remain.
  Replacer replace = [&](ArrayRef<unsigned> alive, ArrayRef<char> fixed,
                         std::vector<unsigned> &assignment) -> llvm::Error {
    pl::Problem again = problem.problem;
    for (unsigned k = 0; k < again.numKernels && !stream; ++k)
      for (unsigned c = 0; c < again.numTargets; ++c) {
        bool allowed =
            fixed[k] ? c == assignment[k] : llvm::is_contained(alive, c);
        if (!allowed)
          again.cost(k, c) = pl::kInfeasible;
      }
    if (stream) {
      // The stream's best over the chips that remain, for every kernel not
      // run yet (of any item: `fixed` covers the stream).
      unsigned n = again.numKernels;
      for (unsigned k = 0; k < n; ++k)
        for (unsigned c = 0; c < again.numTargets; ++c)
          again.cost(k, c) = llvm::is_contained(alive, c)
                                 ? problem.problem.cost(k, c)
                                 : pl::kInfeasible;
      llvm::Expected<pl::ThroughputSolution> s =
          pl::solveThroughput(again, devices);
      if (!s)
        return runError("after the failure: " + llvm::toString(s.takeError()));
      for (unsigned j = 0; j < assignment.size(); ++j)
        if (!fixed[j])
          assignment[j] = s->assignment[j % n];
      return llvm::Error::success();
    }
    if (makespan) {
      // The makespan of what is left, over the devices that remain.
      llvm::Expected<pl::MakespanSolution> s =
          pl::solveMakespan(again, devices, pl::MakespanMethod::Heuristic);
      if (!s)
        return runError("after the failure: " + llvm::toString(s.takeError()));
      assignment = s->schedule.target;
      return llvm::Error::success();
    }
    llvm::Expected<pl::Solution> s = pl::solve(again, budget);
    if (!s)
      return runError("after the failure: " + llvm::toString(s.takeError()));
    assignment = s->assignment;
    return llvm::Error::success();
  };
  // A stream: `batches` copies of the kernels (item i's named
  // "<kernel>#i"), item i's kernels on a chip on that chip's device
  // i mod count (its replicas take whole items in turn), taken in the
  // order a software pipeline starts them: item i's kernel k at
  // i x period + its start in one item.
  struct StreamRun {
    RunResult::Stream info;
    std::vector<ScheduledKernel> kernels;
    std::vector<unsigned> assignment;
    SchedulePlan plan;
  };
  auto makeStream = [&](ArrayRef<unsigned> chips) {
    StreamRun run;
    unsigned n = result.kernels.size(), t = specs.size();
    // The devices the stream holds: the floor's, else every device of a
    // chip with work.
    pl::DeviceFleet using_ = devices;
    for (unsigned c = 0; c < t; ++c)
      using_.count[c] = floor                          ? held[c]
                        : llvm::is_contained(chips, c) ? devices.count[c]
                                                       : 0;
    for (unsigned c = 0; c < t; ++c)
      if (using_.count[c])
        run.info.held.push_back({specs[c]->id, using_.count[c]});
    pl::StreamLoads loads = pl::evaluateStream(problem.problem, using_, chips);
    // One item's schedule, one device per chip.
    pl::Timing timing;
    RunResult::Stream &st = run.info;
    st.latency = pl::itemLatency(problem.problem, chips, &timing);
    st.period = loads.period;
    st.throughput = loads.period > 0 ? 1 / loads.period : 0;
    st.bottleneck = loads.bottleneck;
    // Dollars: every device of a chip with work, held for one period.
    // Energy: the kernels' and, for each link's busy time, both ends'.
    std::vector<char> used(t, 0);
    for (auto [k, c] : llvm::enumerate(chips)) {
      used[c] = 1;
      st.joulesPerItem += problem.estimates[k][c].joules;
    }
    for (unsigned c = 0; c < t; ++c)
      if (used[c])
        st.dollarsPerItem +=
            using_.count[c] * specs[c]->dollarsPerHour.value / 3600 * st.period;
    for (unsigned a = 0; a < t; ++a)
      for (unsigned b = 0; b < t; ++b)
        st.joulesPerItem += loads.link[a * t + b] *
                            (specs[a]->watts.value + specs[b]->watts.value);
    std::vector<std::pair<double, unsigned>> starts;
    for (unsigned i = 0; i < options.batches; ++i)
      for (unsigned k = 0; k < n; ++k) {
        starts.push_back({i * st.period + timing.start[k], i * n + k});
        ScheduledKernel sk = result.kernels[k];
        if (i) {
          sk.name += "#" + std::to_string(i);
          for (ScheduledKernel::Input &in : sk.inputs)
            if (in.producer >= 0)
              in.producer += i * n;
        }
        run.kernels.push_back(std::move(sk));
        run.assignment.push_back(chips[k]);
        run.plan.device.push_back(
            fleetIndex[chips[k]][i % using_.count[chips[k]]]);
      }
    llvm::stable_sort(
        starts, [](const auto &a, const auto &b) { return a.first < b.first; });
    for (auto [start, j] : starts)
      run.plan.order.push_back(j);
    st.items = options.batches;
    return run;
  };
  std::optional<StreamRun> streamRun;
  if (stream) {
    // The solver's placement, and the best single chip: the simulated
    // stream (without failures) decides, since the steady state leaves out
    // the pipeline's fill and its links' queues.
    streamRun = makeStream(result.placement.assignment);
    if (!floor && !singleChip.empty() &&
        singleChip != result.placement.assignment) {
      StreamRun single = makeStream(singleChip);
      Replacer none = [](ArrayRef<unsigned>, ArrayRef<char>,
                         std::vector<unsigned> &) {
        return llvm::Error::success();
      };
      llvm::Expected<ScheduleResult> a =
          simulate(streamRun->kernels, specs, fleet, streamRun->assignment, {},
                   none, &streamRun->plan);
      llvm::Expected<ScheduleResult> b =
          simulate(single.kernels, specs, fleet, single.assignment, {}, none,
                   &single.plan);
      if (!a)
        return a.takeError();
      if (!b)
        return b.takeError();
      if (b->makespan < a->makespan) {
        streamNote = llvm::formatv(
            "the placement the steady state prefers ({0:f1} items/s, {1}) "
            "streams {2} items in {3:e} s, slower than {4} alone ({5:e} s: "
            "pipeline fill and link queues): {4} runs",
            streamRun->info.throughput, result.placement.method,
            options.batches, a->makespan, result.bestSingleTarget, b->makespan);
        result.placement.assignment = singleChip;
        result.placement.objective = single.info.period;
        result.placement.method = "single chip";
        result.placement.optimal = false;
        streamRun = std::move(single);
      }
    }
  }
  if (streamRun)
    plan = streamRun->plan;
  llvm::Expected<ScheduleResult> schedule =
      simulate(streamRun ? streamRun->kernels : result.kernels, specs, fleet,
               streamRun ? streamRun->assignment : result.placement.assignment,
               options.failures, replace, plan ? &*plan : nullptr);
  if (!schedule)
    return schedule.takeError();
  result.schedule = std::move(*schedule);
  if (streamRun) {
    result.stream = std::move(streamRun->info);
    result.stream->simulatedThroughput =
        result.schedule.makespan > 0
            ? options.batches / result.schedule.makespan
            : 0;
    if (!streamNote.empty())
      result.schedule.notes.insert(result.schedule.notes.begin(), streamNote);
  }

  if (!options.simulateOnly)
    if (llvm::Error e = execute(model, kernelOps, targets, options, result))
      return std::move(e);
  if (options.measureRuns) {
    std::vector<double> estimated, measured;
    std::vector<std::string> kinds;
    for (const RunResult::Measured &m : result.measured) {
      estimated.push_back(m.estimated);
      measured.push_back(m.timing.median);
      kinds.push_back(m.kind);
    }
    result.fidelity = computeFidelity(kHostChip, estimated, measured, kinds);
  }
  return std::move(result);
}

} // namespace fungible::runtime
