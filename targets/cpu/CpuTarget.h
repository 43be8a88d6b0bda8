//===- CpuTarget.h - Host CPU cost model ------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the target of the `cpu` family: a roofline of the
// host's own figures (peak FLOP/s and memory bandwidth). Until
// fungible-calibrate measures them, cpu-host.json holds nominal figures
// marked unsourced, and every estimate says so.
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
