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
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"
#include "llvm/Support/SourceMgr.h"

#include <functional>
#include <memory>
#include <string>

namespace mlir {
class SourceMgrDiagnosticHandler;
} // namespace mlir

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace CLI {
class App;
} // namespace CLI

namespace fungible {

class TargetRegistry;

/// Fungible's version (the CMake project's), what --version prints.
llvm::StringRef getFungibleVersion();

/// Prints every target of `registry`, one a line: its id, its family and
/// what it can do beyond estimating (lower, emulate on the host).
void printTargetList(const TargetRegistry &registry, llvm::raw_ostream &os);

/// --list-targets: builds the registry of `specsDir` (the default when
/// empty), `specFiles` and `plugins` and prints it (printTargetList).
llvm::Error listTargets(llvm::StringRef specsDir,
                        llvm::ArrayRef<std::string> specFiles,
                        llvm::ArrayRef<std::string> plugins,
                        llvm::raw_ostream &os);

/// Keeps large allocations in the heap (glibc: no mmap, no trimming), so
/// that a kernel's result buffer of 32 MiB or more reuses memory freed
/// earlier instead of a fresh mapping whose every page faults on first
/// touch: glibc maps blocks above its 32 MiB threshold anew at every
/// malloc, which made a 2048x4097 add take 45 ms against 6 ms at 2048x4095
/// (benchmarks/RESULTS.md). For the tools that run kernels (fungible-run,
/// fungible-cost --measure); memory freed stays with the process until it
/// exits. Does nothing on other C libraries.
void keepLargeAllocationsInHeap();

/// What every standalone tool's command line has: --version, and the
/// defaults shown in --help. `tool` names it in the version line.
void addCommonOptions(CLI::App &app, llvm::StringRef tool);

/// The deepest nesting of `{`, `[` and `(` a tool reads (regions,
/// attributes, types): MLIR's parser, verifier and printer recurse per
/// level, and about 3500 levels overflow an 8 MiB stack.
constexpr unsigned kMaxNestingDepth = 1000;

/// Checks `buffer` (MLIR text; bytecode passes) for nesting deeper than
/// kMaxNestingDepth outside strings and comments. The error is located:
/// "FILE:LINE:COL: nesting deeper than 1000 levels ...".
llvm::Error checkNestingDepth(llvm::MemoryBufferRef buffer);

/// Runs `parse` so that a crash inside it (an MLIR parser bug on malformed
/// input) becomes an error naming `file` rather than killing the tool.
/// Returns false after such a crash.
bool runRecoveringCrashes(llvm::function_ref<void()> parse);

/// Prints on stderr, as `tool`, how a host compile of many kernels
/// advances (HostExecutor's progress: done of total distinct kernels,
/// seconds so far); silent below 128 distinct kernels.
std::function<void(size_t done, size_t total, double seconds)>
compileProgressPrinter(llvm::StringRef tool);

/// This machine as measurements name it: the CPU LLVM detects and its
/// hardware threads ("znver3, 2 threads"). A measurement file records it,
/// and fitting a spec to another machine's times is refused.
std::string describeHost();

class ModelReader {
public:
  ModelReader();
  ~ModelReader();

  mlir::MLIRContext &getContext() { return *context; }

  /// Parses the model at `path` ("-" is stdin); a reader reads one model
  /// (its source manager parses the first file it was given). Null when it
  /// cannot be read (`error` says why) or does not parse (the diagnostics, with
  /// their locations, have been printed).
  mlir::OwningOpRef<mlir::ModuleOp> read(llvm::StringRef path,
                                         std::string &error);

private:
  std::unique_ptr<mlir::MLIRContext> context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
};

} // namespace fungible

#endif // FUNGIBLE_TOOLS_TOOLSUPPORT_H
