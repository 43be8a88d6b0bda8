//===- TrainiumTarget.h - Trainium-like cost model --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the target of the `trainium` family (trn1, trn2): the
// 128-partition SBUF layout, TensorEngine tile limits and issue intervals,
// Vector-engine work, and DMA bandwidth with its per-partition transfer
// size rule. See TrainiumTarget.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMTARGET_H
#define FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMTARGET_H

#include "targets/HostBackend.h"
#include "targets/PluginAPI/Target.h"

#include <memory>

namespace fungible {

/// TensorEngine matmul limits (A2): contraction and stationary free dims
/// on 128 partitions / PE columns, moving free dim up to one PSUM bank.
struct NeuronTile {
  static constexpr int64_t partitions = 128, stationary = 128, moving = 512,
                           minIssueCycles = 64;
};

/// A target for a `trainium`-family spec. Its host emulator ends with
/// `hostBackend`; without one it has no emulation pipeline.
std::unique_ptr<Target>
createTrainiumTarget(ChipSpec spec, HostBackendBuilder hostBackend = {});

} // namespace fungible

#endif // FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMTARGET_H
