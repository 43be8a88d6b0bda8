//===- Output.cpp - Printing a plan -----------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements writePlanTable and writePlanJson (Plan.h; the JSON
// schema is in docs/Planner.md).
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace llvm;

namespace fungible::planner {

namespace {

std::string num(double v) { return formatv("{0}", format("%.4g", v)).str(); }
std::string usd(double v) { return "$" + num(v); }

} // namespace

void writePlanTable(const PlanInput &plan, const PlanResult &result,
                    raw_ostream &os) {
  os << formatv("fungible-plan: {0} periods of {1} h, {2} pools, {3} "
                "workloads, {4} scenario(s); {5}\n",
                plan.periods, num(plan.hoursPerPeriod), plan.pools.size(),
                plan.workloads.size(), plan.scenarios.size(),
                plan.minimizeCost ? "least cost serving all demand"
                                  : "most expected value minus cost");
  os << "\nrates (per chip; from Fungible's cost models unless the plan "
        "gives them):\n";
  os << "  " << left_justify("workload", 14) << left_justify("chip", 12)
     << right_justify("step", 12) << right_justify("chips/replica", 15)
     << right_justify("units/s", 12) << right_justify("$/unit", 12)
     << "  source\n";
  for (const Rate &r : result.rates) {
    os << "  " << left_justify(r.workload, 14) << left_justify(r.chip, 12);
    if (!r.feasible) {
      os << "  cannot run: " << r.reason << "\n";
      continue;
    }
    os << right_justify(num(r.stepSeconds) + " s", 12)
       << right_justify(std::to_string(r.chipsPerReplica), 15)
       << right_justify(num(r.unitsPerSecond), 12)
       << right_justify(usd(r.dollarsPerUnit), 12) << "  " << r.source << "\n";
  }
  os << "\npurchases: ";
  if (result.purchases.empty())
    os << "none";
  for (auto [i, p] : llvm::enumerate(result.purchases))
    os << (i ? ", " : "") << num(p.chips) << " " << p.pool << " from period "
       << p.period;
  os << "\n";
  // Allocation per scenario: one row per period, one column per pool and
  // workload that gets chips.
  for (const PlanResult::PerScenario &sc : result.scenarios) {
    std::vector<std::pair<std::string, std::string>> columns;
    std::map<std::pair<unsigned, std::string>, double> chips;
    for (const PlanResult::Allocation &a : result.allocations) {
      if (a.scenario != sc.name)
        continue;
      std::pair<std::string, std::string> key{a.pool, a.workload};
      if (!llvm::is_contained(columns, key))
        columns.push_back(key);
      chips[{a.period, a.pool + "/" + a.workload}] += a.chips;
    }
    llvm::sort(columns);
    os << formatv("\nchips given out, scenario '{0}' (p = {1}):\n", sc.name,
                  num(sc.probability));
    os << "  " << left_justify("period", 8);
    for (const auto &[pool, workload] : columns)
      os << right_justify(pool + "/" + workload, 20);
    os << "\n";
    for (unsigned t = 0; t < plan.periods; ++t) {
      os << "  " << left_justify(std::to_string(t), 8);
      for (const auto &[pool, workload] : columns) {
        auto it = chips.find({t, pool + "/" + workload});
        os << right_justify(it == chips.end() ? "-" : num(it->second), 20);
      }
      os << "\n";
    }
  }
  os << "\nper scenario:\n";
  for (const PlanResult::PerScenario &sc : result.scenarios)
    os << formatv("  {0}: p {1}, value {2}, cost {3}, profit {4}, unmet "
                  "demand {5} units{6}\n",
                  left_justify(sc.name, 12), num(sc.probability), usd(sc.value),
                  usd(sc.cost), usd(sc.value - sc.cost), num(sc.unmet),
                  sc.servedWhole ? " (served whole)" : "");
  for (const PlanResult::Training &t : result.training)
    if (t.steps < t.needed * (1 - 1e-9))
      os << formatv("  training '{0}' in '{1}': {2} of {3} steps by its "
                    "deadline\n",
                    t.workload, t.scenario, num(t.steps), num(t.needed));
  os << formatv("\nexpected value {0}, expected cost {1}, objective {2}\n",
                usd(result.expectedValue), usd(result.expectedCost),
                usd(result.objective));
  if (plan.risk.level < 1)
    os << formatv("CVaR at {0} of the profit (its worst {1}% of "
                  "probability): {2}",
                  num(plan.risk.level), num(100 * (1 - plan.risk.level)),
                  usd(result.cvar));
  else
    os << "the worst scenario's profit: " << usd(result.cvar);
  if (plan.risk.measure == PlanInput::Risk::CVaR)
    os << formatv("; the objective weighs it {0}", num(plan.risk.weight));
  else if (plan.risk.measure == PlanInput::Risk::Quantile)
    os << formatv("; all demand served with probability {0} or more",
                  num(plan.risk.level));
  os << "\n";
  if (result.fungibility.solved) {
    os << formatv("value of fungibility: {0} and {1} units served more than "
                  "with each workload on its best chip alone (",
                  usd(result.fungibility.dollars),
                  num(result.fungibility.unitsServed));
    bool first = true;
    for (const auto &[w, chip] : result.fungibility.pinned) {
      os << (first ? "" : ", ") << w << " on " << chip;
      first = false;
    }
    os << ")\n";
  } else if (!result.fungibility.status.empty()) {
    os << "value of fungibility: " << result.fungibility.status << "\n";
  }
  if (result.perfectInformation.solved)
    os << formatv("value of perfect information: {0} (each scenario known "
                  "in advance)\n",
                  usd(result.perfectInformation.dollars));
  os << formatv("solver: {0}, {1}, gap {2}, {3} s\n", result.solver.name,
                result.solver.status, num(result.solver.gap),
                num(result.solver.seconds));
}

void writePlanJson(const PlanInput &plan, const PlanResult &result,
                   raw_ostream &os) {
  json::OStream j(os, 2);
  j.object([&] {
    j.attribute("periods", int64_t(plan.periods));
    j.attribute("hours_per_period", plan.hoursPerPeriod);
    j.attribute("objective", plan.minimizeCost ? "cost" : "value");
    j.attributeArray("purchases", [&] {
      for (const PlanResult::Purchase &p : result.purchases)
        j.object([&] {
          j.attribute("pool", p.pool);
          j.attribute("period", int64_t(p.period));
          j.attribute("chips", p.chips);
        });
    });
    j.attributeArray("capacity", [&] {
      for (const PlanResult::Capacity &c : result.capacity)
        j.object([&] {
          j.attribute("scenario", c.scenario);
          j.attribute("period", int64_t(c.period));
          j.attribute("pool", c.pool);
          j.attribute("chips", c.chips);
          j.attribute("used", c.used);
          j.attribute("spot", c.spot);
        });
    });
    j.attributeArray("allocations", [&] {
      for (const PlanResult::Allocation &a : result.allocations)
        j.object([&] {
          j.attribute("scenario", a.scenario);
          j.attribute("period", int64_t(a.period));
          j.attribute("pool", a.pool);
          j.attribute("workload", a.workload);
          j.attribute("chips", a.chips);
        });
    });
    j.attributeArray("served", [&] {
      for (const PlanResult::Served &s : result.served)
        j.object([&] {
          j.attribute("scenario", s.scenario);
          j.attribute("period", int64_t(s.period));
          j.attribute("workload", s.workload);
          j.attribute("units", s.units);
          j.attribute("demand", s.demand);
        });
    });
    j.attributeArray("training", [&] {
      for (const PlanResult::Training &t : result.training)
        j.object([&] {
          j.attribute("scenario", t.scenario);
          j.attribute("workload", t.workload);
          j.attribute("steps", t.steps);
          j.attribute("needed", t.needed);
        });
    });
    j.attributeArray("scenarios", [&] {
      for (const PlanResult::PerScenario &s : result.scenarios)
        j.object([&] {
          j.attribute("name", s.name);
          j.attribute("probability", s.probability);
          j.attribute("value_dollars", s.value);
          j.attribute("cost_dollars", s.cost);
          j.attribute("unmet_units", s.unmet);
          j.attribute("profit_dollars", s.value - s.cost);
          j.attribute("served_whole", s.servedWhole);
        });
    });
    j.attribute("expected_cost_dollars", result.expectedCost);
    j.attribute("expected_value_dollars", result.expectedValue);
    j.attribute("objective_dollars", result.objective);
    j.attributeObject("risk", [&] {
      j.attribute("measure", plan.risk.measure == PlanInput::Risk::CVaR ? "cvar"
                             : plan.risk.measure == PlanInput::Risk::Quantile
                                 ? "quantile"
                                 : "none");
      j.attribute("level", plan.risk.level);
      if (plan.risk.measure == PlanInput::Risk::CVaR)
        j.attribute("weight", plan.risk.weight);
      j.attribute("cvar_dollars", result.cvar);
    });
    j.attributeObject("value_of_fungibility", [&] {
      j.attribute("solved", result.fungibility.solved);
      j.attribute("status", result.fungibility.status);
      j.attribute("dollars", result.fungibility.dollars);
      j.attribute("units_served", result.fungibility.unitsServed);
      j.attributeObject("pinned", [&] {
        for (const auto &[w, chip] : result.fungibility.pinned)
          j.attribute(w, chip);
      });
    });
    j.attributeObject("value_of_perfect_information", [&] {
      j.attribute("solved", result.perfectInformation.solved);
      j.attribute("dollars", result.perfectInformation.dollars);
    });
    j.attributeObject("solver", [&] {
      j.attribute("name", result.solver.name);
      j.attribute("status", result.solver.status);
      j.attribute("gap", result.solver.gap);
      j.attribute("seconds", result.solver.seconds);
    });
    j.attributeArray("rates", [&] {
      for (const Rate &r : result.rates)
        j.object([&] {
          j.attribute("workload", r.workload);
          j.attribute("chip", r.chip);
          j.attribute("feasible", r.feasible);
          if (!r.feasible) {
            j.attribute("reason", r.reason);
            return;
          }
          j.attribute("step_s", r.stepSeconds);
          j.attribute("chips_per_replica", int64_t(r.chipsPerReplica));
          j.attribute("units_per_s", r.unitsPerSecond);
          j.attribute("dollars_per_unit", r.dollarsPerUnit);
          j.attribute("source", r.source);
        });
    });
  });
  os << "\n";
}

} // namespace fungible::planner
