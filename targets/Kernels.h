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

#include <optional>
#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
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

/// A function named `name`, built at `b`, that computes what the wl.kernel
/// `kernel` computes: its operands are the function's arguments (marked
/// not writable: a kernel must not write into its inputs), its body the
/// kernel's, its results what the kernel yields. Null when `kernel` is
/// not a wl.kernel.
mlir::func::FuncOp kernelAsFunction(mlir::OpBuilder &b,
                                    mlir::Operation *kernel,
                                    llvm::StringRef name);

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
