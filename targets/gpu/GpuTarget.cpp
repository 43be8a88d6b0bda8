//===- GpuTarget.cpp - NVIDIA GPU cost model --------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The GPU cost model. For one kernel:
//
//  - Contractions are viewed as GEMMs (matmul, batch_matmul; conv2d as an
//    implicit GEMM per group; attention as its two GEMMs). Each GEMM is cut
//    into 128x128 CTA tiles with a K step of 64: padded M, N, K give the
//    padding waste. Tiles run in waves of one tile per SM; a wave takes
//    2*128*128*K' / (peak/SMs * efficiency), where peak is the tensor-core
//    peak of the element type and efficiency the measured fraction of it a
//    tuned GEMM reaches (spec params gemm_efficiency_*, N5). f32 operands
//    run on the CUDA cores (PyTorch's default: no TF32 for f32 matmuls).
//  - Other work runs on the CUDA cores at the vector f32 peak.
//  - Memory: compulsory traffic (every operand read once, results written
//    once), except that a GEMM whose operands exceed L2 reads them twice
//    (a coarse stand-in for tile re-reads; an assumption, flagged in the
//    explanation). Bandwidth is the HBM peak times the measured
//    streaming efficiency (bandwidth_efficiency, N9).
//  - time = max(compute, memory) + launch; the bound is what dominates
//    (overhead when the launch does). Energy = board power x time; dollars
//    = price per hour x time. A kernel whose operands and results exceed
//    device memory is infeasible.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuTarget.h"
#include "targets/CostModelSupport.h"
#include "targets/Kernels.h"
#include "targets/gpu/GpuLowering.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace fungible {
namespace {

/// The spec key of the tensor-core peak for operands of `type`.
StringRef matrixKey(Type type) {
  if (type.isBF16())
    return "bf16";
  if (type.isF16())
    return "f16";
  if (isa<Float8E4M3FNType>(type))
    return "f8";
  if (type.isInteger(8))
    return "i8";
  return "";
}

class GpuTarget : public Target {
public:
  using Target::Target;

  CostEstimate estimate(const KernelInfo &kernel, bool explain) const override;

  /// PTX for the spec's compute capability (param `sm_arch`, 90 when the
  /// spec has none).
  llvm::Expected<bool>
  buildLoweringPipeline(mlir::OpPassManager &pm) const override {
    GpuLoweringOptions options;
    auto sm = getSpec().params.find("sm_arch");
    if (sm != getSpec().params.end())
      options.smArch = static_cast<unsigned>(sm->second.value);
    if (failed(buildGpuLoweringPipeline(pm, options)))
      return llvm::createStringError("the GPU lowering pipeline of '" +
                                     getName() + "' did not build");
    return true;
  }
};

CostEstimate GpuTarget::estimate(const KernelInfo &kernel, bool explain) const {
  const ChipSpec &spec = getSpec();
  double paddingWaste = 0;
  double flops = kernel.flops, bytesIn = kernel.bytesRead,
         bytesOut = kernel.bytesWritten;
  Explanation why(explain);

  // Compute.
  bool f64 = usesF64(kernel);
  double vectorPeak = f64 ? f64Rate(spec.vectorTflops, why)
                          : spec.vectorTflops.lookup("f32").value * 1e12;
  double compute = 0, peakUsed = vectorPeak;
  Type elem = kernel.elementType;
  StringRef key = elem ? matrixKey(elem) : "";
  bool tensorCores =
      !kernel.gemms.empty() && !key.empty() && spec.matrixTflops.count(key);
  if (tensorCores) {
    peakUsed = spec.matrixTflops.lookup(key).value * 1e12;
    double eff = getParam(
        spec, key == "f8" ? "gemm_efficiency_f8" : "gemm_efficiency_bf16", 0.8,
        why);
    double sms = spec.units.value;
    double macs = 0, paddedMacs = 0;
    for (const Gemm &g : kernel.gemms) {
      int64_t mp = roundUp(g.m, GpuTile::m), np = roundUp(g.n, GpuTile::n),
              kp = roundUp(g.k, GpuTile::k);
      double tiles =
          static_cast<double>(g.batch) * (mp / GpuTile::m) * (np / GpuTile::n);
      double waves = std::ceil(tiles / sms);
      double perTile =
          2.0 * GpuTile::m * GpuTile::n * kp / (peakUsed / sms * eff);
      compute += waves * perTile;
      macs += static_cast<double>(g.batch) * g.m * g.n * g.k;
      paddedMacs += static_cast<double>(g.batch) * mp * np * kp;
      why << "GEMM " << g.batch << "x[" << g.m << "x" << g.n << "x" << g.k
          << "] -> " << tiles << " tiles of 128x128 (K' " << kp << ") in "
          << waves << " waves over " << sms << " SMs; ";
    }
    paddingWaste = paddedMacs > 0 ? 1.0 - macs / paddedMacs : 0.0;
    // Epilogues, attention's softmax and scaling run on the CUDA cores.
    if (flops > kernel.gemmFlops)
      compute += (flops - kernel.gemmFlops) / vectorPeak;
    why << "tensor cores " << key << " at " << peakUsed / 1e12 << " TFLOP/s x "
        << eff << " efficiency; ";
  } else {
    compute = flops / peakUsed;
    why << "CUDA cores at " << peakUsed / 1e12 << " TFLOP/s "
        << (f64 ? "f64" : "f32") << "; ";
  }

  // Memory. Streaming kernels read every operand once; a GEMM whose
  // operands exceed L2 re-reads tiles of them.
  double l2 = spec.onChipMB.value * 1e6;
  bool fits = kernel.gemms.empty() || bytesIn <= l2;
  double traffic = (fits ? bytesIn : 2 * bytesIn) + bytesOut;
  double bandwidth = spec.memoryGBps.value * 1e9 *
                     getParam(spec, "bandwidth_efficiency", 0.8, why);
  double memory = traffic / bandwidth;
  why << traffic << " bytes of HBM traffic ("
      << (fits ? "operands read once"
               : "GEMM operands exceed L2: assumed read twice")
      << ") at " << bandwidth / 1e9 << " GB/s effective; ";

  CostEstimate e =
      finishEstimate(*this, compute, memory, spec.launchMicros.value * 1e-6,
                     flops, peakUsed, traffic, bytesIn + bytesOut, why);
  e.paddingWaste = paddingWaste;
  return e;
}

} // namespace

std::unique_ptr<Target> createGpuTarget(ChipSpec spec) {
  return std::make_unique<GpuTarget>(std::move(spec));
}

} // namespace fungible
