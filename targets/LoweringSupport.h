//===- LoweringSupport.h - What the targets' lowerings share ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the front end every built-in target's lowering starts
// with: wl (and what an import left opaque: TOSA, elementwise arith/math on
// tensors) to linalg on tensors, then one-shot bufferisation with
// identity-layout memrefs at function boundaries.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_LOWERINGSUPPORT_H
#define FUNGIBLE_TARGETS_LOWERINGSUPPORT_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace fungible {

/// Adds wl -> linalg on tensors -> linalg on memrefs to `pm` (a module pass
/// manager). Registers upstream's passes on first use. Fails only if
/// upstream's pipeline text does not parse (a build with passes missing).
llvm::LogicalResult addBufferizedLinalgPipeline(mlir::OpPassManager &pm);

/// Parses `pipeline` into `pm` after making sure upstream's passes are
/// registered.
llvm::LogicalResult addUpstreamPipeline(mlir::OpPassManager &pm,
                                        llvm::StringRef pipeline);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_LOWERINGSUPPORT_H
