//===- Measure.cpp - Timing kernels and the cost model's error ------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "runtime/Measure.h"

#include "dialects/Workload/WorkloadOps.h"
#include "runtime/HostExecutor.h"
#include "targets/PluginAPI/KernelInfo.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

using namespace mlir;

namespace fungible::runtime {

namespace {
/// The q-quantile of sorted `v` by linear interpolation between ranks.
double quantile(llvm::ArrayRef<double> v, double q) {
  double at = q * (v.size() - 1);
  size_t below = static_cast<size_t>(std::floor(at));
  size_t above = std::min(below + 1, v.size() - 1);
  return v[below] + (at - below) * (v[above] - v[below]);
}
} // namespace

KernelTiming summarizeTimes(std::vector<double> seconds) {
  KernelTiming t;
  if (seconds.empty())
    return t;
  llvm::sort(seconds);
  t.runs = seconds.size();
  t.median = quantile(seconds, 0.5);
  t.spread =
      t.median > 0
          ? (quantile(seconds, 0.75) - quantile(seconds, 0.25)) / t.median
          : 0;
  return t;
}

llvm::Expected<KernelTiming>
timeKernel(HostExecutor &executor, unsigned index,
           llvm::ArrayRef<const HostTensor *> inputs, unsigned runs,
           llvm::ArrayRef<bool> donate) {
  std::vector<HostTensor> results;
  std::vector<HostTensor> copies(inputs.size());
  std::vector<HostTensor *> donated(inputs.size(), nullptr);
  auto run = [&]() -> llvm::Expected<double> {
    for (auto [i, given] : llvm::enumerate(donate))
      if (given) {
        copies[i] = *inputs[i];
        donated[i] = &copies[i];
      }
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error e = executor.run(index, inputs, results, nullptr, donated))
      return std::move(e);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  // The warm-up: first touches of the code and the data, and of OpenMP's
  // thread team (asleep after its block time): at least 3 runs and 10 ms,
  // at most 1000 runs.
  auto warmStart = std::chrono::steady_clock::now();
  for (unsigned w = 0; w < 1000; ++w) {
    if (llvm::Expected<double> seconds = run(); !seconds)
      return seconds.takeError();
    if (w >= 2 && std::chrono::steady_clock::now() - warmStart >=
                      std::chrono::milliseconds(10))
      break;
  }
  std::vector<double> seconds;
  seconds.reserve(runs);
  for (unsigned r = 0; r < runs; ++r) {
    llvm::Expected<double> taken = run();
    if (!taken)
      return taken.takeError();
    seconds.push_back(*taken);
  }
  return summarizeTimes(std::move(seconds));
}

std::string fidelityKind(const KernelInfo &info) {
  Operation *anchor = info.op;
  if (auto kernel = dyn_cast_or_null<wl::KernelOp>(anchor))
    anchor = kernel.getAnchor();
  if (isa_and_nonnull<wl::Conv2DOp>(anchor))
    return "conv";
  return stringifyKernelKind(info.kind).str();
}

double kendallTauB(llvm::ArrayRef<double> x, llvm::ArrayRef<double> y) {
  size_t n = std::min(x.size(), y.size());
  double concordant = 0, discordant = 0, tiedX = 0, tiedY = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0)
        ++tiedX;
      if (dy == 0)
        ++tiedY;
      if (dx == 0 || dy == 0)
        continue;
      (dx > 0) == (dy > 0) ? ++concordant : ++discordant;
    }
  double pairs = n * (n - 1) / 2.0;
  double denominator = std::sqrt((pairs - tiedX) * (pairs - tiedY));
  if (!(denominator > 0))
    return std::numeric_limits<double>::quiet_NaN();
  return (concordant - discordant) / denominator;
}

FidelityStats fidelityStats(llvm::ArrayRef<double> estimated,
                            llvm::ArrayRef<double> measured) {
  FidelityStats s;
  s.kernels = std::min(estimated.size(), measured.size());
  if (!s.kernels)
    return s;
  std::vector<double> errors;
  for (size_t i = 0; i < s.kernels; ++i) {
    errors.push_back(std::fabs(estimated[i] - measured[i]) / measured[i]);
    s.estimatedTotal += estimated[i];
    s.measuredTotal += measured[i];
  }
  for (double e : errors)
    s.mape += e;
  s.mape /= errors.size();
  llvm::sort(errors);
  s.medianApe = quantile(errors, 0.5);
  s.maxApe = errors.back();
  s.kendallTau = kendallTauB(estimated.take_front(s.kernels),
                             measured.take_front(s.kernels));
  s.totalApe = std::fabs(s.estimatedTotal - s.measuredTotal) / s.measuredTotal;
  return s;
}

Fidelity computeFidelity(llvm::StringRef model,
                         llvm::ArrayRef<double> estimated,
                         llvm::ArrayRef<double> measured,
                         llvm::ArrayRef<std::string> kinds) {
  Fidelity f;
  f.model = model.str();
  f.all = fidelityStats(estimated, measured);
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>>
      grouped;
  for (size_t i = 0; i < kinds.size() && i < f.all.kernels; ++i) {
    grouped[kinds[i]].first.push_back(estimated[i]);
    grouped[kinds[i]].second.push_back(measured[i]);
  }
  for (auto &[kind, values] : grouped)
    f.byKind.emplace_back(kind, fidelityStats(values.first, values.second));
  return f;
}

namespace {
void writeStats(llvm::json::OStream &json, const FidelityStats &s) {
  json.attribute("kernels", int64_t(s.kernels));
  json.attribute("mape", s.mape);
  json.attribute("median_ape", s.medianApe);
  json.attribute("max_ape", s.maxApe);
  // NaN is not JSON: an undefined tau is null.
  if (std::isnan(s.kendallTau))
    json.attribute("kendall_tau", nullptr);
  else
    json.attribute("kendall_tau", s.kendallTau);
  json.attribute("estimated_total_s", s.estimatedTotal);
  json.attribute("measured_total_s", s.measuredTotal);
  json.attribute("total_ape", s.totalApe);
}

std::string percent(double fraction) {
  return llvm::formatv("{0:F1}%", 100 * fraction).str();
}

std::string tau(double t) {
  return std::isnan(t) ? "-" : llvm::formatv("{0:F2}", t).str();
}
} // namespace

void writeFidelityJson(llvm::json::OStream &json, const Fidelity &fidelity) {
  json.attribute("model", fidelity.model);
  writeStats(json, fidelity.all);
  json.attributeObject("by_kind", [&] {
    for (const auto &[kind, stats] : fidelity.byKind)
      json.attributeObject(kind, [&] { writeStats(json, stats); });
  });
}

void printFidelity(llvm::raw_ostream &os, const Fidelity &fidelity,
                   unsigned runs, llvm::StringRef against) {
  const FidelityStats &a = fidelity.all;
  os << llvm::formatv(
      "  fidelity of the {0} model against {10} (median "
      "of {1} runs per kernel): {2} kernels, mean error {3}, "
      "median {4}, largest {5}, Kendall tau {6}; the whole "
      "model {7} estimated, {8} measured ({9} off)\n",
      fidelity.model, runs, a.kernels, percent(a.mape), percent(a.medianApe),
      percent(a.maxApe), tau(a.kendallTau),
      llvm::formatv("{0:e3} s", a.estimatedTotal),
      llvm::formatv("{0:e3} s", a.measuredTotal), percent(a.totalApe), against);
  for (const auto &[kind, s] : fidelity.byKind)
    os << llvm::formatv("    {0,-14} {1,5} kernels  mean {2,7}  median {3,7}  "
                        "largest {4,8}  tau {5,5}\n",
                        kind, s.kernels, percent(s.mape), percent(s.medianApe),
                        percent(s.maxApe), tau(s.kendallTau));
}

} // namespace fungible::runtime
