//===- PluginLoader.h - Loading target plugins ------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the loader of target plugins (--load-target-plugin).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_PLUGINLOADER_H
#define FUNGIBLE_TARGETS_PLUGINLOADER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace fungible {

class TargetRegistry;

/// Loads the plugin at `path` and lets it register its targets. Errors name
/// the file and the reason: it cannot be loaded, it is not a Fungible
/// target plugin (no entry point), it was built for another plugin API or
/// LLVM version, or it registers a target name that already exists.
llvm::Error loadTargetPlugin(llvm::StringRef path, TargetRegistry &registry);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_PLUGINLOADER_H
