//===- TrainiumCostModelTest.cpp - The trainium family's model --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the Trainium cost model against hand-computed estimates
// on trn2 (8 NeuronCores, TensorEngine 128x128 at 2.4 GHz, 28 MB SBUF per
// core, 2.9 TB/s HBM, 368 GB/s DMA per core, engine efficiency 0.9).
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "targets/trainium/TrainiumTarget.h"

#include "gtest/gtest.h"

using namespace fungible;
using namespace fungible::testing;

namespace {

class TrainiumCost : public ::testing::Test, public WorkloadFixture {
protected:
  void SetUp() override {
    llvm::Expected<ChipSpec> spec =
        loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/trn2.json");
    ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
    target = createTrainiumTarget(std::move(*spec));
  }

  CostEstimate run(const std::string &args, const std::string &body) {
    module = parse(args, body);
    EXPECT_TRUE(module) << messages;
    return target->estimate(firstKernel(*module));
  }

  /// Checks the estimate of GPT-2's causal attention (12 heads of 1024
  /// queries and keys over 64) of element type `elem` (`bytes` each) as
  /// one program whose TensorEngine passes run `slowdown` times slower
  /// than bf16's (AttentionKeepsTheScoresOnChip says how it is priced).
  void expectGpt2Attention(const std::string &elem, double bytes,
                           double slowdown) {
    std::string type = "tensor<12x1024x64x" + elem + ">";
    CostEstimate e = run("%q: " + type + ", %k: " + type + ", %v: " + type,
                         "%y = wl.attention %q, %k, %v {causal} : (" + type +
                             ", " + type + ", " + type + ") -> " + type);
    double steps = 12.0 * 8 * 8;
    double compute =
        steps * (128 + 128 + 64) * slowdown / (2.4e9 * 8 * 0.9) +
        (2 * steps * 128 * 128 + 6 * 12.0 * 1024 * 1024) / (8e12 * 0.9);
    double traffic =
        bytes * 12 * (1024 * 64 + 1024 * (64 + 64)) + bytes * 12 * 1024 * 64;
    EXPECT_GT(compute, traffic / (2900e9 * 0.25));
    EXPECT_EQ(e.bound, Bound::Compute);
    EXPECT_NEAR(e.seconds, compute + 1.3e-6, 1e-12);
    EXPECT_NE(e.explanation.find("attention 12x[1024 queries x 1024 keys] in "
                                 "tiles of 128 query rows by 8 key blocks, "
                                 "the scores in SBUF, K and V read once per "
                                 "head"),
              std::string::npos)
        << e.explanation;
  }

  CostEstimate matmul(int64_t m, int64_t n, int64_t k, const char *e) {
    auto t = [&](int64_t a, int64_t b) {
      return "tensor<" + std::to_string(a) + "x" + std::to_string(b) + "x" + e +
             ">";
    };
    return run("%a: " + t(m, k) + ", %b: " + t(k, n),
               "%c = wl.matmul %a, %b : (" + t(m, k) + ", " + t(k, n) +
                   ") -> " + t(m, n));
  }

  std::unique_ptr<Target> target;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

TEST_F(TrainiumCost, ContractionOf129NeedsASecondPartitionPass) {
  // K = 129 over 128 partitions: two passes, the second nearly empty.
  EXPECT_DOUBLE_EQ(matmul(1024, 1024, 129, "bf16").paddingWaste,
                   1.0 - 129.0 / 256.0);
}

TEST_F(TrainiumCost, NarrowMovingTilesWasteIssueCycles) {
  // N = 32 still costs max(32, 64) = 64 cycles per matmul: half wasted.
  EXPECT_DOUBLE_EQ(matmul(128, 32, 128, "bf16").paddingWaste, 0.5);
}

TEST_F(TrainiumCost, LargeBF16Gemm) {
  // 4096^3: 32 x 32 stationary/partition tiles, 8 moving tiles of 512
  // columns each issuing every 512 cycles: 1024 * 4096 cycles over 8 cores.
  CostEstimate e = matmul(4096, 4096, 4096, "bf16");
  double compute = 1024.0 * 4096 / (2.4e9 * 8 * 0.9);
  // SBUF tile: largest multiple of 128 with 12 T^2 <= 28e6: 1408; 3 blocks
  // per dim, A and B each read 3 times, C written once; DMA at
  // min(2900, 8 * 368) GB/s with 4 KiB per partition (saturated).
  double ab = 4096.0 * 4096 * 2;
  double memory = (3 * ab + 3 * ab + ab) / 2900e9;
  EXPECT_LT(memory, compute);
  EXPECT_EQ(e.bound, Bound::Compute);
  EXPECT_NEAR(e.seconds, compute + 1.3e-6, 1e-12);
  EXPECT_DOUBLE_EQ(e.paddingWaste, 0.0);
  EXPECT_NE(e.explanation.find("8192 TensorEngine matmuls"), std::string::npos)
      << e.explanation;
}

TEST_F(TrainiumCost, Fp32InputsRunFourTimesSlower) {
  CostEstimate bf16 = matmul(2048, 2048, 2048, "bf16");
  CostEstimate f32 = matmul(2048, 2048, 2048, "f32");
  EXPECT_NEAR((f32.seconds - 1.3e-6) / (bf16.seconds - 1.3e-6), 4.0, 1e-9);
}

TEST_F(TrainiumCost, LargeAddIsMemoryBoundAtDmaBandwidth) {
  // 2^24 f32 add: 3 * 2^26 bytes through DMA at 2900 GB/s.
  CostEstimate e = run("%a: tensor<16777216xf32>",
                       "%c = wl.add %a, %a : (tensor<16777216xf32>, "
                       "tensor<16777216xf32>) -> tensor<16777216xf32>");
  EXPECT_EQ(e.bound, Bound::Memory);
  EXPECT_NEAR(e.seconds, 3.0 * 67108864 / 2900e9 + 1.3e-6, 1e-12);
}

TEST_F(TrainiumCost, SmallTransfersAreDerated) {
  // 4096 f32 in and out: 256 bytes per partition, below 4 KiB: the DMA
  // efficiency floors at 1/4.
  CostEstimate e =
      run("%a: tensor<4096xf32>", "%c = wl.relu %a : tensor<4096xf32>");
  double memory = 2.0 * 16384 / (2900e9 * 0.25);
  EXPECT_NEAR(e.seconds, std::max(memory, 4096.0 / (8e12 * 0.9)) + 1.3e-6,
              1e-15);
}

TEST_F(TrainiumCost, PoolingRereadsTheWindowPerTap) {
  // A 3x3 stride-2 max pool with padding, 64 channels, 112x112 -> 56x56,
  // f32: one Vector engine op per tap (accumulator and window: 2 x 9 x
  // 200704 element reads at 8 TFLOP/s x 0.9), each tap's window DMA'd: 9 x
  // 200704 x 4 bytes in and 200704 x 4 out at 2900 GB/s (62720 bytes per
  // partition: full DMA efficiency). Memory-bound.
  CostEstimate e = run("%x: tensor<1x112x112x64xf32>",
                       "%y = wl.pool2d max %x {window = array<i64: 3, 3>, "
                       "strides = array<i64: 2, 2>, padding = array<i64: "
                       "1, 1, 1, 1>} : tensor<1x112x112x64xf32> -> "
                       "tensor<1x56x56x64xf32>");
  double memory = (9.0 * 200704 * 4 + 200704.0 * 4) / 2900e9;
  double compute = 2.0 * 9 * 200704 / (8e12 * 0.9);
  EXPECT_LT(compute, memory);
  EXPECT_EQ(e.bound, Bound::Memory);
  EXPECT_NEAR(e.seconds, memory + 1.3e-6, 1e-12);
  EXPECT_NE(e.explanation.find("pooling [200704 outputs x 9 taps] on the "
                               "Vector engine"),
            std::string::npos)
      << e.explanation;
}

TEST_F(TrainiumCost, AttentionKeepsTheScoresOnChip) {
  // GPT-2's attention, 12 heads of 1024 x 1024 causal scores over 64, f32,
  // on trn2: one program per tile of 128 query rows, 8 blocks of 128 keys
  // per tile, 768 (head, tile, block) steps of three TensorEngine passes
  // (the scores: 128 wide; the probabilities transposed: 128 wide; into
  // the product with V: 64 wide), fp32 at a quarter rate, over 8 cores x
  // 2.4 GHz x 0.9. The Vector engine copies the scores and the transposes
  // out of PSUM (2 x 768 x 128 x 128) besides the scaling and softmax (6
  // per score). DMA: Q, K and V once (K and V with each head's first
  // tile), the output once, in 128-column blocks (512 bytes per partition:
  // the lowest DMA efficiency, 1/4). Compute-bound.
  expectGpt2Attention("f32", 4, 4);
}

TEST_F(TrainiumCost, Bf16AttentionIsOneProgramAtTheBf16Rate) {
  // The same in bf16 (wl.attention's precision: bf16 products into f32
  // PSUM, the softmax in f32, the probabilities rounded to bf16 before
  // their transpose): the same steps, the TensorEngine passes at full
  // rate, the Vector engine's work unchanged, half the DMA bytes.
  expectGpt2Attention("bf16", 2, 1);
}

TEST_F(TrainiumCost, GroupedQueryMaskKeepsRowTilesWithinOneHead) {
  // 2 key/value heads, each shared by 2 query heads of 100 rows, and a
  // 100 x 256 mask shared by all heads: folded, 200 rows per key/value
  // head whose mask repeats every 100. A tile must lie within one head's
  // rows (the program reads the mask at the row modulo 100): tiles of 100
  // partitions, not 128. Without the mask, 128.
  std::string q = "tensor<2x2x100x64xf32>", kv = "tensor<2x1x256x64xf32>",
              mask = "tensor<100x256xf32>";
  CostEstimate e =
      run("%q: " + q + ", %k: " + kv + ", %v: " + kv + ", %m: " + mask,
          "%y = wl.attention %q, %k, %v mask %m : (" + q + ", " + kv + ", " +
              kv + ", " + mask + ") -> " + q);
  EXPECT_NE(e.explanation.find("attention 2x[200 queries x 256 keys] in "
                               "tiles of 100 query rows by 2 key blocks"),
            std::string::npos)
      << e.explanation;
  e = run("%q: " + q + ", %k: " + kv + ", %v: " + kv,
          "%y = wl.attention %q, %k, %v : (" + q + ", " + kv + ", " + kv +
              ") -> " + q);
  EXPECT_NE(e.explanation.find("attention 2x[200 queries x 256 keys] in "
                               "tiles of 128 query rows by 2 key blocks"),
            std::string::npos)
      << e.explanation;
}

TEST_F(TrainiumCost, AttentionReadsItsMaskBesideTheScores) {
  // The same with GPT-2's mask passed as an argument (1024 x 1024,
  // broadcast over the heads): each key block's mask tile is read beside
  // its scores, 12 x 1024 x 1024 f32 elements over the heads, which makes
  // it memory-bound; one more FLOP per score on the Vector engine.
  std::string type = "tensor<12x1024x64xf32>", mask = "tensor<1024x1024xf32>";
  CostEstimate e =
      run("%q: " + type + ", %k: " + type + ", %v: " + type + ", %m: " + mask,
          "%y = wl.attention %q, %k, %v mask %m : (" + type + ", " + type +
              ", " + type + ", " + mask + ") -> " + type);
  double steps = 12.0 * 8 * 8, scores = 12.0 * 1024 * 1024;
  double compute = steps * (128 + 128 + 64) * 4 / (2.4e9 * 8 * 0.9) +
                   (2 * steps * 128 * 128 + 7 * scores) / (8e12 * 0.9);
  double traffic = 4.0 * 12 * (1024 * 64 + 1024 * (64 + 64)) +
                   4.0 * 12 * 1024 * 64 + 4.0 * scores;
  double memory = traffic / (2900e9 * 0.25);
  EXPECT_GT(memory, compute);
  EXPECT_EQ(e.bound, Bound::Memory);
  EXPECT_NEAR(e.seconds, memory + 1.3e-6, 1e-12);
}

TEST_F(TrainiumCost, TinyAddIsOverheadBound) {
  CostEstimate e = run("%a: tensor<1xf32>", "%c = wl.add %a, %a : "
                                            "(tensor<1xf32>, tensor<1xf32>) "
                                            "-> tensor<1xf32>");
  EXPECT_EQ(e.bound, Bound::Overhead);
}

} // namespace
