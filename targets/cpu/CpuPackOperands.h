//===- CpuPackOperands.h - Right operands packed into panels ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The CPU matmul schedule's packing of right operands (CpuPackOperands.cpp):
// each cache tile copies the K x N block of B it uses into a panel of its
// own; an N x K weight read transposed is read in place that way.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPUPACKOPERANDS_H
#define FUNGIBLE_TARGETS_CPU_CPUPACKOPERANDS_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Operation;
class RewriterBase;
namespace linalg {
class MatmulOp;
} // namespace linalg
} // namespace mlir

namespace fungible {

/// Rewrites each 2-D linalg.transpose on buffers whose result (an alloc of
/// its own) only plain matmuls after it in its block read, as their right
/// operand, into those matmuls reading the transpose's source as N x K
/// (linalg::MatmulTransposeBOp); the transpose and its buffer go. Nothing
/// between the transpose and its last reader may write the source.
void readTransposedRhsInPlace(mlir::RewriterBase &rewriter,
                              mlir::Operation *root);

/// Cuts `op` (one cache tile of at most tileN columns of a matmul) into
/// steps of kCacheTileK along K, each first copying its K x N block of the
/// right operand into a panel, then a plain matmul of that panel. A right
/// operand read as N x K is always packed (in 16 x 16 blocks transposed in
/// vector registers when they divide); a plain one when the tile has at
/// least 16 rows and B's rows are not already one after the other. Other
/// matmuls are left alone. Fails (said) on a transposed operand with a
/// dynamic K.
mlir::LogicalResult packRhs(mlir::RewriterBase &rewriter,
                            mlir::linalg::MatmulOp op, int64_t tileN);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_CPUPACKOPERANDS_H
