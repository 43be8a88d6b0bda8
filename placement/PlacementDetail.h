//===- PlacementDetail.h - Shared by the solvers ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the placement solvers share and no user needs:
// the edges split by how their data moves (Transfers), the kernel graph of
// plain edges (Graph), the factors and regions of bucket elimination, and
// the algorithms each solver file provides to the others. Everything is in
// fungible::placement::detail; Placement.h stays the one API.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PLACEMENT_PLACEMENTDETAIL_H
#define FUNGIBLE_PLACEMENT_PLACEMENTDETAIL_H

#include "placement/Placement.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace fungible::placement::detail {

using llvm::ArrayRef;
using llvm::SmallVector;

inline llvm::Error problemError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

inline std::string kernelName(const Problem &p, unsigned k) {
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
        if (to != head.from &&
            (readers.size() == first || readers.back() != to))
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
  Region(const Problem &p, const Graph &g, const Transfers &tr, unsigned start,
         unsigned end, ArrayRef<unsigned> labels,
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

//===----------------------------------------------------------------------===//
// The algorithms (TreeSearch.cpp, Elimination.cpp, Problem.cpp)
//===----------------------------------------------------------------------===//

/// Exact DP on the forest made of the pairs with inTree set; returns its
/// optimum (the problem's optimum when the forest holds every pair) and
/// writes the assignment.
double solveForest(const Problem &p, const Graph &g,
                   const std::vector<char> &inTree,
                   std::vector<unsigned> &labels);

/// local[c]: what kernel v's terms (its cost, its pairs, its fans) cost
/// with v on c and every other kernel at `labels`, up to a constant shared
/// by every c: the change of the objective when v alone moves.
void localCosts(const Problem &p, const Graph &g, const Transfers &tr,
                ArrayRef<unsigned> labels, unsigned v,
                llvm::MutableArrayRef<double> local);

/// Moves single kernels to their best target given their neighbours'
/// targets until no move improves (or `maxSweeps`).
void localSearch(const Problem &p, const Graph &g, const Transfers &tr,
                 std::vector<unsigned> &labels, unsigned maxSweeps = 50);

/// A maximum spanning forest of the pairs (heaviest bytes first, ties by
/// index).
std::vector<char> spanningForest(unsigned numKernels, const Graph &g);

/// A min-degree elimination order of `numVars` variables linked by the
/// factors' scopes; nullopt when its tables would exceed `maxEntries`.
/// `width` is the largest scope an elimination creates.
std::optional<std::vector<unsigned>>
eliminationOrder(unsigned numVars, unsigned numTargets,
                 ArrayRef<Factor> factors, double maxEntries, unsigned &width);

/// Minimises the sum of `factors` over `numVars` variables of `t` labels
/// by eliminating them in `order` (every variable once); returns the
/// minimising labels and writes the minimum.
std::vector<unsigned> solveByElimination(unsigned numVars, unsigned t,
                                         std::vector<Factor> factors,
                                         ArrayRef<unsigned> order,
                                         double &optimum);

/// Large-neighbourhood search: re-solves windows of `window` consecutive
/// kernels exactly (bucket elimination), every other kernel fixed, until a
/// sweep improves nothing. Windows overlap by half. `budget` caps the table
/// entries spent, so huge problems keep their speed; windows whose tables
/// would be too big are skipped. Only improving moves are taken.
void windowSearch(const Problem &p, const Graph &g, const Transfers &tr,
                  std::vector<unsigned> &labels, unsigned window,
                  double budget);

/// The objective of `labels`, with the edges already split.
double evaluate(const Problem &p, const Transfers &tr,
                ArrayRef<unsigned> labels);

} // namespace fungible::placement::detail

#endif // FUNGIBLE_PLACEMENT_PLACEMENTDETAIL_H
