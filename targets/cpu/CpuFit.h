//===- CpuFit.h - Fitting the cpu model to measured kernels -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the fit of the `cpu` family's figures (matrix and
// vector f32 rates, memory bandwidth, launch overhead) to measured kernel
// times (`fungible-cost --measure`): the figures that minimise the mean
// absolute percentage error of the model's estimates against the
// measurements, found by Nelder-Mead over their logarithms, each estimate made
// by the cpu target itself (targets/cpu/CpuTarget.h), so the fit follows the
// model. `fungible-calibrate --from=FILE` writes the result as a spec.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPUFIT_H
#define FUNGIBLE_TARGETS_CPU_CPUFIT_H

#include "targets/PluginAPI/ChipSpec.h"

#include "llvm/ADT/ArrayRef.h"

namespace fungible {

/// A kernel as measured: its work and its median time.
struct TimedKernel {
  double flops = 0, bytes = 0;
  /// Has a contraction (runs at the matrix rate in the cpu model).
  bool contraction = false;
  double seconds = 0;
};

/// The fitted figures and how well they fit.
struct CpuFit {
  double matrixTflops = 0, vectorTflops = 0, bandwidthGBps = 0, launchUs = 0;
  /// Mean absolute percentage error of the estimates over the kernels
  /// with the base spec's figures and with the fitted ones.
  double mapeBefore = 0, mapeAfter = 0;
  size_t kernels = 0;
};

/// The cpu target's estimate of `kernel` with `spec`'s figures, seconds.
double estimateCpuSeconds(const ChipSpec &spec, const TimedKernel &kernel);

/// Fits the four figures of the cpu spec `base` to `kernels` (at least
/// one; every time positive). The figures stay within the spec reader's
/// plausible ranges.
CpuFit fitCpuSpec(const ChipSpec &base, llvm::ArrayRef<TimedKernel> kernels);

/// `base` with the figures of `fit`.
ChipSpec applyCpuFit(ChipSpec base, const CpuFit &fit);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_CPUFIT_H
