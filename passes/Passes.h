//===- Passes.h - Fungible passes -------------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the passes of Fungible (generated from Passes.td) and
// their registration.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_PASSES_H
#define FUNGIBLE_PASSES_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
} // namespace arith
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace math {
class MathDialect;
} // namespace math
namespace tensor {
class TensorDialect;
} // namespace tensor
} // namespace mlir

namespace fungible::wl {
class WLDialect;
} // namespace fungible::wl

namespace fungible {
#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Moves `op` into a new wl.opaque kernel (what wl-import does with ops it
/// cannot raise): values it uses become the kernel's inputs, except scalar
/// constants and tensor.empty inits, which are cloned inside.
void wrapInOpaque(mlir::Operation *op);

} // namespace fungible

#endif // FUNGIBLE_PASSES_PASSES_H
