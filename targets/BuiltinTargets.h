//===- BuiltinTargets.h - The four families' targets ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares how a spec becomes a built-in target (by family) and
// how a tool registers every spec of a directory.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_BUILTINTARGETS_H
#define FUNGIBLE_TARGETS_BUILTINTARGETS_H

#include "targets/PluginAPI/Target.h"

namespace fungible {

/// The built-in target of `spec`'s family.
std::unique_ptr<Target> createBuiltinTarget(ChipSpec spec);

/// Loads every *.json spec of `directory` and registers its target; errors
/// name the bad file and field.
llvm::Error registerBuiltinTargets(TargetRegistry &registry,
                                   llvm::StringRef directory);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_BUILTINTARGETS_H
