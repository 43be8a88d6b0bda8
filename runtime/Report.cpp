//===- Report.cpp - What a run reports --------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file writes a run's JSON report (docs/Runtime.md) and its one-line
// summary (Run.h).
//
//===----------------------------------------------------------------------===//

#include "runtime/Run.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace fungible::runtime {

namespace {

/// The objective as the user named it.
llvm::StringRef objectiveName(const RunOptions &options) {
  if (options.goal == PlacementGoal::Makespan)
    return "makespan";
  if (options.goal == PlacementGoal::Throughput)
    return "throughput";
  return stringifyObjective(options.objective);
}

} // namespace

void writeReport(const RunResult &result, const RunOptions &options,
                 llvm::StringRef model, llvm::raw_ostream &os) {
  const ScheduleResult &schedule = result.schedule;
  const placement::Solution &solution = result.placement;
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("model", model);
    j.attribute("function", result.function);
    j.attribute("objective", objectiveName(options));
    j.attribute("makespan_s", schedule.makespan);
    j.attribute("dollars", schedule.dollars);
    j.attribute("joules", schedule.joules);
    j.attribute("simulated_only", options.simulateOnly);
    j.attribute("placement_method", solution.method);
    j.attribute("placement_objective", solution.objective);
    j.attribute("placement_lower_bound", solution.lowerBound);
    if (options.goal == PlacementGoal::Makespan &&
        !result.bestSingleTarget.empty())
      j.attributeObject("best_single_chip", [&] {
        j.attribute("chip", result.bestSingleTarget);
        j.attribute("makespan_s", result.bestSingle);
      });
    if (const std::optional<RunResult::Stream> &st = result.stream) {
      j.attribute("throughput_per_s", st->throughput);
      j.attribute("period_s", st->period);
      j.attribute("item_latency_s", st->latency);
      j.attribute("dollars_per_item", st->dollarsPerItem);
      j.attribute("joules_per_item", st->joulesPerItem);
      j.attribute("bottleneck", st->bottleneck);
      j.attribute("items", int64_t(st->items));
      j.attribute("simulated_throughput_per_s", st->simulatedThroughput);
      if (options.minThroughput > 0)
        j.attribute("min_throughput_per_s", options.minThroughput);
      j.attributeObject("held_devices", [&] {
        for (const auto &[chip, count] : st->held)
          j.attribute(chip, int64_t(count));
      });
      if (!result.bestSingleTarget.empty())
        j.attributeObject("best_single_chip", [&] {
          j.attribute("chip", result.bestSingleTarget);
          j.attribute("throughput_per_s", 1 / result.bestSingle);
        });
    }
    if (options.cap)
      j.attributeObject("budget", [&] {
        j.attribute("quantity", stringifyObjective(options.cap->first));
        j.attribute("limit", options.cap->second);
        j.attribute("placement_used", solution.capped);
      });
    j.attributeObject("placement", [&] {
      for (auto [k, kernel] : llvm::enumerate(result.kernels))
        j.attribute(kernel.name, schedule.placement[k]);
    });
    j.attributeObject("runs", [&] {
      for (auto [k, kernel] : llvm::enumerate(result.kernels))
        j.attribute(kernel.name, int64_t(schedule.runs[k]));
    });
    j.attribute("executions", int64_t(result.executions));
    j.attribute("host_functions", int64_t(result.hostFunctions));
    j.attributeObject("in_place_updates", [&] {
      j.attribute("handed_over", int64_t(result.inputsHandedOver));
      j.attribute("copied", int64_t(result.inputsCopiedForUpdate));
    });
    // With --measure: each kernel's cpu-host estimate beside its host
    // code's median time, and the statistics of the two.
    if (result.fidelity) {
      j.attributeObject("measured", [&] {
        for (auto [k, kernel] : llvm::enumerate(result.kernels)) {
          const RunResult::Measured &m = result.measured[k];
          j.attributeObject(kernel.name, [&] {
            j.attribute("kind", m.kind);
            j.attribute("estimated_s", m.estimated);
            j.attribute("measured_s", m.timing.median);
            j.attribute("measured_spread", m.timing.spread);
            j.attribute("runs", int64_t(m.timing.runs));
          });
        }
      });
      j.attributeObject("fidelity",
                        [&] { writeFidelityJson(j, *result.fidelity); });
    }
    // The fat module's compiled variants that computed numbers.
    j.attributeArray("variants_run", [&] {
      for (const std::string &v : result.variantsRun)
        j.value(v);
    });
    // Variants whose kernel changed (or was renamed) since wl-compile.
    j.attributeArray("variants_skipped", [&] {
      for (const std::string &v : result.variantsSkipped)
        j.value(v);
    });
    j.attributeObject("devices", [&] {
      for (const ScheduleResult::DeviceUse &d : schedule.devices)
        j.attributeObject(d.name, [&] {
          j.attribute("busy_s", d.busy);
          j.attribute("utilization",
                      schedule.makespan > 0 ? d.busy / schedule.makespan : 0.0);
        });
    });
    j.attributeObject("links", [&] {
      for (const ScheduleResult::LinkUse &l : schedule.links)
        j.attributeObject(l.name, [&] {
          j.attribute("bytes", l.bytes);
          j.attribute("busy_s", l.busy);
        });
    });
    j.attributeArray("failures", [&] {
      for (const Failure &f : options.failures)
        j.object([&] {
          j.attribute("device", f.device);
          j.attribute("time_s", f.time);
        });
    });
    j.attributeArray("notes", [&] {
      for (const std::string &note : schedule.notes)
        j.value(note);
    });
  });
  os << "\n";
}

namespace {

/// Seconds in the unit that reads best: "1.23 ms".
std::string seconds(double s) {
  const char *unit = "s";
  double scaled = s;
  if (s != 0 && std::abs(s) < 1e-6) {
    scaled = s * 1e9;
    unit = "ns";
  } else if (s != 0 && std::abs(s) < 1e-3) {
    scaled = s * 1e6;
    unit = "us";
  } else if (s != 0 && std::abs(s) < 1) {
    scaled = s * 1e3;
    unit = "ms";
  }
  return llvm::formatv("{0} {1}", llvm::format("%.4g", scaled), unit).str();
}

std::string dollars(double d) {
  return llvm::formatv("${0}", llvm::format("%.4g", d)).str();
}

std::string joules(double j) {
  return llvm::formatv("{0} J", llvm::format("%.4g", j)).str();
}

/// A quantity of the objective's unit.
std::string inUnit(double value, Objective objective) {
  switch (objective) {
  case Objective::Time:
    return seconds(value);
  case Objective::Dollars:
    return dollars(value);
  case Objective::Energy:
    return joules(value);
  }
  return seconds(value);
}

} // namespace

void writeSummary(const RunResult &result, const RunOptions &options,
                  const PreparedModel &model, llvm::raw_ostream &os) {
  const ScheduleResult &schedule = result.schedule;
  const placement::Solution &placed = result.placement;
  os << llvm::formatv("fungible-run: {0} kernels on {1} devices: makespan "
                      "{2}, {3}, {4} ({5} placement){6}\n",
                      result.kernels.size(), result.devices,
                      seconds(schedule.makespan), dollars(schedule.dollars),
                      joules(schedule.joules), placed.method,
                      options.simulateOnly ? "; simulated only" : "");
  // The objective against the best single chip.
  if (options.goal == PlacementGoal::Total) {
    os << llvm::formatv("  placed for {0}: {1} in all, kernels plus "
                        "transfers ({2})",
                        stringifyObjective(options.objective),
                        inUnit(placed.objective, options.objective),
                        placed.optimal
                            ? std::string("optimal")
                            : "lower bound " +
                                  inUnit(placed.lowerBound, options.objective));
    if (!result.bestSingleTarget.empty())
      os << llvm::formatv("; the best single chip, {0}, {1}",
                          result.bestSingleTarget,
                          inUnit(result.bestSingle, options.objective));
    os << "\n";
  }
  if (options.goal == PlacementGoal::Makespan &&
      !result.bestSingleTarget.empty())
    os << llvm::formatv("  planned makespan {0} (lower bound {1}); the best "
                        "single chip, {2}, takes {3}\n",
                        seconds(placed.objective), seconds(placed.lowerBound),
                        result.bestSingleTarget, seconds(result.bestSingle));
  if (const std::optional<RunResult::Stream> &st = result.stream) {
    os << llvm::formatv("  steady state: {0:f1} items/s (one every {1}; "
                        "bottleneck {2}); one item takes {3}; {4} and {5} "
                        "per item\n",
                        st->throughput, seconds(st->period), st->bottleneck,
                        seconds(st->latency), dollars(st->dollarsPerItem),
                        joules(st->joulesPerItem));
    std::string held;
    for (const auto &[chip, count] : st->held)
      held += (held.empty() ? "" : ", ") + chip + " x" + std::to_string(count);
    if (options.minThroughput > 0)
      os << llvm::formatv("  serving at least {0} items/s at the least price: "
                          "holds {1}\n",
                          llvm::format("%g", options.minThroughput), held);
    os << llvm::formatv("  simulated: {0} items in {1}, {2:f1} items/s",
                        st->items, seconds(schedule.makespan),
                        st->simulatedThroughput);
    if (!result.bestSingleTarget.empty())
      os << llvm::formatv("; the best single chip, {0}, sustains {1:f1} "
                          "items/s",
                          result.bestSingleTarget, 1 / result.bestSingle);
    os << "\n";
  }
  // Each kernel's final run (a stream's first item): where, when, what it
  // cost; the 20 longest when there are more than 30.
  struct Row {
    std::string kernel, device;
    double start, time, dollars;
    /// With --measure: the cpu-host estimate and the host's median.
    double estimated = 0, measured = 0;
  };
  bool measuring = result.fidelity.has_value();
  std::vector<Row> rows;
  // Each kernel's last run on each device, looked up once (a scan of the
  // events per kernel was quadratic in a 20,000-kernel run).
  llvm::StringMap<const Event *> lastRun;
  for (const Event &e : schedule.events)
    if (e.kind == Event::Kernel)
      lastRun[e.name + "\n" + e.track] = &e;
  for (auto [k, kernel] : llvm::enumerate(result.kernels)) {
    const std::string &device = schedule.placement[k];
    const Event *run = lastRun.lookup(kernel.name + "\n" + device);
    auto chip = llvm::find(result.chips,
                           llvm::StringRef(device).rsplit(':').first.str());
    if (!run || chip == result.chips.end())
      continue;
    llvm::StringRef name = kernel.name;
    rows.push_back({name.substr(name.find('/') + 1).str(), device, run->start,
                    run->end - run->start,
                    kernel.costs[chip - result.chips.begin()].dollars});
    if (measuring) {
      rows.back().estimated = result.measured[k].estimated;
      rows.back().measured = result.measured[k].timing.median;
    }
  }
  size_t shown = rows.size();
  if (rows.size() > 30) {
    llvm::stable_sort(
        rows, [](const Row &a, const Row &b) { return a.time > b.time; });
    shown = 20;
    rows.resize(shown);
    llvm::stable_sort(
        rows, [](const Row &a, const Row &b) { return a.start < b.start; });
  }
  size_t width = 6;
  for (const Row &r : rows)
    width = std::max(width, r.kernel.size());
  os << "  " << llvm::left_justify("kernel", width) << "  "
     << llvm::left_justify("device", 12) << llvm::right_justify("start", 12)
     << llvm::right_justify("time", 12) << llvm::right_justify("dollars", 13);
  if (measuring)
    os << llvm::right_justify("host est.", 12)
       << llvm::right_justify("host meas.", 12);
  os << "\n";
  for (const Row &r : rows) {
    os << "  " << llvm::left_justify(r.kernel, width) << "  "
       << llvm::left_justify(r.device, 12)
       << llvm::right_justify(seconds(r.start), 12)
       << llvm::right_justify(seconds(r.time), 12)
       << llvm::right_justify(dollars(r.dollars), 13);
    if (measuring)
      os << llvm::right_justify(seconds(r.estimated), 12)
         << llvm::right_justify(seconds(r.measured), 12);
    os << "\n";
  }
  if (shown < result.kernels.size())
    os << "  (the " << shown << " longest of " << result.kernels.size()
       << " kernels; the report lists every placement)\n";
  if (measuring)
    printFidelity(os, *result.fidelity, options.measureRuns);
  for (const std::string &note : schedule.notes)
    os << "  " << note << "\n";
  if (model.droppedHostOps)
    os << "  dropped " << model.droppedHostOps
       << " host-side ops that touch no tensor (timing calls, asserts)\n";
  if (model.functions > 1)
    os << "  ran function '" << result.function << "', one of "
       << model.functions << " (--entry chooses)\n";
}

} // namespace fungible::runtime
