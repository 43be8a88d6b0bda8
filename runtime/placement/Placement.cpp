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
#include "llvm/Support/Format.h"
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

/// The problem's edges split by how their data moves: plain edges, moved
/// for themselves (an output with one reader, or kOwnOutput), and fans,
/// outputs read by two or more kernels, moved once to each distinct target
/// their readers sit on.
struct Transfers {
  struct Fan {
    unsigned producer;
    double bytes;
    unsigned first, count; ///< readers[first..first+count), distinct
  };
  std::vector<Edge> ownedPlain;
  ArrayRef<Edge> plain;
  std::vector<Fan> fans;
  std::vector<unsigned> readers;
  /// CSR: the fans kernel v is in are fanOf[fanOffset[v]..fanOffset[v+1]).
  std::vector<unsigned> fanOffset, fanOf;

  explicit Transfers(const Problem &p) {
    unsigned n = p.numKernels;
    fanOffset.assign(n + 1, 0);
    std::vector<unsigned> shared;
    for (unsigned e = 0; e < p.edges.size(); ++e)
      if (p.edges[e].output != kOwnOutput)
        shared.push_back(e);
    if (shared.empty()) {
      plain = p.edges;
      return;
    }
    ownedPlain.reserve(p.edges.size());
    for (const Edge &e : p.edges)
      if (e.output == kOwnOutput)
        ownedPlain.push_back(e);
    auto key = [&](unsigned e) {
      return std::make_tuple(p.edges[e].from, p.edges[e].output, p.edges[e].to);
    };
    llvm::sort(shared, [&](unsigned a, unsigned b) { return key(a) < key(b); });
    for (size_t i = 0; i < shared.size();) {
      const Edge &head = p.edges[shared[i]];
      unsigned first = readers.size();
      for (; i < shared.size() && p.edges[shared[i]].from == head.from &&
             p.edges[shared[i]].output == head.output;
           ++i) {
        unsigned to = p.edges[shared[i]].to;
        if (to != head.from && (readers.size() == first || readers.back() != to))
          readers.push_back(to);
      }
      unsigned count = readers.size() - first;
      if (count == 1) {
        ownedPlain.push_back({head.from, readers.back(), head.bytes});
        readers.pop_back();
      } else if (count > 1) {
        fans.push_back({head.from, head.bytes, first, count});
      }
    }
    plain = ownedPlain;
    for (const Fan &f : fans) {
      ++fanOffset[f.producer + 1];
      for (unsigned r : readersOf(f))
        ++fanOffset[r + 1];
    }
    std::partial_sum(fanOffset.begin(), fanOffset.end(), fanOffset.begin());
    fanOf.resize(fanOffset.back());
    std::vector<unsigned> fill(fanOffset.begin(), fanOffset.end() - 1);
    for (unsigned f = 0; f < fans.size(); ++f) {
      fanOf[fill[fans[f].producer]++] = f;
      for (unsigned r : readersOf(fans[f]))
        fanOf[fill[r]++] = f;
    }
  }

  ArrayRef<unsigned> readersOf(const Fan &f) const {
    return ArrayRef<unsigned>(readers).slice(f.first, f.count);
  }
  /// The fan's producer, then its readers.
  SmallVector<unsigned, 8> members(const Fan &f) const {
    SmallVector<unsigned, 8> all{f.producer};
    all.append(readers.begin() + f.first, readers.begin() + f.first + f.count);
    return all;
  }
  ArrayRef<unsigned> fansOf(unsigned v) const {
    return ArrayRef<unsigned>(fanOf).slice(fanOffset[v],
                                           fanOffset[v + 1] - fanOffset[v]);
  }
  /// What fan `f` costs when its member j (0: the producer) is on
  /// label(j).
  template <typename Label>
  double fanCostWith(const Problem &p, const Fan &f, Label label) const {
    unsigned from = label(0);
    SmallVector<unsigned, 8> destinations;
    double sum = 0;
    for (unsigned j = 1; j <= f.count; ++j) {
      unsigned to = label(j);
      if (to == from || llvm::is_contained(destinations, to))
        continue;
      destinations.push_back(to);
      sum += p.transferCost(f.bytes, from, to);
    }
    return sum;
  }
  /// The same under a whole assignment.
  double fanCost(const Problem &p, const Fan &f,
                 ArrayRef<unsigned> labels) const {
    return fanCostWith(p, f, [&](unsigned j) {
      return labels[j == 0 ? f.producer : readers[f.first + j - 1]];
    });
  }
};

/// Kernels that exchange data through plain edges, with the edges between
/// them: the undirected graph the tree DP and the local moves work on.
/// Parallel edges (two values from one kernel to another, or both
/// directions) form one pair.
struct Graph {
  struct Pair {
    unsigned a, b; ///< a < b
    double bytes;  ///< total, to order spanning forests
    /// Bytes and edge counts in each direction (a to b, b to a): a pair's
    /// cost is linear in them.
    double bytesAB = 0, bytesBA = 0;
    unsigned countAB = 0, countBA = 0;
  };
  std::vector<Pair> pairs;
  /// CSR adjacency: neighbours of v are adjacency[offset[v]..offset[v+1]).
  std::vector<unsigned> offset;
  struct Adj {
    unsigned neighbour, pair;
  };
  std::vector<Adj> adjacency;

  Graph(unsigned numKernels, ArrayRef<Edge> edges) {
    // Edges by (smaller kernel, larger kernel), then index: one sort of
    // packed keys.
    std::vector<std::pair<uint64_t, unsigned>> keyed;
    keyed.reserve(edges.size());
    for (unsigned e = 0; e < edges.size(); ++e) {
      unsigned u = edges[e].from, v = edges[e].to;
      if (u != v)
        keyed.push_back({uint64_t(std::min(u, v)) << 32 | std::max(u, v), e});
    }
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 0; i < keyed.size();) {
      uint64_t k = keyed[i].first;
      Pair pair{unsigned(k >> 32), unsigned(k), 0};
      for (; i < keyed.size() && keyed[i].first == k; ++i) {
        const Edge &e = edges[keyed[i].second];
        pair.bytes += e.bytes;
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
    offset.assign(numKernels + 1, 0);
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
                 std::vector<unsigned> &labels, unsigned maxSweeps = 50) {
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

//===----------------------------------------------------------------------===//
// Bucket elimination
//===----------------------------------------------------------------------===//

struct Factor {
  SmallVector<unsigned, 4> vars; ///< ascending
  std::vector<double> table;     ///< row-major over vars
};

/// The factors of the kernels [start, end) with every other kernel fixed
/// at `labels`: each kernel's cost plus its plain pairs to fixed kernels,
/// the pairs inside, and every fan with a member inside (its fixed members
/// substituted). Variables are kernel - start. Pair and fan tables are
/// filled only by fillTables, once an elimination order says they are small
/// enough.
struct Region {
  const Problem &p;
  const Graph &g;
  const Transfers &tr;
  unsigned start, end;
  std::vector<Factor> factors;
  /// Factors: one per kernel, then one per pair inside (`pairs`), then
  /// one per fan with a member inside (`fans`, from `fanFactorsBegin`).
  std::vector<unsigned> pairs, fans;
  unsigned fanFactorsBegin = 0;

  /// `stamp` must differ from every earlier region's that used
  /// `fanStamp` (one entry per fan).
  Region(const Problem &p, const Graph &g, const Transfers &tr,
         unsigned start, unsigned end, ArrayRef<unsigned> labels,
         std::vector<unsigned> &fanStamp, unsigned stamp)
      : p(p), g(g), tr(tr), start(start), end(end) {
    unsigned t = p.numTargets;
    auto inside = [&](unsigned k) { return k >= start && k < end; };
    for (unsigned k = start; k < end; ++k) {
      Factor unary;
      unary.vars = {k - start};
      unary.table.assign(&p.kernelCost[size_t(k) * t],
                         &p.kernelCost[size_t(k) * t] + t);
      for (unsigned i = g.offset[k]; i < g.offset[k + 1]; ++i) {
        const Graph::Adj &adj = g.adjacency[i];
        unsigned w = adj.neighbour;
        if (!inside(w)) {
          for (unsigned c = 0; c < t; ++c)
            unary.table[c] += g.pairCostFrom(p, adj.pair, k, c, labels[w]);
        } else if (k < w) {
          pairs.push_back(adj.pair);
        }
      }
      factors.push_back(std::move(unary));
    }
    for (unsigned i : pairs) {
      Factor pair;
      pair.vars = {g.pairs[i].a - start, g.pairs[i].b - start};
      factors.push_back(std::move(pair));
    }
    fanFactorsBegin = factors.size();
    for (unsigned k = start; k < end; ++k)
      for (unsigned f : tr.fansOf(k)) {
        if (fanStamp[f] == stamp)
          continue;
        fanStamp[f] = stamp;
        Factor fan;
        for (unsigned m : tr.members(tr.fans[f]))
          if (inside(m))
            fan.vars.push_back(m - start);
        llvm::sort(fan.vars);
        factors.push_back(std::move(fan));
        fans.push_back(f);
      }
  }

  /// Fills the pair and fan factors' tables: every labelling of their
  /// inside members, the others at `labels`.
  void fillTables(ArrayRef<unsigned> labels) {
    unsigned t = p.numTargets;
    for (size_t i = 0; i < pairs.size(); ++i) {
      Factor &pair = factors[end - start + i];
      pair.table.resize(size_t(t) * t);
      for (unsigned la = 0; la < t; ++la)
        for (unsigned lb = 0; lb < t; ++lb)
          pair.table[la * t + lb] = g.pairCost(p, pairs[i], la, lb);
    }
    for (size_t i = 0; i < fans.size(); ++i) {
      Factor &factor = factors[fanFactorsBegin + i];
      const Transfers::Fan &fan = tr.fans[fans[i]];
      SmallVector<unsigned, 8> members = tr.members(fan);
      // Each member's position in factor.vars, or -1 when fixed.
      SmallVector<int, 8> slot;
      for (unsigned m : members)
        slot.push_back(m >= start && m < end
                           ? llvm::find(factor.vars, m - start) -
                                 factor.vars.begin()
                           : -1);
      size_t size = 1;
      for (size_t k = 0; k < factor.vars.size(); ++k)
        size *= t;
      factor.table.resize(size);
      SmallVector<unsigned, 8> digits(factor.vars.size(), 0);
      for (size_t index = 0; index < size; ++index) {
        factor.table[index] = tr.fanCostWith(p, fan, [&](unsigned j) {
          return slot[j] >= 0 ? digits[slot[j]] : labels[members[j]];
        });
        for (size_t k = digits.size(); k-- > 0;) {
          if (++digits[k] < t)
            break;
          digits[k] = 0;
        }
      }
    }
  }

  /// What the factors cost with the region's kernels at `labels`.
  double cost(ArrayRef<unsigned> labels) const {
    double sum = 0;
    for (const Factor &f : factors) {
      size_t index = 0;
      for (unsigned v : f.vars)
        index = index * p.numTargets + labels[start + v];
      sum += f.table[index];
    }
    return sum;
  }
};

/// A min-degree elimination order of `numVars` variables linked by the
/// factors' scopes; nullopt when its tables would exceed `maxEntries`.
/// `width` is the largest scope an elimination creates.
std::optional<std::vector<unsigned>>
eliminationOrder(unsigned numVars, unsigned numTargets,
                 ArrayRef<Factor> factors, double maxEntries,
                 unsigned &width) {
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

/// The objective of `labels`, with the edges already split.
double evaluate(const Problem &p, const Transfers &tr,
                ArrayRef<unsigned> labels) {
  double sum = 0;
  for (unsigned k = 0; k < p.numKernels; ++k)
    sum += p.cost(k, labels[k]);
  for (const Edge &e : tr.plain)
    sum += p.transferCost(e, labels[e.from], labels[e.to]);
  for (const Transfers::Fan &f : tr.fans)
    sum += tr.fanCost(p, f, labels);
  return sum;
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
  // The edges of one output carry the same bytes.
  std::vector<unsigned> shared;
  for (unsigned e = 0; e < p.edges.size(); ++e)
    if (p.edges[e].output != kOwnOutput)
      shared.push_back(e);
  llvm::sort(shared, [&](unsigned a, unsigned b) {
    return std::make_pair(p.edges[a].from, p.edges[a].output) <
           std::make_pair(p.edges[b].from, p.edges[b].output);
  });
  for (size_t i = 1; i < shared.size(); ++i) {
    const Edge &a = p.edges[shared[i - 1]], &b = p.edges[shared[i]];
    if (a.from == b.from && a.output == b.output && a.bytes != b.bytes)
      return problemError(formatv("placement problem: output {1} of kernel "
                                  "{0} has edges carrying {2} and {3} bytes",
                                  kernelName(p, a.from), a.output, a.bytes,
                                  b.bytes));
  }
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
  return evaluate(p, Transfers(p), assignment);
}

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
    s.objective = solveForest(p, g, std::vector<char>(g.pairs.size(), 1),
                              s.assignment);
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

Expected<Solution> solve(const Problem &p, const Budget &budget,
                         Method method, double maxExactEntries) {
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
