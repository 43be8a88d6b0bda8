//===- LoweringBench.cpp - Compile time of each target pipeline -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file measures how long `wl-import, wl-lower{target=<chip>}` takes on
// the bundled example (examples/workloads/gpt2_block_b1.mlir, what
// scripts/demo.sh runs) for one chip of each family, and the host emulation
// pipelines of the TPU and Trainium families (to the LLVM dialect, without
// the JIT's own LLVM compile). Each iteration lowers a fresh copy.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadDialect.h"
#include "passes/Passes.h"
#include "tools/InitAll.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/SourceMgr.h"

#include "benchmark/benchmark.h"

#include <string>

using namespace mlir;

namespace {

/// Runs `pipeline` (with specs-dir filled in by the caller) on copies of
/// the bundled example; threads on or off.
void lower(benchmark::State &state, const std::string &options,
           bool compileFat = false, bool threads = false) {
  static bool registered = [] {
    fungible::registerAllFungiblePasses();
    return true;
  }();
  (void)registered;
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  fungible::registerAllFungibleDialects(registry);
  MLIRContext context(registry);
  context.enableMultithreading(threads);
  llvm::SourceMgr sources;
  OwningOpRef<ModuleOp> model = parseSourceFile<ModuleOp>(
      FUNGIBLE_EXAMPLE_MODEL, sources, &context);
  if (!model) {
    state.SkipWithError("cannot parse " FUNGIBLE_EXAMPLE_MODEL);
    return;
  }
  PassManager pm(&context, ModuleOp::getOperationName());
  std::string pipeline =
      compileFat ? "wl-import, wl-outline-kernels, wl-compile{specs-dir=" +
                       std::string(FUNGIBLE_SPECS_DIR) + " " + options + "}"
                 : "wl-import, wl-lower{specs-dir=" +
                       std::string(FUNGIBLE_SPECS_DIR) + " " + options + "}";
  if (failed(parsePassPipeline(pipeline, pm))) {
    state.SkipWithError(("cannot build " + pipeline).c_str());
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    OwningOpRef<ModuleOp> copy = model->clone();
    state.ResumeTiming();
    if (failed(pm.run(*copy))) {
      state.SkipWithError(("lowering failed: " + options).c_str());
      return;
    }
    if (compileFat) {
      // Compiled: one variant per kernel and chip.
      if (copy->getOps<ModuleOp>().empty()) {
        state.SkipWithError("wl-compile made no variant");
        return;
      }
      continue;
    }
    // Lowered: no wl op is left.
    bool left = false;
    copy->walk([&](Operation *op) {
      left |= op->getDialect() &&
              op->getDialect()->getNamespace() == "wl";
    });
    if (left) {
      state.SkipWithError(("wl ops left after " + options).c_str());
      return;
    }
  }
}

void BM_LowerGpuH100(benchmark::State &state) { lower(state, "target=h100"); }
void BM_LowerTpuV5p(benchmark::State &state) { lower(state, "target=tpu-v5p"); }
void BM_LowerTrainiumTrn2(benchmark::State &state) {
  lower(state, "target=trn2");
}
void BM_LowerCpuHost(benchmark::State &state) {
  lower(state, "target=cpu-host");
}
void BM_EmulateTpuV5p(benchmark::State &state) {
  lower(state, "target=tpu-v5p emulate=true");
}
void BM_EmulateTrainiumTrn2(benchmark::State &state) {
  lower(state, "target=trn2 emulate=true");
}

/// The fat module of the GPT-2 block for four chips (11 kernels x 4
/// variants), on one thread (arg 0) or the context's thread pool (arg 1).
void BM_CompileFat(benchmark::State &state) {
  lower(state, "targets=h100,tpu-v5p,trn2,cpu-host", /*compileFat=*/true,
        /*threads=*/state.range(0) != 0);
}

} // namespace

BENCHMARK(BM_CompileFat)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LowerGpuH100)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LowerTpuV5p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LowerTrainiumTrn2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LowerCpuHost)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmulateTpuV5p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmulateTrainiumTrn2)->Unit(benchmark::kMillisecond);
