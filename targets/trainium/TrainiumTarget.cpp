//===- TrainiumTarget.cpp - Trainium-like cost model ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The Trainium cost model (figures from shared/HARDWARE.md, A1-A3). For one
// wl op, spread over the chip's NeuronCores:
//
//  - A GEMM is a grid of TensorEngine matmuls: the contraction dim on the
//    128 SBUF partitions (K pads to 128: K = 129 needs a second, nearly
//    empty pass), the stationary free dim up to 128 (M pads to 128), the
//    moving free dim up to 512 (one PSUM bank of fp32 accumulators). A
//    matmul issues every max(n, 64) cycles, so narrow moving tiles waste
//    cycles; fp32 inputs run 4x slower. Cycles / (clock * cores *
//    engine_efficiency) is the compute time.
//  - Other work runs on the Vector engine: ~N cycles per input operand of
//    N elements, at the spec's vector rate.
//  - HBM <-> SBUF traffic goes through DMA at min(HBM, cores x per-core DMA
//    bandwidth), derated when a transfer carries less than 4 KiB per
//    partition (bytes per partition / 4 KiB, at least 1/4); operands that
//    do not fit the per-core SBUF are tiled and re-read like on a TPU.
//  - Overhead: the DMA semaphore-to-start latency (launch_us).
//
//===----------------------------------------------------------------------===//

#include "targets/trainium/TrainiumTarget.h"
#include "targets/CostModelSupport.h"
#include "targets/Kernels.h"
#include "targets/trainium/TrainiumLowering.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace fungible {
namespace {

class TrainiumTarget : public Target {
public:
  TrainiumTarget(ChipSpec spec, HostBackendBuilder hostBackend)
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
    if (failed(buildTrainiumProgramEmulationPipeline(pm, hostBackend)))
      return llvm::createStringError("the Trainium emulation pipeline of '" +
                                     getName() + "' did not build");
    return true;
  }

private:
  HostBackendBuilder hostBackend;

  llvm::Expected<bool> build(mlir::OpPassManager &pm, bool emulate) const {
    TrainiumLoweringOptions options;
    options.emulate = emulate;
    options.hostBackend = hostBackend;
    auto sbuf = getSpec().params.find("sbuf_kb_per_partition");
    if (sbuf != getSpec().params.end())
      options.sbufPartitionBytes =
          static_cast<int64_t>(sbuf->second.value * 1024);
    if (failed(buildTrainiumLoweringPipeline(pm, options)))
      return llvm::createStringError("the Trainium lowering pipeline of '" +
                                     getName() + "' did not build");
    return true;
  }
};

/// DMA efficiency of transfers carrying `bytesPerPartition` (A3: >= 2 KiB
/// per partition per transfer, >= 4 KiB saturates).
double dmaEfficiency(double bytesPerPartition) {
  return std::clamp(bytesPerPartition / 4096.0, 0.25, 1.0);
}

CostEstimate TrainiumTarget::estimate(const KernelInfo &kernel,
                                      bool explain) const {
  if (usesBuffers(kernel))
    return cannotRun(kBufferCodeIsHostOnly);
  if (usesF64(kernel))
    return cannotRun("Trainium's engines have no f64 arithmetic (fp32 at "
                     "most)");
  const ChipSpec &spec = getSpec();
  double flops = kernel.flops, bytesIn = kernel.bytesRead,
         bytesOut = kernel.bytesWritten;
  Explanation why(explain);
  double cores = spec.units.value;
  double hbm = spec.memoryGBps.value * 1e9;
  double dma = std::min(
      hbm, cores * getParam(spec, "dma_gbps_per_core", 300, why) * 1e9);
  double eff = getParam(spec, "engine_efficiency", 0.9, why);
  double overhead = spec.launchMicros.value * 1e-6;
  Type elem = kernel.elementType;
  double elemBytes =
      elem && elem.isIntOrFloat() ? (elem.getIntOrFloatBitWidth() + 7) / 8 : 4;
  double vectorPeak = spec.vectorTflops.lookup("f32").value * 1e12;

  // A depthwise convolution (a GEMM per channel with one column) runs on
  // the Vector engine as the lowering writes it (WindowReduction): one op
  // per filter tap over the output tile (three inputs: accumulator,
  // window, weights), the tap's input window DMA'd each time.
  double windowCompute = 0, windowBytes = 0, windowFlops = 0;
  SmallVector<Gemm, 2> gemms;
  for (const Gemm &g : kernel.gemms) {
    if (g.n != 1 || g.batch == 1) {
      gemms.push_back(g);
      continue;
    }
    windowFlops += 2.0 * g.batch * g.m * g.k;
    windowCompute += 3.0 * g.batch * g.m * g.k / (vectorPeak * eff);
    windowBytes += elemBytes * g.batch * (g.m + 1.0) * g.k;
    why << "depthwise " << g.batch << "x[" << g.m << " outputs x " << g.k
        << " taps] on the Vector engine, the window re-read per tap; ";
  }
  // A pooling runs the same way with two inputs per tap (accumulator and
  // window): its FLOPs, one per tap and output, are these ops.
  for (const WindowFold &w : kernel.windows) {
    double taps = static_cast<double>(w.outputs) * w.taps;
    windowFlops += taps;
    windowCompute += 2.0 * taps / (vectorPeak * eff);
    windowBytes += elemBytes * taps;
    why << "pooling [" << w.outputs << " outputs x " << w.taps
        << " taps] on the Vector engine, the window re-read per tap; ";
  }
  // An attention the lowering takes is one program
  // (AttentionPrograms.cpp): per tile of up to 128 query rows and block of
  // 128 keys, a TensorEngine pass for the scores, one to transpose the
  // probabilities and one into the product with V; Q, K and V read once,
  // the scores in SBUF. Its two GEMMs are priced so.
  double sbufPartition =
      getParam(spec, "sbuf_kb_per_partition", 192, why) * 1024;
  bool fp32 = elem && elem.isF32();
  double slowdown = fp32 ? 4 : 1;
  double attentionCycles = 0, attentionTraffic = 0, attentionMacs = 0,
         attentionPadded = 0, attentionCopies = 0;
  for (const AttentionShape &a : kernel.attentions) {
    std::optional<int64_t> bytes =
        neuronAttentionPartitionBytes(a.queries, a.keys, a.headDim, a.valueDim,
                                      attentionWholeRowTiles(a));
    if (!bytes || *bytes > sbufPartition || !takeAttentionGemms(gemms, a))
      continue;
    int64_t tp = neuronAttentionRows(a.queries, a.maskRowPeriod);
    double rowTiles = std::ceil(static_cast<double>(a.queries) / tp);
    double blocks =
        std::ceil(static_cast<double>(a.keys) / NeuronTile::partitions);
    double passes = a.batch * rowTiles * blocks;
    auto issue = [](int64_t n) {
      return static_cast<double>(
          std::max<int64_t>(n, NeuronTile::minIssueCycles));
    };
    attentionCycles +=
        passes *
        (issue(NeuronTile::partitions) + issue(tp) + issue(a.valueDim)) *
        slowdown;
    attentionMacs += static_cast<double>(a.batch) * a.queries * a.keys *
                     (a.headDim + a.valueDim);
    attentionPadded += passes * NeuronTile::stationary *
                       NeuronTile::partitions *
                       (issue(NeuronTile::partitions) + issue(a.valueDim));
    attentionTraffic += attentionReadBytes(a, elemBytes);
    // The scores and the transposed probabilities leave PSUM on the
    // Vector engine.
    attentionCopies += 2 * passes * tp * NeuronTile::partitions;
    why << "attention " << a.batch << "x[" << a.queries << " queries x "
        << a.keys << " keys] in tiles of " << tp << " query rows by " << blocks
        << " key blocks, the scores in SBUF, K and V read once per head; ";
  }
  bool attention = attentionCycles > 0;
  if (gemms.empty() && !attention && windowFlops > 0) {
    double compute = windowCompute + (flops - windowFlops) / (vectorPeak * eff);
    double perPartition = (windowBytes + bytesOut) / NeuronTile::partitions;
    double memory =
        (windowBytes + bytesOut) / (dma * dmaEfficiency(perPartition));
    return finishEstimate(*this, compute, memory, overhead, flops, vectorPeak,
                          windowBytes + bytesOut, bytesIn + bytesOut, why);
  }
  if (gemms.empty() && !attention) {
    // Vector engine: ~N cycles per tensor input of N elements.
    double inputs = kernel.tensorInputs;
    double compute = flops * std::max(inputs, 1.0) / (vectorPeak * eff);
    // Streaming transfers can be made >= 4 KiB per partition when the
    // tensor is large enough; a small one spreads thin.
    double perPartition = (bytesIn + bytesOut) / NeuronTile::partitions;
    double memory = (bytesIn + bytesOut) / (dma * dmaEfficiency(perPartition));
    why << "Vector engine at " << vectorPeak / 1e12 << " TFLOP/s (" << inputs
        << " input operands); DMA at " << dma / 1e9 << " GB/s; ";
    return finishEstimate(*this, compute, memory, overhead, flops, vectorPeak,
                          bytesIn + bytesOut, bytesIn + bytesOut, why);
  }

  double ghz = getParam(spec, "tensor_engine_ghz", 2.4, why);
  double sbuf = spec.onChipMB.value * 1e6 / cores;
  int64_t tile = squareTile(sbuf, elemBytes, NeuronTile::partitions);
  double cycles = attentionCycles, macs = attentionMacs,
         paddedMacs = attentionPadded, traffic = attentionTraffic;
  for (const Gemm &g : gemms) {
    int64_t mp = roundUp(g.m, NeuronTile::stationary);
    int64_t kp = roundUp(g.k, NeuronTile::partitions);
    double nFull = static_cast<double>(g.n / NeuronTile::moving);
    int64_t nRest = g.n % NeuronTile::moving;
    double b = static_cast<double>(g.batch);
    double grid =
        b * (mp / NeuronTile::stationary) * (kp / NeuronTile::partitions);
    // Each moving tile issues every max(n, 64) cycles.
    double nCycles =
        nFull * NeuronTile::moving +
        (nRest ? std::max<int64_t>(nRest, NeuronTile::minIssueCycles) : 0);
    cycles += grid * nCycles * slowdown;
    macs += b * g.m * g.n * g.k;
    paddedMacs +=
        grid * NeuronTile::stationary * NeuronTile::partitions * nCycles;
    int64_t tm = std::min(tile, mp), tn = std::min(tile, roundUp(g.n, 128));
    double rowBlocks = std::ceil(static_cast<double>(mp) / tm);
    double colBlocks = std::ceil(static_cast<double>(g.n) / tn);
    traffic += tiledReadBytes(g, elemBytes, rowBlocks, colBlocks);
    why << "GEMM " << g.batch << "x[" << g.m << "x" << g.n << "x" << g.k
        << "] as " << grid * (nFull + (nRest ? 1 : 0))
        << " TensorEngine matmuls (K' " << kp << ", M' " << mp << "); ";
  }
  traffic += bytesOut + windowBytes;
  double compute = cycles / (ghz * 1e9 * cores * eff) + windowCompute +
                   attentionCopies / (vectorPeak * eff);
  // Epilogues, attention's softmax and scaling run on the Vector engine.
  if (flops > kernel.gemmFlops)
    compute += (flops - kernel.gemmFlops) / (vectorPeak * eff);
  // Operand tiles move [128 partitions x up to 2048 columns]; an
  // attention's, 128 columns (a block of keys).
  double perPartition =
      (gemms.empty() ? NeuronTile::partitions
                     : std::min<double>(gemms.front().n, 2048)) *
      elemBytes;
  double memory = traffic / (dma * dmaEfficiency(perPartition));
  double peak = spec.matrixTflops.lookup(fp32 ? "f32" : "bf16").value * 1e12;
  why << cycles << " TensorEngine cycles at " << ghz << " GHz on " << cores
      << " cores x " << eff << (fp32 ? " (fp32: 4x slower)" : "") << "; "
      << traffic << " bytes over DMA at " << dma / 1e9 << " GB/s x "
      << dmaEfficiency(perPartition) << "; ";
  CostEstimate e = finishEstimate(*this, compute, memory, overhead, flops, peak,
                                  traffic, bytesIn + bytesOut, why);
  e.paddingWaste = paddedMacs > 0 ? 1.0 - macs / paddedMacs : 0.0;
  return e;
}

} // namespace

std::unique_ptr<Target> createTrainiumTarget(ChipSpec spec,
                                             HostBackendBuilder hostBackend) {
  return std::make_unique<TrainiumTarget>(std::move(spec),
                                          std::move(hostBackend));
}

} // namespace fungible
