//===- TreeSearch.cpp - Tree DP and local search ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the exact DP on a spanning forest of the kernel
// graph, single-kernel local search and the maximum spanning forest the
// tree solver starts from (PlacementDetail.h).
//
//===----------------------------------------------------------------------===//

#include "placement/PlacementDetail.h"

#include <numeric>

using namespace llvm;

namespace fungible::placement::detail {

/// Exact DP on the forest made of the pairs with inTree set; returns its
/// optimum (the problem's optimum when the forest holds every pair) and
/// writes the assignment.
double solveForest(const Problem &p, const Graph &g,
                   const std::vector<char> &inTree,
                   std::vector<unsigned> &labels) {
  unsigned n = p.numKernels, t = p.numTargets;
  std::vector<unsigned> order, parent(n, ~0u), parentPair(n, ~0u);
  std::vector<char> seen(n, 0);
  order.reserve(n);
  for (unsigned root = 0; root < n; ++root) {
    if (seen[root])
      continue;
    seen[root] = 1;
    size_t head = order.size();
    order.push_back(root);
    while (head < order.size()) {
      unsigned v = order[head++];
      for (unsigned i = g.offset[v]; i < g.offset[v + 1]; ++i) {
        const Graph::Adj &adj = g.adjacency[i];
        if (!inTree[adj.pair] || seen[adj.neighbour])
          continue;
        seen[adj.neighbour] = 1;
        parent[adj.neighbour] = v;
        parentPair[adj.neighbour] = adj.pair;
        order.push_back(adj.neighbour);
      }
    }
  }
  // Bottom-up: belief[v][c] = cost(v, c) + messages from v's children.
  std::vector<double> belief(p.kernelCost);
  std::vector<uint16_t> choice(size_t(n) * t, 0);
  double total = 0;
  for (unsigned idx = n; idx-- > 0;) {
    unsigned v = order[idx];
    const double *bv = &belief[size_t(v) * t];
    if (parent[v] == ~0u) {
      total += *std::min_element(bv, bv + t);
      continue;
    }
    unsigned u = parent[v];
    for (unsigned lu = 0; lu < t; ++lu) {
      double best = kInfeasible;
      unsigned arg = 0;
      for (unsigned lv = 0; lv < t; ++lv) {
        double c = bv[lv] + g.pairCostFrom(p, parentPair[v], v, lv, lu);
        if (c < best) {
          best = c;
          arg = lv;
        }
      }
      belief[size_t(u) * t + lu] += best;
      choice[size_t(v) * t + lu] = static_cast<uint16_t>(arg);
    }
  }
  // Top-down.
  labels.assign(n, 0);
  for (unsigned v : order) {
    if (parent[v] == ~0u) {
      const double *bv = &belief[size_t(v) * t];
      labels[v] = std::min_element(bv, bv + t) - bv;
    } else {
      labels[v] = choice[size_t(v) * t + labels[parent[v]]];
    }
  }
  return total;
}

/// Moves single kernels to their best target given their neighbours'
/// targets until no move improves (or `maxSweeps`).
/// local[c]: what kernel v's terms (its cost, its pairs, its fans) cost
/// with v on c and every other kernel at `labels`, up to a constant shared
/// by every c: the change of the objective when v alone moves.
void localCosts(const Problem &p, const Graph &g, const Transfers &tr,
                ArrayRef<unsigned> labels, unsigned v,
                MutableArrayRef<double> local) {
  unsigned t = p.numTargets;
  for (unsigned c = 0; c < t; ++c)
    local[c] = p.cost(v, c);
  for (unsigned i = g.offset[v]; i < g.offset[v + 1]; ++i) {
    const Graph::Adj &adj = g.adjacency[i];
    unsigned lw = labels[adj.neighbour];
    for (unsigned c = 0; c < t; ++c)
      local[c] += g.pairCostFrom(p, adj.pair, v, c, lw);
  }
  SmallVector<unsigned, 8> destinations;
  for (unsigned f : tr.fansOf(v)) {
    const Transfers::Fan &fan = tr.fans[f];
    // The targets the other members' labels make the value go to.
    destinations.clear();
    for (unsigned r : tr.readersOf(fan))
      if (r != v && !llvm::is_contained(destinations, labels[r]))
        destinations.push_back(labels[r]);
    if (fan.producer == v) {
      for (unsigned c = 0; c < t; ++c)
        for (unsigned to : destinations)
          local[c] += p.transferCost(fan.bytes, c, to);
    } else {
      // v is a reader: it adds a move only to a target not yet served.
      unsigned from = labels[fan.producer];
      for (unsigned c = 0; c < t; ++c)
        if (!llvm::is_contained(destinations, c))
          local[c] += p.transferCost(fan.bytes, from, c);
    }
  }
}

void localSearch(const Problem &p, const Graph &g, const Transfers &tr,
                 std::vector<unsigned> &labels, unsigned maxSweeps) {
  unsigned t = p.numTargets;
  std::vector<double> local(t);
  for (unsigned sweep = 0; sweep < maxSweeps; ++sweep) {
    bool changed = false;
    for (unsigned v = 0; v < p.numKernels; ++v) {
      localCosts(p, g, tr, labels, v, local);
      double current = local[labels[v]];
      for (unsigned c = 0; c < t; ++c) {
        if (c == labels[v])
          continue;
        if (local[c] < current * (1 - 1e-12) - 1e-300) {
          current = local[c];
          labels[v] = c;
          changed = true;
        }
      }
    }
    if (!changed)
      return;
  }
}

/// A maximum spanning forest of the pairs (heaviest bytes first, ties by
/// index).
std::vector<char> spanningForest(unsigned numKernels, const Graph &g) {
  // Heaviest first, ties by index (deterministic).
  std::vector<std::pair<double, unsigned>> byBytes(g.pairs.size());
  for (unsigned i = 0; i < g.pairs.size(); ++i)
    byBytes[i] = {-g.pairs[i].bytes, i};
  std::sort(byBytes.begin(), byBytes.end());
  std::vector<unsigned> order(byBytes.size());
  for (size_t i = 0; i < byBytes.size(); ++i)
    order[i] = byBytes[i].second;
  std::vector<unsigned> root(numKernels);
  std::iota(root.begin(), root.end(), 0);
  auto find = [&](unsigned x) {
    while (root[x] != x)
      x = root[x] = root[root[x]];
    return x;
  };
  std::vector<char> inTree(g.pairs.size(), 0);
  for (unsigned i : order) {
    unsigned a = find(g.pairs[i].a), b = find(g.pairs[i].b);
    if (a == b)
      continue;
    root[a] = b;
    inTree[i] = 1;
  }
  return inTree;
}

} // namespace fungible::placement::detail
