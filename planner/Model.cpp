//===- Model.cpp - The two-stage stochastic program -------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements solvePlan (Plan.h): the MILP of docs/Planner.md,
// built column by column and solved with COIN-OR CBC (its C interface),
// and the two comparisons (pinned chips, perfect information).
//
//===----------------------------------------------------------------------===//

#include "planner/Milp.h"
#include "planner/Plan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace llvm;

namespace fungible::planner {

namespace {

Error planError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// The plan's program with its columns' places, for one set of scenarios
/// and (optionally) each workload pinned to one pool.
struct Built {
  Program program;
  /// -1 where there is no column.
  std::vector<std::vector<int>> buy; // [pool][period]
  std::vector<int> x;                // [s][t][p][w] flat
  std::vector<int> served;           // [s][t][w] flat
  std::vector<double> demand;        // [s][t][w] flat
  std::vector<int> shortfall;        // [s][w] flat
  std::vector<int> spot;             // [s][t][p] flat
  std::vector<unsigned> scenarios;   // plan scenario indices
  std::vector<double> probability;   // per built scenario
  double contractedCost = 0;
};

class Builder {
public:
  Builder(const PlanInput &plan, ArrayRef<Rate> rateList,
          ArrayRef<double> poolPrice)
      : plan(plan), poolPrice(poolPrice),
        servedWhole(plan.scenarios.size(), plan.minimizeCost) {
    unsigned P = plan.pools.size(), W = plan.workloads.size();
    rate.assign(size_t(W) * P, 0);
    for (const Rate &r : rateList) {
      auto w = llvm::find_if(plan.workloads, [&](const Workload &x) {
        return x.name == r.workload;
      });
      auto p = llvm::find_if(plan.pools,
                             [&](const Pool &x) { return x.chip == r.chip; });
      if (w == plan.workloads.end() || p == plan.pools.end() || !r.feasible)
        continue;
      unsigned wi = w - plan.workloads.begin(), pi = p - plan.pools.begin();
      if (!w->chips.empty() && !llvm::is_contained(w->chips, r.chip))
        continue;
      rate[size_t(wi) * P + pi] = r.unitsPerSecond;
    }
  }

  /// Units per second one chip of pool p gives workload w (0: none).
  double rateOf(unsigned w, unsigned p) const {
    return rate[size_t(w) * plan.pools.size() + p];
  }

  double demand(unsigned s, unsigned t, unsigned w) const {
    const Scenario &sc = plan.scenarios[s];
    const Workload &wl = plan.workloads[w];
    auto it = sc.demand.find(wl.name);
    if (it != sc.demand.end())
      return it->second[t];
    return wl.demand[t] * sc.demandScale;
  }

  Built build(ArrayRef<unsigned> scenarios, ArrayRef<double> probability,
              ArrayRef<int> pinned) const {
    unsigned T = plan.periods, P = plan.pools.size(), W = plan.workloads.size(),
             S = scenarios.size();
    double hours = plan.hoursPerPeriod, seconds = hours * 3600;
    Built b;
    b.scenarios.assign(scenarios.begin(), scenarios.end());
    b.probability.assign(probability.begin(), probability.end());
    Program &lp = b.program;
    // First stage: chips bought in period t, kept and paid for to the end.
    b.buy.assign(P, std::vector<int>(T, -1));
    for (unsigned p = 0; p < P; ++p) {
      const Pool &pool = plan.pools[p];
      for (unsigned t = 0; t < T; ++t)
        b.contractedCost += pool.contracted[t] * poolPrice[p] * hours;
      if (!pool.canBuy)
        continue;
      std::vector<std::pair<int, double>> total;
      for (unsigned t = pool.leadTime; t < T; ++t) {
        // Paid from t to the end, or for its commitment if longer.
        double periodsPaid = std::max<double>(T - t, pool.minCommitment);
        b.buy[p][t] = lp.column(
            0, pool.maxBuy, -pool.buyPricePerHour * hours * periodsPaid, true);
        total.push_back({b.buy[p][t], 1});
      }
      if (!total.empty())
        lp.row(std::move(total), -kUnbounded, pool.maxBuy);
    }
    // Second stage, per scenario.
    b.x.assign(size_t(S) * T * P * W, -1);
    b.served.assign(size_t(S) * T * W, -1);
    b.demand.assign(size_t(S) * T * W, 0);
    b.shortfall.assign(size_t(S) * W, -1);
    b.spot.assign(size_t(S) * T * P, -1);
    auto X = [&](unsigned s, unsigned t, unsigned p, unsigned w) -> int & {
      return b.x[((size_t(s) * T + t) * P + p) * W + w];
    };
    for (unsigned si = 0; si < S; ++si) {
      unsigned s = scenarios[si];
      double pi = probability[si];
      for (unsigned t = 0; t < T; ++t)
        for (unsigned p = 0; p < P; ++p)
          for (unsigned w = 0; w < W; ++w)
            if (rateOf(w, p) > 0 &&
                (pinned.empty() || pinned[w] == static_cast<int>(p)))
              // Contracted chips are paid for used or not; a millionth of
              // their price per chip given out breaks ties towards the
              // cheaper chips (and leaves the rest idle).
              X(si, t, p, w) = lp.column(si, pi, 0, kUnbounded,
                                         -1e-6 * poolPrice[p] * hours);
      // Capacity: what is given out is at most what is contracted, bought
      // or rented on the spot market (paid when rented).
      for (unsigned t = 0; t < T; ++t)
        for (unsigned p = 0; p < P; ++p) {
          std::vector<std::pair<int, double>> terms;
          const Pool &pool = plan.pools[p];
          if (pool.hasSpot && pool.spotMax > 0) {
            int sp = lp.column(si, pi, 0, pool.spotMax * pool.spotAvailability,
                               -pool.spotPricePerHour * hours);
            b.spot[(size_t(si) * T + t) * P + p] = sp;
            terms.push_back({sp, -1});
          }
          for (unsigned w = 0; w < W; ++w)
            if (X(si, t, p, w) >= 0)
              terms.push_back({X(si, t, p, w), 1});
          for (unsigned tau = 0; tau <= t; ++tau)
            if (b.buy[p][tau] >= 0)
              terms.push_back({b.buy[p][tau], -1});
          if (!terms.empty())
            lp.row(std::move(terms), -kUnbounded, plan.pools[p].contracted[t]);
        }
      for (unsigned w = 0; w < W; ++w) {
        const Workload &wl = plan.workloads[w];
        if (wl.kind == Workload::Serve) {
          // Served units: at most the demand (all of it when minimising
          // cost) and at most what the chips given to it produce.
          // The column is the share of the demand served, and the row is
          // divided by the demand: CBC's tolerances want both near 1.
          for (unsigned t = 0; t < T; ++t) {
            double d = demand(s, t, w);
            b.demand[(size_t(si) * T + t) * W + w] = d;
            if (d <= 0)
              continue;
            int u = lp.column(si, pi, servedWhole[s] ? 1 : 0, 1,
                              plan.minimizeCost ? 0 : wl.valuePerUnit * d);
            b.served[(size_t(si) * T + t) * W + w] = u;
            std::vector<std::pair<int, double>> terms = {{u, 1}};
            for (unsigned p = 0; p < P; ++p)
              if (X(si, t, p, w) >= 0)
                terms.push_back({X(si, t, p, w), -rateOf(w, p) * seconds / d});
            lp.row(std::move(terms), -kUnbounded, 0);
          }
        } else {
          // Training: the steps done by the deadline, plus any shortfall
          // (penalised, or none allowed), reach the steps needed.
          // As shares of the steps needed, for the same reason (none: a
          // floor alone).
          if (wl.steps > 0) {
            double penalty = wl.penaltyPerStep.value_or(0);
            int sh = lp.column(si, pi, 0, wl.penaltyPerStep ? 1 : 0,
                               -penalty * wl.steps);
            b.shortfall[size_t(si) * W + w] = sh;
            std::vector<std::pair<int, double>> terms = {{sh, 1}};
            for (unsigned t = 0; t <= wl.deadline; ++t)
              for (unsigned p = 0; p < P; ++p)
                if (X(si, t, p, w) >= 0)
                  terms.push_back(
                      {X(si, t, p, w), rateOf(w, p) * seconds / wl.steps});
            lp.row(std::move(terms), 1, kUnbounded);
          }
        }
        // The floor: its share of every period's chips.
        if (wl.minShare > 0)
          for (unsigned t = 0; t < T; ++t) {
            std::vector<std::pair<int, double>> terms;
            double contracted = 0;
            for (unsigned p = 0; p < P; ++p) {
              contracted += plan.pools[p].contracted[t];
              if (X(si, t, p, w) >= 0)
                terms.push_back({X(si, t, p, w), 1});
              for (unsigned tau = 0; tau <= t; ++tau)
                if (b.buy[p][tau] >= 0)
                  terms.push_back({b.buy[p][tau], -wl.minShare});
            }
            lp.row(std::move(terms), wl.minShare * contracted, kUnbounded);
          }
      }
    }
    if (plan.risk.measure == PlanInput::Risk::CVaR)
      addConditionalValueAtRisk(b);
    return b;
  }

  /// Replaces the expected profit by (1 - weight) E[profit] + weight
  /// CVaR_level[profit], the latter as Rockafellar and Uryasev's linear
  /// program: max eta - 1/(1 - level) sum_s pi_s z_s with
  /// z_s >= eta - profit_s, z_s >= 0.
  void addConditionalValueAtRisk(Built &b) const {
    Program &lp = b.program;
    double weight = plan.risk.weight, level = plan.risk.level;
    size_t columns = lp.cost.size();
    for (double &c : lp.cost)
      c *= 1 - weight;
    std::vector<std::vector<std::pair<int, double>>> profit(b.scenarios.size());
    std::vector<std::pair<int, double>> firstStage;
    for (size_t j = 0; j < columns; ++j) {
      if (lp.profit[j] == 0)
        continue;
      std::pair<int, double> term{static_cast<int>(j), lp.profit[j]};
      if (lp.scenario[j] < 0)
        firstStage.push_back(term);
      else
        profit[lp.scenario[j]].push_back(term);
    }
    int eta = lp.column(-kUnbounded, kUnbounded, weight);
    for (auto [si, terms] : llvm::enumerate(profit)) {
      int z =
          lp.column(0, kUnbounded, -weight * b.probability[si] / (1 - level));
      terms.push_back({z, 1});
      terms.push_back({eta, -1});
      llvm::append_range(terms, firstStage);
      lp.row(std::move(terms), 0, kUnbounded);
    }
  }

  const PlanInput &plan;
  ArrayRef<double> poolPrice;
  /// Per plan scenario: all its demand must be served (the cost objective,
  /// or a quantile risk setting).
  std::vector<bool> servedWhole;
  std::vector<double> rate;
};

/// The plan's objective over per-scenario profits: their expectation, or
/// with a CVaR risk setting its mix with the CVaR.
double riskObjective(const PlanInput &plan, ArrayRef<double> profit,
                     ArrayRef<double> probability) {
  double expected = 0;
  for (auto [v, p] : llvm::zip(profit, probability))
    expected += v * p;
  if (plan.risk.measure != PlanInput::Risk::CVaR)
    return expected;
  return (1 - plan.risk.weight) * expected +
         plan.risk.weight *
             conditionalValueAtRisk(profit, probability, plan.risk.level);
}

/// The scenarios a quantile risk setting serves whole: from the least
/// demand up, while the probability before them is under the level. A
/// scenario's demand is the sum over serving workloads of its demand over
/// the workload's expected demand (so units of different workloads do not
/// mix).
std::vector<bool> quantileScenarios(const PlanInput &plan,
                                    const Builder &builder) {
  unsigned S = plan.scenarios.size(), T = plan.periods;
  std::vector<double> score(S, 0);
  for (auto [w, wl] : llvm::enumerate(plan.workloads)) {
    if (wl.kind != Workload::Serve)
      continue;
    std::vector<double> total(S, 0);
    double expected = 0;
    for (unsigned s = 0; s < S; ++s) {
      for (unsigned t = 0; t < T; ++t)
        total[s] += builder.demand(s, t, w);
      expected += plan.scenarios[s].probability * total[s];
    }
    if (expected > 0)
      for (unsigned s = 0; s < S; ++s)
        score[s] += total[s] / expected;
  }
  std::vector<unsigned> order(S);
  for (unsigned s = 0; s < S; ++s)
    order[s] = s;
  llvm::stable_sort(
      order, [&](unsigned a, unsigned b) { return score[a] < score[b]; });
  std::vector<bool> whole(S, false);
  double before = 0;
  for (unsigned s : order) {
    if (before >= plan.risk.level - 1e-12)
      break;
    whole[s] = true;
    before += plan.scenarios[s].probability;
  }
  return whole;
}

/// Expected units served by `solved`.
double expectedServed(const Built &b, const Solved &solved) {
  double total = 0;
  size_t per = b.served.size() / std::max<size_t>(1, b.scenarios.size());
  for (size_t i = 0; i < b.served.size(); ++i)
    if (b.served[i] >= 0)
      total += b.probability[i / per] * solved.x[b.served[i]] * b.demand[i];
  return total;
}

} // namespace

double conditionalValueAtRisk(ArrayRef<double> values,
                              ArrayRef<double> probabilities, double level) {
  std::vector<unsigned> order;
  for (unsigned i = 0; i < values.size(); ++i)
    if (probabilities[i] > 0)
      order.push_back(i);
  if (order.empty())
    return 0;
  llvm::stable_sort(
      order, [&](unsigned a, unsigned b) { return values[a] < values[b]; });
  double tail = 1 - level;
  // The limit as the tail vanishes: the worst value.
  if (tail <= 0)
    return values[order.front()];
  double taken = 0, sum = 0;
  for (unsigned i : order) {
    double share = std::min(probabilities[i], tail - taken);
    sum += share * values[i];
    taken += share;
    if (taken >= tail)
      break;
  }
  return sum / taken;
}

Expected<PlanResult> solvePlan(const PlanInput &plan, ArrayRef<Rate> rates,
                               const SolveOptions &options) {
  unsigned T = plan.periods, P = plan.pools.size(), W = plan.workloads.size(),
           S = plan.scenarios.size();
  // Prices are the caller's to resolve (the tool sets a chip spec's where
  // the plan gives none).
  std::vector<double> price;
  for (const Pool &pool : plan.pools)
    price.push_back(pool.pricePerHour.value_or(0));
  // What one more chip-hour costs: the buying price where the pool can
  // buy, else its price.
  std::vector<double> marginal;
  for (auto [p, pool] : llvm::enumerate(plan.pools))
    marginal.push_back(pool.canBuy ? pool.buyPricePerHour : price[p]);
  Builder builder(plan, rates, price);
  if (plan.risk.measure == PlanInput::Risk::Quantile && !plan.minimizeCost)
    builder.servedWhole = quantileScenarios(plan, builder);
  double seconds = plan.hoursPerPeriod * 3600;
  // The most chips pool p can have in period t: contracted, all it may
  // buy, all the spot market gives.
  auto most = [&](unsigned p, unsigned t) {
    const Pool &pool = plan.pools[p];
    return pool.contracted[t] +
           (pool.canBuy && t >= pool.leadTime ? pool.maxBuy : 0) +
           (pool.hasSpot ? pool.spotMax * pool.spotAvailability : 0);
  };
  auto g = [](double v) { return format("%.6g", v); };
  // Workloads no chip can run; trainings no fleet can finish in time;
  // demand that must be served whole and cannot be; floors the pools a
  // workload may use cannot give. Each names what fails.
  for (unsigned w = 0; w < W; ++w) {
    const Workload &wl = plan.workloads[w];
    double mostSteps = 0;
    bool any = false;
    for (unsigned p = 0; p < P; ++p) {
      double r = builder.rateOf(w, p);
      any |= r > 0;
      for (unsigned t = 0; t <= wl.deadline && t < T; ++t)
        mostSteps += r * seconds * most(p, t);
    }
    if (!any) {
      std::string why;
      for (const Rate &r : rates)
        if (r.workload == wl.name)
          why += "; " + r.chip + ": " +
                 (r.feasible ? std::string("not among its chips") : r.reason);
      return planError("workload '" + wl.name +
                       "' can run on none of the pools' chips" + why);
    }
    if (wl.kind == Workload::Train && !wl.penaltyPerStep &&
        mostSteps < wl.steps * (1 - 1e-9))
      return planError(formatv("training '{0}' cannot finish by period {1} "
                               "even with every chip: at most {2} of its {3} "
                               "steps",
                               wl.name, wl.deadline, g(mostSteps), g(wl.steps))
                           .str());
    if (wl.kind == Workload::Serve)
      for (unsigned s = 0; s < S; ++s) {
        if (!builder.servedWhole[s])
          continue;
        for (unsigned t = 0; t < T; ++t) {
          double units = 0, d = builder.demand(s, t, w);
          for (unsigned p = 0; p < P; ++p)
            units += builder.rateOf(w, p) * seconds * most(p, t);
          if (units < d * (1 - 1e-9))
            return planError(formatv(
                "workload '{0}' cannot be served whole in period {1} of "
                "scenario '{2}' even with every chip it may use: at most {3} "
                "of its {4} units ({5})",
                wl.name, t, plan.scenarios[s].name, g(units), g(d),
                plan.minimizeCost
                    ? "the cost objective serves all demand"
                    : "the quantile risk setting serves this scenario whole"));
        }
      }
    if (wl.minShare > 0)
      for (unsigned t = 0; t < T; ++t) {
        double contracted = 0, chips = 0;
        for (unsigned p = 0; p < P; ++p) {
          contracted += plan.pools[p].contracted[t];
          if (builder.rateOf(w, p) > 0)
            chips += most(p, t);
        }
        if (chips < wl.minShare * contracted * (1 - 1e-9))
          return planError(formatv(
              "workload '{0}' cannot have its floor in period {1}: {2} of the "
              "{3} contracted chips is {4}, and the pools it can run on have "
              "at most {5}",
              wl.name, t, g(wl.minShare), g(contracted),
              g(wl.minShare * contracted), g(chips)));
      }
  }

  std::vector<unsigned> all;
  std::vector<double> probability;
  for (unsigned s = 0; s < S; ++s) {
    all.push_back(s);
    probability.push_back(plan.scenarios[s].probability);
  }
  Built b = builder.build(all, probability, {});
  Solved solved =
      maximise(b.program, options.timeLimitSeconds, options.relativeGap);
  if (solved.infeasible)
    return planError(
        llvm::is_contained(builder.servedWhole, true)
            ? "the plan is infeasible: the pools cannot serve all demand "
              "that must be served, meet every floor and finish every "
              "training together, even buying all they may"
            : "the plan is infeasible: the floors and the trainings' "
              "deadlines cannot all be met together, even buying all the "
              "pools may");
  if (solved.x.empty())
    return planError(formatv("CBC stopped without a plan (time limit {0} s)",
                             options.timeLimitSeconds)
                         .str());

  PlanResult result;
  result.rates.assign(rates.begin(), rates.end());
  result.solver.name = std::string("COIN-OR CBC ") + cbcVersion();
  result.solver.seconds = solved.seconds;
  result.solver.gap = std::max(0.0, solved.bound - solved.objective) /
                      std::max(1e-9, std::abs(solved.objective));
  if (result.solver.gap <= 1e-12)
    result.solver.gap = 0;
  result.solver.status = !solved.optimal         ? "time limit"
                         : result.solver.gap > 0 ? "within the gap"
                                                 : "optimal";
  auto value = [&](int column) { return column >= 0 ? solved.x[column] : 0.0; };
  double purchaseCost = 0;
  for (unsigned p = 0; p < P; ++p)
    for (unsigned t = 0; t < T; ++t) {
      double chips = std::round(value(b.buy[p][t]));
      if (chips > 0) {
        result.purchases.push_back({plan.pools[p].chip, t, chips});
        purchaseCost += chips * plan.pools[p].buyPricePerHour *
                        plan.hoursPerPeriod *
                        std::max<double>(T - t, plan.pools[p].minCommitment);
      }
    }
  for (unsigned s = 0; s < S; ++s) {
    const Scenario &sc = plan.scenarios[s];
    PlanResult::PerScenario per{
        sc.name, sc.probability,
        0,       0,
        0,       builder.servedWhole[s] && !plan.minimizeCost};
    for (unsigned t = 0; t < T; ++t)
      for (unsigned p = 0; p < P; ++p) {
        double capacity = plan.pools[p].contracted[t], used = 0;
        for (unsigned tau = 0; tau <= t; ++tau)
          capacity += std::round(value(b.buy[p][tau]));
        double spot = value(b.spot[(size_t(s) * T + t) * P + p]);
        if (spot <= 1e-9)
          spot = 0;
        capacity += spot;
        per.cost += spot * plan.pools[p].spotPricePerHour * plan.hoursPerPeriod;
        for (unsigned w = 0; w < W; ++w) {
          double chips = value(b.x[((size_t(s) * T + t) * P + p) * W + w]);
          used += chips;
          if (chips > 1e-9)
            result.allocations.push_back({sc.name, t, plan.pools[p].chip,
                                          plan.workloads[w].name, chips});
        }
        result.capacity.push_back(
            {sc.name, t, plan.pools[p].chip, capacity, used, spot});
      }
    for (unsigned w = 0; w < W; ++w) {
      const Workload &wl = plan.workloads[w];
      if (wl.kind == Workload::Serve) {
        for (unsigned t = 0; t < T; ++t) {
          double d = builder.demand(s, t, w);
          double units = value(b.served[(size_t(s) * T + t) * W + w]) * d;
          // Within CBC's tolerance of the demand is all of it.
          if (units > d * (1 - 1e-9))
            units = d;
          result.served.push_back({sc.name, t, wl.name, units, d});
          per.value += units * wl.valuePerUnit;
          per.unmet += std::max(0.0, d - units);
        }
      } else {
        double shortfall = value(b.shortfall[size_t(s) * W + w]) * wl.steps;
        result.training.push_back(
            {sc.name, wl.name, wl.steps - shortfall, wl.steps});
        per.cost += shortfall * wl.penaltyPerStep.value_or(0);
      }
    }
    per.cost += b.contractedCost + purchaseCost;
    result.expectedValue += sc.probability * per.value;
    result.expectedCost += sc.probability * per.cost;
    result.scenarios.push_back(per);
  }
  result.objective = result.expectedValue - result.expectedCost;
  std::vector<double> profit;
  for (const PlanResult::PerScenario &per : result.scenarios)
    profit.push_back(per.value - per.cost);
  result.cvar = conditionalValueAtRisk(profit, probability, plan.risk.level);
  result.objective = riskObjective(plan, profit, probability);
  if (!options.values)
    return result;

  // The value of fungibility: every workload pinned to one chip, the one
  // it gets the most chip-periods of in the plan (by units per dollar of
  // one more chip-hour when it gets none).
  std::vector<int> pinned(W, -1);
  for (unsigned w = 0; w < W; ++w) {
    std::vector<double> used(P, 0);
    for (unsigned si = 0; si < S; ++si)
      for (unsigned t = 0; t < T; ++t)
        for (unsigned p = 0; p < P; ++p)
          used[p] += probability[si] *
                     value(b.x[((size_t(si) * T + t) * P + p) * W + w]);
    double best = -1;
    for (unsigned p = 0; p < P; ++p) {
      if (builder.rateOf(w, p) <= 0)
        continue;
      double score =
          used[p] * 1e12 + builder.rateOf(w, p) / std::max(marginal[p], 1e-12);
      if (score > best) {
        best = score;
        pinned[w] = static_cast<int>(p);
      }
    }
    result.fungibility.pinned[plan.workloads[w].name] =
        plan.pools[pinned[w]].chip;
  }
  Built pb = builder.build(all, probability, pinned);
  Solved ps =
      maximise(pb.program, options.timeLimitSeconds, options.relativeGap);
  if (ps.infeasible) {
    result.fungibility.status =
        "infeasible: pinned to one chip each, the floors, deadlines or "
        "demand cannot be met";
  } else if (!ps.x.empty()) {
    result.fungibility.solved = true;
    result.fungibility.status = ps.optimal ? "optimal" : "time limit";
    // Differences within CBC's tolerances are none.
    auto clean = [](double v, double scale) {
      return std::abs(v) <= 1e-7 * std::max(1.0, std::abs(scale)) ? 0.0 : v;
    };
    result.fungibility.dollars =
        clean(solved.objective - ps.objective, solved.objective);
    double served = expectedServed(b, solved);
    result.fungibility.unitsServed =
        clean(served - expectedServed(pb, ps), served);
  }
  // The value of perfect information: each scenario planned alone.
  // Under a CVaR risk setting, the same mix over their profits.
  std::vector<double> alone;
  bool everyOne = true;
  for (unsigned s = 0; s < S && everyOne; ++s) {
    Built one = builder.build({s}, {1.0}, {});
    Solved os =
        maximise(one.program, options.timeLimitSeconds, options.relativeGap);
    everyOne = !os.infeasible && !os.x.empty();
    alone.push_back(os.objective);
  }
  if (everyOne) {
    result.perfectInformation.solved = true;
    double vpi = riskObjective(plan, alone, probability) - solved.objective;
    result.perfectInformation.dollars =
        std::abs(vpi) <= 1e-7 * std::max(1.0, std::abs(solved.objective)) ? 0
                                                                          : vpi;
  }
  return result;
}

} // namespace fungible::planner
