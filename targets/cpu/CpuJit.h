//===- CpuJit.h - Compile and run wl kernels on the host --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the CPU target's code path: a module of wl (or
// upstream linalg) is lowered to LLVM for the host and JIT-compiled through
// MLIR's ExecutionEngine. Matmuls are tiled for cache and register blocks
// and vectorised (transform dialect: 256x128x128 cache tiles, 4x64 register
// tiles, outer-product FMAs, accumulators hoisted out of the K loop);
// everything else goes through loops. Kernels run single-threaded.
//
// This is the path fungible-calibrate measures and, later, the runtime's
// host device executes.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPUJIT_H
#define FUNGIBLE_TARGETS_CPU_CPUJIT_H

#include "targets/cpu/CpuLowering.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace mlir {
class ExecutionEngine;
class OpPassManager;
} // namespace mlir

namespace fungible {

/// A module compiled for the host.
class CpuJit {
public:
  ~CpuJit();

  /// Lowers `module` in place (buildCpuLoweringPipeline) and JIT-compiles
  /// it. Errors carry the pass diagnostics or the JIT's message.
  static llvm::Expected<std::unique_ptr<CpuJit>>
  compile(mlir::ModuleOp module, const CpuJitOptions &options = {});

  /// Lowers `module` in place with the pipeline `buildPipeline` adds (it
  /// must end in the LLVM dialect, with C interfaces on public functions:
  /// a target's emulation pipeline) and JIT-compiles it at LLVM
  /// optimisation level `optLevel`.
  static llvm::Expected<std::unique_ptr<CpuJit>>
  compile(mlir::ModuleOp module, unsigned optLevel,
          llvm::function_ref<llvm::LogicalResult(mlir::OpPassManager &)>
              buildPipeline);

  /// Calls function `name` through its C interface; `args` are the
  /// addresses of its arguments (for a memref argument, the address of a
  /// pointer to its StridedMemRefType descriptor).
  llvm::Error invoke(llvm::StringRef name, llvm::MutableArrayRef<void *> args);

private:
  explicit CpuJit(std::unique_ptr<mlir::ExecutionEngine> engine);
  std::unique_ptr<mlir::ExecutionEngine> engine;
  /// Packed entry points found so far, by function name.
  llvm::StringMap<void (*)(void **)> functions;
};

} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_CPUJIT_H
