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

#include "planner/Plan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <coin/Cbc_C_Interface.h>

#include <chrono>
#include <cmath>

using namespace llvm;

namespace fungible::planner {

namespace {

/// CBC's infinity for a bound.
constexpr double kUnbounded = 1e30;

Error planError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// A linear program in the making: columns with bounds, objective and
/// integrality; rows as sparse terms with bounds.
struct Program {
  std::vector<double> lower, upper, cost;
  std::vector<char> integer;
  struct Row {
    std::vector<std::pair<int, double>> terms;
    double lower, upper;
  };
  std::vector<Row> rows;

  int column(double lo, double hi, double c, bool isInteger = false) {
    lower.push_back(lo);
    upper.push_back(hi);
    cost.push_back(c);
    integer.push_back(isInteger);
    return static_cast<int>(lower.size()) - 1;
  }
  void row(std::vector<std::pair<int, double>> terms, double lo, double hi) {
    rows.push_back({std::move(terms), lo, hi});
  }
};

struct Solved {
  bool optimal = false, infeasible = false, stopped = false;
  double objective = 0, bound = 0, seconds = 0;
  std::vector<double> x;
};

/// Maximises `p` with CBC, stopping within `relativeGap` of the bound.
Solved maximise(const Program &p, double timeLimit, double relativeGap) {
  int n = static_cast<int>(p.lower.size()), m = static_cast<int>(p.rows.size());
  // Column-major (CSC) matrix.
  std::vector<std::vector<std::pair<int, double>>> columns(n);
  for (auto [r, row] : llvm::enumerate(p.rows))
    for (auto [c, v] : row.terms)
      columns[c].push_back({static_cast<int>(r), v});
  std::vector<CoinBigIndex> start{0};
  std::vector<int> index;
  std::vector<double> value;
  for (const auto &column : columns) {
    for (auto [r, v] : column) {
      index.push_back(r);
      value.push_back(v);
    }
    start.push_back(static_cast<CoinBigIndex>(index.size()));
  }
  std::vector<double> rowLower, rowUpper;
  for (const Program::Row &row : p.rows) {
    rowLower.push_back(row.lower);
    rowUpper.push_back(row.upper);
  }
  Cbc_Model *model = Cbc_newModel();
  Cbc_loadProblem(model, n, m, start.data(), index.data(), value.data(),
                  p.lower.data(), p.upper.data(), p.cost.data(),
                  rowLower.data(), rowUpper.data());
  for (int c = 0; c < n; ++c)
    if (p.integer[c])
      Cbc_setInteger(model, c);
  Cbc_setObjSense(model, -1);
  Cbc_setLogLevel(model, 0);
  Cbc_setMaximumSeconds(model, timeLimit);
  if (relativeGap > 0)
    Cbc_setAllowableFractionGap(model, relativeGap);
  auto begin = std::chrono::steady_clock::now();
  Cbc_solve(model);
  Solved s;
  s.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  s.optimal = Cbc_isProvenOptimal(model);
  s.infeasible = Cbc_isProvenInfeasible(model);
  s.stopped = !s.optimal && !s.infeasible;
  if (!s.infeasible) {
    s.objective = Cbc_getObjValue(model);
    // The bound CBC proved (above the objective when maximising).
    s.bound = std::max(s.objective, Cbc_getBestPossibleObjValue(model));
    const double *x = Cbc_getColSolution(model);
    if (x)
      s.x.assign(x, x + n);
  }
  Cbc_deleteModel(model);
  return s;
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
      : plan(plan), poolPrice(poolPrice) {
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
              X(si, t, p, w) =
                  lp.column(0, kUnbounded, -pi * 1e-6 * poolPrice[p] * hours);
      // Capacity: what is given out is at most what is contracted, bought
      // or rented on the spot market (paid when rented).
      for (unsigned t = 0; t < T; ++t)
        for (unsigned p = 0; p < P; ++p) {
          std::vector<std::pair<int, double>> terms;
          const Pool &pool = plan.pools[p];
          if (pool.hasSpot && pool.spotMax > 0) {
            int sp = lp.column(0, pool.spotMax * pool.spotAvailability,
                               -pi * pool.spotPricePerHour * hours);
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
            int u = lp.column(plan.minimizeCost ? 1 : 0, 1,
                              plan.minimizeCost ? 0 : pi * wl.valuePerUnit * d);
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
            int sh = lp.column(0, wl.penaltyPerStep ? 1 : 0,
                               -pi * penalty * wl.steps);
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
    return b;
  }

  const PlanInput &plan;
  ArrayRef<double> poolPrice;
  std::vector<double> rate;
};

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
  double seconds = plan.hoursPerPeriod * 3600;
  // Workloads no chip can run; trainings no fleet can finish in time.
  for (unsigned w = 0; w < W; ++w) {
    const Workload &wl = plan.workloads[w];
    double most = 0;
    bool any = false;
    for (unsigned p = 0; p < P; ++p) {
      double r = builder.rateOf(w, p);
      any |= r > 0;
      const Pool &pool = plan.pools[p];
      for (unsigned t = 0; t <= wl.deadline && t < T; ++t)
        most += r * seconds *
                (pool.contracted[t] +
                 (pool.canBuy && t >= pool.leadTime ? pool.maxBuy : 0) +
                 (pool.hasSpot ? pool.spotMax * pool.spotAvailability : 0));
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
        most < wl.steps * (1 - 1e-9))
      return planError(formatv("training '{0}' cannot finish by period {1} "
                               "even with every chip: at most {2} of its {3} "
                               "steps",
                               wl.name, wl.deadline, format("%.6g", most),
                               format("%.6g", wl.steps))
                           .str());
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
        plan.minimizeCost
            ? "the plan is infeasible: the pools cannot serve all demand, "
              "meet every floor and finish every training, even buying all "
              "they may"
            : "the plan is infeasible: the floors and the trainings' "
              "deadlines cannot all be met, even buying all the pools may");
  if (solved.x.empty())
    return planError(formatv("CBC stopped without a plan (time limit {0} s)",
                             options.timeLimitSeconds)
                         .str());

  PlanResult result;
  result.rates.assign(rates.begin(), rates.end());
  result.solver.name = std::string("COIN-OR CBC ") + Cbc_getVersion();
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
    PlanResult::PerScenario per{sc.name, sc.probability, 0, 0, 0};
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
  double waitAndSee = 0;
  bool everyOne = true;
  for (unsigned s = 0; s < S && everyOne; ++s) {
    Built one = builder.build({s}, {1.0}, {});
    Solved os =
        maximise(one.program, options.timeLimitSeconds, options.relativeGap);
    everyOne = !os.infeasible && !os.x.empty();
    waitAndSee += plan.scenarios[s].probability * os.objective;
  }
  if (everyOne) {
    result.perfectInformation.solved = true;
    double vpi = waitAndSee - solved.objective;
    result.perfectInformation.dollars =
        std::abs(vpi) <= 1e-7 * std::max(1.0, std::abs(solved.objective)) ? 0
                                                                          : vpi;
  }
  return result;
}

} // namespace fungible::planner
