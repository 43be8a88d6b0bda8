//===- PlannerTest.cpp - The envelope planner's program ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks solvePlan (planner/Plan.h) against brute force on
// hundreds of tiny instances (one serving workload over one or two pools
// with purchases and scenarios: every purchase vector tried, each served
// up to its capacity), and its invariants on random instances with several
// workloads, periods, floors and trainings: capacity never exceeded,
// served within demand, purchases whole, within their maximum and not
// before their lead time, the values of fungibility and of perfect
// information never negative.
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace fungible::planner;

namespace {

const char *kChips[] = {"h100", "trn2", "tpu-v5e"};

TEST(Planner, EqualsBruteForceOnTinyPlans) {
  std::mt19937 rng(20261202);
  std::uniform_real_distribution<double> unit(0, 1);
  for (unsigned trial = 0; trial < 200; ++trial) {
    PlanInput plan;
    plan.periods = 1;
    unsigned pools = 1 + trial % 2, scenarios = 1 + trial % 3;
    std::vector<Rate> rates;
    Workload w;
    w.name = "w";
    w.demand = {3600 * (1 + 9 * unit(rng))};
    w.valuePerUnit = 0.0005 + 0.002 * unit(rng);
    for (unsigned p = 0; p < pools; ++p) {
      Pool pool;
      pool.chip = kChips[p];
      pool.contracted = {double(rng() % 2)};
      pool.pricePerHour = 1;
      pool.canBuy = true;
      pool.buyPricePerHour = 0.5 + 2 * unit(rng);
      pool.maxBuy = rng() % 5;
      plan.pools.push_back(pool);
      rates.push_back(givenRate(w, pool.chip, 0.5 + 2 * unit(rng), 1));
    }
    plan.workloads.push_back(w);
    double left = 1;
    for (unsigned s = 0; s < scenarios; ++s) {
      double p = s + 1 == scenarios ? left : left * unit(rng);
      left -= p;
      plan.scenarios.push_back(
          Scenario{"s" + std::to_string(s), p, 0.5 + 1.5 * unit(rng), {}});
    }
    llvm::Expected<PlanResult> r = solvePlan(plan, rates, {60, false});
    ASSERT_TRUE(static_cast<bool>(r)) << llvm::toString(r.takeError());
    // Brute force: every purchase vector; each scenario serves what its
    // capacity produces, up to its demand.
    double best = -1e300;
    std::vector<unsigned> buy(pools, 0);
    for (;;) {
      double value = 0, cost = 0, units = 0;
      for (unsigned p = 0; p < pools; ++p) {
        cost += buy[p] * plan.pools[p].buyPricePerHour +
                plan.pools[p].contracted[0] * 1;
        units += (plan.pools[p].contracted[0] + buy[p]) *
                 rates[p].unitsPerSecond * 3600;
      }
      for (const Scenario &s : plan.scenarios)
        value += s.probability * w.valuePerUnit *
                 std::min(units, w.demand[0] * s.demandScale);
      best = std::max(best, value - cost);
      unsigned p = 0;
      while (p < pools && ++buy[p] > plan.pools[p].maxBuy)
        buy[p++] = 0;
      if (p == pools)
        break;
    }
    // The plan's objective is its value minus its cost (the tie-break
    // costs a millionth of a chip's price per chip given out).
    EXPECT_NEAR(r->objective, best, 1e-4 * std::max(1.0, std::abs(best)))
        << "trial " << trial;
  }
}

/// CVaR by Rockafellar and Uryasev's formula, max over eta of
/// eta - E[max(0, eta - v)] / (1 - level): the maximum is at one of the
/// values, so trying each one is exact.
double cvarByFormula(const std::vector<double> &v, const std::vector<double> &p,
                     double level) {
  double best = -1e300;
  for (double eta : v) {
    double tail = 0;
    for (size_t i = 0; i < v.size(); ++i)
      tail += p[i] * std::max(0.0, eta - v[i]);
    best = std::max(best, eta - tail / (1 - level));
  }
  return best;
}

TEST(Planner, ConditionalValueAtRiskByHand) {
  // Worst 20% of {-1 (0.8), -4 (0.2)}: -4; worst 50%: (0.2 x -4 + 0.3 x
  // -1) / 0.5 = -2.2; worst 100%: the mean, -1.6; level 1: the worst.
  std::vector<double> v = {-1, -4}, p = {0.8, 0.2};
  EXPECT_DOUBLE_EQ(conditionalValueAtRisk(v, p, 0.8), -4);
  EXPECT_DOUBLE_EQ(conditionalValueAtRisk(v, p, 0.5), -2.2);
  EXPECT_DOUBLE_EQ(conditionalValueAtRisk(v, p, 0), -1.6);
  EXPECT_DOUBLE_EQ(conditionalValueAtRisk(v, p, 1), -4);
  // A scenario of probability 0 is never the tail.
  EXPECT_DOUBLE_EQ(conditionalValueAtRisk({-9, 1, 2}, {0, 0.5, 0.5}, 0.5), 1);
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> unit(0, 1);
  for (unsigned trial = 0; trial < 200; ++trial) {
    unsigned n = 1 + trial % 5;
    std::vector<double> values, probabilities;
    double total = 0;
    for (unsigned i = 0; i < n; ++i) {
      values.push_back(std::round(100 * unit(rng)) - 50);
      probabilities.push_back(0.05 + unit(rng));
      total += probabilities.back();
    }
    for (double &q : probabilities)
      q /= total;
    double level = 0.95 * unit(rng);
    EXPECT_NEAR(conditionalValueAtRisk(values, probabilities, level),
                cvarByFormula(values, probabilities, level), 1e-9)
        << "trial " << trial;
  }
}

// The risk settings against brute force: for each purchase vector every
// scenario serves what it can (a scenario's profit only grows with what it
// serves, so that is best for the expectation and the CVaR alike); a
// quantile setting rules out the purchases that leave a scenario it serves
// whole short.
TEST(Planner, RiskSettingsEqualBruteForce) {
  std::mt19937 rng(424242);
  std::uniform_real_distribution<double> unit(0, 1);
  for (unsigned trial = 0; trial < 200; ++trial) {
    PlanInput plan;
    plan.periods = 1;
    unsigned pools = 1 + trial % 2, scenarios = 2 + trial % 3;
    bool cvar = trial % 2 == 0;
    plan.risk.measure =
        cvar ? PlanInput::Risk::CVaR : PlanInput::Risk::Quantile;
    plan.risk.level = cvar ? 0.9 * unit(rng) : 0.2 + 0.8 * unit(rng);
    plan.risk.weight = cvar ? unit(rng) : 1;
    std::vector<Rate> rates;
    Workload w;
    w.name = "w";
    w.demand = {3600 * (1 + 4 * unit(rng))};
    w.valuePerUnit = 0.0005 + 0.002 * unit(rng);
    for (unsigned p = 0; p < pools; ++p) {
      Pool pool;
      pool.chip = kChips[p];
      pool.contracted = {0};
      pool.pricePerHour = 1;
      pool.canBuy = true;
      pool.buyPricePerHour = 0.5 + 2 * unit(rng);
      pool.maxBuy = 6;
      plan.pools.push_back(pool);
      rates.push_back(givenRate(w, pool.chip, 0.5 + 2 * unit(rng), 1));
    }
    plan.workloads.push_back(w);
    std::vector<double> probability;
    double left = 1;
    for (unsigned s = 0; s < scenarios; ++s) {
      double p = s + 1 == scenarios ? left : left * (0.2 + 0.6 * unit(rng));
      left -= p;
      probability.push_back(p);
      plan.scenarios.push_back(
          Scenario{"s" + std::to_string(s), p, 0.5 + 1.5 * unit(rng), {}});
    }
    // The scenarios served whole: from the least demand up while the
    // probability before them is under the level.
    std::vector<unsigned> order(scenarios);
    for (unsigned s = 0; s < scenarios; ++s)
      order[s] = s;
    std::sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
      return plan.scenarios[a].demandScale < plan.scenarios[b].demandScale;
    });
    std::vector<bool> whole(scenarios, false);
    double before = 0;
    for (unsigned s : order)
      if (!cvar && before < plan.risk.level - 1e-12) {
        whole[s] = true;
        before += probability[s];
      }
    llvm::Expected<PlanResult> r = solvePlan(plan, rates, {60, 0, false});
    double best = -1e300;
    std::vector<unsigned> buy(pools, 0);
    for (;;) {
      double cost = 0, units = 0;
      for (unsigned p = 0; p < pools; ++p) {
        cost += buy[p] * plan.pools[p].buyPricePerHour;
        units += buy[p] * rates[p].unitsPerSecond * 3600;
      }
      std::vector<double> profit;
      bool feasible = true;
      for (unsigned s = 0; s < scenarios; ++s) {
        double d = w.demand[0] * plan.scenarios[s].demandScale;
        feasible &= !whole[s] || units >= d * (1 - 1e-9);
        profit.push_back(w.valuePerUnit * std::min(units, d) - cost);
      }
      if (feasible) {
        double expected = 0;
        for (unsigned s = 0; s < scenarios; ++s)
          expected += probability[s] * profit[s];
        best = std::max(best, cvar ? (1 - plan.risk.weight) * expected +
                                         plan.risk.weight *
                                             cvarByFormula(profit, probability,
                                                           plan.risk.level)
                                   : expected);
      }
      unsigned p = 0;
      while (p < pools && ++buy[p] > plan.pools[p].maxBuy)
        buy[p++] = 0;
      if (p == pools)
        break;
    }
    if (best == -1e300) {
      // No purchase serves the quantile's scenarios: the plan says so.
      ASSERT_FALSE(static_cast<bool>(r)) << "trial " << trial;
      EXPECT_NE(llvm::toString(r.takeError()).find("cannot be served whole"),
                std::string::npos);
      continue;
    }
    ASSERT_TRUE(static_cast<bool>(r))
        << "trial " << trial << ": " << llvm::toString(r.takeError());
    EXPECT_NEAR(r->objective, best, 1e-4 * std::max(1.0, std::abs(best)))
        << "trial " << trial << (cvar ? " (cvar)" : " (quantile)");
  }
}

TEST(Planner, InvariantsOnRandomPlans) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  unsigned solved = 0;
  for (unsigned trial = 0; trial < 60; ++trial) {
    PlanInput plan;
    plan.periods = 2 + trial % 4;
    plan.hoursPerPeriod = 1;
    unsigned pools = 1 + trial % 3, workloads = 1 + trial % 3,
             scenarios = 1 + trial % 2;
    for (unsigned p = 0; p < pools; ++p) {
      Pool pool;
      pool.chip = kChips[p];
      for (unsigned t = 0; t < plan.periods; ++t)
        pool.contracted.push_back(rng() % 4);
      pool.pricePerHour = 1 + unit(rng);
      pool.canBuy = rng() % 2;
      pool.leadTime = rng() % plan.periods;
      pool.buyPricePerHour = 0.5 + unit(rng);
      pool.maxBuy = rng() % 6;
      plan.pools.push_back(pool);
    }
    std::vector<Rate> rates;
    for (unsigned i = 0; i < workloads; ++i) {
      Workload w;
      w.name = "w" + std::to_string(i);
      w.kind = i == 2 ? Workload::Train : Workload::Serve;
      for (unsigned t = 0; t < plan.periods; ++t)
        w.demand.push_back(20000 * unit(rng));
      w.valuePerUnit = 0.001 * unit(rng);
      w.steps = 5000 * unit(rng);
      w.deadline = plan.periods - 1;
      w.penaltyPerStep = 0.01;
      w.minShare = i == 1 ? 0.2 * unit(rng) : 0;
      for (unsigned p = 0; p < pools; ++p)
        rates.push_back(givenRate(w, kChips[p],
                                  unit(rng) < 0.2 ? 0 : 2 * unit(rng),
                                  *plan.pools[p].pricePerHour));
      plan.workloads.push_back(w);
    }
    double left = 1;
    for (unsigned s = 0; s < scenarios; ++s) {
      double p = s + 1 == scenarios ? left : 0.5;
      left -= p;
      plan.scenarios.push_back(
          Scenario{"s" + std::to_string(s), p, 0.5 + unit(rng), {}});
    }
    llvm::Expected<PlanResult> r = solvePlan(plan, rates);
    if (!r) {
      // A workload no chip runs, or floors the chips cannot meet: said so.
      std::string message = llvm::toString(r.takeError());
      EXPECT_TRUE(message.find("can run on none") != std::string::npos ||
                  message.find("cannot have its floor") != std::string::npos ||
                  message.find("infeasible") != std::string::npos)
          << message;
      continue;
    }
    ++solved;
    for (const PlanResult::Capacity &c : r->capacity)
      EXPECT_LE(c.used, c.chips + 1e-6) << "trial " << trial;
    for (const PlanResult::Served &s : r->served) {
      EXPECT_GE(s.units, -1e-6);
      EXPECT_LE(s.units, s.demand * (1 + 1e-9) + 1e-6);
    }
    for (const PlanResult::Purchase &p : r->purchases) {
      const Pool *pool = nullptr;
      for (const Pool &x : plan.pools)
        if (x.chip == p.pool)
          pool = &x;
      ASSERT_NE(pool, nullptr);
      EXPECT_TRUE(pool->canBuy);
      EXPECT_GE(p.period, pool->leadTime);
      EXPECT_EQ(p.chips, std::round(p.chips));
    }
    for (const Pool &pool : plan.pools) {
      double bought = 0;
      for (const PlanResult::Purchase &p : r->purchases)
        if (p.pool == pool.chip)
          bought += p.chips;
      EXPECT_LE(bought, pool.maxBuy);
    }
    if (r->fungibility.solved)
      EXPECT_GE(r->fungibility.dollars, -1e-6);
    if (r->perfectInformation.solved)
      EXPECT_GE(r->perfectInformation.dollars, -1e-6);
  }
  EXPECT_GE(solved, 30u);
}

} // namespace
