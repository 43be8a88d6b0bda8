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
// descriptor set-up, the JIT call, copying the result out).
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

} // namespace

BENCHMARK(BM_ScheduleOverheadPerKernel)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HostDispatchPerKernel);
