//===- TpuCostModelTest.cpp - The tpu family's cost model -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the TPU cost model against hand-computed estimates:
// MXU-shaped padding (128 on v5e/v5p, 256 on v6e, 8-row streaming), VMEM
// tiling and its HBM re-reads, per-step overhead.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "targets/tpu/TpuTarget.h"

#include "gtest/gtest.h"

using namespace fungible;
using namespace fungible::testing;

namespace {

class TpuCost : public ::testing::Test, public WorkloadFixture {
protected:
  std::unique_ptr<Target> target(const char *id) {
    llvm::Expected<ChipSpec> spec =
        loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/" + id + ".json");
    EXPECT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
    return createTpuTarget(std::move(*spec));
  }

  CostEstimate estimate(const char *id, int64_t m, int64_t n, int64_t k) {
    auto t = [](int64_t a, int64_t b) {
      return "tensor<" + std::to_string(a) + "x" + std::to_string(b) + "xbf16>";
    };
    module = parse("%a: " + t(m, k) + ", %b: " + t(k, n),
                   "%c = wl.matmul %a, %b : (" + t(m, k) + ", " + t(k, n) +
                       ") -> " + t(m, n));
    EXPECT_TRUE(module) << messages;
    return target(id)->estimate(firstKernel(*module));
  }

  /// The estimate on v5e of GPT-2's causal attention: 12 heads of 1024
  /// queries and keys over 64, of element type `elem`.
  CostEstimate gpt2Attention(const std::string &elem) {
    std::string type = "tensor<12x1024x64x" + elem + ">";
    module = parse("%q: " + type + ", %k: " + type + ", %v: " + type,
                   "%y = wl.attention %q, %k, %v {causal} : (" + type + ", " +
                       type + ", " + type + ") -> " + type);
    EXPECT_TRUE(module) << messages;
    return target("tpu-v5e")->estimate(firstKernel(*module));
  }

  mlir::OwningOpRef<mlir::ModuleOp> module;
};

TEST_F(TpuCost, ContractionDimensionPadsToTheMxu) {
  // K = 129 on a 128-wide MXU needs a second, nearly empty pass: ~50%.
  EXPECT_DOUBLE_EQ(estimate("tpu-v5p", 1024, 1024, 129).paddingWaste,
                   1.0 - 129.0 / 256.0);
}

TEST_F(TpuCost, RowsOnlyPadToTheStreamingGranularity) {
  // M = 129 rows pad to 136 (multiples of 8 sublanes), not to 256.
  EXPECT_DOUBLE_EQ(estimate("tpu-v5p", 129, 1024, 1024).paddingWaste,
                   1.0 - 129.0 / 136.0);
}

TEST_F(TpuCost, V6eHasA256WideMxu) {
  EXPECT_DOUBLE_EQ(estimate("tpu-v6e", 1024, 1024, 257).paddingWaste,
                   1.0 - 257.0 / 512.0);
  EXPECT_DOUBLE_EQ(estimate("tpu-v5p", 1024, 1024, 257).paddingWaste,
                   1.0 - 257.0 / 384.0);
}

TEST_F(TpuCost, VmemTilingAndReReads) {
  // v5e, 8192^3 bf16. Tile edges at most T, the largest multiple of 128
  // with double-buffered bf16 A and B, an f32 accumulator and a bf16 output
  // tile: (8 + 4 + 2) * T^2 <= 128e6 bytes: sqrt(128e6 / 14) = 3023 ->
  // T = 2944. M: the fewest blocks, 3, balanced: ceil(8192 / 3) = 2731 ->
  // 2736 rows (8 sublanes), 8208 rows computed. N and K: 3 blocks of 2816
  // would pad to 8448, 4 blocks of 2048 pad nothing: 4. A is read once per
  // column block (4 times), B once per row block (3), C written once;
  // 3 * 4 * 4 = 48 grid steps.
  CostEstimate e = estimate("tpu-v5e", 8192, 8192, 8192);
  double ab = 8192.0 * 8192 * 2;
  double traffic = 4 * ab + 3 * ab + ab;
  double compute = 2.0 * 8208 * 8192 * 8192 / (197e12 * 0.64);
  double memory = traffic / (819e9 * 0.8);
  double overhead = 2e-6 + 48 * 0.35e-6;
  EXPECT_LT(memory, compute);
  EXPECT_EQ(e.bound, Bound::Compute);
  EXPECT_NEAR(e.seconds, compute + overhead, 1e-12);
  EXPECT_DOUBLE_EQ(e.paddingWaste, 1.0 - 8192.0 / 8208.0);
  EXPECT_NE(e.explanation.find("VMEM tiles 2736x2048x2048"), std::string::npos)
      << e.explanation;
  // Power is unpublished for v5e: the estimate says so.
  EXPECT_NE(e.explanation.find("unsourced figures: "), std::string::npos);
  EXPECT_NE(e.explanation.find("power_watts"), std::string::npos);
}

TEST_F(TpuCost, TinyAddIsOverheadBoundOnTheVectorUnit) {
  module = parse("%a: tensor<1xf32>", "%c = wl.add %a, %a : (tensor<1xf32>, "
                                      "tensor<1xf32>) -> tensor<1xf32>");
  ASSERT_TRUE(module);
  CostEstimate e = target("tpu-v5p")->estimate(firstKernel(*module));
  EXPECT_EQ(e.bound, Bound::Overhead);
  EXPECT_NE(e.explanation.find("vector unit"), std::string::npos);
}

TEST_F(TpuCost, DepthwiseConvolutionRunsOnTheVectorUnit) {
  // A 3x3 depthwise convolution, 256 channels, 112x112 outputs, f32: the
  // lowering folds its 9 taps on the VPU (WindowReduction), each tap's
  // input window DMA'd once: 9 x 256 x (12544 outputs + 1 weight) x 4
  // bytes in, the 12544 x 256 x 4-byte output out, at 819 GB/s x 0.8 on
  // v5e; memory-bound. (A GEMM per channel on the MXU would pad each
  // channel's one column to 128.)
  module = parse("%x: tensor<1x114x114x256xf32>, %w: tensor<3x3x1x256xf32>",
                 "%y = wl.conv2d %x, %w {groups = 256 : i64} : "
                 "(tensor<1x114x114x256xf32>, tensor<3x3x1x256xf32>) -> "
                 "tensor<1x112x112x256xf32>");
  ASSERT_TRUE(module) << messages;
  CostEstimate e = target("tpu-v5e")->estimate(firstKernel(*module));
  double traffic = 9.0 * 256 * (12544 + 1) * 4 + 12544.0 * 256 * 4;
  double memory = traffic / (819e9 * 0.8);
  EXPECT_EQ(e.bound, Bound::Memory);
  EXPECT_NEAR(e.seconds, memory + 2e-6, 1e-12);
  EXPECT_DOUBLE_EQ(e.paddingWaste, 0.0);
  EXPECT_NE(e.explanation.find("depthwise 256x[12544 outputs x 9 taps] on "
                               "the vector unit"),
            std::string::npos)
      << e.explanation;
}

TEST_F(TpuCost, PoolingRereadsTheWindowPerTap) {
  // A 3x3 stride-2 max pool with padding, 64 channels, 112x112 -> 56x56,
  // f32: the lowering folds its 9 taps on the VPU (WindowReduction), each
  // tap's window of the input DMA'd: 9 x 200704 outputs x 4 bytes in (not
  // the input's 112 x 112 x 64 x 4 once), 200704 x 4 out, at 819 GB/s x
  // 0.8 on v5e; memory-bound.
  module = parse("%x: tensor<1x112x112x64xf32>",
                 "%y = wl.pool2d max %x {window = array<i64: 3, 3>, "
                 "strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, "
                 "1>} : tensor<1x112x112x64xf32> -> tensor<1x56x56x64xf32>");
  ASSERT_TRUE(module) << messages;
  CostEstimate e = target("tpu-v5e")->estimate(firstKernel(*module));
  double traffic = 9.0 * 200704 * 4 + 200704.0 * 4;
  EXPECT_EQ(e.bound, Bound::Memory);
  EXPECT_NEAR(e.seconds, traffic / (819e9 * 0.8) + 2e-6, 1e-12);
  EXPECT_NE(e.explanation.find("pooling [200704 outputs x 9 taps] on the "
                               "vector unit"),
            std::string::npos)
      << e.explanation;
}

/// An attention program's estimate on v5e: compute-bound at `seconds`, its
/// explained memory time that of `traffic` bytes, and `explained` in its
/// explanation.
void expectAttention(const CostEstimate &e, double seconds, double traffic,
                     const std::string &explained) {
  EXPECT_EQ(e.bound, Bound::Compute);
  EXPECT_NEAR(e.seconds, seconds, 1e-12);
  size_t at = e.explanation.find("memory ");
  ASSERT_NE(at, std::string::npos) << e.explanation;
  EXPECT_NEAR(std::stod(e.explanation.substr(at + 7)), traffic / (819e9 * 0.8),
              1e-10)
      << e.explanation;
  EXPECT_NE(e.explanation.find(explained), std::string::npos) << e.explanation;
}

/// GPT-2's attention (TpuCost::gpt2Attention) as one program on v5e, its
/// elements `bytes` wide, the MXU taking `mxuPasses` bf16 passes per
/// product: Q K^T and P V padded to 128 on the head and value dimensions,
/// the scaling and softmax (6 per score) on the VPU, Q, K, V and the
/// output moved once, 12 heads x 4 tiles of 256 rows at 0.35 us a step.
void expectGpt2Attention(const CostEstimate &e, double bytes,
                         double mxuPasses) {
  double scores = 12.0 * 1024 * 1024;
  double mxu = 2 * scores * (128 + 128) / (197e12 / mxuPasses * 0.64);
  double vector = 6 * scores / 12.31e12;
  double traffic =
      bytes * 12 * (1024 * 64 + 1024 * (64 + 64)) + bytes * 12 * 1024 * 64;
  expectAttention(e, mxu + vector + 2e-6 + 12 * 4 * 0.35e-6, traffic,
                  "attention 12x[1024 queries x 1024 keys] in tiles of 256 "
                  "query rows");
}

/// The arguments and body of a function computing wl.attention of `q`
/// with K and V of type `kv` and an additive mask of type `mask`.
std::pair<std::string, std::string> maskedAttention(const std::string &q,
                                                    const std::string &kv,
                                                    const std::string &mask) {
  return {"%q: " + q + ", %k: " + kv + ", %v: " + kv + ", %m: " + mask,
          "%y = wl.attention %q, %k, %v mask %m : (" + q + ", " + kv + ", " +
              kv + ", " + mask + ") -> " + q};
}

TEST_F(TpuCost, AttentionKeepsTheScoresOnChip) {
  // GPT-2's attention, 12 heads of 1024 x 1024 causal scores over 64, f32,
  // on v5e (128 MB of VMEM): one program in tiles of 256 query rows
  // (chooseMxuAttentionTiling), Q K^T padded to 256 x 128 x 1024 per tile
  // and P V to 256 x 1024 x 128; Q, K and V read once (K and V with each
  // head's first tile), the output written once; no scores in HBM.
  expectGpt2Attention(gpt2Attention("f32"), /*bytes=*/4, /*mxuPasses=*/3);
}

TEST_F(TpuCost, Bf16AttentionIsOneProgramAtTheBf16Rate) {
  // The same in bf16 (wl.attention's precision: bf16 products into f32,
  // the softmax in f32 on chip, the probabilities rounded to bf16): still
  // tiles of 256 rows, but the MXU at its bf16 rate (one pass, not 3) and
  // 2 bytes per element of Q, K, V and the output.
  expectGpt2Attention(gpt2Attention("bf16"), /*bytes=*/2, /*mxuPasses=*/1);
}

TEST_F(TpuCost, AttentionReadsItsMaskBesideTheScores) {
  // The same with GPT-2's mask passed as an argument (1024 x 1024,
  // broadcast over the heads): a tile of it is read beside each tile of
  // scores (12 x 1024 x 1024 f32 elements over the heads), one more FLOP
  // per score on the VPU, one more VMEM tile (256 rows still fit).
  std::string type = "tensor<12x1024x64xf32>", mask = "tensor<1024x1024xf32>";
  auto [args, body] = maskedAttention(type, type, mask);
  module = parse(args, body);
  ASSERT_TRUE(module) << messages;
  CostEstimate e = target("tpu-v5e")->estimate(firstKernel(*module));
  double scores = 12.0 * 1024 * 1024;
  double mxu = 2 * scores * (128 + 128) / (197e12 / 3 * 0.64);
  double vector = 7 * scores / 12.31e12; // scaling, mask and softmax
  double traffic = 4.0 * 12 * (1024 * 64 + 1024 * (64 + 64)) +
                   4.0 * 12 * 1024 * 64 + 4.0 * scores;
  expectAttention(e, mxu + vector + 2e-6 + 12 * 4 * 0.35e-6, traffic,
                  "in tiles of 256 query rows");
}

TEST_F(TpuCost, GroupedQueryAttentionReadsEachKeyValueHeadOnce) {
  // 2 key/value heads, each shared by 4 query heads of 256 rows over 64:
  // as the lowering runs it, 2 heads of 1024 query rows (the group folded
  // into the rows) in 4 tiles of 256, K and V read once per key/value
  // head, not once per query head. Compute-bound on v5e.
  std::string q = "tensor<2x4x256x64xf32>", kv = "tensor<2x1x256x64xf32>";
  module = parse("%q: " + q + ", %k: " + kv + ", %v: " + kv,
                 "%y = wl.attention %q, %k, %v : (" + q + ", " + kv + ", " +
                     kv + ") -> " + q);
  ASSERT_TRUE(module) << messages;
  CostEstimate e = target("tpu-v5e")->estimate(firstKernel(*module));
  double scores = 2.0 * 1024 * 256;
  double mxu = 2 * scores * (128 + 128) / (197e12 / 3 * 0.64);
  double vector = 6 * scores / 12.31e12;
  double traffic =
      4.0 * 2 * (1024 * 64 + 256 * (64 + 64)) + 4.0 * 2 * 1024 * 64;
  expectAttention(e, mxu + vector + 2e-6 + 2 * 4 * 0.35e-6, traffic,
                  "attention 2x[1024 queries x 256 keys] in tiles of 256 "
                  "query rows");
}

TEST_F(TpuCost, GroupedQueryMaskKeepsRowTilesWithinOneHead) {
  // 2 key/value heads, each shared by 2 query heads of 40 rows, and a
  // 40 x 256 mask shared by all heads: folded, 80 rows per key/value head
  // whose mask repeats every 40. All 80 fit in VMEM, but a tile must lie
  // within one head's 40 rows (the program reads the mask at the row
  // modulo 40): tiles of 40, the largest multiple of 8 dividing 40.
  std::string q = "tensor<2x2x40x64xf32>", kv = "tensor<2x1x256x64xf32>",
              mask = "tensor<40x256xf32>";
  auto [args, body] = maskedAttention(q, kv, mask);
  module = parse(args, body);
  ASSERT_TRUE(module) << messages;
  CostEstimate e = target("tpu-v5e")->estimate(firstKernel(*module));
  EXPECT_NE(e.explanation.find("attention 2x[80 queries x 256 keys] in tiles "
                               "of 40 query rows"),
            std::string::npos)
      << e.explanation;
  // Mask rows of 20: no multiple of 8 divides them, so the attention is
  // not one program (its GEMMs are priced as products of their own).
  std::string q20 = "tensor<2x2x20x64xf32>", mask20 = "tensor<20x256xf32>";
  auto [args20, body20] = maskedAttention(q20, kv, mask20);
  module = parse(args20, body20);
  ASSERT_TRUE(module) << messages;
  e = target("tpu-v5e")->estimate(firstKernel(*module));
  EXPECT_EQ(e.explanation.find("attention 2x["), std::string::npos)
      << e.explanation;
}

TEST_F(TpuCost, MonotoneAndFeasibility) {
  double last = 0;
  for (int64_t n : {256, 1024, 4096}) {
    CostEstimate e = estimate("tpu-v5p", n, n, n);
    EXPECT_GT(e.seconds, last);
    EXPECT_TRUE(e.feasible);
    last = e.seconds;
  }
  // 2 x 100000^2 bf16 = 40 GB does not fit v5e's 16 GB.
  EXPECT_FALSE(estimate("tpu-v5e", 100000, 100000, 100000).feasible);
}

} // namespace
