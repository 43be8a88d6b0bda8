//===- CpuTarget.cpp - Host CPU cost model ----------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The CPU cost model. With the spec's host terms (`params.host_ns_per_*`,
// fitted by fungible-calibrate to this host's measurements), the model of
// the host's own code: the kernel's HostWork (targets/cpu/HostWork.h),
// each amount at its cost, summed. Without them, a roofline: contractions
// at the spec's f32 matrix rate, everything else at its vector rate,
// traffic at the memory bandwidth, one call's overhead.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuTarget.h"
#include "targets/CostModelSupport.h"
#include "targets/Kernels.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/HostWork.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace fungible {
namespace {

class CpuTarget : public Target {
public:
  explicit CpuTarget(ChipSpec spec)
      : Target(std::move(spec)), shape(HostShape::of(getSpec())),
        termCosts(getHostTermCosts(getSpec())) {
    // A spec fitted before some terms existed has the others: it falls
    // back to the roofline, and says why.
    SpecHostTerms terms = readHostTerms(getSpec());
    if (!termCosts && llvm::is_contained(terms.held, true))
      for (unsigned t = 0; t < kNumHostTerms; ++t)
        if (!terms.held[t])
          lackedTerms +=
              (lackedTerms.empty() ? "" : ", ") + hostTermParam(HostTerm(t));
  }

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
    if (termCosts)
      return estimateFromTerms(kernel, explain);
    const ChipSpec &spec = getSpec();
    double flops = kernel.flops,
           bytes = kernel.bytesRead + kernel.bytesWritten;
    bool contraction = !kernel.gemms.empty();
    const llvm::StringMap<Figure> &rates =
        contraction ? spec.matrixTflops : spec.vectorTflops;
    Explanation why(explain);
    if (!lackedTerms.empty())
      why << "the spec's host model lacks " << lackedTerms
          << " (fitted before those terms existed: fungible-calibrate --from "
             "--only=<them> completes it): the roofline of its figures; ";
    double peak = usesF64(kernel) ? f64Rate(rates, why)
                                  : rates.lookup("f32").value * 1e12;
    double bandwidth = spec.memoryGBps.value * 1e9;
    why << (contraction ? "matrix" : "vector") << " rate " << peak / 1e12
        << " TFLOP/s, memory " << bandwidth / 1e9 << " GB/s; ";
    return finishEstimate(*this, flops / peak, bytes / bandwidth,
                          spec.launchMicros.value * 1e-6, flops, peak, bytes,
                          bytes, why);
  }

private:
  /// The host model: every term's amount at its cost. The compute terms
  /// and the byte terms add up (the JIT's loops do not overlap their
  /// loads with their arithmetic as a roofline assumes); the larger is
  /// the bound.
  CostEstimate estimateFromTerms(const KernelInfo &kernel, bool explain) const {
    const ChipSpec &spec = getSpec();
    HostWork work = describeHostWork(kernel, shape);
    double compute = 0, memory = 0, overhead = 0;
    Explanation why(explain);
    why << "host terms: ";
    for (unsigned t = 0; t < kNumHostTerms; ++t) {
      double seconds = work.amount[t] * (*termCosts)[t];
      auto term = HostTerm(t);
      if (term == HostTerm::CacheBytes || term == HostTerm::OnChipBytes ||
          term == HostTerm::MemoryBytes || term == HostTerm::StreamBytes ||
          term == HostTerm::MatvecOnChipBytes ||
          term == HostTerm::MatvecStreamBytes ||
          term == HostTerm::ResultBytes || term == HostTerm::StridedAccess ||
          term == HostTerm::StridedAccessLarge ||
          term == HostTerm::ElementwisePass)
        memory += seconds;
      else if (term == HostTerm::Ops || term == HostTerm::ParallelOps ||
               term == HostTerm::Arguments || term == HostTerm::Call)
        overhead += seconds;
      else
        compute += seconds;
      if (work.amount[t] > 0)
        why << stringifyHostTerm(term) << " " << work.amount[t] << " x "
            << (*termCosts)[t] * 1e9 << " ns; ";
    }
    double peak = spec.matrixTflops.lookup("f32").value * 1e12;
    double bytes = kernel.bytesRead + kernel.bytesWritten;
    return finishEstimate(*this, compute, memory, overhead, kernel.flops, peak,
                          bytes, bytes, why, /*overlapped=*/false);
  }

  HostShape shape;
  std::optional<std::array<double, kNumHostTerms>> termCosts;
  /// The terms a spec holding only some lacks (`params` names).
  std::string lackedTerms;
};

} // namespace

std::unique_ptr<Target> createCpuTarget(ChipSpec spec) {
  return std::make_unique<CpuTarget>(std::move(spec));
}

} // namespace fungible
