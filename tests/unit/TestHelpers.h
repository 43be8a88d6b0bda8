//===- TestHelpers.h - Shared helpers of the unit tests ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file parses small wl snippets for the unit tests and captures the
// diagnostics they produce.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TESTS_UNIT_TESTHELPERS_H
#define FUNGIBLE_TESTS_UNIT_TESTHELPERS_H

#include "dialects/Workload/WorkloadOps.h"
#include "targets/Kernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <string>

namespace fungible::testing {

/// An MLIRContext with wl and func loaded, that records every diagnostic.
class WorkloadFixture {
public:
  WorkloadFixture()
      : handler(&context, [this](mlir::Diagnostic &diag) {
          messages += diag.str() + "\n";
          return mlir::success();
        }) {
    context.loadDialect<wl::WLDialect, mlir::func::FuncDialect>();
  }

  /// Parses `body` as the body of `func.func @f(args)`; null on error.
  mlir::OwningOpRef<mlir::ModuleOp> parse(const std::string &args,
                                          const std::string &body) {
    std::string src = "func.func @f(" + args + ") {\n" + body +
                      "\n  return\n}\n";
    return mlir::parseSourceString<mlir::ModuleOp>(src, &context);
  }

  /// The first op of `module` implementing WorkloadCostInterface.
  static wl::WorkloadCostInterface firstCosted(mlir::ModuleOp module) {
    wl::WorkloadCostInterface found;
    module.walk([&](wl::WorkloadCostInterface op) {
      if (!found)
        found = op;
    });
    return found;
  }

  /// The summary the cost models see of the first costed op of `module`.
  static KernelInfo firstKernel(mlir::ModuleOp module) {
    std::optional<KernelInfo> info =
        summarizeKernel(firstCosted(module).getOperation());
    return info ? *info : KernelInfo();
  }

  mlir::MLIRContext context;
  std::string messages;

private:
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace fungible::testing

#endif // FUNGIBLE_TESTS_UNIT_TESTHELPERS_H
