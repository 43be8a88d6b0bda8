//===- CostEstimate.h - What a target says a kernel costs -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares CostEstimate, the result of Target::estimate: time,
// energy and money for one kernel on one chip, what bounds it, and why.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_PLUGINAPI_COSTESTIMATE_H
#define FUNGIBLE_TARGETS_PLUGINAPI_COSTESTIMATE_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace fungible {

/// What limits a kernel on a chip.
enum class Bound { Compute, Memory, Overhead };

/// "compute", "memory", "overhead".
llvm::StringRef stringifyBound(Bound bound);
std::optional<Bound> parseBound(llvm::StringRef name);

struct CostEstimate {
  double seconds = 0;
  double joules = 0;
  double dollars = 0;
  Bound bound = Bound::Overhead;
  /// Achieved fraction of the bounding resource's peak, 0 to 1.
  double utilization = 0;
  /// Fraction of the hardware's work spent on padding, 0 to 1.
  double paddingWaste = 0;
  /// False when the kernel's working set does not fit the device.
  bool feasible = true;
  /// A human explanation: the figures and steps that gave the estimate.
  std::string explanation;
};

/// What a placement or a table minimises.
enum class Objective { Time, Energy, Dollars };

/// "time", "energy", "dollars".
llvm::StringRef stringifyObjective(Objective objective);
std::optional<Objective> parseObjective(llvm::StringRef name);

/// The estimate's seconds, joules or dollars.
inline double valueOf(const CostEstimate &e, Objective objective) {
  switch (objective) {
  case Objective::Time:
    return e.seconds;
  case Objective::Energy:
    return e.joules;
  case Objective::Dollars:
    return e.dollars;
  }
  return e.seconds;
}

} // namespace fungible

#endif // FUNGIBLE_TARGETS_PLUGINAPI_COSTESTIMATE_H
