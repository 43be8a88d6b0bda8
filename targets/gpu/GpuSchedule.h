//===- GpuSchedule.h - How the GPU lowering cuts a kernel -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the choices the GPU lowering makes for a kernel that
// are worth a cost model's knowing: the CTA tile of a fused kernel
// (GpuFusion.cpp), the block of outputs a CUDA-core thread keeps
// (SimtMatmul.cpp), and, from them, how a contraction on the CUDA cores
// runs: its CTAs, the threads that have work, the steps each runs one
// after the other, and the FMAs and loads of the whole launch. The
// lowering and the cost model call the same functions, so the schedule the
// model prices is the one the code has (docs/CostModel.md, "gpu").
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_GPUSCHEDULE_H
#define FUNGIBLE_TARGETS_GPU_GPUSCHEDULE_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace mlir {
class Operation;
} // namespace mlir

namespace fungible::gpu_kernels {

/// The CTA tile of a fused contraction: the tensor-core kernel's 64x64
/// (GpuLowering's kBlockM/kBlockN).
constexpr int64_t kContractionTile = 64;
/// Tiles enough to keep a large GPU's multiprocessors (132 on an H100 or
/// H200) busy twice over, where the kernel has the points for them.
constexpr int64_t kEnoughTiles = 264;
/// The fewest points a tile takes to have that many tiles: one per
/// thread of the CTA.
constexpr int64_t kFewestPointsPerTile = 128;
/// The widest inner loop a tile of chained contractions (an attention's
/// head) takes whole.
constexpr int64_t kChainedContractionColumns = 128;

/// The largest divisor of `extent` no larger than `limit` (at least 1):
/// tiles that divide their loop keep every tile's shape static.
int64_t largestDivisorAtMost(int64_t extent, int64_t limit);

/// Halves a loop of `shrinkable` in `sizes` (the first with more than one
/// iteration, or with `widestFirst` the widest) while the tiles of loops
/// `parallel` (of `ranges`) are fewer than kEnoughTiles and a tile keeps
/// `fewestPoints` points.
void shrinkToEnoughTiles(llvm::ArrayRef<int64_t> ranges,
                         llvm::ArrayRef<unsigned> parallel,
                         llvm::MutableArrayRef<int64_t> sizes,
                         llvm::ArrayRef<unsigned> shrinkable, bool widestFirst,
                         int64_t fewestPoints = kFewestPointsPerTile);

/// Lanes that share one row of a long reduction in a fused tile (a norm's
/// or softmax's row, a matrix-vector product's K): a warp, or the CTA's
/// 128 threads for rows of at least 1024 (a thread's chain of dependent
/// loads and adds is then a quarter as long: 16384 rows of 4096 ran at
/// 135 GB/s on an H200 with 32 lanes).
constexpr int64_t kReductionLanes = 32, kLongRowLanes = 128;

/// The lanes of a row of `length` (0: too short or ragged to split).
int64_t reductionLanes(int64_t length);

/// Whether a convolution of an NHWC `input` with an HWCF `filter` into
/// `output` (static shapes) in `groups` groups is a matrix-vector product:
/// a 1x1 filter on an image of one pixel (a squeeze-excitation's
/// convolutions of the pooled channels), one group. The lowering runs it
/// as a matmul of the pixel's channels (1 x C) and the filter (C x F),
/// whose K a long row splits (GpuFusionSteps.h).
bool isMatrixVectorConvolution(llvm::ArrayRef<int64_t> input,
                               llvm::ArrayRef<int64_t> filter,
                               llvm::ArrayRef<int64_t> output, int64_t groups);

/// When the tile `sizes` takes every loop of `parallel` whole (one tile
/// would make no loop, and nothing would be fused), halves the outermost
/// of them that has more than one iteration.
void splitWholeTile(llvm::ArrayRef<int64_t> ranges,
                    llvm::ArrayRef<unsigned> parallel,
                    llvm::MutableArrayRef<int64_t> sizes);

/// The block of outputs a CUDA-core thread keeps for `rows` x `cols`
/// outputs over `threads` threads: TM x TN, 8 x 8 at most, halved (the
/// wider first) until there are blocks for every thread or the block is
/// one output.
std::pair<int64_t, int64_t> blockShape(int64_t rows, int64_t cols,
                                       int64_t threads);

/// How a contraction (wl.matmul, wl.batch_matmul or wl.conv2d) runs on the
/// CUDA cores in a fused tile: the launch's CTAs of `threads` threads, of
/// which `activeThreads` have outputs; each of those computes `rounds`
/// blocks of `blockRows` x `blockCols` outputs one after the other, each
/// over `depth` steps of the reduction, a step loading `blockRows +
/// blockCols` operand elements and doing `blockRows * blockCols` FMAs.
struct CudaCoreSchedule {
  int64_t ctas = 0, threads = 0, activeThreads = 0;
  int64_t tileRows = 0, tileCols = 0, tileBatch = 0;
  int64_t blockRows = 1, blockCols = 1, rounds = 0, depth = 0;
  /// Whether consecutive rows of the first operand (columns of the second)
  /// are adjacent in memory at a step of the reduction, and the operands'
  /// element size.
  bool rowsAdjacent = false, colsAdjacent = true;
  int64_t elementBytes = 4;
  /// A matrix-vector product's K split into this many lanes of partial
  /// sums (0: not split): `depth` is then K / lanes, the lanes count in
  /// `tileBatch`, and a thread an output combines them in `combineSteps`.
  int64_t splitLanes = 0, combineSteps = 0;

  /// Steps a thread with work runs one after the other.
  int64_t serialSteps() const { return rounds * depth + combineSteps; }
  /// The FMAs of the whole launch, counting every thread with work as
  /// doing all its rounds.
  double fmas() const;
  /// The 32-byte sectors the launch's warps load: a warp's consecutive
  /// threads take consecutive column blocks, so a load of the second
  /// operand reads its distinct columns (adjacent: a few sectors; else one
  /// each), and a load of the first reads its rows (one sector each, or a
  /// few when adjacent); threads on the same element share its sector.
  double sectors() const;
};

/// The schedule of `op` on the CUDA cores (CTAs of kThreads threads), or
/// nullopt when `op` is not a contraction GpuFusion tiles so.
std::optional<CudaCoreSchedule> scheduleOnCudaCores(mlir::Operation *op);

/// How a wl.attention runs on the CUDA cores (f32): its two products are
/// chained contractions in one tile, which takes the head's columns whole
/// (up to kChainedContractionColumns) and the queries cut to
/// kContractionTile, shrunk to kEnoughTiles tiles. A CTA computes the
/// scores of its queries against every key (`scores`: rows the queries,
/// columns the keys, a step per element of the head), which go through
/// scratch buffers in global memory for the softmax, then their product
/// with V (`values`: rows the queries, columns the tile's head columns, a
/// step per key), one after the other.
struct AttentionSchedule {
  CudaCoreSchedule scores, values;
  /// Scores a CTA computes (its queries times the keys).
  int64_t scoresPerCta = 0;
};

/// The schedule of a wl.attention on the CUDA cores, or nullopt for other
/// ops and dynamic shapes.
std::optional<AttentionSchedule>
scheduleAttentionOnCudaCores(mlir::Operation *op);

} // namespace fungible::gpu_kernels

#endif // FUNGIBLE_TARGETS_GPU_GPUSCHEDULE_H
