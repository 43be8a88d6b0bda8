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

#include <memory>

namespace fungible {

/// The CTA tile the model assumes for tensor-core GEMMs (M x N x K).
struct GpuTile {
  static constexpr int64_t m = 128, n = 128, k = 64;
};

/// A target for a `gpu`-family spec.
std::unique_ptr<Target> createGpuTarget(ChipSpec spec);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_GPU_GPUTARGET_H
