//===- RunTest.cpp - The runtime library, called directly -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file tests runtime/Run.h as a library user (the planner, a test)
// calls it, without fungible-run: a model prepared, placed on a fleet,
// simulated and computed, its outputs checked against values worked out by
// hand; and the errors of a missing entry and a lost fleet.
//
//===----------------------------------------------------------------------===//

#include "runtime/Run.h"
#include "tools/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir;
using namespace fungible;
using namespace fungible::runtime;

namespace {

/// relu(A B) in upstream linalg, as a user has it.
constexpr const char *kModel = R"mlir(
func.func @mlp(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<2x2xf32>
  %c = linalg.fill ins(%zero : f32) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %p = linalg.matmul ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%p : tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
)mlir";

class RunTest : public ::testing::Test {
protected:
  RunTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerAllFungibleDialects(registry);
    context.appendDialectRegistry(registry);
    module = parseSourceString<ModuleOp>(kModel, &context);
  }

  /// The directories makeDir made, and all they hold, go with the test.
  ~RunTest() override {
    for (const std::string &dir : dirs)
      llvm::sys::fs::remove_directories(dir);
  }

  /// A fresh directory under the system temp dir.
  std::string makeDir(llvm::StringRef name) {
    llvm::SmallString<128> dir;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory(name, dir));
    dirs.push_back(dir.str().str());
    return dirs.back();
  }

  HostTensor tensor2x2(std::initializer_list<float> values) {
    HostTensor t{RankedTensorType::get({2, 2}, Float32Type::get(&context)),
                 HostBuffer(16)};
    std::memcpy(t.data.data(), values.begin(), 16);
    return t;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::vector<std::string> dirs;
};

TEST_F(RunTest, ComputesOnAMixedFleet) {
  ASSERT_TRUE(module);
  FleetOptions fleet;
  fleet.specsDir = FUNGIBLE_SPECS_DIR;
  llvm::Expected<std::vector<Device>> devices =
      parseDevices("h100:1,trn2:1,cpu-host:1");
  ASSERT_TRUE(static_cast<bool>(devices));
  fleet.devices = *devices;
  llvm::Expected<TargetSelection> targets = loadFleetTargets(fleet);
  ASSERT_TRUE(static_cast<bool>(targets))
      << llvm::toString(targets.takeError());
  ASSERT_EQ(targets->targets.size(), 3u);
  EXPECT_EQ(targets->targets[1]->getName(), "trn2");

  llvm::Expected<PreparedModel> prepared = prepareForRun(*module, "");
  ASSERT_TRUE(static_cast<bool>(prepared))
      << llvm::toString(prepared.takeError());
  EXPECT_EQ(prepared->func.getName(), "mlp");

  // A = [[1, 2], [3, 4]], B = [[-5, 6], [7, -8]]: A B = [[9, -10],
  // [13, -14]], relu: [[9, 0], [13, 0]].
  std::string inputs = makeDir("fungible-run-test-in");
  ASSERT_FALSE(static_cast<bool>(
      writeNpy(tensor2x2({1, 2, 3, 4}), inputs + "/arg0.npy")));
  ASSERT_FALSE(static_cast<bool>(
      writeNpy(tensor2x2({-5, 6, 7, -8}), inputs + "/arg1.npy")));
  RunOptions options;
  options.inputsDir = inputs;
  options.outDir = makeDir("fungible-run-test-out");
  llvm::Expected<RunResult> result =
      runModel(*prepared, *targets, fleet.devices, options);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->function, "mlp");
  ASSERT_FALSE(result->kernels.empty());
  // Every kernel ran once, on a device of the fleet.
  EXPECT_EQ(result->executions, result->kernels.size());
  for (const std::string &device : result->schedule.placement)
    EXPECT_TRUE(device == "h100:0" || device == "trn2:0" ||
                device == "cpu-host:0")
        << device;
  EXPECT_GT(result->schedule.makespan, 0);

  llvm::Expected<HostTensor> out =
      readNpy(options.outDir + "/result0.npy",
              RankedTensorType::get({2, 2}, Float32Type::get(&context)));
  ASSERT_TRUE(static_cast<bool>(out)) << llvm::toString(out.takeError());
  float values[4];
  std::memcpy(values, out->data.data(), 16);
  EXPECT_EQ(values[0], 9.0f);
  EXPECT_EQ(values[1], 0.0f);
  EXPECT_EQ(values[2], 13.0f);
  EXPECT_EQ(values[3], 0.0f);
}

TEST_F(RunTest, Errors) {
  ASSERT_TRUE(module);
  llvm::Expected<PreparedModel> missing = prepareForRun(*module, "main");
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_EQ(llvm::toString(missing.takeError()), "no function named 'main'");

  FleetOptions fleet;
  fleet.specsDir = FUNGIBLE_SPECS_DIR;
  fleet.devices = {{"a100", 0}};
  llvm::Expected<TargetSelection> unknown = loadFleetTargets(fleet);
  ASSERT_FALSE(static_cast<bool>(unknown));
  EXPECT_NE(llvm::toString(unknown.takeError()).find("a100"),
            std::string::npos);
}

} // namespace
