//===- IndexBounds.h - Where a scalar argument may index --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares checkIndexArgument: the values an integer scalar
// argument of a function (a decode step's position) may take for every
// access it indexes directly to stay inside its tensor or buffer. An
// index out of bounds is undefined in the program as written, and the
// code generated for it writes outside the buffer; fungible-run checks
// the arguments it is given before it runs anything.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_INDEXBOUNDS_H
#define FUNGIBLE_RUNTIME_INDEXBOUNDS_H

#include "mlir/IR/Value.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace fungible {

/// Checks `value`, given for the integer scalar `arg` (a function or
/// kernel argument), against every static extent it indexes, the scalar
/// followed through casts that keep it (index_cast, extsi, extui), plus or
/// minus constants (`pos + 1`), and into the kernels and opaque ops it is
/// passed to: an index of a load, a store, a tensor.extract or
/// tensor.insert along a static dimension (0 to size - 1), an affine load's
/// or store's map result that is the scalar plus a constant, an offset of a
/// slice or a subview of static size and stride along one (0 to size -
/// extent). Only accesses that run whenever the function does are
/// checked: one under a branch (`scf.if %pos < 16`) or in a loop that may
/// run no iteration (bounds not constant) is the program's to guard. Uses
/// through other arithmetic (`64 * h + pos`), and those with no bound (a
/// causal attention's offset), are not checked. An error names the access,
/// its location and the range.
llvm::Error checkIndexArgument(mlir::BlockArgument arg, int64_t value);

} // namespace fungible

#endif // FUNGIBLE_RUNTIME_INDEXBOUNDS_H
