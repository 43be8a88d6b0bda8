//===- PrintWork.cpp - wl-print-work ----------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-print-work, which prints what
// WorkloadCostInterface reports for every op of every function: the same
// numbers every cost model reads.
//
//===----------------------------------------------------------------------===//

#include "passes/PassSupport.h"
#include "passes/Passes.h"

#include "dialects/Workload/WorkloadOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace fungible {
#define GEN_PASS_DEF_WORKLOADPRINTWORKPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;

namespace {
struct WorkRow {
  std::string op, kind, type, loc;
  int64_t flops, read, written;
};

std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

SmallVector<WorkRow> collectRows(FunctionOpInterface func) {
  SmallVector<WorkRow> rows;
  // A wl.kernel (or wl.opaque) is one row: its body is counted in it.
  func.walk<WalkOrder::PreOrder>([&](Operation *raw) {
    auto op = dyn_cast<wl::WorkloadCostInterface>(raw);
    if (!op)
      return WalkResult::advance();
    rows.push_back({raw->getName().getStringRef().str(),
                    wl::stringifyWorkKind(op.getWorkKind()).str(),
                    raw->getNumResults() ? typeString(raw->getResult(0).getType())
                                         : std::string(),
                    locationString(raw->getLoc()), op.getFlops(),
                    op.getBytesRead(), op.getBytesWritten()});
    return isa<wl::KernelOp, wl::OpaqueOp>(raw) ? WalkResult::skip()
                                                : WalkResult::advance();
  });
  return rows;
}

double intensity(int64_t flops, int64_t read, int64_t written) {
  int64_t bytes = read + written;
  return bytes ? static_cast<double>(flops) / static_cast<double>(bytes) : 0.0;
}

void printTable(StringRef name, ArrayRef<WorkRow> rows, raw_ostream &os) {
  os << "wl work of @" << name << ": " << rows.size() << " ops\n";
  os << llvm::formatv("{0,4}  {1,-16} {2,-14} {3,16} {4,14} {5,14} {6,10}  {7}\n",
                      "#", "op", "kind", "FLOPs", "bytes read",
                      "bytes written", "FLOP/byte", "result");
  int64_t flops = 0, read = 0, written = 0;
  for (auto [i, row] : llvm::enumerate(rows)) {
    os << llvm::formatv(
        "{0,4}  {1,-16} {2,-14} {3,16} {4,14} {5,14} {6,10:F2}  {7}  ({8})\n", i,
        row.op, row.kind, row.flops, row.read, row.written,
        intensity(row.flops, row.read, row.written), row.type, row.loc);
    flops += row.flops;
    read += row.read;
    written += row.written;
  }
  os << llvm::formatv("{0,4}  {1,-16} {2,-14} {3,16} {4,14} {5,14} {6,10:F2}\n",
                      "", "total", "", flops, read, written,
                      intensity(flops, read, written));
}

void printJson(ArrayRef<std::pair<std::string, SmallVector<WorkRow>>> funcs,
               raw_ostream &os) {
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attributeArray("functions", [&] {
      for (const auto &[name, rows] : funcs) {
        int64_t flops = 0, read = 0, written = 0;
        json.object([&] {
          json.attribute("name", name);
          json.attributeArray("ops", [&] {
            for (const WorkRow &row : rows) {
              json.object([&] {
                json.attribute("op", row.op);
                json.attribute("kind", row.kind);
                json.attribute("flops", row.flops);
                json.attribute("bytes_read", row.read);
                json.attribute("bytes_written", row.written);
                json.attribute("result", row.type);
                json.attribute("loc", row.loc);
              });
              flops += row.flops;
              read += row.read;
              written += row.written;
            }
          });
          json.attributeObject("total", [&] {
            json.attribute("flops", flops);
            json.attribute("bytes_read", read);
            json.attribute("bytes_written", written);
          });
        });
      }
    });
  });
  os << "\n";
}

struct WorkloadPrintWorkPass
    : fungible::impl::WorkloadPrintWorkPassBase<WorkloadPrintWorkPass> {
  using Base::Base;

  /// Rejects an unknown format when the pipeline is parsed, before any IR
  /// is read.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Pass::initializeOptions(options, errorHandler)))
      return failure();
    if (format != "table" && format != "json")
      return errorHandler("wl-print-work: unknown format '" + format +
                          "', expected 'table' or 'json'");
    return success();
  }

  void runOnOperation() override {
    SmallVector<std::pair<std::string, SmallVector<WorkRow>>> funcs;
    getOperation().walk([&](FunctionOpInterface func) {
      funcs.emplace_back(func.getName().str(), collectRows(func));
    });
    if (format == "json")
      return printJson(funcs, llvm::outs());
    for (const auto &[name, rows] : funcs)
      printTable(name, rows, llvm::outs());
    markAllAnalysesPreserved();
  }
};
} // namespace
