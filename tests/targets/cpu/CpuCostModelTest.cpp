//===- CpuCostModelTest.cpp - The cpu family's cost model -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the cpu model: the host model of the shipped cpu-host
// spec (its fitted costs per unit of work, docs/CostModel.md "cpu"), and
// the roofline a cpu spec without host terms falls back to, on the
// nominal figures (0.134 TFLOP/s f32, 20 GB/s, 0.1 us call), all
// unsourced.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "targets/cpu/CpuTarget.h"
#include "targets/cpu/HostWork.h"

#include "gtest/gtest.h"

using namespace fungible;
using namespace fungible::testing;

namespace {

class CpuCost : public ::testing::Test, public WorkloadFixture {};

ChipSpec shippedHost() {
  llvm::Expected<ChipSpec> spec =
      loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/cpu-host.json");
  EXPECT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  return spec ? *spec : ChipSpec();
}

TEST_F(CpuCost, ShippedHostModel) {
  ChipSpec spec = shippedHost();
  ASSERT_TRUE(getHostTermCosts(spec).has_value());
  auto ns = [&](llvm::StringRef term) {
    return spec.params["host_ns_per_" + term.str()].value * 1e-9;
  };
  std::unique_ptr<Target> cpu = createCpuTarget(spec);
  auto matmul = parse("%a: tensor<256x256xf32>, %b: tensor<256x256xf32>",
                      "%c = wl.matmul %a, %b : (tensor<256x256xf32>, "
                      "tensor<256x256xf32>) -> tensor<256x256xf32>");
  ASSERT_TRUE(matmul);
  CostEstimate e = cpu->estimate(firstKernel(*matmul), /*explain=*/true);
  // 2 x 256^3 FLOPs (no padding: 256 is a multiple of 4 and 64) over the
  // 2 threads of its 2 x 1 cache tiles; B (256 KB) within the 1 MiB
  // cache; 768 KB of operands within the L3; one op, on the thread team;
  // 256 KB copied out; one call of 3 tensors (A, B, the result).
  double expected = 2.0 * 256 * 256 * 256 / 2 * ns("matmul") +
                    3.0 * 262144 * ns("cache_bytes") + ns("ops") +
                    ns("parallel_ops") + 262144.0 * ns("result_bytes") +
                    3 * ns("arguments") + ns("call");
  EXPECT_NEAR(e.seconds / expected, 1, 1e-12);
  EXPECT_NE(e.explanation.find("host terms: matmul 1.67772e+07 x"),
            std::string::npos)
      << e.explanation;
}

TEST_F(CpuCost, RooflineOnNominalFigures) {
  // Without the host terms the model is the roofline.
  ChipSpec spec = shippedHost();
  for (unsigned t = 0; t < kNumHostTerms; ++t)
    spec.params.erase(hostTermParam(HostTerm(t)));
  ASSERT_FALSE(getHostTermCosts(spec).has_value());
  std::unique_ptr<Target> cpu = createCpuTarget(std::move(spec));

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
