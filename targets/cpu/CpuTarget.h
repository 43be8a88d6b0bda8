//===- CpuTarget.h - Host CPU cost model ------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the target of the `cpu` family: the model of the
// host's own JIT code (targets/cpu/HostWork.h), priced at the spec's
// costs per unit of work (fitted by fungible-calibrate --from), or, for a
// spec without them, a roofline of its figures (peak FLOP/s and memory
// bandwidth).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPUTARGET_H
#define FUNGIBLE_TARGETS_CPU_CPUTARGET_H

#include "targets/PluginAPI/Target.h"

#include <memory>

namespace fungible {

/// A target for a `cpu`-family spec.
std::unique_ptr<Target> createCpuTarget(ChipSpec spec);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_CPUTARGET_H
