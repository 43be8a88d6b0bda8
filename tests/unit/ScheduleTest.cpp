//===- ScheduleTest.cpp - The runtime's schedule ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the runtime's list schedule against hand-worked
// timelines: a transfer between chips, independent kernels overlapping on
// different devices, a kernel lost with its device and run again, and the
// fleet and failure syntax.
//
//===----------------------------------------------------------------------===//

#include "runtime/Schedule.h"
#include "targets/BuiltinTargets.h"

#include "gtest/gtest.h"

using namespace fungible;
using namespace fungible::runtime;

namespace {

class ScheduleTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(static_cast<bool>(
        registerBuiltinTargets(registry, FUNGIBLE_SPECS_DIR)));
    specs = {&registry.lookup("h100")->getSpec(),
             &registry.lookup("cpu-host")->getSpec()};
  }
  ScheduledKernel kernel(const std::string &name, double h100, double cpu) {
    ScheduledKernel k;
    k.name = name;
    k.costs = {{h100, h100 * 700, 0, true}, {cpu, cpu * 30, 0, true}};
    return k;
  }
  TargetRegistry registry;
  std::vector<const ChipSpec *> specs;
  Replacer keep = [](llvm::ArrayRef<unsigned>, unsigned,
                     std::vector<unsigned> &) { return llvm::Error::success(); };
};

TEST_F(ScheduleTest, TransferBetweenChips) {
  // k0 on the H100 (1 s), then 1e9 bytes over its 64 GB/s host link
  // (0.015625 s + 10 us latency) to k1 on the host (2 s).
  std::vector<ScheduledKernel> ks = {kernel("k0", 1, 5), kernel("k1", 9, 2)};
  ks[1].inputs.push_back({0, 1e9});
  std::vector<Device> devices = {{"h100", 0}, {"cpu-host", 0}};
  llvm::Expected<ScheduleResult> r =
      simulate(ks, specs, devices, {0, 1}, {}, keep);
  ASSERT_TRUE(static_cast<bool>(r)) << llvm::toString(r.takeError());
  EXPECT_DOUBLE_EQ(r->makespan, 1 + 0.015625 + 10e-6 + 2);
  ASSERT_EQ(r->links.size(), 1u);
  EXPECT_EQ(r->links[0].name, "h100->cpu-host");
  EXPECT_DOUBLE_EQ(r->links[0].bytes, 1e9);
  EXPECT_EQ(r->placement, (std::vector<std::string>{"h100:0", "cpu-host:0"}));
  EXPECT_DOUBLE_EQ(r->devices[0].busy, 1);
  EXPECT_DOUBLE_EQ(r->devices[1].busy, 2);
}

TEST_F(ScheduleTest, EachValueMovesOncePerTarget) {
  // k0 on the H100 has two results. k1 and k2 on the host both read result
  // 0: it moves once. k3 reads result 1: a second, separate move.
  std::vector<ScheduledKernel> ks = {kernel("k0", 1, 5), kernel("k1", 9, 2),
                                     kernel("k2", 9, 2), kernel("k3", 9, 2)};
  ks[1].inputs.push_back({0, 1e9, 0});
  ks[2].inputs.push_back({0, 1e9, 0});
  ks[3].inputs.push_back({0, 2e9, 1});
  std::vector<Device> devices = {{"h100", 0}, {"cpu-host", 0}};
  llvm::Expected<ScheduleResult> r =
      simulate(ks, specs, devices, {0, 1, 1, 1}, {}, keep);
  ASSERT_TRUE(static_cast<bool>(r)) << llvm::toString(r.takeError());
  ASSERT_EQ(r->links.size(), 1u);
  EXPECT_DOUBLE_EQ(r->links[0].bytes, 3e9);
  unsigned transfers = 0;
  for (const Event &e : r->events)
    transfers += e.kind == Event::Transfer;
  EXPECT_EQ(transfers, 2u);
  // Result 0 is there at 1 + 0.015635 s, result 1 after it on the same
  // link (0.03126 s more); the host runs k1, k2, k3 back to back.
  EXPECT_DOUBLE_EQ(r->makespan, 1 + 0.015625 + 10e-6 + 3 * 2);
}

TEST_F(ScheduleTest, IndependentKernelsOverlap) {
  // Two independent 3 s kernels on two H100s run side by side.
  std::vector<ScheduledKernel> ks = {kernel("a", 3, 9), kernel("b", 3, 9)};
  std::vector<Device> devices = {{"h100", 0}, {"h100", 1}, {"cpu-host", 0}};
  llvm::Expected<ScheduleResult> r =
      simulate(ks, specs, devices, {0, 0}, {}, keep);
  ASSERT_TRUE(static_cast<bool>(r));
  EXPECT_DOUBLE_EQ(r->makespan, 3);
  EXPECT_EQ(r->placement, (std::vector<std::string>{"h100:0", "h100:1"}));
}

TEST_F(ScheduleTest, LostKernelRunsAgainOnTheOtherDevice) {
  // Two H100s; h100:0 fails at 1 s.
  std::vector<ScheduledKernel> ks = {kernel("b", 0.5, 9), kernel("a", 3, 9)};
  std::vector<Device> devices = {{"h100", 0}, {"h100", 1}};
  specs.pop_back();
  for (ScheduledKernel &k : ks)
    k.costs.pop_back();
  llvm::Expected<ScheduleResult> r = simulate(
      ks, specs, devices, {0, 0}, {Failure{"h100:0", 1.0}}, keep);
  ASSERT_TRUE(static_cast<bool>(r)) << llvm::toString(r.takeError());
  // b on h100:0 [0, 0.5]; a on h100:1 [0, 3]: nothing is lost.
  EXPECT_DOUBLE_EQ(r->makespan, 3);
  // Now a is first: it takes h100:0 [0, 3) and is lost at 1 s (1 s of
  // busy time billed); it runs again on h100:1 from the failure on, over
  // [1, 4]; b finds h100:0 dead and runs on h100:1 over [4, 4.5].
  std::swap(ks[0], ks[1]);
  r = simulate(ks, specs, devices, {0, 0}, {Failure{"h100:0", 1.0}}, keep);
  ASSERT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r->runs, (std::vector<unsigned>{2, 1}));
  EXPECT_EQ(r->placement[0], "h100:1");
  EXPECT_DOUBLE_EQ(r->makespan, 4.5);
  EXPECT_DOUBLE_EQ(r->devices[0].busy, 1);
  EXPECT_DOUBLE_EQ(r->devices[1].busy, 3.5);
}

TEST(FleetSyntax, DevicesAndFailures) {
  llvm::Expected<std::vector<Device>> d = parseDevices("h100:2,trn2");
  ASSERT_TRUE(static_cast<bool>(d));
  ASSERT_EQ(d->size(), 3u);
  EXPECT_EQ((*d)[1].name(), "h100:1");
  EXPECT_EQ((*d)[2].name(), "trn2:0");
  llvm::Expected<std::vector<Device>> bad = parseDevices("h100:x");
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("bad device entry 'h100:x'"),
            std::string::npos);
  llvm::Expected<std::vector<Device>> twice = parseDevices("h100,h100:2");
  ASSERT_FALSE(static_cast<bool>(twice));
  llvm::consumeError(twice.takeError());
  llvm::Expected<Failure> f = parseFailure("trn2:1@250us");
  ASSERT_TRUE(static_cast<bool>(f));
  EXPECT_EQ(f->device, "trn2:1");
  EXPECT_DOUBLE_EQ(f->time, 250e-6);
  llvm::Expected<Failure> g = parseFailure("trn2:1@-1");
  ASSERT_FALSE(static_cast<bool>(g));
  llvm::consumeError(g.takeError());
}

} // namespace
