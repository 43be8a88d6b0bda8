//===- MeasureTest.cpp - Timings and the cost model's error -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the fidelity statistics of runtime/Measure.h against
// values worked out by hand (Kendall's tau-b with and without ties, the
// absolute percentage errors, the median and interquartile spread of a
// set of timings), the grouping by kind, and that a real kernel's timing
// on the host is positive with as many runs as asked for.
//
//===----------------------------------------------------------------------===//

#include "runtime/Measure.h"
#include "dialects/Workload/WorkloadDialect.h"
#include "runtime/HostExecutor.h"
#include "targets/Kernels.h"
#include "tools/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace fungible;
using namespace fungible::runtime;

namespace {

TEST(Measure, KendallTauByHand) {
  // One discordant pair (2, 3) of six: (5 - 1) / 6.
  EXPECT_NEAR(kendallTauB({1, 2, 3, 4}, {1, 3, 2, 4}), 4.0 / 6, 1e-12);
  EXPECT_DOUBLE_EQ(kendallTauB({1, 2, 3}, {3, 2, 1}), -1);
  EXPECT_DOUBLE_EQ(kendallTauB({1, 2, 3}, {10, 20, 30}), 1);
  // A tie in x: 2 concordant of 3 pairs, sqrt((3 - 1) * (3 - 0)).
  EXPECT_NEAR(kendallTauB({1, 1, 2}, {1, 2, 3}), 2 / std::sqrt(6.0), 1e-12);
  // Undefined: one element, or one side all ties.
  EXPECT_TRUE(std::isnan(kendallTauB({1}, {2})));
  EXPECT_TRUE(std::isnan(kendallTauB({1, 1, 1}, {1, 2, 3})));
}

TEST(Measure, ErrorsByHand) {
  // Errors 0.5, 0 and 0.25; sums 6 and 8; measured ranks tie the first two.
  FidelityStats s = fidelityStats({1, 2, 3}, {2, 2, 4});
  EXPECT_EQ(s.kernels, 3u);
  EXPECT_DOUBLE_EQ(s.mape, 0.25);
  EXPECT_DOUBLE_EQ(s.medianApe, 0.25);
  EXPECT_DOUBLE_EQ(s.maxApe, 0.5);
  EXPECT_DOUBLE_EQ(s.estimatedTotal, 6);
  EXPECT_DOUBLE_EQ(s.measuredTotal, 8);
  EXPECT_DOUBLE_EQ(s.totalApe, 0.25);
  EXPECT_NEAR(s.kendallTau, 2 / std::sqrt(6.0), 1e-12);
  // An even count: the median is the mean of the middle two.
  EXPECT_DOUBLE_EQ(fidelityStats({1, 1, 1, 1}, {1, 2, 4, 0.5}).medianApe,
                   (0.5 + 0.75) / 2);
}

TEST(Measure, TimesSummarizedByHand) {
  // Quartiles of 1..5 at ranks 1 and 3: 2 and 4; median 3.
  KernelTiming t = summarizeTimes({5, 1, 4, 2, 3});
  EXPECT_EQ(t.runs, 5u);
  EXPECT_DOUBLE_EQ(t.median, 3);
  EXPECT_DOUBLE_EQ(t.spread, 2.0 / 3);
  KernelTiming one = summarizeTimes({7});
  EXPECT_DOUBLE_EQ(one.median, 7);
  EXPECT_DOUBLE_EQ(one.spread, 0);
}

TEST(Measure, GroupedByKind) {
  Fidelity f = computeFidelity("cpu-host", {1, 2, 3, 4}, {2, 2, 3, 8},
                               {"elementwise", "conv", "elementwise", "conv"});
  EXPECT_EQ(f.model, "cpu-host");
  EXPECT_EQ(f.all.kernels, 4u);
  ASSERT_EQ(f.byKind.size(), 2u);
  // Sorted by kind: conv (errors 0 and 0.5), elementwise (0.5 and 0).
  EXPECT_EQ(f.byKind[0].first, "conv");
  EXPECT_EQ(f.byKind[0].second.kernels, 2u);
  EXPECT_DOUBLE_EQ(f.byKind[0].second.mape, 0.25);
  EXPECT_DOUBLE_EQ(f.byKind[0].second.totalApe, 0.4);
  EXPECT_EQ(f.byKind[1].first, "elementwise");
  EXPECT_DOUBLE_EQ(f.byKind[1].second.maxApe, 0.5);
}

TEST(Measure, KindsAndARealTiming) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllFungibleDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(R"mlir(
func.func @f(%img: tensor<1x6x6x4xf32>, %w: tensor<2x2x2x4xf32>, %a: tensor<8x8xf32>) -> (tensor<1x4x5x4xf32>, tensor<8x8xf32>) {
  %c = wl.kernel "conv"(%img, %w) : (tensor<1x6x6x4xf32>, tensor<2x2x2x4xf32>) -> tensor<1x4x5x4xf32> {
  ^bb0(%x: tensor<1x6x6x4xf32>, %y: tensor<2x2x2x4xf32>):
    %0 = wl.conv2d %x, %y {dilations = array<i64: 2, 1>, groups = 2 : i64} : (tensor<1x6x6x4xf32>, tensor<2x2x2x4xf32>) -> tensor<1x4x5x4xf32>
    %1 = wl.relu %0 : tensor<1x4x5x4xf32>
    wl.yield %1 : tensor<1x4x5x4xf32>
  }
  %m = wl.kernel "mm"(%a) : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%x: tensor<8x8xf32>):
    %0 = wl.matmul %x, %x : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
    wl.yield %0 : tensor<8x8xf32>
  }
  return %c, %m : tensor<1x4x5x4xf32>, tensor<8x8xf32>
}
)mlir",
                                                             &context);
  ASSERT_TRUE(module);
  std::vector<NamedKernel> kernels = collectKernels(*module);
  ASSERT_EQ(kernels.size(), 2u);
  std::optional<KernelInfo> conv = summarizeKernel(kernels[0].op);
  std::optional<KernelInfo> mm = summarizeKernel(kernels[1].op);
  ASSERT_TRUE(conv && mm);
  EXPECT_EQ(fidelityKind(*conv), "conv");
  EXPECT_EQ(fidelityKind(*mm), "contraction");

  auto func = cast<func::FuncOp>(module->lookupSymbol("f"));
  llvm::Expected<std::unique_ptr<HostExecutor>> executor =
      HostExecutor::create(func);
  ASSERT_TRUE(static_cast<bool>(executor))
      << llvm::toString(executor.takeError());
  HostTensor a =
      randomTensor(cast<RankedTensorType>(func.getArgument(2).getType()), 1);
  llvm::Expected<KernelTiming> t = timeKernel(**executor, 1, {&a}, 7);
  ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->runs, 7u);
  EXPECT_GT(t->median, 0);
  EXPECT_GE(t->spread, 0);
}

} // namespace
