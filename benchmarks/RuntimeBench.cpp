//===- RuntimeBench.cpp - Runtime dispatch overhead -------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file measures the runtime's per-kernel overheads with empty kernels:
// scheduling one kernel on a fleet (runtime/Schedule.h, a chain of 10,000
// kernels on 4 chips, each reading its predecessor) and invoking one
// compiled kernel on the host (runtime/HostExecutor.h, a one-element add:
// descriptor set-up, the JIT call, copying the result out), and compiling
// a function's kernels for the host (shared code for equal kernels, parts
// compiled in parallel).
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadDialect.h"
#include "dialects/Workload/WorkloadOps.h"
#include "passes/Passes.h"
#include "runtime/HostExecutor.h"
#include "runtime/Schedule.h"
#include "targets/BuiltinTargets.h"
#include "tools/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/FormatVariadic.h"

#include "benchmark/benchmark.h"

using namespace mlir;
using namespace fungible;
using namespace fungible::runtime;

namespace {

void BM_ScheduleOverheadPerKernel(benchmark::State &state) {
  unsigned n = state.range(0);
  TargetRegistry registry;
  if (llvm::Error e = registerBuiltinTargets(registry, getDefaultSpecsDir())) {
    state.SkipWithError(llvm::toString(std::move(e)).c_str());
    return;
  }
  std::vector<const ChipSpec *> specs;
  for (const char *id : {"h100", "tpu-v5p", "trn2", "cpu-host"})
    specs.push_back(&registry.lookup(id)->getSpec());
  std::vector<Device> devices;
  for (const ChipSpec *spec : specs)
    devices.push_back({spec->id, 0});
  std::vector<ScheduledKernel> kernels(n);
  for (unsigned k = 0; k < n; ++k) {
    kernels[k].name = "k" + std::to_string(k);
    kernels[k].costs.assign(specs.size(), {0, 0, 0, true});
    if (k)
      kernels[k].inputs.push_back({int(k - 1), 4});
  }
  std::vector<unsigned> assignment(n);
  for (unsigned k = 0; k < n; ++k)
    assignment[k] = k % 2; // alternate: every kernel moves its input
  Replacer none = [](llvm::ArrayRef<unsigned>, llvm::ArrayRef<char>,
                     std::vector<unsigned> &) {
    return llvm::Error::success();
  };
  for (auto _ : state) {
    llvm::Expected<ScheduleResult> r =
        simulate(kernels, specs, devices, assignment, {}, none);
    if (!r) {
      state.SkipWithError(llvm::toString(r.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r->makespan);
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_HostDispatchPerKernel(benchmark::State &state) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllFungibleDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(R"mlir(
func.func @f(%a: tensor<1xf32>) -> tensor<1xf32> {
  %0 = wl.add %a, %a : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}
)mlir",
                                                             &context);
  PassManager pm(&context);
  pm.addPass(createWorkloadOutlineKernelsPass());
  if (!module || failed(pm.run(*module))) {
    state.SkipWithError("setup failed");
    return;
  }
  auto func = *module->getOps<func::FuncOp>().begin();
  llvm::Expected<std::unique_ptr<HostExecutor>> executor =
      HostExecutor::create(func);
  if (!executor) {
    state.SkipWithError(llvm::toString(executor.takeError()).c_str());
    return;
  }
  HostTensor input = randomTensor(
      RankedTensorType::get({1}, Float32Type::get(&context)), 1);
  const HostTensor *inputs[] = {&input};
  std::vector<HostTensor> results;
  for (auto _ : state)
    if (llvm::Error e = (*executor)->run(0, inputs, results)) {
      state.SkipWithError(llvm::toString(std::move(e)).c_str());
      return;
    }
  state.SetItemsProcessed(state.iterations());
}

/// Compiling a function's kernels for the host (HostExecutor::create):
/// `total` kernels (a 8x64 by 64x64 matmul scaled by a constant) of which
/// `distinct` differ (the constant is i % distinct), on the context's
/// threads or on one. Equal kernels share their code; distinct ones are
/// compiled in parts, in parallel.
void BM_HostCompile(benchmark::State &state) {
  int64_t distinct = state.range(0), total = state.range(1);
  bool threaded = state.range(2);
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllFungibleDialects(registry);
  MLIRContext context(registry, threaded ? MLIRContext::Threading::ENABLED
                                         : MLIRContext::Threading::DISABLED);
  std::string text = "func.func @f(%x: tensor<8x64xf32>, %w: "
                     "tensor<64x64xf32>) {\n";
  for (int64_t i = 0; i < total; ++i)
    text += llvm::formatv(
        "  %r{0} = wl.kernel \"k{0}\"(%x, %w) : (tensor<8x64xf32>, "
        "tensor<64x64xf32>) -> tensor<8x64xf32> {{\n"
        "  ^bb0(%a: tensor<8x64xf32>, %b: tensor<64x64xf32>):\n"
        "    %m = wl.matmul %a, %b : (tensor<8x64xf32>, tensor<64x64xf32>) "
        "-> tensor<8x64xf32>\n"
        "    %c = arith.constant dense<{1}.0> : tensor<8x64xf32>\n"
        "    %s = wl.mul %m, %c : (tensor<8x64xf32>, tensor<8x64xf32>) -> "
        "tensor<8x64xf32>\n"
        "    wl.yield %s : tensor<8x64xf32>\n  }\n",
        i, i % distinct);
  text += "  return\n}\n";
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module) {
    state.SkipWithError("setup failed");
    return;
  }
  auto func = *module->getOps<func::FuncOp>().begin();
  for (auto _ : state) {
    llvm::Expected<std::unique_ptr<HostExecutor>> executor =
        HostExecutor::create(func);
    if (!executor) {
      state.SkipWithError(llvm::toString(executor.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(executor->get());
  }
  state.counters["s_per_distinct_kernel"] = benchmark::Counter(
      static_cast<double>(distinct) * state.iterations(),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

} // namespace

BENCHMARK(BM_HostCompile)
    ->ArgNames({"distinct", "total", "threads"})
    ->Args({32, 32, 1})
    ->Args({128, 128, 0})
    ->Args({128, 128, 1})
    ->Args({32, 1024, 1})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK(BM_ScheduleOverheadPerKernel)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HostDispatchPerKernel);
