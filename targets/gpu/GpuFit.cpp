//===- GpuFit.cpp - Fitting the GPU model to measured kernels ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The search works on the logarithms of the factors a kernel exercises
// (the others stay the base's). It starts with two sweeps of a grid search
// along each factor (61 points across its bounds), which puts it in the
// right basin whatever the base was, then runs Nelder-Mead, restarting
// from the best point with a smaller simplex until a restart no longer
// improves the error. The objective is piecewise smooth (the max and the
// absolute values have kinks), which is what Nelder-Mead tolerates and a
// gradient method would not.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuFit.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <vector>

namespace fungible {

std::pair<double, double> getGpuFactorBounds(GpuFactors::Factor factor) {
  if (factor == GpuFactors::LaunchSeconds)
    return {1e-7, 1e-3};
  if (factor == GpuFactors::StepSeconds)
    return {1e-10, 1e-6};
  return {1e-3, 1.0};
}

double gpuModelMape(const GpuFactors &factors,
                    llvm::ArrayRef<TimedGpuKernel> kernels) {
  if (kernels.empty())
    return 0;
  double sum = 0;
  for (const TimedGpuKernel &k : kernels)
    sum += std::fabs(estimateGpuSeconds(factors, k.work).total() - k.seconds) /
           k.seconds;
  return sum / kernels.size();
}

namespace {

/// The objective over the logarithms of the exercised factors.
class FitObjective {
public:
  FitObjective(llvm::ArrayRef<TimedGpuKernel> kernels, const GpuFactors &base,
               std::vector<GpuFactors::Factor> free)
      : kernels(kernels), base(base), free(std::move(free)) {}

  size_t getDimension() const { return free.size(); }

  /// Clamps `x` into the bounds.
  void clamp(std::vector<double> &x) const {
    for (size_t i = 0; i < x.size(); ++i) {
      auto [lo, hi] = getGpuFactorBounds(free[i]);
      x[i] = std::clamp(x[i], std::log(lo), std::log(hi));
    }
  }

  GpuFactors factorsAt(const std::vector<double> &x) const {
    GpuFactors f = base;
    for (size_t i = 0; i < x.size(); ++i)
      f.value[free[i]] = std::exp(x[i]);
    return f;
  }

  double operator()(std::vector<double> x) const {
    clamp(x);
    return gpuModelMape(factorsAt(x), kernels);
  }

  GpuFactors::Factor getFactor(size_t i) const { return free[i]; }

private:
  llvm::ArrayRef<TimedGpuKernel> kernels;
  GpuFactors base;
  std::vector<GpuFactors::Factor> free;
};

/// Two sweeps of a 61-point grid along each coordinate.
void gridSearch(const FitObjective &objective, std::vector<double> &x,
                double &best) {
  constexpr int kPoints = 61;
  for (int sweep = 0; sweep < 2; ++sweep)
    for (size_t i = 0; i < x.size(); ++i) {
      auto [lo, hi] = getGpuFactorBounds(objective.getFactor(i));
      double a = std::log(lo), b = std::log(hi);
      std::vector<double> y = x;
      for (int p = 0; p < kPoints; ++p) {
        y[i] = a + (b - a) * p / (kPoints - 1);
        double value = objective(y);
        if (value < best) {
          best = value;
          x = y;
        }
      }
    }
}

/// One Nelder-Mead run from `x` with simplex edges `step` (in log units);
/// leaves the best point in `x` and its value in `best`.
void nelderMead(const FitObjective &objective, std::vector<double> &x,
                double &best, double step) {
  size_t n = x.size();
  std::vector<std::vector<double>> simplex(n + 1, x);
  std::vector<double> values(n + 1);
  for (size_t i = 0; i < n; ++i) {
    simplex[i + 1][i] += step;
    objective.clamp(simplex[i + 1]);
    if (simplex[i + 1] == x) // At an upper bound: step down instead.
      simplex[i + 1][i] -= step;
  }
  for (size_t i = 0; i <= n; ++i)
    values[i] = objective(simplex[i]);
  std::vector<size_t> order(n + 1);
  for (int iteration = 0; iteration < 4000; ++iteration) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return values[a] < values[b]; });
    size_t bestIndex = order.front(), worst = order.back(),
           second = order[n - 1];
    double spread = 0;
    for (size_t i = 0; i <= n; ++i)
      for (size_t d = 0; d < n; ++d)
        spread =
            std::max(spread, std::fabs(simplex[i][d] - simplex[bestIndex][d]));
    if (spread < 1e-9)
      break;
    std::vector<double> centroid(n, 0);
    for (size_t i = 0; i <= n; ++i)
      if (i != worst)
        for (size_t d = 0; d < n; ++d)
          centroid[d] += simplex[i][d] / n;
    auto along = [&](double t) {
      std::vector<double> p(n);
      for (size_t d = 0; d < n; ++d)
        p[d] = centroid[d] + t * (simplex[worst][d] - centroid[d]);
      objective.clamp(p);
      return p;
    };
    std::vector<double> reflected = along(-1);
    double r = objective(reflected);
    if (r < values[bestIndex]) {
      std::vector<double> expanded = along(-2);
      double e = objective(expanded);
      if (e < r) {
        simplex[worst] = expanded;
        values[worst] = e;
      } else {
        simplex[worst] = reflected;
        values[worst] = r;
      }
      continue;
    }
    if (r < values[second]) {
      simplex[worst] = reflected;
      values[worst] = r;
      continue;
    }
    std::vector<double> contracted = along(r < values[worst] ? -0.5 : 0.5);
    double c = objective(contracted);
    if (c < std::min(r, values[worst])) {
      simplex[worst] = contracted;
      values[worst] = c;
      continue;
    }
    // Shrink towards the best point.
    for (size_t i = 0; i <= n; ++i) {
      if (i == bestIndex)
        continue;
      for (size_t d = 0; d < n; ++d)
        simplex[i][d] = simplex[bestIndex][d] +
                        0.5 * (simplex[i][d] - simplex[bestIndex][d]);
      values[i] = objective(simplex[i]);
    }
  }
  size_t bestIndex =
      std::min_element(values.begin(), values.end()) - values.begin();
  if (values[bestIndex] < best) {
    best = values[bestIndex];
    x = simplex[bestIndex];
  }
}

} // namespace

GpuFit fitGpuFactors(llvm::ArrayRef<TimedGpuKernel> kernels,
                     const GpuFactors &base) {
  assert(!kernels.empty() && "nothing to fit");
  GpuFit fit;
  fit.kernels = kernels.size();
  fit.factors = base;
  fit.mapeBefore = gpuModelMape(base, kernels);

  std::vector<GpuFactors::Factor> free;
  for (unsigned f = 0; f < GpuFactors::kNumFactors; ++f)
    if (llvm::any_of(kernels, [&](const TimedGpuKernel &k) {
          return getGpuWorkTerm(k.work, GpuFactors::Factor(f)) > 0;
        }))
      free.push_back(GpuFactors::Factor(f));
  FitObjective objective(kernels, base, free);
  std::vector<double> x;
  for (GpuFactors::Factor f : free)
    x.push_back(std::log(base.value[f]));
  objective.clamp(x);
  double best = objective(x);
  if (!free.empty()) {
    gridSearch(objective, x, best);
    for (int restart = 0, step = 0; restart < 40 && step < 8; ++restart) {
      double before = best;
      nelderMead(objective, x, best, 0.7 * std::pow(0.3, step));
      if (before - best <= 1e-12 * std::max(before, 1e-12))
        ++step; // No gain: a smaller simplex next.
    }
    objective.clamp(x);
    fit.factors = objective.factorsAt(x);
  }
  fit.mapeAfter = gpuModelMape(fit.factors, kernels);

  // How many kernels' estimates each factor decides.
  for (const TimedGpuKernel &k : kernels) {
    GpuSeconds s = estimateGpuSeconds(fit.factors, k.work);
    for (GpuFactors::Factor f : free) {
      double term = getGpuWorkTerm(k.work, f);
      double longest = std::max({s.compute, s.memory, s.latency});
      bool decides = f == GpuFactors::LaunchSeconds ? term > 0
                     : f == GpuFactors::BandwidthEfficiency
                         ? term > 0 && s.memory >= longest
                     : f == GpuFactors::StepSeconds
                         ? term > 0 && s.latency >= longest
                         : term > 0 && s.compute >= longest;
      fit.deciding[f] += decides;
    }
  }
  return fit;
}

} // namespace fungible
