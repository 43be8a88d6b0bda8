//===- FungibleMLIRPlugin.cpp - wl as an mlir-opt plugin --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file exports the two versioned entry points MLIR's plugin loader
// looks for, so `mlir-opt --load-dialect-plugin=... --load-pass-plugin=...`
// gets the wl dialect and every Fungible pass. The library is built with
// hidden visibility: these two functions are its only exported symbols.
//
//===----------------------------------------------------------------------===//

#include "tools/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

#define FUNGIBLE_PLUGIN_EXPORT __attribute__((visibility("default")))

extern "C" FUNGIBLE_PLUGIN_EXPORT mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Fungible", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            fungible::registerAllFungibleDialects(*registry);
          }};
}

extern "C" FUNGIBLE_PLUGIN_EXPORT mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "FungiblePasses", LLVM_VERSION_STRING,
          []() { fungible::registerAllFungiblePasses(); }};
}
