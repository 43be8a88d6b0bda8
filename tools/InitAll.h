//===- InitAll.h - Every Fungible dialect and pass --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the one place that knows every Fungible dialect and
// pass (CIRCT's InitAllDialects.h / InitAllPasses.h): the chip-neutral wl
// dialect, the target dialects (mxu, neuron), the passes of passes/ and
// each target family's lowering stages. Tools, the mlir-opt plugin, tests
// and benchmarks call these; no dialect or library registers another's.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TOOLS_INITALL_H
#define FUNGIBLE_TOOLS_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace fungible {

/// Adds wl, mxu and neuron to `registry`.
void registerAllFungibleDialects(mlir::DialectRegistry &registry);

/// Registers every Fungible pass with the global pass registry: those of
/// passes/Passes.td and of each family's <Family>Passes.td.
void registerAllFungiblePasses();

} // namespace fungible

#endif // FUNGIBLE_TOOLS_INITALL_H
