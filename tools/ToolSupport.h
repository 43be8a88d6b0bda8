//===- ToolSupport.h - What the standalone tools share ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares ModelReader: the context (every upstream dialect and
// extension, and wl) and the source manager that give a standalone tool's
// diagnostics their file:line:col, for fungible-cost and fungible-run.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TOOLS_TOOLSUPPORT_H
#define FUNGIBLE_TOOLS_TOOLSUPPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <string>

namespace mlir {
class SourceMgrDiagnosticHandler;
} // namespace mlir

namespace fungible {

class ModelReader {
public:
  ModelReader();
  ~ModelReader();

  mlir::MLIRContext &getContext() { return *context; }

  /// Parses the model at `path` ("-" is stdin). Null when it cannot be
  /// read (`error` says why) or does not parse (the diagnostics, with their
  /// locations, have been printed).
  mlir::OwningOpRef<mlir::ModuleOp> read(llvm::StringRef path,
                                         std::string &error);

private:
  std::unique_ptr<mlir::MLIRContext> context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
};

} // namespace fungible

#endif // FUNGIBLE_TOOLS_TOOLSUPPORT_H
