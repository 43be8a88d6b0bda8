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

#include "dialects/Workload/WorkloadOps.h"
#include "dialects/Workload/WorkloadUtils.h"
#include "mlir/IR/TypeUtilities.h"


#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible {

SmallVector<Gemm> getGemms(Operation *op) {
  if (auto mm = dyn_cast<wl::MatmulOp>(op)) {
    wl::MatmulDims d = wl::getMatmulDims(mm);
    return {Gemm{1, d.m, d.n, d.k}};
  }
  if (auto bmm = dyn_cast<wl::BatchMatmulOp>(op)) {
    wl::MatmulDims d = wl::getMatmulDims(bmm);
    return {Gemm{d.b, d.m, d.n, d.k}};
  }
  if (auto conv = dyn_cast<wl::Conv2DOp>(op)) {
    auto out = cast<RankedTensorType>(conv.getType());
    auto filter = cast<RankedTensorType>(conv.getFilter().getType());
    int64_t groups = conv.getGroups();
    return {Gemm{
        groups, out.getDimSize(0) * out.getDimSize(1) * out.getDimSize(2),
        out.getDimSize(3) / groups,
        filter.getDimSize(0) * filter.getDimSize(1) * filter.getDimSize(2)}};
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

std::optional<KernelWork> getKernelWork(Operation *kernel) {
  auto costed = dyn_cast<wl::WorkloadCostInterface>(kernel);
  if (!costed)
    return std::nullopt;
  KernelWork work;
  work.flops = static_cast<double>(costed.getFlops());
  work.bytesIn = static_cast<double>(costed.getBytesRead());
  work.bytesOut = static_cast<double>(costed.getBytesWritten());
  if (kernel->getNumOperands())
    work.elementType = getElementTypeOrSelf(kernel->getOperand(0).getType());
  return work;
}

CostEstimate notAKernel() {
  CostEstimate e;
  e.feasible = false;
  e.explanation = "not a wl op: nothing to estimate";
  return e;
}

int64_t squareTile(double onChipBytes, double elemBytes, int64_t quantum) {
  auto tiles = static_cast<int64_t>(
      std::floor(std::sqrt(onChipBytes / (4 * elemBytes + 4)) / quantum));
  return std::max<int64_t>(tiles, 1) * quantum;
}

double tiledReadBytes(const Gemm &g, double elemBytes, double rowBlocks,
                      double colBlocks) {
  return static_cast<double>(g.batch) * elemBytes *
         (static_cast<double>(g.m) * g.k * colBlocks +
          static_cast<double>(g.k) * g.n * rowBlocks);
}

double getParam(const ChipSpec &spec, StringRef name, double fallback,
                std::string &why) {
  auto it = spec.params.find(name);
  if (it != spec.params.end())
    return it->second.value;
  why += "(spec has no " + name.str() + ": assumed " + formatFigure(fallback) +
         ") ";
  return fallback;
}

CostEstimate finishEstimate(const Target &target, double compute, double memory,
                            double overhead, double flops, double peakFlops,
                            double traffic, double residentBytes,
                            std::string why) {
  const ChipSpec &spec = target.getSpec();
  CostEstimate e;
  double work = std::max(compute, memory);
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
  e.joules = spec.watts.value * e.seconds;
  e.dollars = spec.dollarsPerHour.value / 3600.0 * e.seconds;
  e.feasible = residentBytes <= spec.memoryGB.value * 1e9;
  why += "compute " + formatFigure(compute) + " s, memory " +
         formatFigure(memory) + " s, overhead " + formatFigure(overhead) + " s";
  if (!e.feasible)
    why += "; infeasible: " + formatFigure(residentBytes) + " bytes exceed " +
           formatFigure(spec.memoryGB.value) + " GB of device memory";
  // Say which of the spec's numbers nobody published.
  if (!target.getUnsourcedSummary().empty())
    why +=
        "; the spec's unsourced figures: " + target.getUnsourcedSummary().str();
  e.explanation = std::move(why);
  return e;
}

std::string formatFigure(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

} // namespace fungible
