//===- Run.h - Run a workload on a fleet ------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the runtime's entry points, what fungible-run is a
// thin command line over and what the planner and tests call:
//   - loadFleetTargets: the fleet's targets (built-in specs, spec files,
//     plugins), re-priced by a fleet file's prices;
//   - prepareForRun: a model as a user has it (linalg, TOSA, wl; possibly a
//     fat module of compiled variants) to one function of outlined kernels;
//   - runModel: placement over the fleet (placement/), the simulated
//     schedule with links and failures (Schedule.h) and, unless only
//     simulating, every kernel's numbers on the host (HostExecutor.h);
//   - writeReport: the JSON report (docs/Runtime.md).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_RUN_H
#define FUNGIBLE_RUNTIME_RUN_H

#include "placement/Placement.h"
#include "placement/ProblemBuilder.h"
#include "runtime/HostExecutor.h"
#include "runtime/Measure.h"
#include "runtime/Schedule.h"
#include "targets/BuiltinTargets.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace fungible::runtime {

/// Where the fleet's chips come from and what the fleet file set.
struct FleetOptions {
  std::vector<Device> devices;
  /// Prices per device-hour by chip id that replace the specs' (a fleet
  /// file's), and where they come from (named in the estimates).
  std::vector<std::pair<std::string, double>> prices;
  std::string priceSource;
  /// Built-in specs directory ("" for the default), extra spec files,
  /// target plugins.
  std::string specsDir;
  std::vector<std::string> specFiles, plugins;
};

/// The fleet's distinct chips, in the order they first appear among the
/// devices, from a registry built as `options` says; a priced chip's
/// target is rebuilt from its spec with the fleet's price (a plugin's chip
/// cannot be: an error). Errors name the file, chip or field.
llvm::Expected<TargetSelection> loadFleetTargets(const FleetOptions &options);

/// A model made ready to run: its compiled variants set aside, the entry
/// function's kernels outlined.
struct PreparedModel {
  mlir::func::FuncOp func;
  /// A fat module's compiled variants (wl-compile), taken out of the module
  /// before the import and outlining, which must not touch chip code.
  std::vector<mlir::OwningOpRef<mlir::ModuleOp>> variants;
  /// Host-side ops that touch no tensor (timing calls, asserts), dropped.
  unsigned droppedHostOps = 0;
  /// Functions with a body in the module (one of which runs).
  unsigned functions = 0;
};

/// Takes `module` through wl-import-and-outline (without raising loops
/// over buffers when `raiseLoops` is false: they run as written) and picks
/// `entry` (when empty, the first public function with a body, else the
/// first with a body). Fails with an empty message when the passes
/// reported their own located diagnostics.
llvm::Expected<PreparedModel> prepareForRun(mlir::ModuleOp module,
                                            llvm::StringRef entry,
                                            bool raiseLoops = true);

/// What the placement minimises: the serial total of kernels and
/// transfers in the objective's unit (placement/Placement.h), the
/// makespan of one execution over the fleet's devices, parallel branches
/// on different devices (placement/Makespan.h), or the period of a stream
/// of items, chips as pipeline stages with their devices as replicas
/// (placement/Throughput.h); the last two are in seconds.
enum class PlacementGoal { Total, Makespan, Throughput };

/// How to run a prepared model.
struct RunOptions {
  Objective objective = Objective::Time;
  PlacementGoal goal = PlacementGoal::Total;
  /// With the throughput goal: how many items the simulated stream runs;
  /// with a floor (> 0, items per second; the objective dollars), the rate
  /// to serve at the least price of the devices held.
  unsigned batches = 16;
  double minThroughput = 0;
  std::optional<placement::Cap> cap;
  std::vector<Failure> failures;
  /// Directory of arg<i>.npy inputs; "" generates them from `seed`.
  std::string inputsDir;
  uint64_t seed = 0;
  /// Place and simulate only: no numbers.
  bool simulateOnly = false;
  /// Directory the outputs are written to as result<i>.npy ("" for none).
  std::string outDir;
  /// Times every kernel's host code this many times after a warm-up (0:
  /// not at all) and compares the cpu-host model's estimates with the
  /// medians (runtime/Measure.h). Needs cpu-host in the fleet.
  unsigned measureRuns = 0;
  /// Told how the host compile of the kernels advances (HostExecutor).
  std::function<void(size_t done, size_t total, double seconds)>
      compileProgress;
};

/// What a run did.
struct RunResult {
  std::string function;
  std::vector<ScheduledKernel> kernels;
  placement::Solution placement;
  /// The fleet's chips, in the order of the kernels' costs.
  std::vector<std::string> chips;
  /// The best single chip's figure in the placement's objective (the
  /// serial total, within the cap; the makespan, HEFT on its devices
  /// alone; the period) and which chip ("" when none runs every kernel).
  double bestSingle = 0;
  std::string bestSingleTarget;
  /// With the throughput goal: the steady state of the placement.
  struct Stream {
    /// Seconds per item at the bottleneck, and items per second.
    double period = 0, throughput = 0;
    /// One item's makespan (one device per chip).
    double latency = 0;
    /// The bottleneck: a chip or an "a->b" link.
    std::string bottleneck;
    /// What one item costs at steady state: the held devices (every device
    /// of a chip with work) for one period; the kernels' and transfers'
    /// energy.
    double dollarsPerItem = 0, joulesPerItem = 0;
    /// The devices of each chip the stream holds (chips without any left
    /// out).
    std::vector<std::pair<std::string, unsigned>> held;
    /// The simulated stream: items run and items per second.
    unsigned items = 0;
    double simulatedThroughput = 0;
  };
  std::optional<Stream> stream;
  ScheduleResult schedule;
  /// Kernel executions on the host (a kernel lost with its device runs
  /// again).
  unsigned executions = 0;
  /// Inputs of kernels that update a buffer in place (a KV cache): handed
  /// over, written without a copy, and copied first because something
  /// else still reads them (or the kernel runs again).
  unsigned inputsHandedOver = 0, inputsCopiedForUpdate = 0;
  /// Host functions compiled for the kernels: one per distinct kernel
  /// body (0 with simulateOnly).
  unsigned hostFunctions = 0;
  std::vector<std::string> variantsRun, variantsSkipped;
  /// With measureRuns: per kernel, its host code's time, the cpu-host
  /// model's estimate and its kind (fidelityKind), and the statistics.
  struct Measured {
    KernelTiming timing;
    double estimated = 0;
    std::string kind;
  };
  std::vector<Measured> measured;
  std::optional<Fidelity> fidelity;
  unsigned devices = 0;
};

/// Places the prepared model's kernels on `fleet` (the devices of
/// `targets`) for `options.goal`, simulates the run and, unless simulating
/// only, computes every kernel's numbers on the host in the order the schedule
/// finished them, writing the outputs to `options.outDir`.
llvm::Expected<RunResult> runModel(PreparedModel &model,
                                   const TargetSelection &targets,
                                   llvm::ArrayRef<Device> fleet,
                                   const RunOptions &options);

/// Writes the JSON report of `result` (docs/Runtime.md); `model` names the
/// input.
void writeReport(const RunResult &result, const RunOptions &options,
                 llvm::StringRef model, llvm::raw_ostream &os);

/// One line a person reads: kernels, devices, makespan, dollars, joules,
/// the placement method; then the schedule's notes, the dropped host ops
/// and, when the module has several functions, which one ran.
void writeSummary(const RunResult &result, const RunOptions &options,
                  const PreparedModel &model, llvm::raw_ostream &os);

} // namespace fungible::runtime

#endif // FUNGIBLE_RUNTIME_RUN_H
