//===- GpuTarget.cpp - NVIDIA GPU cost model --------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The GPU cost model. For one wl op:
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

#include "dialects/Workload/WorkloadOps.h"
#include "dialects/Workload/WorkloadUtils.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible {
namespace {

struct Gemm {
  int64_t batch, m, n, k;
};

int64_t roundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

/// A number as printf's %g writes it (989, 0.803, 1.7e-05).
std::string fmt(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

/// The GEMMs a contraction performs.
SmallVector<Gemm> gemmsOf(Operation *op) {
  auto dims = [](int64_t b, wl::MatmulDims d) {
    return Gemm{b, d.m, d.n, d.k};
  };
  if (auto mm = dyn_cast<wl::MatmulOp>(op))
    return {dims(1, wl::getMatmulDims(mm))};
  if (auto bmm = dyn_cast<wl::BatchMatmulOp>(op)) {
    wl::MatmulDims d = wl::getMatmulDims(bmm);
    return {dims(d.b, d)};
  }
  if (auto conv = dyn_cast<wl::Conv2DOp>(op)) {
    auto out = cast<RankedTensorType>(conv.getType());
    auto filter = cast<RankedTensorType>(conv.getFilter().getType());
    int64_t groups = conv.getGroups();
    return {Gemm{groups, out.getDimSize(0) * out.getDimSize(1) * out.getDimSize(2),
                 out.getDimSize(3) / groups,
                 filter.getDimSize(0) * filter.getDimSize(1) *
                     filter.getDimSize(2)}};
  }
  if (auto attn = dyn_cast<wl::AttentionOp>(op)) {
    auto q = cast<RankedTensorType>(attn.getQuery().getType());
    auto v = cast<RankedTensorType>(attn.getValue().getType());
    int64_t rank = q.getRank(), batch = 1;
    for (int64_t d : q.getShape().drop_back(2))
      batch *= d;
    int64_t sq = q.getDimSize(rank - 2), d = q.getDimSize(rank - 1);
    int64_t sk = v.getDimSize(rank - 2), dv = v.getDimSize(rank - 1);
    return {Gemm{batch, sq, sk, d}, Gemm{batch, sq, dv, sk}};
  }
  return {};
}

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

  CostEstimate estimate(Operation *kernel) const override;

private:
  double param(StringRef name, double fallback) const {
    auto it = getSpec().params.find(name);
    return it == getSpec().params.end() ? fallback : it->second.value;
  }
};

CostEstimate GpuTarget::estimate(Operation *kernel) const {
  const ChipSpec &spec = getSpec();
  CostEstimate e;
  auto costed = dyn_cast<wl::WorkloadCostInterface>(kernel);
  if (!costed) {
    e.feasible = false;
    e.explanation = "not a wl op: nothing to estimate";
    return e;
  }
  double flops = static_cast<double>(costed.getFlops());
  double bytesIn = static_cast<double>(costed.getBytesRead());
  double bytesOut = static_cast<double>(costed.getBytesWritten());
  std::string why;
  llvm::raw_string_ostream os(why);

  // Compute.
  double compute = 0, peakUsed = spec.vectorTflops.lookup("f32").value * 1e12;
  SmallVector<Gemm> gemms = gemmsOf(kernel);
  Type elem = kernel->getNumOperands()
                  ? getElementTypeOrSelf(kernel->getOperand(0).getType())
                  : Type();
  StringRef key = elem ? matrixKey(elem) : "";
  bool tensorCores = !gemms.empty() && !key.empty() &&
                     spec.matrixTflops.count(key);
  if (tensorCores) {
    peakUsed = spec.matrixTflops.lookup(key).value * 1e12;
    double eff = param(key == "f8" ? "gemm_efficiency_f8" : "gemm_efficiency_bf16", 0.8);
    double sms = spec.units.value;
    double macs = 0, paddedMacs = 0;
    for (const Gemm &g : gemms) {
      int64_t mp = roundUp(g.m, GpuTile::m), np = roundUp(g.n, GpuTile::n),
              kp = roundUp(g.k, GpuTile::k);
      double tiles = static_cast<double>(g.batch) * (mp / GpuTile::m) *
                     (np / GpuTile::n);
      double waves = std::ceil(tiles / sms);
      double perTile = 2.0 * GpuTile::m * GpuTile::n * kp / (peakUsed / sms * eff);
      compute += waves * perTile;
      macs += static_cast<double>(g.batch) * g.m * g.n * g.k;
      paddedMacs += static_cast<double>(g.batch) * mp * np * kp;
      os << llvm::formatv("GEMM {0}x[{1}x{2}x{3}] -> {4} tiles of 128x128 "
                          "(K' {5}) in {6} waves over {7} SMs; ",
                          g.batch, g.m, g.n, g.k, fmt(tiles), kp, fmt(waves),
                          fmt(sms));
    }
    e.paddingWaste = paddedMacs > 0 ? 1.0 - macs / paddedMacs : 0.0;
    // Attention's softmax and scaling run on the CUDA cores.
    double gemmFlops = 2 * macs;
    if (flops > gemmFlops)
      compute += (flops - gemmFlops) / (spec.vectorTflops.lookup("f32").value * 1e12);
    os << "tensor cores " << key << " at " << fmt(peakUsed / 1e12)
       << " TFLOP/s x " << fmt(eff) << " efficiency; ";
  } else {
    compute = flops / peakUsed;
    os << "CUDA cores at " << fmt(peakUsed / 1e12) << " TFLOP/s f32; ";
  }

  // Memory. Streaming kernels read every operand once; a GEMM whose
  // operands exceed L2 re-reads tiles of them.
  double l2 = spec.onChipMB.value * 1e6;
  bool fits = gemms.empty() || bytesIn <= l2;
  double traffic = (fits ? bytesIn : 2 * bytesIn) + bytesOut;
  double bandwidth = spec.memoryGBps.value * 1e9 * param("bandwidth_efficiency", 0.8);
  double memory = traffic / bandwidth;
  os << fmt(traffic) << " bytes of HBM traffic ("
     << (fits ? "operands read once"
              : "GEMM operands exceed L2: assumed read twice")
     << ") at " << fmt(bandwidth / 1e9) << " GB/s effective; ";

  double launch = spec.launchMicros.value * 1e-6;
  e.seconds = std::max(compute, memory) + launch;
  if (launch >= std::max(compute, memory)) {
    e.bound = Bound::Overhead;
    e.utilization = flops / (e.seconds * peakUsed);
  } else if (compute >= memory) {
    e.bound = Bound::Compute;
    e.utilization = flops / (e.seconds * peakUsed);
  } else {
    e.bound = Bound::Memory;
    e.utilization = traffic / (e.seconds * spec.memoryGBps.value * 1e9);
  }
  e.utilization = std::min(e.utilization, 1.0);
  e.joules = spec.watts.value * e.seconds;
  e.dollars = spec.dollarsPerHour.value / 3600.0 * e.seconds;
  e.feasible = bytesIn + bytesOut <= spec.memoryGB.value * 1e9;
  os << "compute " << fmt(compute) << " s, memory " << fmt(memory)
     << " s, launch " << fmt(launch) << " s";
  if (!e.feasible)
    os << "; infeasible: " << fmt(bytesIn + bytesOut) << " bytes exceed "
       << fmt(spec.memoryGB.value) << " GB of device memory";
  e.explanation = os.str();
  return e;
}

} // namespace

std::unique_ptr<Target> createGpuTarget(ChipSpec spec) {
  return std::make_unique<GpuTarget>(std::move(spec));
}

} // namespace fungible
