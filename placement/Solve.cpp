//===- Solve.cpp - Choosing and running a solver ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements solve(problem, method): the dispatch between the
// tree DP, bucket elimination and the heuristic with its lower bound.
//
//===----------------------------------------------------------------------===//

#include "placement/PlacementDetail.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace llvm;

namespace fungible::placement {
using namespace detail;

Expected<Solution> solve(const Problem &p, Method method,
                         double maxExactEntries) {
  if (Error e = verify(p))
    return std::move(e);
  unsigned n = p.numKernels, t = p.numTargets;
  Transfers tr(p);
  Graph g(n, tr.plain);
  // A forest: no fan (a fan links all its members) and no cycle (pairs <=
  // kernels - components, and the spanning forest keeps every pair).
  bool forest = tr.fans.empty() && (g.pairs.size() + 1 <= n || n == 0) &&
                spanningForest(n, g) == std::vector<char>(g.pairs.size(), 1);
  Solution s;
  if (forest && method != Method::Heuristic && method != Method::Exact) {
    s.objective =
        solveForest(p, g, std::vector<char>(g.pairs.size(), 1), s.assignment);
    s.lowerBound = s.objective;
    s.optimal = true;
    s.method = "tree";
    return s;
  }
  if (method == Method::Tree)
    return problemError("the tree solver needs a DAG whose interaction graph "
                        "is a forest; this one has cycles" +
                        Twine(tr.fans.empty() ? ""
                                              : " (an output read by several "
                                                "kernels links them all)"));
  if (method == Method::Exact || method == Method::Auto) {
    std::vector<unsigned> none(n, 0), fanStamp(tr.fans.size(), ~0u);
    Region all(p, g, tr, 0, n, none, fanStamp, 0);
    unsigned width = 0;
    std::optional<std::vector<unsigned>> order =
        eliminationOrder(n, t, all.factors, maxExactEntries, width);
    if (order) {
      all.fillTables(none);
      double optimum = 0;
      s.assignment =
          solveByElimination(n, t, std::move(all.factors), *order, optimum);
      s.objective = evaluate(p, tr, s.assignment);
      s.lowerBound = s.objective;
      s.optimal = true;
      s.method = "exact";
      return s;
    }
    if (method == Method::Exact)
      return problemError(formatv(
          "the exact solver would need more than {0} table entries (induced "
          "width above {1}); use the heuristic",
          maxExactEntries, width));
  }
  // Heuristic: the optimum of a spanning forest that keeps one reader of
  // each fan (a lower bound), improved by local moves.
  if (tr.fans.empty()) {
    s.lowerBound = solveForest(p, g, spanningForest(n, g), s.assignment);
  } else {
    std::vector<Edge> relaxed(tr.plain.begin(), tr.plain.end());
    for (const Transfers::Fan &f : tr.fans)
      relaxed.push_back({f.producer, tr.readers[f.first], f.bytes});
    Graph rg(n, relaxed);
    s.lowerBound = solveForest(p, rg, spanningForest(n, rg), s.assignment);
  }
  localSearch(p, g, tr, s.assignment);
  // Windows of growing size catch segments that must move together. The
  // budget (table entries, shared by the sizes) shrinks with the problem so
  // a million kernels still place in about a second: 5e7 up to 40k
  // kernels, 2e12 / kernels beyond.
  double budget = std::min(5e7, 2e12 / std::max(1u, n));
  for (unsigned window : {12u, 24u, 48u})
    windowSearch(p, g, tr, s.assignment, window, budget);
  localSearch(p, g, tr, s.assignment);
  s.objective = evaluate(p, tr, s.assignment);
  // Never worse than putting everything on one target.
  for (unsigned c = 0; c < t; ++c) {
    std::vector<unsigned> single(n, c);
    double cost = evaluate(p, tr, single);
    if (cost < s.objective) {
      s.objective = cost;
      s.assignment = std::move(single);
    }
  }
  s.optimal = s.objective <= s.lowerBound;
  s.method = "heuristic";
  return s;
}

} // namespace fungible::placement
