//===- HostBackend.h - The host back end, as emulators see it ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares HostBackendBuilder, the neutral interface through
// which a family's host emulator reaches the host's code generator without
// knowing which family provides it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_HOSTBACKEND_H
#define FUNGIBLE_TARGETS_HOSTBACKEND_H

#include "mlir/Support/LLVM.h"

#include <functional>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace fungible {

/// The host back end: adds the passes that take bufferised linalg, scf and
/// memref (what a host emulator leaves) to the LLVM dialect for the host's
/// ExecutionEngine, public functions with a C interface. The TPU and
/// Trainium emulators end with one; the cpu family provides it
/// (buildCpuHostBackend), and whoever assembles the targets
/// (createBuiltinTarget) hands it over, so no family includes another's
/// headers. An empty builder means "no host back end": the target then has
/// no emulation pipeline.
using HostBackendBuilder =
    std::function<llvm::LogicalResult(mlir::OpPassManager &)>;

} // namespace fungible

#endif // FUNGIBLE_TARGETS_HOSTBACKEND_H
