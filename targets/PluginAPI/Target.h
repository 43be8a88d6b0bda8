//===- Target.h - A chip family's target ------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares fungible::Target, what one chip contributes: its name
// and spec, a cost model for kernels, the lowering pipeline it adds, and
// how it serialises a compiled kernel; and TargetRegistry, the only way the
// rest of Fungible finds a target. Built-in targets and plugins register
// the same way (see TargetPlugin.h).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_PLUGINAPI_TARGET_H
#define FUNGIBLE_TARGETS_PLUGINAPI_TARGET_H

#include "targets/PluginAPI/ChipSpec.h"
#include "targets/PluginAPI/CostEstimate.h"
#include "targets/PluginAPI/KernelInfo.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class Operation;
class OpPassManager;
} // namespace mlir

namespace fungible {

class Target {
public:
  explicit Target(ChipSpec spec);
  virtual ~Target();

  /// The chip id ("h100", "trn2", ...), which is the spec's id.
  llvm::StringRef getName() const { return spec.id; }
  ChipFamily getFamily() const { return spec.family; }
  const ChipSpec &getSpec() const { return spec; }
  /// The spec's unsourced figures as "a, b, c" (empty when all are
  /// sourced), computed once: every estimate names them.
  llvm::StringRef getUnsourcedSummary() const { return unsourcedSummary; }

  /// What `kernel` costs on this chip. Must not fail: a kernel the chip
  /// cannot run is returned with feasible = false and the reason in the
  /// explanation. When `explain` is false the explanation may be left
  /// empty (callers that only want numbers: the placement solver, the
  /// benchmarks).
  virtual CostEstimate estimate(const KernelInfo &kernel,
                                bool explain = true) const = 0;

  /// Adds the passes that lower a wl module (placed kernels) to this
  /// chip's code, what `wl-lower{target=<chip>}` runs. Returns false when
  /// the target has no lowering (a cost-model-only target: the default);
  /// an error when it has one that could not be built.
  virtual llvm::Expected<bool>
  buildLoweringPipeline(mlir::OpPassManager &pm) const;

  /// Adds the passes that lower a wl module to the LLVM dialect for the
  /// host's ExecutionEngine, computing what this chip's own code computes
  /// (its functional emulator; for the host CPU, its native code). What
  /// `wl-lower{target=<chip> emulate}` runs and the runtime JIT-compiles
  /// to get the numbers of kernels placed on a modelled device. Public
  /// functions must get a C interface. Returns false when the target has
  /// none (the default): the runtime then computes its kernels' numbers
  /// with the reference lowering.
  virtual llvm::Expected<bool>
  buildEmulationPipeline(mlir::OpPassManager &pm) const;

  /// Adds the passes that take what buildLoweringPipeline produced (this
  /// chip's program for one kernel, as a fat module's variant holds it) to
  /// the LLVM dialect for the host's ExecutionEngine: the second half of
  /// buildEmulationPipeline, which the runtime runs on a compiled fat
  /// module instead of lowering the kernel again. Public functions must get
  /// a C interface. Returns false when the target has none (the default).
  virtual llvm::Expected<bool>
  buildProgramEmulationPipeline(mlir::OpPassManager &pm) const;

  /// Writes a compiled kernel in this target's format; the default prints
  /// the op's IR.
  virtual llvm::Error serialize(mlir::Operation *kernel,
                                llvm::raw_ostream &os) const;

private:
  ChipSpec spec;
  std::string unsourcedSummary;
};

/// The targets known to a tool: built-in ones and those plugins added.
class TargetRegistry {
public:
  /// Adds `target`; an error if one of that name is already registered.
  llvm::Error add(std::unique_ptr<Target> target);
  /// The target named `name`, or null.
  const Target *lookup(llvm::StringRef name) const;
  /// The registered names, sorted.
  std::vector<std::string> getNames() const;
  /// An error naming `name` and listing the known targets.
  llvm::Error unknownTarget(llvm::StringRef name) const;
  /// Removes the target named `name` and returns it (null if unknown).
  std::unique_ptr<Target> take(llvm::StringRef name);

private:
  llvm::StringMap<std::unique_ptr<Target>> targets;
};

} // namespace fungible

#endif // FUNGIBLE_TARGETS_PLUGINAPI_TARGET_H
