//===- Throughput.h - Placing a kernel DAG for a stream ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the throughput objective: place a kernel DAG that
// runs once per item of a stream (requests, batches) so that the fleet
// serves as many items per second as it can.
//
// The steady-state model: every item runs the whole DAG. The kernels on a
// chip form that chip's pipeline stage (a chip may host several segments);
// the chip's devices are data-parallel replicas, each taking whole items
// in turn, so a chip with c devices and W seconds of work per item
// sustains c / W items per second. A value that crosses from chip a to
// chip b (once per item and destination chip) occupies the one a->b link
// for its transfer time. The period (seconds per item at steady state) is
// the largest of every chip's W / c and every link's busy time per item:
// the bottleneck. Throughput is 1 / period. The latency of one item is its
// makespan with one device per chip (placement/Makespan.h's model).
//
// Solvers:
//  - chain: for chains (every edge from a kernel to the next), an exact
//    dynamic program over pipelines that cut the chain into contiguous
//    stages on distinct chips (the stage-partitioning DP of PipeDream,
//    with heterogeneous chips and replicas): bisection on the period, each
//    step a reachability DP over (chips used, last chip, position), so it
//    costs 2^chips x chips^2 x kernels per step; refused beyond 12 chips.
//  - heuristic: for any DAG, from each single chip, the serial-total
//    optimum's chips (Placement.h) and a greedy balance (kernels by
//    decreasing work, each where the bottleneck grows least), local search
//    moving one kernel to another chip while (period, sum of squared
//    loads) falls. It works over every placement, not only pipelines
//    visiting each chip once, so on chains it can beat the DP.
// The lower bound on the period is the larger of the total of every
// kernel's fastest time over all devices and, for each kernel, its
// fastest time on one chip over that chip's devices.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PLACEMENT_THROUGHPUT_H
#define FUNGIBLE_PLACEMENT_THROUGHPUT_H

#include "placement/Makespan.h"
#include "placement/Placement.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace fungible::placement {

/// What an assignment sustains, per item at steady state.
struct StreamLoads {
  /// Per target: seconds of work per item over its devices (W / c).
  std::vector<double> target;
  /// targets x targets: the a->b link's busy seconds per item.
  std::vector<double> link;
  /// The largest of them: seconds per item.
  double period = 0;
  /// The bottleneck: a target's name, or "a->b" for a link.
  std::string bottleneck;
};

/// The loads of `assignment` (a target per kernel, each with devices).
StreamLoads evaluateStream(const Problem &problem, const DeviceFleet &fleet,
                           llvm::ArrayRef<unsigned> assignment);

/// The lower bound on the period above.
double streamLowerBound(const Problem &problem, const DeviceFleet &fleet);

/// A throughput floor: serve `itemsPerSecond` at the lowest price, where
/// one device of target t costs pricePerSecond[t] while held.
struct ThroughputFloor {
  double itemsPerSecond = 0;
  std::vector<double> pricePerSecond;
};

enum class ThroughputMethod {
  Auto,      ///< the chain DP on chains (and the heuristic; the better)
  Chain,     ///< the DP alone; an error on a DAG that is not a chain
  Heuristic, ///< local search alone
};

struct ThroughputSolution {
  std::vector<unsigned> assignment;
  StreamLoads loads;
  /// A lower bound on the period (equal to it when optimal).
  double lowerBound = 0;
  bool optimal = false;
  /// "chain" or "heuristic".
  std::string method;
  /// The latency of one item (its makespan, one device per target), and
  /// when each kernel starts in it: item i's kernel k ideally starts at
  /// i x period + offset[k] (the order a stream's schedule takes them in).
  double latency = 0;
  std::vector<double> offset;
  /// The best single target's period and the target (-1: none runs all).
  double bestSingle = kInfeasible;
  int bestSingleTarget = -1;
  /// Devices held per target: the fleet's counts (of targets with work),
  /// or with a floor as many as its rate needs; what they cost per second
  /// (with a floor).
  std::vector<unsigned> held;
  double dollarsPerSecond = 0;
  double period() const { return loads.period; }
  double throughput() const {
    return loads.period > 0 ? 1 / loads.period : kInfeasible;
  }
  double gap() const {
    return loads.period > 0 ? (loads.period - lowerBound) / loads.period : 0;
  }
};

/// Places `problem`'s kernels (costs in seconds) for the stream. Errors:
/// a malformed problem or fleet, a cycle, a kernel no device can run
/// (named), Chain on a DAG that is not a chain or on more than 12 targets.
llvm::Expected<ThroughputSolution>
solveThroughput(const Problem &problem, const DeviceFleet &fleet,
                ThroughputMethod method = ThroughputMethod::Auto);

/// Serves `floor.itemsPerSecond` at the least price of the devices held:
/// a placement and, per target, the devices its work needs at that rate
/// (work per item x rate, rounded up, within the fleet's count), every
/// link's busy time per item within one period (local search from the
/// throughput optimum, each single target and the kernels' fastest
/// targets, on (shortfall, dollars per second, dollars before rounding)).
/// `loads` and `latency` are those of the held devices. Errors: those of
/// solveThroughput; prices not one per target, negative or not finite; a
/// rate no placement meets (with the best the fleet sustains and its
/// bottleneck).
llvm::Expected<ThroughputSolution>
solveThroughputFloor(const Problem &problem, const DeviceFleet &fleet,
                     const ThroughputFloor &floor);

} // namespace fungible::placement

#endif // FUNGIBLE_PLACEMENT_THROUGHPUT_H
