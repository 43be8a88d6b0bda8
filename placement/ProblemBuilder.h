//===- ProblemBuilder.h - A function's placement problem --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares buildPlacementProblem: the one place that turns a
// function's outlined kernels into a placement Problem from the targets'
// estimates and the link model. wl-place (static) and the runtime
// (fungible-run, dynamic) both call it, so they price the same kernels the
// same way.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PLACEMENT_PROBLEMBUILDER_H
#define FUNGIBLE_PLACEMENT_PROBLEMBUILDER_H

#include "placement/Placement.h"
#include "targets/PluginAPI/Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
class Operation;
class Value;
} // namespace mlir

namespace fungible::placement {

/// A cap on the placement: the capped quantity and its limit.
using Cap = std::pair<Objective, double>;

/// Kernel ops to their position in the problem.
using KernelIndex = llvm::DenseMap<mlir::Operation *, unsigned>;

/// A function's placement problem, in the objective and, with a cap, in the
/// capped quantity (the same kernels, targets and edges).
struct PlacementProblem {
  Problem problem;
  std::optional<Problem> capped;
  double limit = 0;
  /// estimates[k][t]: kernel k on target t, as the costs were taken.
  std::vector<std::vector<CostEstimate>> estimates;
  /// The kernels' positions (what findProducer looks values up in).
  KernelIndex index;

  /// The budget for solve(): none without a cap.
  Budget getBudget() const {
    return capped ? Budget{&*capped, limit} : Budget{};
  }
};

/// The kernel of `index` that produces `value` (looking through
/// wl.transfer) and which of its results it is, or -1 when none does (a
/// function argument, a constant).
std::pair<int, unsigned> findProducer(mlir::Value value,
                                      const KernelIndex &index);

/// Builds the problem of `kernels` (wl.kernel ops, or wl ops costed as
/// kernels of their own, of one function, in order; `names` names them in
/// diagnostics) on `targets`: every kernel's estimate on every target
/// (kInfeasible where it does not fit), one edge per value a kernel reads from
/// another kernel of the list (through wl.transfer), a value read by several
/// kernels being one output of its producer (moved once per destination
/// target), and the link costs of the targets' specs.
PlacementProblem buildPlacementProblem(
    llvm::ArrayRef<mlir::Operation *> kernels,
    llvm::ArrayRef<std::string> names, llvm::ArrayRef<const Target *> targets,
    Objective objective, std::optional<Cap> cap = std::nullopt);

} // namespace fungible::placement

#endif // FUNGIBLE_PLACEMENT_PROBLEMBUILDER_H
