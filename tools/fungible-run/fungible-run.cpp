//===- fungible-run.cpp - Run a workload on a fleet -------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// fungible-run MODEL.mlir --devices=h100:1,trn2:2,cpu-host:1 [--fleet=F]
//   [--objective=time|dollars|energy] [--out=DIR] [--report=FILE]
//   [--trace=FILE] [--inputs=DIR] [--seed=N] [--fail=chip:i@time]...
//   [--entry=FUNC] [--simulate-only] [--target-spec=F]... [--load-target-plugin=P]...
//
// Imports the model (linalg/TOSA/wl), outlines its kernels, estimates each
// on every chip of the fleet, places them (runtime/placement), simulates
// the run on the fleet (runtime/Schedule.h: devices in parallel, transfers
// on links, failures), and computes every kernel's numbers on the host
// through the CPU JIT in the order the schedule finished them. Outputs are
// written as .npy files, the report as JSON, the timeline as a Chrome
// trace. docs/Runtime.md documents the interface.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadDialect.h"
#include "dialects/Workload/WorkloadOps.h"
#include "passes/Passes.h"
#include "runtime/HostExecutor.h"
#include "runtime/Schedule.h"
#include "runtime/placement/Links.h"
#include "runtime/placement/Placement.h"
#include "targets/BuiltinTargets.h"
#include "targets/Kernels.h"
#include "tools/ToolSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

using namespace mlir;
using namespace fungible;
using namespace fungible::runtime;
namespace pl = fungible::placement;

namespace {

int fail(const llvm::Twine &message) {
  llvm::errs() << "fungible-run: " << message << "\n";
  return 1;
}

/// Writes `text` to `path` ("-" is stdout).
llvm::Error writeFile(const std::string &path,
                      llvm::function_ref<void(llvm::raw_ostream &)> write) {
  if (path == "-") {
    write(llvm::outs());
    return llvm::Error::success();
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return llvm::createStringError(ec, "cannot write '%s': %s", path.c_str(),
                                   ec.message().c_str());
  write(os);
  return llvm::Error::success();
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Fungible: run a workload on a fleet of chips"};
  std::string input, devicesText, fleetFile, objectiveName = "time", outDir,
                                             reportFile, traceFile, inputsDir,
                                             entry, specsDir;
  uint64_t seed = 0;
  double maxDollars = -1, maxJoules = -1;
  bool simulateOnly = false;
  std::vector<std::string> failures, specFiles, plugins;
  app.add_option("model", input, "model .mlir file (wl, linalg, TOSA)")
      ->required();
  app.add_option("--devices", devicesText,
                 "the fleet: chip[:count],... (e.g. h100:1,trn2:2,cpu-host:1)");
  app.add_option("--fleet", fleetFile,
                 "the fleet as JSON: {\"devices\": {\"h100\": 2, ...}}");
  app.add_option("--objective", objectiveName, "time, dollars or energy")
      ->check(CLI::IsMember({"time", "dollars", "energy"}));
  CLI::Option *dollarCap =
      app.add_option("--max-dollars", maxDollars,
                     "cap on the placement's dollars (kernels + transfers)")
          ->check(CLI::NonNegativeNumber);
  app.add_option("--max-joules", maxJoules,
                 "cap on the placement's energy in joules")
      ->check(CLI::NonNegativeNumber)
      ->excludes(dollarCap);
  app.add_option("--out", outDir, "directory for the outputs (.npy)");
  app.add_option("--report", reportFile, "report JSON ('-' for stdout)");
  app.add_option("--trace", traceFile, "Chrome trace / Perfetto JSON");
  app.add_option("--inputs", inputsDir,
                 "directory of arg<i>.npy inputs (default: generated)");
  app.add_option("--seed", seed, "seed of the generated inputs");
  app.add_option("--fail", failures,
                 "take a device away: chip:index@seconds (ms/us suffixes)");
  app.add_option("--entry", entry, "function to run (default: the first)");
  app.add_flag("--simulate-only", simulateOnly,
               "plan and simulate without computing numbers");
  app.add_option("--target-spec", specFiles, "add a chip from a JSON spec");
  app.add_option("--load-target-plugin", plugins, "load a target plugin");
  app.add_option("--specs-dir", specsDir, "directory of built-in chip specs");
  CLI11_PARSE(app, argc, argv);

  // The fleet and its targets.
  if (devicesText.empty() == fleetFile.empty())
    return fail("give the fleet with exactly one of --devices and --fleet");
  std::vector<std::pair<std::string, double>> prices;
  llvm::Expected<std::vector<Device>> devices = std::vector<Device>();
  if (fleetFile.empty()) {
    devices = parseDevices(devicesText);
  } else if (llvm::Expected<Fleet> fleet = loadFleet(fleetFile)) {
    devices = std::move(fleet->devices);
    prices = std::move(fleet->prices);
  } else {
    devices = fleet.takeError();
  }
  if (!devices)
    return fail(llvm::toString(devices.takeError()));
  std::vector<Failure> faults;
  for (const std::string &text : failures) {
    llvm::Expected<Failure> f = parseFailure(text);
    if (!f)
      return fail(llvm::toString(f.takeError()));
    faults.push_back(*f);
  }
  std::vector<std::string> targetNames;
  for (const Device &d : *devices)
    if (!llvm::is_contained(targetNames, d.target))
      targetNames.push_back(d.target);
  for (const std::string &p : plugins)
    getToolTargetPlugins().push_back(p);
  llvm::Expected<TargetSelection> selection =
      loadTargets(specsDir, specFiles, targetNames);
  if (!selection)
    return fail(llvm::toString(selection.takeError()));
  // The fleet's own prices: the chip's target is rebuilt from its spec
  // with that price (costs in dollars and the schedule's bill use it). A
  // plugin's own target cannot be rebuilt that way: refused.
  TargetRegistry withoutPlugins;
  if (!prices.empty() && !plugins.empty())
    if (llvm::Error e =
            buildTargetRegistry(withoutPlugins, specsDir, specFiles, {}))
      return fail(llvm::toString(std::move(e)));
  for (const auto &[chip, price] : prices) {
    if (!plugins.empty() && !withoutPlugins.lookup(chip))
      return fail("the fleet file prices '" + chip +
                  "', a plugin's chip, which cannot be re-priced; give its "
                  "spec with --target-spec instead");
    std::unique_ptr<Target> old = selection->registry->take(chip);
    ChipSpec spec = old->getSpec();
    spec.dollarsPerHour = {price, "fleet file " + fleetFile};
    std::unique_ptr<Target> repriced = createBuiltinTarget(std::move(spec));
    for (const Target *&t : selection->targets)
      if (t == old.get())
        t = repriced.get();
    if (llvm::Error e = selection->registry->add(std::move(repriced)))
      return fail(llvm::toString(std::move(e)));
  }
  std::vector<const ChipSpec *> specs;
  for (const Target *t : selection->targets)
    specs.push_back(&t->getSpec());
  Objective objective = *parseObjective(objectiveName);
  std::optional<std::pair<Objective, double>> cap;
  if (maxDollars >= 0)
    cap = {Objective::Dollars, maxDollars};
  else if (maxJoules >= 0)
    cap = {Objective::Energy, maxJoules};

  // The model: parse, import, outline.
  ModelReader reader;
  MLIRContext &context = reader.getContext();
  std::string error;
  OwningOpRef<ModuleOp> module = reader.read(input, error);
  if (!module)
    return error.empty() ? 1 : fail(error);
  // A fat module's compiled variants (wl-compile) are set aside before the
  // import and outlining below, which must not touch chip code; each is
  // used later only for the kernel it was compiled from.
  std::vector<OwningOpRef<ModuleOp>> variants;
  for (ModuleOp nested :
       llvm::make_early_inc_range(module->getOps<ModuleOp>()))
    if (nested->hasAttr("wl.kernel") && nested->hasAttr("wl.target")) {
      nested->remove();
      variants.emplace_back(nested);
    }
  // Calls are inlined and shape asserts on constants folded away, so the
  // entry function is kernels only.
  PassManager pm(&context);
  pm.addPass(createInlinerPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createWorkloadImportPass());
  if (failed(pm.run(*module)))
    return 1;
  // What the importer leaves at a function's top level that computes a
  // tensor (an integer fill, elementwise math on whole tensors) runs as an
  // opaque kernel too.
  module->walk([&](func::FuncOp f) {
    if (f.isExternal())
      return;
    for (Operation &op : llvm::make_early_inc_range(f.getBody().front()))
      if (!isa<wl::WLDialect>(op.getDialect()) &&
          !op.hasTrait<OpTrait::ConstantLike>() && !isa<tensor::EmptyOp>(op) &&
          op.getNumResults() &&
          llvm::all_of(op.getResultTypes(),
                       [](Type t) { return isa<RankedTensorType>(t); }))
        wrapInOpaque(&op);
  });
  PassManager outline(&context);
  outline.addPass(createWorkloadOutlineKernelsPass());
  if (failed(outline.run(*module)))
    return 1;
  func::FuncOp func;
  module->walk([&](func::FuncOp f) {
    if (!func && !f.isExternal() && (entry.empty() || f.getName() == entry))
      func = f;
  });
  if (!func)
    return fail(entry.empty() ? "the model has no function to run"
                              : "no function named '" + entry + "'");

  // Host-side scalar code around the kernels (a benchmark's rtclock and
  // record_timing calls, shape asserts) touches no tensor: it is dropped.
  unsigned dropped = 0;
  for (Operation &op :
       llvm::make_early_inc_range(llvm::reverse(func.getBody().front()))) {
    auto isTensor = [](Type type) { return isa<TensorType>(type); };
    if (op.hasTrait<OpTrait::IsTerminator>() || isa<wl::KernelOp>(op) ||
        llvm::any_of(op.getOperandTypes(), isTensor) ||
        llvm::any_of(op.getResultTypes(), isTensor) || !op.use_empty() ||
        op.getNumRegions())
      continue;
    op.erase();
    ++dropped;
  }

  // Kernels, their inputs and their costs on every target of the fleet.
  std::vector<wl::KernelOp> kernelOps;
  llvm::DenseMap<Operation *, unsigned> kernelIndex;
  for (Operation &op : func.getBody().front()) {
    if (auto kernel = dyn_cast<wl::KernelOp>(&op)) {
      kernelIndex[kernel] = kernelOps.size();
      kernelOps.push_back(kernel);
      continue;
    }
    if (isa<func::ReturnOp, wl::TransferOp, tensor::EmptyOp>(op) ||
        op.hasTrait<OpTrait::ConstantLike>())
      continue;
    return fail(llvm::formatv("cannot run '{0}' outside a kernel (at {1})",
                              op.getName(), op.getLoc())
                    .str());
  }
  /// The kernel producing `v` (through transfers), or -1, and which of its
  /// results `v` is.
  auto producerOf = [&](Value v) -> std::pair<int, unsigned> {
    while (auto transfer = v.getDefiningOp<wl::TransferOp>())
      v = transfer.getInput();
    auto it = kernelIndex.find(v.getDefiningOp());
    if (it == kernelIndex.end())
      return {-1, 0};
    return {static_cast<int>(it->second),
            cast<OpResult>(v).getResultNumber()};
  };
  std::vector<ScheduledKernel> kernels;
  pl::Problem problem(kernelOps.size(), specs.size());
  // The same in the capped quantity, if any.
  std::optional<pl::Problem> capped;
  if (cap)
    capped.emplace(kernelOps.size(), specs.size());
  for (auto [i, kernel] : llvm::enumerate(kernelOps)) {
    ScheduledKernel sk;
    sk.name = (func.getName() + "/" + kernel.getSymName()).str();
    std::optional<KernelInfo> info = summarizeKernel(kernel);
    for (auto [c, target] : llvm::enumerate(selection->targets)) {
      CostEstimate e = target->estimate(*info, /*explain=*/false);
      sk.costs.push_back({e.seconds, e.joules, e.dollars, e.feasible});
      problem.cost(i, c) = e.feasible ? valueOf(e, objective) : pl::kInfeasible;
      if (capped)
        capped->cost(i, c) =
            e.feasible ? valueOf(e, cap->first) : pl::kInfeasible;
    }
    // One edge per value read; a value read by several kernels is one
    // output of its producer, moved once per target (as the schedule does).
    llvm::SmallDenseSet<std::pair<int, unsigned>> seen;
    for (Value operand : kernel.getInputs()) {
      auto [p, output] = producerOf(operand);
      double bytes = wl::detail::sumTensorBytes(ValueRange(operand));
      sk.inputs.push_back({p, bytes, output});
      if (p >= 0 && seen.insert({p, output}).second)
        problem.edges.push_back({static_cast<unsigned>(p),
                                 static_cast<unsigned>(i), bytes, output});
    }
    problem.kernelNames.push_back(sk.name);
    kernels.push_back(std::move(sk));
  }
  pl::setLinkCosts(problem, specs, objective);
  pl::Budget budget;
  if (capped) {
    capped->edges = problem.edges;
    capped->kernelNames = problem.kernelNames;
    pl::setLinkCosts(*capped, specs, cap->first);
    budget = {&*capped, cap->second};
  }
  llvm::Expected<pl::Solution> solution = pl::solve(problem, budget);
  if (!solution)
    return fail(llvm::toString(solution.takeError()));
  // After a failure: the kernels before `fixed` keep their target, the
  // rest are placed again over the targets that remain.
  Replacer replace = [&](llvm::ArrayRef<unsigned> alive, unsigned fixed,
                         std::vector<unsigned> &assignment) -> llvm::Error {
    pl::Problem again = problem;
    for (unsigned k = 0; k < again.numKernels; ++k)
      for (unsigned c = 0; c < again.numTargets; ++c) {
        bool allowed = k < fixed ? c == assignment[k]
                                 : llvm::is_contained(alive, c);
        if (!allowed)
          again.cost(k, c) = pl::kInfeasible;
      }
    llvm::Expected<pl::Solution> s = pl::solve(again, budget);
    if (!s)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "after the failure: " + llvm::toString(s.takeError()));
    assignment = s->assignment;
    return llvm::Error::success();
  };
  llvm::Expected<ScheduleResult> schedule = simulate(
      kernels, specs, *devices, solution->assignment, faults, replace);
  if (!schedule)
    return fail(llvm::toString(schedule.takeError()));

  // Numbers: every kernel on the host, in the order the schedule finished
  // them; a kernel lost with its device runs again.
  unsigned executions = 0;
  std::vector<std::string> variantsRun, variantsSkipped;
  if (!simulateOnly) {
    std::vector<ModuleOp> variantOps;
    for (OwningOpRef<ModuleOp> &v : variants)
      variantOps.push_back(*v);
    llvm::Expected<std::unique_ptr<HostExecutor>> executor =
        HostExecutor::create(func, variantOps);
    if (!executor)
      return fail(llvm::toString(executor.takeError()));
    llvm::DenseMap<Value, HostTensor> values;
    for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type)
        return fail("argument " + std::to_string(i) + " is not a tensor");
      if (inputsDir.empty()) {
        values[arg] = randomTensor(type, seed * 1000003 + i);
        continue;
      }
      llvm::SmallString<128> path(inputsDir);
      llvm::sys::path::append(path, "arg" + std::to_string(i) + ".npy");
      llvm::Expected<HostTensor> t = readNpy(path, type);
      if (!t)
        return fail(llvm::toString(t.takeError()));
      values[arg] = std::move(*t);
    }
    auto lookup = [&](Value v) -> llvm::Expected<const HostTensor *> {
      while (auto transfer = v.getDefiningOp<wl::TransferOp>())
        v = transfer.getInput();
      auto it = values.find(v);
      if (it != values.end())
        return &it->second;
      if (auto empty = v.getDefiningOp<tensor::EmptyOp>()) {
        // Contents are undefined; zeros keep runs reproducible.
        HostTensor t{empty.getType(), {}};
        t.data.resize(empty.getType().getNumElements() *
                      elementBytes(empty.getType().getElementType()));
        return &(values[v] = std::move(t));
      }
      Attribute attr;
      if (matchPattern(v, m_Constant(&attr))) {
        llvm::Expected<HostTensor> t =
            constantTensor(attr, cast<RankedTensorType>(v.getType()));
        if (!t)
          return t.takeError();
        return &(values[v] = std::move(*t));
      }
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "a value is used before it is computed");
    };
    for (unsigned k : schedule->order) {
      std::vector<const HostTensor *> inputs;
      for (Value operand : kernelOps[k].getInputs()) {
        llvm::Expected<const HostTensor *> t = lookup(operand);
        if (!t)
          return fail(kernels[k].name + ": " + llvm::toString(t.takeError()));
        inputs.push_back(*t);
      }
      std::vector<HostTensor> results;
      // The device's target computes the numbers: its own emulated
      // program where it has one.
      StringRef device = schedule->placement[k];
      const Target *target =
          selection->registry->lookup(device.rsplit(':').first);
      for (unsigned run = 0; run < schedule->runs[k]; ++run) {
        if (llvm::Error e = (*executor)->run(k, inputs, results, target))
          return fail(kernels[k].name + ": " + llvm::toString(std::move(e)));
        ++executions;
      }
      for (auto [r, result] : llvm::enumerate(kernelOps[k].getResults()))
        values[result] = std::move(results[r]);
    }
    variantsRun = (*executor)->getVariantsRun();
    variantsSkipped = (*executor)->getVariantsSkipped();
    if (!outDir.empty()) {
      if (std::error_code ec = llvm::sys::fs::create_directories(outDir))
        return fail("cannot create '" + outDir + "': " + ec.message());
      auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        llvm::Expected<const HostTensor *> t = lookup(v);
        if (!t)
          return fail(llvm::toString(t.takeError()));
        llvm::SmallString<128> path(outDir);
        llvm::sys::path::append(path, "result" + std::to_string(i) + ".npy");
        if (llvm::Error e = writeNpy(**t, path))
          return fail(llvm::toString(std::move(e)));
      }
    }
  }

  // The report.
  auto writeReport = [&](llvm::raw_ostream &os) {
    llvm::json::OStream j(os, 2);
    j.object([&] {
      j.attribute("model", input);
      j.attribute("function", func.getName());
      j.attribute("objective", objectiveName);
      j.attribute("makespan_s", schedule->makespan);
      j.attribute("dollars", schedule->dollars);
      j.attribute("joules", schedule->joules);
      j.attribute("simulated_only", simulateOnly);
      j.attribute("placement_method", solution->method);
      j.attribute("placement_objective", solution->objective);
      j.attribute("placement_lower_bound", solution->lowerBound);
      if (cap)
        j.attributeObject("budget", [&] {
          j.attribute("quantity", stringifyObjective(cap->first));
          j.attribute("limit", cap->second);
          j.attribute("placement_used", solution->capped);
        });
      j.attributeObject("placement", [&] {
        for (auto [k, kernel] : llvm::enumerate(kernels))
          j.attribute(kernel.name, schedule->placement[k]);
      });
      j.attributeObject("runs", [&] {
        for (auto [k, kernel] : llvm::enumerate(kernels))
          j.attribute(kernel.name, int64_t(schedule->runs[k]));
      });
      j.attribute("executions", int64_t(executions));
      // The fat module's compiled variants that computed numbers.
      j.attributeArray("variants_run", [&] {
        for (const std::string &v : variantsRun)
          j.value(v);
      });
      // Variants whose kernel changed (or was renamed) since wl-compile.
      j.attributeArray("variants_skipped", [&] {
        for (const std::string &v : variantsSkipped)
          j.value(v);
      });
      j.attributeObject("devices", [&] {
        for (const ScheduleResult::DeviceUse &d : schedule->devices)
          j.attributeObject(d.name, [&] {
            j.attribute("busy_s", d.busy);
            j.attribute("utilization", schedule->makespan > 0
                                           ? d.busy / schedule->makespan
                                           : 0.0);
          });
      });
      j.attributeObject("links", [&] {
        for (const ScheduleResult::LinkUse &l : schedule->links)
          j.attributeObject(l.name, [&] {
            j.attribute("bytes", l.bytes);
            j.attribute("busy_s", l.busy);
          });
      });
      j.attributeArray("failures", [&] {
        for (const Failure &f : faults)
          j.object([&] {
            j.attribute("device", f.device);
            j.attribute("time_s", f.time);
          });
      });
      j.attributeArray("notes", [&] {
        for (const std::string &note : schedule->notes)
          j.value(note);
      });
    });
    os << "\n";
  };
  if (!reportFile.empty())
    if (llvm::Error e = writeFile(reportFile, writeReport))
      return fail(llvm::toString(std::move(e)));
  if (!traceFile.empty())
    if (llvm::Error e = writeFile(traceFile, [&](llvm::raw_ostream &os) {
          writeTrace(*schedule, os);
        }))
      return fail(llvm::toString(std::move(e)));
  llvm::errs() << llvm::formatv(
      "fungible-run: {0} kernels on {1} devices: makespan {2:e} s, ${3:e}, "
      "{4:e} J ({5} placement){6}\n",
      kernels.size(), devices->size(), schedule->makespan, schedule->dollars,
      schedule->joules, solution->method,
      simulateOnly ? "; simulated only" : "");
  for (const std::string &note : schedule->notes)
    llvm::errs() << "  " << note << "\n";
  if (dropped)
    llvm::errs() << "  dropped " << dropped
                 << " host-side ops that touch no tensor (timing calls, "
                    "asserts)\n";
  return 0;
}
