//===- BuiltinTargets.cpp - The four families' targets ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file maps a spec's family to its built-in cost model and registers
// the specs of a directory.
//
//===----------------------------------------------------------------------===//

#include "targets/BuiltinTargets.h"
#include "targets/PluginLoader.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/CpuTarget.h"
#include "targets/gpu/GpuTarget.h"
#include "targets/tpu/TpuTarget.h"
#include "targets/trainium/TrainiumTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>

using namespace llvm;

namespace fungible {

std::unique_ptr<Target> createBuiltinTarget(ChipSpec spec) {
  switch (spec.family) {
  case ChipFamily::GPU:
    return createGpuTarget(std::move(spec));
  // The accelerators' emulators end with the host's back end.
  case ChipFamily::TPU:
    return createTpuTarget(std::move(spec), buildCpuHostBackend);
  case ChipFamily::Trainium:
    return createTrainiumTarget(std::move(spec), buildCpuHostBackend);
  case ChipFamily::CPU:
    return createCpuTarget(std::move(spec));
  }
  llvm_unreachable("unknown chip family");
}

Error registerBuiltinTargets(TargetRegistry &registry, StringRef directory) {
  std::error_code ec;
  std::vector<std::string> files;
  for (sys::fs::directory_iterator it(directory, ec), end; it != end && !ec;
       it.increment(ec))
    if (sys::path::extension(it->path()) == ".json")
      files.push_back(it->path());
  if (ec)
    return createStringError(ec, "cannot read spec directory '%s': %s",
                             directory.str().c_str(), ec.message().c_str());
  // No chips at all is a mistake (a wrong --specs-dir), never an empty
  // fleet that silently does nothing.
  if (files.empty())
    return createStringError(inconvertibleErrorCode(),
                             "spec directory '%s' holds no chip specs "
                             "(*.json)",
                             directory.str().c_str());
  llvm::sort(files);
  for (const std::string &file : files) {
    Expected<ChipSpec> spec = loadChipSpec(file);
    if (!spec)
      return spec.takeError();
    if (Error e = registry.add(createBuiltinTarget(std::move(*spec))))
      return e;
  }
  return Error::success();
}

StringRef getDefaultSpecsDir() {
  static const std::string dir = [] {
    // <prefix>/{bin,lib}/<this binary> -> <prefix>/share/fungible/specs.
    Dl_info info;
    if (dladdr(reinterpret_cast<void *>(&getDefaultSpecsDir), &info) &&
        info.dli_fname) {
      SmallString<256> image;
      if (sys::fs::real_path(info.dli_fname, image))
        image = info.dli_fname;
      SmallString<256> specs =
          sys::path::parent_path(sys::path::parent_path(image));
      sys::path::append(specs, FUNGIBLE_SPECS_SUBDIR);
      if (sys::fs::is_directory(specs))
        return std::string(specs);
    }
    return std::string(FUNGIBLE_SPECS_DIR);
  }();
  return dir;
}

std::vector<std::string> &getToolTargetPlugins() {
  static std::vector<std::string> plugins;
  return plugins;
}

Error buildTargetRegistry(TargetRegistry &registry, StringRef specsDir,
                          ArrayRef<std::string> specFiles,
                          ArrayRef<std::string> plugins) {
  if (Error e = registerBuiltinTargets(
          registry, specsDir.empty() ? getDefaultSpecsDir() : specsDir))
    return e;
  llvm::StringSet<> userIds;
  for (const std::string &file : specFiles) {
    Expected<ChipSpec> spec = loadChipSpec(file);
    if (!spec)
      return spec.takeError();
    // A user's spec replaces the built-in chip of the same id (a
    // calibrated cpu-host, a re-priced h100); two user specs may not
    // share one.
    if (!userIds.insert(spec->id).second)
      return createStringError(inconvertibleErrorCode(),
                               "%s: target '%s' is already registered",
                               file.c_str(), spec->id.c_str());
    registry.take(spec->id);
    if (Error e = registry.add(createBuiltinTarget(std::move(*spec))))
      return createStringError(inconvertibleErrorCode(), "%s: %s",
                               file.c_str(), toString(std::move(e)).c_str());
  }
  for (const std::string &plugin : plugins)
    if (Error e = loadTargetPlugin(plugin, registry))
      return e;
  return Error::success();
}

bool hasPipeline(const Target &target, PipelineBuilder build) {
  mlir::OpPassManager scratch(mlir::ModuleOp::getOperationName());
  Expected<bool> built = (target.*build)(scratch);
  if (!built) {
    consumeError(built.takeError());
    return false;
  }
  return *built;
}

Expected<std::vector<const Target *>>
selectTargets(const TargetRegistry &registry, ArrayRef<std::string> names) {
  std::vector<std::string> all;
  if (names.empty()) {
    all = registry.getNames();
    names = all;
  }
  std::vector<const Target *> targets;
  for (const std::string &name : names) {
    const Target *target = registry.lookup(name);
    if (!target)
      return registry.unknownTarget(name);
    targets.push_back(target);
  }
  return targets;
}

Expected<TargetSelection> loadTargets(StringRef specsDir,
                                      ArrayRef<std::string> specFiles,
                                      ArrayRef<std::string> names) {
  TargetSelection selection;
  selection.registry = std::make_shared<TargetRegistry>();
  if (Error e = buildTargetRegistry(*selection.registry, specsDir, specFiles,
                                    getToolTargetPlugins()))
    return std::move(e);
  Expected<std::vector<const Target *>> chosen =
      selectTargets(*selection.registry, names);
  if (!chosen)
    return chosen.takeError();
  selection.targets = std::move(*chosen);
  return selection;
}

} // namespace fungible
