//===- TpuPasses.h - The Tpu target's lowering passes -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the passes of TpuPasses.td (their create functions
// and options) and registerFungibleTpuPasses(), which registers them.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TPU_TPUPASSES_H
#define FUNGIBLE_TARGETS_TPU_TPUPASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace fungible {
#define GEN_PASS_DECL
#include "targets/tpu/TpuPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "targets/tpu/TpuPasses.h.inc"
} // namespace fungible

#endif // FUNGIBLE_TARGETS_TPU_TPUPASSES_H
