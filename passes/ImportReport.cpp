//===- ImportReport.cpp - wl-import-report ----------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-import-report: per function, what was raised
// into wl (ops and FLOPs), what stayed opaque, and which ops of any other
// dialect were left as they are (with their FLOPs); then the module's
// share of all its FLOPs that was raised.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace fungible {
#define GEN_PASS_DEF_WORKLOADIMPORTREPORTPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;

namespace {

struct Tally {
  int64_t count = 0, flops = 0;
  std::map<std::string, int64_t> byName;
  void add(StringRef name, int64_t f) {
    ++count;
    flops += f;
    ++byName[name.str()];
  }
};

std::string breakdown(const Tally &tally) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(tally.byName, os, [&](const auto &entry) {
    os << entry.first << " " << entry.second;
  });
  return s;
}

/// Ops that remain in the IR and are not just plumbing: whatever their
/// dialect (linalg, tensor, TOSA, scf and affine loops, memref,
/// bufferization, math on tensors...), except constants, terminators,
/// tensor.empty, and the host-side code of func, cf and llvm (calls,
/// asserts, timers).
/// Only ops at a function's (or kernel's) top level: a loop's body is its
/// loop's work.
bool isLeftAsIs(Operation *op) {
  if (!isa<FunctionOpInterface, wl::KernelOp>(op->getParentOp()))
    return false;
  Dialect *dialect = op->getDialect();
  if (!dialect || isa<wl::WLDialect, func::FuncDialect, cf::ControlFlowDialect,
                      LLVM::LLVMDialect>(dialect))
    return false;
  // A memref argument's contents taken in or written back around the
  // kernels wl-wrap-buffer-code made are plumbing too.
  if (isArgumentContents(op))
    return false;
  return !op->hasTrait<OpTrait::ConstantLike>() &&
         !op->hasTrait<OpTrait::IsTerminator>() && !isa<tensor::EmptyOp>(op);
}

struct WorkloadImportReportPass
    : fungible::impl::WorkloadImportReportPassBase<WorkloadImportReportPass> {
  void runOnOperation() override {
    raw_ostream &os = llvm::outs();
    Tally raised, opaque, left;
    getOperation().walk([&](FunctionOpInterface func) {
      Tally fRaised, fOpaque, fLeft;
      func.walk([&](Operation *op) {
        if (op->getParentOfType<wl::OpaqueOp>())
          return;
        if (auto kernel = dyn_cast<wl::OpaqueOp>(op))
          fOpaque.add(kernel.getOrigin(), kernel.getFlops());
        else if (auto costed = dyn_cast<wl::WorkloadCostInterface>(op))
          fRaised.add(op->getName().getStringRef(), costed.getFlops());
        else if (isLeftAsIs(op))
          fLeft.add(op->getName().getStringRef(), wl::detail::countWork(op));
      });
      if (!fRaised.count && !fOpaque.count && !fLeft.count)
        return;
      os << "wl-import report for @" << func.getName() << "\n";
      os << llvm::formatv("  raised:     {0} ops, {1} FLOPs ({2})\n",
                          fRaised.count, fRaised.flops, breakdown(fRaised));
      os << llvm::formatv("  opaque:     {0} kernels, {1} FLOPs ({2})\n",
                          fOpaque.count, fOpaque.flops, breakdown(fOpaque));
      os << llvm::formatv("  left as is: {0} ops, {1} FLOPs ({2})\n",
                          fLeft.count, fLeft.flops, breakdown(fLeft));
      for (auto [total, part] : {std::pair<Tally *, Tally *>{&raised, &fRaised},
                                 {&opaque, &fOpaque},
                                 {&left, &fLeft}}) {
        total->count += part->count;
        total->flops += part->flops;
      }
    });
    int64_t all = raised.flops + opaque.flops + left.flops;
    double share = all ? 100.0 * static_cast<double>(raised.flops) /
                             static_cast<double>(all)
                       : 100.0;
    os << llvm::formatv("wl-import total: {0} raised ops ({1} FLOPs), {2} "
                        "opaque kernels ({3} FLOPs), {4} left as is ({5} "
                        "FLOPs); {6:F2}% of FLOPs raised\n",
                        raised.count, raised.flops, opaque.count, opaque.flops,
                        left.count, left.flops, share);
    markAllAnalysesPreserved();
  }
};
} // namespace
