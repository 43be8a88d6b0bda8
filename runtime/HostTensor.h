//===- HostTensor.h - Tensors in host memory and .npy files -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares HostTensor, a tensor in host memory, and what the
// runtime does with one beside running kernels: its element sizes, the
// tensor a kernel input takes, deterministic random contents, constants,
// and NumPy .npy files.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_HOSTTENSOR_H
#define FUNGIBLE_RUNTIME_HOSTTENSOR_H

#include "runtime/HostBuffer.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace fungible::runtime {

/// A tensor in host memory, row-major, at its element type's storage size.
struct HostTensor {
  mlir::RankedTensorType type;
  HostBuffer data;
};

/// Bytes per element of `type` (f32/i32: 4, f16/bf16: 2, f8/i8: 1; index:
/// 8, as the host holds it).
unsigned elementBytes(mlir::Type type);

/// What HostExecutor::run takes for a kernel input of type `type`: the
/// tensor itself, or for a scalar (an integer, an index, a float) a 0-d
/// tensor of it (an index as i64), passed by value; null for other types.
mlir::RankedTensorType tensorForInput(mlir::Type type);

/// Deterministic inputs: uniform in [-0.5, 0.5) for floats, [0, 7) for
/// integers, from `seed` (the same seed gives the same tensor).
HostTensor randomTensor(mlir::RankedTensorType type, uint64_t seed);

/// A dense constant's value; an error for other attributes.
llvm::Expected<HostTensor> constantTensor(mlir::Attribute value,
                                          mlir::RankedTensorType type);

/// Writes `tensor` as a NumPy .npy file: f64 as float64 ('<f8'), other
/// floats as float32 ('<f4'), integers as int32 ('<i4').
llvm::Error writeNpy(const HostTensor &tensor, llvm::StringRef path);

/// Reads a .npy file of `type`'s shape (float64/32/16, int64/32/16/8,
/// uint8 or bool, little-endian, C order), converted to its element type:
/// floats rounded to it, integers exactly (an error names the element that
/// is not an integer or does not fit).
llvm::Expected<HostTensor> readNpy(llvm::StringRef path,
                                   mlir::RankedTensorType type);
/// readNpy on the bytes of a .npy file; `path` names it in errors.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes, llvm::StringRef path,
                                    mlir::RankedTensorType type);

} // namespace fungible::runtime

#endif // FUNGIBLE_RUNTIME_HOSTTENSOR_H
