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
#include "tools/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

using namespace mlir;

namespace fungible {

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
