//===- Makespan.h - Placing a kernel DAG to finish first --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the makespan objective: place and order a kernel DAG
// over the fleet's devices (not only its chip types) so that one execution
// ends as early as possible, kernels on different devices running at once
// and transfers overlapping compute.
//
// The schedule model is a list schedule, the one the runtime's simulator
// (runtime/Schedule.h) runs: kernels are taken in a topological order;
// each starts on its device when the device is free and its inputs have
// arrived there; a value moves once to each device that reads it, starting
// when its producer ends and its link is free. Links between two chips are
// one per ordered pair of targets (as the link model has them); between
// two devices of one chip, one per ordered pair of devices; a link carries
// one move at a time, in the order the kernels were scheduled.
//
// Solvers:
//  - heuristic: list scheduling, each kernel on the device where it ends
//    first (HEFT), from four starts: kernels ordered by upward rank with
//    mean costs (HEFT's own), by upward rank with fastest costs, in
//    program order, and on the chips of the serial-total optimum
//    (Placement.h; exact on chains, where makespan is the serial total);
//    then local search on the simulated schedule (a kernel, those of the
//    critical path first, moved to another device or one place earlier in
//    the order) while the makespan falls, on every start up to 2000
//    kernels and on the best one beyond; up to 200 kernels, 60 rounds of
//    iterated local search (two kernels moved at random, seeded, then
//    local search again). Never worse than HEFT on the best single
//    target.
//  - exact: depth-first branch and bound over every topological order and
//    device choice (devices of one target that hold nothing yet are
//    interchangeable, so only one is tried), pruned by the critical path of
//    the rest and the remaining work over the devices; for small DAGs, the
//    reference the heuristic is measured against.
// The lower bound is the larger of the critical path (each kernel's
// earliest end on each target, its inputs moved from wherever they could
// have ended first; moves between two devices of one target counted free)
// and the total of every kernel's fastest time over the number of
// devices.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PLACEMENT_MAKESPAN_H
#define FUNGIBLE_PLACEMENT_MAKESPAN_H

#include "placement/Placement.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace fungible::placement {

/// The fleet as the makespan objective sees it: the devices of each target
/// (0: the target is not in the fleet) and what a move between two devices
/// of one target costs in seconds (the family link, placement/Links.h).
struct DeviceFleet {
  std::vector<unsigned> count;
  std::vector<double> perByte, perTransfer;

  /// `counts` devices per target, moves between two of one target free.
  explicit DeviceFleet(std::vector<unsigned> counts = {});
  unsigned numDevices() const;
  /// Seconds to move `bytes` between two devices of `target`.
  double deviceTransfer(double bytes, unsigned target) const {
    return bytes * perByte[target] + perTransfer[target];
  }
};

/// A list schedule: kernels taken in `order` (topological), kernel k on
/// device `device[k]` (0-based, within its target) of target `target[k]`.
struct ListSchedule {
  std::vector<unsigned> order, target, device;
};

/// When each kernel of a list schedule starts and ends.
struct Timing {
  std::vector<double> start, end;
  double makespan = 0;
};

/// The makespan of `schedule` on `fleet` for `problem`, whose kernel and
/// transfer costs are in seconds (the model above); fills `timing` when
/// given. The schedule must be valid (see verifySchedule).
double evaluateMakespan(const Problem &problem, const DeviceFleet &fleet,
                        const ListSchedule &schedule, Timing *timing = nullptr);

/// One execution of `assignment` (a target per kernel) with one device
/// per target, kernels taken in program order (the lowest-numbered ready
/// kernel first): its makespan, and each kernel's start and end in
/// `timing` when given. The latency of one item of a stream.
double itemLatency(const Problem &problem, llvm::ArrayRef<unsigned> assignment,
                   Timing *timing = nullptr);

/// Checks `fleet` against `problem` (one entry per target, finite
/// non-negative link costs, at least one device, every kernel runnable on
/// some device) and that the problem's edges form no cycle; an error names
/// what is wrong.
llvm::Error verifyFleet(const Problem &problem, const DeviceFleet &fleet);

/// Checks that `schedule` is a topological order of every kernel once, on
/// existing devices of targets where each kernel can run.
llvm::Error verifySchedule(const Problem &problem, const DeviceFleet &fleet,
                           const ListSchedule &schedule);

/// The lower bound above.
double makespanLowerBound(const Problem &problem, const DeviceFleet &fleet);

enum class MakespanMethod {
  Auto,      ///< heuristic; then exact when the DAG is small enough
  Exact,     ///< branch and bound; an error when the DAG is too big
  Heuristic, ///< HEFT + local search
};

struct MakespanSolution {
  ListSchedule schedule;
  double makespan = 0;
  /// A lower bound on the optimum (equal to `makespan` when optimal).
  double lowerBound = 0;
  bool optimal = false;
  /// "exact" or "heuristic".
  std::string method;
  /// The best single target's makespan (HEFT on that target's devices
  /// alone) and the target; -1 when no target runs every kernel.
  double bestSingle = kInfeasible;
  int bestSingleTarget = -1;
  double gap() const {
    return makespan > 0 ? (makespan - lowerBound) / makespan : 0;
  }
};

/// Places and orders `problem`'s kernels (costs in seconds) on `fleet`.
/// Errors: a malformed problem or fleet, a cycle, a kernel no device can
/// run (named), Exact on more than `maxExactKernels` kernels or when the
/// search would visit more than `maxExactNodes` nodes.
llvm::Expected<MakespanSolution>
solveMakespan(const Problem &problem, const DeviceFleet &fleet,
              MakespanMethod method = MakespanMethod::Auto,
              unsigned maxExactKernels = 8, double maxExactNodes = 2e6);

} // namespace fungible::placement

#endif // FUNGIBLE_PLACEMENT_MAKESPAN_H
