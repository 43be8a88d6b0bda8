//===- PluginLoader.cpp - Loading target plugins ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file loads target plugins with llvm::sys::DynamicLibrary and checks
// their versions before letting them register anything.
//
//===----------------------------------------------------------------------===//

#include "targets/PluginLoader.h"
#include "targets/PluginAPI/Target.h"
#include "targets/PluginAPI/TargetPlugin.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"

using namespace llvm;

namespace fungible {

Error loadTargetPlugin(StringRef path, TargetRegistry &registry) {
  auto fail = [&](const Twine &why) {
    return createStringError(inconvertibleErrorCode(),
                             "cannot load target plugin '%s': %s",
                             path.str().c_str(), why.str().c_str());
  };
  if (!sys::fs::exists(path))
    return fail("no such file");
  std::string error;
  sys::DynamicLibrary library =
      sys::DynamicLibrary::getPermanentLibrary(path.str().c_str(), &error);
  if (!library.isValid())
    return fail("not a loadable shared library (" + error + ")");
  void *symbol = library.getAddressOfSymbol(kTargetPluginEntryPoint);
  if (!symbol)
    return fail(Twine("not a Fungible target plugin (it exports no '") +
                kTargetPluginEntryPoint + "')");
  auto entry = reinterpret_cast<TargetPluginInfo (*)()>(symbol);
  TargetPluginInfo info = entry();
  if (info.apiVersion != FUNGIBLE_TARGET_PLUGIN_API_VERSION)
    return fail("built for target plugin API version " +
                Twine(info.apiVersion) + ", this Fungible has version " +
                Twine(FUNGIBLE_TARGET_PLUGIN_API_VERSION));
  if (!info.llvmVersion || StringRef(info.llvmVersion) != LLVM_VERSION_STRING)
    return fail(Twine("built against LLVM ") +
                (info.llvmVersion ? info.llvmVersion : "(unknown)") +
                ", this Fungible uses LLVM " + LLVM_VERSION_STRING);
  if (!info.registerTargets)
    return fail("its plugin info has no registration callback");
  // Register into a scratch registry first so a clash leaves `registry`
  // untouched.
  TargetRegistry scratch;
  info.registerTargets(scratch);
  for (const std::string &name : scratch.getNames())
    if (registry.lookup(name))
      return fail("target '" + name + "' is already registered");
  for (const std::string &name : scratch.getNames())
    if (Error e = registry.add(scratch.take(name)))
      return e;
  return Error::success();
}

} // namespace fungible
