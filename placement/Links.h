//===- Links.h - What moving bytes between chips costs ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the link model between two targets, from their chip
// specs:
//  - the same target: free (the data stays in its memory);
//  - two accelerators of one family: the family link (NVLink, ICI,
//    NeuronLink) at the slower of the two specs' links.family_gbps, plus
//    one link latency;
//  - an accelerator and the host CPU: one hop over the accelerator's host
//    link (links.host_gbps, PCIe), plus one latency;
//  - accelerators of two families (no direct link): staged through host
//    memory, two host-link hops and two latencies;
//  - two CPUs: the slower host memory bandwidth.
// The latencies are constants of this file (not published figures): a
// device-to-device DMA setup of kFamilyLinkLatency and a host round of
// kHostLinkLatency.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PLACEMENT_LINKS_H
#define FUNGIBLE_PLACEMENT_LINKS_H

#include "placement/Makespan.h"
#include "placement/Placement.h"
#include "targets/PluginAPI/ChipSpec.h"
#include "targets/PluginAPI/CostEstimate.h"

namespace fungible::placement {

/// Unsourced: the order of a GPU peer-to-peer copy's setup.
inline constexpr double kFamilyLinkLatency = 5e-6;
/// Unsourced: the order of a PCIe DMA round through host memory.
inline constexpr double kHostLinkLatency = 10e-6;

/// Seconds to move bytes from a chip of spec `a` to one of spec `b`:
/// `perByte * bytes + fixed`.
struct LinkCost {
  double perByte = 0, fixed = 0;
  double seconds(double bytes) const { return perByte * bytes + fixed; }
};

LinkCost linkCost(const ChipSpec &a, const ChipSpec &b);

/// The link between two devices of one chip (linkCost of a chip with
/// itself is free: the data stays in one memory): the family link for an
/// accelerator (links.family_gbps, one latency), a memory copy for a CPU.
LinkCost deviceLinkCost(const ChipSpec &chip);

/// The fleet as the makespan and throughput objectives see it: `counts`
/// devices of each of `targets`, moves between two devices of one target at
/// its deviceLinkCost (in seconds).
DeviceFleet deviceFleet(llvm::ArrayRef<const ChipSpec *> targets,
                        std::vector<unsigned> counts);

/// A readable name of the link class ("same", "NVLink-class", "PCIe", ...),
/// for reports: "family", "host", "staged", "memory" or "none".
const char *linkKind(const ChipSpec &a, const ChipSpec &b);

/// Fills `problem`'s transfer costs between `targets` (its target order)
/// in the unit of `objective`: seconds for time; for dollars and energy a
/// transfer bills both ends for its duration (price, board power).
void setLinkCosts(Problem &problem, llvm::ArrayRef<const ChipSpec *> targets,
                  Objective objective);

} // namespace fungible::placement

#endif // FUNGIBLE_PLACEMENT_LINKS_H
