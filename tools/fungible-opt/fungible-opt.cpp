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

#include "dialects/Workload/WorkloadDialect.h"
#include "passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  fungible::registerAllFungibleDialects(registry);
  mlir::registerAllPasses();
  fungible::registerAllFungiblePasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Fungible optimizer driver\n", registry));
}
