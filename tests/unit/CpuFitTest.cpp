//===- CpuFitTest.cpp - The host model's fit ---------------------*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the fit of the cpu family's host model
// (targets/cpu/CpuFit.h) on synthetic measurements made from known costs,
// which come back. The model's counts are HostWorkTest.cpp's.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuFit.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <vector>

using namespace fungible;

namespace {

/// Kernels exercising every term: each amount is 0 (a third of the time)
/// or 10^u for u uniform in [0, 7), from a fixed seed.
std::vector<TimedKernel> syntheticKernels() {
  std::vector<TimedKernel> kernels;
  std::mt19937 random(16);
  std::uniform_real_distribution<double> unit(0, 1);
  for (unsigned i = 0; i < 60; ++i) {
    TimedKernel k;
    for (unsigned t = 0; t < kNumHostTerms; ++t)
      k.work.amount[t] =
          unit(random) < 1 / 3.0 ? 0 : std::pow(10, 7 * unit(random));
    k.work[HostTerm::Call] = 1;
    kernels.push_back(k);
  }
  return kernels;
}

HostTermCosts knownCosts() {
  HostTermCosts costs;
  for (unsigned t = 0; t < kNumHostTerms; ++t)
    costs[t] = (0.05 + 0.1 * (t % 5)) * 1e-9;
  costs[unsigned(HostTerm::Call)] = 150e-9;
  return costs;
}

TEST(CpuFit, RecoversKnownCosts) {
  HostTermCosts truth = knownCosts();
  std::vector<TimedKernel> kernels = syntheticKernels();
  for (TimedKernel &k : kernels)
    k.seconds = estimateHostSeconds(truth, k.work);
  CpuFit fit = fitHostTerms(kernels, std::nullopt);
  EXPECT_EQ(fit.kernels, kernels.size());
  EXPECT_FALSE(fit.mapeBefore.has_value());
  for (unsigned t = 0; t < kNumHostTerms; ++t) {
    EXPECT_TRUE(fit.fitted[t]);
    EXPECT_NEAR(fit.costs[t] / truth[t], 1, 1e-6)
        << stringifyHostTerm(HostTerm(t)).str();
  }
  EXPECT_LT(fit.mapeAfter, 1e-6);
}

TEST(CpuFit, NoisyTimesFitNoWorseThanTheTruth) {
  HostTermCosts truth = knownCosts();
  std::vector<TimedKernel> kernels = syntheticKernels();
  for (auto [i, k] : llvm::enumerate(kernels))
    k.seconds = estimateHostSeconds(truth, k.work) * (i % 3 ? 1.1 : 0.9);
  CpuFit fit = fitHostTerms(kernels, truth);
  // The truth's own error: a third of the kernels 10% off each way.
  double truthMape = hostModelMape(truth, kernels);
  ASSERT_TRUE(fit.mapeBefore.has_value());
  EXPECT_NEAR(*fit.mapeBefore, truthMape, 1e-12);
  EXPECT_NEAR(truthMape, (20 * (1 / 0.9 - 1) + 40 * (1 - 1 / 1.1)) / 60, 1e-9);
  EXPECT_LE(fit.mapeAfter, truthMape + 1e-3);
  for (double c : fit.costs)
    EXPECT_GE(c, 0);
}

TEST(CpuFit, OnlyTheNamedTermsAreFitted) {
  // Times from the truth; a base right but for the two terms to fit (a
  // term added to a fitted model): the fit recovers them from what the
  // other terms leave of each time, and leaves the others as they were.
  HostTermCosts truth = knownCosts();
  std::vector<TimedKernel> kernels = syntheticKernels();
  for (TimedKernel &k : kernels)
    k.seconds = estimateHostSeconds(truth, k.work);
  HostTermCosts base = truth;
  base[unsigned(HostTerm::SerialStep)] = 0;
  base[unsigned(HostTerm::StridedAccess)] = 9e-9;
  std::array<bool, kNumHostTerms> only{};
  only[unsigned(HostTerm::SerialStep)] = true;
  only[unsigned(HostTerm::StridedAccess)] = true;
  CpuFit fit = fitHostTerms(kernels, base, only);
  for (unsigned t = 0; t < kNumHostTerms; ++t) {
    std::string name = stringifyHostTerm(HostTerm(t)).str();
    EXPECT_EQ(fit.fitted[t], only[t]) << name;
    if (only[t])
      EXPECT_NEAR(fit.costs[t] / truth[t], 1, 1e-6) << name;
    else
      EXPECT_EQ(fit.costs[t], base[t]) << name;
  }
  EXPECT_LT(fit.mapeAfter, 1e-6);
}

TEST(CpuFit, UnusedTermsKeepTheBaseAndCostsStayNonNegative) {
  // Two terms that always come together: the fit may split their cost
  // any way, but never below zero. The copy term appears nowhere.
  std::vector<TimedKernel> kernels;
  for (double n : {1e3, 1e4, 1e5, 1e6}) {
    TimedKernel k;
    k.work[HostTerm::Elementwise] = n;
    k.work[HostTerm::CacheBytes] = 4 * n;
    k.work[HostTerm::Call] = 1;
    k.seconds = n * 2e-9 + 1e-7;
    kernels.push_back(k);
  }
  HostTermCosts base{};
  base[unsigned(HostTerm::Copy)] = 7e-9;
  CpuFit fit = fitHostTerms(kernels, base);
  EXPECT_FALSE(fit.fitted[unsigned(HostTerm::Copy)]);
  EXPECT_EQ(fit.costs[unsigned(HostTerm::Copy)], 7e-9);
  EXPECT_TRUE(fit.fitted[unsigned(HostTerm::Elementwise)]);
  for (double c : fit.costs)
    EXPECT_GE(c, 0);
  EXPECT_LT(fit.mapeAfter, 1e-6);
  EXPECT_NEAR(fit.costs[unsigned(HostTerm::Elementwise)] +
                  4 * fit.costs[unsigned(HostTerm::CacheBytes)],
              2e-9, 1e-15);
}

TEST(CpuFit, RescaleIsTheWeightedMedianRatio) {
  // Three kernels the costs estimate at 1 ns each (one call at 1 ns),
  // measured 1, 2 and 4 ns: ratios 1, 2, 4 with weights 1, 1/2, 1/4. Half
  // the weight (7/8) is reached at the first: s = 1, and indeed its mean
  // error (0 + 1/2 + 3/4) / 3 = 5/12 is below s = 2's (1 + 0 + 1/2) / 3.
  HostTermCosts costs{};
  costs[unsigned(HostTerm::Call)] = 1e-9;
  std::vector<TimedKernel> kernels(3);
  for (auto [i, t] : llvm::enumerate(std::vector<double>{1, 2, 4})) {
    kernels[i].work[HostTerm::Call] = 1;
    kernels[i].seconds = t * 1e-9;
  }
  EXPECT_DOUBLE_EQ(fitHostScale(costs, kernels), 1);
  EXPECT_NEAR(hostModelMape(costs, kernels), 5.0 / 12, 1e-12);
  // Every time 1.7 times the estimate: 1.7, whatever the work.
  costs[unsigned(HostTerm::Matmul)] = 0.01e-9;
  for (auto [i, k] : llvm::enumerate(kernels)) {
    k.work[HostTerm::Matmul] = 1e6 * (i + 1);
    k.seconds = 1.7 * estimateHostSeconds(costs, k.work);
  }
  EXPECT_NEAR(fitHostScale(costs, kernels), 1.7, 1e-12);
  // Nothing estimated above zero: 1.
  EXPECT_DOUBLE_EQ(fitHostScale(HostTermCosts{}, kernels), 1);
}

} // namespace
