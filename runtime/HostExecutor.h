//===- HostExecutor.h - Computing kernels' numbers on the host --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares how the runtime computes real numbers for every
// kernel, wherever it is placed: each wl.kernel of a function becomes a
// function of its own, compiled for the host by the CPU target's JIT
// (targets/cpu/CpuJit.h), and called with host tensors. The host device
// runs its kernels this way; modelled devices (TPU-like, Trainium-like, a
// GPU when none is present) get their numbers the same way while their
// time comes from the cost model.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_HOSTEXECUTOR_H
#define FUNGIBLE_RUNTIME_HOSTEXECUTOR_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace fungible {
class CpuJit;
} // namespace fungible

namespace fungible::runtime {

/// A tensor in host memory, row-major, at its element type's storage size.
struct HostTensor {
  mlir::RankedTensorType type;
  std::vector<char> data;
};

/// Bytes per element of `type` (f32/i32: 4, f16/bf16: 2, f8/i8: 1).
unsigned elementBytes(mlir::Type type);

/// Deterministic inputs: uniform in [-0.5, 0.5) for floats, [0, 7) for
/// integers, from `seed` (the same seed gives the same tensor).
HostTensor randomTensor(mlir::RankedTensorType type, uint64_t seed);

/// A dense constant's value; an error for other attributes.
llvm::Expected<HostTensor> constantTensor(mlir::Attribute value,
                                          mlir::RankedTensorType type);

/// Writes `tensor` as a NumPy .npy file: floats as float32 ('<f4'),
/// integers as int32 ('<i4').
llvm::Error writeNpy(const HostTensor &tensor, llvm::StringRef path);

/// Reads a float32 or int32 .npy file of `type`'s shape, converted to its
/// element type.
llvm::Expected<HostTensor> readNpy(llvm::StringRef path,
                                   mlir::RankedTensorType type);

class HostExecutor {
public:
  ~HostExecutor();

  /// Compiles every wl.kernel of `func` (in program order) for the host.
  static llvm::Expected<std::unique_ptr<HostExecutor>>
  create(mlir::FunctionOpInterface func);

  /// Runs kernel `index` on `inputs` (its operands, in order).
  llvm::Error run(unsigned index, llvm::ArrayRef<const HostTensor *> inputs,
                  std::vector<HostTensor> &results);

private:
  HostExecutor() = default;
  std::unique_ptr<CpuJit> jit;
  std::vector<std::vector<mlir::RankedTensorType>> resultTypes;
};

} // namespace fungible::runtime

#endif // FUNGIBLE_RUNTIME_HOSTEXECUTOR_H
