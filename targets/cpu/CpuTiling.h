//===- CpuTiling.h - The CPU schedules' tiling steps ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The one step every CPU schedule takes (cache tiles, K steps, parallel
// chunks, a batch split, a convolution's output tiles): tile an op with
// upstream's TilingInterface into loops and erase it. And the matmul
// schedule's cuts of shapes its tiles do not divide, so that every tile
// has a static shape. Both are defined in CpuMatmulEdges.cpp. And the
// row chains' steps (an attention's, a norm's: CpuAttentionRows.cpp,
// CpuNormRows.cpp): their end, their tiling and fusion, the clean-up.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPUTILING_H
#define FUNGIBLE_TARGETS_CPU_CPUTILING_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/SetVector.h"

namespace fungible {

/// Tiles `op` (on buffers) by `sizes`, one per loop (0: that loop not
/// tiled), into loops of `loopType` placed where `op` is, and erases `op`.
/// The tiling, whose `tiledOps` is then the one tiled op; failure, with
/// `op` left as it is, when upstream's tiling fails or makes more than one
/// tiled op.
llvm::FailureOr<mlir::scf::SCFTilingResult>
tileAndReplace(mlir::RewriterBase &rewriter, mlir::TilingInterface op,
               llvm::ArrayRef<int64_t> sizes,
               mlir::scf::SCFTilingOptions::LoopType loopType);

/// Cuts `op`, a 2-D matmul on buffers with static M and N, plain or
/// reading its right operand as N x K, into up to four matmuls of the same
/// kind on views of its operands: the rows its cache tile
/// (matmulCacheTile) divides and the rest, times the columns it divides
/// and the rest. Each part's own cache tile then divides it. The parts, or
/// just `op` (when the tile divides it, or it is another matmul).
llvm::SmallVector<mlir::linalg::MatmulOp>
splitCacheEdges(mlir::RewriterBase &rewriter, mlir::linalg::MatmulOp op);

/// The unit attribute tileRegisterEdges marks a register tile of its
/// own shape with, for kMatmulSchedule to vectorise as it is.
constexpr const char *kRegisterEdgeAttr = "fungible.register_edge";

/// Cuts every plain matmul of static M and N under `root` that the
/// kRegisterTileM x kRegisterTileN register tile does not divide into the
/// rows it divides and the rest, times the columns it divides and the
/// rest in registerEdgeWidths, and tiles each part with fewer rows or
/// columns than a register tile itself: K in steps of kCacheTileK, register
/// tiles as tall or as wide as the part, marked kRegisterEdgeAttr (static
/// shapes: no masks once vectorised). The parts the register tile divides are
/// left to kMatmulSchedule. Fails (said) when upstream's tiling declines a
/// part.
mlir::LogicalResult tileRegisterEdges(mlir::RewriterBase &rewriter,
                                      mlir::Operation *root);

/// The ops reading `value`, transitively, that `follows` accepts (one it
/// does not ends that path), in the order found. Defined in
/// CpuAttentionRows.cpp.
llvm::SetVector<mlir::Operation *>
usersWhile(mlir::Value value,
           llvm::function_ref<bool(mlir::Operation *)> follows);

/// Whether `op` is inside a parallel loop already (an scf.forall's or an
/// scf.parallel's body): loops of its own would be nested parallel regions,
/// which OpenMP runs on the one thread that reaches them.
inline bool insideParallelLoop(mlir::Operation *op) {
  return op->getParentOfType<mlir::scf::ForallOp>() ||
         op->getParentOfType<mlir::scf::ParallelOp>();
}

/// Whether only ops of `chain` read `op`'s results.
bool readOnlyBy(mlir::Operation *op,
                const llvm::SetVector<mlir::Operation *> &chain);

/// The op ending a row chain (an attention's, a norm's: ops on tensors,
/// each but the first reading an earlier one): the one op whose results no
/// op of the chain reads, when the others' are read by the chain alone
/// (one read elsewhere would be computed whole as well as in the tiles);
/// null otherwise. Defined in CpuAttentionRows.cpp.
mlir::Operation *chainEnd(const llvm::SetVector<mlir::Operation *> &chain);

/// Tiles `end`, on tensors, by `sizes` (0: not tiled) into an scf.forall
/// where it is, fuses into the tile the producers of the slices `fuse`
/// accepts (upstream's tile-and-fuse, with `cleanup` as its clean-up
/// patterns) and replaces `end` by the loop's result. Fails, said as "could
/// not be cut into tiles of <tiles>", when upstream's tiling does. Defined
/// in CpuAttentionRows.cpp.
mlir::LogicalResult tileAndFuseIntoForall(
    mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp end,
    llvm::ArrayRef<int64_t> sizes,
    llvm::function_ref<bool(mlir::tensor::ExtractSliceOp, mlir::OpResult)> fuse,
    std::optional<mlir::FrozenRewritePatternSet> cleanup,
    llvm::StringRef tiles);

/// After row chains (an attention's, a norm's) were tiled and their ops
/// fused into the tiles in `funcs`: merges the copies of a producer fused
/// once per slice a tile reads (CSE) and erases the whole-tensor ops and
/// slices left dead. Defined in CpuAttentionRows.cpp.
void cleanUpFusedTiles(mlir::RewriterBase &rewriter,
                       llvm::ArrayRef<mlir::Operation *> funcs);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_CPUTILING_H
