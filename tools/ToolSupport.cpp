//===- ToolSupport.cpp - What the standalone tools share --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements ModelReader (ToolSupport.h).
//
//===----------------------------------------------------------------------===//

#include "tools/ToolSupport.h"

#include "dialects/Workload/WorkloadDialect.h"
#include "targets/BuiltinTargets.h"
#include "tools/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include "mlir/Support/FileUtilities.h"
#include <CLI/CLI.hpp>

using namespace mlir;

namespace fungible {

llvm::StringRef getFungibleVersion() { return FUNGIBLE_VERSION; }

void printTargetList(const TargetRegistry &registry, llvm::raw_ostream &os) {
  for (const std::string &name : registry.getNames()) {
    const Target *target = registry.lookup(name);
    std::string can;
    if (hasPipeline(*target, &Target::buildLoweringPipeline))
      can += ", lowers";
    if (hasPipeline(*target, &Target::buildEmulationPipeline))
      can += ", emulates on the host";
    os << llvm::formatv("{0,-12} {1}{2}\n", name,
                        stringifyChipFamily(target->getFamily()), can);
  }
}

llvm::Error listTargets(llvm::StringRef specsDir,
                        llvm::ArrayRef<std::string> specFiles,
                        llvm::ArrayRef<std::string> plugins,
                        llvm::raw_ostream &os) {
  TargetRegistry registry;
  if (llvm::Error e = buildTargetRegistry(registry, specsDir, specFiles, plugins))
    return e;
  printTargetList(registry, os);
  return llvm::Error::success();
}

void addCommonOptions(CLI::App &app, llvm::StringRef tool) {
  app.set_version_flag("--version",
                       (tool + " (Fungible) " + getFungibleVersion()).str());
  app.option_defaults()->always_capture_default();
}

ModelReader::ModelReader() {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllFungibleDialects(registry);
  context = std::make_unique<MLIRContext>(registry);
  handler = std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr,
                                                         context.get());
}

ModelReader::~ModelReader() = default;

OwningOpRef<ModuleOp> ModelReader::read(llvm::StringRef path,
                                        std::string &error) {
  std::unique_ptr<llvm::MemoryBuffer> buffer = openInputFile(path, &error);
  if (!buffer)
    return nullptr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(sourceMgr, context.get());
}

} // namespace fungible
