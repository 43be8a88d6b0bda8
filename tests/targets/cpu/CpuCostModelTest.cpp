//===- CpuCostModelTest.cpp - The cpu family's cost model -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the CPU roofline on the nominal cpu-host spec (0.134
// TFLOP/s f32, 20 GB/s, 1 us call), whose figures are all unsourced.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "targets/cpu/CpuTarget.h"

#include "gtest/gtest.h"

using namespace fungible;
using namespace fungible::testing;

namespace {

class CpuCost : public ::testing::Test, public WorkloadFixture {};

TEST_F(CpuCost, RooflineOnNominalFigures) {
  llvm::Expected<ChipSpec> spec =
      loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/cpu-host.json");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  std::unique_ptr<Target> cpu = createCpuTarget(std::move(*spec));

  auto matmul = parse("%a: tensor<256x256xf32>, %b: tensor<256x256xf32>",
                      "%c = wl.matmul %a, %b : (tensor<256x256xf32>, "
                      "tensor<256x256xf32>) -> tensor<256x256xf32>");
  ASSERT_TRUE(matmul);
  CostEstimate e = cpu->estimate(firstKernel(*matmul));
  double compute = 2.0 * 256 * 256 * 256 / 0.134e12;
  EXPECT_EQ(e.bound, Bound::Compute);
  EXPECT_NEAR(e.seconds, compute + 1e-7, 1e-12);
  // Every figure is nominal: the explanation says the estimate rests on
  // unsourced numbers.
  EXPECT_NE(e.explanation.find("matrix_tflops.f32"), std::string::npos);

  auto add = parse("%a: tensor<1048576xf32>",
                   "%c = wl.add %a, %a : (tensor<1048576xf32>, "
                   "tensor<1048576xf32>) -> tensor<1048576xf32>");
  ASSERT_TRUE(add);
  CostEstimate m = cpu->estimate(firstKernel(*add));
  EXPECT_EQ(m.bound, Bound::Memory);
  EXPECT_NEAR(m.seconds, 3.0 * 4194304 / 20e9 + 1e-7, 1e-12);
}

} // namespace
