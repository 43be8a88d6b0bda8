//===- GpuFit.h - Fitting the GPU model to measured kernels -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the fit of the gpu model's factors (GpuFactors: the
// tensor cores' and CUDA cores' efficiencies, the loads' and the
// bandwidth's, a serial step and the launch overhead) to kernels timed on
// a GPU (scripts/gpu-check.sh writes the measurement file;
// docs/Fidelity.md, "Fitting a GPU"). The model is max(compute, memory,
// latency) + launch, not linear in the factors, so
// the fit minimises the mean absolute percentage error directly: a
// Nelder-Mead search over the factors' logarithms within physical bounds
// (an efficiency is at most 1), restarted until it stops improving.
// `fungible-calibrate --from=FILE` writes the result into a spec.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_GPUFIT_H
#define FUNGIBLE_TARGETS_GPU_GPUFIT_H

#include "targets/gpu/GpuTarget.h"

#include "llvm/ADT/ArrayRef.h"

#include <utility>

namespace fungible {

/// A kernel as timed on a GPU: the model's work and the median time.
struct TimedGpuKernel {
  GpuWork work;
  double seconds = 0;
};

/// The fitted factors and how well they fit.
struct GpuFit {
  GpuFactors factors;
  /// How many kernels' fitted estimates each factor decides (its term is
  /// non-zero and on the larger side of the max). A factor no kernel
  /// exercises keeps the base's value; one that decides none was searched
  /// but is not measured by these kernels.
  std::array<size_t, GpuFactors::kNumFactors> deciding{};
  /// Mean absolute percentage error over the kernels at the base factors
  /// and at the fitted ones.
  double mapeBefore = 0, mapeAfter = 0;
  size_t kernels = 0;
};

/// The range a factor is searched in: efficiencies in [0.001, 1], the
/// serial step in [0.1 ns, 1 us], the launch overhead in [0.1 us, 1 ms].
std::pair<double, double> getGpuFactorBounds(GpuFactors::Factor factor);

/// The mean absolute percentage error of `factors` over `kernels`.
double gpuModelMape(const GpuFactors &factors,
                    llvm::ArrayRef<TimedGpuKernel> kernels);

/// Fits the factors to `kernels` (at least one; every time positive),
/// starting from `base`, which also gives the factors no kernel exercises.
GpuFit fitGpuFactors(llvm::ArrayRef<TimedGpuKernel> kernels,
                     const GpuFactors &base);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_GPU_GPUFIT_H
