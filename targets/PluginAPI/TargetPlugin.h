//===- TargetPlugin.h - The target plugin entry point -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the ABI of a target plugin: a shared library that
// exports one extern "C" function returning {API version, plugin name, LLVM
// version, registration callback}, the shape of MLIR's pass plugins. The
// loader (targets/PluginLoader.h) checks both versions before calling the
// callback. A plugin looks like:
//
//   extern "C" FUNGIBLE_TARGET_PLUGIN_EXPORT fungible::TargetPluginInfo
//   fungibleGetTargetPluginInfo() {
//     return {FUNGIBLE_TARGET_PLUGIN_API_VERSION, "mi300x",
//     LLVM_VERSION_STRING,
//             [](fungible::TargetRegistry &registry) { ... }};
//   }
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_PLUGINAPI_TARGETPLUGIN_H
#define FUNGIBLE_TARGETS_PLUGINAPI_TARGETPLUGIN_H

#include <cstdint>

/// Bumped whenever Target, ChipSpec, CostEstimate, KernelInfo or
/// TargetRegistry change in a way that breaks compiled plugins (5:
/// KernelInfo::windows; 6: KernelInfo::attentions; 7:
/// AttentionShape::maskElements; 8: AttentionShape::maskRowPeriod).
#define FUNGIBLE_TARGET_PLUGIN_API_VERSION 8

/// Plugins are built with hidden visibility; only the entry point is
/// exported.
#define FUNGIBLE_TARGET_PLUGIN_EXPORT __attribute__((visibility("default")))

namespace fungible {

class TargetRegistry;

struct TargetPluginInfo {
  /// FUNGIBLE_TARGET_PLUGIN_API_VERSION the plugin was built with.
  uint32_t apiVersion;
  /// A name for diagnostics.
  const char *pluginName;
  /// LLVM_VERSION_STRING the plugin was built with.
  const char *llvmVersion;
  /// Adds the plugin's targets.
  void (*registerTargets)(TargetRegistry &registry);
};

/// The symbol every target plugin exports.
inline constexpr const char *kTargetPluginEntryPoint =
    "fungibleGetTargetPluginInfo";

} // namespace fungible

#endif // FUNGIBLE_TARGETS_PLUGINAPI_TARGETPLUGIN_H
