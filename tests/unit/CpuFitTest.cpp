//===- CpuFitTest.cpp - Recovering the cpu figures from times ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the fit of targets/cpu/CpuFit.h on synthetic
// measurements: times made by the cpu model from known figures, for
// kernels bound by each figure in turn (matrix rate, vector rate, memory,
// launch), are fitted from the shipped cpu-host spec, and the known
// figures come back.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuFit.h"

#include "llvm/ADT/STLExtras.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>
#include <vector>

using namespace fungible;

namespace {

ChipSpec shippedHost() {
  llvm::Expected<ChipSpec> spec =
      loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/cpu-host.json");
  EXPECT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  return *spec;
}

CpuFit figures(double matrixTflops, double vectorTflops, double gbps,
               double launchUs) {
  CpuFit f;
  f.matrixTflops = matrixTflops;
  f.vectorTflops = vectorTflops;
  f.bandwidthGBps = gbps;
  f.launchUs = launchUs;
  return f;
}

/// Kernels of every regime, from 1 KB / 1 KFLOP to 1 GB / 1 TFLOP.
std::vector<TimedKernel> sweep() {
  std::vector<TimedKernel> kernels;
  for (double scale = 1e3; scale <= 1e9; scale *= 10) {
    kernels.push_back({scale * 1000, scale / 10, true, 0}); // GEMM-bound
    kernels.push_back({scale * 100, scale / 10, false, 0}); // vector-bound
    kernels.push_back({scale / 10, scale, false, 0});       // memory-bound
    kernels.push_back({scale / 10, scale, true, 0});        // memory-bound
  }
  return kernels;
}

TEST(CpuFit, RecoversKnownFigures) {
  ChipSpec base = shippedHost();
  CpuFit truth = figures(0.5, 0.04, 7.5, 0.8);
  ChipSpec actual = applyCpuFit(base, truth);
  std::vector<TimedKernel> kernels = sweep();
  for (TimedKernel &k : kernels)
    k.seconds = estimateCpuSeconds(actual, k);

  CpuFit fit = fitCpuSpec(base, kernels);
  EXPECT_EQ(fit.kernels, kernels.size());
  EXPECT_NEAR(fit.matrixTflops / truth.matrixTflops, 1, 0.01);
  EXPECT_NEAR(fit.vectorTflops / truth.vectorTflops, 1, 0.01);
  EXPECT_NEAR(fit.bandwidthGBps / truth.bandwidthGBps, 1, 0.01);
  EXPECT_NEAR(fit.launchUs / truth.launchUs, 1, 0.01);
  EXPECT_LT(fit.mapeAfter, 0.005);
  // The shipped figures are far from these: the fit had work to do.
  EXPECT_GT(fit.mapeBefore, 0.5);
}

TEST(CpuFit, NoisyTimesStayClose) {
  // +-10% noise, alternating from one scale to the next (so each regime
  // sees both signs).
  ChipSpec base = shippedHost();
  CpuFit truth = figures(0.2, 0.1, 30, 2);
  ChipSpec actual = applyCpuFit(base, truth);
  std::vector<TimedKernel> kernels = sweep();
  for (auto [i, k] : llvm::enumerate(kernels))
    k.seconds = estimateCpuSeconds(actual, k) * ((i / 4) % 2 ? 1.1 : 0.9);
  CpuFit fit = fitCpuSpec(base, kernels);
  // Every time is off by a factor in [0.9, 1.1], so each rate lies within
  // [1/1.1, 1/0.9] of the truth and the launch within [0.9, 1.1] (the
  // mean absolute error is an L1 fit: it follows the majority, here 0.9).
  auto withinRate = [](double ratio) {
    return ratio >= 1 / 1.1 - 1e-6 && ratio <= 1 / 0.9 + 1e-6;
  };
  EXPECT_TRUE(withinRate(fit.matrixTflops / truth.matrixTflops))
      << fit.matrixTflops;
  EXPECT_TRUE(withinRate(fit.vectorTflops / truth.vectorTflops))
      << fit.vectorTflops;
  EXPECT_TRUE(withinRate(fit.bandwidthGBps / truth.bandwidthGBps))
      << fit.bandwidthGBps;
  EXPECT_TRUE(withinRate(truth.launchUs / fit.launchUs)) << fit.launchUs;
  // No worse than the true figures' own error on the noisy times.
  double truthMape = 0;
  for (const TimedKernel &k : kernels)
    truthMape += std::fabs(estimateCpuSeconds(actual, k) - k.seconds) /
                 k.seconds / kernels.size();
  // Scales 1e3..1e9: four at 0.9 and three at 1.1, four kernels each.
  EXPECT_NEAR(truthMape, (16 * (1 / 0.9 - 1) + 12 * (1 - 1 / 1.1)) / 28, 1e-9);
  EXPECT_LE(fit.mapeAfter, truthMape + 1e-9);
}

} // namespace
