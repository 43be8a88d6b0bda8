//===- PluginLoaderTest.cpp - Target registry and plugins -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the target registry and the plugin loader: a valid
// plugin registers its target; a missing file, a library that is not a
// plugin, a plugin for another API version and a duplicate target are each
// refused with the file and the reason, leaving the registry unchanged.
//
//===----------------------------------------------------------------------===//

#include "targets/PluginLoader.h"
#include "targets/BuiltinTargets.h"
#include "targets/PluginAPI/Target.h"

#include "gtest/gtest.h"

using namespace fungible;

namespace {

std::string lib(const char *name) {
  return std::string(FUNGIBLE_LIB_DIR) + "/" + name;
}

std::string errorOf(llvm::Error e) { return llvm::toString(std::move(e)); }

TEST(TargetPlugin, ValidPluginRegistersItsTarget) {
  TargetRegistry registry;
  ASSERT_FALSE(loadTargetPlugin(lib("FungibleTestTargetPlugin.so"), registry));
  const Target *target = registry.lookup("test-chip");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->getFamily(), ChipFamily::GPU);
  CostEstimate e = target->estimate(KernelInfo());
  EXPECT_DOUBLE_EQ(e.seconds, 1e-6);
  EXPECT_EQ(e.explanation, "test-chip: a fixed 1 us");
}

TEST(TargetPlugin, DuplicateTargetIsRefusedAndRegistryKept) {
  TargetRegistry registry;
  ASSERT_FALSE(loadTargetPlugin(lib("FungibleTestTargetPlugin.so"), registry));
  std::string error =
      errorOf(loadTargetPlugin(lib("FungibleTestTargetPlugin.so"), registry));
  EXPECT_NE(error.find("target 'test-chip' is already registered"),
            std::string::npos)
      << error;
  EXPECT_EQ(registry.getNames(), std::vector<std::string>{"test-chip"});
}

TEST(TargetPlugin, WrongApiVersionIsRefused) {
  TargetRegistry registry;
  std::string error = errorOf(
      loadTargetPlugin(lib("FungibleTestTargetPluginBadVersion.so"), registry));
  EXPECT_NE(error.find("FungibleTestTargetPluginBadVersion.so"),
            std::string::npos);
  EXPECT_NE(error.find("built for target plugin API version 999, this "
                       "Fungible has version 8"),
            std::string::npos)
      << error;
  EXPECT_TRUE(registry.getNames().empty());
}

TEST(TargetPlugin, LibraryWithoutEntryPointIsRefused) {
  TargetRegistry registry;
  // The mlir-opt plugin is a shared library, but not a target plugin.
  std::string error =
      errorOf(loadTargetPlugin(lib("FungibleMLIRPlugin.so"), registry));
  EXPECT_NE(error.find("not a Fungible target plugin (it exports no "
                       "'fungibleGetTargetPluginInfo')"),
            std::string::npos)
      << error;
}

TEST(TargetPlugin, MissingAndNonLibraryFilesAreRefused) {
  TargetRegistry registry;
  EXPECT_EQ(errorOf(loadTargetPlugin("/nonexistent/plugin.so", registry)),
            "cannot load target plugin '/nonexistent/plugin.so': no such file");
  std::string spec = std::string(FUNGIBLE_SPECS_DIR) + "/h100.json";
  std::string error = errorOf(loadTargetPlugin(spec, registry));
  EXPECT_NE(error.find("not a loadable shared library"), std::string::npos)
      << error;
}

TEST(TargetRegistry, UnknownTargetListsKnownOnes) {
  TargetRegistry registry;
  EXPECT_EQ(errorOf(registry.unknownTarget("h900")),
            "unknown target 'h900'; known targets: (none)");
  ASSERT_FALSE(loadTargetPlugin(lib("FungibleTestTargetPlugin.so"), registry));
  EXPECT_EQ(errorOf(registry.unknownTarget("h900")),
            "unknown target 'h900'; known targets: test-chip");
  EXPECT_EQ(registry.lookup("h900"), nullptr);
}

} // namespace

namespace {

TEST(BuiltinTargets, EveryShippedSpecBecomesATargetOfItsFamily) {
  TargetRegistry registry;
  ASSERT_FALSE(registerBuiltinTargets(registry, FUNGIBLE_SPECS_DIR));
  EXPECT_EQ(
      registry.getNames(),
      (std::vector<std::string>{"b200", "cpu-host", "h100", "h200", "tpu-v5e",
                                "tpu-v5p", "tpu-v6e", "trn1", "trn2"}));
  EXPECT_EQ(registry.lookup("trn1")->getFamily(), ChipFamily::Trainium);
  EXPECT_EQ(registry.lookup("tpu-v6e")->getFamily(), ChipFamily::TPU);
  EXPECT_EQ(registry.lookup("cpu-host")->getFamily(), ChipFamily::CPU);
}

TEST(BuiltinTargets, MissingDirectoryIsAnError) {
  TargetRegistry registry;
  std::string error =
      llvm::toString(registerBuiltinTargets(registry, "/nonexistent/specs"));
  EXPECT_NE(error.find("cannot read spec directory '/nonexistent/specs'"),
            std::string::npos)
      << error;
}

} // namespace
