//===- CostModelSupport.cpp - Shared pieces of the cost models --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the shared pieces of the cost models
// (CostModelSupport.h).
//
//===----------------------------------------------------------------------===//

#include "targets/CostModelSupport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace llvm;

namespace fungible {

Explanation &Explanation::operator<<(StringRef piece) {
  if (enabled)
    text += piece;
  return *this;
}

Explanation &Explanation::operator<<(int64_t value) {
  if (enabled)
    text += std::to_string(value);
  return *this;
}

Explanation &Explanation::operator<<(double value) {
  if (enabled)
    text += formatFigure(value);
  return *this;
}

CostEstimate cannotRun(std::string reason) {
  CostEstimate e;
  e.feasible = false;
  e.explanation = std::move(reason);
  return e;
}

double f64Rate(const llvm::StringMap<Figure> &rates, Explanation &why) {
  auto it = rates.find("f64");
  if (it != rates.end())
    return it->second.value * 1e12;
  why << "f64 at half the f32 rate (no f64 figure in the spec); ";
  return rates.lookup("f32").value * 1e12 / 2;
}

CostEstimate notAKernel() {
  return cannotRun("not a wl kernel: nothing to estimate");
}

int64_t squareTile(double onChipBytes, double elemBytes, int64_t quantum,
                   double extraBytes) {
  auto tiles = static_cast<int64_t>(std::floor(
      std::sqrt(onChipBytes / (4 * elemBytes + 4 + extraBytes)) / quantum));
  return std::max<int64_t>(tiles, 1) * quantum;
}

double tiledReadBytes(const Gemm &g, double elemBytes, double rowBlocks,
                      double colBlocks) {
  return static_cast<double>(g.batch) * elemBytes *
         (static_cast<double>(g.m) * g.k * colBlocks +
          static_cast<double>(g.k) * g.n * rowBlocks);
}

bool takeAttentionGemms(SmallVectorImpl<Gemm> &gemms, const AttentionShape &a) {
  auto find = [&](int64_t m, int64_t n, int64_t k) {
    return llvm::find_if(gemms, [&](const Gemm &g) {
      return g.batch == a.batch && g.m == m && g.n == n && g.k == k;
    });
  };
  auto qk = find(a.queries, a.keys, a.headDim);
  if (qk == gemms.end())
    return false;
  gemms.erase(qk);
  auto pv = find(a.queries, a.valueDim, a.keys);
  if (pv != gemms.end())
    gemms.erase(pv);
  return true;
}

double attentionReadBytes(const AttentionShape &a, double elemBytes) {
  return elemBytes *
         (a.batch * (static_cast<double>(a.queries) * a.headDim +
                     static_cast<double>(a.keys) * (a.headDim + a.valueDim)) +
          static_cast<double>(a.maskElements));
}

double getParam(const ChipSpec &spec, StringRef name, double fallback,
                Explanation &why) {
  auto it = spec.params.find(name);
  if (it != spec.params.end())
    return it->second.value;
  why << "(spec has no " << name << ": assumed " << fallback << ") ";
  return fallback;
}

CostEstimate finishEstimate(const Target &target, double compute, double memory,
                            double overhead, double flops, double peakFlops,
                            double traffic, double residentBytes,
                            Explanation &why, bool overlapped) {
  const ChipSpec &spec = target.getSpec();
  CostEstimate e;
  double work = overlapped ? std::max(compute, memory) : compute + memory;
  e.seconds = work + overhead;
  double memoryPeak = spec.memoryGBps.value * 1e9;
  if (overhead >= work) {
    e.bound = Bound::Overhead;
    e.utilization = flops / (e.seconds * peakFlops);
  } else if (compute >= memory) {
    e.bound = Bound::Compute;
    e.utilization = flops / (e.seconds * peakFlops);
  } else {
    e.bound = Bound::Memory;
    e.utilization = traffic / (e.seconds * memoryPeak);
  }
  e.utilization = std::min(e.utilization, 1.0);
  // Power: idle plus the share of the dynamic power that what the kernel
  // keeps busy draws; the compute units at full draw, the memory system
  // alone at memory_power_fraction of it (docs/CostModel.md).
  double busyCompute = e.seconds > 0 ? std::min(1.0, compute / e.seconds) : 0;
  double busyMemory = e.seconds > 0 ? std::min(1.0, memory / e.seconds) : 0;
  PowerFigures power;
  power.idle = getParam(spec, "idle_power_fraction", 1.0, why);
  power.memoryShare = getParam(spec, "memory_power_fraction", 1.0, why);
  double watts = power.watts(spec.watts.value, busyCompute, busyMemory);
  e.joules = watts * e.seconds;
  e.dollars = spec.dollarsPerHour.value / 3600.0 * e.seconds;
  e.feasible = residentBytes <= spec.memoryGB.value * 1e9;
  if (!why)
    return e;
  why << "compute " << compute << " s, memory " << memory << " s"
      << (overlapped ? ", overhead " : " (added, not overlapped), overhead ")
      << overhead << " s; power " << watts << " W (idle " << power.idle
      << " of " << spec.watts.value << " W, compute busy " << busyCompute
      << ", memory busy " << busyMemory << " at " << power.memoryShare << ")";
  if (!e.feasible)
    why << "; infeasible: " << residentBytes << " bytes exceed "
        << spec.memoryGB.value << " GB of device memory";
  // Say which of the spec's numbers nobody published.
  if (!target.getUnsourcedSummary().empty())
    why << "; the spec's unsourced figures: " << target.getUnsourcedSummary();
  e.explanation = why.take();
  return e;
}

std::string formatFigure(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

} // namespace fungible
