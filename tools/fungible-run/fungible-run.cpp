//===- fungible-run.cpp - Run a workload on a fleet -------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// fungible-run MODEL.mlir --devices=h100:1,trn2:2,cpu-host:1 [--fleet=F]
//   [--objective=time|dollars|energy|makespan|throughput] [--batches=N]
//   [--min-throughput=ITEMS_PER_S]
//   [--out=DIR] [--report=FILE]
//   [--trace=FILE] [--inputs=DIR] [--seed=N] [--fail=chip:i@time]...
//   [--entry=FUNC] [--keep-loops] [--simulate-only] [--target-spec=F]...
//   [--load-target-plugin=P]...
//
// A thin command line over the runtime library (runtime/Run.h): flags in,
// the fleet's targets, the prepared model, one run, the report and trace
// out. docs/Runtime.md documents the interface.
//
//===----------------------------------------------------------------------===//

#include "runtime/Run.h"
#include "tools/ToolSupport.h"

#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

#include <cmath>

using namespace fungible;
using namespace fungible::runtime;

namespace {

int fail(const llvm::Twine &message) {
  llvm::errs() << "fungible-run: " << message << "\n";
  return 1;
}

/// Prints `e` (nothing when empty: the diagnostics were printed) and
/// returns 1.
int fail(llvm::Error e) {
  std::string message = llvm::toString(std::move(e));
  return message.empty() ? 1 : fail(message);
}

/// Writes through `write` to `path` ("-" is stdout).
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
  std::string input, devicesText, fleetFile, objectiveName = "time", reportFile,
                                             traceFile, entry;
  double maxDollars = -1, maxJoules = -1;
  bool keepLoops = false;
  std::vector<std::string> failures;
  FleetOptions fleet;
  RunOptions run;
  bool listTargets = false;
  keepLargeAllocationsInHeap();
  addCommonOptions(app, "fungible-run");
  app.add_option("model", input, "model .mlir file (wl, linalg, TOSA)");
  app.add_option("--devices", devicesText,
                 "the fleet: chip[:count],... (e.g. h100:1,trn2:2,cpu-host:1)");
  app.add_option("--fleet", fleetFile,
                 "the fleet as JSON: {\"devices\": {\"h100\": 2, ...}}");
  app.add_option("--objective", objectiveName,
                 "time, dollars or energy (the serial total of kernels and "
                 "transfers), or makespan (one execution over the fleet's "
                 "devices, branches in parallel), or throughput (a stream of "
                 "--batches items, chips as pipeline stages)")
      ->check(CLI::IsMember(
          {"time", "dollars", "energy", "makespan", "throughput"}));
  int64_t batches = 16;
  double minThroughput = -1;
  app.add_option("--min-throughput", minThroughput,
                 "with --objective=dollars: serve at least this many items "
                 "per second at the least price of the devices held");
  app.add_option("--batches", batches,
                 "with --objective=throughput: items in the simulated stream");
  CLI::Option *dollarCap =
      app.add_option("--max-dollars", maxDollars,
                     "cap on the placement's dollars (kernels + transfers)")
          ->check(CLI::NonNegativeNumber);
  app.add_option("--max-joules", maxJoules,
                 "cap on the placement's energy in joules")
      ->check(CLI::NonNegativeNumber)
      ->excludes(dollarCap);
  app.add_option("--out", run.outDir, "directory for the outputs (.npy)");
  app.add_option("--report", reportFile, "report JSON ('-' for stdout)");
  app.add_option("--trace", traceFile, "Chrome trace / Perfetto JSON");
  app.add_option("--inputs", run.inputsDir,
                 "directory of arg<i>.npy inputs (default: generated)");
  app.add_option("--seed", run.seed, "seed of the generated inputs");
  app.add_option("--fail", failures,
                 "take a device away: chip:index@seconds (ms/us "
                 "suffixes), or chip:index@kernel:NAME (halfway through "
                 "that kernel's run there without failures)");
  app.add_option("--entry", entry,
                 "function to run (default: the first public one)");
  app.add_flag("--keep-loops", keepLoops,
               "run loops over buffers as written, each run of them one "
               "opaque kernel on the host, not raised");
  app.add_flag("--simulate-only", run.simulateOnly,
               "plan and simulate without computing numbers");
  app.add_flag("--measure{10}", run.measureRuns,
               "time every kernel's host code N times after a warm-up "
               "(--measure alone: 10) and compare the cpu-host model's "
               "estimates with the medians (the report's measured and "
               "fidelity; needs cpu-host in the fleet)")
      ->check(CLI::Range(1u, 100000u))
      ->excludes("--simulate-only");
  app.add_option("--target-spec", fleet.specFiles,
                 "add a chip from a JSON spec");
  app.add_option("--load-target-plugin", fleet.plugins, "load a target plugin");
  app.add_option("--specs-dir", fleet.specsDir,
                 "directory of built-in chip specs");
  app.add_flag("--list-targets", listTargets,
               "list the targets (built-in, --target-spec, plugins) and exit");
  CLI11_PARSE(app, argc, argv);

  if (listTargets) {
    if (llvm::Error e = fungible::listTargets(fleet.specsDir, fleet.specFiles,
                                              fleet.plugins, llvm::outs()))
      return fail(std::move(e));
    return 0;
  }
  if (input.empty())
    return fail("a model file is required (see --help)");

  // The fleet and its targets.
  if (devicesText.empty() == fleetFile.empty())
    return fail("give the fleet with exactly one of --devices and --fleet");
  if (fleetFile.empty()) {
    llvm::Expected<std::vector<Device>> devices = parseDevices(devicesText);
    if (!devices)
      return fail(devices.takeError());
    fleet.devices = std::move(*devices);
  } else {
    llvm::Expected<Fleet> file = loadFleet(fleetFile);
    if (!file)
      return fail(file.takeError());
    fleet.devices = std::move(file->devices);
    fleet.prices = std::move(file->prices);
    fleet.priceSource = "fleet file " + fleetFile;
  }
  for (const std::string &text : failures) {
    llvm::Expected<Failure> f = parseFailure(text);
    if (!f)
      return fail(f.takeError());
    run.failures.push_back(*f);
  }
  llvm::Expected<TargetSelection> targets = loadFleetTargets(fleet);
  if (!targets)
    return fail(targets.takeError());
  if (batches < 1 || batches > 1000000)
    return fail("--batches must be from 1 to 1000000, not " +
                std::to_string(batches));
  run.batches = static_cast<unsigned>(batches);
  if (minThroughput != -1) {
    if (!(minThroughput > 0) || !std::isfinite(minThroughput))
      return fail("--min-throughput must be a positive number of items per "
                  "second");
    if (objectiveName != "dollars")
      return fail("--min-throughput is served at the least price: use it "
                  "with --objective=dollars");
    if (maxDollars >= 0 || maxJoules >= 0)
      return fail("--min-throughput takes no --max-dollars or --max-joules");
    run.goal = PlacementGoal::Throughput;
    run.minThroughput = minThroughput;
  }
  if (objectiveName == "makespan" || objectiveName == "throughput") {
    if (maxDollars >= 0 || maxJoules >= 0)
      return fail("--max-dollars and --max-joules cap the time, dollars and "
                  "energy objectives, not " +
                  objectiveName);
    run.goal = objectiveName == "makespan" ? PlacementGoal::Makespan
                                           : PlacementGoal::Throughput;
  } else {
    run.objective = *parseObjective(objectiveName);
  }
  if (maxDollars >= 0)
    run.cap = {Objective::Dollars, maxDollars};
  else if (maxJoules >= 0)
    run.cap = {Objective::Energy, maxJoules};

  run.compileProgress = compileProgressPrinter("fungible-run");

  // The model, the run, what it reports.
  ModelReader reader;
  std::string error;
  mlir::OwningOpRef<mlir::ModuleOp> module = reader.read(input, error);
  if (!module)
    return error.empty() ? 1 : fail(error);
  llvm::Expected<PreparedModel> prepared =
      prepareForRun(*module, entry, !keepLoops);
  if (!prepared)
    return fail(prepared.takeError());
  llvm::Expected<RunResult> result =
      runModel(*prepared, *targets, fleet.devices, run);
  if (!result)
    return fail(result.takeError());
  if (!reportFile.empty())
    if (llvm::Error e = writeFile(reportFile, [&](llvm::raw_ostream &os) {
          writeReport(*result, run, input, os);
        }))
      return fail(std::move(e));
  if (!traceFile.empty())
    if (llvm::Error e = writeFile(traceFile, [&](llvm::raw_ostream &os) {
          TraceInfo info{result->kernels, result->chips, run.failures};
          writeTrace(result->schedule, os, &info);
        }))
      return fail(std::move(e));
  writeSummary(*result, run, *prepared, llvm::errs());
  return 0;
}
