//===- Placement.cpp - Cheapest target per kernel ---------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the placement solvers (Placement.h).
//
//===----------------------------------------------------------------------===//

#include "runtime/placement/Placement.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

using namespace llvm;

namespace fungible::placement {

Problem::Problem(unsigned kernels, unsigned targets)
    : numKernels(kernels), numTargets(targets),
      kernelCost(size_t(kernels) * targets, 0),
      costPerByte(size_t(targets) * targets, 0),
      costPerTransfer(size_t(targets) * targets, 0) {}

namespace {

Error problemError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

std::string kernelName(const Problem &p, unsigned k) {
  return k < p.kernelNames.size() ? "'" + p.kernelNames[k] + "'"
                                  : "#" + std::to_string(k);
}

/// Kernels that exchange data, with the edges between them: the undirected
/// graph every solver works on. Parallel edges (two values from one kernel
/// to another, or both directions) form one pair.
struct Graph {
  struct Pair {
    unsigned a, b; ///< a < b
    double bytes;  ///< total, to order spanning forests
    unsigned firstEdge, numEdges;
    /// Bytes and edge counts in each direction (a to b, b to a): a pair's
    /// cost is linear in them.
    double bytesAB = 0, bytesBA = 0;
    unsigned countAB = 0, countBA = 0;
  };
  std::vector<Pair> pairs;
  std::vector<unsigned> pairEdges; ///< edge indices grouped by pair
  /// CSR adjacency: neighbours of v are adjacency[offset[v]..offset[v+1]).
  std::vector<unsigned> offset;
  struct Adj {
    unsigned neighbour, pair;
  };
  std::vector<Adj> adjacency;

  explicit Graph(const Problem &p) {
    // Edges by (smaller kernel, larger kernel), then index: one sort of
    // packed keys.
    std::vector<std::pair<uint64_t, unsigned>> keyed;
    keyed.reserve(p.edges.size());
    for (unsigned e = 0; e < p.edges.size(); ++e) {
      unsigned u = p.edges[e].from, v = p.edges[e].to;
      if (u != v)
        keyed.push_back({uint64_t(std::min(u, v)) << 32 | std::max(u, v), e});
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<unsigned> order(keyed.size());
    for (size_t i = 0; i < keyed.size(); ++i)
      order[i] = keyed[i].second;
    auto key = [&](unsigned e) {
      unsigned u = p.edges[e].from, v = p.edges[e].to;
      return std::make_pair(std::min(u, v), std::max(u, v));
    };
    for (unsigned i = 0; i < order.size();) {
      auto k = key(order[i]);
      Pair pair{k.first, k.second, 0, static_cast<unsigned>(pairEdges.size()),
                0};
      for (; i < order.size() && key(order[i]) == k; ++i) {
        const Edge &e = p.edges[order[i]];
        pairEdges.push_back(order[i]);
        pair.bytes += e.bytes;
        ++pair.numEdges;
        if (e.from == pair.a) {
          pair.bytesAB += e.bytes;
          ++pair.countAB;
        } else {
          pair.bytesBA += e.bytes;
          ++pair.countBA;
        }
      }
      pairs.push_back(pair);
    }
    offset.assign(p.numKernels + 1, 0);
    for (const Pair &pair : pairs) {
      ++offset[pair.a + 1];
      ++offset[pair.b + 1];
    }
    std::partial_sum(offset.begin(), offset.end(), offset.begin());
    adjacency.resize(offset.back());
    std::vector<unsigned> fill(offset.begin(), offset.end() - 1);
    for (unsigned i = 0; i < pairs.size(); ++i) {
      adjacency[fill[pairs[i].a]++] = {pairs[i].b, i};
      adjacency[fill[pairs[i].b]++] = {pairs[i].a, i};
    }
  }

  /// The cost of pair `i` when its kernel a is on `la` and b on `lb`.
  double pairCost(const Problem &p, unsigned i, unsigned la,
                  unsigned lb) const {
    if (la == lb)
      return 0;
    const Pair &pair = pairs[i];
    unsigned t = p.numTargets, ab = la * t + lb, ba = lb * t + la;
    return pair.bytesAB * p.costPerByte[ab] +
           pair.countAB * p.costPerTransfer[ab] +
           pair.bytesBA * p.costPerByte[ba] +
           pair.countBA * p.costPerTransfer[ba];
  }
  /// The same seen from `v`, whose label is `lv`, with `lw` for the other.
  double pairCostFrom(const Problem &p, unsigned i, unsigned v, unsigned lv,
                      unsigned lw) const {
    return pairs[i].a == v ? pairCost(p, i, lv, lw) : pairCost(p, i, lw, lv);
  }
};

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
void localSearch(const Problem &p, const Graph &g,
                 std::vector<unsigned> &labels, unsigned maxSweeps = 50) {
  unsigned t = p.numTargets;
  for (unsigned sweep = 0; sweep < maxSweeps; ++sweep) {
    bool changed = false;
    for (unsigned v = 0; v < p.numKernels; ++v) {
      auto local = [&](unsigned c) {
        double sum = p.cost(v, c);
        for (unsigned i = g.offset[v]; i < g.offset[v + 1]; ++i) {
          const Graph::Adj &adj = g.adjacency[i];
          sum += g.pairCostFrom(p, adj.pair, v, c, labels[adj.neighbour]);
        }
        return sum;
      };
      double current = local(labels[v]);
      for (unsigned c = 0; c < t; ++c) {
        if (c == labels[v])
          continue;
        double candidate = local(c);
        if (candidate < current * (1 - 1e-12) - 1e-300) {
          current = candidate;
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
std::vector<char> spanningForest(const Problem &p, const Graph &g) {
  // Heaviest first, ties by index (deterministic).
  std::vector<std::pair<double, unsigned>> byBytes(g.pairs.size());
  for (unsigned i = 0; i < g.pairs.size(); ++i)
    byBytes[i] = {-g.pairs[i].bytes, i};
  std::sort(byBytes.begin(), byBytes.end());
  std::vector<unsigned> order(byBytes.size());
  for (size_t i = 0; i < byBytes.size(); ++i)
    order[i] = byBytes[i].second;
  std::vector<unsigned> root(p.numKernels);
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

//===----------------------------------------------------------------------===//
// Bucket elimination
//===----------------------------------------------------------------------===//

struct Factor {
  SmallVector<unsigned, 4> vars; ///< sorted
  std::vector<double> table;     ///< row-major over vars
};

/// A min-degree elimination order and the scope each elimination creates;
/// nullopt when the tables would exceed `maxEntries`.
std::optional<std::vector<unsigned>>
eliminationOrder(const Problem &p, const Graph &g, double maxEntries,
                 unsigned &width) {
  unsigned n = p.numKernels;
  std::vector<std::set<unsigned>> adj(n);
  for (const Graph::Pair &pair : g.pairs) {
    adj[pair.a].insert(pair.b);
    adj[pair.b].insert(pair.a);
  }
  std::set<std::pair<size_t, unsigned>> byDegree;
  for (unsigned v = 0; v < n; ++v)
    byDegree.insert({adj[v].size(), v});
  std::vector<unsigned> order;
  double entries = 0;
  width = 0;
  while (!byDegree.empty()) {
    unsigned v = byDegree.begin()->second;
    byDegree.erase(byDegree.begin());
    order.push_back(v);
    width = std::max<unsigned>(width, adj[v].size());
    entries += std::pow(double(p.numTargets), double(adj[v].size() + 1));
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

std::vector<unsigned> solveByElimination(const Problem &p, const Graph &g,
                                         llvm::ArrayRef<unsigned> order,
                                         double &optimum) {
  unsigned n = p.numKernels, t = p.numTargets;
  std::vector<Factor> factors;
  std::vector<std::vector<unsigned>> factorsOf(n);
  auto addFactor = [&](Factor f) {
    for (unsigned v : f.vars)
      factorsOf[v].push_back(factors.size());
    factors.push_back(std::move(f));
  };
  for (unsigned v = 0; v < n; ++v) {
    Factor f;
    f.vars = {v};
    f.table.assign(&p.kernelCost[size_t(v) * t],
                   &p.kernelCost[size_t(v) * t] + t);
    addFactor(std::move(f));
  }
  for (unsigned i = 0; i < g.pairs.size(); ++i) {
    Factor f;
    f.vars = {g.pairs[i].a, g.pairs[i].b};
    f.table.resize(size_t(t) * t);
    for (unsigned la = 0; la < t; ++la)
      for (unsigned lb = 0; lb < t; ++lb)
        f.table[la * t + lb] = g.pairCost(p, i, la, lb);
    addFactor(std::move(f));
  }
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
      View view{&factors[f].table, SmallVector<size_t, 4>(scope.size(), 0),
                0};
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
  std::vector<unsigned> labels(n, 0);
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
void windowSearch(const Problem &p, const Graph &g,
                  std::vector<unsigned> &labels, unsigned window,
                  double budget) {
  unsigned n = p.numKernels, t = p.numTargets;
  if (n <= 1 || t <= 1)
    return;
  window = std::min(window, n);
  std::vector<int> local(n, -1);
  double spent = 0;
  for (unsigned sweep = 0; sweep < 20; ++sweep) {
    bool improved = false;
    for (unsigned start = 0; start < n; start += std::max(1u, window / 2)) {
      unsigned end = std::min(n, start + window);
      unsigned size = end - start;
      Problem sub(size, t);
      sub.costPerByte = p.costPerByte;
      sub.costPerTransfer = p.costPerTransfer;
      for (unsigned k = start; k < end; ++k)
        local[k] = k - start;
      double before = 0;
      for (unsigned k = start; k < end; ++k) {
        for (unsigned c = 0; c < t; ++c)
          sub.cost(k - start, c) = p.cost(k, c);
        before += p.cost(k, labels[k]);
        for (unsigned i = g.offset[k]; i < g.offset[k + 1]; ++i) {
          const Graph::Adj &adj = g.adjacency[i];
          unsigned w = adj.neighbour;
          if (local[w] >= 0) {
            // Inside: copy the pair's edges once (from its smaller end).
            if (k > w)
              continue;
            const Graph::Pair &pair = g.pairs[adj.pair];
            for (unsigned j = 0; j < pair.numEdges; ++j) {
              Edge e = p.edges[g.pairEdges[pair.firstEdge + j]];
              before += p.transferCost(e, labels[e.from], labels[e.to]);
              e.from = local[e.from];
              e.to = local[e.to];
              sub.edges.push_back(e);
            }
            continue;
          }
          for (unsigned c = 0; c < t; ++c)
            sub.cost(k - start, c) +=
                g.pairCostFrom(p, adj.pair, k, c, labels[w]);
          before += g.pairCostFrom(p, adj.pair, k, labels[k], labels[w]);
        }
      }
      Graph subGraph(sub);
      unsigned width = 0;
      double cap = std::min(2e5, budget - spent);
      std::optional<std::vector<unsigned>> order =
          cap > 0 ? eliminationOrder(sub, subGraph, cap, width) : std::nullopt;
      // Building a window costs about as much as a few hundred entries.
      spent += 256.0 * size;
      if (order) {
        double after = 0;
        std::vector<unsigned> best =
            solveByElimination(sub, subGraph, *order, after);
        spent += std::pow(double(t), double(width + 1)) * size;
        if (after < before * (1 - 1e-12)) {
          for (unsigned k = start; k < end; ++k)
            labels[k] = best[k - start];
          improved = true;
        }
      }
      for (unsigned k = start; k < end; ++k)
        local[k] = -1;
      if (end == n)
        break;
    }
    if (!improved || spent >= budget)
      return;
  }
}

} // namespace

Error verify(const Problem &p) {
  if (p.numTargets == 0)
    return problemError("placement problem has no targets");
  if (p.numTargets > 65535)
    return problemError("placement problem has more than 65535 targets");
  size_t n = p.numKernels, t = p.numTargets;
  if (p.kernelCost.size() != n * t)
    return problemError(formatv("placement problem has {0} kernel costs for "
                                "{1} kernels x {2} targets",
                                p.kernelCost.size(), n, t));
  if (p.costPerByte.size() != t * t || p.costPerTransfer.size() != t * t)
    return problemError("placement problem's transfer costs are not "
                        "targets x targets");
  for (double c : p.kernelCost)
    if (std::isnan(c) || c < 0)
      return problemError("placement problem has a negative or NaN kernel "
                          "cost");
  for (size_t i = 0; i < t * t; ++i)
    if (!(p.costPerByte[i] >= 0) || !(p.costPerTransfer[i] >= 0) ||
        std::isinf(p.costPerByte[i]) || std::isinf(p.costPerTransfer[i]))
      return problemError("placement problem has a negative or non-finite "
                          "transfer cost");
  for (const Edge &e : p.edges)
    if (e.from >= n || e.to >= n || !(e.bytes >= 0) || std::isinf(e.bytes))
      return problemError(formatv("placement problem has a bad edge {0} -> "
                                  "{1} ({2} bytes)",
                                  e.from, e.to, e.bytes));
  for (unsigned k = 0; k < n; ++k) {
    bool any = false;
    for (unsigned c = 0; c < t && !any; ++c)
      any = !std::isinf(p.cost(k, c));
    if (!any)
      return problemError("kernel " + kernelName(p, k) +
                          " cannot run on any of the available targets");
  }
  return Error::success();
}

double evaluate(const Problem &p, ArrayRef<unsigned> assignment) {
  double sum = 0;
  for (unsigned k = 0; k < p.numKernels; ++k)
    sum += p.cost(k, assignment[k]);
  for (const Edge &e : p.edges)
    sum += p.transferCost(e, assignment[e.from], assignment[e.to]);
  return sum;
}

Expected<Solution> solve(const Problem &p, Method method,
                         double maxExactEntries) {
  if (Error e = verify(p))
    return std::move(e);
  Graph g(p);
  bool forest = g.pairs.size() + 1 <= p.numKernels || p.numKernels == 0;
  if (forest) {
    // Pairs <= kernels - components; check it really has no cycle.
    std::vector<char> all(g.pairs.size(), 1);
    std::vector<char> tree = spanningForest(p, g);
    forest = tree == all;
  }
  Solution s;
  if (forest && method != Method::Heuristic && method != Method::Exact) {
    s.objective = solveForest(p, g, std::vector<char>(g.pairs.size(), 1),
                              s.assignment);
    s.lowerBound = s.objective;
    s.optimal = true;
    s.method = "tree";
    return s;
  }
  if (method == Method::Tree)
    return problemError("the tree solver needs a DAG whose undirected graph "
                        "is a forest; this one has cycles");
  if (method == Method::Exact || method == Method::Auto) {
    unsigned width = 0;
    std::optional<std::vector<unsigned>> order =
        eliminationOrder(p, g, maxExactEntries, width);
    if (order) {
      double optimum = 0;
      s.assignment = solveByElimination(p, g, *order, optimum);
      s.objective = evaluate(p, s.assignment);
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
  // Heuristic: the spanning forest's optimum, improved by local moves.
  std::vector<char> tree = spanningForest(p, g);
  s.lowerBound = solveForest(p, g, tree, s.assignment);
  localSearch(p, g, s.assignment);
  // Windows of growing size catch segments that must move together. The
  // budget (table entries, shared by the sizes) shrinks with the problem so
  // a million kernels still place in about a second: 5e7 up to 40k
  // kernels, 2e12 / kernels beyond.
  double budget = std::min(5e7, 2e12 / std::max(1u, p.numKernels));
  for (unsigned window : {12u, 24u, 48u})
    windowSearch(p, g, s.assignment, window, budget);
  localSearch(p, g, s.assignment);
  s.objective = evaluate(p, s.assignment);
  // Never worse than putting everything on one target.
  for (unsigned c = 0; c < p.numTargets; ++c) {
    std::vector<unsigned> single(p.numKernels, c);
    double cost = evaluate(p, single);
    if (cost < s.objective) {
      s.objective = cost;
      s.assignment = std::move(single);
    }
  }
  s.optimal = s.objective <= s.lowerBound;
  s.method = "heuristic";
  return s;
}

Solution bruteForce(const Problem &p) {
  unsigned n = p.numKernels, t = p.numTargets;
  if (n == 0) {
    Solution empty;
    empty.optimal = true;
    empty.method = "brute-force";
    return empty;
  }
  // Edges to earlier kernels, so a partial assignment adds them as it goes.
  std::vector<std::vector<unsigned>> back(n);
  for (unsigned e = 0; e < p.edges.size(); ++e)
    back[std::max(p.edges[e].from, p.edges[e].to)].push_back(e);
  Solution best;
  best.objective = kInfeasible;
  std::vector<unsigned> labels(n, 0);
  std::vector<double> partial(n + 1, 0);
  // Iterative DFS over kernel k's label.
  unsigned k = 0;
  std::vector<unsigned> next(n + 1, 0);
  while (true) {
    if (k == n) {
      if (partial[n] < best.objective) {
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
      sum += p.transferCost(p.edges[e], labels[p.edges[e].from],
                            labels[p.edges[e].to]);
    partial[k + 1] = sum;
    ++k;
  }
  best.lowerBound = best.objective;
  best.optimal = true;
  best.method = "brute-force";
  return best;
}

} // namespace fungible::placement
