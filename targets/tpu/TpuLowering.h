//===- TpuLowering.h - The TPU target's lowering to mxu ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the TPU-like target's lowering: wl -> linalg ->
// bufferised linalg; then each op a TensorCore runs on its matrix or
// vector unit becomes an mxu program (dialects/Mxu):
//   - a matmul or batch matmul: tiles from chooseMxuGemmTiling, A and B
//     tiles double-buffered in VMEM and DMA'd one K step ahead, mxu.matmul
//     into an f32 (i32) accumulator, one store per output tile;
//   - an elementwise linalg.generic or a linalg.fill: its operands viewed
//     as rows x lanes, (8,128)-aligned tiles double-buffered through VMEM,
//     the body on the VPU;
// every other op (convolutions, reductions, layout changes) stays a loop
// nest on HBM buffers, as work for the core's scalar unit. With `emulate`
// the mxu programs continue to loops and memrefs and to the LLVM dialect:
// the host emulator the runtime JIT-compiles.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TPU_TPULOWERING_H
#define FUNGIBLE_TARGETS_TPU_TPULOWERING_H

#include "targets/LoweringSupport.h"

#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace fungible {

struct TpuLoweringOptions {
  /// The systolic array's dimension: 128, or 256 on v6e.
  int64_t mxuDim = 128;
  /// VMEM bytes per TensorCore.
  int64_t vmemBytes = 64'000'000;
  /// Continue to the LLVM dialect for the host (the functional emulator).
  bool emulate = false;
  /// The host back end the emulator ends with (emulate only; provided by
  /// whoever assembles the targets, see HostBackendBuilder).
  HostBackendBuilder hostBackend;
};

/// How an M x N x K product is tiled on the MXU: tiles of tm x tn x tk
/// (tm a multiple of 8 sublanes, tn and tk of the MXU dimension), with
/// rowBlocks x colBlocks output tiles and kSteps K steps. The padded sizes
/// (blocks x tile) are what the MXU computes.
struct MxuGemmTiling {
  int64_t tm, tn, tk;
  int64_t rowBlocks, colBlocks, kSteps;
};

/// Tiles each dimension with edges at most T, a multiple of `dim`: the
/// largest with A and B tiles double-buffered, an f32 accumulator and, when
/// the output type is not the accumulator's (`outBytes` > 0), a staging
/// tile for the converted output, all in VMEM (squareTile):
///   (2 * 2 * inBytes + 4 + outBytes) * T^2 <= vmemBytes.
/// Tiles are balanced over their blocks: M (padded to 8 sublanes) in the fewest blocks; N and K
/// (padded to the MXU) in the block count, from the fewest to 4 more, that
/// pads least (then the fewest). The lowering writes these tiles and the
/// cost model charges them.
MxuGemmTiling chooseMxuGemmTiling(int64_t m, int64_t n, int64_t k,
                                  double vmemBytes, double inBytes,
                                  double outBytes, int64_t dim);

/// The most value columns (padded) an attention program takes in one tile.
constexpr int64_t kMaxOnChipLhsColumns = 512;

/// How an attention (Attention.h) is tiled on the TPU: per tile of `rows`
/// query rows, Q's tile (`rows x headLanes`), K^T whole (`headLanes x
/// keyLanes`), the f32 scores and the softmax's other whole-row tiles
/// (`scoreTiles` of `rows x keyLanes`, the probabilities among them), its
/// per-row values (`rowValueTiles` of `rows x 128`), V whole (`keyLanes x
/// valueLanes`) and the f32 output tile (`rows x valueLanes`), all in VMEM;
/// keys, head and value lanes padded to the MXU dimension.
struct MxuAttentionTiling {
  int64_t rows = 0, headLanes = 0, keyLanes = 0, valueLanes = 0;
  /// The VMEM of all but V and the output tile.
  int64_t producerBytes = 0;
  int64_t rowBlocks = 0;
};

/// The most query rows (a multiple of 8, at most 256) whose tiles fit in
/// `vmemBytes`; nullopt when 8 do not, or the value columns are more
/// than kMaxOnChipLhsColumns. Shared by the lowering (with the tiles its
/// softmax takes) and the cost model (with the 4 whole-row and 2 per-row
/// tiles wl.attention's softmax takes). With a mask repeating every
/// `rowPeriod` rows (AttentionShape::maskRowPeriod), the rows divide the
/// period (a tile reads the mask at its row modulo the period); nullopt
/// when no multiple of 8 does.
std::optional<MxuAttentionTiling>
chooseMxuAttentionTiling(int64_t sq, int64_t sk, int64_t d, int64_t dv,
                         int64_t vmemBytes, int64_t inBytes, int64_t dim,
                         int64_t scoreTiles = 4, int64_t rowValueTiles = 2,
                         int64_t rowPeriod = 0);

/// Adds what turns a lowered TPU program (mxu ops on memrefs) into host
/// LLVM: fungible-tpu-emulate, then `hostBackend`. Fails when no host back
/// end is given or upstream's pipeline text does not parse.
llvm::LogicalResult
buildTpuProgramEmulationPipeline(mlir::OpPassManager &pm,
                                 const HostBackendBuilder &hostBackend);

/// Adds the whole lowering to `pm` (a module pass manager). Fails only if
/// upstream's pipeline text does not parse (a build with passes missing)
/// or `emulate` is set without a host back end.
llvm::LogicalResult buildTpuLoweringPipeline(mlir::OpPassManager &pm,
                                             const TpuLoweringOptions &options);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_TPU_TPULOWERING_H
