//===- GpuFusionSteps.h - Rewrites before a GPU kernel is tiled -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the rewrites fungible-gpu-tile-and-fuse-kernels
// (GpuFusion.cpp) applies to a kernel before it tiles it: an explicit copy
// of an accumulated argument, elementwise fusion, concats as generics, and
// long row reductions and matrix-vector products split into lanes of
// partial sums. Internal to the gpu family.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_GPUFUSIONSTEPS_H
#define FUNGIBLE_TARGETS_GPU_GPUFUSIONSTEPS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

namespace fungible::gpu_fusion {

/// The attribute splitRowReductions puts on the partial sums of a
/// contraction it split: the lanes of each output.
constexpr llvm::StringLiteral kSplitLanesAttr = "fungible.gpu.split_lanes";
/// Marks the generic a concat became (concatsAsGenerics) with the loop
/// that picks its piece: tiles take that loop whole, so that no tile
/// computes a piece it does not store.
constexpr llvm::StringLiteral kPieceLoopAttr = "fungible.gpu.piece_loop";

/// Whether `op` is a contraction or convolution, named or a generic that
/// is one. Such ops keep their named form: the tensor-core kernel matches
/// linalg.matmul and linalg.batch_matmul.
bool isContractionLike(mlir::Operation *op);

/// Gives an op that accumulates into an argument (a linalg.matmul writing
/// into its input) an explicit copy of it, which a tile then fuses;
/// bufferisation would otherwise copy the whole argument in a launch of
/// its own.
void copyAccumulatedArguments(mlir::func::FuncOp func);

/// Generalises every named op but contractions, convolutions and fills,
/// then fuses elementwise producers with one use into their consumers.
mlir::LogicalResult fuseElementwise(mlir::func::FuncOp func);

/// Rewrites each concat of equal pieces as a generic that a tile loop can
/// take as its root (marked with kPieceLoopAttr).
void concatsAsGenerics(mlir::func::FuncOp func);

/// Rewrites each f32 or f64 convolution that is a matrix-vector product
/// (isMatrixVectorConvolution, GpuSchedule.h) with channels enough to split
/// (reductionLanes) as a linalg.matmul of the
/// collapsed pixel (1 x C) and filter (C x F), expanded back to the
/// image's shape, which splitRowReductions then splits like any other.
void convolutionsAsMatrixVectorProducts(mlir::func::FuncOp func);

/// Splits long row reductions and matrix-vector products into lanes of
/// partial sums (the contractions' marked with kSplitLanesAttr).
void splitRowReductions(mlir::func::FuncOp func);

} // namespace fungible::gpu_fusion

#endif // FUNGIBLE_TARGETS_GPU_GPUFUSIONSTEPS_H
