//===- TrainiumPasses.h - The Trainium target's lowering passes -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the passes of TrainiumPasses.td (their create functions
// and options) and registerFungibleTrainiumPasses(), which registers them.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMPASSES_H
#define FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMPASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace fungible {
#define GEN_PASS_DECL
#include "targets/trainium/TrainiumPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "targets/trainium/TrainiumPasses.h.inc"
} // namespace fungible

#endif // FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMPASSES_H
