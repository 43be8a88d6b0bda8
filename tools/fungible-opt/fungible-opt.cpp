//===- fungible-opt.cpp - Fungible's opt-style driver -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file is fungible-opt: MlirOptMain with the wl dialect and Fungible's
// passes next to every upstream dialect, extension and pass, so a workload
// can be taken from wl all the way to LLVM in one tool.
//
//===----------------------------------------------------------------------===//

#include "targets/BuiltinTargets.h"
#include "targets/PluginLoader.h"
#include "tools/InitAll.h"
#include "tools/ToolSupport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace {
/// --load-target-plugin=PATH (repeatable): the plugin is loaded once here,
/// so a bad one fails before any input is read, and passes that build a
/// target registry (wl-estimate-costs) load it again from the list.
llvm::cl::list<std::string> targetPlugins(
    "load-target-plugin", llvm::cl::desc("Load a Fungible target plugin"),
    llvm::cl::value_desc("path"), llvm::cl::callback([](const std::string &path) {
      fungible::TargetRegistry scratch;
      if (llvm::Error e = fungible::loadTargetPlugin(path, scratch)) {
        llvm::errs() << "fungible-opt: " << llvm::toString(std::move(e))
                     << "\n";
        std::exit(1);
      }
      fungible::getToolTargetPlugins().push_back(path);
    }));

/// --list-targets: the built-in targets and those of the plugins loaded
/// before it on the command line, then exit.
llvm::cl::opt<bool> listTargets(
    "list-targets",
    llvm::cl::desc("List the targets (built-in and loaded plugins) and exit"),
    llvm::cl::callback([](const bool &) {
      if (llvm::Error e = fungible::listTargets(
              "", {}, fungible::getToolTargetPlugins(), llvm::outs())) {
        llvm::errs() << "fungible-opt: " << llvm::toString(std::move(e))
                     << "\n";
        std::exit(1);
      }
      std::exit(0);
    }));
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::cl::AddExtraVersionPrinter([](llvm::raw_ostream &os) {
    os << "Fungible " << fungible::getFungibleVersion() << "\n";
  });
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  fungible::registerAllFungibleDialects(registry);
  mlir::registerAllPasses();
  fungible::registerAllFungiblePasses();
  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "Fungible optimizer driver\n", registry);
  // What MlirOptMain(argc, argv, ...) does, with the input read once here
  // so that its nesting is checked whether it is a file or stdin.
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  if (input == "-" && llvm::sys::Process::FileDescriptorIsDisplayed(0))
    llvm::errs() << "(processing input from stdin now, hit ctrl-c/ctrl-d to "
                    "interrupt)\n";
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      mlir::openInputFile(input, &message);
  if (!buffer) {
    llvm::errs() << "fungible-opt: " << message << "\n";
    return EXIT_FAILURE;
  }
  // Nesting that would overflow the parser's stack is a located error.
  if (llvm::Error e = fungible::checkNestingDepth(buffer->getMemBufferRef())) {
    llvm::errs() << llvm::toString(std::move(e)) << "\n";
    return EXIT_FAILURE;
  }
  // The output is held until the end: a file the user had is replaced only
  // by a successful run's output (stdout gets whatever was printed).
  std::string printed;
  llvm::raw_string_ostream os(printed);
  // A crash (an upstream parser bug on malformed input, say) is an error
  // naming the file, not a silent segfault.
  bool succeeded = false;
  if (!fungible::runRecoveringCrashes([&] {
        succeeded = mlir::succeeded(
            mlir::MlirOptMain(os, std::move(buffer), registry, config));
      })) {
    llvm::errs() << "fungible-opt: crashed while processing '" << input
                 << "' (recovered; a fault in MLIR or Fungible reached by "
                    "this input: the diagnostics above say where)\n";
    return EXIT_FAILURE;
  }
  if (!succeeded && output != "-")
    return EXIT_FAILURE;
  std::unique_ptr<llvm::ToolOutputFile> out =
      mlir::openOutputFile(output, &message);
  if (!out) {
    llvm::errs() << "fungible-opt: " << message << "\n";
    return EXIT_FAILURE;
  }
  out->os() << printed;
  out->keep();
  return succeeded ? EXIT_SUCCESS : EXIT_FAILURE;
}
