//===- TestTargetPlugin.cpp - A target plugin for the loader tests -*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file is a minimal target plugin used by the plugin-loader tests. It
// is built twice: as a valid plugin, and with FUNGIBLE_TEST_API_VERSION set
// to a version this Fungible does not speak. Its one target, "test-chip",
// reports a fixed estimate: it exists to test loading, not costing.
//
//===----------------------------------------------------------------------===//

#include "targets/PluginAPI/Target.h"
#include "targets/PluginAPI/TargetPlugin.h"

#include "llvm/Config/llvm-config.h"

#ifndef FUNGIBLE_TEST_API_VERSION
#define FUNGIBLE_TEST_API_VERSION FUNGIBLE_TARGET_PLUGIN_API_VERSION
#endif

namespace {
class TestChip : public fungible::Target {
public:
  using Target::Target;
  fungible::CostEstimate estimate(const fungible::KernelInfo &,
                                  bool) const override {
    fungible::CostEstimate e;
    e.seconds = 1e-6;
    e.bound = fungible::Bound::Overhead;
    e.explanation = "test-chip: a fixed 1 us";
    return e;
  }
};

fungible::ChipSpec testSpec() {
  fungible::ChipSpec spec;
  spec.id = "test-chip";
  spec.name = "Test chip";
  spec.family = fungible::ChipFamily::GPU;
  spec.matrixTflops["bf16"] = {100, "test", true, ""};
  return spec;
}
} // namespace

extern "C" FUNGIBLE_TARGET_PLUGIN_EXPORT fungible::TargetPluginInfo
fungibleGetTargetPluginInfo() {
  return {FUNGIBLE_TEST_API_VERSION, "test", LLVM_VERSION_STRING,
          [](fungible::TargetRegistry &registry) {
            llvm::cantFail(
                registry.add(std::make_unique<TestChip>(testSpec())));
          }};
}
