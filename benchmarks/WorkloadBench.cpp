//===- WorkloadBench.cpp - Dialect and lowering throughput ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file measures, on a generated module of N wl ops (10,000 by
// default): parse + verify throughput, convert-wl-to-linalg throughput, and
// the cost of reading WorkloadCostInterface for every op (what every cost
// model does). Each reports ops/second as items_per_second. It also holds
// the benchmarks' main.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"
#include "passes/Passes.h"
#include "tools/ToolSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "benchmark/benchmark.h"

#include <string>

using namespace mlir;

namespace {

/// A chain of `numOps` wl ops cycling through a matmul, a broadcast add, an
/// activation, a softmax, a reduction, a transpose and a layer norm (as in
/// a transformer layer) on 64x64 f32 tensors.
std::string generateModule(int numOps) {
  std::string s = "func.func @chain(%x: tensor<64x64xf32>, %w: "
                  "tensor<64x64xf32>, %b: tensor<64xf32>) -> "
                  "tensor<64x64xf32> {\n";
  const char *t = "tensor<64x64xf32>";
  std::string prev = "%x";
  for (int i = 0; i < numOps; ++i) {
    std::string cur = "%v" + std::to_string(i);
    switch (i % 7) {
    case 0:
      s += "  " + cur + " = wl.matmul " + prev + ", %w : (" + t + ", " + t +
           ") -> " + t + "\n";
      break;
    case 1:
      s += "  " + cur + " = wl.add " + prev + ", %b : (" + t +
           ", tensor<64xf32>) -> " + t + "\n";
      break;
    case 2:
      s += "  " + cur + " = wl.gelu " + prev + " {approximate} : " + t + "\n";
      break;
    case 3:
      s += "  " + cur + " = wl.softmax " + prev + " axis = 1 : " + t + "\n";
      break;
    case 4:
      s += "  " + cur + "r = wl.reduce max " + prev +
           " dims = [1] {keep_dims} : " + t + " -> tensor<64x1xf32>\n";
      s += "  " + cur + " = wl.sub " + prev + ", " + cur + "r : (" + t +
           ", tensor<64x1xf32>) -> " + t + "\n";
      ++i;
      break;
    case 5:
      s += "  " + cur + " = wl.transpose " + prev + " perm = [1, 0] : " + t +
           " -> " + t + "\n";
      break;
    case 6:
      s += "  " + cur + " = wl.layer_norm " + prev + ", %b, %b : (" + t +
           ", tensor<64xf32>, tensor<64xf32>) -> " + t + "\n";
      break;
    }
    prev = cur;
  }
  s += "  return " + prev + " : " + t + "\n}\n";
  return s;
}

/// A context with the dialects the module and its lowering use.
struct BenchContext {
  explicit BenchContext(int numOps) : text(generateModule(numOps)) {
    context.loadDialect<fungible::wl::WLDialect, func::FuncDialect,
                        linalg::LinalgDialect, tensor::TensorDialect,
                        arith::ArithDialect, math::MathDialect>();
  }
  OwningOpRef<ModuleOp> parse() {
    return parseSourceString<ModuleOp>(text, &context);
  }
  std::string text;
  MLIRContext context;
};

int64_t countWorkloadOps(ModuleOp module) {
  int64_t n = 0;
  module.walk([&](fungible::wl::WorkloadCostInterface) { ++n; });
  return n;
}

void BM_ParseAndVerify(benchmark::State &state) {
  BenchContext bench(state.range(0));
  int64_t ops = 0;
  for (auto _ : state) {
    OwningOpRef<ModuleOp> module = bench.parse(); // parses and verifies
    if (!module) {
      state.SkipWithError("parse failed");
      return;
    }
    ops = countWorkloadOps(*module);
  }
  state.SetItemsProcessed(state.iterations() * ops);
  state.counters["wl_ops"] = static_cast<double>(ops);
}

void BM_ConvertWorkloadToLinalg(benchmark::State &state) {
  BenchContext bench(state.range(0));
  OwningOpRef<ModuleOp> original = bench.parse();
  int64_t ops = countWorkloadOps(*original);
  for (auto _ : state) {
    state.PauseTiming();
    OwningOpRef<ModuleOp> module = original->clone();
    PassManager pm(&bench.context);
    pm.enableVerifier(false);
    pm.addPass(fungible::createConvertWorkloadToLinalgPass());
    state.ResumeTiming();
    if (failed(pm.run(*module))) {
      state.SkipWithError("conversion failed");
      return;
    }
    state.PauseTiming();
    module = nullptr; // destroy outside the timed region
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * ops);
}

void BM_ReadCostInterface(benchmark::State &state) {
  BenchContext bench(state.range(0));
  OwningOpRef<ModuleOp> module = bench.parse();
  int64_t ops = countWorkloadOps(*module);
  for (auto _ : state) {
    int64_t flops = 0, bytes = 0;
    module->walk([&](fungible::wl::WorkloadCostInterface op) {
      flops += op.getFlops();
      bytes += op.getBytesRead() + op.getBytesWritten();
    });
    benchmark::DoNotOptimize(flops);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * ops);
}

} // namespace

BENCHMARK(BM_ParseAndVerify)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ConvertWorkloadToLinalg)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadCostInterface)->Arg(10000)->Unit(benchmark::kMicrosecond);

// The heap as the tools that run kernels keep it (tools/ToolSupport.h):
// the JIT'd functions malloc their intermediates and results, and a fresh
// mapping per call for the large ones measured page faults, not code (a
// 1024 x 3072 softmax took 70 ms a call against 2.4 ms).
int main(int argc, char **argv) {
  fungible::keepLargeAllocationsInHeap();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
