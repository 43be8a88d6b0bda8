//===- WorkloadVerifierTest.cpp - Verifiers and folds from C++ --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks that ops built from C++ (as passes build them) are
// verified like parsed ones, and that folds give the expected values.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace fungible;
using namespace fungible::testing;

namespace {

class WorkloadBuild : public ::testing::Test, public WorkloadFixture {
protected:
  WorkloadBuild() : builder(&context) {
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// A function argument-like value of `type` (a block argument).
  Value value(ArrayRef<int64_t> shape, Type elem) {
    if (!block) {
      block = std::make_unique<Block>();
    }
    return block->addArgument(RankedTensorType::get(shape, elem),
                              builder.getUnknownLoc());
  }

  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<Block> block;
};

TEST_F(WorkloadBuild, BuiltMatmulVerifies) {
  Type f32 = builder.getF32Type();
  Value a = value({4, 8}, f32), b = value({8, 16}, f32);
  auto op = wl::MatmulOp::create(builder, builder.getUnknownLoc(),
                                 RankedTensorType::get({4, 16}, f32), a, b,
                                 /*acc=*/Value());
  EXPECT_TRUE(succeeded(verify(op)));
  EXPECT_EQ(op.getFlops(), 2 * 4 * 16 * 8);
  op->erase();
}

// An accumulator is read (4 x 16 f32 more bytes) but adds no FLOPs: the sum
// starts from it.
TEST_F(WorkloadBuild, MatmulAccumulatorCostsBytesNotFlops) {
  Type f32 = builder.getF32Type();
  Value a = value({4, 8}, f32), b = value({8, 16}, f32),
        c = value({4, 16}, f32);
  auto op = wl::MatmulOp::create(builder, builder.getUnknownLoc(),
                                 RankedTensorType::get({4, 16}, f32), a, b, c);
  EXPECT_TRUE(succeeded(verify(op)));
  EXPECT_EQ(op.getFlops(), 2 * 4 * 16 * 8);
  EXPECT_EQ(op.getBytesRead(), (4 * 8 + 8 * 16 + 4 * 16) * 4);
  EXPECT_EQ(op.getBytesWritten(), 4 * 16 * 4);
  op->erase();
}

TEST_F(WorkloadBuild, MatmulAccumulatorOfAnotherTypeFails) {
  Type f32 = builder.getF32Type();
  Value a = value({4, 8}, f32), b = value({8, 16}, f32),
        c = value({4, 16}, builder.getF16Type());
  auto op = wl::MatmulOp::create(builder, builder.getUnknownLoc(),
                                 RankedTensorType::get({4, 16}, f32), a, b, c);
  EXPECT_TRUE(failed(verify(op)));
  EXPECT_NE(messages.find("accumulator type 'tensor<4x16xf16>' differs from "
                          "the result type 'tensor<4x16xf32>'"),
            std::string::npos)
      << messages;
  op->erase();
}

TEST_F(WorkloadBuild, BuiltMatmulWithWrongResultFails) {
  Type f32 = builder.getF32Type();
  Value a = value({4, 8}, f32), b = value({8, 16}, f32);
  auto op = wl::MatmulOp::create(builder, builder.getUnknownLoc(),
                                 RankedTensorType::get({4, 15}, f32), a, b,
                                 /*acc=*/Value());
  EXPECT_TRUE(failed(verify(op)));
  EXPECT_NE(messages.find("result shape [4, 15] does not match the expected "
                          "[4, 16]"),
            std::string::npos)
      << messages;
  op->erase();
}

TEST_F(WorkloadBuild, DynamicShapeIsRejectedWithItsOwnMessage) {
  Type f32 = builder.getF32Type();
  Value x = value({ShapedType::kDynamic, 8}, f32);
  auto op = wl::ReluOp::create(builder, builder.getUnknownLoc(), x);
  EXPECT_TRUE(failed(verify(op)));
  EXPECT_NE(messages.find("dynamic shapes are not supported yet"),
            std::string::npos)
      << messages;
  op->erase();
}

TEST_F(WorkloadBuild, TransposeOfTransposeFoldsToInput) {
  Type f32 = builder.getF32Type();
  Value x = value({2, 3, 5}, f32);
  Location loc = builder.getUnknownLoc();
  auto t1 = wl::TransposeOp::create(
      builder, loc, RankedTensorType::get({3, 5, 2}, f32), x,
      ArrayRef<int64_t>{1, 2, 0});
  // Inverse of [1, 2, 0] is [2, 0, 1]: composing gives the identity.
  auto t2 = wl::TransposeOp::create(
      builder, loc, RankedTensorType::get({2, 3, 5}, f32), t1,
      ArrayRef<int64_t>{2, 0, 1});
  SmallVector<OpFoldResult> results;
  ASSERT_TRUE(succeeded(t2->fold(results)));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(dyn_cast<Value>(results[0]), x);
  t2->erase();
  t1->erase();
}

TEST_F(WorkloadBuild, NonInverseTransposesDoNotFoldToInput) {
  Type f32 = builder.getF32Type();
  Value x = value({2, 3, 5}, f32);
  Location loc = builder.getUnknownLoc();
  auto t1 = wl::TransposeOp::create(
      builder, loc, RankedTensorType::get({3, 5, 2}, f32), x,
      ArrayRef<int64_t>{1, 2, 0});
  auto t2 = wl::TransposeOp::create(
      builder, loc, RankedTensorType::get({5, 2, 3}, f32), t1,
      ArrayRef<int64_t>{1, 2, 0});
  SmallVector<OpFoldResult> results;
  EXPECT_TRUE(failed(t2->fold(results)));
  t2->erase();
  t1->erase();
}

TEST_F(WorkloadBuild, EffectiveScaleDefaultsToInverseSqrtOfHeadDim) {
  Type f32 = builder.getF32Type();
  Value q = value({2, 64}, f32), k = value({3, 64}, f32),
        v = value({3, 16}, f32);
  auto op = wl::AttentionOp::create(
      builder, builder.getUnknownLoc(), RankedTensorType::get({2, 16}, f32), q,
      k, v, /*mask=*/Value(), /*offset=*/Value(), /*scale=*/nullptr,
      /*causal=*/false, /*normalize_after=*/false);
  EXPECT_TRUE(succeeded(verify(op)));
  EXPECT_DOUBLE_EQ(op.getEffectiveScale(), 0.125);  // 1/sqrt(64)
  op->erase();
}

} // namespace
