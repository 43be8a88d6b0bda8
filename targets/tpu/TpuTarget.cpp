//===- TpuTarget.cpp - TPU-like cost model ----------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The TPU cost model. For one wl op:
//
//  - A GEMM runs on D x D MXUs (D = mxu_dim: 128, or 256 on v6e). The
//    weight tile is stationary, so K and N pad to multiples of D; LHS rows
//    stream through in groups of 8 sublanes, so M pads to a multiple of 8.
//    Compute = 2 * batch * M' * N' * K' / (chip peak * gemm_efficiency).
//  - Tiling: square tiles T x T x T, the largest multiple of D with
//    double-buffered operand tiles and an f32 accumulator in VMEM:
//    2 * 2 * T^2 * elemBytes + 4 * T^2 <= VMEM (clamped to the padded
//    problem). A is re-read from HBM once per column block of tiles, B once
//    per row block: traffic = |A| ceil(N'/tn) + |B| ceil(M'/tm) + |C|.
//  - Other work runs on the vector unit at its f32 rate; its traffic is
//    compulsory.
//  - Overhead = dispatch (launch_us) + one grid_step_us per tile step.
//
//===----------------------------------------------------------------------===//

#include "targets/tpu/TpuTarget.h"
#include "targets/CostModelSupport.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/IR/TypeUtilities.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible {
namespace {

class TpuTarget : public Target {
public:
  using Target::Target;
  CostEstimate estimate(Operation *kernel) const override;
};

CostEstimate TpuTarget::estimate(Operation *kernel) const {
  const ChipSpec &spec = getSpec();
  std::optional<KernelWork> work = getKernelWork(kernel);
  if (!work)
    return notAKernel();
  double flops = work->flops, bytesIn = work->bytesIn,
         bytesOut = work->bytesOut;
  std::string why;
  double vectorPeak = spec.vectorTflops.lookup("f32").value * 1e12;
  double bandwidth = spec.memoryGBps.value * 1e9 *
                     getParam(spec, "bandwidth_efficiency", 0.8, why);
  double stepTime = getParam(spec, "grid_step_us", 0.35, why) * 1e-6;
  double overhead = spec.launchMicros.value * 1e-6;

  SmallVector<Gemm> gemms = getGemms(kernel);
  Type elem = work->elementType;
  // The MXU takes bf16 (and int8/fp8 where the spec has them); f32
  // operands are fed as bf16 passes, costed at the bf16 rate here.
  StringRef key = elem && elem.isInteger(8)             ? "i8"
                  : elem && isa<Float8E4M3FNType>(elem) ? "f8"
                                                        : "bf16";
  if (!spec.matrixTflops.count(key))
    key = "bf16";
  if (gemms.empty() || !spec.matrixTflops.count(key)) {
    double compute = flops / vectorPeak;
    double memory = (bytesIn + bytesOut) / bandwidth;
    why += "vector unit at " + formatFigure(vectorPeak / 1e12) +
           " TFLOP/s f32; " + formatFigure(bytesIn + bytesOut) + " bytes at " +
           formatFigure(bandwidth / 1e9) + " GB/s; ";
    return finishEstimate(*this, compute, memory, overhead, flops, vectorPeak,
                          bytesIn + bytesOut, bytesIn + bytesOut, why);
  }

  int64_t d = static_cast<int64_t>(getParam(spec, "mxu_dim", 128, why));
  double peak = spec.matrixTflops.lookup(key).value * 1e12;
  double eff = getParam(spec, "gemm_efficiency", 0.7, why);
  double elemBytes = (elem.getIntOrFloatBitWidth() + 7) / 8;
  double vmem = spec.onChipMB.value * 1e6;
  int64_t tile = squareTile(vmem, elemBytes, d);
  double compute = 0, traffic = 0, macs = 0, paddedMacs = 0, steps = 0;
  for (const Gemm &g : gemms) {
    int64_t mp = roundUp(g.m, kTpuRowGranularity), np = roundUp(g.n, d),
            kp = roundUp(g.k, d);
    int64_t tm = std::min(tile, roundUp(mp, d)), tn = std::min(tile, np),
            tk = std::min(tile, kp);
    double rowBlocks = std::ceil(static_cast<double>(mp) / tm);
    double colBlocks = std::ceil(static_cast<double>(np) / tn);
    double kBlocks = std::ceil(static_cast<double>(kp) / tk);
    double b = static_cast<double>(g.batch);
    compute += 2 * b * mp * np * kp / (peak * eff);
    traffic += tiledReadBytes(g, elemBytes, rowBlocks, colBlocks);
    steps += b * rowBlocks * colBlocks * kBlocks;
    macs += b * g.m * g.n * g.k;
    paddedMacs += b * mp * np * kp;
    why += "GEMM " + std::to_string(g.batch) + "x[" + std::to_string(g.m) +
           "x" + std::to_string(g.n) + "x" + std::to_string(g.k) +
           "] padded to [" + std::to_string(mp) + "x" + std::to_string(np) +
           "x" + std::to_string(kp) + "] on " + std::to_string(d) + "x" +
           std::to_string(d) + " MXUs, VMEM tiles " + std::to_string(tm) + "x" +
           std::to_string(tn) + "x" + std::to_string(tk) + "; ";
  }
  traffic += bytesOut;
  // Attention's softmax and scaling run on the vector unit.
  if (flops > 2 * macs)
    compute += (flops - 2 * macs) / vectorPeak;
  double memory = traffic / bandwidth;
  why += "MXU " + key.str() + " at " + formatFigure(peak / 1e12) +
         " TFLOP/s x " + formatFigure(eff) + "; " + formatFigure(traffic) +
         " bytes of HBM traffic at " + formatFigure(bandwidth / 1e9) +
         " GB/s; " + formatFigure(steps) + " grid steps; ";
  CostEstimate e =
      finishEstimate(*this, compute, memory, overhead + steps * stepTime, flops,
                     peak, traffic, bytesIn + bytesOut, why);
  e.paddingWaste = paddedMacs > 0 ? 1.0 - macs / paddedMacs : 0.0;
  return e;
}

} // namespace

std::unique_ptr<Target> createTpuTarget(ChipSpec spec) {
  return std::make_unique<TpuTarget>(std::move(spec));
}

} // namespace fungible
