//===- FuzzPlan.cpp - Plan JSON -> the planner --------------------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A plan as fungible-plan reads it; a small one (at most 4 periods, 3
// pools, 3 workloads, 3 scenarios) whose workloads all give their rates is
// also solved (CBC, at most a second): the result must keep every pool's
// capacity and serve no more than the demand.
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"

#include <cstdlib>

using namespace fungible::planner;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<PlanInput> plan = parsePlan(text, "fuzz.json");
  if (!plan) {
    llvm::consumeError(plan.takeError());
    return 0;
  }
  if (plan->periods > 4 || plan->pools.size() > 3 ||
      plan->workloads.size() > 3 || plan->scenarios.size() > 3)
    return 0;
  std::vector<Rate> rates;
  for (const Workload &w : plan->workloads)
    for (const Pool &pool : plan->pools) {
      if (!w.chips.empty() && !llvm::is_contained(w.chips, pool.chip))
        continue;
      auto given = w.rates.find(pool.chip);
      if (given == w.rates.end())
        return 0;
      rates.push_back(givenRate(w, pool.chip, given->second,
                                pool.pricePerHour.value_or(1)));
    }
  SolveOptions options;
  options.timeLimitSeconds = 1;
  llvm::Expected<PlanResult> result = solvePlan(*plan, rates, options);
  if (!result) {
    llvm::consumeError(result.takeError());
    return 0;
  }
  for (const PlanResult::Capacity &c : result->capacity)
    if (c.used > c.chips * (1 + 1e-6) + 1e-6)
      std::abort();
  for (const PlanResult::Served &s : result->served)
    if (s.units > s.demand * (1 + 1e-6) + 1e-6)
      std::abort();
  return 0;
}
