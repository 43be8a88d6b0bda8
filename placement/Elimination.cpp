//===- Elimination.cpp - Bucket elimination and window search ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the exact solver by bucket elimination over the
// problem's factors (a min-degree order, tables bounded in size) and the
// window search that re-solves consecutive kernels exactly
// (PlacementDetail.h).
//
//===----------------------------------------------------------------------===//

#include "placement/PlacementDetail.h"

#include <cmath>
#include <set>

using namespace llvm;

namespace fungible::placement::detail {

/// A min-degree elimination order of `numVars` variables linked by the
/// factors' scopes; nullopt when its tables would exceed `maxEntries`.
/// `width` is the largest scope an elimination creates.
std::optional<std::vector<unsigned>>
eliminationOrder(unsigned numVars, unsigned numTargets,
                 ArrayRef<Factor> factors, double maxEntries, unsigned &width) {
  std::vector<std::set<unsigned>> adj(numVars);
  for (const Factor &f : factors)
    for (unsigned a : f.vars)
      for (unsigned b : f.vars)
        if (a != b)
          adj[a].insert(b);
  std::set<std::pair<size_t, unsigned>> byDegree;
  for (unsigned v = 0; v < numVars; ++v)
    byDegree.insert({adj[v].size(), v});
  std::vector<unsigned> order;
  double entries = 0;
  width = 0;
  while (!byDegree.empty()) {
    unsigned v = byDegree.begin()->second;
    byDegree.erase(byDegree.begin());
    order.push_back(v);
    width = std::max<unsigned>(width, adj[v].size());
    entries += std::pow(double(numTargets), double(adj[v].size() + 1));
    if (entries > maxEntries)
      return std::nullopt;
    std::vector<unsigned> nbrs(adj[v].begin(), adj[v].end());
    for (unsigned a : nbrs) {
      byDegree.erase({adj[a].size(), a});
      adj[a].erase(v);
      for (unsigned b : nbrs)
        if (b != a)
          adj[a].insert(b);
      byDegree.insert({adj[a].size(), a});
    }
    adj[v].clear();
  }
  return order;
}

/// Minimises the sum of `factors` over `numVars` variables of `t` labels
/// by eliminating them in `order` (every variable once); returns the
/// minimising labels and writes the minimum.
std::vector<unsigned> solveByElimination(unsigned numVars, unsigned t,
                                         std::vector<Factor> factors,
                                         ArrayRef<unsigned> order,
                                         double &optimum) {
  std::vector<std::vector<unsigned>> factorsOf(numVars);
  for (unsigned f = 0; f < factors.size(); ++f)
    for (unsigned v : factors[f].vars)
      factorsOf[v].push_back(f);
  auto addFactor = [&](Factor f) {
    for (unsigned v : f.vars)
      factorsOf[v].push_back(factors.size());
    factors.push_back(std::move(f));
  };
  std::vector<char> used(factors.size(), 0);
  // For back-substitution: each eliminated variable's scope and argmins.
  struct Step {
    unsigned var;
    SmallVector<unsigned, 4> scope;
    std::vector<uint16_t> argmin;
  };
  std::vector<Step> steps;
  double constant = 0;
  for (unsigned x : order) {
    SmallVector<unsigned> bucket;
    for (unsigned f : factorsOf[x])
      if (f < used.size() && !used[f]) {
        bucket.push_back(f);
        used[f] = 1;
      }
    std::set<unsigned> scopeSet;
    for (unsigned f : bucket)
      for (unsigned v : factors[f].vars)
        if (v != x)
          scopeSet.insert(v);
    SmallVector<unsigned, 4> scope(scopeSet.begin(), scopeSet.end());
    // Each bucket factor's strides, per position of `scope` and for x.
    struct View {
      const std::vector<double> *table;
      SmallVector<size_t, 4> scopeStride;
      size_t xStride;
    };
    SmallVector<View> views;
    for (unsigned f : bucket) {
      View view{&factors[f].table, SmallVector<size_t, 4>(scope.size(), 0), 0};
      size_t stride = 1;
      for (unsigned k = factors[f].vars.size(); k-- > 0;) {
        unsigned v = factors[f].vars[k];
        if (v == x)
          view.xStride = stride;
        else
          view.scopeStride[llvm::find(scope, v) - scope.begin()] = stride;
        stride *= t;
      }
      views.push_back(std::move(view));
    }
    size_t size = 1;
    for (size_t k = 0; k < scope.size(); ++k)
      size *= t;
    Factor result;
    result.vars = scope;
    result.table.assign(size, 0);
    Step step{x, scope, std::vector<uint16_t>(size, 0)};
    SmallVector<unsigned, 4> digits(scope.size(), 0);
    SmallVector<size_t> base(views.size(), 0);
    for (size_t index = 0; index < size; ++index) {
      for (size_t f = 0; f < views.size(); ++f) {
        base[f] = 0;
        for (size_t k = 0; k < scope.size(); ++k)
          base[f] += digits[k] * views[f].scopeStride[k];
      }
      double best = kInfeasible;
      unsigned arg = 0;
      for (unsigned c = 0; c < t; ++c) {
        double sum = 0;
        for (size_t f = 0; f < views.size(); ++f)
          sum += (*views[f].table)[base[f] + c * views[f].xStride];
        if (sum < best) {
          best = sum;
          arg = c;
        }
      }
      result.table[index] = best;
      step.argmin[index] = static_cast<uint16_t>(arg);
      for (size_t k = scope.size(); k-- > 0;) {
        if (++digits[k] < t)
          break;
        digits[k] = 0;
      }
    }
    steps.push_back(std::move(step));
    if (scope.empty()) {
      constant += result.table[0];
    } else {
      used.push_back(0);
      addFactor(std::move(result));
    }
  }
  optimum = constant;
  std::vector<unsigned> labels(numVars, 0);
  for (const Step &step : llvm::reverse(steps)) {
    size_t index = 0;
    for (unsigned v : step.scope)
      index = index * t + labels[v];
    labels[step.var] = step.argmin[index];
  }
  return labels;
}

/// Large-neighbourhood search: re-solves windows of `window` consecutive
/// kernels exactly (bucket elimination), every other kernel fixed, until a
/// sweep improves nothing. Windows overlap by half. `budget` caps the table
/// entries spent, so huge problems keep their speed; windows whose tables
/// would be too big are skipped. Only improving moves are taken.
void windowSearch(const Problem &p, const Graph &g, const Transfers &tr,
                  std::vector<unsigned> &labels, unsigned window,
                  double budget) {
  unsigned n = p.numKernels, t = p.numTargets;
  if (n <= 1 || t <= 1)
    return;
  window = std::min(window, n);
  std::vector<unsigned> fanStamp(tr.fans.size(), ~0u);
  unsigned stamp = 0;
  double spent = 0;
  for (unsigned sweep = 0; sweep < 20; ++sweep) {
    bool improved = false;
    for (unsigned start = 0; start < n; start += std::max(1u, window / 2)) {
      double cap = std::min(2e5, budget - spent);
      if (cap <= 0)
        return;
      unsigned end = std::min(n, start + window);
      unsigned size = end - start;
      Region region(p, g, tr, start, end, labels, fanStamp, stamp++);
      unsigned width = 0;
      std::optional<std::vector<unsigned>> order =
          eliminationOrder(size, t, region.factors, cap, width);
      // Building a window costs about as much as a few hundred entries.
      spent += 256.0 * size;
      if (order) {
        region.fillTables(labels);
        double before = region.cost(labels), after = 0;
        std::vector<unsigned> best = solveByElimination(
            size, t, std::move(region.factors), *order, after);
        spent += std::pow(double(t), double(width + 1)) * size;
        if (after < before * (1 - 1e-12)) {
          for (unsigned k = start; k < end; ++k)
            labels[k] = best[k - start];
          improved = true;
        }
      }
      if (end == n)
        break;
    }
    if (!improved || spent >= budget)
      return;
  }
}

} // namespace fungible::placement::detail
