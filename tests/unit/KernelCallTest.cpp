//===- KernelCallTest.cpp - How the host calls a kernel ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks which writes of a kernel over buffers are updates in
// place (findInPlaceUpdates: the copy of a whole input, written and
// yielded, with nothing else reading the input or touching the copy before
// it is made), when the runtime may hand an input's buffer over
// (isSoleReader), and that HostExecutor then writes into the buffer it is
// given: the result is that buffer, with the numbers of a copy. Also that
// a scalar input (a position) goes to the kernel by value.
//
//===----------------------------------------------------------------------===//

#include "runtime/HostExecutor.h"
#include "targets/Kernels.h"
#include "tools/InitAll.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cstring>
#include <string>

using namespace mlir;
using namespace fungible;
using namespace fungible::runtime;

namespace {

/// A kernel that takes a row and a 3x4 cache, stores the row as the
/// cache's row 1, and yields the new cache; `before` goes between the copy
/// and the store, `after` before the cache's new contents are yielded.
std::string cacheKernel(const std::string &name, const std::string &before = "",
                        const std::string &afterCopyOnly = "") {
  return R"mlir(
    wl.kernel ")mlir" +
         name +
         R"mlir("(%row, %cache) : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32> {
    ^bb0(%r: tensor<4xf32>, %c: tensor<3x4xf32>):
      %o = wl.opaque "scf.for"(%r, %c) : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32> {
      ^bb0(%r2: tensor<4xf32>, %c2: tensor<3x4xf32>):
        %b = bufferization.to_buffer %c2 read_only : tensor<3x4xf32> to memref<3x4xf32>
        %a = memref.alloc() : memref<3x4xf32>
)mlir" + before +
         R"mlir(
        memref.copy %b, %a : memref<3x4xf32> to memref<3x4xf32>
)mlir" + afterCopyOnly +
         R"mlir(
        %i0 = arith.constant 0 : index
        %i1 = arith.constant 1 : index
        %i4 = arith.constant 4 : index
        scf.for %j = %i0 to %i4 step %i1 {
          %v = tensor.extract %r2[%j] : tensor<4xf32>
          memref.store %v, %a[%i1, %j] : memref<3x4xf32>
        }
        %t = bufferization.to_tensor %a restrict : memref<3x4xf32> to tensor<3x4xf32>
        wl.yield %t : tensor<3x4xf32>
      }
      wl.yield %o : tensor<3x4xf32>
    })mlir";
}

float floatAt(const HostTensor &t, int64_t i) {
  float f;
  std::memcpy(&f, t.data.data() + 4 * i, 4);
  return f;
}

class KernelCall : public ::testing::Test {
protected:
  KernelCall() : context(makeRegistry()) {}

  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerAllFungibleDialects(registry);
    return registry;
  }

  /// Parses `body` as the body of @f(%row, %cache) and returns its kernels.
  std::vector<wl::KernelOp> parse(const std::string &body,
                                  const std::string &results,
                                  const std::string &returned) {
    std::string text =
        "func.func @f(%row: tensor<4xf32>, %cache: tensor<3x4xf32>) -> (" +
        results + ") {\n" + body + "\n  return " + returned + " : " + results +
        "\n}\n";
    parseModule(text);
    std::vector<wl::KernelOp> kernels;
    if (module)
      module->walk([&](wl::KernelOp k) { kernels.push_back(k); });
    return kernels;
  }

  /// Parses `text` as the module.
  void parseModule(const std::string &text) {
    module = parseSourceString<ModuleOp>(text, &context);
    EXPECT_TRUE(module) << text;
  }

  /// The executor of the module's @f; null (and a failure) on error.
  std::unique_ptr<HostExecutor> createExecutor() {
    auto func = cast<func::FuncOp>(module->lookupSymbol("f"));
    llvm::Expected<std::unique_ptr<HostExecutor>> executor =
        HostExecutor::create(func);
    if (!executor) {
      ADD_FAILURE() << llvm::toString(executor.takeError());
      return nullptr;
    }
    return std::move(*executor);
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(KernelCall, TheWrittenCopyOfAWholeInputIsAnUpdate) {
  std::vector<wl::KernelOp> kernels =
      parse("  %n = " + cacheKernel("k"), "tensor<3x4xf32>", "%n");
  ASSERT_EQ(kernels.size(), 1u);
  SmallVector<InPlaceUpdate, 2> updates = findInPlaceUpdates(kernels[0]);
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].input, 1u);
  EXPECT_EQ(updates[0].result, 0u);
  EXPECT_EQ(updates[0].bytes, 3 * 4 * 4);
  // The cache is read by this kernel only: it may be handed over; the row
  // is not updated, and is read once too.
  EXPECT_TRUE(isSoleReader(kernels[0], 1));
}

TEST_F(KernelCall, NoUpdateWhenTheCopyIsTouchedOrTheInputReadElsewhere) {
  // A store into the buffer before the copy fills it; a read of the input
  // beside the copy's.
  const std::pair<std::string, std::string> spoilers[] = {
      {"        %z = arith.constant 0.0 : f32\n"
       "        %q = arith.constant 0 : index\n"
       "        memref.store %z, %a[%q, %q] : memref<3x4xf32>\n",
       ""},
      {"", "        %q = arith.constant 0 : index\n"
           "        %e = tensor.extract %c2[%q, %q] : tensor<3x4xf32>\n"},
  };
  for (const auto &[before, after] : spoilers) {
    std::vector<wl::KernelOp> kernels = parse(
        "  %n = " + cacheKernel("k", before, after), "tensor<3x4xf32>", "%n");
    ASSERT_EQ(kernels.size(), 1u);
    EXPECT_TRUE(findInPlaceUpdates(kernels[0]).empty()) << before << after;
  }
}

TEST_F(KernelCall, NoUpdateWhenTheNewContentsAreYieldedTwice) {
  std::string kernel = cacheKernel("k");
  // The kernel gives the opaque's result twice.
  size_t at = kernel.find("      wl.yield %o : tensor<3x4xf32>");
  ASSERT_NE(at, std::string::npos);
  kernel.replace(at, std::strlen("      wl.yield %o : tensor<3x4xf32>"),
                 "      wl.yield %o, %o : tensor<3x4xf32>, tensor<3x4xf32>");
  at = kernel.find("-> tensor<3x4xf32> {\n    ^bb0(%r:");
  ASSERT_NE(at, std::string::npos);
  kernel.replace(at, std::strlen("-> tensor<3x4xf32>"),
                 "-> (tensor<3x4xf32>, tensor<3x4xf32>)");
  std::vector<wl::KernelOp> kernels = parse(
      "  %n:2 = " + kernel, "tensor<3x4xf32>, tensor<3x4xf32>", "%n#0, %n#1");
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_TRUE(findInPlaceUpdates(kernels[0]).empty());
}

TEST_F(KernelCall, AnInputReadElsewhereIsNotHandedOver) {
  // Another kernel reads the cache (through a transfer to another device),
  // or the function returns it.
  std::vector<wl::KernelOp> kernels = parse(
      "  %n = " + cacheKernel("k") +
          "\n  %t = wl.transfer %cache from \"cpu-host:0\" to \"h100:0\" : "
          "tensor<3x4xf32>\n"
          "  %d = wl.kernel \"d\"(%t) : (tensor<3x4xf32>) -> tensor<3x4xf32> "
          "{\n  ^bb0(%x: tensor<3x4xf32>):\n"
          "    %s = wl.add %x, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> "
          "tensor<3x4xf32>\n    wl.yield %s : tensor<3x4xf32>\n  }",
      "tensor<3x4xf32>, tensor<3x4xf32>", "%n, %d");
  ASSERT_EQ(kernels.size(), 2u);
  EXPECT_EQ(findInPlaceUpdates(kernels[0]).size(), 1u);
  EXPECT_FALSE(isSoleReader(kernels[0], 1));
  // The other kernel is the only reader of what it reads through the
  // transfer besides the first: not a sole reader either.
  EXPECT_FALSE(isSoleReader(kernels[1], 0));

  kernels = parse("  %n = " + cacheKernel("k"),
                  "tensor<3x4xf32>, tensor<3x4xf32>", "%n, %cache");
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_FALSE(isSoleReader(kernels[0], 1));
}

TEST_F(KernelCall, ABufferArgumentIsHandedOverOnlyWhenWrittenBack) {
  const char *text = R"mlir(
func.func @f(%row: tensor<4xf32>, %m: memref<3x4xf32>) -> tensor<4xf32> {
  %cache = bufferization.to_tensor %m restrict : memref<3x4xf32> to tensor<3x4xf32>
  %n = KERNEL
  WRITEBACK
  return %row : tensor<4xf32>
}
)mlir";
  for (bool writeBack : {true, false}) {
    std::string source = text;
    source.replace(source.find("KERNEL"), 6, cacheKernel("k"));
    source.replace(source.find("WRITEBACK"), 9,
                   writeBack ? "bufferization.materialize_in_destination %n "
                               "in restrict writable %m : (tensor<3x4xf32>, "
                               "memref<3x4xf32>) -> ()"
                             : "");
    module = parseSourceString<ModuleOp>(source, &context);
    ASSERT_TRUE(module);
    wl::KernelOp kernel;
    module->walk([&](wl::KernelOp k) { kernel = k; });
    EXPECT_EQ(isSoleReader(kernel, 1), writeBack);
  }
}

TEST_F(KernelCall, TheExecutorWritesIntoTheBufferHandedOver) {
  std::vector<wl::KernelOp> kernels =
      parse("  %n = " + cacheKernel("k"), "tensor<3x4xf32>", "%n");
  ASSERT_EQ(kernels.size(), 1u);
  std::unique_ptr<HostExecutor> executor = createExecutor();
  ASSERT_TRUE(executor);
  EXPECT_EQ(executor->getInputsUpdatedInPlace(0), std::vector<unsigned>{1});

  auto rowType = RankedTensorType::get({4}, Float32Type::get(&context));
  auto cacheType = RankedTensorType::get({3, 4}, Float32Type::get(&context));
  HostTensor row = randomTensor(rowType, 1), cache = randomTensor(cacheType, 2);
  // Expected by hand: the cache with row 1 replaced by the row.
  std::vector<float> expected(12);
  std::memcpy(expected.data(), cache.data.data(), 48);
  std::memcpy(&expected[4], row.data.data(), 16);

  // Copied: the input is left as it was.
  HostTensor original = cache;
  std::vector<HostTensor> results;
  ASSERT_FALSE(static_cast<bool>(executor->run(0, {&row, &cache}, results)));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(std::memcmp(results[0].data.data(), expected.data(), 48), 0);
  EXPECT_EQ(std::memcmp(cache.data.data(), original.data.data(), 48), 0);
  EXPECT_NE(results[0].data.data(), cache.data.data());

  // Handed over: the result is the input's buffer, the input is empty.
  const char *buffer = cache.data.data();
  std::vector<HostTensor> handed;
  ASSERT_FALSE(static_cast<bool>(
      executor->run(0, {&row, &cache}, handed, nullptr, {nullptr, &cache})));
  ASSERT_EQ(handed.size(), 1u);
  EXPECT_EQ(handed[0].data.data(), buffer);
  EXPECT_TRUE(cache.data.empty());
  EXPECT_EQ(handed[0].type, cacheType);
  EXPECT_EQ(std::memcmp(handed[0].data.data(), expected.data(), 48), 0);
}

TEST_F(KernelCall, ScalarInputsGoByValue) {
  // A kernel that takes a position as an index: x with 7 at the position.
  parseModule(R"mlir(
func.func @f(%x: tensor<4xf32>, %i: index) -> tensor<4xf32> {
  %0 = wl.kernel "k"(%x, %i) : (tensor<4xf32>, index) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>, %b: index):
    %1 = wl.opaque "tensor.insert"(%a, %b) : (tensor<4xf32>, index) -> tensor<4xf32> {
    ^bb0(%c: tensor<4xf32>, %d: index):
      %seven = arith.constant 7.0 : f32
      %2 = tensor.insert %seven into %c[%d] : tensor<4xf32>
      wl.yield %2 : tensor<4xf32>
    }
    wl.yield %1 : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
)mlir");
  std::unique_ptr<HostExecutor> executor = createExecutor();
  ASSERT_TRUE(executor);
  auto func = cast<func::FuncOp>(module->lookupSymbol("f"));
  HostTensor x =
      randomTensor(cast<RankedTensorType>(func.getArgument(0).getType()), 1);
  RankedTensorType indexType = tensorForInput(func.getArgument(1).getType());
  ASSERT_EQ(indexType,
            RankedTensorType::get({}, IntegerType::get(&context, 64)));
  HostTensor position{indexType, HostBuffer(8)};
  int64_t two = 2;
  std::memcpy(position.data.data(), &two, 8);
  std::vector<HostTensor> results;
  llvm::Error e = executor->run(0, {&x, &position}, results);
  ASSERT_FALSE(static_cast<bool>(e)) << llvm::toString(std::move(e));
  ASSERT_EQ(results.size(), 1u);
  for (int64_t i = 0; i < 4; ++i)
    EXPECT_EQ(floatAt(results[0], i), i == 2 ? 7.0f : floatAt(x, i)) << i;

  // A scalar of the wrong size is an error, not a read past it.
  HostTensor narrow{RankedTensorType::get({}, IntegerType::get(&context, 32)),
                    HostBuffer(4)};
  llvm::Error wrong = executor->run(0, {&x, &narrow}, results);
  ASSERT_TRUE(static_cast<bool>(wrong));
  EXPECT_EQ(
      llvm::toString(std::move(wrong)),
      "kernel 'k': input 1 is a scalar: it takes a 0-d tensor of 8 bytes");
}

} // namespace
