//===- fungible-plan.cpp - Plan the compute envelope ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// fungible-plan PLAN.json [--out=FILE] [--format=table|json]
//   [--time-limit=S] [--gap=F] [--kueue-out=DIR [--period=P] [--scenario=S]
//   [--namespace=NS]] [--plot=FILE.svg] [--target-spec=F]...
//   [--load-target-plugin=P]...
//   [--specs-dir=DIR]
//
// A thin command line over the planner library (planner/Plan.h): the plan
// read and checked, the pools' chips loaded, each workload's rates from its
// model (or the plan), the program solved, the plan printed.
// docs/Planner.md documents the input, the model and the output.
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"
#include "runtime/Run.h"
#include "tools/ToolSupport.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

using namespace fungible;
using namespace fungible::planner;

namespace {

int fail(const llvm::Twine &message) {
  llvm::errs() << "fungible-plan: " << message << "\n";
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Fungible: plan the compute envelope (which chips to buy, "
               "and how to share them across workloads and scenarios)"};
  std::string input, out = "-", format = "table", specsDir, kueueOut, scenario,
                     ns = "default", plot;
  unsigned period = 0;
  std::vector<std::string> specFiles, plugins;
  SolveOptions options;
  addCommonOptions(app, "fungible-plan");
  app.add_option("plan", input, "plan JSON (docs/Planner.md)");
  app.add_option("--out", out, "where the plan goes ('-': stdout)");
  app.add_option("--format", format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  app.add_option("--time-limit", options.timeLimitSeconds,
                 "seconds CBC may take per solve (the best plan and its gap "
                 "are reported when reached)")
      ->check(CLI::PositiveNumber);
  app.add_option("--gap", options.relativeGap,
                 "stop within this fraction of the optimum's bound (default "
                 "0: proven optimal); the plan reports the gap reached")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--kueue-out", kueueOut,
                 "write the Kueue manifests that enact --period of the plan "
                 "into this directory");
  app.add_option("--plot", plot,
                 "an SVG picture of the allocation over time, a panel per "
                 "pool, for --scenario");
  app.add_option("--period", period,
                 "the period the Kueue manifests enact (default 0)");
  app.add_option("--scenario", scenario,
                 "the scenario the manifests and the picture show (default: "
                 "the most probable)");
  app.add_option("--namespace", ns, "the LocalQueues' namespace");
  app.add_option("--target-spec", specFiles, "add a chip from a JSON spec");
  app.add_option("--load-target-plugin", plugins, "load a target plugin");
  app.add_option("--specs-dir", specsDir, "directory of built-in chip specs");
  CLI11_PARSE(app, argc, argv);
  if (input.empty())
    return fail("a plan file is required (see --help)");
  if (!plot.empty() && !llvm::StringRef(plot).ends_with(".svg"))
    return fail("--plot writes SVG: give a file ending in .svg, not '" + plot +
                "'");

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(input);
  if (!buffer)
    return fail("cannot read '" + input + "': " + buffer.getError().message());
  llvm::Expected<PlanInput> plan = parsePlan((*buffer)->getBuffer(), input);
  if (!plan)
    return fail(llvm::toString(plan.takeError()));

  // The pools' chips; a chip a workload names must be a pool's.
  std::vector<std::string> chips;
  for (const Pool &pool : plan->pools)
    chips.push_back(pool.chip);
  for (const Workload &w : plan->workloads) {
    for (auto [i, chip] : llvm::enumerate(w.chips))
      if (!llvm::is_contained(chips, chip))
        return fail(input + ": workloads." + w.name + ".chips[" +
                    std::to_string(i) + "]: '" + chip + "' is not a pool");
    for (const auto &[chip, rate] : w.rates)
      if (!llvm::is_contained(chips, chip))
        return fail(input + ": workloads." + w.name + ".rates." + chip + ": '" +
                    chip + "' is not a pool");
  }
  for (const std::string &p : plugins)
    if (!llvm::is_contained(getToolTargetPlugins(), p))
      getToolTargetPlugins().push_back(p);
  llvm::Expected<TargetSelection> targets =
      loadTargets(specsDir, specFiles, chips);
  if (!targets)
    return fail(input + ": pools: " + llvm::toString(targets.takeError()));
  // A pool's price defaults to its chip spec's; a unit's price is that of
  // one more chip-hour (buying, where the pool can).
  std::vector<double> prices;
  for (auto [p, pool] : llvm::enumerate(plan->pools)) {
    if (!pool.pricePerHour)
      pool.pricePerHour = targets->targets[p]->getSpec().dollarsPerHour.value;
    prices.push_back(pool.canBuy ? pool.buyPricePerHour : *pool.pricePerHour);
  }

  // Each workload's rates: the plan's where it gives them, else its
  // model's on every pool's chip.
  std::vector<Rate> rates;
  for (const Workload &w : plan->workloads) {
    bool allGiven = llvm::all_of(chips, [&](const std::string &c) {
      return w.rates.count(c) ||
             (!w.chips.empty() && !llvm::is_contained(w.chips, c));
    });
    std::vector<Rate> modelRates;
    if (!allGiven) {
      if (w.model.empty())
        return fail(input + ": workloads." + w.name +
                    ": no model, and no rates for every pool");
      // A reader (and context) per model: a reader parses one file.
      ModelReader reader;
      std::string error;
      mlir::OwningOpRef<mlir::ModuleOp> module = reader.read(w.model, error);
      if (!module)
        return fail(
            "workloads." + w.name + ".model: " +
            (error.empty() ? "'" + w.model + "' does not parse" : error));
      llvm::Expected<runtime::PreparedModel> prepared =
          runtime::prepareForRun(*module, "");
      if (!prepared) {
        std::string message = llvm::toString(prepared.takeError());
        return fail("workloads." + w.name + ".model: " +
                    (message.empty() ? "'" + w.model + "' cannot be prepared"
                                     : message));
      }
      modelRates = workloadRates(w, *prepared, targets->targets, prices);
    }
    for (auto [p, chip] : llvm::enumerate(chips)) {
      // A pool it may not use has no rate for it.
      if (!w.chips.empty() && !llvm::is_contained(w.chips, chip))
        continue;
      auto given = w.rates.find(chip);
      if (given != w.rates.end())
        rates.push_back(givenRate(w, chip, given->second, prices[p]));
      else if (!modelRates.empty())
        rates.push_back(modelRates[p]);
    }
  }

  llvm::Expected<PlanResult> result = solvePlan(*plan, rates, options);
  if (!result)
    return fail(input + ": " + llvm::toString(result.takeError()));
  std::error_code ec;
  llvm::raw_fd_ostream os(out, ec);
  if (ec)
    return fail("cannot write '" + out + "': " + ec.message());
  if (format == "json")
    writePlanJson(*plan, *result, os);
  else
    writePlanTable(*plan, *result, os);
  if (kueueOut.empty() && plot.empty())
    return 0;
  if (scenario.empty()) {
    const Scenario *likeliest = &plan->scenarios.front();
    for (const Scenario &s : plan->scenarios)
      if (s.probability > likeliest->probability)
        likeliest = &s;
    scenario = likeliest->name;
  }
  if (!plot.empty()) {
    std::error_code pec;
    llvm::raw_fd_ostream svg(plot, pec);
    if (pec)
      return fail("cannot write '" + plot + "': " + pec.message());
    if (llvm::Error e = writePlanSvg(*plan, *result, scenario, svg))
      return fail(llvm::toString(std::move(e)));
    llvm::errs() << "fungible-plan: the picture of scenario '" << scenario
                 << "' in " << plot << "\n";
  }
  if (kueueOut.empty())
    return 0;
  std::vector<KueueChip> kueueChips;
  for (const Target *t : targets->targets)
    kueueChips.push_back(
        {stringifyChipFamily(t->getSpec().family).str(),
         static_cast<unsigned>(std::max(1.0, t->getSpec().units.value))});
  if (llvm::Error e = writeKueueManifests(*plan, *result, kueueChips, period,
                                          scenario, ns, kueueOut))
    return fail(llvm::toString(std::move(e)));
  llvm::errs() << "fungible-plan: Kueue manifests for period " << period
               << " of scenario '" << scenario << "' in " << kueueOut << "\n";
  return 0;
}
