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
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <climits>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <thread>

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

void keepLargeAllocationsInHeap() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
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
  if (llvm::Error e = checkNestingDepth(buffer->getMemBufferRef())) {
    error = llvm::toString(std::move(e));
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module;
  if (!runRecoveringCrashes([&] {
        module = parseSourceFile<ModuleOp>(sourceMgr, context.get());
      })) {
    // What the crashed parser built is not safe to free.
    (void)module.release();
    error = (path + ": the MLIR parser crashed on this file (a parser "
                    "fault: an upstream MLIR bug, reached by malformed "
                    "input; the diagnostics above say where)")
                .str();
    return nullptr;
  }
  return module;
}

llvm::Error checkNestingDepth(llvm::MemoryBufferRef buffer) {
  llvm::StringRef text = buffer.getBuffer();
  // MLIR bytecode starts with "ML\xefR" and has no nesting to scan.
  if (text.starts_with("ML\xefR"))
    return llvm::Error::success();
  unsigned depth = 0, line = 1;
  size_t lineStart = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      lineStart = i + 1;
    } else if (c == '"') {
      // A string literal, with its escapes; it ends at the line's end at
      // the latest (the parser rejects the rest).
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
      if (i < text.size() && text[i] == '\n')
        --i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i + 1 < text.size() && text[i + 1] != '\n')
        ++i;
    } else if (c == '{' || c == '[' || c == '(') {
      if (++depth > kMaxNestingDepth)
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            llvm::formatv("{0}:{1}:{2}: error: nesting deeper than {3} "
                          "levels of braces, brackets and parentheses: "
                          "Fungible's tools reject it rather than overflow "
                          "the stack",
                          buffer.getBufferIdentifier(), line, i - lineStart + 1,
                          kMaxNestingDepth));
    } else if ((c == '}' || c == ']' || c == ')') && depth) {
      --depth;
    }
  }
  return llvm::Error::success();
}

std::string describeHost() {
  return (llvm::sys::getHostCPUName() + ", " +
          llvm::Twine(std::max(1u, std::thread::hardware_concurrency())) +
          " threads")
      .str();
}

std::function<void(size_t, size_t, double)>
compileProgressPrinter(llvm::StringRef tool) {
  // A host compile takes about 0.1 s per distinct kernel on one core.
  constexpr size_t kReportFrom = 128;
  return [tool = tool.str()](size_t done, size_t total, double seconds) {
    if (total < kReportFrom)
      return;
    llvm::errs() << llvm::formatv(
        "{0}: compiled {1} of {2} distinct kernels for the host ({3:F1} s)\n",
        tool, done, total, seconds);
  };
}

bool runRecoveringCrashes(llvm::function_ref<void()> parse) {
  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext recovery;
  return recovery.RunSafely(parse);
}

} // namespace fungible
