//===- HostExecutorTest.cpp - Kernels' numbers per target -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks that the runtime computes a kernel placed on a TPU or a
// Trainium with that chip's own program (the mxu or neuron emulator) and a
// kernel on the host with the host's code, and that both give what the
// hardware computes: a bf16 matmul accumulates in f32 and rounds once,
// which a reference loop written here reproduces to the bit.
//
//===----------------------------------------------------------------------===//

#include "runtime/HostExecutor.h"
#include "dialects/Workload/WorkloadDialect.h"
#include "targets/BuiltinTargets.h"
#include "tools/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstring>

using namespace mlir;
using namespace fungible;
using namespace fungible::runtime;

namespace {

constexpr const char *kModule = R"mlir(
func.func @f(%a: tensor<40x300xbf16>, %b: tensor<300x70xbf16>) -> tensor<40x70xbf16> {
  %0 = wl.kernel "mm"(%a, %b) : (tensor<40x300xbf16>, tensor<300x70xbf16>) -> tensor<40x70xbf16> {
  ^bb0(%x: tensor<40x300xbf16>, %y: tensor<300x70xbf16>):
    %1 = wl.matmul %x, %y : (tensor<40x300xbf16>, tensor<300x70xbf16>) -> tensor<40x70xbf16>
    wl.yield %1 : tensor<40x70xbf16>
  }
  return %0 : tensor<40x70xbf16>
}
)mlir";

float fromBf16(const char *in) {
  uint16_t bits;
  std::memcpy(&bits, in, 2);
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &wide, 4);
  return f;
}

/// f32 -> bf16, rounding to nearest even (APFloat, independent of the
/// code under test).
float roundToBf16(float f) {
  llvm::APFloat value(f);
  bool lost;
  value.convert(llvm::APFloat::BFloat(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
  value.convert(llvm::APFloat::IEEEsingle(),
                llvm::APFloat::rmNearestTiesToEven, &lost);
  return value.convertToFloat();
}

/// Runs the kernel on `chip` and on the host; both must give the f32 sum
/// rounded once in every element.
void checkEmulated(const char *chip) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllFungibleDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kModule, &context);
  ASSERT_TRUE(module);
  auto func = cast<func::FuncOp>(module->lookupSymbol("f"));
  llvm::Expected<std::unique_ptr<HostExecutor>> executor =
      HostExecutor::create(func);
  ASSERT_TRUE(static_cast<bool>(executor))
      << llvm::toString(executor.takeError());
  llvm::Expected<TargetSelection> targets =
      loadTargets(FUNGIBLE_SPECS_DIR, {}, {chip, "cpu-host"});
  ASSERT_TRUE(static_cast<bool>(targets))
      << llvm::toString(targets.takeError());

  auto a = cast<RankedTensorType>(func.getArgument(0).getType());
  auto b = cast<RankedTensorType>(func.getArgument(1).getType());
  HostTensor ta = randomTensor(a, 1), tb = randomTensor(b, 2);
  std::vector<HostTensor> onChip, onHost;
  ASSERT_FALSE(static_cast<bool>(
      (*executor)->run(0, {&ta, &tb}, onChip, targets->targets[0])));
  ASSERT_FALSE(static_cast<bool>(
      (*executor)->run(0, {&ta, &tb}, onHost, targets->targets[1])));
  ASSERT_EQ(onChip.size(), 1u);
  EXPECT_EQ((*executor)->getEmulatedTargets(),
            std::vector<std::string>{chip});

  const int64_t m = 40, k = 300, n = 70;
  int64_t chipExact = 0, hostExact = 0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      float sum = 0;
      for (int64_t p = 0; p < k; ++p)
        sum += fromBf16(&ta.data[(i * k + p) * 2]) *
               fromBf16(&tb.data[(p * n + j) * 2]);
      float expected = roundToBf16(sum);
      chipExact += fromBf16(&onChip[0].data[(i * n + j) * 2]) == expected;
      hostExact += fromBf16(&onHost[0].data[(i * n + j) * 2]) == expected;
    }
  EXPECT_EQ(chipExact, m * n) << chip;
  EXPECT_EQ(hostExact, m * n) << chip;
}

TEST(HostExecutor, TpuPlacedKernelRunsTheMxuProgram) { checkEmulated("tpu-v5p"); }

TEST(HostExecutor, TrainiumPlacedKernelRunsTheNeuronProgram) {
  checkEmulated("trn2");
}

/// 70 kernels, each `x * c` with c = i % 35: 35 distinct bodies.
std::string repeatedKernels() {
  std::string text = "func.func @f(%x: tensor<4xf32>) -> (";
  for (int i = 0; i < 70; ++i)
    text += i ? ", tensor<4xf32>" : "tensor<4xf32>";
  text += ") {\n";
  for (int i = 0; i < 70; ++i)
    text += llvm::formatv(
        "  %r{0} = wl.kernel \"k{0}\"(%x) : (tensor<4xf32>) -> tensor<4xf32> "
        "{{\n  ^bb0(%a: tensor<4xf32>):\n"
        "    %c = arith.constant dense<{1}.0> : tensor<4xf32>\n"
        "    %m = wl.mul %a, %c : (tensor<4xf32>, tensor<4xf32>) -> "
        "tensor<4xf32>\n    wl.yield %m : tensor<4xf32>\n  }\n",
        i, i % 35);
  text += "  return";
  for (int i = 0; i < 70; ++i)
    text += (i ? ", %r" : " %r") + std::to_string(i);
  text += " : ";
  for (int i = 0; i < 70; ++i)
    text += i ? ", tensor<4xf32>" : "tensor<4xf32>";
  return text + "\n}\n";
}

// Equal kernels share one host function; more than 32 distinct ones are
// compiled in parts (16 a part here), in parallel, with progress reported
// after each part; every kernel still computes its own numbers, on the
// host and in the TPU's emulator (compiled in parts as well).
TEST(HostExecutor, RepeatedKernelsShareCodeCompiledInParts) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllFungibleDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(repeatedKernels(), &context);
  ASSERT_TRUE(module);
  auto func = cast<func::FuncOp>(module->lookupSymbol("f"));
  std::vector<size_t> reported;
  size_t totalReported = 0;
  llvm::Expected<std::unique_ptr<HostExecutor>> executor =
      HostExecutor::create(func, {}, [&](size_t done, size_t total, double) {
        reported.push_back(done);
        totalReported = total;
      });
  ASSERT_TRUE(static_cast<bool>(executor))
      << llvm::toString(executor.takeError());
  EXPECT_EQ((*executor)->getNumDistinctKernels(), 35u);
  // Three parts (16, 16 and 3 functions), in whatever order they finish.
  EXPECT_EQ(totalReported, 35u);
  ASSERT_EQ(reported.size(), 3u);
  EXPECT_TRUE(llvm::is_sorted(reported));
  EXPECT_EQ(reported.back(), 35u);

  llvm::Expected<TargetSelection> targets =
      loadTargets(FUNGIBLE_SPECS_DIR, {}, {"tpu-v5p"});
  ASSERT_TRUE(static_cast<bool>(targets))
      << llvm::toString(targets.takeError());
  auto type = cast<RankedTensorType>(func.getArgument(0).getType());
  HostTensor x = randomTensor(type, 3);
  for (unsigned k = 0; k < 70; ++k) {
    for (const Target *target :
         {static_cast<const Target *>(nullptr), targets->targets[0]}) {
      std::vector<HostTensor> out;
      ASSERT_FALSE(static_cast<bool>((*executor)->run(k, {&x}, out, target)));
      ASSERT_EQ(out.size(), 1u);
      for (int e = 0; e < 4; ++e) {
        float in, got;
        std::memcpy(&in, &x.data[e * 4], 4);
        std::memcpy(&got, &out[0].data[e * 4], 4);
        EXPECT_EQ(got, in * static_cast<float>(k % 35))
            << "kernel " << k << " element " << e;
      }
    }
  }
  EXPECT_EQ((*executor)->getEmulatedTargets(),
            std::vector<std::string>{"tpu-v5p"});
}

} // namespace

namespace {

TEST(HostBuffer, CopiesAreDeepMovesSteal) {
  HostBuffer a(8);
  EXPECT_EQ(a.size(), 8u);
  EXPECT_TRUE(std::all_of(a.begin(), a.end(), [](char c) { return c == 0; }));
  a[3] = 7;
  HostBuffer b = a;
  b[3] = 9;
  EXPECT_EQ(a[3], 7);
  EXPECT_EQ(b[3], 9);
  HostBuffer c = std::move(b);
  EXPECT_EQ(c[3], 9);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.data(), nullptr);
  // Growing keeps the bytes and zeroes the new ones.
  c.resize(12);
  EXPECT_EQ(c[3], 9);
  EXPECT_EQ(c[11], 0);
  const char text[] = "abc";
  c.assign(text, text + 3);
  EXPECT_EQ(std::string(c.begin(), c.end()), "abc");
}

TEST(HostBuffer, AlignedToACacheLine) {
  // A kernel's 64-byte vector loads of an input straddled two lines from
  // malloc's 16-byte alignment; every buffer the runtime makes starts on a
  // line, whatever its size (copies, growth, assignment).
  auto aligned = [](const HostBuffer &b) {
    return reinterpret_cast<uintptr_t>(b.data()) % 64 == 0;
  };
  for (size_t bytes : {1, 3, 64, 100, 4096 + 4}) {
    HostBuffer a(bytes);
    EXPECT_TRUE(aligned(a)) << bytes;
    HostBuffer b = a;
    EXPECT_TRUE(aligned(b)) << bytes;
    b.resize(bytes * 3 + 5);
    EXPECT_TRUE(aligned(b)) << bytes;
    std::string text(bytes, 'x');
    b.assign(text.data(), text.data() + text.size());
    EXPECT_TRUE(aligned(b)) << bytes;
    EXPECT_EQ(std::string(b.begin(), b.end()), text);
  }
}

TEST(HostBuffer, AdoptsAnAllocationFromItsDataOnwards) {
  // As a kernel's result: the data starts past the allocation's start (its
  // alignment), and the allocation is what is freed (LeakSanitizer, in
  // scripts/sanitize.sh, would report it otherwise).
  char *allocation = static_cast<char *>(std::malloc(64));
  std::memcpy(allocation + 16, "kernel", 6);
  HostBuffer adopted = HostBuffer::adopt(allocation, allocation + 16, 6);
  EXPECT_EQ(std::string(adopted.begin(), adopted.end()), "kernel");
  HostBuffer copy = adopted;
  EXPECT_NE(copy.data(), adopted.data());
  EXPECT_EQ(std::string(copy.begin(), copy.end()), "kernel");
}

/// Runs `@f` of `source` (one wl.kernel) on the host with inputs from
/// `seed`s; its results.
std::vector<HostTensor> runOnHost(const char *source,
                                  std::vector<HostTensor> &inputs) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllFungibleDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  EXPECT_TRUE(module);
  if (!module)
    return {};
  auto func = cast<func::FuncOp>(module->lookupSymbol("f"));
  llvm::Expected<std::unique_ptr<HostExecutor>> executor =
      HostExecutor::create(func);
  EXPECT_TRUE(static_cast<bool>(executor))
      << llvm::toString(executor.takeError());
  if (!executor)
    return {};
  inputs.clear();
  for (auto [i, arg] : llvm::enumerate(func.getArguments()))
    inputs.push_back(
        randomTensor(cast<RankedTensorType>(arg.getType()), i + 1));
  std::vector<const HostTensor *> in;
  for (HostTensor &t : inputs)
    in.push_back(&t);
  std::vector<HostTensor> results;
  llvm::Error e = (*executor)->run(0, in, results, nullptr);
  EXPECT_FALSE(static_cast<bool>(e)) << llvm::toString(std::move(e));
  return results;
}

float f32At(const HostTensor &t, int64_t i) {
  float f;
  std::memcpy(&f, t.data.data() + 4 * i, 4);
  return f;
}

TEST(HostExecutor, ResultsSharingAnAllocationAreEachTheirOwn) {
  // Two reshapes of one sum (one allocation, two descriptors) and the
  // input returned as it is: copied, never adopted twice or freed as an
  // input.
  std::vector<HostTensor> inputs;
  std::vector<HostTensor> results = runOnHost(R"mlir(
func.func @f(%a: tensor<2x6xf32>) -> (tensor<3x4xf32>, tensor<12xf32>, tensor<2x6xf32>, tensor<2x6xf32>) {
  %0:4 = wl.kernel "k"(%a) : (tensor<2x6xf32>) -> (tensor<3x4xf32>, tensor<12xf32>, tensor<2x6xf32>, tensor<2x6xf32>) {
  ^bb0(%x: tensor<2x6xf32>):
    %s = wl.add %x, %x : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32>
    %r1 = wl.reshape %s : tensor<2x6xf32> -> tensor<3x4xf32>
    %r2 = wl.reshape %s : tensor<2x6xf32> -> tensor<12xf32>
    %m = wl.mul %x, %x : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32>
    wl.yield %r1, %r2, %x, %m : tensor<3x4xf32>, tensor<12xf32>, tensor<2x6xf32>, tensor<2x6xf32>
  }
  return %0#0, %0#1, %0#2, %0#3 : tensor<3x4xf32>, tensor<12xf32>, tensor<2x6xf32>, tensor<2x6xf32>
}
)mlir",
                                              inputs);
  ASSERT_EQ(results.size(), 4u);
  for (const HostTensor &r : results)
    ASSERT_EQ(r.data.size(), 48u);
  EXPECT_NE(results[0].data.data(), results[1].data.data());
  EXPECT_NE(results[2].data.data(), inputs[0].data.data());
  for (int64_t i = 0; i < 12; ++i) {
    float x = f32At(inputs[0], i);
    EXPECT_EQ(f32At(results[0], i), x + x);
    EXPECT_EQ(f32At(results[1], i), x + x);
    EXPECT_EQ(f32At(results[2], i), x);
    EXPECT_EQ(f32At(results[3], i), x * x);
  }
  // The inputs outlive the results and stay as they were.
  results.clear();
  EXPECT_EQ(inputs[0].data.size(), 48u);
}

} // namespace
