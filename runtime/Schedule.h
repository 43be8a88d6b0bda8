//===- Schedule.h - Running a placed kernel DAG on a fleet ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the runtime's model of a fleet and its schedule: which
// device runs each kernel when, which link moves each value when, and what
// happens when a device fails. It works on plain data (no MLIR): kernels
// with per-target estimates and the values between them.
//
// The schedule is a list schedule, in program order or a plan's order: a
// kernel starts on its planned device, or the earliest free live device of
// its placed target, once its inputs have arrived there; a value (a producer's
// result) crosses to another target once, whatever number of kernels there read
// it, on the link between the two targets (busy while it moves), when its
// producer ends. Kernels on different devices overlap, and transfers overlap
// with compute.
//
// A device failure at time T takes the device away: a kernel running on it
// at T is lost and runs again; kernels not yet started go to the target's
// other devices, or, when the target has none left, every kernel not yet
// started is placed again over the targets that remain (the caller's
// `replace` callback). An output of a finished kernel that lived only on
// the failed device, and was not moved off before it failed, is lost: its
// producer runs again (lineage recomputation).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_SCHEDULE_H
#define FUNGIBLE_RUNTIME_SCHEDULE_H

#include "targets/PluginAPI/ChipSpec.h"
#include "targets/PluginAPI/CostEstimate.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <string>
#include <vector>

namespace fungible::runtime {

/// One device of the fleet: the i-th chip of a target.
struct Device {
  std::string target; ///< chip id
  unsigned index;
  std::string name() const { return target + ":" + std::to_string(index); }
};

/// The most devices of one chip, and in all, a fleet may have: the runtime
/// keeps state per device. fungible-plan sizes envelopes beyond that.
constexpr unsigned kMaxDevicesPerChip = 65536;
constexpr unsigned kMaxDevices = 262144;

/// Parses "h100:2,trn2:4,cpu-host:1" (a count per target; a bare name
/// means one). Errors name the bad entry, and counts over the caps.
llvm::Expected<std::vector<Device>> parseDevices(llvm::StringRef text);

/// A fleet file's devices, and the prices it sets (USD per device-hour,
/// by chip id) in place of the specs' on-demand prices.
struct Fleet {
  std::vector<Device> devices;
  std::vector<std::pair<std::string, double>> prices;
};

/// Parses a fleet file: {"devices": {"h100": 2, "trn2": {"count": 4,
/// "price_per_hour": 1.9}}}: a chip's entry is its count, or an object
/// with its count and, optionally, what one device costs per hour here
/// (a spot or negotiated price). Errors give the JSON path of the bad
/// field.
llvm::Expected<Fleet> loadFleet(llvm::StringRef path);
/// loadFleet on a fleet file's text; `path` names it in errors.
llvm::Expected<Fleet> parseFleet(llvm::StringRef text, llvm::StringRef path);

/// "trn2:0@0.001": device trn2:0 fails 1 ms into the run;
/// "trn2:0@kernel:matmul_1": it fails halfway through kernel matmul_1's
/// run there in the schedule without failures (`kernel` set, `time`
/// resolved by simulate), whatever the cost model's times are.
struct Failure {
  std::string device;
  double time;
  std::string kernel = {};
};
llvm::Expected<Failure> parseFailure(llvm::StringRef text);

/// A kernel: its name, cost on every target of the fleet (seconds,
/// joules, dollars; infeasible where it cannot run), and the values it
/// reads (indices of producing kernels, with bytes and which of the
/// producer's results; -1 for a function argument, which starts on every
/// target).
struct ScheduledKernel {
  std::string name;
  struct Cost {
    double seconds, joules, dollars;
    bool feasible;
    /// What limits it there (for the trace).
    Bound bound = Bound::Overhead;
  };
  std::vector<Cost> costs; ///< per target, in the fleet's target order
  struct Input {
    int producer;
    double bytes;
    unsigned output = 0;
  };
  std::vector<Input> inputs;
  /// Its work, for the trace: FLOPs and bytes read and written.
  double flops = 0, bytes = 0;
};

/// What ran where and when.
struct Event {
  enum Kind { Kernel, LostKernel, Transfer } kind;
  std::string name;  ///< kernel name, or the value's producer for transfers
  std::string track; ///< device name, or "a->b" for a link
  double start, end;
  double bytes = 0;
  /// For a transfer: the device it reads from.
  std::string from = {};
};

struct ScheduleResult {
  std::vector<Event> events;
  double makespan = 0, dollars = 0, joules = 0;
  /// The device each kernel finally ran on.
  std::vector<std::string> placement;
  /// How many times each kernel ran (2 after a loss).
  std::vector<unsigned> runs;
  /// In the order kernels finished (the order to compute them in).
  std::vector<unsigned> order;
  struct DeviceUse {
    std::string name;
    double busy = 0;
  };
  std::vector<DeviceUse> devices;
  struct LinkUse {
    std::string name;
    double bytes = 0, busy = 0;
  };
  std::vector<LinkUse> links;
  /// Placement changes after failures, as text.
  std::vector<std::string> notes;
};

/// Places `kernels` over `targets` (indices into the fleet's target
/// list); kernels whose `fixed` entry is set (they have run) keep their
/// target in `assignment`: fills `assignment` with a target per kernel, or
/// fails naming the kernel that fits nowhere.
using Replacer = std::function<llvm::Error(llvm::ArrayRef<unsigned> targets,
                                           llvm::ArrayRef<char> fixed,
                                           std::vector<unsigned> &assignment)>;

/// A device-level plan (the makespan objective's): the order the kernels
/// are taken in (a topological order) and each kernel's device (an index
/// into the fleet's devices). Without one, kernels are taken in program
/// order, each on the device of its target where it can start first. A
/// planned device that has failed, or is not of the kernel's target after
/// a re-placement, falls back to that rule.
struct SchedulePlan {
  std::vector<unsigned> order, device;
};

/// Simulates the run. `targets` are the fleet's distinct chips (their
/// specs give the links and prices), `assignment` the initial target per
/// kernel, `plan` (optional) the order and devices. Errors: a device of no
/// target, a failure of a device not in the fleet, a plan that is not a
/// topological order of every kernel on devices of the fleet, a kernel no
/// device is left to run.
llvm::Expected<ScheduleResult>
simulate(llvm::ArrayRef<ScheduledKernel> kernels,
         llvm::ArrayRef<const ChipSpec *> targets,
         llvm::ArrayRef<Device> devices, std::vector<unsigned> assignment,
         llvm::ArrayRef<Failure> failures, const Replacer &replace,
         const SchedulePlan *plan = nullptr);

/// What the trace can say beyond the schedule: the kernels (a stream's
/// later items, "<kernel>#i", are looked up by their kernel's name), the
/// fleet's chips in the kernels' cost order, and the failures.
struct TraceInfo {
  llvm::ArrayRef<ScheduledKernel> kernels;
  llvm::ArrayRef<std::string> chips;
  llvm::ArrayRef<Failure> failures;
};

/// Chrome trace event format (chrome://tracing, Perfetto): one track per
/// device and per link. With `info`, kernel slices carry their FLOPs,
/// bytes, bound, estimated seconds and dollars as args, each failure is an
/// instant event on its device's track, and each transfer has a flow arrow
/// from the kernel that produced its value to the move.
void writeTrace(const ScheduleResult &result, llvm::raw_ostream &os,
                const TraceInfo *info = nullptr);

} // namespace fungible::runtime

#endif // FUNGIBLE_RUNTIME_SCHEDULE_H
