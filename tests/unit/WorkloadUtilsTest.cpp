//===- WorkloadUtilsTest.cpp - Shape arithmetic -----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the shape arithmetic shared by verifiers, cost counts
// and lowerings: numpy broadcasting, window sizes and reduced shapes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadUtils.h"

#include "gtest/gtest.h"

using namespace fungible::wl;
using llvm::SmallVector;

namespace {

TEST(BroadcastShape, TrailingAlignment) {
  SmallVector<int64_t> out;
  ASSERT_TRUE(getBroadcastShape({8, 1, 6, 1}, {7, 1, 5}, out));
  EXPECT_EQ(out, (SmallVector<int64_t>{8, 7, 6, 5}));  // numpy's example
}

TEST(BroadcastShape, Incompatible) {
  SmallVector<int64_t> out;
  EXPECT_FALSE(getBroadcastShape({2, 3}, {4}, out));
  EXPECT_FALSE(getBroadcastShape({2, 1}, {8, 4, 3}, out));
}

TEST(BroadcastShape, ScalarTensor) {
  SmallVector<int64_t> out;
  ASSERT_TRUE(getBroadcastShape({}, {3, 4}, out));
  EXPECT_EQ(out, (SmallVector<int64_t>{3, 4}));
}

TEST(WindowOutputSize, ConvAndPool) {
  EXPECT_EQ(windowOutputSize(224, 7, 2, 1, 3, 3), 112);  // ResNet stem conv
  EXPECT_EQ(windowOutputSize(112, 3, 2, 1, 1, 1), 56);   // ResNet stem pool
  EXPECT_EQ(windowOutputSize(5, 3, 1, 2, 0, 0), 1);      // dilation 2 spans 5
  EXPECT_EQ(windowOutputSize(4, 3, 1, 2, 0, 0), 0);      // does not fit
}

TEST(ReducedShape, DropOrKeep) {
  EXPECT_EQ(getReducedShape({2, 3, 4}, {0, 2}, false),
            (SmallVector<int64_t>{3}));
  EXPECT_EQ(getReducedShape({2, 3, 4}, {0, 2}, true),
            (SmallVector<int64_t>{1, 3, 1}));
  EXPECT_TRUE(getReducedShape({5}, {0}, false).empty());
}

} // namespace
