//===- Measure.h - Timing kernels and the cost model's error ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares how Fungible checks its cost model against the host:
// a kernel's host code is timed (warm-up runs, then N timed runs: their
// median and spread), and the model's estimates are compared with those
// times (the fidelity: mean, median and largest absolute percentage error,
// Kendall's tau of the two rankings, per kernel kind, and the error of the
// whole model's total). `fungible-run --measure` and `fungible-cost
// --measure` report it; docs/Fidelity.md defines every figure.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_MEASURE_H
#define FUNGIBLE_RUNTIME_MEASURE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
namespace json {
class OStream;
} // namespace json
} // namespace llvm

namespace fungible {
struct KernelInfo;
} // namespace fungible

namespace fungible::runtime {

class HostExecutor;
struct HostTensor;

/// The chip whose model describes the machine the kernels are timed on:
/// measurements are compared with its estimates.
constexpr const char *kHostChip = "cpu-host";

/// A kernel's measured time on the host.
struct KernelTiming {
  /// The median of the timed runs, in seconds.
  double median = 0;
  /// The spread: the interquartile range of the timed runs over their
  /// median (0.05: the middle half of the runs lie within 5%).
  double spread = 0;
  unsigned runs = 0;
};

/// The median and spread of `seconds` (at least one value).
KernelTiming summarizeTimes(std::vector<double> seconds);

/// Times kernel `index` of `executor` with the host's code on `inputs`:
/// warm-up runs (at least 3 and 10 ms, at most 1000), then `runs` timed
/// ones (each a whole call: argument set-up, the kernel, its results
/// copied out). An input marked in `donate` is handed to each run as the
/// runtime hands it over (HostExecutor::run), in a copy made before the
/// run's timing starts; other inputs the kernel updates in place are
/// copied within the run, as the runtime does.
llvm::Expected<KernelTiming>
timeKernel(HostExecutor &executor, unsigned index,
           llvm::ArrayRef<const HostTensor *> inputs, unsigned runs,
           llvm::ArrayRef<bool> donate = {});

/// The kind of a kernel as the fidelity table groups it: "contraction",
/// "conv", "elementwise", "reduction" (softmax and norms too),
/// "data_movement" or "opaque".
std::string fidelityKind(const KernelInfo &info);

/// How far estimates are from measurements over a set of kernels.
struct FidelityStats {
  size_t kernels = 0;
  /// Absolute percentage errors |estimated - measured| / measured, as
  /// fractions: their mean, median and largest.
  double mape = 0, medianApe = 0, maxApe = 0;
  /// Kendall's tau-b between the estimated and the measured times (1: the
  /// model ranks the kernels as the clock does); NaN for fewer than two
  /// kernels or when either side is all ties.
  double kendallTau = 0;
  /// The sums of the estimates and of the measurements, and the error of
  /// the whole (|sum est - sum measured| / sum measured).
  double estimatedTotal = 0, measuredTotal = 0, totalApe = 0;
};

/// Kendall's tau-b of the pairs (x[i], y[i]): (concordant - discordant)
/// over sqrt((n0 - tx) (n0 - ty)), n0 the pairs, tx and ty those tied in
/// x and in y. NaN when undefined.
double kendallTauB(llvm::ArrayRef<double> x, llvm::ArrayRef<double> y);

/// The statistics of `estimated` against `measured` (the same length;
/// measurements positive).
FidelityStats fidelityStats(llvm::ArrayRef<double> estimated,
                            llvm::ArrayRef<double> measured);

/// The statistics over all kernels and per kind (kinds sorted by name).
struct Fidelity {
  /// The model the estimates came from ("cpu-host").
  std::string model;
  FidelityStats all;
  std::vector<std::pair<std::string, FidelityStats>> byKind;
};

Fidelity computeFidelity(llvm::StringRef model,
                         llvm::ArrayRef<double> estimated,
                         llvm::ArrayRef<double> measured,
                         llvm::ArrayRef<std::string> kinds);

/// Writes `fidelity` as the report's "fidelity" object's members.
void writeFidelityJson(llvm::json::OStream &json, const Fidelity &fidelity);

/// Prints the fidelity summary: a line for all kernels, one per kind.
/// `against` names what was measured ("the host", "NVIDIA H200").
void printFidelity(llvm::raw_ostream &os, const Fidelity &fidelity,
                   unsigned runs, llvm::StringRef against = "the host");

} // namespace fungible::runtime

#endif // FUNGIBLE_RUNTIME_MEASURE_H
