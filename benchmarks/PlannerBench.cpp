//===- PlannerBench.cpp - The envelope planner's solve time -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file measures solvePlan (planner/Plan.h) on generated plans with
// given rates (no model costing): `chips` pools (contracted chips, half of
// them buyable with a lead time), `workloads` workloads (two in three
// serving a diurnal curve, the rest training to a deadline, one with a
// floor), `periods` periods and `scenarios` demand scenarios. The plan
// alone (Arg 4 = 0), or with the pinned and per-scenario solves too (1);
// proven optimal (Arg 5 = 0), or within Arg 5 millionths of the bound.
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"

#include "benchmark/benchmark.h"

#include <cmath>
#include <random>

using namespace fungible::planner;

namespace {

const char *kChips[] = {"h100",    "h200", "b200", "tpu-v5e", "tpu-v5p",
                        "tpu-v6e", "trn1", "trn2", "cpu-host"};

void BM_Plan(benchmark::State &state) {
  // At most the 9 built-in chips: a pool's chip appears once.
  unsigned chips = std::min<int64_t>(state.range(0), 9),
           workloads = state.range(1), periods = state.range(2),
           scenarios = state.range(3);
  std::mt19937 rng(chips * 1000 + workloads);
  std::uniform_real_distribution<double> unit(0, 1);
  PlanInput plan;
  plan.periods = periods;
  for (unsigned p = 0; p < chips; ++p) {
    Pool pool;
    pool.chip = kChips[p];
    pool.contracted.assign(periods, 4 + rng() % 12);
    pool.pricePerHour = 1 + 5 * unit(rng);
    pool.canBuy = p % 2;
    pool.leadTime = periods / 4;
    pool.buyPricePerHour = 0.8 * *pool.pricePerHour;
    pool.maxBuy = 16;
    plan.pools.push_back(pool);
  }
  std::vector<Rate> rates;
  for (unsigned i = 0; i < workloads; ++i) {
    Workload w;
    w.name = "w" + std::to_string(i);
    w.kind = i % 3 == 2 ? Workload::Train : Workload::Serve;
    double peak = 1e6 * (1 + 9 * unit(rng));
    for (unsigned t = 0; t < periods; ++t)
      w.demand.push_back(peak *
                         (0.6 + 0.4 * std::sin(6.283 * (t + i) / periods)));
    w.valuePerUnit = 1e-4 * (1 + unit(rng));
    w.steps = 1e6 * (1 + unit(rng));
    w.deadline = periods - 1;
    w.penaltyPerStep = 1e-3;
    w.minShare = i == 2 ? 0.1 : 0;
    for (unsigned p = 0; p < chips; ++p)
      rates.push_back(givenRate(w, plan.pools[p].chip, 20 + 200 * unit(rng),
                                *plan.pools[p].pricePerHour));
    plan.workloads.push_back(w);
  }
  for (unsigned s = 0; s < scenarios; ++s)
    plan.scenarios.push_back(
        Scenario{"s" + std::to_string(s), 1.0 / scenarios, 0.5 + s * 0.15, {}});
  SolveOptions options;
  options.timeLimitSeconds = 600;
  options.values = state.range(4) != 0;
  options.relativeGap = state.range(5) * 1e-6;
  std::string status;
  double gap = 0;
  for (auto _ : state) {
    llvm::Expected<PlanResult> r = solvePlan(plan, rates, options);
    if (!r) {
      state.SkipWithError(llvm::toString(r.takeError()).c_str());
      return;
    }
    status = r->solver.status;
    gap = r->solver.gap;
    benchmark::DoNotOptimize(r->objective);
  }
  state.SetLabel(status);
  state.counters["gap_%"] = 100 * gap;
}

} // namespace

// Args: chips, workloads, periods, scenarios, values (pinned and
// per-scenario solves), the relative gap allowed in millionths (0: proven
// optimal).
BENCHMARK(BM_Plan)
    ->ArgNames({"chips", "workloads", "periods", "scenarios", "values",
                "gap_ppm"})
    ->Args({3, 3, 24, 2, 1, 0})
    ->Args({9, 20, 24, 10, 0, 0})
    ->Args({9, 20, 24, 10, 0, 1})
    ->Args({9, 20, 24, 10, 0, 100})
    ->Args({9, 20, 24, 10, 1, 100})
    ->Unit(benchmark::kMillisecond);
