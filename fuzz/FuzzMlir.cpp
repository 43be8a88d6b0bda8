//===- FuzzMlir.cpp - MLIR text -> parse, verify, import, cost, place -----===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A model as every tool reads it: the nesting check, the parse (under the
// crash recovery the tools use), the verifier, then the pipeline
// fungible-cost runs: wl-import-and-outline, wl-estimate-costs on every
// built-in chip, wl-place. Inputs over 64 KiB are skipped (the parser's
// own time, not ours).
//
//===----------------------------------------------------------------------===//

#include "tools/InitAll.h"
#include "tools/ToolSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdlib>
#include <string>

using namespace mlir;

namespace {
MLIRContext &getContext() {
  static MLIRContext *context = [] {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    fungible::registerAllFungibleDialects(registry);
    fungible::registerAllFungiblePasses();
    auto *c = new MLIRContext(registry);
    c->disableMultithreading();
    // Diagnostics are expected on malformed input: not printed.
    c->getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
    return c;
  }();
  return *context;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 64 * 1024)
    return 0;
  MLIRContext &context = getContext();
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto buffer =
      llvm::MemoryBuffer::getMemBuffer(text, "fuzz.mlir",
                                       /*RequiresNullTerminator=*/false);
  if (llvm::Error e = fungible::checkNestingDepth(buffer->getMemBufferRef())) {
    llvm::consumeError(std::move(e));
    return 0;
  }
  // MLIR's lexer relies on the NUL after the text, as every file the tools
  // read through MemoryBuffer has: libFuzzer's bytes have none (parsing them
  // directly read past the end, ASan, corpus/mlir/unterminated.mlir).
  std::string terminated(text);
  OwningOpRef<ModuleOp> module;
  if (!fungible::runRecoveringCrashes([&] {
        module = parseSourceString<ModuleOp>(terminated, &context);
      })) {
    // An upstream parser fault: the tools report it, so does this.
    (void)module.release();
    return 0;
  }
  if (!module || failed(verify(*module)))
    return 0;
  PassManager pm(&context);
  if (failed(parsePassPipeline("builtin.module(wl-import-and-outline, "
                               "wl-estimate-costs, wl-place)",
                               pm)))
    std::abort();
  (void)pm.run(*module);
  return 0;
}
