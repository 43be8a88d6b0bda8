//===- CostModelSupport.h - Shared pieces of the cost models ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what every family's cost model shares: the GEMM view
// of wl contractions that each tiles onto its matrix unit (matmul and
// batch_matmul as they are, conv2d as an implicit GEMM per group, attention
// as its two GEMMs), and the last step of an estimate (time from compute,
// memory and overhead; bound; utilisation; energy; dollars; feasibility).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_COSTMODELSUPPORT_H
#define FUNGIBLE_TARGETS_COSTMODELSUPPORT_H

#include "targets/PluginAPI/Target.h"

#include "mlir/IR/Types.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

#include <cstdint>
#include <string>

namespace mlir {
class Operation;
} // namespace mlir

namespace fungible {

/// What every cost model reads first about a kernel: its
/// WorkloadCostInterface counts and its first operand's element type.
struct KernelWork {
  double flops = 0, bytesIn = 0, bytesOut = 0;
  mlir::Type elementType; ///< null when the kernel has no operand
};

/// The work of `kernel`, or nullopt when it is not a wl op.
std::optional<KernelWork> getKernelWork(mlir::Operation *kernel);

/// The estimate for something that is not a kernel: infeasible, explained.
CostEstimate notAKernel();

/// batch independent [m x k] x [k x n] products.
struct Gemm {
  int64_t batch, m, n, k;
};

/// The GEMMs of a wl contraction; empty for any other op.
llvm::SmallVector<Gemm> getGemms(mlir::Operation *op);

/// x rounded up to a multiple of `to`.
inline int64_t roundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

/// The side of the largest square tile, a multiple of `quantum`, whose two
/// double-buffered operand tiles and f32 accumulator fit `onChipBytes`:
/// 2 * 2 * T^2 * elemBytes + 4 * T^2 <= onChipBytes (at least `quantum`).
int64_t squareTile(double onChipBytes, double elemBytes, int64_t quantum);

/// HBM bytes a tiled GEMM reads: each LHS row block is read once per
/// column block of tiles (`colBlocks`), each RHS column block once per row
/// block (`rowBlocks`).
double tiledReadBytes(const Gemm &g, double elemBytes, double rowBlocks,
                      double colBlocks);

/// A spec's family parameter; when the spec lacks it, `fallback`, and the
/// assumption is written to `why` so the estimate says what it rests on.
double getParam(const ChipSpec &spec, llvm::StringRef name, double fallback,
                std::string &why);

/// The last step of every estimate: seconds = max(compute, memory) +
/// overhead; the bound is what dominates (overhead when it does);
/// utilisation of the bounding resource (`peakFlops` or the memory peak);
/// energy at board power; dollars at the hourly price; infeasible when
/// `residentBytes` exceed device memory. `why` is the explanation so far;
/// the target's unsourced spec figures are named at its end.
CostEstimate finishEstimate(const Target &target, double compute, double memory,
                            double overhead, double flops, double peakFlops,
                            double traffic, double residentBytes,
                            std::string why);

/// A number as printf's %g writes it (989, 0.803, 1.7e-05), for
/// explanations.
std::string formatFigure(double value);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_COSTMODELSUPPORT_H
