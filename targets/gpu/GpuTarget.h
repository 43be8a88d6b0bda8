//===- GpuTarget.h - NVIDIA GPU cost model ----------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the target of the `gpu` family (H100, H200, B200):
// a cost model that knows tensor-core peaks per element type, CTA tile and
// wave quantisation over the SMs, HBM traffic with a coarse L2 model and
// the kernel launch overhead. See GpuTarget.cpp for the model.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_GPUTARGET_H
#define FUNGIBLE_TARGETS_GPU_GPUTARGET_H

#include "targets/PluginAPI/Target.h"

#include <algorithm>
#include <array>
#include <memory>

namespace fungible {

class Explanation;

/// The CTA tile the model assumes for tensor-core GEMMs (M x N x K).
struct GpuTile {
  static constexpr int64_t m = 128, n = 128, k = 64;
};

/// What the gpu model counts for one kernel on one chip, at unit
/// efficiency: the terms the fitted factors (GpuFactors) scale. The
/// estimate is
///
///   max(tensor_core / gemm_efficiency_bf16 + tensor_core_f8 /
///       gemm_efficiency_f8 + cuda_core / vector_efficiency +
///       cuda_core_loads / load_efficiency,
///       memory / bandwidth_efficiency,
///       serial_steps x serial_step) + launches x launch
///
/// (docs/CostModel.md, "gpu"). `fungible-cost --format=json` records it
/// for every gpu-family estimate, and `fungible-calibrate --from` fits the
/// factors to a GPU's measured times with it (GpuFit.h).
struct GpuWork {
  /// Seconds of the GEMM waves at the tensor cores' peak (f16, bf16, i8;
  /// and f8 separately).
  double tensorCore = 0, tensorCoreF8 = 0;
  /// Seconds of the CUDA cores' work (f32 and f64 GEMMs, epilogues, every
  /// other kernel) at their vector peak.
  double cudaCore = 0;
  /// Seconds of a CUDA-core contraction's operand loads (8 lanes' loads a
  /// 32-byte sector its warps read: GpuSchedule.h) at one lane's load
  /// where the vector peak does one FMA.
  double cudaCoreLoads = 0;
  /// Steps of the longest chain of dependent steps: a CUDA-core
  /// contraction's steps a thread runs one after the other, times the
  /// waves of CTAs the multiprocessors take (GpuSchedule.h). What a launch
  /// of too few threads to hide a step's latency takes.
  double serialSteps = 0;
  /// Seconds of the HBM traffic at the peak bandwidth.
  double memory = 0;
  /// Kernel launches the model charges (one per kernel).
  double launches = 1;
  /// Not fitted: what the explanation and the estimate's figures need.
  double traffic = 0, peakFlops = 0, paddingWaste = 0;
  /// Not fitted: the CUDA-core contractions' CTAs (0 when none).
  double ctas = 0;
  /// The GEMM operands exceed L2 and are counted as read twice.
  bool operandsReread = false;
};

/// The factors a GpuWork is scaled by: the spec's params (with the model's
/// fallbacks) and its launch overhead.
struct GpuFactors {
  enum Factor {
    GemmEfficiencyBf16,
    GemmEfficiencyF8,
    VectorEfficiency,
    LoadEfficiency,
    BandwidthEfficiency,
    StepSeconds,
    LaunchSeconds,
  };
  static constexpr unsigned kNumFactors = 7;
  std::array<double, kNumFactors> value{0.8, 0.8, 1.0, 0.25, 0.8, 1e-7, 5e-6};

  /// Seconds per unit of the figure the spec holds the factor in: the
  /// launch in microseconds, the serial step in nanoseconds, an efficiency
  /// as it is (1).
  static double getSpecUnit(Factor factor) {
    return factor == LaunchSeconds ? 1e-6 : factor == StepSeconds ? 1e-9 : 1;
  }

  /// The factors of `spec`; `why`, when given, says which params fell
  /// back to the model's defaults (with `work`: only those `work` uses).
  static GpuFactors of(const ChipSpec &spec, Explanation *why = nullptr,
                       const GpuWork *work = nullptr);
  /// The factor's spec field: "params.gemm_efficiency_bf16", ...,
  /// "params.serial_step_ns", "overheads.launch_us".
  static llvm::StringRef getFieldName(Factor factor);
  /// The factor's GpuWork key in JSON: the term it scales ("tensor_core",
  /// ..., "launches").
  static llvm::StringRef getWorkKey(Factor factor);
};

/// The gpu model's work for `kernel` on `spec`; `why`, when given,
/// receives the tiles, waves and traffic behind it.
GpuWork describeGpuWork(const ChipSpec &spec, const KernelInfo &kernel,
                        Explanation *why = nullptr);

/// The term of `work` that factor `factor` scales.
double &getGpuWorkTerm(GpuWork &work, GpuFactors::Factor factor);
double getGpuWorkTerm(const GpuWork &work, GpuFactors::Factor factor);

/// The compute, memory and overhead seconds of `work` at `factors`.
struct GpuSeconds {
  double compute = 0, memory = 0, latency = 0, overhead = 0;
  double total() const {
    return std::max({compute, memory, latency}) + overhead;
  }
};
GpuSeconds estimateGpuSeconds(const GpuFactors &factors, const GpuWork &work);

/// A target for a `gpu`-family spec.
std::unique_ptr<Target> createGpuTarget(ChipSpec spec);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_GPU_GPUTARGET_H
