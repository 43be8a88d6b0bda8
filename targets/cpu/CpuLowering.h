//===- CpuLowering.h - The CPU target's lowering pipeline -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the CPU target's lowering: wl -> linalg -> bufferised
// linalg; matmuls tiled for cache and register blocks and vectorised (the
// transform dialect: 256x128x128 cache tiles, 4x64 register tiles,
// outer-product FMAs, accumulators hoisted out of the K loop); the rest
// through loops; then the LLVM dialect, ready for the ExecutionEngine
// (CpuJit.h) or for translation to LLVM IR.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPULOWERING_H
#define FUNGIBLE_TARGETS_CPU_CPULOWERING_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace fungible {

/// Below this many loop-body executions a linalg op run as chunked loops
/// (fungible-cpu-parallel-loops: elementwise ops, reductions, pooling,
/// copies) stays sequential. An OpenMP fork and join costs 1.5-2.6 us on
/// the project's VM with an empty body (libomp, warm threads) and 2-4.5
/// us with a kernel's data (the host model's fitted parallel_ops); a
/// second thread saves half the op's time, so the op must take 5-9 us on
/// one: 2^16 iterations of 0.1-0.25 ns (a 36864-element transpose or
/// pooling, 8 us, ran 1.5-2.1 times slower on two threads; a 75264-element
/// transpose, 17 us, 0.69 times the time; benchmarks/RESULTS.md,
/// 2026-12-06 fifth session). The host model (targets/cpu/HostWork.cpp)
/// counts threads by the same rule.
constexpr int64_t kMinParallelIterations = 1 << 16;

/// The side of a block of a transpose (kTransposeBlock x kTransposeBlock
/// elements, fungible-cpu-parallel-loops): 8 lines read and 8 written.
/// Larger blocks are slower here (a 2048x4096 f32 transpose: 7.3-8.7 ms at
/// 8, 11 ms at 16, 16 ms at 32): a power-of-two row pitch puts a column's
/// lines in one cache set, whose 8 ways a block of 8 rows fills and one of
/// 32 thrashes. A transpose whose output rows (its innermost loops that
/// are contiguous in its input too) are shorter is not blocked: it reads
/// that many lines at a time, each along its length, as a copy does. The
/// host model (HostWork.cpp) counts such a transpose as a copy.
constexpr int64_t kTransposeBlock = 8;

/// A vectorised contraction (a matmul's cache tiles, a batch matmul's
/// elements, a convolution's output tiles) runs on the threads when it has
/// kMinParallelMultiplyAdds multiply-adds or reads kMinParallelOperandBytes
/// of its right operand (a weight, a filter, keys); else on one thread. At
/// the 40-100 multiply-adds a nanosecond the schedules run at on one core,
/// 2^19 take 5-13 us, the fork's break-even (kMinParallelIterations):
/// pointwise convolutions of 2^16-2^18 multiply-adds and kilobytes of
/// filter (1.5-6 us) ran 1.2-2.7 times slower on two threads. A product
/// with few rows streams its weight instead, at 15 multiply-adds a
/// nanosecond: a 512 x 512 matrix-vector product (2^18 multiply-adds, 1
/// MiB) took 16-20 us on one thread, 11-12 on two. The host model counts
/// threads by the same rule.
constexpr int64_t kMinParallelMultiplyAdds = 1 << 19;
constexpr int64_t kMinParallelOperandBytes = 1 << 18;
inline bool contractionWorthThreads(double multiplyAdds, double operandBytes) {
  return multiplyAdds >= double(kMinParallelMultiplyAdds) ||
         operandBytes >= double(kMinParallelOperandBytes);
}

/// The tiles of the CPU's matmul schedule (CpuMatmulSchedule.cpp): cache tiles
/// of kCacheTileM x kCacheTileN on the threads, K in steps of kCacheTileK, and
/// kRegisterTileM x kRegisterTileN register tiles of FMAs. The host model
/// (HostWorkContractions.cpp) counts padding and threads by the same tiles.
constexpr int64_t kCacheTileM = 256, kCacheTileN = 128, kCacheTileK = 128;
constexpr int64_t kRegisterTileM = 4, kRegisterTileN = 64;

/// An attention's scores of more than kMinTiledScoreBytes are computed in
/// tiles of query rows, each tile's [rows, N] block of at most
/// kTileScoreBytes (CpuAttentionRows.cpp); smaller scores stay in the
/// cache whole (the L2 of the project's EPYC is 1 MiB). Each tile reads
/// all of K^T and V, so its rows are as many as half the L2 holds: Llama's
/// attention took 308-331 ms in tiles of 64 KiB (8 rows of 2048 scores,
/// 2 MiB of K^T and V read per tile), 245-274 in tiles of 512 KiB
/// (docs/Codegen.md). The host model (HostWorkContractions.cpp) counts the
/// tiles by the same rule.
constexpr int64_t kMinTiledScoreBytes = int64_t(1) << 20;
constexpr int64_t kTileScoreBytes = int64_t(512) << 10;

/// The query rows of an attention's tile, for M rows of N scores of
/// `elementBytes` each: the most, a power of two from 256 down to the
/// kRegisterTileM rows of a register tile, that divides M, whose scores
/// take at most kTileScoreBytes, and leaves two or more tiles; 0 when none
/// does.
inline int64_t attentionRowTile(int64_t m, int64_t n, int64_t elementBytes) {
  for (int64_t rows = 256; rows >= kRegisterTileM; rows /= 2)
    if (rows * n * elementBytes <= kTileScoreBytes && m % rows == 0 &&
        m >= 2 * rows)
      return rows;
  return 0;
}

/// A norm's or a softmax's passes over an input [rows..., C] of at least
/// kMinParallelIterations elements run in tiles of rows
/// (CpuNormRows.cpp): R rows of the innermost row dimension (one of each
/// outer one), the most, a power of two dividing it, whose R x C elements
/// take at most kNormTileBytes, leaving two or more tiles; 0 (the passes
/// whole, each its own fork when large enough) when the input is smaller
/// or no R does. The host model (HostWorkContractions.cpp) counts the tiles by
/// the same rule.
constexpr int64_t kNormTileBytes = int64_t(256) << 10;
inline int64_t normRowTile(llvm::ArrayRef<int64_t> shape,
                           int64_t elementBytes) {
  if (shape.size() < 2)
    return 0;
  int64_t elements = 1;
  for (int64_t d : shape)
    elements *= d;
  int64_t inner = shape[shape.size() - 2], width = shape.back();
  if (elements < kMinParallelIterations)
    return 0;
  for (int64_t rows = int64_t(1) << 20; rows >= 1; rows /= 2)
    if (rows * width * elementBytes <= kNormTileBytes && inner % rows == 0 &&
        elements / (rows * width) >= 2)
      return rows;
  return 0;
}

/// The cache tile along a dimension of `extent`: the extent itself when it
/// is at most `limit`; else the largest multiple of `quantum` (the register
/// tile) from `limit` down to a quarter of it that divides the extent; else
/// `limit`. A tile that divides its loop keeps every tile's shape static,
/// which the vector code needs: a ragged tile's sizes are dynamic, and its
/// register tiles masked (a 384-row matmul ran at 32 GFLOP/s in tiles of
/// 256, 192 in tiles of 192).
inline int64_t cacheTile(int64_t extent, int64_t limit, int64_t quantum) {
  if (extent <= limit)
    return extent;
  for (int64_t tile = limit / quantum * quantum; tile >= limit / 4;
       tile -= quantum)
    if (tile > 0 && extent % tile == 0)
      return tile;
  return limit;
}

/// The (M, N) cache tile of an M x N matmul (the threads share these).
inline std::pair<int64_t, int64_t> matmulCacheTile(int64_t m, int64_t n) {
  return {cacheTile(m, kCacheTileM, kRegisterTileM),
          cacheTile(n, kCacheTileN, kRegisterTileN)};
}

/// The widths in which a matmul's columns beyond its whole register tiles
/// (`rest`, fewer than kRegisterTileN) are vectorised, each a register
/// tile of its own (CpuMatmulEdges.cpp): powers of two, widest first (40:
/// 32 and 8). A vector of 40 lanes lowered to scattered lanes: a 64 x 128
/// by 128 x 40 matmul took 100 us in one 4 x 40 tile, 22 in masked 4 x 64
/// tiles.
inline llvm::SmallVector<int64_t, 6> registerEdgeWidths(int64_t rest) {
  llvm::SmallVector<int64_t, 6> widths;
  for (int64_t width = kRegisterTileN / 2; width > 0; width /= 2)
    if (rest & width)
      widths.push_back(width);
  return widths;
}

/// The largest of `choices` that divides `extent`; `fallback` when none
/// does.
inline int64_t dividingTile(int64_t extent, llvm::ArrayRef<int64_t> choices,
                            int64_t fallback) {
  for (int64_t c : choices)
    if (c <= extent && extent % c == 0)
      return c;
  return fallback;
}

/// The output tile of the CPU's convolution schedule (vectorizeConvolution
/// in CpuMatmulSchedule.cpp): `ow` output columns x `lanes` channels per
/// tile, the tiles an scf.forall (on the threads when the convolution has
/// kMinParallelIterations loop iterations). The host model (HostWork.cpp)
/// counts the tiles' threads the same way. A tile's accumulators stay in
/// registers: 4 x 64 lanes take 16 of the 32 AVX-512 registers, and a
/// tile of 7 columns takes 32 lanes (14 registers; 7 x 64 took 28 and ran
/// a 14 x 14 x 512 convolution 20-30% slower, BM_CpuJitConv).
struct ConvTile {
  int64_t ow, lanes;
};
inline ConvTile convolutionTile(int64_t outputWidth, int64_t channels,
                                bool depthwise) {
  static constexpr int64_t kLanes[] = {64, 32, 16, 8};
  int64_t ow = dividingTile(outputWidth, {4, 7, 3, 2}, 1);
  llvm::ArrayRef<int64_t> lanes =
      llvm::ArrayRef(kLanes).drop_front(depthwise || ow > kRegisterTileM);
  int64_t fallback = !depthwise && channels <= kLanes[0] ? channels : 1;
  return {ow, dividingTile(channels, lanes, fallback)};
}

/// f32 lanes of the host's vectors (AVX-512).
constexpr int64_t kVectorLanes = 16;

/// Whether the CPU schedule runs a convolution as the matmul it is
/// ([N*OH*OW, C] by [C, F], CpuMatmulSchedule.cpp): a 1x1 f32 one of unit
/// strides whose output tile (convolutionTile) is not whole vectors wide.
/// 24 channels are tiles of 8 lanes, half a vector per FMA; as a matmul its
/// columns are a 16-wide and an 8-wide register tile (56 x 56 x 144 -> 24:
/// 105 -> 153 GFLOP/s). Wide ones stay convolutions: their spatial tiles
/// give the threads more work than a matmul of few rows (7 x 7 x 960 ->
/// 160: 320 GFLOP/s as a convolution, 79 as a matmul).
inline bool convolutionIsMatmul(int64_t kh, int64_t kw, bool unitStrides,
                                bool f32, int64_t outputWidth,
                                int64_t channels) {
  return kh == 1 && kw == 1 && unitStrides && f32 &&
         convolutionTile(outputWidth, channels, /*depthwise=*/false).lanes %
                 kVectorLanes !=
             0;
}

struct CpuJitOptions {
  /// Tile and vectorise matmuls (off: plain loops, the reference path).
  bool vectorize = true;
  /// Run independent matmul tiles and large elementwise/reduction loop
  /// nests on OpenMP threads (off: one thread). Either way the result is
  /// the same bits: only independent output elements are split.
  bool parallel = true;
  /// LLVM optimisation level of the JIT.
  unsigned optLevel = 3;
};

/// Adds the passes that take a module of wl, linalg, tensor, arith and
/// math ops (tensors at function boundaries become memrefs) to the LLVM
/// dialect. Public functions get a C interface (_mlir_ciface_<name>).
/// Fails only if upstream's pipeline text does not parse (a build with
/// passes missing).
llvm::LogicalResult buildCpuLoweringPipeline(mlir::OpPassManager &pm,
                                             const CpuJitOptions &options);

/// The back half of buildCpuLoweringPipeline: from bufferised linalg (and
/// scf, memref, arith, math) to the LLVM dialect.
llvm::LogicalResult buildCpuBackendPipeline(mlir::OpPassManager &pm,
                                            const CpuJitOptions &options);

/// Adds the pass that marks public functions for a C interface
/// (_mlir_ciface_<name>), which the JIT calls.
void addEmitCInterfacePass(mlir::OpPassManager &pm);

/// The host back end other families' emulators end with (a
/// HostBackendBuilder, handed over by createBuiltinTarget): C interfaces,
/// then buildCpuBackendPipeline with the default options.
llvm::LogicalResult buildCpuHostBackend(mlir::OpPassManager &pm);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_CPULOWERING_H
