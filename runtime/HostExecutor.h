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
// runs its kernels this way. A kernel placed on a modelled device whose
// target has a host emulator (Target::buildEmulationPipeline: the TPU
// family's mxu programs) runs that target's own program, compiled on
// first use; other modelled devices (a GPU when none is present) use the
// host's code. Their time comes from the cost model either way.
//
// When the function sits in a fat module (wl-compile: a nested module per
// kernel and chip holding that chip's program), a kernel run with a target
// that has its variant runs that variant, taken on to host LLVM by
// Target::buildProgramEmulationPipeline (nothing for the host CPU, whose
// variant is already native code) instead of being lowered again; the
// kernels' own host build is then compiled only if some kernel needs it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_HOSTEXECUTOR_H
#define FUNGIBLE_RUNTIME_HOSTEXECUTOR_H

#include "runtime/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fungible {
class CpuJit;
class Target;
} // namespace fungible

namespace fungible::runtime {

class HostExecutor {
public:
  ~HostExecutor();

  /// Compiles every wl.kernel of `func` (in program order) for the host.
  /// `variants` are a fat module's compiled variants (nested modules with
  /// wl.kernel, wl.target and wl.kernel_fingerprint), taken out of the
  /// module before it was imported and outlined: a kernel uses one only if
  /// its fingerprint is the kernel's (targets/Kernels.h).
  /// `progress`, when given, is told after each part of a long host
  /// compile how many of the distinct kernels are compiled, of how many,
  /// in how many seconds so far.
  using Progress =
      std::function<void(size_t done, size_t total, double seconds)>;
  static llvm::Expected<std::unique_ptr<HostExecutor>>
  create(mlir::FunctionOpInterface func,
         llvm::ArrayRef<mlir::ModuleOp> variants = {},
         Progress progress = nullptr);

  /// Runs kernel `index` on `inputs` (its operands, in order) with the
  /// code of `target` (its emulator; null or a target without one: the
  /// host's code). An input the kernel updates in place
  /// (getInputsUpdatedInPlace) is copied, and the copy becomes the result,
  /// unless `donated` holds a tensor for it (a non-null entry at its
  /// index): then that tensor's buffer is written and becomes the result,
  /// and the tensor is left empty. The caller donates only what nothing
  /// reads after (isSoleReader, targets/Kernels.h).
  llvm::Error run(unsigned index, llvm::ArrayRef<const HostTensor *> inputs,
                  std::vector<HostTensor> &results,
                  const Target *target = nullptr,
                  llvm::ArrayRef<HostTensor *> donated = {});

  /// The inputs kernel `index` updates in place (findInPlaceUpdates,
  /// targets/Kernels.h), in order of the results they become.
  std::vector<unsigned> getInputsUpdatedInPlace(unsigned index) const;

  /// Of those, the inputs nothing else in the function reads
  /// (isSoleReader): what a run hands over instead of copying (`donated`
  /// of run()), as fungible-run does and `--measure` times; sorted.
  const std::vector<unsigned> &getInputsToHandOver(unsigned index) const;

  /// The kernels compiled: one per distinct body (equal kernels, as a
  /// model's repeated layers, share their code).
  size_t getNumDistinctKernels() const { return distinctKernels; }

  /// The targets whose emulators were compiled so far, sorted.
  std::vector<std::string> getEmulatedTargets() const;

  /// The fat module's variants run so far, as "kernel@chip", sorted.
  std::vector<std::string> getVariantsRun() const;

  /// The variants not used because their kernel is not the one compiled
  /// (renamed or changed since wl-compile): "kernel@chip", sorted.
  const std::vector<std::string> &getVariantsSkipped() const {
    return variantsSkipped;
  }

private:
  struct Code;
  HostExecutor() = default;
  /// Compiles the functions of `module` with `compile`, in parts.
  llvm::Expected<std::unique_ptr<Code>>
  compileInParts(mlir::ModuleOp module,
                 llvm::function_ref<
                     llvm::Expected<std::unique_ptr<CpuJit>>(mlir::ModuleOp)>
                     compile);
  /// The code that runs `target`'s kernels, compiled on first use.
  llvm::Expected<Code *> getJit(const Target *target);
  /// The kernels' own host build, compiled on first use.
  llvm::Expected<Code *> getHostJit();
  /// Kernel `index`'s compiled variant for `target`, compiled for the host
  /// on first use; null when the module holds none or the target cannot
  /// take its program to the host.
  llvm::Expected<CpuJit *> getVariantJit(unsigned index,
                                         const Target *target);

  std::unique_ptr<Code> jit;
  Progress progress;
  std::vector<std::string> kernelNames;
  /// Per kernel: the host function that computes it ("k<i>", i the first
  /// kernel with the same body).
  std::vector<std::string> functionNames;
  size_t distinctKernels = 0;
  /// Per "index@chip": that kernel's variant from the fat module (a copy).
  llvm::StringMap<mlir::OwningOpRef<mlir::ModuleOp>> variants;
  /// Per "index@chip": the variant's JIT (null: not usable).
  llvm::StringMap<std::unique_ptr<CpuJit>> variantJits;
  std::set<std::string> variantsRun;
  std::vector<std::string> variantsSkipped;
  /// The kernels before lowering, for the emulators.
  mlir::OwningOpRef<mlir::ModuleOp> source;
  /// Per target name: its emulator's code (null: it has none, use `jit`).
  llvm::StringMap<std::unique_ptr<Code>> emulators;
  /// Per kernel: its results' types, and those its function returns (the
  /// results not updated in place).
  std::vector<std::vector<mlir::RankedTensorType>> resultTypes, returnedTypes;
  /// Per kernel and input: 0 for a tensor, else the bytes of the scalar it
  /// takes by value.
  std::vector<std::vector<unsigned>> scalarInputs;
  /// Per kernel: (input, result) of each update in place, by result.
  std::vector<std::vector<std::pair<unsigned, unsigned>>> inPlace;
  /// Per kernel: the inputs it updates in place that nothing else reads.
  std::vector<std::vector<unsigned>> handOver;
};

} // namespace fungible::runtime

#endif // FUNGIBLE_RUNTIME_HOSTEXECUTOR_H
