//===- PlacementBruteForce.cpp - The tests' reference solver ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements bruteForce (PlacementBruteForce.h): a depth-first
// enumeration of every assignment that adds each edge and fan once its
// last kernel is labelled.
//
//===----------------------------------------------------------------------===//

#include "PlacementBruteForce.h"
#include "placement/PlacementDetail.h"

using namespace llvm;

namespace fungible::placement {
using namespace detail;

Solution bruteForce(const Problem &p, const Budget &budget) {
  unsigned n = p.numKernels, t = p.numTargets;
  if (n == 0) {
    Solution empty;
    empty.optimal = true;
    empty.method = "brute-force";
    return empty;
  }
  // Edges and fans by their last kernel, so a partial assignment adds them
  // as it goes.
  Transfers tr(p);
  std::vector<std::vector<unsigned>> back(n), backFans(n);
  for (unsigned e = 0; e < tr.plain.size(); ++e)
    back[std::max(tr.plain[e].from, tr.plain[e].to)].push_back(e);
  for (unsigned f = 0; f < tr.fans.size(); ++f) {
    SmallVector<unsigned, 8> members = tr.members(tr.fans[f]);
    backFans[*llvm::max_element(members)].push_back(f);
  }
  Solution best;
  best.objective = kInfeasible;
  std::vector<unsigned> labels(n, 0);
  std::vector<double> partial(n + 1, 0);
  // Iterative DFS over kernel k's label.
  unsigned k = 0;
  std::vector<unsigned> next(n + 1, 0);
  while (true) {
    if (k == n) {
      if (partial[n] < best.objective &&
          (!budget.cost || evaluate(*budget.cost, labels) <= budget.limit)) {
        best.objective = partial[n];
        best.assignment = labels;
      }
      --k;
      continue;
    }
    if (next[k] == t) {
      next[k] = 0;
      if (k == 0)
        break;
      --k;
      continue;
    }
    labels[k] = next[k]++;
    double sum = partial[k] + p.cost(k, labels[k]);
    for (unsigned e : back[k])
      sum += p.transferCost(tr.plain[e], labels[tr.plain[e].from],
                            labels[tr.plain[e].to]);
    for (unsigned f : backFans[k])
      sum += tr.fanCost(p, tr.fans[f], labels);
    partial[k + 1] = sum;
    ++k;
  }
  best.lowerBound = best.objective;
  best.optimal = true;
  best.method = "brute-force";
  return best;
}

} // namespace fungible::placement
