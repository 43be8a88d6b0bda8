//===- Emulation.h - Running TPU and Trainium programs on the host -*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the TPU and Trainium emulators share to turn a
// family's programs into host code (fungible-tpu-emulate,
// fungible-trainium-emulate): DMAs as clipped copies between HBM views
// and host buffers standing in for on-chip tiles, and vector-unit bodies
// as linalg.generics.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_EMULATION_H
#define FUNGIBLE_TARGETS_EMULATION_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Region.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <utility>

namespace fungible {

/// Host emulation of a DMA into the 2-D on-chip tile `tile` from `hbm` at
/// `indices` (one per dimension; the last two are the tile's first row and
/// column): the part that lies inside `hbm` is copied in, the rest set to
/// `padding` (zero when null; indices may lie outside `hbm` on either
/// side, in any dimension: a convolution's padding); with `transpose`, HBM
/// rows become the tile's columns; with `broadcast`, the one row at
/// `indices` fills every row of the tile.
void emulateTileLoad(mlir::OpBuilder &b, mlir::Location loc, mlir::Value hbm,
                     mlir::ValueRange indices, mlir::Value tile,
                     bool transpose = false, bool broadcast = false,
                     mlir::TypedAttr padding = {});

/// Host emulation of a DMA of the 2-D tile `tile` to `hbm` at `indices`,
/// clipped to `hbm` (on either side).
void emulateTileStore(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tile,
                      mlir::Value hbm, mlir::ValueRange indices);

/// Host emulation: replaces an on-chip buffer allocation (`alloc`, one
/// memref result) with a memref.alloc freed at the end of its block.
void replaceWithHostBuffer(mlir::Operation *alloc);

/// Host emulation: each op of `iotas` with its dimension (a tile
/// element's row for 0, its column for 1: mxu.iota, neuron.iota), once
/// buildGenericFromBody moved it into a 2-D linalg.generic, becomes a
/// linalg.index of that generic.
void replaceIotasWithIndices(
    llvm::ArrayRef<std::pair<mlir::Operation *, int64_t>> iotas);

/// Host emulation: a linalg.generic at `b` over `inputs` and `output`
/// that takes over `body` (one block: a scalar per input, plus the
/// accumulator when `fold`, ending in a terminator whose one operand is the
/// result element), its terminator made linalg.yield. Tiles have one shape
/// except for extents of 1, which are broadcast (per-partition columns);
/// with `fold`, the output's broadcast dimensions are reductions (it
/// accumulates across them, in order).
void buildGenericFromBody(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::ValueRange inputs, mlir::Value output,
                          mlir::Region &body, bool fold = false);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_EMULATION_H
