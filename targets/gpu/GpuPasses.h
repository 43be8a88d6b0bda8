//===- GpuPasses.h - The Gpu target's lowering passes -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the passes of GpuPasses.td (their create functions
// and options) and registerFungibleGpuPasses(), which registers them.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_GPUPASSES_H
#define FUNGIBLE_TARGETS_GPU_GPUPASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace fungible {
#define GEN_PASS_DECL
#include "targets/gpu/GpuPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "targets/gpu/GpuPasses.h.inc"
} // namespace fungible

#endif // FUNGIBLE_TARGETS_GPU_GPUPASSES_H
