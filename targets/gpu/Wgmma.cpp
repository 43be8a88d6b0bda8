//===- Wgmma.cpp - The GPU's sm_90a matmul kernel: cp.async + wgmma -------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the Hopper tensor-core matmul kernel (TensorCores.h).
// Its K loop is a pipeline of `stages` buffers: each tile of A (tileM x 32)
// and B (32 x tileN) is copied global -> shared with cp.async (16 bytes a
// copy, no registers), stages - 1 tiles ahead of the one the tensor cores
// read. Each warpgroup computes its 64 x tileN part of C as two
// wgmma.mma_async.m64n<tileN>k16 per K tile, both operands read from
// shared memory through matrix descriptors, tileN / 2 f32 accumulators a
// thread. Two shapes (WgmmaConfig):
//  - a launch of its own (lowerToWgmma): a CTA of two warpgroups on a
//    128 x 128 tile of C, 3 stages (48 KiB of shared memory);
//  - one CTA of a fused tile (buildWgmmaCta): the tile's 128 threads are
//    one warpgroup on its 64 x 64 matmul, 2 stages (16 KiB).
//
// Shared memory layouts (PTX ISA, "Shared Memory Matrix Layout", the
// no-swizzle mode): a core matrix is 8 rows of 16 bytes (8 halves), 128
// contiguous bytes.
//  - A is K-major: a stage is [tileM/8][32/8][8][8], element (m, k) at
//    ((m / 8) * 4 + k / 8) * 64 + (m % 8) * 8 + k % 8. Canonical layout
//    ((8,m),(T,2k)):((1T,SBO),(1,LBO)) with T = 8: the leading byte offset
//    (the next core matrix along K) is 128, the stride byte offset (the
//    next 8 rows) 4 * 128.
//  - B is N-major (imm-trans-b = 1): a stage is [32/8][tileN/8][8][8],
//    element (k, n) at ((k / 8) * (tileN / 8) + n / 8) * 64 + (k % 8) * 8 +
//    n % 8. Canonical layout ((T,1,m),(8,k)):((1,T,SBO),(1T,LBO)): the
//    stride byte offset (the next 8 columns of N) is 128, the leading byte
//    offset (the next 8 rows of K) tileN / 8 * 128.
// In both, the 16-byte chunk q of a stage is at element q * 8 and holds 8
// elements that are contiguous in global memory (a row of A along K, a row
// of B along N): one cp.async each, 8 consecutive threads filling one core
// matrix (128 contiguous bytes: no bank conflict).
//
// The accumulator fragment of wgmma m64nNk16 (PTX ISA figure "WGMMA
// .m64nNk16 register fragment layout for accumulator matrix D"): warp w of
// the warpgroup owns rows 16w..16w+15; with g = lane / 4 and t = lane % 4,
// register 4j + v holds row 16w + g + 8 * (v / 2), column 8j + 2t + v % 2.
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"
#include "targets/gpu/TensorCores.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace fungible::gpu_kernels {
namespace {

constexpr int64_t kWarpgroupRows = 64, kWarpgroupThreads = 128;
constexpr int64_t kTileK = 32;
/// Halves in a 16-byte copy, and in a core matrix's row.
constexpr int64_t kChunk = 8;
constexpr int64_t kCoreMatrixBytes = 128, kHalfBytes = 2;
constexpr int64_t kWgmmaK = 16;

/// The kernel's shape: warpgroups (each 64 rows of C), columns of C and
/// pipeline stages.
struct WgmmaConfig {
  int64_t warpgroups, tileN, stages;

  constexpr int64_t tileM() const { return kWarpgroupRows * warpgroups; }
  constexpr int64_t threads() const { return kWarpgroupThreads * warpgroups; }
  /// Elements of one stage of A (tileM x kTileK) and of B (kTileK x tileN).
  int64_t aStage() const { return tileM() * kTileK; }
  int64_t bStage() const { return kTileK * tileN; }
  /// f32 accumulators per thread of a m64n<tileN> wgmma.
  int64_t accumulators() const {
    return kWarpgroupRows * tileN / kWarpgroupThreads;
  }
};
/// A launch of its own; one CTA of a fused tile (its 64 x 64 matmul).
constexpr WgmmaConfig kLaunchConfig{2, 128, 3};
constexpr WgmmaConfig kCtaConfig{1, kBlockN, 2};
static_assert(kCtaConfig.tileM() == kBlockM && kCtaConfig.threads() == kThreads,
              "a fused tile's CTA is one warpgroup on a 64 x 64 tile");
// copyTile copies as many chunks of A as of B: square tiles of C.
static_assert(kLaunchConfig.tileM() == kLaunchConfig.tileN &&
                  kCtaConfig.tileM() == kCtaConfig.tileN,
              "A's and B's stages hold as many elements");

class WgmmaKernelBuilder {
public:
  WgmmaKernelBuilder(OpBuilder &b, Location loc, const TensorCoreMatmul &mm,
                     const CtaTile &tile, const WgmmaConfig &config)
      : b(b), loc(loc), im{b, loc}, mm(mm), tile(tile), config(config) {}

  void build();

private:
  SmallVector<Value> indices(Value r, Value c) {
    if (mm.batched)
      return {tile.batch, r, c};
    return {r, c};
  }
  /// Starts the copies of K tile `kt` into stage `stage` (this thread's
  /// chunks of A and B).
  void copyTile(Value kt, Value stage);
  /// One 16-byte cp.async from `global[row, col..col+7]` to `smem[at]`;
  /// zeros where `inBounds` is false (null: always in bounds).
  void copyChunk(Value global, Value row, Value col, Value inBounds, Value smem,
                 Value at);
  /// The wgmma descriptor of the shared matrix at byte `address` (i64).
  Value descriptor(Value address, int64_t leadingBytes, int64_t strideBytes);
  /// The shared-window byte address of workgroup buffer `smem`, as i64.
  Value sharedAddress(Value smem);
  Value i64(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }

  OpBuilder &b;
  Location loc;
  IndexMath im;
  const TensorCoreMatmul &mm;
  CtaTile tile;
  WgmmaConfig config;
};

void WgmmaKernelBuilder::copyChunk(Value global, Value row, Value col,
                                   Value inBounds, Value smem, Value at) {
  Value srcElements;
  if (inBounds) {
    // Out of bounds: no bytes read (the rest is zero-filled), from a
    // valid address.
    Value zero = im.c(0);
    row = arith::SelectOp::create(b, loc, inBounds, row, zero);
    col = arith::SelectOp::create(b, loc, inBounds, col, zero);
    srcElements = arith::SelectOp::create(b, loc, inBounds, im.c(kChunk), zero);
  }
  nvgpu::DeviceAsyncCopyOp::create(
      b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), smem,
      ValueRange{at}, global, indices(row, col), b.getIndexAttr(kChunk),
      srcElements, b.getUnitAttr());
}

void WgmmaKernelBuilder::copyTile(Value kt, Value stage) {
  int64_t tileM = config.tileM(), tileN = config.tileN;
  bool checkM = mm.m % tileM, checkN = mm.n % tileN, checkK = mm.k % kTileK;
  Value k0 = im.mul(kt, kTileK);
  // A stage of A and one of B hold as many chunks: each thread copies
  // chunks tid, tid + threads, ... of both.
  Value aBase = im.mul(stage, config.aStage()),
        bBase = im.mul(stage, config.bStage());
  int64_t perThread = config.aStage() / kChunk / config.threads();
  for (int64_t i = 0; i < perThread; ++i) {
    Value q = im.add(tile.tid, i * config.threads());
    Value inRow = im.rem(q, kChunk);
    // A: chunk q is row 8 * (q / 32) + q % 8, columns 8 * ((q / 8) % 4).
    {
      constexpr int64_t kPerRowGroup = kChunk * (kTileK / kChunk);
      Value r =
          im.add(im.add(tile.m0, im.mul(im.div(q, kPerRowGroup), 8)), inRow);
      Value c = im.add(
          k0, im.mul(im.rem(im.div(q, kChunk), kTileK / kChunk), kChunk));
      copyChunk(mm.a, r, c, im.inBounds(r, mm.m, checkM, c, mm.k, checkK),
                tile.as, im.add(aBase, im.mul(q, kChunk)));
    }
    // B: chunk q is row 8 * (q / (tileN / 8 * 8)) + q % 8, columns
    // 8 * ((q / 8) % (tileN / 8)).
    {
      int64_t perRowGroup = kChunk * (tileN / kChunk);
      Value r = im.add(im.add(k0, im.mul(im.div(q, perRowGroup), 8)), inRow);
      Value c = im.add(
          tile.n0, im.mul(im.rem(im.div(q, kChunk), tileN / kChunk), kChunk));
      copyChunk(mm.b, r, c, im.inBounds(r, mm.k, checkK, c, mm.n, checkN),
                tile.bs, im.add(bBase, im.mul(q, kChunk)));
    }
  }
}

Value WgmmaKernelBuilder::sharedAddress(Value smem) {
  Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, smem);
  return arith::IndexCastUIOp::create(b, loc, b.getI64Type(), pointer);
}

Value WgmmaKernelBuilder::descriptor(Value address, int64_t leadingBytes,
                                     int64_t strideBytes) {
  // Bits 0-13: (address & 0x3FFFF) >> 4; 16-29: the leading byte offset
  // >> 4; 32-45: the stride byte offset >> 4; base offset 0 and swizzle
  // mode 0 (none).
  Value start = arith::ShRUIOp::create(
      b, loc, arith::AndIOp::create(b, loc, address, i64(0x3FFFF)), i64(4));
  int64_t fields = ((leadingBytes >> 4) << 16) | ((strideBytes >> 4) << 32);
  return arith::OrIOp::create(b, loc, start, i64(fields));
}

void WgmmaKernelBuilder::build() {
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type(), i64Type = b.getI64Type();
  Value tid = tile.tid;
  Value warpgroup = im.div(tid, kWarpgroupThreads);
  Value inGroup = im.rem(tid, kWarpgroupThreads);
  Value warp = im.div(inGroup, kWarpSize), lane = im.rem(inGroup, kWarpSize);
  Value g = im.div(lane, 4), t = im.rem(lane, 4);
  // This thread's first row and column of C.
  Value row0 = im.add(im.add(tile.m0, im.mul(warpgroup, kWarpgroupRows)),
                      im.add(im.mul(warp, 16), g));
  Value col0 = im.add(tile.n0, im.mul(t, 2));
  bool checkM = mm.m % config.tileM(), checkN = mm.n % config.tileN;
  auto accCoords = [&](int64_t i) {
    int64_t j = i / 4, v = i % 4;
    return std::make_pair(im.add(row0, 8 * (v / 2)),
                          im.add(col0, 8 * j + v % 2));
  };
  auto accBounds = [&](Value r, Value c) {
    return im.inBounds(r, mm.m, checkM, c, mm.n, checkN);
  };

  // The pipeline's first stages - 1 tiles. Every step commits one group
  // (empty past the last tile), so "all but the newest stages - 2 groups"
  // is always the tile about to be read.
  int64_t stages = config.stages, tileN = config.tileN;
  int64_t kTiles = ceilDiv(mm.k, kTileK);
  for (int64_t s = 0; s + 1 < stages; ++s) {
    if (s < kTiles)
      copyTile(im.c(s), im.c(s));
    NVVM::CpAsyncCommitGroupOp::create(b, loc);
  }

  // linalg.matmul accumulates into C: the accumulators start from it (or
  // from +0).
  int64_t accumulators = config.accumulators();
  auto accType = LLVM::LLVMStructType::getLiteral(
      ctx, SmallVector<Type>(accumulators, f32));
  Value acc = LLVM::UndefOp::create(b, loc, accType);
  for (int64_t i = 0; i < accumulators; ++i) {
    auto [r, c] = accCoords(i);
    acc = LLVM::InsertValueOp::create(
        b, loc, acc,
        initialAccumulator(b, loc, mm, indices(r, c), accBounds(r, c)), i);
  }

  Value aBase = sharedAddress(tile.as), bBase = sharedAddress(tile.bs);
  auto kLoop = scf::ForOp::create(b, loc, im.c(0), im.c(kTiles), im.c(1),
                                  ValueRange{acc});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value kt = kLoop.getInductionVar();
    Value stage = im.rem(kt, stages);
    // Tile kt has landed (this thread's copies), is visible to the async
    // proxy the tensor cores read through, and every thread's is there.
    NVVM::CpAsyncWaitGroupOp::create(b, loc, stages - 2);
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
    gpu::BarrierOp::create(b, loc);

    // The tile stages - 1 ahead, into the stage read one step ago: every
    // warpgroup waited for its wgmma of that step before the barrier.
    Value next = im.add(kt, stages - 1);
    auto ifNext = scf::IfOp::create(b, loc, im.lt(next, kTiles));
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(ifNext.thenBlock());
      copyTile(next, im.rem(next, stages));
    }
    NVVM::CpAsyncCommitGroupOp::create(b, loc);

    // This warpgroup's 64 rows of the stage: two k16 steps.
    auto bytes = [&](Value elements, int64_t scale) -> Value {
      return arith::IndexCastUIOp::create(b, loc, i64Type,
                                          im.mul(elements, scale));
    };
    Value aStage = arith::AddIOp::create(
        b, loc,
        arith::AddIOp::create(b, loc, aBase,
                              bytes(stage, config.aStage() * kHalfBytes)),
        bytes(warpgroup, kWarpgroupRows * kTileK * kHalfBytes));
    Value bStage = arith::AddIOp::create(
        b, loc, bBase, bytes(stage, config.bStage() * kHalfBytes));
    constexpr int64_t kALeading = kCoreMatrixBytes,
                      kAStride = kTileK / kChunk * kCoreMatrixBytes;
    int64_t bLeading = tileN / kChunk * kCoreMatrixBytes,
            bStride = kCoreMatrixBytes;
    NVVM::WGMMATypes type =
        mm.elem.isBF16() ? NVVM::WGMMATypes::bf16 : NVVM::WGMMATypes::f16;
    Value sum = kLoop.getRegionIterArgs()[0];
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    for (int64_t s = 0; s < kTileK / kWgmmaK; ++s) {
      // Step s starts 2s core matrices along K into A, 2s row groups of 8
      // into B.
      Value aAddress = arith::AddIOp::create(
          b, loc, aStage, i64(s * (kWgmmaK / kChunk) * kALeading));
      Value bAddress = arith::AddIOp::create(
          b, loc, bStage, i64(s * (kWgmmaK / kChunk) * bLeading));
      sum = NVVM::WgmmaMmaAsyncOp::create(
          b, loc, accType, sum, descriptor(aAddress, kALeading, kAStride),
          descriptor(bAddress, bLeading, bStride),
          NVVM::MMAShapeAttr::get(ctx, kWarpgroupRows, tileN, kWgmmaK), type,
          type, NVVM::WGMMATypes::f32, NVVM::WGMMAScaleOut::one,
          NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one,
          // A row-major (K-major); B row-major, N-major: transposed.
          NVVM::MMALayout::row, NVVM::MMALayout::row,
          /*satfinite=*/nullptr);
    }
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    // Done reading this stage before this thread reaches the next barrier,
    // past which its stage is overwritten.
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, 0);
    scf::YieldOp::create(b, loc, sum);
  }

  for (int64_t i = 0; i < accumulators; ++i) {
    auto [r, c] = accCoords(i);
    storeAccumulator(
        b, loc, LLVM::ExtractValueOp::create(b, loc, kLoop.getResult(0), i),
        mm.c, indices(r, c), accBounds(r, c));
  }
}

/// Whether `v` is known to be a multiple of `k`: a constant, a product
/// with such a factor, a sum of such terms.
bool isMultipleOf(Value v, int64_t k) {
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return *c % k == 0;
  Operation *def = v.getDefiningOp();
  if (auto mul = dyn_cast_or_null<arith::MulIOp>(def))
    return isMultipleOf(mul.getLhs(), k) || isMultipleOf(mul.getRhs(), k);
  if (auto add = dyn_cast_or_null<arith::AddIOp>(def))
    return isMultipleOf(add.getLhs(), k) && isMultipleOf(add.getRhs(), k);
  return false;
}

/// Whether every row of `memref` starts on a 16-byte boundary of global
/// memory, with its elements contiguous: an identity layout, or a subview
/// of one at offsets that keep rows aligned (its other strides multiples
/// of 8 halves). Not shared memory: cp.async reads global memory.
bool rowsOf16Bytes(Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  if (type.getMemorySpace())
    return false;
  if (type.getLayout().isIdentity())
    return type.getShape().back() % kChunk == 0;
  auto subview = memref.getDefiningOp<memref::SubViewOp>();
  if (!subview || !subview.hasUnitStride())
    return false;
  auto sourceType = subview.getSourceType();
  if (sourceType.getMemorySpace() || !sourceType.getLayout().isIdentity() ||
      sourceType.getRank() != type.getRank())
    return false;
  SmallVector<int64_t> strides = sourceType.getStridesAndOffset().first;
  for (auto [offset, stride] : llvm::zip(subview.getMixedOffsets(), strides)) {
    if (stride % kChunk == 0)
      continue;
    std::optional<int64_t> constant = getConstantIntValue(offset);
    if (!(constant ? *constant % kChunk == 0
                   : isMultipleOf(cast<Value>(offset), kChunk)))
      return false;
  }
  return llvm::all_of(ArrayRef<int64_t>(strides).drop_back(),
                      [](int64_t s) { return s % kChunk == 0; });
}

/// What the 16-byte copies need: A and B with rows of whole 16-byte
/// chunks in global memory (K and N multiples of 8), and a grid that fits.
bool takesWgmma(const TensorCoreMatmul &mm, const WgmmaConfig &config) {
  return mm.k % kChunk == 0 && mm.n % kChunk == 0 && rowsOf16Bytes(mm.a) &&
         rowsOf16Bytes(mm.b) && ceilDiv(mm.m, config.tileM()) <= kMaxGridYZ;
}

/// The shared buffer the stages of A (`a`) or B are staged in.
MemRefType stagesType(const WgmmaConfig &config, Type elem, bool a) {
  return inWorkgroupMemory(MemRefType::get(
      {config.stages * (a ? config.aStage() : config.bStage())}, elem));
}

} // namespace

bool lowerToWgmma(linalg::LinalgOp op, const TensorCoreMatmul &mm) {
  const WgmmaConfig &config = kLaunchConfig;
  if (!takesWgmma(mm, config) ||
      !cast<MemRefType>(mm.c.getType()).getLayout().isIdentity())
    return false;
  launchOverTiles(op, mm, config.tileM(), config.tileN, config.threads(),
                  stagesType(config, mm.elem, true),
                  stagesType(config, mm.elem, false), "wgmma_matmul",
                  [&](OpBuilder &b, Location loc, const CtaTile &tile) {
                    WgmmaKernelBuilder(b, loc, mm, tile, config).build();
                  });
  return true;
}

bool takesWgmmaCta(const TensorCoreMatmul &mm) {
  return mm.batch == 1 && mm.m <= kCtaConfig.tileM() &&
         mm.n <= kCtaConfig.tileN && takesWgmma(mm, kCtaConfig);
}

std::pair<MemRefType, MemRefType> wgmmaCtaStagingTypes(Type elem) {
  return {stagesType(kCtaConfig, elem, true),
          stagesType(kCtaConfig, elem, false)};
}

void buildWgmmaCta(OpBuilder &b, Location loc, const TensorCoreMatmul &mm,
                   const CtaTile &tile) {
  WgmmaKernelBuilder(b, loc, mm, tile, kCtaConfig).build();
}

} // namespace fungible::gpu_kernels
