//===- CpuFit.cpp - Fitting the host model to measured kernels ------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuFit.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace fungible {

namespace {
constexpr size_t N = kNumHostTerms;

/// Solves the n x n system `a x = b` in place (Gaussian elimination with
/// partial pivoting); false when it is singular.
bool solve(llvm::SmallVectorImpl<double> &a, llvm::SmallVectorImpl<double> &b,
           size_t n) {
  for (size_t c = 0; c < n; ++c) {
    size_t pivot = c;
    for (size_t r = c + 1; r < n; ++r)
      if (std::fabs(a[r * n + c]) > std::fabs(a[pivot * n + c]))
        pivot = r;
    if (!(std::fabs(a[pivot * n + c]) > 0))
      return false;
    if (pivot != c) {
      for (size_t k = 0; k < n; ++k)
        std::swap(a[c * n + k], a[pivot * n + k]);
      std::swap(b[c], b[pivot]);
    }
    for (size_t r = 0; r < n; ++r) {
      if (r == c)
        continue;
      double f = a[r * n + c] / a[c * n + c];
      if (f == 0)
        continue;
      for (size_t k = c; k < n; ++k)
        a[r * n + k] -= f * a[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (size_t c = 0; c < n; ++c)
    b[c] /= a[c * n + c];
  return true;
}
} // namespace

double estimateHostSeconds(const HostTermCosts &costs, const HostWork &work) {
  double seconds = 0;
  for (size_t t = 0; t < N; ++t)
    seconds += costs[t] * work.amount[t];
  return seconds;
}

double hostModelMape(const HostTermCosts &costs,
                     llvm::ArrayRef<TimedKernel> kernels) {
  double sum = 0;
  for (const TimedKernel &k : kernels)
    sum +=
        std::fabs(estimateHostSeconds(costs, k.work) - k.seconds) / k.seconds;
  return kernels.empty() ? 0 : sum / kernels.size();
}

double fitHostScale(const HostTermCosts &costs,
                    llvm::ArrayRef<TimedKernel> kernels) {
  // (ratio t / e, weight e / t), sorted by ratio; the weighted median.
  std::vector<std::pair<double, double>> points;
  double total = 0;
  for (const TimedKernel &k : kernels) {
    double e = estimateHostSeconds(costs, k.work);
    if (!(e > 0) || !(k.seconds > 0))
      continue;
    points.emplace_back(k.seconds / e, e / k.seconds);
    total += e / k.seconds;
  }
  if (points.empty())
    return 1;
  llvm::sort(points);
  double below = 0;
  for (auto [ratio, weight] : points) {
    below += weight;
    if (below >= total / 2)
      return ratio;
  }
  return points.back().first;
}

CpuFit fitHostTerms(llvm::ArrayRef<TimedKernel> kernels,
                    std::optional<HostTermCosts> base,
                    std::optional<std::array<bool, kNumHostTerms>> only) {
  if (!base)
    only.reset();
  CpuFit fit;
  fit.kernels = kernels.size();
  if (base)
    fit.mapeBefore = hostModelMape(*base, kernels);

  // Relative residuals: row i is work_i / seconds_i, the target 1. Columns
  // are scaled to a largest entry of 1 so that the normal equations of
  // terms in FLOPs and in calls are of one magnitude.
  std::array<double, N> scale{};
  for (const TimedKernel &k : kernels)
    for (size_t t = 0; t < N; ++t)
      scale[t] = std::max(scale[t], k.work.amount[t] / k.seconds);
  std::array<bool, N> active{};
  for (size_t t = 0; t < N; ++t)
    fit.fitted[t] = active[t] = scale[t] > 0 && (!only || (*only)[t]);
  // The share of each kernel's time the terms not fitted explain (with
  // `only`), which the fitted ones do not have to.
  std::vector<double> target(kernels.size(), 1.0);
  if (only)
    for (auto [i, k] : llvm::enumerate(kernels))
      for (size_t t = 0; t < N; ++t)
        if (!(*only)[t])
          target[i] -= (*base)[t] * k.work.amount[t] / k.seconds;

  // Iteratively reweighted least squares for the L1 norm: each round
  // solves the weighted least squares with weights 1 / |residual|; a cost
  // that comes out negative leaves the active set (it is 0: the term is
  // explained by the others) and the round is solved again.
  std::vector<double> weights(kernels.size(), 1.0);
  std::array<double, N> x{};
  for (int round = 0; round < 100; ++round) {
    llvm::SmallVector<size_t, N> cols;
    for (size_t t = 0; t < N; ++t)
      if (active[t])
        cols.push_back(t);
    size_t n = cols.size();
    if (n == 0)
      break;
    llvm::SmallVector<double> a(n * n, 0.0), b(n, 0.0);
    for (auto [i, k] : llvm::enumerate(kernels)) {
      llvm::SmallVector<double, N> g;
      for (size_t t : cols)
        g.push_back(k.work.amount[t] / k.seconds / scale[t]);
      for (size_t r = 0; r < n; ++r) {
        b[r] += weights[i] * g[r] * target[i];
        for (size_t c = 0; c < n; ++c)
          a[r * n + c] += weights[i] * g[r] * g[c];
      }
    }
    // A ridge of 1e-12 of the diagonal keeps terms that always appear
    // together solvable.
    for (size_t r = 0; r < n; ++r)
      a[r * n + r] += 1e-12 * (a[r * n + r] > 0 ? a[r * n + r] : 1);
    if (!solve(a, b, n))
      break;
    std::array<double, N> next{};
    size_t mostNegative = N;
    for (size_t c = 0; c < n; ++c) {
      next[cols[c]] = b[c];
      if (b[c] < 0 && (mostNegative == N || b[c] < next[mostNegative]))
        mostNegative = cols[c];
    }
    if (mostNegative != N) {
      active[mostNegative] = false;
      continue;
    }
    x = next;
    for (auto [i, k] : llvm::enumerate(kernels)) {
      double predicted = 0;
      for (size_t t = 0; t < N; ++t)
        predicted += x[t] * k.work.amount[t] / k.seconds / scale[t];
      weights[i] = 1.0 / std::max(std::fabs(predicted - target[i]), 1e-4);
    }
  }
  for (size_t t = 0; t < N; ++t)
    fit.costs[t] = fit.fitted[t] ? x[t] / scale[t] : (base ? (*base)[t] : 0);
  fit.mapeAfter = hostModelMape(fit.costs, kernels);
  return fit;
}

} // namespace fungible
