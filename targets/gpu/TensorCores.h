//===- TensorCores.h - The GPU's tensor-core matmul kernel -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what GpuLowering.cpp shares with TensorCores.cpp, the
// tensor-core matmul kernel (mma.sync fragments staged through shared
// memory): the index arithmetic builder, the kernel's tile constants, the
// matmuls it takes and the builder of one CTA's part of it. Internal to
// the gpu family.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_TENSORCORES_H
#define FUNGIBLE_TARGETS_GPU_TENSORCORES_H

#include "targets/gpu/GpuLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace fungible::gpu_kernels {

/// Builds index arithmetic at one place, folding constants.
struct IndexMath {
  mlir::OpBuilder &b;
  mlir::Location loc;

  mlir::Value c(int64_t v) {
    return mlir::arith::ConstantIndexOp::create(b, loc, v);
  }
  mlir::Value add(mlir::Value x, mlir::Value y) {
    return mlir::arith::AddIOp::create(b, loc, x, y);
  }
  mlir::Value add(mlir::Value x, int64_t y) { return y ? add(x, c(y)) : x; }
  mlir::Value mul(mlir::Value x, int64_t y) {
    return y == 1 ? x
                  : mlir::arith::MulIOp::create(b, loc, x, c(y)).getResult();
  }
  mlir::Value div(mlir::Value x, int64_t y) {
    return y == 1 ? x
                  : mlir::arith::DivUIOp::create(b, loc, x, c(y)).getResult();
  }
  mlir::Value rem(mlir::Value x, int64_t y) {
    return mlir::arith::RemUIOp::create(b, loc, x, c(y));
  }
  mlir::Value lt(mlir::Value x, int64_t y) {
    return mlir::arith::CmpIOp::create(b, loc, mlir::arith::CmpIPredicate::ult,
                                       x, c(y));
  }
  /// Whether `r` < `rows` (when `checkRows`) and `c` < `cols` (when
  /// `checkCols`); null when neither is checked.
  mlir::Value inBounds(mlir::Value r, int64_t rows, bool checkRows,
                       mlir::Value c, int64_t cols, bool checkCols) {
    llvm::SmallVector<mlir::Value, 2> conds;
    if (checkRows)
      conds.push_back(lt(r, rows));
    if (checkCols)
      conds.push_back(lt(c, cols));
    return all(conds);
  }
  /// The conjunction of `conds` (true when empty).
  mlir::Value all(llvm::ArrayRef<mlir::Value> conds) {
    mlir::Value result;
    for (mlir::Value cond : conds)
      result =
          result ? mlir::arith::AndIOp::create(b, loc, result, cond).getResult()
                 : cond;
    return result;
  }
};

// One CTA computes a kBlockM x kBlockN tile of C with 4 warps in a 2x2
// grid, each warp kWarpM x kWarpN = 2x4 mma tiles of 16x8.
constexpr int64_t kBlockM = 64, kBlockN = 64, kBlockK = 32;
constexpr int64_t kWarpM = 32, kWarpN = 32, kWarpsN = kBlockN / kWarpN;
constexpr int64_t kThreads = 128, kWarpSize = 32;
constexpr int64_t kMmaM = 16, kMmaN = 8, kMmaK = 16;
constexpr int64_t kFragsM = kWarpM / kMmaM, kFragsN = kWarpN / kMmaN;
/// Shared rows are kBlockK + 8 halves (20 words): the 8 rows a warp's
/// fragment load touches fall in distinct banks.
constexpr int64_t kSmemRow = kBlockK + 8;
/// CUDA's limit on gridDim.y and gridDim.z.
constexpr int64_t kMaxGridYZ = 65535;

/// A (batch) matmul the tensor-core kernel handles: f16 or bf16 operands,
/// the default indexing maps, static shapes, C of the operand type or f32.
struct TensorCoreMatmul {
  mlir::Value a, b, c;
  bool batched = false;
  int64_t batch = 1, m = 0, n = 0, k = 0;
  mlir::Type elem, accElem;
  /// C holds +0 (the fill before the matmul, which the kernel absorbs):
  /// the accumulators start at zero instead of from C.
  bool zeroInit = false;
};

/// Whether the kernel takes a matmul of `a` and `b` into `c` (batched: a
/// leading batch dimension), buffers or tensors: static shapes, f16 or
/// bf16 operands, C of their type or f32, a grid within CUDA's limits.
/// What matchTensorCoreMatmul checks of the operands, and what the fusion
/// step asks of a lone matmul it leaves to the kernel.
bool takesTensorCoreOperands(mlir::ShapedType a, mlir::ShapedType b,
                             mlir::ShapedType c, bool batched);

/// `op` as a matmul the kernel takes, or nothing.
std::optional<TensorCoreMatmul>
matchTensorCoreMatmul(mlir::linalg::LinalgOp op);

/// Where one CTA's tile of a tensor-core matmul lies: its first row and
/// column of C, its batch index (null: not batched), its thread id, and the
/// two workgroup buffers A and B are staged in.
struct CtaTile {
  mlir::Value tid, m0, n0, batch, as, bs;
};

/// Emits one CTA's part of the tensor-core kernel for `mm`: the kBlockM x
/// kBlockN tile of C at `tile`.
class TensorCoreKernelBuilder {
public:
  TensorCoreKernelBuilder(mlir::OpBuilder &b, mlir::Location loc,
                          const TensorCoreMatmul &mm, const CtaTile &tile)
      : b(b), loc(loc), im{b, loc}, mm(mm), tile(tile), tid(tile.tid),
        m0(tile.m0), n0(tile.n0) {}

  void build();

private:
  /// Indices of an operand of the (batch) matmul at row `r`, column `c`.
  llvm::SmallVector<mlir::Value> indices(mlir::Value r, mlir::Value c) {
    if (mm.batched)
      return {tile.batch, r, c};
    return {r, c};
  }
  /// `mem[r, c]`, or zero of `type` where `inBounds` is false (null: no
  /// check needed).
  mlir::Value guardedLoad(mlir::Value mem, mlir::Value r, mlir::Value c,
                          mlir::Value inBounds);
  /// Stages the K tile starting at `k0` of A (as As[m][k]) and B (as
  /// Bs[n][k]) in shared memory.
  void stageTiles(mlir::Value k0);
  /// Stages element `idx` of the A and B tiles (stageTiles, once per
  /// element a thread copies).
  void stageElements(mlir::Value idx, mlir::Value k0, bool checkM, bool checkN,
                     bool checkK);
  /// One 32-bit register: the two halves of `smem` at [row, col..col+1].
  mlir::Value loadPair(mlir::Value smem, mlir::Value row, mlir::Value col);

  mlir::OpBuilder &b;
  mlir::Location loc;
  IndexMath im;
  const TensorCoreMatmul &mm;
  CtaTile tile;
  mlir::Value tid, lane, g, t, warpRow, warpCol, m0, n0;
};

/// `mem[indices]`, or zero where `inBounds` is false (null: no check).
mlir::Value loadOrZero(mlir::OpBuilder &b, mlir::Location loc, mlir::Value mem,
                       mlir::ValueRange indices, mlir::Value inBounds);

/// The f32 accumulator of C at `indices` before the K loop: C's element
/// there (zero where `inBounds` is false), or +0 with `mm.zeroInit`.
mlir::Value initialAccumulator(mlir::OpBuilder &b, mlir::Location loc,
                               const TensorCoreMatmul &mm,
                               mlir::ValueRange indices, mlir::Value inBounds);

/// Stores the f32 accumulator `acc`, rounded to `mem`'s element type, at
/// `mem[indices]` where `inBounds` holds (null: no check).
void storeAccumulator(mlir::OpBuilder &b, mlir::Location loc, mlir::Value acc,
                      mlir::Value mem, mlir::ValueRange indices,
                      mlir::Value inBounds);

/// `type` in workgroup (shared) memory.
mlir::MemRefType inWorkgroupMemory(mlir::MemRefType type);

/// The shared buffer one operand's K tile is staged in.
mlir::MemRefType stagingType(mlir::Type elem);

/// CUDA's limit on a kernel's static shared memory; past it, a launch
/// asks for dynamic shared memory.
constexpr int64_t kMaxStaticSharedBytes = 48 * 1024;
/// Dynamic shared memory is used from a 1 KiB boundary (where a 128-byte
/// swizzle pattern starts); a launch asks for this much more.
constexpr int64_t kDynamicSharedAlignment = 1024;

/// Replaces `op` (the matmul `mm`) with a gpu.launch of `threads`-thread
/// CTAs, one per `tileM` x `tileN` tile of C (grid (N tiles, M tiles,
/// batch)), with two shared buffers of `aType` and `bType` (workgroup
/// attributions; views of dynamic shared memory, aligned to
/// kDynamicSharedAlignment, when together they pass kMaxStaticSharedBytes
/// or `dynamic` is set); `build` emits a CTA's part at its tile. CTA i
/// (in dispatch order, x fastest) takes the tiles column by column over
/// `groupM` rows of tiles at a time, so that the CTAs running at once
/// read few tiles of A and B. `name` is the launch's `fungible.kernel`.
void launchOverTiles(
    mlir::linalg::LinalgOp op, const TensorCoreMatmul &mm, int64_t tileM,
    int64_t tileN, int64_t threads, mlir::MemRefType aType,
    mlir::MemRefType bType, llvm::StringRef name,
    llvm::function_ref<void(mlir::OpBuilder &, mlir::Location, const CtaTile &)>
        build,
    int64_t groupM = 1, bool dynamic = false);

/// Replaces `op` with a gpu.launch of the tensor-core kernel.
void lowerToTensorCores(mlir::linalg::LinalgOp op, const TensorCoreMatmul &mm);

/// Replaces `op` with a gpu.launch of the sm_90a kernel (Wgmma.cpp:
/// cp.async pipeline, wgmma.mma_async from shared memory) of `shape`
/// (valid), when its operands are contiguous and K and N multiples of 8
/// (16-byte rows of chunks); false (nothing changed) otherwise.
bool lowerToWgmma(mlir::linalg::LinalgOp op, const TensorCoreMatmul &mm,
                  const WgmmaLaunchShape &shape);

/// Whether the matmul of a fused tile (at most kBlockM x kBlockN, its 128
/// threads one warpgroup) can be the sm_90a kernel's CTA: A and B rows of
/// whole 16-byte chunks in global memory (a subview's offsets known to
/// keep them so).
bool takesWgmmaCta(const TensorCoreMatmul &mm);
/// The two shared buffers (A's and B's stages) of such a CTA.
std::pair<mlir::MemRefType, mlir::MemRefType>
wgmmaCtaStagingTypes(mlir::Type elem);
/// Emits the sm_90a kernel's CTA for `mm` at `tile` (tile.as and tile.bs
/// of wgmmaCtaStagingTypes).
void buildWgmmaCta(mlir::OpBuilder &b, mlir::Location loc,
                   const TensorCoreMatmul &mm, const CtaTile &tile);

} // namespace fungible::gpu_kernels

#endif // FUNGIBLE_TARGETS_GPU_TENSORCORES_H
