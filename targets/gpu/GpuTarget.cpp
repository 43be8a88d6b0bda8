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
//  - Other work runs on the CUDA cores at the vector f32 peak times the
//    CUDA cores' efficiency (param vector_efficiency; 1 until a GPU's
//    measurements fit it). A contraction on the CUDA cores (an f32
//    attention: its two chained products) is priced as the lowering runs
//    it (GpuSchedule.h): its FMAs (overhanging blocks
//    included), its operand loads (param load_efficiency: their rate
//    against the FMAs'), and the chain of dependent steps a thread runs
//    times the waves of CTAs (param serial_step_ns), which is the time
//    when there are too few threads to hide a step's latency.
//  - Memory: compulsory traffic (every operand read once, results written
//    once), except that a GEMM of more than one row and one column of
//    128 x 128 tiles whose operands exceed L2 reads them twice (a coarse
//    stand-in for tile re-reads; an assumption, flagged in the
//    explanation). Bandwidth is the HBM peak times the measured
//    streaming efficiency (bandwidth_efficiency, N9).
//  - time = max(compute, memory, latency) + launch; the bound is what dominates
//    (overhead when the launch does). Energy follows what the kernel keeps
//    busy (finishEstimate); dollars = price per hour x time. A kernel whose
//    operands and results exceed device memory is infeasible.
//
// The counts at unit efficiency are a GpuWork and the efficiencies and the
// launch a GpuFactors (GpuTarget.h), so that fungible-calibrate can fit the
// factors to a GPU's measured kernels (GpuFit.h) with this very model.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuTarget.h"
#include "targets/CostModelSupport.h"
#include "targets/Kernels.h"
#include "targets/gpu/GpuLowering.h"
#include "targets/gpu/GpuSchedule.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

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
    const auto &params = getSpec().params;
    auto sm = params.find("sm_arch");
    if (sm != params.end())
      options.smArch = static_cast<unsigned>(sm->second.value);
    WgmmaLaunchShape &shape = options.wgmma;
    shape.sms = static_cast<int64_t>(getSpec().units.value);
    for (auto [name, field] : {std::pair("wgmma_tile_n", &shape.tileN),
                               std::pair("wgmma_tile_k", &shape.tileK),
                               std::pair("wgmma_stages", &shape.stages),
                               std::pair("wgmma_group_m", &shape.groupM)}) {
      auto param = params.find(name);
      if (param != params.end())
        *field = static_cast<int64_t>(param->second.value);
    }
    for (auto [name, field] : {std::pair("wgmma_swizzle", &shape.swizzle),
                               std::pair("wgmma_tma", &shape.tma)}) {
      auto param = params.find(name);
      if (param != params.end())
        *field = param->second.value != 0;
    }
    if (std::string why = shape.whyInvalid(); !why.empty())
      return llvm::createStringError("'" + getName() +
                                     "': params.wgmma_*: the sm_90a GEMM "
                                     "kernel cannot take its shape: " +
                                     why);
    if (failed(buildGpuLoweringPipeline(pm, options)))
      return llvm::createStringError("the GPU lowering pipeline of '" +
                                     getName() + "' did not build");
    return true;
  }
};

CostEstimate GpuTarget::estimate(const KernelInfo &kernel, bool explain) const {
  if (usesBuffers(kernel))
    return cannotRun(kBufferCodeIsHostOnly);
  const ChipSpec &spec = getSpec();
  Explanation why(explain);
  GpuWork work = describeGpuWork(spec, kernel, &why);
  GpuFactors factors = GpuFactors::of(spec, &why, &work);
  GpuSeconds seconds = estimateGpuSeconds(factors, work);
  if (work.tensorCore > 0 || work.tensorCoreF8 > 0)
    why << "tensor cores " << matrixKey(kernel.elementType) << " at "
        << work.peakFlops / 1e12 << " TFLOP/s x "
        << factors.value[work.tensorCoreF8 > 0 ? GpuFactors::GemmEfficiencyF8
                                               : GpuFactors::GemmEfficiencyBf16]
        << " efficiency; ";
  else
    why << "CUDA cores at " << work.peakFlops / 1e12 << " TFLOP/s "
        << (usesF64(kernel) ? "f64" : "f32") << "; ";
  why << work.traffic << " bytes of HBM traffic ("
      << (work.operandsReread ? "GEMM operands exceed L2: assumed read twice"
                              : "operands read once")
      << ") at "
      << spec.memoryGBps.value * factors.value[GpuFactors::BandwidthEfficiency]
      << " GB/s effective; ";
  // A chain of dependent steps longer than the throughput's time leaves
  // the multiprocessors waiting: time the kernel holds the chip without
  // keeping its units busy, counted with the launch's overhead.
  double waiting = std::max(0.0, seconds.latency -
                                     std::max(seconds.compute, seconds.memory));
  if (work.serialSteps > 0)
    why << work.serialSteps << " serial steps at "
        << factors.value[GpuFactors::StepSeconds] * 1e9
        << " ns: " << seconds.latency << " s"
        << (waiting > 0 ? " (longer than the throughput's time: the rest is "
                          "waiting)"
                        : "")
        << "; ";
  CostEstimate e =
      finishEstimate(*this, seconds.compute, seconds.memory,
                     seconds.overhead + waiting, kernel.flops, work.peakFlops,
                     work.traffic, kernel.bytesRead + kernel.bytesWritten, why);
  e.paddingWaste = work.paddingWaste;
  return e;
}

/// Threads and registers of one multiprocessor (every GPU since Volta).
constexpr double kThreadsPerSm = 2048, kRegistersPerSm = 65536;

/// The CTAs of `s` one multiprocessor holds at once: as many as its
/// threads and registers allow (a block's accumulators and a step's
/// operands beside the addressing: an estimate, ptxas decides).
double ctasPerSm(const gpu_kernels::CudaCoreSchedule &s) {
  double registers = 32 + s.blockRows * s.blockCols + s.blockRows + s.blockCols;
  return std::max(
      1.0, std::floor(std::min(kThreadsPerSm, kRegistersPerSm / registers) /
                      s.threads));
}

/// A warp's load of 4 sectors (32 lanes of 4 bytes) costs what 32 lanes'
/// loads do: fewer (lanes sharing elements) cost less, more (a lane per
/// row of a matrix read across its rows) more.
double loadsOf(const gpu_kernels::CudaCoreSchedule &s) {
  return 8 * s.sectors();
}

/// The CUDA-core contractions of `kernel` (f32 and f64 matmuls,
/// convolutions and attentions) as the lowering runs them
/// (GpuSchedule.h): their FMAs, overhanging blocks included, replace their
/// share of `work.cudaCore`, and their loads and serial steps are counted.
/// A kernel's contractions run one after the other in its CTAs, which the
/// multiprocessors take in waves; an attention's two products run one
/// after the other in the same CTAs.
void describeCudaCoreContractions(const ChipSpec &spec,
                                  const KernelInfo &kernel, double vectorPeak,
                                  GpuWork &work, Explanation &why) {
  if (!kernel.op)
    return;
  double fmas = 0, loads = 0, steps = 0, ctas = 0;
  auto waveCount = [&](const gpu_kernels::CudaCoreSchedule &s, double perSm) {
    return std::ceil(s.ctas / (perSm * spec.units.value));
  };
  kernel.op->walk([&](Operation *op) {
    if (std::optional<gpu_kernels::AttentionSchedule> a =
            gpu_kernels::scheduleAttentionOnCudaCores(op)) {
      double waves = waveCount(
          a->scores, std::min(ctasPerSm(a->scores), ctasPerSm(a->values)));
      fmas += a->scores.fmas() + a->values.fmas();
      loads += loadsOf(a->scores) + loadsOf(a->values);
      steps += waves * (a->scores.serialSteps() + a->values.serialSteps());
      ctas = std::max<double>(ctas, a->scores.ctas);
      why << "wl.attention on the CUDA cores: " << a->scores.ctas << " CTAs of "
          << a->scores.tileRows << " queries x " << a->values.tileCols
          << " head columns; scores " << a->scores.blockRows << "x"
          << a->scores.blockCols << " a thread over " << a->scores.serialSteps()
          << " steps, values " << a->values.blockRows << "x"
          << a->values.blockCols << " over " << a->values.serialSteps()
          << " steps, in " << waves << " waves; ";
      return;
    }
    std::optional<gpu_kernels::CudaCoreSchedule> s =
        gpu_kernels::scheduleOnCudaCores(op);
    if (!s)
      return;
    double waves = waveCount(*s, ctasPerSm(*s));
    fmas += s->fmas();
    loads += loadsOf(*s);
    steps += waves * s->serialSteps();
    ctas = std::max<double>(ctas, s->ctas);
    why << op->getName().getStringRef() << " on the CUDA cores: " << s->ctas
        << " CTAs of " << s->activeThreads << " threads with work, "
        << s->blockRows << "x" << s->blockCols << " outputs a thread, ";
    if (s->splitLanes)
      why << "K in " << s->splitLanes << " lanes of partial sums, ";
    why << s->serialSteps() << " steps a thread in " << waves << " waves; ";
  });
  if (fmas == 0)
    return;
  work.cudaCore =
      (std::max(0.0, kernel.flops - kernel.gemmFlops) + 2 * fmas) / vectorPeak;
  work.cudaCoreLoads = loads / (vectorPeak / 2);
  work.serialSteps = steps;
  work.ctas = ctas;
}

} // namespace

GpuFactors GpuFactors::of(const ChipSpec &spec, Explanation *why,
                          const GpuWork *work) {
  Explanation none(false);
  GpuFactors factors;
  for (unsigned f = 0; f < kNumFactors; ++f) {
    double unit = getSpecUnit(Factor(f));
    if (f == LaunchSeconds) {
      factors.value[f] = spec.launchMicros.value * unit;
      continue;
    }
    bool used = !work || getGpuWorkTerm(*work, Factor(f)) > 0;
    StringRef name = getFieldName(Factor(f)).drop_front(strlen("params."));
    factors.value[f] = unit * getParam(spec, name, factors.value[f] / unit,
                                       why && used ? *why : none);
  }
  return factors;
}

StringRef GpuFactors::getFieldName(Factor factor) {
  switch (factor) {
  case GemmEfficiencyBf16:
    return "params.gemm_efficiency_bf16";
  case GemmEfficiencyF8:
    return "params.gemm_efficiency_f8";
  case VectorEfficiency:
    return "params.vector_efficiency";
  case LoadEfficiency:
    return "params.load_efficiency";
  case BandwidthEfficiency:
    return "params.bandwidth_efficiency";
  case StepSeconds:
    return "params.serial_step_ns";
  case LaunchSeconds:
    return "overheads.launch_us";
  }
  llvm_unreachable("unknown GPU factor");
}

StringRef GpuFactors::getWorkKey(Factor factor) {
  switch (factor) {
  case GemmEfficiencyBf16:
    return "tensor_core";
  case GemmEfficiencyF8:
    return "tensor_core_f8";
  case VectorEfficiency:
    return "cuda_core";
  case LoadEfficiency:
    return "cuda_core_loads";
  case BandwidthEfficiency:
    return "memory";
  case StepSeconds:
    return "serial_steps";
  case LaunchSeconds:
    return "launches";
  }
  llvm_unreachable("unknown GPU factor");
}

double &getGpuWorkTerm(GpuWork &work, GpuFactors::Factor factor) {
  switch (factor) {
  case GpuFactors::GemmEfficiencyBf16:
    return work.tensorCore;
  case GpuFactors::GemmEfficiencyF8:
    return work.tensorCoreF8;
  case GpuFactors::VectorEfficiency:
    return work.cudaCore;
  case GpuFactors::LoadEfficiency:
    return work.cudaCoreLoads;
  case GpuFactors::BandwidthEfficiency:
    return work.memory;
  case GpuFactors::StepSeconds:
    return work.serialSteps;
  case GpuFactors::LaunchSeconds:
    return work.launches;
  }
  llvm_unreachable("unknown GPU factor");
}

double getGpuWorkTerm(const GpuWork &work, GpuFactors::Factor factor) {
  return getGpuWorkTerm(const_cast<GpuWork &>(work), factor);
}

GpuWork describeGpuWork(const ChipSpec &spec, const KernelInfo &kernel,
                        Explanation *why) {
  Explanation none(false);
  Explanation &w = why ? *why : none;
  GpuWork work;

  // Compute.
  bool f64 = usesF64(kernel);
  double vectorPeak = f64 ? f64Rate(spec.vectorTflops, w)
                          : spec.vectorTflops.lookup("f32").value * 1e12;
  work.peakFlops = vectorPeak;
  Type elem = kernel.elementType;
  StringRef key = elem ? matrixKey(elem) : "";
  bool tensorCores =
      !kernel.gemms.empty() && !key.empty() && spec.matrixTflops.count(key);
  if (tensorCores) {
    double peak = spec.matrixTflops.lookup(key).value * 1e12;
    work.peakFlops = peak;
    double sms = spec.units.value;
    double macs = 0, paddedMacs = 0, seconds = 0;
    for (const Gemm &g : kernel.gemms) {
      int64_t mp = roundUp(g.m, GpuTile::m), np = roundUp(g.n, GpuTile::n),
              kp = roundUp(g.k, GpuTile::k);
      double tiles =
          static_cast<double>(g.batch) * (mp / GpuTile::m) * (np / GpuTile::n);
      double waves = std::ceil(tiles / sms);
      seconds += waves * 2.0 * GpuTile::m * GpuTile::n * kp / (peak / sms);
      macs += static_cast<double>(g.batch) * g.m * g.n * g.k;
      paddedMacs += static_cast<double>(g.batch) * mp * np * kp;
      w << "GEMM " << g.batch << "x[" << g.m << "x" << g.n << "x" << g.k
        << "] -> " << tiles << " tiles of 128x128 (K' " << kp << ") in "
        << waves << " waves over " << sms << " SMs; ";
    }
    (key == "f8" ? work.tensorCoreF8 : work.tensorCore) = seconds;
    work.paddingWaste = paddedMacs > 0 ? 1.0 - macs / paddedMacs : 0.0;
    // Epilogues, attention's softmax and scaling run on the CUDA cores.
    if (kernel.flops > kernel.gemmFlops)
      work.cudaCore = (kernel.flops - kernel.gemmFlops) / vectorPeak;
  } else {
    work.cudaCore = kernel.flops / vectorPeak;
    describeCudaCoreContractions(spec, kernel, vectorPeak, work, w);
  }

  // Memory. Streaming kernels read every operand once; a GEMM whose
  // operands exceed L2 re-reads tiles of them. One that is one row or one
  // column of 128 x 128 tiles (a matrix-vector product, a skinny GEMM)
  // reads its large operand once: each of its elements meets one tile.
  double bytesIn = kernel.bytesRead;
  bool rereads = llvm::any_of(kernel.gemms, [](const Gemm &gemm) {
    return gemm.m > GpuTile::m && gemm.n > GpuTile::n;
  });
  bool fits = !rereads || bytesIn <= spec.onChipMB.value * 1e6;
  work.traffic = (fits ? bytesIn : 2 * bytesIn) + kernel.bytesWritten;
  work.memory = work.traffic / (spec.memoryGBps.value * 1e9);
  work.operandsReread = !fits;
  return work;
}

GpuSeconds estimateGpuSeconds(const GpuFactors &factors, const GpuWork &work) {
  GpuSeconds seconds;
  seconds.compute =
      work.tensorCore / factors.value[GpuFactors::GemmEfficiencyBf16] +
      work.tensorCoreF8 / factors.value[GpuFactors::GemmEfficiencyF8] +
      work.cudaCore / factors.value[GpuFactors::VectorEfficiency];
  seconds.compute +=
      work.cudaCoreLoads / factors.value[GpuFactors::LoadEfficiency];
  seconds.memory = work.memory / factors.value[GpuFactors::BandwidthEfficiency];
  seconds.latency =
      work.serialSteps * factors.value[GpuFactors::StepSeconds];
  seconds.overhead = work.launches * factors.value[GpuFactors::LaunchSeconds];
  return seconds;
}

std::unique_ptr<Target> createGpuTarget(ChipSpec spec) {
  return std::make_unique<GpuTarget>(std::move(spec));
}

} // namespace fungible
