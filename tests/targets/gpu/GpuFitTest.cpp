//===- GpuFitTest.cpp - The gpu model's work terms and their fit -*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the gpu model's decomposition (GpuWork: the terms at
// unit efficiency, which the factors scale) against hand-worked kernels and
// against the estimate itself, and the fit of the factors (GpuFit.h) on
// synthetic measurements made from known factors, which come back.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "targets/gpu/GpuFit.h"

#include "gtest/gtest.h"

#include <random>

using namespace fungible;
using namespace fungible::testing;

namespace {

class GpuWorkTest : public ::testing::Test, public WorkloadFixture {
protected:
  void SetUp() override {
    llvm::Expected<ChipSpec> loaded =
        loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/h100.json");
    ASSERT_TRUE(static_cast<bool>(loaded))
        << llvm::toString(loaded.takeError());
    spec = std::move(*loaded);
    target = createGpuTarget(spec);
  }

  /// The first wl.kernel of `body` if it has one, else its first op.
  KernelInfo info(const std::string &args, const std::string &body) {
    module = parse(args, body);
    EXPECT_TRUE(module) << messages;
    if (!module)
      return KernelInfo();
    mlir::Operation *kernel = nullptr;
    module->walk([&](wl::KernelOp k) { kernel = k; });
    if (!kernel)
      return firstKernel(*module);
    std::optional<KernelInfo> summary = summarizeKernel(kernel);
    return summary ? *summary : KernelInfo();
  }

  ChipSpec spec;
  std::unique_ptr<Target> target;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

TEST_F(GpuWorkTest, Bf16MatmulWithBiasByHand) {
  KernelInfo k = info("%a: tensor<300x200xbf16>, %b: tensor<200x260xbf16>, "
                      "%c: tensor<260xbf16>",
                      R"mlir(
  %k = wl.kernel "mm"(%a, %b, %c) : (tensor<300x200xbf16>, tensor<200x260xbf16>, tensor<260xbf16>) -> tensor<300x260xbf16> {
  ^bb0(%x: tensor<300x200xbf16>, %y: tensor<200x260xbf16>, %z: tensor<260xbf16>):
    %0 = wl.matmul %x, %y : (tensor<300x200xbf16>, tensor<200x260xbf16>) -> tensor<300x260xbf16>
    %1 = wl.add %0, %z : (tensor<300x260xbf16>, tensor<260xbf16>) -> tensor<300x260xbf16>
    wl.yield %1 : tensor<300x260xbf16>
  })mlir");
  GpuWork w = describeGpuWork(spec, k);
  // 128x128 tiles: M' 384, N' 384 -> 3 x 3 = 9 tiles, one wave over 132
  // SMs; K' = 256. A wave: 2 x 128 x 128 x 256 / (989e12 / 132).
  EXPECT_NEAR(w.tensorCore, 2.0 * 128 * 128 * 256 / (989e12 / 132), 1e-18);
  EXPECT_EQ(w.tensorCoreF8, 0);
  // The bias add is 300 x 260 FLOPs on the CUDA cores (66.9 TFLOP/s).
  EXPECT_NEAR(w.cudaCore, 300.0 * 260 / 66.9e12, 1e-20);
  // Operands read once (within L2), the result written: bf16 bytes.
  double traffic = 2.0 * (300 * 200 + 200 * 260 + 260 + 300 * 260);
  EXPECT_DOUBLE_EQ(w.traffic, traffic);
  EXPECT_NEAR(w.memory, traffic / 3350e9, 1e-20);
  EXPECT_EQ(w.launches, 1);
  EXPECT_NEAR(w.paddingWaste, 1.0 - (300.0 * 260 * 200) / (384.0 * 384 * 256),
              1e-12);
}

TEST_F(GpuWorkTest, EstimateIsTheWorkAtTheSpecsFactors) {
  // Every kind the model prices differently: tensor cores, f32 on CUDA
  // cores, a streaming op.
  const char *cases[][2] = {
      {"%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>",
       "%0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, "
       "tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>"},
      {"%a: tensor<512x512xf32>, %b: tensor<512x512xf32>",
       "%0 = wl.matmul %a, %b : (tensor<512x512xf32>, tensor<512x512xf32>) "
       "-> tensor<512x512xf32>"},
      {"%a: tensor<8192x8192xf32>", "%0 = wl.relu %a : tensor<8192x8192xf32>"},
  };
  GpuFactors factors = GpuFactors::of(spec);
  EXPECT_DOUBLE_EQ(factors.value[GpuFactors::GemmEfficiencyBf16], 0.803);
  EXPECT_DOUBLE_EQ(factors.value[GpuFactors::BandwidthEfficiency], 0.82);
  EXPECT_DOUBLE_EQ(factors.value[GpuFactors::LaunchSeconds], 5e-6);
  EXPECT_DOUBLE_EQ(factors.value[GpuFactors::LoadEfficiency], 0.25);
  // The spec holds the step in nanoseconds.
  EXPECT_DOUBLE_EQ(factors.value[GpuFactors::StepSeconds], 17.5e-9);
  for (auto &c : cases) {
    KernelInfo k = info(c[0], c[1]);
    double modelled =
        estimateGpuSeconds(factors, describeGpuWork(spec, k)).total();
    EXPECT_DOUBLE_EQ(target->estimate(k).seconds, modelled) << c[1];
  }
}

/// Kernels of random work whose times are the model at `truth`: each is
/// tensor-core, CUDA-core or streaming dominated, or close to a tie.
std::vector<TimedGpuKernel> synthetic(const GpuFactors &truth, int count,
                                      unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> exponent(-7, -2), unit(0, 1);
  std::vector<TimedGpuKernel> kernels;
  for (int i = 0; i < count; ++i) {
    GpuWork w;
    double scale = std::pow(10.0, exponent(rng));
    switch (i % 6) {
    case 0: // A large GEMM.
      w.tensorCore = scale;
      w.cudaCore = scale * 0.01 * unit(rng);
      w.memory = scale * 0.2 * unit(rng);
      break;
    case 1: // An f32 GEMM or vector work.
      w.cudaCore = scale;
      w.memory = scale * 0.3 * unit(rng);
      break;
    case 2: // Streaming.
      w.memory = scale;
      w.cudaCore = scale * 0.05 * unit(rng);
      break;
    case 3: // A CUDA-core contraction whose loads dominate its FMAs.
      w.cudaCore = scale * 0.4;
      w.cudaCoreLoads = scale * (0.2 + unit(rng));
      w.memory = scale * 0.1 * unit(rng);
      break;
    case 4: // Too few threads: a chain of dependent steps (of ~10 ns).
      w.serialSteps = scale / 1e-8;
      w.cudaCore = scale * 0.02 * unit(rng);
      w.cudaCoreLoads = scale * 0.05 * unit(rng);
      break;
    default: // A GEMM near the compute/memory tie.
      w.tensorCore = scale;
      w.memory = scale * (0.5 + unit(rng));
      break;
    }
    if (i % 7 == 0)
      w.tensorCoreF8 = scale * unit(rng), w.tensorCore = 0;
    kernels.push_back({w, estimateGpuSeconds(truth, w).total()});
  }
  return kernels;
}

TEST(GpuFit, RecoversKnownFactors) {
  GpuFactors truth;
  truth.value = {0.62, 0.45, 0.33, 0.21, 0.87, 23e-9, 7.5e-6};
  std::vector<TimedGpuKernel> kernels = synthetic(truth, 200, 11);
  // The model's defaults: 0.8, 0.8, 1, 0.25, 0.8, 100 ns, 5 us.
  GpuFactors base;
  GpuFit fit = fitGpuFactors(kernels, base);
  EXPECT_EQ(fit.kernels, 200u);
  EXPECT_GT(fit.mapeBefore, 0.1);
  EXPECT_LT(fit.mapeAfter, 1e-6);
  for (unsigned f = 0; f < GpuFactors::kNumFactors; ++f) {
    EXPECT_NEAR(fit.factors.value[f] / truth.value[f], 1.0, 1e-4)
        << GpuFactors::getFieldName(GpuFactors::Factor(f)).str();
    EXPECT_GT(fit.deciding[f], 0u);
  }
  EXPECT_EQ(fit.deciding[GpuFactors::LaunchSeconds], 200u);
}

TEST(GpuFit, FactorsNoKernelExercisesKeepTheBase) {
  // Streaming kernels only: nothing on tensor cores.
  GpuFactors truth;
  truth.value = {0.5, 0.5, 0.5, 0.5, 0.7, 50e-9, 3e-6};
  std::vector<TimedGpuKernel> kernels;
  for (int i = 0; i < 30; ++i) {
    GpuWork w;
    w.memory = 1e-6 * (i + 1);
    kernels.push_back({w, estimateGpuSeconds(truth, w).total()});
  }
  GpuFactors base;
  GpuFit fit = fitGpuFactors(kernels, base);
  EXPECT_LT(fit.mapeAfter, 1e-6);
  EXPECT_NEAR(fit.factors.value[GpuFactors::BandwidthEfficiency], 0.7, 1e-5);
  EXPECT_NEAR(fit.factors.value[GpuFactors::LaunchSeconds], 3e-6, 1e-10);
  for (GpuFactors::Factor f :
       {GpuFactors::GemmEfficiencyBf16, GpuFactors::GemmEfficiencyF8,
        GpuFactors::VectorEfficiency, GpuFactors::LoadEfficiency,
        GpuFactors::StepSeconds}) {
    EXPECT_EQ(fit.factors.value[f], base.value[f]);
    EXPECT_EQ(fit.deciding[f], 0u);
  }
}

TEST(GpuFit, EfficienciesStayWithinTheirBounds) {
  // Times faster than the peaks allow: the efficiency stops at 1.
  std::vector<TimedGpuKernel> kernels;
  for (int i = 0; i < 10; ++i) {
    GpuWork w;
    w.memory = 1e-3 * (i + 1);
    w.launches = 1;
    kernels.push_back({w, 0.5e-3 * (i + 1)});
  }
  GpuFit fit = fitGpuFactors(kernels, GpuFactors());
  EXPECT_DOUBLE_EQ(fit.factors.value[GpuFactors::BandwidthEfficiency], 1.0);
  EXPECT_GE(fit.factors.value[GpuFactors::LaunchSeconds], 0.999e-7);
  EXPECT_NEAR(fit.mapeAfter, 1.0, 0.01); // About twice the measured time.
}

} // namespace
