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
class Location;
class Operation;
class Value;
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

/// Rewrites each 3-D linalg.transpose on buffers whose result (an alloc of
/// its own) only plain batch matmuls after it in its block read, as their
/// right operand, into those batch matmuls reading a memref.transpose view
/// of the transpose's source (strides permuted, nothing copied); the
/// transpose and its buffer go. Nothing between the transpose and its last
/// reader may write the source. Attention's K^T and a head split's V, read
/// out of a [S, H, D] tensor, are such transposes.
void readPermutedBatchRhsInPlace(mlir::RewriterBase &rewriter,
                                 mlir::Operation *root);

/// `rhs` (a matmul's K x N right operand) as the matmul schedule reads it
/// best: when its columns are contiguous and its rows are not (a view of a
/// transposed buffer, readPermutedBatchRhsInPlace's K^T), a
/// memref.transpose view of it as N x K, with `transposed` set (the matmul
/// is then a linalg::MatmulTransposeBOp, packed in 16 x 16 blocks); else
/// `rhs` itself.
mlir::Value asRowMajorRhs(mlir::RewriterBase &rewriter, mlir::Location loc,
                          mlir::Value rhs, bool &transposed);

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
