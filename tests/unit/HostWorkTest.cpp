//===- HostWorkTest.cpp - The host model's counts ---------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the host model of the cpu family (targets/cpu/HostWork.h):
// the work counted for hand-worked kernels, term by term, and the estimate
// a spec with host terms gives. Its fit is CpuFitTest.cpp's.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/HostWork.h"
#include "TestHelpers.h"
#include "targets/cpu/CpuTarget.h"

#include "gtest/gtest.h"

#include <string>

using namespace fungible;
using namespace mlir;

namespace {

/// Two threads, 1 MiB of cache per core, 32 MiB on chip, 134 GFLOP/s over
/// 20 GB/s: the project VM.
HostShape vmShape() {
  HostShape shape;
  shape.threads = 2;
  shape.coreCacheBytes = 1 << 20;
  shape.onChipBytes = 32 << 20;
  shape.balance = 0.134e12 / 20e9;
  return shape;
}

/// The work of the first wl.kernel of `body` (a function of `args`).
HostWork workOf(fungible::testing::WorkloadFixture &fx, const std::string &args,
                const std::string &body) {
  OwningOpRef<ModuleOp> module = fx.parse(args, body);
  EXPECT_TRUE(module) << fx.messages;
  if (!module)
    return HostWork();
  Operation *kernel = nullptr;
  module->walk([&](wl::KernelOp k) { kernel = k; });
  std::optional<KernelInfo> info = summarizeKernel(kernel);
  EXPECT_TRUE(info.has_value());
  return info ? describeHostWork(*info, vmShape()) : HostWork();
}

TEST(HostWork, MatmulBiasGelu) {
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%a: tensor<100x200xf32>, %b: tensor<200x300xf32>, "
                      "%c: tensor<300xf32>",
                      R"mlir(
  %k = wl.kernel "mm"(%a, %b, %c) : (tensor<100x200xf32>, tensor<200x300xf32>, tensor<300xf32>) -> tensor<100x300xf32> {
  ^bb0(%x: tensor<100x200xf32>, %y: tensor<200x300xf32>, %z: tensor<300xf32>):
    %0 = wl.matmul %x, %y : (tensor<100x200xf32>, tensor<200x300xf32>) -> tensor<100x300xf32>
    %1 = wl.add %0, %z : (tensor<100x300xf32>, tensor<300xf32>) -> tensor<100x300xf32>
    %2 = wl.gelu %1 {approximate} : tensor<100x300xf32>
    wl.yield %2 : tensor<100x300xf32>
  })mlir");
  // 128-column cache tiles do not divide 300 (CpuMatmulEdges.cpp): the
  // first 256 columns are 2 cache tiles of 100 x 128 over 2 threads, 2 x
  // 100 (a multiple of 4) x 256 x 200 FLOPs; the 44 left are a matmul of
  // one tile, on one thread, in register tiles 32, 8 and 4 wide, each
  // padded to 16 lanes: 64 columns. B is 240 KB: within cache.
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul],
                   2.0 * 100 * 256 * 200 / 2 + 2.0 * 100 * 64 * 200);
  // The add and the GELU have 30000 elements, under 2^16: one thread.
  // GELU's tanh form: one tanh and 7 element operations.
  EXPECT_DOUBLE_EQ(w[HostTerm::Elementwise], 30000 + 7 * 30000);
  EXPECT_DOUBLE_EQ(w[HostTerm::Transcendental], 30000);
  EXPECT_EQ(w[HostTerm::TranscendentalErf], 0);
  // The two are one loop nest: one pass over its elements.
  EXPECT_DOUBLE_EQ(w[HostTerm::ElementwisePass], 30000);
  // Bytes of each op's operands and result, but the add is fused into the
  // GELU's loop (fungible-fuse-elementwise-producers): its result is no
  // buffer, neither written nor read.
  EXPECT_DOUBLE_EQ(w[HostTerm::CacheBytes],
                   4.0 * ((20000 + 60000 + 30000) + (30000 + 300) + 30000));
  EXPECT_DOUBLE_EQ(w[HostTerm::MemoryBytes], 0);
  // The matmul and the fused add-GELU loop.
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::ParallelOps], 1);
  EXPECT_DOUBLE_EQ(w[HostTerm::ResultBytes], 4.0 * 30000);
  EXPECT_DOUBLE_EQ(w[HostTerm::Call], 1);
}

TEST(HostWork, SmallMatmulsDoNotFork) {
  fungible::testing::WorkloadFixture fx;
  // All by 16 x 384: three cache tiles of 128 columns each.
  HostWork w = workOf(fx,
                      "%r: tensor<1x16xf32>, %m: tensor<64x16xf32>, "
                      "%n: tensor<128x16xf32>, %b: tensor<16x384xf32>",
                      R"mlir(
  %k:3 = wl.kernel "mm"(%r, %m, %n, %b) : (tensor<1x16xf32>, tensor<64x16xf32>, tensor<128x16xf32>, tensor<16x384xf32>) -> (tensor<1x384xf32>, tensor<64x384xf32>, tensor<128x384xf32>) {
  ^bb0(%x: tensor<1x16xf32>, %y: tensor<64x16xf32>, %u: tensor<128x16xf32>, %z: tensor<16x384xf32>):
    %0 = wl.matmul %x, %z : (tensor<1x16xf32>, tensor<16x384xf32>) -> tensor<1x384xf32>
    %1 = wl.matmul %y, %z : (tensor<64x16xf32>, tensor<16x384xf32>) -> tensor<64x384xf32>
    %2 = wl.matmul %u, %z : (tensor<128x16xf32>, tensor<16x384xf32>) -> tensor<128x384xf32>
    wl.yield %0, %1, %2 : tensor<1x384xf32>, tensor<64x384xf32>, tensor<128x384xf32>
  })mlir");
  // One row: 6144 multiply-adds, its tiles a loop on one thread, in
  // register tiles of that one row, streaming the 16 x 384 operand (24 KiB).
  // 64 rows: 393216, still under 2^19: a loop too. 128 rows: 786432, the
  // three tiles on two threads, which take two tiles' time.
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul], 2.0 * 1 * 384 * 16 +
                                            2.0 * 64 * 384 * 16 +
                                            2.0 * 128 * 384 * 16 * 2 / 3);
  EXPECT_DOUBLE_EQ(w[HostTerm::MatmulStream], 16.0 * 384 * 4);
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 3);
  EXPECT_DOUBLE_EQ(w[HostTerm::ParallelOps], 1);
}

TEST(HostWork, NarrowRowTilesAreFmaChains) {
  fungible::testing::WorkloadFixture fx;
  // EfficientNet's squeeze-excitation reduction as a product: 1 x 672 by
  // 672 x 28. Its one row's register tiles are 16, 8 and 4 columns wide,
  // one accumulator vector each: each of the 672 K steps of each waits on
  // the step before, no FLOPs at the matmul rate; each chain after the
  // first overlaps the last 64 steps of the one before by half (3 x 672 -
  // 2 x 32 steps). Three rows by 48 columns: the 32-column tile has 3 x 2
  // accumulators (FLOPs: 2 x 3 x 32 x 100), the 16-column one 3 (100
  // steps).
  HostWork w = workOf(fx,
                      "%x: tensor<1x672xf32>, %w: tensor<672x28xf32>, "
                      "%y: tensor<3x100xf32>, %v: tensor<100x48xf32>",
                      R"mlir(
  %k:2 = wl.kernel "se"(%x, %w, %y, %v) : (tensor<1x672xf32>, tensor<672x28xf32>, tensor<3x100xf32>, tensor<100x48xf32>) -> (tensor<1x28xf32>, tensor<3x48xf32>) {
  ^bb0(%a: tensor<1x672xf32>, %b: tensor<672x28xf32>, %c: tensor<3x100xf32>, %d: tensor<100x48xf32>):
    %0 = wl.matmul %a, %b : (tensor<1x672xf32>, tensor<672x28xf32>) -> tensor<1x28xf32>
    %1 = wl.matmul %c, %d : (tensor<3x100xf32>, tensor<100x48xf32>) -> tensor<3x48xf32>
    wl.yield %0, %1 : tensor<1x28xf32>, tensor<3x48xf32>
  })mlir");
  EXPECT_DOUBLE_EQ(w[HostTerm::MatmulChain], 3.0 * 672 - 2 * 32 + 100);
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul], 2.0 * 3 * 32 * 100);
  // Both stream their right operand whole.
  EXPECT_DOUBLE_EQ(w[HostTerm::MatmulStream], 4.0 * (672 * 28 + 100 * 48));
}

TEST(HostWork, StreamedWeightsFork) {
  fungible::testing::WorkloadFixture fx;
  // A row by a 512 x 512 weight (1 MiB) and by a 64 x 512 one (128 KiB):
  // 2^18 and 2^15 multiply-adds, under 2^19, but the first streams 2^18
  // bytes or more of its weight: its four cache tiles of 128 columns on
  // two threads. The second's tiles are a loop.
  HostWork w = workOf(fx,
                      "%x: tensor<1x512xf32>, %w: tensor<512x512xf32>, "
                      "%y: tensor<1x64xf32>, %v: tensor<64x512xf32>",
                      R"mlir(
  %k:2 = wl.kernel "mv"(%x, %w, %y, %v) : (tensor<1x512xf32>, tensor<512x512xf32>, tensor<1x64xf32>, tensor<64x512xf32>) -> (tensor<1x512xf32>, tensor<1x512xf32>) {
  ^bb0(%a: tensor<1x512xf32>, %b: tensor<512x512xf32>, %c: tensor<1x64xf32>, %d: tensor<64x512xf32>):
    %0 = wl.matmul %a, %b : (tensor<1x512xf32>, tensor<512x512xf32>) -> tensor<1x512xf32>
    %1 = wl.matmul %c, %d : (tensor<1x64xf32>, tensor<64x512xf32>) -> tensor<1x512xf32>
    wl.yield %0, %1 : tensor<1x512xf32>, tensor<1x512xf32>
  })mlir");
  // One row each: register tiles of one row, the row's FMAs only (not a
  // 4-row tile's), each loading its vector of the weight, whose bytes the
  // products stream once: 1 MiB over the two threads, 128 KiB on one.
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul],
                   2.0 * 1 * 512 * 512 / 2 + 2.0 * 1 * 512 * 64);
  EXPECT_DOUBLE_EQ(w[HostTerm::MatmulStream],
                   512.0 * 512 * 4 / 2 + 64.0 * 512 * 4);
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::ParallelOps], 1);
}

TEST(HostWork, ConvolutionsByFilter) {
  fungible::testing::WorkloadFixture fx;
  // Depthwise 3x3 over 16x16x8 (groups 8, filter 3x3x1x8), a 1x1, a 3x3
  // whose 3x3x256x256 filter (2.36 MB) outgrows the cache, with a view.
  HostWork w = workOf(fx,
                      "%x: tensor<1x16x16x8xf32>, %d: tensor<3x3x1x8xf32>, "
                      "%p: tensor<1x1x8x256xf32>, %l: tensor<3x3x256x256xf32>",
                      R"mlir(
  %k = wl.kernel "conv"(%x, %d, %p, %l) : (tensor<1x16x16x8xf32>, tensor<3x3x1x8xf32>, tensor<1x1x8x256xf32>, tensor<3x3x256x256xf32>) -> tensor<1x4x4x256xf32> {
  ^bb0(%a: tensor<1x16x16x8xf32>, %b: tensor<3x3x1x8xf32>, %c: tensor<1x1x8x256xf32>, %e: tensor<3x3x256x256xf32>):
    %0 = wl.conv2d %a, %b {padding = array<i64: 1, 1, 1, 1>, groups = 8 : i64} : (tensor<1x16x16x8xf32>, tensor<3x3x1x8xf32>) -> tensor<1x16x16x8xf32>
    %1 = wl.conv2d %0, %c {strides = array<i64: 4, 4>} : (tensor<1x16x16x8xf32>, tensor<1x1x8x256xf32>) -> tensor<1x4x4x256xf32>
    %2 = wl.conv2d %1, %e {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x256xf32>, tensor<3x3x256x256xf32>) -> tensor<1x4x4x256xf32>
    %3 = wl.reshape %2 : tensor<1x4x4x256xf32> -> tensor<1x4x4x256xf32>
    wl.yield %3 : tensor<1x4x4x256xf32>
  })mlir");
  // Depthwise: 2048 outputs x 9 MACs = 18432, under 2^19: one thread; its
  // 8 channels are tiles of 8 lanes, half a vector: twice the FLOPs' time.
  EXPECT_DOUBLE_EQ(w[HostTerm::ConvDepthwise], 2.0 * 2048 * 9 * 2);
  // 1x1: 4096 outputs x 8 = 32768 MACs: one thread.
  EXPECT_DOUBLE_EQ(w[HostTerm::ConvPointwise], 2.0 * 4096 * 8);
  // 3x3 large: 4096 outputs x 2304 MACs (9.4 million), two threads.
  EXPECT_DOUBLE_EQ(w[HostTerm::ConvLarge], 2.0 * 4096 * 2304 / 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::Conv], 0);
  // The padded ones fill an 18x18x8 (2592) and a 6x6x256 (9216) buffer
  // and copy the 2048- and 4096-element images in: all under 2^16, one
  // thread each.
  EXPECT_DOUBLE_EQ(w[HostTerm::Copy], 2592 + 2048 + 9216 + 4096);
  // The reshape is a view: three convolutions and the padding's two ops
  // for two of them; the large one on two threads (16 output tiles of 4
  // columns x 64 channels).
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 3 + 2 * 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::ParallelOps], 1);
}

TEST(HostWork, NarrowPointwiseConvolutionsAreMatmuls) {
  fungible::testing::WorkloadFixture fx;
  // 1x1 to 24 channels (tiles of 8 lanes) runs as [3136, 144] by [144, 24]:
  // 224-row cache tiles (the largest multiple of 4 up to 256 dividing
  // 3136), 14 of them on two threads; the 24 columns are register tiles
  // of 16 and 8, each padded to 16 lanes: 32. To 32 channels it stays a
  // convolution (tiles of 32 lanes: whole vectors).
  HostWork w =
      workOf(fx,
             "%x: tensor<1x56x56x144xf32>, %n: tensor<1x1x144x24xf32>, "
             "%v: tensor<1x1x144x32xf32>",
             R"mlir(
  %k:2 = wl.kernel "pw"(%x, %n, %v) : (tensor<1x56x56x144xf32>, tensor<1x1x144x24xf32>, tensor<1x1x144x32xf32>) -> (tensor<1x56x56x24xf32>, tensor<1x56x56x32xf32>) {
  ^bb0(%a: tensor<1x56x56x144xf32>, %b: tensor<1x1x144x24xf32>, %c: tensor<1x1x144x32xf32>):
    %0 = wl.conv2d %a, %b : (tensor<1x56x56x144xf32>, tensor<1x1x144x24xf32>) -> tensor<1x56x56x24xf32>
    %1 = wl.conv2d %a, %c : (tensor<1x56x56x144xf32>, tensor<1x1x144x32xf32>) -> tensor<1x56x56x32xf32>
    wl.yield %0, %1 : tensor<1x56x56x24xf32>, tensor<1x56x56x32xf32>
  })mlir");
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul], 2.0 * 14 * 224 * 32 * 144 / 2);
  // 3136 x 32 outputs x 144 on two threads (784 x 1 tiles of 4 x 32).
  EXPECT_DOUBLE_EQ(w[HostTerm::ConvPointwise], 2.0 * 3136 * 32 * 144 / 2);
}

TEST(HostWork, ConvolutionThreadsAreItsTiles) {
  fungible::testing::WorkloadFixture fx;
  // A 1x1 convolution of a 1x1x8192 image into `f` channels.
  auto pointwise = [&](int f) {
    std::string image = "tensor<1x1x1x8192xf32>";
    std::string out = "tensor<1x1x1x" + std::to_string(f) + "xf32>";
    std::string filter = "tensor<1x1x8192x" + std::to_string(f) + "xf32>";
    return workOf(fx, "%x: " + image + ", %f: " + filter,
                  "  %k = wl.kernel \"c\"(%x, %f) : (" + image + ", " + filter +
                      ") -> " + out + " {\n  ^bb0(%a: " + image +
                      ", %b: " + filter + "):\n    %0 = wl.conv2d %a, %b : (" +
                      image + ", " + filter + ") -> " + out +
                      "\n    wl.yield %0 : " + out + "\n  }");
  };
  // Into 32 channels: 2^18 MACs, under 2^19: one thread; one tile of 1
  // column x 32 channels, two accumulators: 8192 steps of its chains.
  HostWork few = pointwise(32);
  EXPECT_DOUBLE_EQ(few[HostTerm::ConvChain], 8192);
  EXPECT_DOUBLE_EQ(few[HostTerm::ParallelOps], 0);
  // Into 64 channels: 2^19 MACs, enough for threads, but one output tile
  // (1 column x 64 channels): one thread, no fork.
  HostWork one = pointwise(64);
  EXPECT_DOUBLE_EQ(one[HostTerm::ConvPointwise], 2.0 * 524288);
  EXPECT_DOUBLE_EQ(one[HostTerm::ParallelOps], 0);
  // Into 128 channels: two tiles, two threads.
  HostWork two = pointwise(128);
  EXPECT_DOUBLE_EQ(two[HostTerm::ConvPointwise], 2.0 * 1048576 / 2);
  EXPECT_DOUBLE_EQ(two[HostTerm::ParallelOps], 1);
}

TEST(HostWork, FusedElementwiseChainsRunInTheirLastOp) {
  fungible::testing::WorkloadFixture fx;
  // The multiply is fused into the ReLU's loop. The rsqrt of a 64-element
  // vector feeds it broadcast: fused, it would run once per element of the
  // loop, 4096 times (fuse-broadcasts=false keeps it apart): a loop of its
  // own over its 64. The sigmoid has two users: a loop of its own.
  HostWork w = workOf(fx, "%x: tensor<64x64xf32>, %v: tensor<64xf32>",
                      R"mlir(
  %k:2 = wl.kernel "e"(%x, %v) : (tensor<64x64xf32>, tensor<64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  ^bb0(%a: tensor<64x64xf32>, %b: tensor<64xf32>):
    %0 = wl.rsqrt %b : tensor<64xf32>
    %1 = wl.mul %a, %0 : (tensor<64x64xf32>, tensor<64xf32>) -> tensor<64x64xf32>
    %2 = wl.relu %1 : tensor<64x64xf32>
    %3 = wl.sigmoid %a : tensor<64x64xf32>
    %4 = wl.add %3, %3 : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
    wl.yield %2, %4 : tensor<64x64xf32>, tensor<64x64xf32>
  })mlir");
  // The rsqrt 64 times, the sigmoid's exp 4096 times.
  EXPECT_DOUBLE_EQ(w[HostTerm::Transcendental], 64 + 4096);
  // mul, relu, the sigmoid's 3 and the add, 4096 each.
  EXPECT_DOUBLE_EQ(w[HostTerm::Elementwise], 4096.0 * (1 + 1 + 3 + 1));
  // rsqrt reads 64 and writes 64; mul reads x and the 64 (its other
  // operand is fused); the ReLU writes its result; the sigmoid reads x
  // and writes; the add reads the sigmoid twice and writes.
  EXPECT_DOUBLE_EQ(w[HostTerm::CacheBytes],
                   4.0 * (64 + 64 + 4096 + 64 + 4096 + 2 * 4096 + 3 * 4096));
  // Loops: the rsqrt's, the ReLU's (with the mul), the sigmoid's, the
  // add's; each one pass over its elements, whatever its ops.
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 4);
  EXPECT_DOUBLE_EQ(w[HostTerm::ElementwisePass], 64 + 3 * 4096.0);
  // The call's tensors: x and v in, the two results out.
  EXPECT_DOUBLE_EQ(w[HostTerm::Arguments], 4);
}

TEST(HostWork, GeluForms) {
  fungible::testing::WorkloadFixture fx;
  // The erf form's erf is a term of its own; each GELU its own loop.
  HostWork w = workOf(fx, "%x: tensor<64x64xf32>",
                      R"mlir(
  %k:2 = wl.kernel "g"(%x) : (tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  ^bb0(%a: tensor<64x64xf32>):
    %0 = wl.gelu %a : tensor<64x64xf32>
    %1 = wl.gelu %a {approximate} : tensor<64x64xf32>
    wl.yield %0, %1 : tensor<64x64xf32>, tensor<64x64xf32>
  })mlir");
  EXPECT_DOUBLE_EQ(w[HostTerm::TranscendentalErf], 4096);
  EXPECT_DOUBLE_EQ(w[HostTerm::Transcendental], 4096);
  EXPECT_DOUBLE_EQ(w[HostTerm::Elementwise], 4096.0 * (4 + 7));
  EXPECT_DOUBLE_EQ(w[HostTerm::ElementwisePass], 2 * 4096.0);
}

TEST(HostWork, ReductionsNormsCopiesAttention) {
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx, "%x: tensor<128x512xf32>, %q: tensor<2x64x32xf32>",
                      R"mlir(
  %k:5 = wl.kernel "misc"(%x, %q) : (tensor<128x512xf32>, tensor<2x64x32xf32>) -> (tensor<128xf32>, tensor<512xf32>, tensor<128x512xf32>, tensor<512x128xf32>, tensor<2x64x32xf32>) {
  ^bb0(%a: tensor<128x512xf32>, %b: tensor<2x64x32xf32>):
    %0 = wl.reduce sum %a dims = [1] : tensor<128x512xf32> -> tensor<128xf32>
    %1 = wl.reduce max %a dims = [0] : tensor<128x512xf32> -> tensor<512xf32>
    %2 = wl.softmax %a axis = 1 : tensor<128x512xf32>
    %3 = wl.transpose %a perm = [1, 0] : tensor<128x512xf32> -> tensor<512x128xf32>
    %4 = wl.attention %b, %b, %b : (tensor<2x64x32xf32>, tensor<2x64x32xf32>, tensor<2x64x32xf32>) -> tensor<2x64x32xf32>
    wl.yield %0, %1, %2, %3, %4 : tensor<128xf32>, tensor<512xf32>, tensor<128x512xf32>, tensor<512x128xf32>, tensor<2x64x32xf32>
  })mlir");
  // 65536 = 2^16 elements each: parallel (two threads).
  EXPECT_DOUBLE_EQ(w[HostTerm::Reduction], 65536.0 / 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::ReductionOuter], 65536.0 / 2);
  // Softmax: 4 passes and an exp per element; attention's 2 x 64 x 64
  // scores (8192, one thread): 4 passes and an exp each.
  EXPECT_DOUBLE_EQ(w[HostTerm::Norm], 4 * 65536.0 / 2 + 4 * 8192.0);
  EXPECT_DOUBLE_EQ(w[HostTerm::Transcendental], 65536.0 / 2 + 8192);
  // The transpose moves the innermost dimension: a gather. Attention's
  // K^T is not copied: each head's product reads K in place as N x K and
  // packs it (one row of cache tiles: each head's 64 x 32 once).
  EXPECT_DOUBLE_EQ(w[HostTerm::CopyTransposed], 65536.0 / 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::Copy], 0);
  EXPECT_DOUBLE_EQ(w[HostTerm::PackTransposed], 2.0 * 64 * 32);
  // Q K^T: 2 x 64 x 64 x 32 on the panels; scores x V: 2 x 64 x 32 x 64,
  // its 32 columns a register tile of their own (no padding). 2^18
  // multiply-adds each, under 2^19: the heads a loop on one thread.
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul],
                   2.0 * 2 * 64 * 64 * 32 + 2.0 * 2 * 64 * 32 * 64);
  // Attention's scaling: a multiply per score (no mask, not causal), in a
  // loop of its own.
  EXPECT_DOUBLE_EQ(w[HostTerm::Elementwise], 8192);
  EXPECT_DOUBLE_EQ(w[HostTerm::ElementwisePass], 8192);
  // Ops: the two reductions, the softmax, the transpose; attention's Q K^T,
  // scaling, 4 softmax passes and scores x V. The first four (65536
  // elements each) are on the threads, consecutive parallel loops sharing
  // a fork (CpuMergeParallelRegions.cpp) unless a loop on one thread comes
  // between: the row sums' 128 initial zeros come before them, the column
  // maxes' 512 initial values before those: two forks, the second the
  // maxes', the softmax's and the transpose's. The attention is on one
  // thread. (The lowered code has as many omp.parallel.)
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 4 + 7);
  EXPECT_DOUBLE_EQ(w[HostTerm::ParallelOps], 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::ResultBytes],
                   4.0 * (128 + 512 + 65536 + 65536 + 4096));
  // Bytes: each op's operands and result; the softmax reads its input in
  // each of its 4 passes, in tiles of rows (65536 elements: 2^16), whose
  // rows stay in the core's cache (untiled, the 1.25 MiB would be on
  // chip); attention's three operands and result, and its scores written
  // by Q K^T, read and written by the scaling, read 4 times and written
  // twice by the softmax, and read by the product with V.
  EXPECT_DOUBLE_EQ(w[HostTerm::OnChipBytes], 0);
  EXPECT_DOUBLE_EQ(w[HostTerm::CacheBytes],
                   4.0 * ((65536 + 128) + (65536 + 512) + (4 * 65536 + 65536) +
                          (65536 + 65536) + (3 * 4096 + 4096 + 10 * 8192)));
}

TEST(HostWork, NormPassesInTilesOfRowsStayInCache) {
  // A layer norm over 8192 x 768 f32 (24 MiB, its input and result beyond
  // the 32 MiB on chip) runs in tiles of 64 rows (192 KiB, CpuNormRows.cpp):
  // its 5 passes read the input once from memory and 4 times more from the
  // core's cache; a few FLOPs per byte, it streams them but for the 32 MiB
  // the L3 keeps between runs. One over 64 x 768 (under 2^16 elements) runs
  // whole: 5 reads of the input, the result, scale and shift, 1.13 MiB, on
  // chip. One over both dimensions of 8192 x 768 (a scale of rank 2) runs
  // whole: every pass from memory.
  fungible::testing::WorkloadFixture fx;
  auto norm = [&](const char *input, const char *scale) {
    std::string in = std::string("tensor<") + input + "xf32>";
    std::string g = std::string("tensor<") + scale + "xf32>";
    return workOf(fx, "%x: " + in + ", %g: " + g,
                  "  %k = wl.kernel \"n\"(%x, %g) : (" + in + ", " + g +
                      ") -> " + in + " {\n  ^bb0(%a: " + in + ", %b: " + g +
                      "):\n    %0 = wl.layer_norm %a, %b, %b : (" + in + ", " +
                      g + ", " + g + ") -> " + in +
                      "\n    wl.yield %0 : " + in + "\n  }");
  };
  double big = 8192.0 * 768 * 4, bytes = 768.0 * 4, chip = 32 << 20;
  HostWork tiled = norm("8192x768", "768");
  EXPECT_DOUBLE_EQ(tiled[HostTerm::CacheBytes], 4 * big);
  EXPECT_DOUBLE_EQ(tiled[HostTerm::StreamBytes], 2 * big + 2 * bytes - chip);
  EXPECT_DOUBLE_EQ(tiled[HostTerm::OnChipBytes], chip);
  EXPECT_DOUBLE_EQ(tiled[HostTerm::MemoryBytes], 0);
  HostWork small = norm("64x768", "768");
  EXPECT_DOUBLE_EQ(small[HostTerm::CacheBytes], 0);
  EXPECT_DOUBLE_EQ(small[HostTerm::OnChipBytes],
                   (4 + 2) * 64 * bytes + 2 * bytes);
  HostWork whole = norm("8192x768", "8192x768");
  EXPECT_DOUBLE_EQ(whole[HostTerm::CacheBytes], 0);
  EXPECT_DOUBLE_EQ(whole[HostTerm::StreamBytes], (4 + 2 + 2) * big - chip);
  EXPECT_DOUBLE_EQ(whole[HostTerm::OnChipBytes], chip);
}

TEST(HostWork, DramBytesStreamUnlessArithmeticHidesThem) {
  // Both products read a 8192 x 2048 f32 right operand (64 MiB, beyond the
  // 32 MiB on chip). One row: a matrix-vector product reads the weight
  // once a run, in order, and a sweep larger than the L3 evicts each line
  // before the next run comes back to it: all 64 MiB streamed from DRAM
  // (addStreamedBytes); its vector and result (40 KB) from the core's
  // cache. 256 rows: 128 FLOPs a byte, what the tiles' arithmetic does not
  // hide; 32 MiB kept in the L3 between runs (in the core's cache: the
  // tiles read their operands from there once packed).
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%v: tensor<1x8192xf32>, %m: tensor<256x8192xf32>, "
                      "%b: tensor<8192x2048xf32>",
                      R"mlir(
  %k:2 = wl.kernel "mm"(%v, %m, %b) : (tensor<1x8192xf32>, tensor<256x8192xf32>, tensor<8192x2048xf32>) -> (tensor<1x2048xf32>, tensor<256x2048xf32>) {
  ^bb0(%x: tensor<1x8192xf32>, %y: tensor<256x8192xf32>, %z: tensor<8192x2048xf32>):
    %0 = wl.matmul %x, %z : (tensor<1x8192xf32>, tensor<8192x2048xf32>) -> tensor<1x2048xf32>
    %1 = wl.matmul %y, %z : (tensor<256x8192xf32>, tensor<8192x2048xf32>) -> tensor<256x2048xf32>
    wl.yield %0, %1 : tensor<1x2048xf32>, tensor<256x2048xf32>
  })mlir");
  double rhs = 8192.0 * 2048 * 4, chip = 32 << 20;
  EXPECT_DOUBLE_EQ(w[HostTerm::MatvecStreamBytes], rhs);
  EXPECT_DOUBLE_EQ(w[HostTerm::StreamBytes], 0);
  EXPECT_DOUBLE_EQ(w[HostTerm::MemoryBytes],
                   rhs + 4.0 * 256 * (8192 + 2048) - chip);
  EXPECT_DOUBLE_EQ(w[HostTerm::CacheBytes], chip + 4.0 * (8192 + 2048));
  EXPECT_DOUBLE_EQ(w[HostTerm::OnChipBytes], 0);

  // The balance is the spec's roofline ridge: 0.134 TFLOP/s over 20 GB/s
  // for the VM; 8 FLOPs a byte when the spec lacks either figure.
  llvm::Expected<ChipSpec> shipped =
      loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/cpu-host.json");
  ASSERT_TRUE(static_cast<bool>(shipped))
      << llvm::toString(shipped.takeError());
  EXPECT_DOUBLE_EQ(HostShape::of(*shipped).balance,
                   shipped->matrixTflops.lookup("f32").value * 1e12 /
                       (shipped->memoryGBps.value * 1e9));
  EXPECT_NEAR(HostShape::of(*shipped).balance, 6.7, 1e-9);
  shipped->memoryGBps.value = 0;
  EXPECT_DOUBLE_EQ(HostShape::of(*shipped).balance, 8);
}

TEST(HostWork, MatrixVectorWeightsComeFromTheirLevel) {
  // One row by weights of 1, 4 and 16 MiB, on 2 threads. 1 MiB: each
  // thread's half fits its core's cache. 4 and 16 MiB: within the 32 MiB
  // L3, read from there once a run (a tiled GEMM's operands would count
  // as the core's cache: its tiles read them from there once packed).
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%v: tensor<1x1024xf32>, %u: tensor<1x4096xf32>, "
                      "%a: tensor<1024x256xf32>, %b: tensor<1024x1024xf32>, "
                      "%c: tensor<4096x1024xf32>",
                      R"mlir(
  %k:3 = wl.kernel "mv"(%v, %u, %a, %b, %c) : (tensor<1x1024xf32>, tensor<1x4096xf32>, tensor<1024x256xf32>, tensor<1024x1024xf32>, tensor<4096x1024xf32>) -> (tensor<1x256xf32>, tensor<1x1024xf32>, tensor<1x1024xf32>) {
  ^bb0(%x: tensor<1x1024xf32>, %y: tensor<1x4096xf32>, %p: tensor<1024x256xf32>, %q: tensor<1024x1024xf32>, %r: tensor<4096x1024xf32>):
    %0 = wl.matmul %x, %p : (tensor<1x1024xf32>, tensor<1024x256xf32>) -> tensor<1x256xf32>
    %1 = wl.matmul %x, %q : (tensor<1x1024xf32>, tensor<1024x1024xf32>) -> tensor<1x1024xf32>
    %2 = wl.matmul %y, %r : (tensor<1x4096xf32>, tensor<4096x1024xf32>) -> tensor<1x1024xf32>
    wl.yield %0, %1, %2 : tensor<1x256xf32>, tensor<1x1024xf32>, tensor<1x1024xf32>
  })mlir");
  double mib = 1 << 20;
  // The vectors and results (4, 4 and 16 KiB in, 1, 4 and 4 KiB out)
  // come from the core's cache.
  EXPECT_DOUBLE_EQ(w[HostTerm::CacheBytes],
                   mib + 4.0 * (1024 + 256 + 1024 + 1024 + 4096 + 1024));
  EXPECT_DOUBLE_EQ(w[HostTerm::MatvecOnChipBytes], 4 * mib + 16 * mib);
  EXPECT_DOUBLE_EQ(w[HostTerm::OnChipBytes], 0);
  EXPECT_DOUBLE_EQ(w[HostTerm::MatvecStreamBytes], 0);
  EXPECT_DOUBLE_EQ(w[HostTerm::MemoryBytes], 0);
}

TEST(HostWork, ShortRowReductionsAreChains) {
  // Rows of 64 elements or fewer: LLVM leaves their reductions scalar
  // loops in order, a chain of dependent operations per row. An RMS norm
  // has one (the sum of squares), a softmax two (max, sum), a row sum one;
  // a layer norm of rows of 96 is vectorised: none. All on one thread
  // (under 2^16 elements).
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%a: tensor<64x64xf32>, %g: tensor<64xf32>, "
                      "%b: tensor<8x32xf32>, %c: tensor<16x64xf32>, "
                      "%d: tensor<64x96xf32>, %e: tensor<96xf32>",
                      R"mlir(
  %k:4 = wl.kernel "r"(%a, %g, %b, %c, %d, %e) : (tensor<64x64xf32>, tensor<64xf32>, tensor<8x32xf32>, tensor<16x64xf32>, tensor<64x96xf32>, tensor<96xf32>) -> (tensor<64x64xf32>, tensor<8x32xf32>, tensor<16xf32>, tensor<64x96xf32>) {
  ^bb0(%x: tensor<64x64xf32>, %y: tensor<64xf32>, %u: tensor<8x32xf32>, %v: tensor<16x64xf32>, %p: tensor<64x96xf32>, %q: tensor<96xf32>):
    %0 = wl.rms_norm %x, %y : (tensor<64x64xf32>, tensor<64xf32>) -> tensor<64x64xf32>
    %1 = wl.softmax %u axis = 1 : tensor<8x32xf32>
    %2 = wl.reduce sum %v dims = [1] : tensor<16x64xf32> -> tensor<16xf32>
    %3 = wl.layer_norm %p, %q, %q : (tensor<64x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<64x96xf32>
    wl.yield %0, %1, %2, %3 : tensor<64x64xf32>, tensor<8x32xf32>, tensor<16xf32>, tensor<64x96xf32>
  })mlir");
  EXPECT_DOUBLE_EQ(w[HostTerm::ReductionChain], 4096 + 2 * 256 + 1024);
  // The passes are counted as before: RMS 3, softmax 4, layer norm 5.
  EXPECT_DOUBLE_EQ(w[HostTerm::Norm], 3 * 4096 + 4 * 256 + 5 * 6144);
  EXPECT_DOUBLE_EQ(w[HostTerm::Reduction], 1024);
  // Six tensors in, four out.
  EXPECT_DOUBLE_EQ(w[HostTerm::Arguments], 10);
}

TEST(HostWork, NarrowConvolutionTilesWaitOnTheirChains) {
  // 1 x 1 convolutions of 1024 channels into 16. One pixel: a tile of one
  // column x 16 channels (convolutionTile), one accumulator: 1024 steps,
  // each waiting on the last FMA. A 2 x 2 image: two tiles (one per row)
  // of 2 columns, 2 accumulators, a vector of channels each: 2 x 1024
  // steps, the second chain overlapping the first's last 64 by half (32
  // fewer). A 4 x 4 image: tiles of 4 columns, 4 accumulators, enough:
  // its FLOPs (2 x 16 x 16 x 1024, 2^18 multiply-adds and a 64 KiB
  // filter: one thread).
  fungible::testing::WorkloadFixture fx;
  // A 1 x 1 convolution of a side x side image, `in` channels into `out`.
  auto conv = [&](int side, int in, int out) {
    std::string pixels = std::to_string(side) + "x" + std::to_string(side);
    std::string x = "tensor<1x" + pixels + "x" + std::to_string(in) + "xf32>";
    std::string y = "tensor<1x" + pixels + "x" + std::to_string(out) + "xf32>";
    std::string w = "tensor<1x1x" + std::to_string(in) + "x" +
                    std::to_string(out) + "xf32>";
    return workOf(fx, "%x: " + x + ", %w: " + w,
                  "  %k = wl.kernel \"c\"(%x, %w) : (" + x + ", " + w +
                      ") -> " + y + " {\n  ^bb0(%a: " + x + ", %b: " + w +
                      "):\n    %0 = wl.conv2d %a, %b : (" + x + ", " + w +
                      ") -> " + y + "\n    wl.yield %0 : " + y + "\n  }");
  };
  HostWork one = conv(1, 1024, 16), two = conv(2, 1024, 16),
           four = conv(4, 1024, 16);
  EXPECT_DOUBLE_EQ(one[HostTerm::ConvChain], 1024);
  EXPECT_DOUBLE_EQ(one[HostTerm::ConvPointwise], 0);
  EXPECT_DOUBLE_EQ(two[HostTerm::ConvChain], 2 * 1024 - 32);
  EXPECT_DOUBLE_EQ(two[HostTerm::ConvPointwise], 0);
  EXPECT_DOUBLE_EQ(four[HostTerm::ConvChain], 0);
  EXPECT_DOUBLE_EQ(four[HostTerm::ConvPointwise], 2.0 * 16 * 16 * 1024);
  EXPECT_DOUBLE_EQ(one[HostTerm::ConvChainWindow], 0);

  // One pixel of 40 channels into 240: 15 tiles of 16 channels (one
  // vector), chains of 40 steps that overlap by half (each after the
  // first: 20 steps); 2 x 2 pixels, two accumulators a tile (a vector of
  // each row's channels): 2 x 15 such chains. Into 96 channels: tiles of
  // 32, two vectors wide, whose chains do not overlap.
  EXPECT_DOUBLE_EQ(conv(1, 40, 240)[HostTerm::ConvChain], 15.0 * 40 - 14 * 20);
  EXPECT_DOUBLE_EQ(conv(2, 40, 240)[HostTerm::ConvChain], 30.0 * 40 - 29 * 20);
  EXPECT_DOUBLE_EQ(conv(1, 40, 96)[HostTerm::ConvChain], 3.0 * 40);

  // A 3 x 3 filter (64 channels into 16, padding 1) on a 2 x 2 image: the
  // same tiles of 2 columns x 16 channels, 2 accumulators, two of them;
  // each 3 x 3 x 64 steps (the second overlapping the first's last 64 by
  // half), counted apart from 1 x 1 chains (each filter row a 1-D
  // convolution of its own: 1.8 ns a step where 1 x 1 took 1.27).
  std::string in = "tensor<1x2x2x64xf32>", out = "tensor<1x2x2x16xf32>",
              w = "tensor<3x3x64x16xf32>";
  HostWork window =
      workOf(fx, "%x: " + in + ", %w: " + w,
             "  %k = wl.kernel \"c\"(%x, %w) : (" + in + ", " + w + ") -> " +
                 out + " {\n  ^bb0(%a: " + in + ", %b: " + w +
                 "):\n    %0 = wl.conv2d %a, %b {padding = array<i64: 1, 1, 1, "
                 "1>} : (" +
                 in + ", " + w + ") -> " + out + "\n    wl.yield %0 : " + out +
                 "\n  }");
  EXPECT_DOUBLE_EQ(window[HostTerm::ConvChainWindow], 2.0 * 3 * 3 * 64 - 32);
  EXPECT_DOUBLE_EQ(window[HostTerm::ConvChain], 0);
  EXPECT_DOUBLE_EQ(window[HostTerm::Conv], 0);
}

TEST(HostWork, HeadSplitsReadInPlace) {
  // A decode step's attention: keys and values are a [S, H * D] cache's
  // [H, S, D] views. Read only as the products' right operands, the head
  // split is a strided view (CpuPackOperands.cpp), K^T read through it as
  // N x K and packed; a split also yielded is a buffer of its own.
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%q: tensor<2x1x32xf32>, %kc: tensor<16x64xf32>, "
                      "%vc: tensor<16x64xf32>",
                      R"mlir(
  %k:2 = wl.kernel "decode"(%q, %kc, %vc) : (tensor<2x1x32xf32>, tensor<16x64xf32>, tensor<16x64xf32>) -> (tensor<2x1x32xf32>, tensor<2x16x32xf32>) {
  ^bb0(%a: tensor<2x1x32xf32>, %b: tensor<16x64xf32>, %c: tensor<16x64xf32>):
    %0 = wl.reshape %b : tensor<16x64xf32> -> tensor<16x2x32xf32>
    %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<16x2x32xf32> -> tensor<2x16x32xf32>
    %2 = wl.reshape %c : tensor<16x64xf32> -> tensor<16x2x32xf32>
    %3 = wl.transpose %2 perm = [1, 0, 2] : tensor<16x2x32xf32> -> tensor<2x16x32xf32>
    %4 = wl.attention %a, %1, %3 : (tensor<2x1x32xf32>, tensor<2x16x32xf32>, tensor<2x16x32xf32>) -> tensor<2x1x32xf32>
    wl.yield %4, %3 : tensor<2x1x32xf32>, tensor<2x16x32xf32>
  })mlir");
  // V's split, yielded, is copied (rows of 32 streamed: 1024 elements,
  // one thread); K's is not, nor is K^T: each head's 16 x 32 keys are
  // packed once (one row of cache tiles), both heads on one thread (1024
  // multiply-adds do not fork).
  EXPECT_DOUBLE_EQ(w[HostTerm::Copy], 1024);
  EXPECT_DOUBLE_EQ(w[HostTerm::CopyTransposed], 0);
  EXPECT_DOUBLE_EQ(w[HostTerm::PackTransposed], 2.0 * 16 * 32);
  // V's copy; the attention's Q K^T, scaling, 4 softmax passes and
  // scores x V.
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 1 + 7);
}

TEST(HostWork, LargeAttentionInTilesOfQueryRows) {
  // 2 heads x 512 x 512 f32 scores are 2 MiB: the host computes them in
  // tiles of 256 query rows (256 x 512 x 4 bytes = 512 KiB), 2 x 2 tiles
  // over two threads (CpuAttentionRows.cpp).
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%q: tensor<2x512x32xf32>, %k: tensor<2x512x32xf32>, "
                      "%v: tensor<2x512x32xf32>",
                      R"mlir(
  %k0 = wl.kernel "rows"(%q, %k, %v) : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32> {
  ^bb0(%a: tensor<2x512x32xf32>, %b: tensor<2x512x32xf32>, %c: tensor<2x512x32xf32>):
    %0 = wl.attention %a, %b, %c {causal} : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
    wl.yield %0 : tensor<2x512x32xf32>
  })mlir");
  // K^T is copied once for the tiles (32768 elements gathered, under
  // 2^16: one thread), not packed.
  EXPECT_DOUBLE_EQ(w[HostTerm::CopyTransposed], 32768.0);
  EXPECT_DOUBLE_EQ(w[HostTerm::PackTransposed], 0);
  // Each tile's Q K^T (256 x 512 x 32) and scores x V (256 x 32 x 512), 4
  // tiles over two threads: each product's 2 x 2 x 512 x 512 x 32 FLOPs
  // halved.
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul], 2 * (2.0 * 2 * 512 * 512 * 32 / 2));
  // Per score, over two threads: the scaling's multiply, the causal
  // compare and select (one loop: a pass); the softmax's 4 passes and
  // exp.
  EXPECT_DOUBLE_EQ(w[HostTerm::Elementwise], 3 * 524288.0 / 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::ElementwisePass], 524288.0 / 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::Norm], 4 * 524288.0 / 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::Transcendental], 524288.0 / 2);
  // The scores' 10 passes of 4 bytes stay in the core's cache, as do the
  // operands and result (a contraction's: within the chip's cache) and the
  // copy (read and written).
  EXPECT_DOUBLE_EQ(w[HostTerm::CacheBytes],
                   10 * 524288.0 * 4 + 4 * 32768.0 * 4 + 2 * 32768.0 * 4);
  EXPECT_DOUBLE_EQ(w[HostTerm::MemoryBytes], 0);
  // The copy; the tile loop (the one fork) whose 7 ops run per tile, 2
  // tiles a thread.
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 1 + 7 * 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::ParallelOps], 1);
}

TEST(HostWork, GroupedQueryAttentionInTilesOfAHeadsRows) {
  // 4 query heads share each of 2 K/V heads: the products' rows are a
  // group's 4 x 256, the scores 2 x 1024 x 256 f32 (2 MiB), computed in
  // tiles of 256 rows (one head's; 256 KiB), 2 x 4 tiles over two threads.
  // With 48 rows a head (the same 8 x 48 = 384 rows per group against 512
  // keys: 1.5 MiB), a tile of 128 rows would straddle heads: untiled.
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%q: tensor<2x4x256x32xf32>, %k: tensor<2x1x256x32xf32>, "
                      "%v: tensor<2x1x256x32xf32>, %m: tensor<256x256xf32>",
                      R"mlir(
  %k0 = wl.kernel "gqa"(%q, %k, %v, %m) : (tensor<2x4x256x32xf32>, tensor<2x1x256x32xf32>, tensor<2x1x256x32xf32>, tensor<256x256xf32>) -> tensor<2x4x256x32xf32> {
  ^bb0(%a: tensor<2x4x256x32xf32>, %b: tensor<2x1x256x32xf32>, %c: tensor<2x1x256x32xf32>, %d: tensor<256x256xf32>):
    %0 = wl.attention %a, %b, %c mask %d : (tensor<2x4x256x32xf32>, tensor<2x1x256x32xf32>, tensor<2x1x256x32xf32>, tensor<256x256xf32>) -> tensor<2x4x256x32xf32>
    wl.yield %0 : tensor<2x4x256x32xf32>
  })mlir");
  // K^T copied once (16384 elements).
  EXPECT_DOUBLE_EQ(w[HostTerm::CopyTransposed], 16384.0);
  // Both products' 2 x 2 x 1024 x 256 x 32 FLOPs over two threads.
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul], 2 * (2.0 * 2 * 1024 * 256 * 32 / 2));
  // Per score (524288), over two threads: the scaling's multiply and the
  // mask's add; the softmax's 4 passes and exp.
  EXPECT_DOUBLE_EQ(w[HostTerm::Elementwise], 2 * 524288.0 / 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::Norm], 4 * 524288.0 / 2);
  EXPECT_DOUBLE_EQ(w[HostTerm::Transcendental], 524288.0 / 2);
  // The scores' 10 passes, the copy (read and written), the operands (Q,
  // K, V and the 256 x 256 mask) and result, and the mask read once per
  // score: a tiled contraction's, all in the core's cache.
  EXPECT_DOUBLE_EQ(w[HostTerm::CacheBytes],
                   10 * 524288.0 * 4 + 2 * 16384.0 * 4 +
                       (65536.0 + 16384 + 16384 + 65536 + 65536) * 4 +
                       524288.0 * 4);
  EXPECT_DOUBLE_EQ(w[HostTerm::OnChipBytes], 0);
  // The copy; 7 ops per tile, 4 tiles a thread; one fork.
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 1 + 7 * 4);
  EXPECT_DOUBLE_EQ(w[HostTerm::ParallelOps], 1);

  HostWork straddling =
      workOf(fx,
             "%q: tensor<2x8x48x32xf32>, %k: tensor<2x1x512x32xf32>, "
             "%v: tensor<2x1x512x32xf32>",
             R"mlir(
  %k0 = wl.kernel "gqa"(%q, %k, %v) : (tensor<2x8x48x32xf32>, tensor<2x1x512x32xf32>, tensor<2x1x512x32xf32>) -> tensor<2x8x48x32xf32> {
  ^bb0(%a: tensor<2x8x48x32xf32>, %b: tensor<2x1x512x32xf32>, %c: tensor<2x1x512x32xf32>):
    %0 = wl.attention %a, %b, %c : (tensor<2x8x48x32xf32>, tensor<2x1x512x32xf32>, tensor<2x1x512x32xf32>) -> tensor<2x8x48x32xf32>
    wl.yield %0 : tensor<2x8x48x32xf32>
  })mlir");
  // Untiled: the copy and the attention's 7 ops once each. On the threads:
  // the scores' 393216 zeros, Q K^T, the scaling, the softmax's 4 passes in
  // tiles of 16 of a head's 48 rows (CpuNormRows.cpp), one fork; then the
  // output's 24576 zeros on one thread, and scores x V a fork of its own.
  EXPECT_DOUBLE_EQ(straddling[HostTerm::Ops], 1 + 7);
  EXPECT_DOUBLE_EQ(straddling[HostTerm::ParallelOps], 2);
}

TEST(HostWork, LateNormalisationBytesFollowTheType) {
  // An attention normalised after its product, in f32 and in f64: 2 heads
  // of 16 x 16 scores (512, one thread, untiled), outputs 2 x 16 x 8.
  auto attention = [](const char *element) {
    fungible::testing::WorkloadFixture fx;
    std::string t = std::string("tensor<2x16x8x") + element + ">";
    return workOf(fx, "%q: " + t,
                  "  %k = wl.kernel \"a\"(%q) : (" + t + ") -> " + t +
                      " {\n  ^bb0(%a: " + t +
                      "):\n    %0 = wl.attention %a, %a, %a {normalize_after} "
                      ": (" +
                      t + ", " + t + ", " + t + ") -> " + t +
                      "\n    wl.yield %0 : " + t + "\n  }");
  };
  // Q, K, V and the result (256 elements each); the scores written, read
  // and written by the scaling, read 3 times by max, exp and sum, written
  // by exp (8 passes); the product read and written by its rows'
  // scaling. All in the element's bytes.
  HostWork f32 = attention("f32"), f64 = attention("f64");
  EXPECT_DOUBLE_EQ(f32[HostTerm::CacheBytes],
                   4.0 * (4 * 256 + 8 * 512 + 2 * 256));
  EXPECT_DOUBLE_EQ(f64[HostTerm::CacheBytes],
                   8.0 * (4 * 256 + 8 * 512 + 2 * 256));
}

TEST(HostWork, LibmCallsAndGathersAreTermsOfTheirOwn) {
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx, "%x: tensor<8x16x32xf32>, %d: tensor<8x16xf64>",
                      R"mlir(
  %k:6 = wl.kernel "fns"(%x, %d) : (tensor<8x16x32xf32>, tensor<8x16xf64>) -> (tensor<8x16x32xf32>, tensor<8x16x32xf32>, tensor<8x16x32xf32>, tensor<8x16xf64>, tensor<16x8x32xf32>, tensor<32x16x8xf32>) {
  ^bb0(%a: tensor<8x16x32xf32>, %b: tensor<8x16xf64>):
    %0 = wl.sin %a : tensor<8x16x32xf32>
    %1 = wl.cos %a : tensor<8x16x32xf32>
    %2 = wl.exp %a : tensor<8x16x32xf32>
    %3 = wl.exp %b : tensor<8x16xf64>
    %4 = wl.transpose %a perm = [1, 0, 2] : tensor<8x16x32xf32> -> tensor<16x8x32xf32>
    %5 = wl.transpose %a perm = [2, 1, 0] : tensor<8x16x32xf32> -> tensor<32x16x8xf32>
    wl.yield %0, %1, %2, %3, %4, %5 : tensor<8x16x32xf32>, tensor<8x16x32xf32>, tensor<8x16x32xf32>, tensor<8x16xf64>, tensor<16x8x32xf32>, tensor<32x16x8xf32>
  })mlir");
  // sin and cos call libm (4096 elements each, one thread), and so does
  // f64 exp (128); f32 exp is a polynomial the loop vectorises.
  EXPECT_DOUBLE_EQ(w[HostTerm::TranscendentalLibm], 2 * 4096.0 + 128);
  EXPECT_DOUBLE_EQ(w[HostTerm::Transcendental], 4096.0);
  // A transpose that keeps the innermost dimension streams its rows; one
  // that moves it gathers.
  EXPECT_DOUBLE_EQ(w[HostTerm::Copy], 4096.0);
  EXPECT_DOUBLE_EQ(w[HostTerm::CopyTransposed], 4096.0);
}

TEST(HostWork, LinearLayersPackTheirWeights) {
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%x: tensor<600x96xf32>, %w: tensor<1000x96xf32>, "
                      "%b: tensor<2x64x32xf32>",
                      R"mlir(
  %k:2 = wl.kernel "linear"(%x, %w, %b) : (tensor<600x96xf32>, tensor<1000x96xf32>, tensor<2x64x32xf32>) -> (tensor<600x1000xf32>, tensor<2x64x64xf32>) {
  ^bb0(%a: tensor<600x96xf32>, %v: tensor<1000x96xf32>, %c: tensor<2x64x32xf32>):
    %0 = wl.matmul %a, %v {transpose_rhs} : (tensor<600x96xf32>, tensor<1000x96xf32>) -> tensor<600x1000xf32>
    %1 = wl.batch_matmul %c, %c {transpose_rhs} : (tensor<2x64x32xf32>, tensor<2x64x32xf32>) -> tensor<2x64x64xf32>
    wl.yield %0, %1 : tensor<600x1000xf32>, tensor<2x64x64xf32>
  })mlir");
  // x W^T is the plain schedule on packed panels, at the plain rate (W is
  // 384 KB: within cache). 128 does not divide 1000: the first 896
  // columns are 3 x 7 cache tiles of 200 x 128, the 104 left 3 tiles of
  // 200 x 104, each 64 columns and 40 in register tiles of 32 and 8
  // (padded to 16): 2 x 600 x 896 x 96 and 2 x 600 x 112 x 96. On two
  // threads, 21 tiles take 11 tiles' time, 3 take 2 (OpenMP's static
  // schedule). The batched one packs each matrix's right operand too
  // (CpuPackOperands.cpp: the transpose is a view), then runs 2 x 2 x 64 x
  // 64 x 32 of plain matmul on one thread (2^18 multiply-adds).
  EXPECT_DOUBLE_EQ(w[HostTerm::Matmul], 2.0 * 600 * 896 * 96 * 11 / 21 +
                                            2.0 * 600 * 112 * 96 * 2 / 3 +
                                            2.0 * 2 * 64 * 64 * 32);
  EXPECT_DOUBLE_EQ(w[HostTerm::CopyTransposed], 0);
  // Each of the 3 rows of cache tiles of each part packs the part's
  // columns of W (896 x 96 and 104 x 96 elements), on the part's threads;
  // the batched one's single row of 64 x 64 tiles packs each 64 x 32
  // matrix once.
  EXPECT_DOUBLE_EQ(w[HostTerm::PackTransposed], 3.0 * 896 * 96 * 11 / 21 +
                                                    3.0 * 104 * 96 * 2 / 3 +
                                                    2.0 * 64 * 32);
  // The product's 600000 zeros and both parts' tiles, consecutive loops on
  // the threads, share one fork; the batched matmul is on one thread.
  EXPECT_DOUBLE_EQ(w[HostTerm::ParallelOps], 1);
  EXPECT_DOUBLE_EQ(w[HostTerm::Ops], 2);
}

TEST(HostWork, TransposesWithShortRowsAreCopies) {
  // NCHW -> NHWC of 3 channels: output rows of 3 elements, too short for
  // the 8 x 8 blocks; the loops read 3 lines at a time along their length,
  // a copy. Of 16 channels: rows of 16, a gather in blocks. NHWC -> NCHW
  // of a 7 x 7 image: h and w are consecutive in the input too, rows of
  // 49 (CpuParallelLoops.cpp collapses them): a gather.
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx,
                      "%x: tensor<1x3x32x32xf32>, %y: tensor<1x16x32x32xf32>, "
                      "%z: tensor<1x7x7x64xf32>",
                      R"mlir(
  %k:3 = wl.kernel "t"(%x, %y, %z) : (tensor<1x3x32x32xf32>, tensor<1x16x32x32xf32>, tensor<1x7x7x64xf32>) -> (tensor<1x32x32x3xf32>, tensor<1x32x32x16xf32>, tensor<1x64x7x7xf32>) {
  ^bb0(%a: tensor<1x3x32x32xf32>, %b: tensor<1x16x32x32xf32>, %c: tensor<1x7x7x64xf32>):
    %0 = wl.transpose %a perm = [0, 2, 3, 1] : tensor<1x3x32x32xf32> -> tensor<1x32x32x3xf32>
    %1 = wl.transpose %b perm = [0, 2, 3, 1] : tensor<1x16x32x32xf32> -> tensor<1x32x32x16xf32>
    %2 = wl.transpose %c perm = [0, 3, 1, 2] : tensor<1x7x7x64xf32> -> tensor<1x64x7x7xf32>
    wl.yield %0, %1, %2 : tensor<1x32x32x3xf32>, tensor<1x32x32x16xf32>, tensor<1x64x7x7xf32>
  })mlir");
  EXPECT_DOUBLE_EQ(w[HostTerm::Copy], 3072);
  EXPECT_DOUBLE_EQ(w[HostTerm::CopyTransposed], 16384 + 3136);
}

TEST(HostWork, GlobalPoolsAreATermOfTheirOwn) {
  fungible::testing::WorkloadFixture fx;
  HostWork w = workOf(fx, "%x: tensor<1x14x14x64xf32>", R"mlir(
  %k:3 = wl.kernel "pools"(%x) : (tensor<1x14x14x64xf32>) -> (tensor<1x1x1x64xf32>, tensor<1x7x7x64xf32>, tensor<1x2x2x64xf32>) {
  ^bb0(%a: tensor<1x14x14x64xf32>):
    %0 = wl.pool2d avg %a {window = array<i64: 14, 14>} : tensor<1x14x14x64xf32> -> tensor<1x1x1x64xf32>
    %1 = wl.pool2d max %a {window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x14x14x64xf32> -> tensor<1x7x7x64xf32>
    %2 = wl.pool2d max %a {window = array<i64: 14, 14>, padding = array<i64: 1, 0, 1, 0>} : tensor<1x14x14x64xf32> -> tensor<1x2x2x64xf32>
    wl.yield %0, %1, %2 : tensor<1x1x1x64xf32>, tensor<1x7x7x64xf32>, tensor<1x2x2x64xf32>
  })mlir");
  // The global pool: 64 outputs x 196 taps = 12544, one thread.
  EXPECT_DOUBLE_EQ(w[HostTerm::PoolGlobal], 64.0 * 196);
  // The 2x2 windows: 3136 outputs x 4 taps; the padded 14x14 window slides
  // over 2 x 2 outputs: 256 x 196 = 50176 taps, under 2^16: one thread.
  EXPECT_DOUBLE_EQ(w[HostTerm::Pool], 3136.0 * 4 + 256.0 * 196);
}

TEST(HostWork, TermNamesRoundTrip) {
  for (unsigned t = 0; t < kNumHostTerms; ++t) {
    std::optional<HostTerm> back =
        parseHostTerm(stringifyHostTerm(HostTerm(t)));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(unsigned(*back), t);
  }
  EXPECT_FALSE(parseHostTerm("warp_shuffles").has_value());
  EXPECT_EQ(hostTermParam(HostTerm::ConvLarge), "host_ns_per_conv_large");
}

TEST(HostWork, SpecWithTermsEstimatesTheirSum) {
  fungible::testing::WorkloadFixture fx;
  llvm::Expected<ChipSpec> shipped =
      loadChipSpec(std::string(FUNGIBLE_SPECS_DIR) + "/cpu-host.json");
  ASSERT_TRUE(static_cast<bool>(shipped))
      << llvm::toString(shipped.takeError());
  ChipSpec spec = *shipped;
  spec.units.value = 2;
  spec.onChipMB.value = 32;
  spec.params["core_cache_kb"].value = 1024;
  // Cost t+1 ns for term t.
  for (unsigned t = 0; t < kNumHostTerms; ++t)
    spec.params[hostTermParam(HostTerm(t))].value = t + 1;
  OwningOpRef<ModuleOp> module =
      fx.parse("%a: tensor<100x200xf32>, %b: tensor<200x300xf32>",
               "%0 = wl.matmul %a, %b : (tensor<100x200xf32>, "
               "tensor<200x300xf32>) -> tensor<100x300xf32>");
  ASSERT_TRUE(module) << fx.messages;
  KernelInfo info = fungible::testing::WorkloadFixture::firstKernel(*module);
  HostWork w = describeHostWork(info, vmShape());
  double expected = 0;
  for (unsigned t = 0; t < kNumHostTerms; ++t)
    expected += w.amount[t] * (t + 1) * 1e-9;
  // Matmul 7.68 MFLOP (HostWork.MatmulBiasGelu: 5.12 on two threads, the
  // 44 columns left 2.56 on one) at 1 ns, no streamed bytes (100 rows),
  // 440 KB within the core's cache at 26 ns, one op at 32, one fork at 33,
  // 120 KB out at 34, 3 arguments (A, B, the result) at 40, one call at 41
  // (no scalar ops, serial steps or strided accesses, terms 35 to 38: no
  // loops over buffers; no reduction chains, 39).
  EXPECT_DOUBLE_EQ(expected, (7.68e6 * 1 + 440000.0 * 26 + 32 + 33 +
                              120000.0 * 34 + 3 * 40 + 41) *
                                 1e-9);
  CostEstimate e = createCpuTarget(spec)->estimate(info, /*explain=*/true);
  EXPECT_NEAR(e.seconds / expected, 1, 1e-12);
  EXPECT_NE(e.explanation.find("matmul 7.68e+06 x 1 ns"), std::string::npos)
      << e.explanation;
}

} // namespace
