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
//  - Tiling: the lowering's own (chooseMxuGemmTiling): tile edges at most
//    T, the largest multiple of D with double-buffered operand tiles, an
//    f32 accumulator and a staging tile for a narrower output in VMEM,
//    (2 * 2 * elemBytes + 4 + elemBytes) * T^2 <= VMEM; per dimension the
//    block count (fewest + 0..4) that pads least. Compute is charged on
//    whole tiles. A is re-read from HBM once per column block of tiles, B once
//    per row block: traffic = |A| ceil(N'/tn) + |B| ceil(M'/tm) + |C|.
//  - Other work runs on the vector unit at its f32 rate; its traffic is
//    compulsory.
//  - Overhead = dispatch (launch_us) + one grid_step_us per tile step.
//
//===----------------------------------------------------------------------===//

#include "targets/tpu/TpuTarget.h"
#include "targets/CostModelSupport.h"
#include "targets/Kernels.h"
#include "targets/tpu/TpuLowering.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace fungible {
namespace {

class TpuTarget : public Target {
public:
  TpuTarget(ChipSpec spec, HostBackendBuilder hostBackend)
      : Target(std::move(spec)), hostBackend(std::move(hostBackend)) {}
  CostEstimate estimate(const KernelInfo &kernel, bool explain) const override;

  llvm::Expected<bool>
  buildLoweringPipeline(mlir::OpPassManager &pm) const override {
    return build(pm, /*emulate=*/false);
  }
  llvm::Expected<bool>
  buildEmulationPipeline(mlir::OpPassManager &pm) const override {
    if (!hostBackend)
      return false;
    return build(pm, /*emulate=*/true);
  }
  llvm::Expected<bool>
  buildProgramEmulationPipeline(mlir::OpPassManager &pm) const override {
    if (!hostBackend)
      return false;
    if (failed(buildTpuProgramEmulationPipeline(pm, hostBackend)))
      return llvm::createStringError("the TPU emulation pipeline of '" +
                                     getName() + "' did not build");
    return true;
  }

private:
  HostBackendBuilder hostBackend;

  llvm::Expected<bool> build(mlir::OpPassManager &pm, bool emulate) const {
    TpuLoweringOptions options;
    options.emulate = emulate;
    options.hostBackend = hostBackend;
    auto dim = getSpec().params.find("mxu_dim");
    if (dim != getSpec().params.end())
      options.mxuDim = static_cast<int64_t>(dim->second.value);
    options.vmemBytes = static_cast<int64_t>(getSpec().onChipMB.value * 1e6);
    if (failed(buildTpuLoweringPipeline(pm, options)))
      return llvm::createStringError("the TPU lowering pipeline of '" +
                                     getName() + "' did not build");
    return true;
  }
};

CostEstimate TpuTarget::estimate(const KernelInfo &kernel, bool explain) const {
  if (usesBuffers(kernel))
    return cannotRun(kBufferCodeIsHostOnly);
  if (usesF64(kernel))
    return cannotRun("the TPU has no f64 arithmetic (MXU bf16/int8, VPU f32)");
  const ChipSpec &spec = getSpec();
  double flops = kernel.flops, bytesIn = kernel.bytesRead,
         bytesOut = kernel.bytesWritten;
  Explanation why(explain);
  double vectorPeak = spec.vectorTflops.lookup("f32").value * 1e12;
  double bandwidth = spec.memoryGBps.value * 1e9 *
                     getParam(spec, "bandwidth_efficiency", 0.8, why);
  double stepTime = getParam(spec, "grid_step_us", 0.35, why) * 1e-6;
  double overhead = spec.launchMicros.value * 1e-6;

  Type elem = kernel.elementType;
  // The MXU takes bf16 (and int8/fp8 where the spec has them); f32
  // operands are fed as kF32Passes bf16 passes, XLA's "HIGH" precision
  // (bf16_3x), which keeps f32-level accuracy.
  StringRef key = elem && elem.isInteger(8)             ? "i8"
                  : elem && isa<Float8E4M3FNType>(elem) ? "f8"
                                                        : "bf16";
  if (!spec.matrixTflops.count(key))
    key = "bf16";
  // A depthwise convolution (a GEMM per channel with one column) runs on
  // the VPU as the lowering writes it (WindowReduction): one fused
  // multiply-add over the output tile per filter tap, the tap's input
  // window DMA'd each time.
  double windowFlops = 0, windowBytes = 0;
  SmallVector<Gemm, 2> gemms;
  double elementBytes =
      elem && elem.isIntOrFloat() ? (elem.getIntOrFloatBitWidth() + 7) / 8 : 4;
  for (const Gemm &g : kernel.gemms) {
    if (g.n != 1 || g.batch == 1) {
      gemms.push_back(g);
      continue;
    }
    windowFlops += 2.0 * g.batch * g.m * g.k;
    windowBytes += elementBytes * g.batch * (g.m + 1.0) * g.k;
    why << "depthwise " << g.batch << "x[" << g.m << " outputs x " << g.k
        << " taps] on the vector unit, the window re-read per tap; ";
  }
  // A pooling runs the same way: one VPU op per tap (its FLOPs are
  // already vector work), each tap's window of the input DMA'd.
  for (const WindowFold &w : kernel.windows) {
    windowBytes += elementBytes * w.outputs * w.taps;
    why << "pooling [" << w.outputs << " outputs x " << w.taps
        << " taps] on the vector unit, the window re-read per tap; ";
  }
  if (gemms.empty() && windowBytes > 0) {
    double compute = flops / vectorPeak;
    double memory = (windowBytes + bytesOut) / bandwidth;
    return finishEstimate(*this, compute, memory, overhead, flops, vectorPeak,
                          windowBytes + bytesOut, bytesIn + bytesOut, why);
  }
  if (gemms.empty() || !spec.matrixTflops.count(key)) {
    double compute = flops / vectorPeak;
    double memory = (bytesIn + bytesOut) / bandwidth;
    why << "vector unit at " << vectorPeak / 1e12 << " TFLOP/s f32; "
        << bytesIn + bytesOut << " bytes at " << bandwidth / 1e9 << " GB/s; ";
    return finishEstimate(*this, compute, memory, overhead, flops, vectorPeak,
                          bytesIn + bytesOut, bytesIn + bytesOut, why);
  }

  int64_t d = static_cast<int64_t>(getParam(spec, "mxu_dim", 128, why));
  bool f32 = elem && elem.isF32();
  double peak = spec.matrixTflops.lookup(key).value * 1e12 /
                (f32 ? kF32Passes : 1);
  double eff = getParam(spec, "gemm_efficiency", 0.7, why);
  double elemBytes = (elem.getIntOrFloatBitWidth() + 7) / 8;
  double vmem = spec.onChipMB.value * 1e6;
  // The lowering's tiles (TpuLowering.h): an f32 or i32 output is the
  // accumulator itself; a narrower one needs a staging tile.
  bool ownOutput = !(f32 || elem.isInteger(8));
  double compute = 0, traffic = 0, macs = 0, paddedMacs = 0, steps = 0;
  // An attention whose tiles fit is one program (AttentionPrograms.cpp):
  // per tile of query rows, Q's tile; K and V whole once per head; the
  // scores stay in VMEM (f32, whatever the element type). Its two GEMMs are
  // priced as that program runs them.
  for (const AttentionShape &a : kernel.attentions) {
    std::optional<MxuAttentionTiling> t = chooseMxuAttentionTiling(
        a.queries, a.keys, a.headDim, a.valueDim, static_cast<int64_t>(vmem),
        static_cast<int64_t>(elemBytes), d, attentionWholeRowTiles(a),
        /*rowValueTiles=*/2, a.maskRowPeriod);
    if (!t || !takeAttentionGemms(gemms, a))
      continue;
    double b = static_cast<double>(a.batch), rows = t->rowBlocks * t->rows;
    double padded = b * rows * t->keyLanes * (t->headLanes + t->valueLanes);
    compute += 2 * padded / (peak * eff);
    paddedMacs += padded;
    macs += b * a.queries * a.keys * (a.headDim + a.valueDim);
    traffic += attentionReadBytes(a, elemBytes);
    steps += b * t->rowBlocks;
    why << "attention " << a.batch << "x[" << a.queries << " queries x "
        << a.keys << " keys] in tiles of " << t->rows
        << " query rows, the scores in VMEM, K and V read once per head; ";
  }
  for (const Gemm &g : gemms) {
    MxuGemmTiling t = chooseMxuGemmTiling(g.m, g.n, g.k, vmem, elemBytes,
                                          ownOutput ? elemBytes : 0, d);
    int64_t tm = t.tm, tn = t.tn, tk = t.tk;
    double rowBlocks = t.rowBlocks, colBlocks = t.colBlocks,
           kBlocks = t.kSteps;
    // What the MXU computes: whole tiles.
    int64_t mp = t.rowBlocks * tm, np = t.colBlocks * tn, kp = t.kSteps * tk;
    double b = static_cast<double>(g.batch);
    compute += 2 * b * mp * np * kp / (peak * eff);
    traffic += tiledReadBytes(g, elemBytes, rowBlocks, colBlocks);
    steps += b * rowBlocks * colBlocks * kBlocks;
    macs += b * g.m * g.n * g.k;
    paddedMacs += b * mp * np * kp;
    why << "GEMM " << g.batch << "x[" << g.m << "x" << g.n << "x" << g.k
        << "] padded to [" << mp << "x" << np << "x" << kp << "] on " << d
        << "x" << d << " MXUs, VMEM tiles " << tm << "x" << tn << "x" << tk
        << "; ";
  }
  traffic += bytesOut + windowBytes;
  // Epilogues, attention's softmax and scaling (and depthwise taps) run on
  // the vector unit.
  if (flops > kernel.gemmFlops - windowFlops)
    compute += (flops - kernel.gemmFlops + windowFlops) / vectorPeak;
  double memory = traffic / bandwidth;
  why << "MXU " << key << (f32 ? " (f32 as 3 bf16 passes)" : "") << " at "
      << peak / 1e12 << " TFLOP/s x " << eff << "; "
      << traffic << " bytes of HBM traffic at " << bandwidth / 1e9 << " GB/s; "
      << steps << " grid steps; ";
  CostEstimate e =
      finishEstimate(*this, compute, memory, overhead + steps * stepTime, flops,
                     peak, traffic, bytesIn + bytesOut, why);
  e.paddingWaste = paddedMacs > 0 ? 1.0 - macs / paddedMacs : 0.0;
  return e;
}

} // namespace

std::unique_ptr<Target> createTpuTarget(ChipSpec spec,
                                        HostBackendBuilder hostBackend) {
  return std::make_unique<TpuTarget>(std::move(spec), std::move(hostBackend));
}

} // namespace fungible
