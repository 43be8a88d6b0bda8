//===- Placement.h - Cheapest target per kernel -----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the placement solver shared by the wl-place pass and
// the runtime. A placement problem is a kernel DAG whose every kernel has a
// cost on every target (infinite where it cannot run) and whose every edge
// carries bytes that cost something to move when its two kernels sit on
// different targets. An output read by several kernels is moved once to
// each distinct target its readers sit on (as the runtime and wl-place
// move it), not once per reader. The objective is the sum of kernel costs
// and transfer costs (time, dollars, energy or a weighted mix, chosen by
// the caller when it fills the problem); it is what a placement costs
// serially, the quantity every schedule of it starts from.
//
// Solvers:
//  - tree: exact dynamic programming when the kernels' interaction graph is
//    a forest (chains, trees; an output read by several kernels links them
//    all), O(kernels x targets^2);
//  - exact: bucket (variable) elimination along a min-degree order, exact
//    for any DAG whose induced width keeps the tables small (ML graphs: a
//    chain with skip connections), refused when they would not be;
//  - heuristic: dynamic programming on a maximum spanning forest (heaviest
//    edges kept, at most one reader of each shared output), then
//    single-kernel moves, then windows of 12, 24 and 48 consecutive kernels
//    re-solved exactly with the rest fixed, until nothing improves; never
//    worse than the best single-target placement; its lower bound is the
//    spanning forest's optimum (the dropped edges cost at least zero, and
//    one reader's move never costs more than the output's moves).
// All are deterministic: the same problem gives the same placement. Each
// lives in its own file: Problem.cpp (construction, verify, evaluate),
// TreeSearch.cpp (tree DP, local moves), Elimination.cpp (bucket
// elimination, window search), Solve.cpp (choosing one), Budget.cpp (the
// Lagrangian budget); PlacementDetail.h is what they share. The makespan
// objective, over devices rather than chip types, is Makespan.h.
//
// A budget caps a second quantity (dollars or joules while minimising
// time, say): the same kernels and edges priced in that quantity, whose
// total must stay within a limit. It is solved by Lagrangian relaxation:
// the solver above runs on objective + lambda x capped quantity, with
// lambda bisected to the smallest value whose placement fits; the best
// fitting placement found is kept, and every lambda gives a lower bound
// (the relaxed optimum, or its bound, minus lambda x limit).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PLACEMENT_PLACEMENT_H
#define FUNGIBLE_PLACEMENT_PLACEMENT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace fungible::placement {

/// The cost of a kernel on a target where it cannot run.
inline constexpr double kInfeasible = std::numeric_limits<double>::infinity();

/// An edge whose output is moved for it alone.
inline constexpr unsigned kOwnOutput = ~0u;

/// Data flowing from kernel `from` to kernel `to`.
struct Edge {
  unsigned from, to;
  double bytes;
  /// Which of `from`'s outputs the edge carries. Edges from one kernel with
  /// the same output (other than kOwnOutput) carry one value, which is
  /// moved once to each distinct target its readers sit on; they must
  /// carry the same bytes. kOwnOutput: this edge's data moves on its own.
  unsigned output = kOwnOutput;
};

struct Problem {
  unsigned numKernels = 0, numTargets = 0;
  /// numKernels x numTargets, row-major; kInfeasible where a kernel cannot
  /// run (does not fit, or the target is not available).
  std::vector<double> kernelCost;
  std::vector<Edge> edges;
  /// numTargets x numTargets: the cost of moving one byte, and the fixed
  /// cost of one transfer, from target a to target b (zero when a == b).
  std::vector<double> costPerByte, costPerTransfer;
  /// Optional, for diagnostics: the kernels' and targets' names, and why
  /// a kernel no target can run cannot run on each (empty, or one entry
  /// per kernel).
  std::vector<std::string> kernelNames, targetNames, whyNowhere;

  Problem() = default;
  Problem(unsigned kernels, unsigned targets);

  double &cost(unsigned kernel, unsigned target) {
    return kernelCost[kernel * numTargets + target];
  }
  double cost(unsigned kernel, unsigned target) const {
    return kernelCost[kernel * numTargets + target];
  }
  /// What moving `bytes` from target a to target b costs.
  double transferCost(double bytes, unsigned a, unsigned b) const {
    if (a == b)
      return 0;
    unsigned i = a * numTargets + b;
    return bytes * costPerByte[i] + costPerTransfer[i];
  }
  double transferCost(const Edge &edge, unsigned a, unsigned b) const {
    return transferCost(edge.bytes, a, b);
  }
};

enum class Method {
  Auto,      ///< tree if a forest, else exact if small enough, else heuristic
  Tree,      ///< exact on forests; an error on other graphs
  Exact,     ///< bucket elimination; an error when the tables would be too big
  Heuristic, ///< spanning-forest DP + local search
};

struct Solution {
  /// The target of each kernel.
  std::vector<unsigned> assignment;
  double objective = 0;
  /// A lower bound on the optimum (equal to `objective` when optimal).
  double lowerBound = 0;
  bool optimal = false;
  /// "tree", "exact" or "heuristic"; with a budget, "<method>+budget".
  std::string method;
  /// With a budget: the capped quantity's total for `assignment`.
  double capped = 0;
  /// (objective - lowerBound) / objective; 0 when optimal.
  double gap() const {
    return objective > 0 ? (objective - lowerBound) / objective : 0;
  }
};

/// Checks the problem's shape (sizes, edge endpoints, no negative costs,
/// no NaN, equal bytes on the edges of one output); an error says what is
/// wrong.
llvm::Error verify(const Problem &problem);

/// The objective of `assignment`.
double evaluate(const Problem &problem, llvm::ArrayRef<unsigned> assignment);

/// Solves `problem`. Errors: a malformed problem; a kernel that no target
/// can run (named); Tree on a graph that is not a forest; Exact when its
/// tables would exceed `maxExactEntries`.
llvm::Expected<Solution> solve(const Problem &problem,
                               Method method = Method::Auto,
                               double maxExactEntries = 2e7);

/// A cap on a second quantity: `cost` prices the problem's kernels and
/// edges (same kernels, targets and edges) in it; a placement must keep
/// evaluate(*cost, assignment) <= limit.
struct Budget {
  const Problem *cost = nullptr;
  double limit = kInfeasible;
};

/// Solves `problem` within `budget` (Lagrangian relaxation, above). Errors:
/// those of solve(); a budget problem of another shape; a budget no
/// placement meets (proven, or none found: the message says which, with
/// the least total found).
llvm::Expected<Solution> solve(const Problem &problem, const Budget &budget,
                               Method method = Method::Auto,
                               double maxExactEntries = 2e7);

} // namespace fungible::placement

#endif // FUNGIBLE_PLACEMENT_PLACEMENT_H
