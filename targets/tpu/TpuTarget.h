//===- TpuTarget.h - TPU-like cost model ------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the target of the `tpu` family (v5e, v5p, v6e): MXU-
// shaped padding, VMEM tiling and the HBM re-reads it causes, the vector
// unit for non-matrix work, and per-step overhead. See TpuTarget.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TPU_TPUTARGET_H
#define FUNGIBLE_TARGETS_TPU_TPUTARGET_H

#include "targets/HostBackend.h"
#include "targets/PluginAPI/Target.h"

#include <memory>

namespace fungible {

/// Rows stream through the MXU in groups of this many (sublanes).
inline constexpr int64_t kTpuRowGranularity = 8;

/// bf16 passes per f32 matmul: XLA's "HIGH" precision (bf16_3x) splits
/// each f32 operand into a bf16 high and low part and keeps three of the
/// four products, for f32-level accuracy at a third of the bf16 rate (the
/// XLA/JAX precision documentation; "HIGHEST" would be 6 passes).
inline constexpr double kF32Passes = 3;

/// A target for a `tpu`-family spec. Its host emulator ends with
/// `hostBackend`; without one it has no emulation pipeline.
std::unique_ptr<Target> createTpuTarget(ChipSpec spec,
                                        HostBackendBuilder hostBackend = {});

} // namespace fungible

#endif // FUNGIBLE_TARGETS_TPU_TPUTARGET_H
