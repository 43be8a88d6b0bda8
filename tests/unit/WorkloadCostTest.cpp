//===- WorkloadCostTest.cpp - WorkloadCostInterface counts ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the FLOP/byte counts and kinds of WorkloadCostInterface
// against hand-computed values (the arithmetic is written out next to each
// expectation).
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "gtest/gtest.h"

using namespace fungible;
using namespace fungible::testing;

namespace {

struct Counts {
  int64_t flops, read, written;
  wl::WorkKind kind;
};

class WorkloadCost : public ::testing::Test, public WorkloadFixture {
protected:
  /// Parses one op and returns its counts; fails the test on a parse error.
  Counts counts(const std::string &args, const std::string &body) {
    auto module = parse(args, body);
    EXPECT_TRUE(module) << messages;
    if (!module)
      return {-1, -1, -1, wl::WorkKind::Opaque};
    wl::WorkloadCostInterface op = firstCosted(*module);
    EXPECT_TRUE(op);
    return {op.getFlops(), op.getBytesRead(), op.getBytesWritten(),
            op.getWorkKind()};
  }
};

TEST_F(WorkloadCost, MatmulF32) {
  Counts c = counts("%a: tensor<128x64xf32>, %b: tensor<64x256xf32>",
                    "%c = wl.matmul %a, %b : (tensor<128x64xf32>, "
                    "tensor<64x256xf32>) -> tensor<128x256xf32>");
  EXPECT_EQ(c.flops, 2 * 128 * 256 * 64);            // 2*M*N*K
  EXPECT_EQ(c.read, (128 * 64 + 64 * 256) * 4);      // A and B once
  EXPECT_EQ(c.written, 128 * 256 * 4);
  EXPECT_EQ(c.kind, wl::WorkKind::Contraction);
}

TEST_F(WorkloadCost, MatmulTransposedOperands) {
  // lhs is K x M = 64 x 128, rhs is N x K = 256 x 64: same M, N, K as above.
  Counts c = counts("%a: tensor<64x128xf32>, %b: tensor<256x64xf32>",
                    "%c = wl.matmul %a, %b {transpose_lhs, transpose_rhs} : "
                    "(tensor<64x128xf32>, tensor<256x64xf32>) -> "
                    "tensor<128x256xf32>");
  EXPECT_EQ(c.flops, 4194304);
}

TEST_F(WorkloadCost, MatmulBF16AccumulatesInF32) {
  Counts c = counts("%a: tensor<128x64xbf16>, %b: tensor<64x256xbf16>",
                    "%c = wl.matmul %a, %b : (tensor<128x64xbf16>, "
                    "tensor<64x256xbf16>) -> tensor<128x256xf32>");
  EXPECT_EQ(c.read, (128 * 64 + 64 * 256) * 2);  // 2-byte inputs
  EXPECT_EQ(c.written, 128 * 256 * 4);           // 4-byte result
}

TEST_F(WorkloadCost, MatmulI8AccumulatesInI32) {
  Counts c = counts("%a: tensor<16x32xi8>, %b: tensor<32x8xi8>",
                    "%c = wl.matmul %a, %b : (tensor<16x32xi8>, "
                    "tensor<32x8xi8>) -> tensor<16x8xi32>");
  EXPECT_EQ(c.flops, 2 * 16 * 8 * 32);
  EXPECT_EQ(c.read, 16 * 32 + 32 * 8);
  EXPECT_EQ(c.written, 16 * 8 * 4);
}

TEST_F(WorkloadCost, BatchMatmul) {
  Counts c = counts("%a: tensor<8x32x16xf32>, %b: tensor<8x16x64xf32>",
                    "%c = wl.batch_matmul %a, %b : (tensor<8x32x16xf32>, "
                    "tensor<8x16x64xf32>) -> tensor<8x32x64xf32>");
  EXPECT_EQ(c.flops, 2 * 8 * 32 * 64 * 16);  // 524288
  EXPECT_EQ(c.kind, wl::WorkKind::Contraction);
}

TEST_F(WorkloadCost, Conv2DResNetLayer) {
  // 56x56x64 -> 56x56x128 with a 3x3 kernel, padding 1:
  // 2 * (56*56*128 outputs) * (3*3*64 MACs each) = 462422016.
  Counts c = counts(
      "%x: tensor<1x56x56x64xf32>, %w: tensor<3x3x64x128xf32>",
      "%y = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : "
      "(tensor<1x56x56x64xf32>, tensor<3x3x64x128xf32>) -> "
      "tensor<1x56x56x128xf32>");
  EXPECT_EQ(c.flops, 462422016);
  EXPECT_EQ(c.read, (56 * 56 * 64 + 3 * 3 * 64 * 128) * 4);
}

TEST_F(WorkloadCost, Conv2DDepthwise) {
  // groups = C = 16: each output sums 3*3*1 products: 2 * 8*8*16 * 9.
  Counts c = counts(
      "%x: tensor<1x8x8x16xf32>, %w: tensor<3x3x1x16xf32>",
      "%y = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, groups = 16 "
      ": i64} : (tensor<1x8x8x16xf32>, tensor<3x3x1x16xf32>) -> "
      "tensor<1x8x8x16xf32>");
  EXPECT_EQ(c.flops, 18432);
}

TEST_F(WorkloadCost, Attention) {
  // batch 1*2, Sq 4, Sk 6, D 8, Dv 3; 24 scores per batch:
  // 2 * (2*24*8 + 24 + 5*24 + 2*24*3) = 2 * 672 = 1344.
  Counts c = counts(
      "%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x6x8xf32>, "
      "%v: tensor<1x2x6x3xf32>",
      "%o = wl.attention %q, %k, %v : (tensor<1x2x4x8xf32>, "
      "tensor<1x2x6x8xf32>, tensor<1x2x6x3xf32>) -> tensor<1x2x4x3xf32>");
  EXPECT_EQ(c.flops, 1344);
  EXPECT_EQ(c.written, 2 * 4 * 3 * 4);
}

TEST_F(WorkloadCost, AttentionNormalizedAfterAtAnOffset) {
  // Normalised after the product: per batch 2*24*8 (Q K^T) + 24 (scale) +
  // 4*24 (max, subtract, exp, sum) + 2*24*3 (P V) + 4 (a reciprocal per
  // row) + 4*3 (the result's scaling) = 384 + 24 + 96 + 144 + 16 = 664;
  // the offset, an index, is no work and no bytes.
  Counts c = counts(
      "%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x6x8xf32>, "
      "%v: tensor<1x2x6x3xf32>, %pos: index",
      "%o = wl.attention %q, %k, %v offset %pos {causal, normalize_after} : "
      "(tensor<1x2x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x3xf32>, "
      "index) -> tensor<1x2x4x3xf32>");
  EXPECT_EQ(c.flops, 2 * 664);
  EXPECT_EQ(c.read, (2 * 4 * 8 + 2 * 6 * 8 + 2 * 6 * 3) * 4);
  EXPECT_EQ(c.written, 2 * 4 * 3 * 4);
}

TEST_F(WorkloadCost, UnaryCountsOnePerElement) {
  Counts c = counts("%x: tensor<4x8xf32>", "%y = wl.relu %x : tensor<4x8xf32>");
  EXPECT_EQ(c.flops, 32);
  EXPECT_EQ(c.read, 128);
  EXPECT_EQ(c.written, 128);
  EXPECT_EQ(c.kind, wl::WorkKind::Elementwise);
}

TEST_F(WorkloadCost, TranscendentalCountsOnePerElement) {
  Counts c = counts("%x: tensor<3x5xbf16>", "%y = wl.gelu %x : tensor<3x5xbf16>");
  EXPECT_EQ(c.flops, 15);
  EXPECT_EQ(c.read, 30);
}

TEST_F(WorkloadCost, BinaryBroadcastReadsOperandsAtTheirSize) {
  Counts c = counts("%x: tensor<8x1024xf32>, %b: tensor<1024xf32>",
                    "%y = wl.add %x, %b : (tensor<8x1024xf32>, "
                    "tensor<1024xf32>) -> tensor<8x1024xf32>");
  EXPECT_EQ(c.flops, 8192);
  EXPECT_EQ(c.read, (8192 + 1024) * 4);
  EXPECT_EQ(c.written, 8192 * 4);
}

TEST_F(WorkloadCost, CastIsZeroFlops) {
  Counts c = counts("%x: tensor<4x8xf32>",
                    "%y = wl.cast %x : tensor<4x8xf32> -> tensor<4x8xbf16>");
  EXPECT_EQ(c.flops, 0);
  EXPECT_EQ(c.read, 128);
  EXPECT_EQ(c.written, 64);
  EXPECT_EQ(c.kind, wl::WorkKind::Elementwise);
}

TEST_F(WorkloadCost, ReduceCountsOnePerInputElement) {
  Counts c = counts("%x: tensor<8x1024xf32>",
                    "%y = wl.reduce sum %x dims = [1] : tensor<8x1024xf32> "
                    "-> tensor<8xf32>");
  EXPECT_EQ(c.flops, 8192);
  EXPECT_EQ(c.written, 32);
  EXPECT_EQ(c.kind, wl::WorkKind::Reduction);
}

TEST_F(WorkloadCost, SoftmaxFivePerElement) {
  Counts c = counts("%x: tensor<8x128xf32>",
                    "%y = wl.softmax %x axis = 1 : tensor<8x128xf32>");
  EXPECT_EQ(c.flops, 5 * 1024);
}

TEST_F(WorkloadCost, LayerNorm) {
  // 7 per element + 4 per row: 7*6144 + 4*8.
  Counts c = counts("%x: tensor<8x768xf32>, %g: tensor<768xf32>, "
                    "%b: tensor<768xf32>",
                    "%y = wl.layer_norm %x, %g, %b : (tensor<8x768xf32>, "
                    "tensor<768xf32>, tensor<768xf32>) -> tensor<8x768xf32>");
  EXPECT_EQ(c.flops, 43040);
  EXPECT_EQ(c.read, (6144 + 768 + 768) * 4);
}

TEST_F(WorkloadCost, RmsNorm) {
  // 4 per element + 3 per row: 4*32768 + 3*8.
  Counts c = counts("%x: tensor<8x4096xbf16>, %w: tensor<4096xbf16>",
                    "%y = wl.rms_norm %x, %w : (tensor<8x4096xbf16>, "
                    "tensor<4096xbf16>) -> tensor<8x4096xbf16>");
  EXPECT_EQ(c.flops, 131096);
  EXPECT_EQ(c.read, (32768 + 4096) * 2);
}

TEST_F(WorkloadCost, MaxPoolWindowPerOutput) {
  // ResNet stem pool: 56*56*64 outputs, 3*3 window each.
  Counts c = counts("%x: tensor<1x112x112x64xf32>",
                    "%y = wl.pool2d max %x {window = array<i64: 3, 3>, "
                    "strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, "
                    "1>} : tensor<1x112x112x64xf32> -> tensor<1x56x56x64xf32>");
  EXPECT_EQ(c.flops, 1806336);
  EXPECT_EQ(c.kind, wl::WorkKind::Reduction);
}

TEST_F(WorkloadCost, TransposeIsDataMovement) {
  Counts c = counts("%x: tensor<4x8xf16>",
                    "%y = wl.transpose %x perm = [1, 0] : tensor<4x8xf16> -> "
                    "tensor<8x4xf16>");
  EXPECT_EQ(c.flops, 0);
  EXPECT_EQ(c.read, 64);
  EXPECT_EQ(c.written, 64);
  EXPECT_EQ(c.kind, wl::WorkKind::DataMovement);
}

TEST_F(WorkloadCost, SliceReadsOnlyWhatItSelects) {
  Counts c = counts("%x: tensor<4x8xf32>",
                    "%y = wl.slice %x offsets = [0, 2] {strides = array<i64: "
                    "1, 2>} : tensor<4x8xf32> -> tensor<4x3xf32>");
  EXPECT_EQ(c.read, 4 * 3 * 4);
  EXPECT_EQ(c.written, 4 * 3 * 4);
}

TEST_F(WorkloadCost, ConcatReadsEveryInput) {
  Counts c = counts("%a: tensor<2x3xi32>, %b: tensor<2x5xi32>",
                    "%y = wl.concat %a, %b dim = 1 : (tensor<2x3xi32>, "
                    "tensor<2x5xi32>) -> tensor<2x8xi32>");
  EXPECT_EQ(c.read, (6 + 10) * 4);
  EXPECT_EQ(c.written, 16 * 4);
  EXPECT_EQ(c.flops, 0);
}

TEST_F(WorkloadCost, TransferMovesTheWholeTensor) {
  Counts c = counts("%x: tensor<1024xf8E4M3FN>",
                    "%y = wl.transfer %x from \"h100:0\" to \"cpu-host\" : "
                    "tensor<1024xf8E4M3FN>");
  EXPECT_EQ(c.flops, 0);
  EXPECT_EQ(c.read, 1024);  // f8: one byte per element
  EXPECT_EQ(c.kind, wl::WorkKind::DataMovement);
}

TEST_F(WorkloadCost, ElementBytes) {
  mlir::Builder b(&context);
  EXPECT_EQ(wl::detail::elementBytes(b.getF32Type()), 4);
  EXPECT_EQ(wl::detail::elementBytes(b.getF16Type()), 2);
  EXPECT_EQ(wl::detail::elementBytes(b.getBF16Type()), 2);
  EXPECT_EQ(wl::detail::elementBytes(b.getType<mlir::Float8E4M3FNType>()), 1);
  EXPECT_EQ(wl::detail::elementBytes(b.getI8Type()), 1);
  EXPECT_EQ(wl::detail::elementBytes(b.getI32Type()), 4);
}

} // namespace
