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

#include "llvm/ADT/ArrayRef.h"

#include <memory>
#include <string>
#include <vector>

namespace fungible {

/// The built-in target of `spec`'s family.
std::unique_ptr<Target> createBuiltinTarget(ChipSpec spec);

/// Loads every *.json spec of `directory` and registers its target; errors
/// name the bad file and field.
llvm::Error registerBuiltinTargets(TargetRegistry &registry,
                                   llvm::StringRef directory);

/// The directory of the built-in chip specs: <prefix>/share/fungible/specs
/// beside the binary that holds this code (bin/ or lib/ under <prefix>;
/// the build tree has the same layout), else the source tree's
/// targets/specs.
llvm::StringRef getDefaultSpecsDir();

/// The target plugins a tool was asked to load (fungible-opt's
/// --load-target-plugin): passes that build a registry load them too.
std::vector<std::string> &getToolTargetPlugins();

/// Fills `registry` with the built-in targets of `specsDir` (the default
/// directory when empty), a target per spec file of `specFiles` (replacing
/// the built-in chip of the same id: a calibrated cpu-host, a re-priced
/// h100), and the targets of `plugins`. Errors name the file and the
/// reason.
llvm::Error buildTargetRegistry(TargetRegistry &registry,
                                llvm::StringRef specsDir,
                                llvm::ArrayRef<std::string> specFiles,
                                llvm::ArrayRef<std::string> plugins);

/// The targets named in `names` (every registered one when empty), or an
/// error naming the unknown one and listing the known.
llvm::Expected<std::vector<const Target *>>
selectTargets(const TargetRegistry &registry,
              llvm::ArrayRef<std::string> names);

/// A Target member that adds one of its pipelines (buildLoweringPipeline,
/// buildEmulationPipeline, buildProgramEmulationPipeline).
using PipelineBuilder =
    llvm::Expected<bool> (Target::*)(mlir::OpPassManager &) const;

/// Whether `target` has the pipeline `build` adds (built into a scratch
/// pass manager); one that fails to build counts as none.
bool hasPipeline(const Target &target, PipelineBuilder build);

/// A registry and the targets chosen from it (what passes hold).
struct TargetSelection {
  std::shared_ptr<TargetRegistry> registry;
  std::vector<const Target *> targets;
};

/// buildTargetRegistry with the tool's plugins (getToolTargetPlugins),
/// then selectTargets.
llvm::Expected<TargetSelection>
loadTargets(llvm::StringRef specsDir, llvm::ArrayRef<std::string> specFiles,
            llvm::ArrayRef<std::string> names);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_BUILTINTARGETS_H
