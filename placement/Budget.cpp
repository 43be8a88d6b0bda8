//===- Budget.cpp - Placement under a dollar or energy cap ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements solve(problem, budget): Lagrangian relaxation over
// the unbudgeted solvers (a bisected multiplier and the dual lower bound)
// followed by budget-aware single-kernel moves.
//
//===----------------------------------------------------------------------===//

#include "placement/PlacementDetail.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <set>

using namespace llvm;

namespace fungible::placement {
using namespace detail;

namespace {

/// Checks that `budget.cost` prices the same kernels, targets and edges as
/// `p`.
Error verifyBudget(const Problem &p, const Budget &budget) {
  const Problem &c = *budget.cost;
  if (c.numKernels != p.numKernels || c.numTargets != p.numTargets ||
      c.edges.size() != p.edges.size())
    return problemError("the budget's problem has other kernels, targets or "
                        "edges than the placement problem");
  for (size_t e = 0; e < p.edges.size(); ++e)
    if (c.edges[e].from != p.edges[e].from || c.edges[e].to != p.edges[e].to ||
        c.edges[e].output != p.edges[e].output ||
        c.edges[e].bytes != p.edges[e].bytes)
      return problemError(formatv("the budget's edge {0} differs from the "
                                  "placement problem's",
                                  e));
  if (std::isnan(budget.limit) || budget.limit < 0)
    return problemError("the budget is negative or NaN");
  return Error::success();
}

/// A number as printf's %g writes it.
std::string number(double value) {
  return llvm::formatv("{0}", llvm::format("%g", value)).str();
}

/// p + lambda * c, term by term (infinite where either is).
Problem combine(const Problem &p, const Problem &c, double lambda) {
  Problem q = p;
  auto mix = [&](std::vector<double> &out, const std::vector<double> &extra) {
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = std::isinf(out[i]) || std::isinf(extra[i])
                   ? kInfeasible
                   : out[i] + lambda * extra[i];
  };
  mix(q.kernelCost, c.kernelCost);
  mix(q.costPerByte, c.costPerByte);
  mix(q.costPerTransfer, c.costPerTransfer);
  // Edge bytes are the same in both; only the per-byte prices differ.
  return q;
}

/// Single-kernel moves under a budget, on problems `p` (the objective) and
/// `c` (the capped quantity) of one shape. First, while `labels` exceed
/// `limit`, the move that saves the most of c per unit of p it costs;
/// then, moves that lower p and keep c within the limit, until none is
/// left. Returns whether `labels` fit. O(kernels x targets) per move, so
/// the caller keeps it to moderate sizes.
bool budgetMoves(const Problem &p, const Problem &c, double limit,
                 std::vector<unsigned> &labels) {
  Transfers tr(p);
  Graph g(p.numKernels, tr.plain);
  unsigned n = p.numKernels, t = p.numTargets;
  double capped = evaluate(c, tr, labels), slack = limit * 1e-12;
  std::vector<double> localP(t), localC(t);
  // Repair.
  while (capped > limit + slack) {
    double bestRatio = kInfeasible, bestSaving = 0;
    unsigned bestV = 0, bestC = 0;
    for (unsigned v = 0; v < n; ++v) {
      localCosts(p, g, tr, labels, v, localP);
      localCosts(c, g, tr, labels, v, localC);
      for (unsigned to = 0; to < t; ++to) {
        double saving = localC[labels[v]] - localC[to];
        if (to == labels[v] || !(saving > 0) || std::isinf(localP[to]))
          continue;
        double ratio = (localP[to] - localP[labels[v]]) / saving;
        if (ratio < bestRatio) {
          bestRatio = ratio;
          bestSaving = saving;
          bestV = v;
          bestC = to;
        }
      }
    }
    if (std::isinf(bestRatio))
      return false;
    labels[bestV] = bestC;
    capped -= bestSaving;
  }
  // Improve: single moves, then moves of two linked kernels at once (a
  // kernel and its neighbour, two readers of one value), which single
  // moves cannot make when each alone would add a transfer.
  std::vector<std::pair<unsigned, unsigned>> linked;
  for (const Graph::Pair &pair : g.pairs)
    linked.push_back({pair.a, pair.b});
  for (const Transfers::Fan &fan : tr.fans) {
    ArrayRef<unsigned> readers = tr.readersOf(fan);
    for (size_t i = 0; i < readers.size(); ++i) {
      linked.push_back({fan.producer, readers[i]});
      if (i > 0)
        linked.push_back({readers[i - 1], readers[i]});
    }
  }
  std::vector<double> localPw(t), localCw(t);
  double scale = evaluate(p, tr, labels);
  for (unsigned sweep = 0; sweep < 50; ++sweep) {
    bool changed = false;
    for (unsigned v = 0; v < n; ++v) {
      localCosts(p, g, tr, labels, v, localP);
      localCosts(c, g, tr, labels, v, localC);
      for (unsigned to = 0; to < t; ++to) {
        unsigned from = labels[v];
        double extra = localC[to] - localC[from];
        if (to != from && localP[to] < localP[from] * (1 - 1e-12) - 1e-300 &&
            capped + extra <= limit + slack) {
          labels[v] = to;
          capped += extra;
          changed = true;
        }
      }
    }
    if (changed)
      continue;
    for (auto [v, w] : linked) {
      unsigned lv = labels[v], lw = labels[w];
      localCosts(p, g, tr, labels, w, localPw);
      localCosts(c, g, tr, labels, w, localCw);
      double bestGain = 0, bestExtra = 0;
      unsigned bestV = lv, bestW = lw;
      for (unsigned cw = 0; cw < t; ++cw) {
        if (cw == lw || std::isinf(localPw[cw]))
          continue;
        // w on cw first, then v's change with w there.
        labels[w] = cw;
        localCosts(p, g, tr, labels, v, localP);
        localCosts(c, g, tr, labels, v, localC);
        labels[w] = lw;
        for (unsigned cv = 0; cv < t; ++cv) {
          if (cv == lv)
            continue;
          double gain = localPw[lw] - localPw[cw] + localP[lv] - localP[cv];
          double extra = localCw[cw] - localCw[lw] + localC[cv] - localC[lv];
          if (gain > bestGain && capped + extra <= limit + slack) {
            bestGain = gain;
            bestExtra = extra;
            bestV = cv;
            bestW = cw;
          }
        }
      }
      if (bestGain > scale * 1e-12) {
        labels[v] = bestV;
        labels[w] = bestW;
        capped += bestExtra;
        changed = true;
      }
    }
    if (!changed)
      break;
  }
  return evaluate(c, tr, labels) <= limit + slack;
}

} // namespace

Expected<Solution> solve(const Problem &p, const Budget &budget, Method method,
                         double maxExactEntries) {
  if (!budget.cost)
    return solve(p, method, maxExactEntries);
  if (Error e = verify(p))
    return std::move(e);
  if (Error e = verifyBudget(p, budget))
    return std::move(e);
  // The capped quantity where the kernel can run at all.
  Problem c = *budget.cost;
  for (size_t i = 0; i < c.kernelCost.size(); ++i)
    if (std::isinf(p.kernelCost[i]))
      c.kernelCost[i] = kInfeasible;
  if (Error e = verify(c))
    return std::move(e);
  double limit = budget.limit, slack = limit * 1e-12;
  auto fits = [&](const Solution &s) {
    return evaluate(c, s.assignment) <= limit + slack;
  };
  auto finish = [&](Solution s, double lowerBound, bool proven) {
    s.objective = evaluate(p, s.assignment);
    s.capped = evaluate(c, s.assignment);
    s.lowerBound = std::min(lowerBound, s.objective);
    s.optimal = proven || s.objective <= s.lowerBound;
    s.method += "+budget";
    return s;
  };
  // Unconstrained first: if it fits, it is the answer.
  Expected<Solution> free = solve(p, method, maxExactEntries);
  if (!free)
    return free.takeError();
  if (fits(*free))
    return finish(*free, free->lowerBound, free->optimal);
  // The least the capped quantity can be.
  Expected<Solution> least = solve(c, method, maxExactEntries);
  if (!least)
    return least.takeError();
  if (!fits(*least))
    return problemError(
        least->lowerBound > limit + slack
            ? "no placement fits the budget of " + number(limit) +
                  ": the least any placement can cost is " +
                  number(least->lowerBound)
            : "found no placement within the budget of " + number(limit) +
                  ": the least found costs " + number(least->objective) +
                  " (lower bound " + number(least->lowerBound) + ")");
  Solution best = *least;
  double bestObjective = evaluate(p, best.assignment);
  double lowerBound = free->lowerBound;
  // Where budget moves start: every distinct relaxed placement that fits,
  // and the one over the budget by the least (repairing costs a scan of
  // the kernels per move, so only one is repaired).
  std::set<std::vector<unsigned>> starts;
  std::vector<unsigned> leastOver = free->assignment;
  double leastExcess = evaluate(c, leastOver);
  // Solves the relaxation at `lambda`; true when its placement fits.
  auto relaxed = [&](double lambda) -> Expected<bool> {
    Expected<Solution> s =
        solve(combine(p, c, lambda), method, maxExactEntries);
    if (!s)
      return s.takeError();
    // Dual bound: min over all placements of p + lambda (c - limit).
    lowerBound = std::max(lowerBound, s->lowerBound - lambda * limit);
    double used = evaluate(c, s->assignment);
    bool fit = used <= limit + slack;
    if (fit) {
      starts.insert(s->assignment);
      double objective = evaluate(p, s->assignment);
      if (objective < bestObjective) {
        bestObjective = objective;
        best = *s;
      }
    } else if (used < leastExcess) {
      leastExcess = used;
      leastOver = s->assignment;
    }
    return fit;
  };
  // Lambda: the exchange rate between the two. The upper end fits once the
  // capped quantity dominates; bisect to the smallest lambda that fits.
  double scaleP = std::max(free->objective, 1e-300),
         scaleC = std::max(evaluate(c, free->assignment), 1e-300);
  double lo = 0, hi = scaleP / scaleC;
  for (int i = 0; i < 60; ++i) {
    Expected<bool> fit = relaxed(hi);
    if (!fit)
      return fit.takeError();
    if (*fit)
      break;
    lo = hi;
    hi *= 4;
  }
  // Until lambda converges, or the best fitting placement is within 1e-6
  // of the bound.
  for (int i = 0; i < 40 && hi - lo > 1e-9 * hi &&
                  bestObjective - lowerBound > 1e-6 * bestObjective;
       ++i) {
    double mid = 0.5 * (lo + hi);
    Expected<bool> fit = relaxed(mid);
    if (!fit)
      return fit.takeError();
    (*fit ? hi : lo) = mid;
  }
  // The relaxation leaves a duality gap: close what single moves can,
  // from every placement the relaxations gave (a few dozen).
  if (double(p.numKernels) * p.numTargets <= 2e5) {
    starts.insert(best.assignment);
    starts.insert(leastOver);
    for (std::vector<unsigned> labels : starts) {
      if (!budgetMoves(p, c, limit, labels))
        continue;
      double objective = evaluate(p, labels);
      if (objective < bestObjective) {
        bestObjective = objective;
        best.assignment = std::move(labels);
      }
    }
  }
  return finish(best, lowerBound, /*proven=*/false);
}

} // namespace fungible::placement
