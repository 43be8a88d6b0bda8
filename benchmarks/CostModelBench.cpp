//===- CostModelBench.cpp - Estimates per second ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file measures how many estimates the built-in cost models produce
// per second: 10,000 wl kernels (matmuls, convolutions, attention,
// elementwise and reductions of varied shapes) times the 9 shipped targets,
// in bf16 (the GPUs' tensor cores) or f32 (their CUDA cores, whose model
// traces each contraction's schedule: targets/gpu/GpuSchedule.h).
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"
#include "targets/BuiltinTargets.h"
#include "targets/Kernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "benchmark/benchmark.h"

#include <string>

using namespace mlir;
using namespace fungible;

namespace {

/// 10,000 independent kernels of five kinds with shapes varying by index,
/// their operands of element type `elem`.
std::string generateKernels(int count, const std::string &elem) {
  std::string s = "func.func @k() {\n";
  for (int i = 0; i < count; ++i) {
    int n = 64 * (1 + i % 16), m = 32 * (1 + i % 7);
    std::string t = "tensor<" + std::to_string(m) + "x" + std::to_string(n) +
                    "x" + elem + ">";
    std::string tt = "tensor<" + std::to_string(n) + "x" + std::to_string(m) +
                     "x" + elem + ">";
    std::string mm = "tensor<" + std::to_string(m) + "x" + std::to_string(m) +
                     "xf32>";
    std::string v = "%v" + std::to_string(i);
    switch (i % 5) {
    case 0:
      s += "  %a" + std::to_string(i) + " = tensor.empty() : " + t + "\n";
      s += "  %b" + std::to_string(i) + " = tensor.empty() : " + tt + "\n";
      s += "  " + v + " = wl.matmul %a" + std::to_string(i) + ", %b" +
           std::to_string(i) + " : (" + t + ", " + tt + ") -> " + mm + "\n";
      break;
    case 1:
      s += "  %x" + std::to_string(i) + " = tensor.empty() : " + t + "\n";
      s += "  " + v + " = wl.gelu %x" + std::to_string(i) + " : " + t + "\n";
      break;
    case 2:
      s += "  %x" + std::to_string(i) + " = tensor.empty() : " + t + "\n";
      s += "  " + v + " = wl.softmax %x" + std::to_string(i) +
           " axis = 1 : " + t + "\n";
      break;
    case 3:
      s += "  %x" + std::to_string(i) +
           " = tensor.empty() : tensor<1x28x28x64x" + elem + ">\n";
      s += "  %w" + std::to_string(i) + " = tensor.empty() : tensor<3x3x64x" +
           std::to_string(n) + "x" + elem + ">\n";
      s += "  " + v + " = wl.conv2d %x" + std::to_string(i) + ", %w" +
           std::to_string(i) +
           " {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x28x28x64x" + elem +
           ">, "
           "tensor<3x3x64x" +
           std::to_string(n) + "x" + elem + ">) -> tensor<1x28x28x" +
           std::to_string(n) + "xf32>\n";
      break;
    case 4:
      s += "  %x" + std::to_string(i) + " = tensor.empty() : " + t + "\n";
      s += "  " + v + " = wl.reduce sum %x" + std::to_string(i) +
           " dims = [1] : " + t + " -> tensor<" + std::to_string(m) + "x" +
           elem + ">\n";
      break;
    }
  }
  return s + "  return\n}\n";
}

void BM_EstimatesPerSecond(benchmark::State &state) {
  MLIRContext context;
  context.loadDialect<wl::WLDialect, func::FuncDialect,
                      tensor::TensorDialect>();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      generateKernels(static_cast<int>(state.range(0)),
                      state.range(2) ? "f32" : "bf16"),
      &context);
  if (!module) {
    state.SkipWithError("parse failed");
    return;
  }
  TargetRegistry registry;
  if (llvm::Error e = registerBuiltinTargets(registry, FUNGIBLE_SPECS_DIR)) {
    state.SkipWithError(llvm::toString(std::move(e)).c_str());
    return;
  }
  std::vector<const Target *> targets;
  for (const std::string &name : registry.getNames())
    targets.push_back(registry.lookup(name));
  std::vector<Operation *> kernels;
  module->walk([&](wl::WorkloadCostInterface op) {
    kernels.push_back(op.getOperation());
  });
  // Each kernel is summarised once for all targets, as the tools do.
  bool explain = state.range(1) != 0;
  for (auto _ : state) {
    double total = 0;
    for (Operation *kernel : kernels) {
      std::optional<KernelInfo> info = summarizeKernel(kernel);
      for (const Target *target : targets)
        total += target->estimate(*info, explain).seconds;
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * kernels.size() *
                          targets.size());
  state.counters["kernels"] = static_cast<double>(kernels.size());
  state.counters["targets"] = static_cast<double>(targets.size());
}

} // namespace

// Args: kernels, explanations (0: numbers only, as the placement solver and
// wl-estimate-costs ask; 1: with the text fungible-cost --explain prints),
// f32 operands (1) or bf16 (0).
BENCHMARK(BM_EstimatesPerSecond)
    ->ArgNames({"kernels", "explain", "f32"})
    ->Args({10000, 0, 0})
    ->Args({10000, 1, 0})
    ->Args({10000, 0, 1})
    ->Unit(benchmark::kMillisecond);
