//===- CpuTarget.cpp - Host CPU cost model ----------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The CPU cost model: a roofline. Contractions run at the spec's f32
// matrix rate, everything else at its vector rate; traffic is compulsory
// at the memory bandwidth; the overhead is one call into JIT-compiled code.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuTarget.h"
#include "targets/CostModelSupport.h"
#include "targets/Kernels.h"
#include "targets/cpu/CpuLowering.h"


using namespace mlir;

namespace fungible {
namespace {

class CpuTarget : public Target {
public:
  using Target::Target;

  /// The JIT's own lowering, to the LLVM dialect.
  llvm::Expected<bool>
  buildLoweringPipeline(mlir::OpPassManager &pm) const override {
    if (failed(buildCpuLoweringPipeline(pm, CpuJitOptions())))
      return llvm::createStringError("the CPU lowering pipeline of '" +
                                     getName() + "' did not build");
    return true;
  }

  /// The host runs its own code: emulating it is running it.
  llvm::Expected<bool>
  buildEmulationPipeline(mlir::OpPassManager &pm) const override {
    return buildLoweringPipeline(pm);
  }
  /// Its lowered program is already the host's LLVM.
  llvm::Expected<bool>
  buildProgramEmulationPipeline(mlir::OpPassManager &) const override {
    return true;
  }

  CostEstimate estimate(const KernelInfo &kernel,
                        bool explain) const override {
    const ChipSpec &spec = getSpec();
    double flops = kernel.flops,
           bytes = kernel.bytesRead + kernel.bytesWritten;
    bool contraction = !kernel.gemms.empty();
    const llvm::StringMap<Figure> &rates =
        contraction ? spec.matrixTflops : spec.vectorTflops;
    Explanation why(explain);
    double peak = usesF64(kernel) ? f64Rate(rates, why)
                                  : rates.lookup("f32").value * 1e12;
    double bandwidth = spec.memoryGBps.value * 1e9;
    why << (contraction ? "matrix" : "vector") << " rate " << peak / 1e12
        << " TFLOP/s, memory " << bandwidth / 1e9 << " GB/s; ";
    return finishEstimate(*this, flops / peak, bytes / bandwidth,
                          spec.launchMicros.value * 1e-6, flops, peak, bytes,
                          bytes, why);
  }
};

} // namespace

std::unique_ptr<Target> createCpuTarget(ChipSpec spec) {
  return std::make_unique<CpuTarget>(std::move(spec));
}

} // namespace fungible
