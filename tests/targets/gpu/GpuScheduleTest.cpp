//===- GpuScheduleTest.cpp - The GPU lowering's schedule, priced -*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks scheduleOnCudaCores (GpuSchedule.h) on contractions
// worked out by hand from GpuFusion's and SimtMatmul's rules; the CTA
// counts are those of the lowered kernels' launches (the launch plans of
// `scripts/gpu-check.sh prepare` for the models named), and
// tests/targets/gpu/schedule.mlir checks them against the lowering itself.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "dialects/Workload/WorkloadOps.h"
#include "targets/gpu/GpuSchedule.h"

#include "gtest/gtest.h"

using namespace fungible;
using namespace fungible::testing;
using namespace fungible::gpu_kernels;

namespace {

class GpuSchedule : public ::testing::Test, public WorkloadFixture {
protected:
  /// The schedule of the first contraction of the first kernel of a
  /// function with `args` and `body`.
  CudaCoreSchedule schedule(const std::string &args, const std::string &body) {
    module = parse(args, body);
    EXPECT_TRUE(module) << messages;
    std::optional<CudaCoreSchedule> found;
    module->walk([&](mlir::Operation *op) {
      if (!found)
        found = scheduleOnCudaCores(op);
    });
    EXPECT_TRUE(found.has_value());
    return found.value_or(CudaCoreSchedule());
  }

  /// The schedule of the first attention of a function with `args` and
  /// `body`; no op of it has a contraction's schedule.
  AttentionSchedule attention(const std::string &args,
                              const std::string &body) {
    module = parse(args, body);
    EXPECT_TRUE(module) << messages;
    std::optional<AttentionSchedule> found;
    module->walk([&](mlir::Operation *op) {
      if (!found)
        found = scheduleAttentionOnCudaCores(op);
      EXPECT_FALSE(scheduleOnCudaCores(op).has_value());
    });
    EXPECT_TRUE(found.has_value());
    return found.value_or(AttentionSchedule());
  }

  mlir::OwningOpRef<mlir::ModuleOp> module;
};

TEST(GpuScheduleRules, BlockShapeHalvesTheWiderSideUntilEveryThreadHasOne) {
  // 64 x 64 outputs over 128 threads: 8x8 makes 64 blocks, 8x4 makes 128.
  EXPECT_EQ(blockShape(64, 64, 128), (std::pair<int64_t, int64_t>{8, 4}));
  // One row of 64: 1x8, 1x4, 1x2, 1x1 (64 blocks: no smaller block).
  EXPECT_EQ(blockShape(1, 64, 128), (std::pair<int64_t, int64_t>{1, 1}));
  // 1568 rows of one column: 8x1 already makes 196 blocks.
  EXPECT_EQ(blockShape(1568, 1, 128), (std::pair<int64_t, int64_t>{8, 1}));
}

TEST(GpuScheduleRules, TilesShrinkTheWidestLoopToEnoughTiles) {
  EXPECT_EQ(largestDivisorAtMost(56, 64), 56);
  EXPECT_EQ(largestDivisorAtMost(40, 20), 20);
  EXPECT_EQ(largestDivisorAtMost(97, 64), 1);
  // The TOSA transformer's 40 x 1536 projection in 40 x 64 tiles is 24
  // tiles; the wider halves each time: 64 -> 32 (48 tiles), 40 -> 20 (96),
  // 32 -> 16 (192), 20 -> 10 (384, its launch plan's grid).
  llvm::SmallVector<int64_t> ranges = {40, 1536}, sizes = {40, 64};
  shrinkToEnoughTiles(ranges, {0, 1}, sizes, {1, 0}, /*widestFirst=*/true);
  EXPECT_EQ(sizes, (llvm::SmallVector<int64_t>{10, 16}));
}

TEST_F(GpuSchedule, LargeMatmulTakes64x64TilesOf8x4Blocks) {
  // The Llama block's f32 up projection: 2048 x 14336 over K = 4096 in
  // 32 x 224 = 7168 CTAs (its launch plan's grid), 8x4 outputs a thread.
  CudaCoreSchedule s =
      schedule("%a: tensor<2048x4096xf32>, %b: tensor<4096x14336xf32>",
               "%c = wl.matmul %a, %b : (tensor<2048x4096xf32>, "
               "tensor<4096x14336xf32>) -> tensor<2048x14336xf32>");
  EXPECT_EQ(s.ctas, 7168);
  EXPECT_EQ(s.threads, 128);
  EXPECT_EQ(s.activeThreads, 128);
  EXPECT_EQ(s.blockRows, 8);
  EXPECT_EQ(s.blockCols, 4);
  EXPECT_EQ(s.rounds, 1);
  EXPECT_EQ(s.serialSteps(), 4096);
  EXPECT_DOUBLE_EQ(s.fmas(), 2048.0 * 14336 * 4096);
  // A warp: 16 column blocks (B's 16 x 4 adjacent columns: 2 sectors each
  // of the block's 4 columns) of 2 row blocks (one sector each of A's 2
  // rows for each of the block's 8): 24 sectors a step, 4 warps a CTA.
  EXPECT_DOUBLE_EQ(s.sectors(), 7168.0 * 4 * 4096 * 24);
}

TEST_F(GpuSchedule, AnOperandReadAcrossItsRowsCostsASectorALane) {
  // The TOSA transformer's down projection reads its weight transposed:
  // 10 x 16 tiles of one output a thread, so a warp's lanes take 16
  // columns of 2 rows, each column of B^T its own sector.
  CudaCoreSchedule s =
      schedule("%a: tensor<40x8960xf32>, %b: tensor<1536x8960xf32>",
               "%c = wl.matmul %a, %b {transpose_rhs} : (tensor<40x8960xf32>, "
               "tensor<1536x8960xf32>) -> tensor<40x1536xf32>");
  EXPECT_EQ(s.ctas, 384);
  EXPECT_EQ(s.tileRows, 10);
  EXPECT_EQ(s.tileCols, 16);
  EXPECT_EQ(s.blockRows, 1);
  EXPECT_EQ(s.blockCols, 1);
  EXPECT_FALSE(s.colsAdjacent);
  EXPECT_EQ(s.rounds, 2);
  // 160 blocks: 128 threads in 2 rounds; a step loads 2 sectors of A
  // (rows) and 16 of B^T.
  EXPECT_DOUBLE_EQ(s.sectors(), 384.0 * 4 * 2 * 8960 * (2 + 16));
}

TEST_F(GpuSchedule, MatrixVectorProductSplitsItsReductionOverLanes) {
  // VGG-11's first classifier layer: one row of 4096 over K = 25088. K is
  // split into 128 lanes of 196 steps (GpuFusion's isThinContraction), so
  // a tile of one output already has a thread for each partial sum: the
  // 1 x 64 tiles halve to 1 x 8 (512 tiles). A CTA's 8 x 128 partial sums
  // are one output each over 128 threads in 8 rounds, then 8 threads
  // combine an output's 128 lanes. (Unsplit, 64 CTAs of 64 threads each
  // walked all 25088 steps: 14.9 ms on an H100.)
  CudaCoreSchedule s =
      schedule("%a: tensor<1x25088xf32>, %b: tensor<25088x4096xf32>",
               "%c = wl.matmul %a, %b : (tensor<1x25088xf32>, "
               "tensor<25088x4096xf32>) -> tensor<1x4096xf32>");
  EXPECT_EQ(s.ctas, 512);
  EXPECT_EQ(s.splitLanes, 128);
  EXPECT_EQ(s.tileCols, 8);
  EXPECT_EQ(s.tileBatch, 128);
  EXPECT_EQ(s.activeThreads, 128);
  EXPECT_EQ(s.blockRows, 1);
  EXPECT_EQ(s.blockCols, 1);
  EXPECT_EQ(s.rounds, 8);
  EXPECT_EQ(s.depth, 196);
  EXPECT_EQ(s.combineSteps, 128);
  EXPECT_EQ(s.serialSteps(), 8 * 196 + 128);
  EXPECT_DOUBLE_EQ(s.fmas(), 4096.0 * 25088);
  // A warp: the 8 columns of 4 lanes (consecutive k): x's 4 elements in
  // one sector, W's 4 rows of 8 adjacent columns one sector each.
  EXPECT_DOUBLE_EQ(s.sectors(), 512.0 * 4 * 8 * 196 * (1 + 4));
}

TEST_F(GpuSchedule, AConvolutionOfOnePixelIsAMatrixVectorProduct) {
  // EfficientNet-B0's squeeze-excitation 1152 -> 48: a 1x1 filter on the
  // pooled pixel. K = 1152 in 128 lanes of 9 steps; tiles of one output
  // (48, as many as the outputs: fewer than 264 at any size), 128 partial
  // sums a CTA in one round, then one thread combines the 128 lanes.
  // (Unsplit: 2 CTAs of 24 threads walking 1152 steps, 93 us on an H100.)
  CudaCoreSchedule s =
      schedule("%x: tensor<1x1x1x1152xf32>, %w: tensor<1x1x1152x48xf32>",
               "%c = wl.conv2d %x, %w : (tensor<1x1x1x1152xf32>, "
               "tensor<1x1x1152x48xf32>) -> tensor<1x1x1x48xf32>");
  EXPECT_EQ(s.ctas, 48);
  EXPECT_EQ(s.splitLanes, 128);
  EXPECT_EQ(s.tileCols, 1);
  EXPECT_EQ(s.tileBatch, 128);
  EXPECT_EQ(s.activeThreads, 128);
  EXPECT_EQ(s.rounds, 1);
  EXPECT_EQ(s.depth, 9);
  EXPECT_EQ(s.combineSteps, 128);
  EXPECT_EQ(s.serialSteps(), 9 + 128);
  EXPECT_DOUBLE_EQ(s.fmas(), 48.0 * 1152);
  // A warp: one column of 32 lanes (consecutive channels): the pixel's 32
  // in 4 sectors, the filter's 32 rows of one column a sector each.
  EXPECT_DOUBLE_EQ(s.sectors(), 48.0 * 4 * 9 * (4 + 32));
  // Two pixels, or a 3x3 filter, is a convolution still; so is one whose
  // channels do not split (96).
  EXPECT_EQ(schedule("%x: tensor<1x2x1x1152xf32>, %w: tensor<1x1x1152x48xf32>",
                     "%c = wl.conv2d %x, %w : (tensor<1x2x1x1152xf32>, "
                     "tensor<1x1x1152x48xf32>) -> tensor<1x2x1x48xf32>")
                .splitLanes,
            0);
  EXPECT_EQ(schedule("%x: tensor<1x3x3x512xf32>, %w: tensor<3x3x512x48xf32>",
                     "%c = wl.conv2d %x, %w : (tensor<1x3x3x512xf32>, "
                     "tensor<3x3x512x48xf32>) -> tensor<1x1x1x48xf32>")
                .splitLanes,
            0);
  EXPECT_EQ(schedule("%x: tensor<1x1x1x96xf32>, %w: tensor<1x1x96x24xf32>",
                     "%c = wl.conv2d %x, %w : (tensor<1x1x1x96xf32>, "
                     "tensor<1x1x96x24xf32>) -> tensor<1x1x1x24xf32>")
                .splitLanes,
            0);
}

TEST_F(GpuSchedule, ShortOrManyRowedProductsAreNotSplit) {
  // K = 200 has no lanes (not a multiple of 32 of at least 256); two rows
  // are not a matrix-vector product.
  EXPECT_EQ(schedule("%a: tensor<1x200xf32>, %b: tensor<200x512xf32>",
                     "%c = wl.matmul %a, %b : (tensor<1x200xf32>, "
                     "tensor<200x512xf32>) -> tensor<1x512xf32>")
                .splitLanes,
            0);
  EXPECT_EQ(schedule("%a: tensor<2x4096xf32>, %b: tensor<4096x512xf32>",
                     "%c = wl.matmul %a, %b : (tensor<2x4096xf32>, "
                     "tensor<4096x512xf32>) -> tensor<2x512xf32>")
                .splitLanes,
            0);
  // A transposed weight (a linear layer's [out, in]): K = 512 in 32 lanes
  // of 16 steps; 1024 outputs in tiles of 4 (4 x 32 partial sums: 256
  // CTAs). A warp is 4 columns of 8 lanes (consecutive k): x's 8
  // elements in one sector, and each of the 4 rows of W^T's 8 in one.
  CudaCoreSchedule t =
      schedule("%a: tensor<1x512xf32>, %b: tensor<1024x512xf32>",
               "%c = wl.matmul %a, %b {transpose_rhs} : (tensor<1x512xf32>, "
               "tensor<1024x512xf32>) -> tensor<1x1024xf32>");
  EXPECT_EQ(t.splitLanes, 32);
  EXPECT_EQ(t.ctas, 256);
  EXPECT_EQ(t.tileCols, 4);
  EXPECT_EQ(t.rounds, 1);
  EXPECT_EQ(t.serialSteps(), 16 + 32);
  EXPECT_DOUBLE_EQ(t.sectors(), 256.0 * 4 * 16 * (1 + 4));
}

TEST_F(GpuSchedule, TheKernelsResultIsTiledAndTheConvolutionFollowsIt) {
  // ResNet-50's 1x1 expansion with its NCHW result: the tile is the
  // transposed result's (56 x 56 rows and columns of a channel, halved to
  // 56 x 28 for 512 tiles), so a CTA computes 1568 pixels of one filter:
  // 8x1 blocks, 196 of them over 128 threads in 2 rounds of 64 steps.
  CudaCoreSchedule s = schedule(
      "%x: tensor<1x56x56x64xf32>, %w: tensor<1x1x64x256xf32>",
      "%y = wl.kernel \"conv\"(%x, %w) : (tensor<1x56x56x64xf32>, "
      "tensor<1x1x64x256xf32>) -> tensor<1x256x56x56xf32> {\n"
      "^bb0(%i: tensor<1x56x56x64xf32>, %f: tensor<1x1x64x256xf32>):\n"
      "  %c = wl.conv2d %i, %f : (tensor<1x56x56x64xf32>, "
      "tensor<1x1x64x256xf32>) -> tensor<1x56x56x256xf32>\n"
      "  %r = wl.relu %c : tensor<1x56x56x256xf32>\n"
      "  %t = wl.transpose %r perm = [0, 3, 1, 2] : tensor<1x56x56x256xf32> "
      "-> tensor<1x256x56x56xf32>\n"
      "  wl.yield %t : tensor<1x256x56x56xf32>\n"
      "}");
  EXPECT_EQ(s.ctas, 512);
  EXPECT_EQ(s.tileRows, 1568);
  EXPECT_EQ(s.tileCols, 1);
  EXPECT_EQ(s.blockRows, 8);
  EXPECT_EQ(s.blockCols, 1);
  EXPECT_EQ(s.activeThreads, 128);
  EXPECT_EQ(s.rounds, 2);
  EXPECT_EQ(s.serialSteps(), 128);
}

TEST_F(GpuSchedule, DepthwiseChannelsAreTheBatchOfBlocks) {
  // 8 x 8 x 96 depthwise 3x3 (stride 2): 8 columns x 48 channels a tile
  // make 16 tiles; the channels shrink to 24 (32 tiles; 12 would leave
  // fewer than 128 points). Each tile: 8 pixels x 24 channels, one output
  // a thread: 192 blocks in 2 rounds of 9 taps.
  CudaCoreSchedule s = schedule(
      "%x: tensor<1x16x16x96xf32>, %w: tensor<3x3x1x96xf32>",
      "%y = wl.conv2d %x, %w {groups = 96 : i64, padding = array<i64: 1, 0, "
      "1, 0>, strides = array<i64: 2, 2>} : (tensor<1x16x16x96xf32>, "
      "tensor<3x3x1x96xf32>) -> tensor<1x8x8x96xf32>");
  EXPECT_EQ(s.ctas, 32);
  EXPECT_EQ(s.tileRows, 8);
  EXPECT_EQ(s.tileBatch, 24);
  EXPECT_EQ(s.rounds, 2);
  EXPECT_EQ(s.serialSteps(), 18);
}

TEST_F(GpuSchedule, AttentionTilesTakeTheHeadWholeAndSixtyFourQueries) {
  // GPT-2's attention, 12 heads of 1024 tokens and 64 columns: tiles of 64
  // queries x all 64 columns make 192; the wider halves (the columns
  // first of equals): 64 x 32, 384 tiles (its launch plan's grid). A CTA
  // computes its 64 queries' scores against the 1024 keys (64 x 1024:
  // 8x8 blocks, 1024 of them over 128 threads in 8 rounds of the head's 64
  // steps), then their product with V's 32 columns (4x4 blocks, 128 of
  // them, one round of 1024 steps).
  std::optional<AttentionSchedule> a =
      attention("%q: tensor<12x1024x64xf32>, %k: tensor<12x1024x64xf32>, "
                "%v: tensor<12x1024x64xf32>",
                "%o = wl.attention %q, %k, %v {causal} : "
                "(tensor<12x1024x64xf32>, tensor<12x1024x64xf32>, "
                "tensor<12x1024x64xf32>) -> tensor<12x1024x64xf32>");
  EXPECT_EQ(a->scores.ctas, 384);
  EXPECT_EQ(a->values.ctas, 384);
  EXPECT_EQ(a->scoresPerCta, 64 * 1024);
  EXPECT_EQ(a->scores.tileRows, 64);
  EXPECT_EQ(a->scores.tileCols, 1024);
  EXPECT_EQ(a->scores.blockRows, 8);
  EXPECT_EQ(a->scores.blockCols, 8);
  EXPECT_EQ(a->scores.rounds, 8);
  EXPECT_EQ(a->scores.serialSteps(), 512);
  EXPECT_EQ(a->values.tileCols, 32);
  EXPECT_EQ(a->values.blockRows, 4);
  EXPECT_EQ(a->values.blockCols, 4);
  EXPECT_EQ(a->values.serialSteps(), 1024);
  // Every CTA computes all of its queries' scores: the two column tiles
  // of a head each compute them (2 x 12 x 1024 x 1024 FMAs), and V's
  // product once (12 x 1024 x 64 x 1024).
  EXPECT_DOUBLE_EQ(a->scores.fmas(), 2.0 * 12 * 1024 * 1024 * 64);
  EXPECT_DOUBLE_EQ(a->values.fmas(), 12.0 * 1024 * 64 * 1024);
  // A warp's step of the scores: 32 column blocks (keys, a row of K
  // apart: a sector each, 8 a block) of one row block (8 queries, a
  // sector each): 8 + 256 sectors.
  EXPECT_DOUBLE_EQ(a->scores.sectors(), 384.0 * 4 * 8 * 64 * (8 + 256));
  // Of the values: 8 column blocks (V's 32 adjacent columns: one sector
  // for each of a block's 4) of 4 row blocks (a sector each, 4 a block).
  EXPECT_DOUBLE_EQ(a->values.sectors(), 384.0 * 4 * 1024 * (16 + 4));
}

TEST_F(GpuSchedule, GroupedQueryAttentionShrinksBothLoops) {
  // The TOSA transformer's attention: 2 key heads of 6 query heads, 40
  // tokens, 128 columns. The tile takes the 128 columns whole and the 40
  // tokens: 12 tiles, halved, the wider first, to 10 tokens x 16 columns
  // (384 tiles, its launch plan's grid, where the tile is its transposed
  // result's). A CTA's scores: 10 x 40 in 2x1 blocks (200 of them: 2
  // rounds of the head's 128 steps); its values: 10 x 16 in 1x1 blocks
  // (160: 2 rounds of the 40 keys).
  std::optional<AttentionSchedule> a = attention(
      "%q: tensor<1x2x6x40x128xf32>, %k: tensor<1x2x1x40x128xf32>, "
      "%v: tensor<1x2x1x40x128xf32>",
      "%o = wl.attention %q, %k, %v {causal} : (tensor<1x2x6x40x128xf32>, "
      "tensor<1x2x1x40x128xf32>, tensor<1x2x1x40x128xf32>) -> "
      "tensor<1x2x6x40x128xf32>");
  EXPECT_EQ(a->scores.ctas, 384);
  EXPECT_EQ(a->scores.tileRows, 10);
  EXPECT_EQ(a->scores.tileCols, 40);
  EXPECT_EQ(a->scores.serialSteps(), 2 * 128);
  EXPECT_EQ(a->values.tileCols, 16);
  EXPECT_EQ(a->values.serialSteps(), 2 * 40);
}

TEST_F(GpuSchedule, OnlyContractionsHaveOne) {
  module =
      parse("%a: tensor<64x64xf32>", "%c = wl.relu %a : tensor<64x64xf32>");
  ASSERT_TRUE(module) << messages;
  bool any = false;
  module->walk(
      [&](mlir::Operation *op) { any |= scheduleOnCudaCores(op).has_value(); });
  EXPECT_FALSE(any);
}

} // namespace
