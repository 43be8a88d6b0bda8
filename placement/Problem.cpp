//===- Problem.cpp - The placement problem ----------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the problem's construction, its validation and the
// evaluation of an assignment.
//
//===----------------------------------------------------------------------===//

#include "placement/PlacementDetail.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace llvm;

namespace fungible::placement {
using namespace detail;

Problem::Problem(unsigned kernels, unsigned targets)
    : numKernels(kernels), numTargets(targets),
      kernelCost(size_t(kernels) * targets, 0),
      costPerByte(size_t(targets) * targets, 0),
      costPerTransfer(size_t(targets) * targets, 0) {}

double detail::evaluate(const Problem &p, const Transfers &tr,
                        ArrayRef<unsigned> labels) {
  double sum = 0;
  for (unsigned k = 0; k < p.numKernels; ++k)
    sum += p.cost(k, labels[k]);
  for (const Edge &e : tr.plain)
    sum += p.transferCost(e, labels[e.from], labels[e.to]);
  for (const Transfers::Fan &f : tr.fans)
    sum += tr.fanCost(p, f, labels);
  return sum;
}

Error verify(const Problem &p) {
  if (p.numTargets == 0)
    return problemError("placement problem has no targets");
  if (p.numTargets > 65535)
    return problemError("placement problem has more than 65535 targets");
  size_t n = p.numKernels, t = p.numTargets;
  if (p.kernelCost.size() != n * t)
    return problemError(formatv("placement problem has {0} kernel costs for "
                                "{1} kernels x {2} targets",
                                p.kernelCost.size(), n, t));
  if (p.costPerByte.size() != t * t || p.costPerTransfer.size() != t * t)
    return problemError("placement problem's transfer costs are not "
                        "targets x targets");
  for (double c : p.kernelCost)
    if (std::isnan(c) || c < 0)
      return problemError("placement problem has a negative or NaN kernel "
                          "cost");
  for (size_t i = 0; i < t * t; ++i)
    if (!(p.costPerByte[i] >= 0) || !(p.costPerTransfer[i] >= 0) ||
        std::isinf(p.costPerByte[i]) || std::isinf(p.costPerTransfer[i]))
      return problemError("placement problem has a negative or non-finite "
                          "transfer cost");
  for (const Edge &e : p.edges)
    if (e.from >= n || e.to >= n || !(e.bytes >= 0) || std::isinf(e.bytes))
      return problemError(formatv("placement problem has a bad edge {0} -> "
                                  "{1} ({2} bytes)",
                                  e.from, e.to, e.bytes));
  // The edges of one output carry the same bytes.
  std::vector<unsigned> shared;
  for (unsigned e = 0; e < p.edges.size(); ++e)
    if (p.edges[e].output != kOwnOutput)
      shared.push_back(e);
  llvm::sort(shared, [&](unsigned a, unsigned b) {
    return std::make_pair(p.edges[a].from, p.edges[a].output) <
           std::make_pair(p.edges[b].from, p.edges[b].output);
  });
  for (size_t i = 1; i < shared.size(); ++i) {
    const Edge &a = p.edges[shared[i - 1]], &b = p.edges[shared[i]];
    if (a.from == b.from && a.output == b.output && a.bytes != b.bytes)
      return problemError(formatv("placement problem: output {1} of kernel "
                                  "{0} has edges carrying {2} and {3} bytes",
                                  kernelName(p, a.from), a.output, a.bytes,
                                  b.bytes));
  }
  for (unsigned k = 0; k < n; ++k) {
    bool any = false;
    for (unsigned c = 0; c < t && !any; ++c)
      any = !std::isinf(p.cost(k, c));
    if (!any)
      return problemError("kernel " + kernelName(p, k) +
                          " cannot run on any of the available targets" +
                          (k < p.whyNowhere.size() && !p.whyNowhere[k].empty()
                               ? " (" + p.whyNowhere[k] + ")"
                               : std::string()));
  }
  return Error::success();
}

double evaluate(const Problem &p, ArrayRef<unsigned> assignment) {
  return evaluate(p, Transfers(p), assignment);
}

} // namespace fungible::placement
