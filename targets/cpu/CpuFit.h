//===- CpuFit.h - Fitting the host model to measured kernels ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the fit of the host model's costs per unit of work
// (targets/cpu/HostWork.h) to measured kernel times (`fungible-cost
// --measure`, which records each kernel's HostWork): the non-negative
// costs that minimise the mean absolute percentage error of the model's
// estimates, the figure the fidelity table reports. The model is linear in
// the costs, so the fit is an L1 regression, solved by iteratively
// reweighted least squares with an active set for the bounds.
// `fungible-calibrate --from=FILE` writes the result into a spec.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPUFIT_H
#define FUNGIBLE_TARGETS_CPU_CPUFIT_H

#include "targets/cpu/HostWork.h"

#include "llvm/ADT/ArrayRef.h"

namespace fungible {

/// Seconds per unit of each term.
using HostTermCosts = std::array<double, kNumHostTerms>;

/// A kernel as measured: its work and its median time.
struct TimedKernel {
  HostWork work;
  double seconds = 0;
};

/// The fitted costs and how well they fit.
struct CpuFit {
  HostTermCosts costs{};
  /// Terms no measured kernel has: their costs are the base's (or 0 when
  /// the fit had no base), not fitted.
  std::array<bool, kNumHostTerms> fitted{};
  /// Mean absolute percentage error over the kernels with the base costs
  /// (none without a base) and with the fitted ones.
  std::optional<double> mapeBefore;
  double mapeAfter = 0;
  size_t kernels = 0;
};

/// The model's seconds for `work` at `costs`.
double estimateHostSeconds(const HostTermCosts &costs, const HostWork &work);

/// The mean absolute percentage error of `costs` over `kernels`.
double hostModelMape(const HostTermCosts &costs,
                     llvm::ArrayRef<TimedKernel> kernels);

/// Fits the costs to `kernels` (at least one; every time positive),
/// starting from `base` for the terms they do not exercise. With `only`
/// (and a base), fits just the terms it marks: the others keep the base's
/// costs, and what they predict is taken off each kernel's time first (a
/// term added to a fitted model, fitted on a sweep of its own).
CpuFit fitHostTerms(llvm::ArrayRef<TimedKernel> kernels,
                    std::optional<HostTermCosts> base,
                    std::optional<std::array<bool, kNumHostTerms>> only = {});

/// The one factor by which `costs` are multiplied to fit `kernels` best
/// (at least one; every time positive): the mean absolute percentage
/// error of s x estimate_i against time_i, sum_i (e_i / t_i) |s - t_i /
/// e_i| / n, is least at the median of the ratios t_i / e_i weighted by
/// e_i / t_i. Re-bases a fitted spec to the same host on another day (a
/// VM whose speed moved) from a few kernels, keeping the costs' ratios.
/// Kernels the costs estimate at zero do not count; 1 when none is left.
double fitHostScale(const HostTermCosts &costs,
                    llvm::ArrayRef<TimedKernel> kernels);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_CPUFIT_H
