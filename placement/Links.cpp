//===- Links.cpp - What moving bytes between chips costs --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the link model (Links.h).
//
//===----------------------------------------------------------------------===//

#include "placement/Links.h"

#include <algorithm>

namespace fungible::placement {

const char *linkKind(const ChipSpec &a, const ChipSpec &b) {
  if (a.id == b.id)
    return "none";
  bool aCpu = a.family == ChipFamily::CPU, bCpu = b.family == ChipFamily::CPU;
  if (aCpu && bCpu)
    return "memory";
  if (aCpu || bCpu)
    return "host";
  return a.family == b.family ? "family" : "staged";
}

LinkCost linkCost(const ChipSpec &a, const ChipSpec &b) {
  LinkCost cost;
  if (a.id == b.id)
    return cost;
  bool aCpu = a.family == ChipFamily::CPU, bCpu = b.family == ChipFamily::CPU;
  if (aCpu && bCpu) {
    cost.perByte = 1 / (std::min(a.memoryGBps.value, b.memoryGBps.value) * 1e9);
    return cost;
  }
  if (aCpu || bCpu) {
    const ChipSpec &device = aCpu ? b : a;
    cost.perByte = 1 / (device.hostLinkGBps.value * 1e9);
    cost.fixed = kHostLinkLatency;
    return cost;
  }
  if (a.family == b.family) {
    cost.perByte = 1 / (std::min(a.linkGBps.value, b.linkGBps.value) * 1e9);
    cost.fixed = kFamilyLinkLatency;
    return cost;
  }
  cost.perByte =
      1 / (a.hostLinkGBps.value * 1e9) + 1 / (b.hostLinkGBps.value * 1e9);
  cost.fixed = 2 * kHostLinkLatency;
  return cost;
}

LinkCost deviceLinkCost(const ChipSpec &chip) {
  LinkCost cost;
  if (chip.family == ChipFamily::CPU) {
    cost.perByte = 1 / (chip.memoryGBps.value * 1e9);
    return cost;
  }
  cost.perByte = 1 / (chip.linkGBps.value * 1e9);
  cost.fixed = kFamilyLinkLatency;
  return cost;
}

DeviceFleet deviceFleet(llvm::ArrayRef<const ChipSpec *> targets,
                        std::vector<unsigned> counts) {
  DeviceFleet fleet(std::move(counts));
  for (auto [t, spec] : llvm::enumerate(targets)) {
    LinkCost link = deviceLinkCost(*spec);
    fleet.perByte[t] = link.perByte;
    fleet.perTransfer[t] = link.fixed;
  }
  return fleet;
}

/// What a chip draws while a transfer keeps its memory and links busy and
/// its compute idle (the estimates' power model, docs/CostModel.md).
static double transferWatts(const ChipSpec &spec) {
  return PowerFigures::of(spec).watts(spec.watts.value, /*busyCompute=*/0,
                                      /*busyMemory=*/1);
}

void setLinkCosts(Problem &problem, llvm::ArrayRef<const ChipSpec *> targets,
                  Objective objective) {
  unsigned t = targets.size();
  for (unsigned a = 0; a < t; ++a)
    for (unsigned b = 0; b < t; ++b) {
      const ChipSpec &sa = *targets[a], &sb = *targets[b];
      LinkCost link = linkCost(sa, sb);
      double rate = 1;
      if (objective == Objective::Dollars)
        rate = (sa.dollarsPerHour.value + sb.dollarsPerHour.value) / 3600;
      else if (objective == Objective::Energy)
        rate = transferWatts(sa) + transferWatts(sb);
      problem.costPerByte[a * t + b] = link.perByte * rate;
      problem.costPerTransfer[a * t + b] = link.fixed * rate;
    }
}

} // namespace fungible::placement
