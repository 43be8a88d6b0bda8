//===- Kernels.h - Finding and summarising kernels --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares how the host side of Fungible finds the kernels of a
// module and summarises each for the cost models (KernelInfo): the one
// place that reads the wl dialect on behalf of every target.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_KERNELS_H
#define FUNGIBLE_TARGETS_KERNELS_H

#include "targets/PluginAPI/KernelInfo.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
class Value;
class OpBuilder;
class Operation;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace fungible {

/// A kernel of a module and the name tools address it by.
struct NamedKernel {
  std::string name; ///< "<function>/<kernel>"
  mlir::Operation *op;
};

/// The kernels of every function of `module`, in program order: each
/// wl.kernel (named by its sym_name), and each wl op outside a kernel
/// (named `<op>_<n>`, n counting the function's kernels), except
/// wl.transfer (data movement between devices, not a kernel).
std::vector<NamedKernel> collectKernels(mlir::ModuleOp module);

/// What the cost models need to know about `kernel` (a wl.kernel or a wl
/// op); nullopt when it is neither.
std::optional<KernelInfo> summarizeKernel(mlir::Operation *kernel);

/// Whether `kernel` computes in f64 anywhere: its element type, or (when
/// the op is known) any tensor one of its ops reads or makes. Chips
/// without f64 arithmetic (the TPU, Trainium) cannot run it; the others
/// run it at their f64 rate.
bool usesF64(const KernelInfo &kernel);

/// Whether `kernel` works on buffers (code a producer left at the buffer
/// level, wrapped by wl-wrap-buffer-code: loops over memrefs). Only the
/// host CPU runs it; the accelerators' programs take tiles of tensors.
bool usesBuffers(const KernelInfo &kernel);

/// An input a kernel updates in place: the kernel copies the whole of
/// input `input` into a buffer of its own, writes into it and yields it as
/// result `result` (what wl-wrap-buffer-code makes of a buffer the code
/// writes: a KV cache a decode step adds a row to), and nothing else in
/// the kernel reads the input; or it puts a slice into the input
/// (tensor.insert_slice, what wl-raise-buffer-loops makes of that row's
/// write) and yields the whole. `bytes` is what updating in place saves:
/// the copy's size, less the slice an insert still writes.
struct InPlaceUpdate {
  unsigned input;
  unsigned result;
  int64_t bytes;
};

/// The in-place updates of the wl.kernel `kernel` (none for other ops).
llvm::SmallVector<InPlaceUpdate, 2> findInPlaceUpdates(mlir::Operation *kernel);

/// The value whose contents `value` carries, as the runtime keeps values:
/// through wl.transfer (the same contents on another device) and a buffer
/// argument's binding (bufferization.to_tensor) to the value computed or
/// passed in first.
mlir::Value carriedValue(mlir::Value value);

/// Whether `kernel`'s input `input` is the only reader of what it carries
/// (carriedValue) in its function: no other kernel, no other transfer's
/// reader, not the function's return or a write-back's source, and not a
/// buffer argument whose contents are an output because nothing is
/// written back into it. The runtime then hands the input's buffer to a
/// kernel that updates it in place instead of copying it, and the cost
/// model counts no copy (summarizeKernel).
bool isSoleReader(mlir::Operation *kernel, unsigned input);

/// A function named `name`, built at `b`, that computes what the wl.kernel
/// `kernel` computes: its operands are the function's arguments, its body
/// the kernel's, its results what the kernel yields. An argument is marked
/// not writable (a kernel must not write into its inputs) except for an
/// in-place update (findInPlaceUpdates): the function writes into that
/// argument, whose buffer is then the result, and does not return the
/// result; `updates`, when given, receives them. Null when `kernel` is not
/// a wl.kernel.
mlir::func::FuncOp
kernelAsFunction(mlir::OpBuilder &b, mlir::Operation *kernel,
                 llvm::StringRef name,
                 llvm::SmallVectorImpl<InPlaceUpdate> *updates = nullptr);

/// A fingerprint of what the wl.kernel `kernel` computes: a hash of its
/// name, its operand and result types and its body in generic form,
/// without locations or the kernel's discardable attributes. wl-compile
/// records it on each variant, and the runtime runs a variant only for a
/// kernel with the same fingerprint.
std::string kernelFingerprint(mlir::Operation *kernel);

/// The GEMMs of a wl contraction; empty for any other op.
llvm::SmallVector<Gemm, 2> getGemms(mlir::Operation *op);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_KERNELS_H
