//===- GpuCostModelTest.cpp - The gpu family's cost model -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the GPU cost model against hand-computed estimates on
// the H100 spec (989 TFLOP/s bf16, 132 SMs, 3350 GB/s, 50 MB L2, 5 us
// launch, GEMM efficiency 0.803, bandwidth efficiency 0.82).
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "targets/gpu/GpuTarget.h"

#include "gtest/gtest.h"

using namespace fungible;
using namespace fungible::testing;

namespace {

class GpuCost : public ::testing::Test, public WorkloadFixture {
protected:
  void SetUp() override {
    llvm::Expected<ChipSpec> spec =
        loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/h100.json");
    ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
    target = createGpuTarget(std::move(*spec));
  }

  CostEstimate estimate(const std::string &args, const std::string &body) {
    module = parse(args, body);
    EXPECT_TRUE(module) << messages;
    return target->estimate(firstKernel(*module));
  }

  std::string matmul(int64_t m, int64_t n, int64_t k, const char *in,
                     const char *out) {
    auto t = [&](int64_t a, int64_t b, const char *e) {
      return "tensor<" + std::to_string(a) + "x" + std::to_string(b) + "x" + e +
             ">";
    };
    return "%c = wl.matmul %a, %b : (" + t(m, k, in) + ", " + t(k, n, in) +
           ") -> " + t(m, n, out);
  }
  std::string args(int64_t m, int64_t n, int64_t k, const char *in) {
    return "%a: tensor<" + std::to_string(m) + "x" + std::to_string(k) + "x" +
           in + ">, %b: tensor<" + std::to_string(k) + "x" + std::to_string(n) +
           "x" + in + ">";
  }

  std::unique_ptr<Target> target;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

TEST_F(GpuCost, LargeBF16MatmulIsComputeBoundNearPeakTimesEfficiency) {
  CostEstimate e = estimate(args(4096, 4096, 4096, "bf16"),
                            matmul(4096, 4096, 4096, "bf16", "bf16"));
  // 32 x 32 = 1024 tiles in ceil(1024 / 132) = 8 waves; one tile is
  // 2*128*128*4096 FLOPs at 989e12 / 132 * 0.803 FLOP/s per SM.
  double tile = 2.0 * 128 * 128 * 4096 / (989e12 / 132 * 0.803);
  double compute = 8 * tile;
  // = 2*4096^3 / (989e12 * 0.803) * (8*132/1024): wave quantisation 3.1%.
  EXPECT_NEAR(compute, 2.0 * 4096 * 4096 * 4096 / (989e12 * 0.803) * 1.03125,
              1e-12);
  EXPECT_EQ(e.bound, Bound::Compute);
  EXPECT_NEAR(e.seconds, compute + 5e-6, 1e-12);
  EXPECT_DOUBLE_EQ(e.paddingWaste, 0.0);
  EXPECT_NEAR(e.utilization, 2.0 * 4096 * 4096 * 4096 / (e.seconds * 989e12),
              1e-12);
  // Power: 11.5% of 700 W idle, plus the rest times the share of the time
  // the tensor cores are busy (all but the 5 us launch): about 696 W.
  double busy = compute / (compute + 5e-6);
  EXPECT_NEAR(e.joules, 700 * (0.115 + 0.885 * busy) * e.seconds, 1e-12);
  EXPECT_NEAR(e.dollars, 6.88 / 3600 * e.seconds, 1e-15);
  EXPECT_TRUE(e.feasible);
  // The explanation names the figures it used.
  EXPECT_NE(e.explanation.find("1024 tiles of 128x128 (K' 4096) in 8 waves "
                               "over 132 SMs"),
            std::string::npos)
      << e.explanation;
  EXPECT_NE(e.explanation.find("tensor cores bf16 at 989 TFLOP/s x 0.803"),
            std::string::npos)
      << e.explanation;
}

TEST_F(GpuCost, ContractionDimensionPadsToTheKStep) {
  // K = 129 pads to 192 (three steps of 64): 1 - 129/192 of the MACs wasted.
  CostEstimate e = estimate(args(1024, 1024, 129, "bf16"),
                            matmul(1024, 1024, 129, "bf16", "f32"));
  EXPECT_DOUBLE_EQ(e.paddingWaste, 1.0 - 129.0 / 192.0);
}

TEST_F(GpuCost, RowsPadToTheCtaTile) {
  // M = 129 pads to 256: 1 - 129/256.
  CostEstimate e = estimate(args(129, 1024, 1024, "bf16"),
                            matmul(129, 1024, 1024, "bf16", "bf16"));
  EXPECT_DOUBLE_EQ(e.paddingWaste, 1.0 - 129.0 / 256.0);
}

TEST_F(GpuCost, ConvolutionIsAnImplicitGemm) {
  // ResNet 3x3 conv 56x56x64 -> 64: M = 3136 -> 3200, N = 64 -> 128,
  // K = 3*3*64 = 576 (a multiple of 64).
  CostEstimate e =
      estimate("%x: tensor<1x56x56x64xbf16>, %w: tensor<3x3x64x64xbf16>",
               "%y = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : "
               "(tensor<1x56x56x64xbf16>, tensor<3x3x64x64xbf16>) -> "
               "tensor<1x56x56x64xf32>");
  EXPECT_DOUBLE_EQ(e.paddingWaste, 1.0 - (3136.0 * 64) / (3200.0 * 128));
}

TEST_F(GpuCost, TinyAddIsOverheadBound) {
  CostEstimate e =
      estimate("%a: tensor<1xf32>", "%c = wl.add %a, %a : (tensor<1xf32>, "
                                    "tensor<1xf32>) -> tensor<1xf32>");
  EXPECT_EQ(e.bound, Bound::Overhead);
  EXPECT_NEAR(e.seconds, 5e-6, 1e-9);
  // Nothing is busy during a launch: the H100 draws its idle share, 0.115
  // x 700 W = 80.5 W (plus the 8 bytes' and the FLOP's slivers).
  EXPECT_NEAR(e.joules / e.seconds, 80.5, 0.01);
}

TEST_F(GpuCost, LargeElementwiseIsMemoryBound) {
  // relu of 2^26 f32: reads and writes 2^28 bytes once each at
  // 3350e9 * 0.82 B/s.
  CostEstimate e = estimate("%a: tensor<67108864xf32>",
                            "%c = wl.relu %a : tensor<67108864xf32>");
  double memory = 2.0 * 268435456 / (3350e9 * 0.82);
  EXPECT_EQ(e.bound, Bound::Memory);
  EXPECT_NEAR(e.seconds, memory + 5e-6, 1e-12);
  EXPECT_NEAR(e.utilization, 2.0 * 268435456 / (e.seconds * 3350e9), 1e-12);
  // HBM busy all but the launch; the CUDA cores (2^26 FLOPs at 66.9
  // TFLOP/s) barely: power 700 x (0.115 + 0.885 x 0.64 x busy) W, about
  // 475 W, not the 700 W of board power.
  double busy = memory / (memory + 5e-6);
  EXPECT_NEAR(e.joules, 700 * (0.115 + 0.885 * 0.64 * busy) * e.seconds, 1e-12);
}

TEST_F(GpuCost, MatrixVectorProductReadsItsMatrixOnce) {
  // 1 x 32768 x 4096 bf16: the 256 MiB weight exceeds the 50 MB L2, but
  // one row of tiles meets each of its elements once: read once, 2 x 4096
  // + 2 x 4096 x 32768 bytes, the result 2 x 32768, at 3350e9 x 0.82 B/s.
  // The tensor cores' 256 tiles of 128x128x4096 take 2 waves, 44.6 us:
  // memory-bound (97.7 us).
  CostEstimate gemv = estimate(args(1, 32768, 4096, "bf16"),
                               matmul(1, 32768, 4096, "bf16", "bf16"));
  double once =
      (2.0 * 4096 + 2.0 * 4096 * 32768 + 2.0 * 32768) / (3350e9 * 0.82);
  EXPECT_EQ(gemv.bound, Bound::Memory);
  EXPECT_NEAR(gemv.seconds, once + 5e-6, 1e-12);
  EXPECT_NE(gemv.explanation.find("(operands read once)"), std::string::npos)
      << gemv.explanation;
  // 129 rows (two rows of tiles) re-read it: read twice.
  CostEstimate two = estimate(args(129, 32768, 4096, "bf16"),
                              matmul(129, 32768, 4096, "bf16", "bf16"));
  double twice =
      (2 * (2.0 * 129 * 4096 + 2.0 * 4096 * 32768) + 2.0 * 129 * 32768) /
      (3350e9 * 0.82);
  EXPECT_EQ(two.bound, Bound::Memory);
  EXPECT_NEAR(two.seconds, twice + 5e-6, 1e-12);
  EXPECT_NE(two.explanation.find("assumed read twice"), std::string::npos)
      << two.explanation;
}

TEST_F(GpuCost, ElementTypeSelectsThePeak) {
  CostEstimate bf16 = estimate(args(8192, 8192, 8192, "bf16"),
                               matmul(8192, 8192, 8192, "bf16", "bf16"));
  CostEstimate f8 = estimate(args(8192, 8192, 8192, "f8E4M3FN"),
                             matmul(8192, 8192, 8192, "f8E4M3FN", "f32"));
  CostEstimate f32 = estimate(args(8192, 8192, 8192, "f32"),
                              matmul(8192, 8192, 8192, "f32", "f32"));
  // FP8 tensor cores: 1979 at 0.709 vs 989 at 0.803 (same tiles and waves).
  EXPECT_NEAR((bf16.seconds - 5e-6) / (f8.seconds - 5e-6),
              (1979 * 0.709) / (989 * 0.803), 1e-9);
  // f32 operands run on the CUDA cores at 66.9 TFLOP/s, in 8x4 blocks a
  // thread (GpuSchedule.h). A warp's 32 lanes take 16 column blocks of 2
  // row blocks: a step loads 2 sectors of each of its 8 rows of A and 2 of
  // each of its 4 columns of B, 24 sectors (192 lanes' loads) for 32 x 32
  // FMAs. At a quarter of the FMA rate (load_efficiency 0.25) the loads
  // take 192/1024 x 4 = 0.75 times the FMAs' 2 x 8192^3 / 66.9e12 s: 1.75
  // times it in all (the 8192 steps in 21 waves at 17.5 ns, 3 ms, are
  // shorter).
  EXPECT_NEAR(f32.seconds - 5e-6, 1.75 * 2.0 * 8192 * 8192 * 8192 / 66.9e12,
              1e-9);
  EXPECT_LT(f8.seconds, bf16.seconds);
  EXPECT_LT(bf16.seconds, f32.seconds);
}

TEST_F(GpuCost, MonotoneInProblemSize) {
  double last = 0;
  for (int64_t n : {128, 512, 2048, 8192}) {
    CostEstimate e =
        estimate(args(n, n, n, "bf16"), matmul(n, n, n, "bf16", "bf16"));
    EXPECT_GT(e.seconds, last) << n;
    last = e.seconds;
  }
}

TEST_F(GpuCost, KernelLargerThanDeviceMemoryIsInfeasible) {
  // Two 200000x200000 bf16 operands are 160 GB, twice an H100's 80 GB.
  CostEstimate e = estimate(args(200000, 200000, 200000, "bf16"),
                            matmul(200000, 200000, 200000, "bf16", "bf16"));
  EXPECT_FALSE(e.feasible);
  EXPECT_NE(e.explanation.find("infeasible"), std::string::npos);
}

} // namespace
