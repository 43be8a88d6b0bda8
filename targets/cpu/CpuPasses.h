//===- CpuPasses.h - The Cpu target's lowering passes -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the passes of CpuPasses.td (their create functions
// and options) and registerFungibleCpuPasses(), which registers them.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPUPASSES_H
#define FUNGIBLE_TARGETS_CPU_CPUPASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace fungible {
#define GEN_PASS_DECL
#include "targets/cpu/CpuPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "targets/cpu/CpuPasses.h.inc"
} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_CPUPASSES_H
