//===- Wgmma.cpp - The GPU's sm_90a matmul kernel: async loads + wgmma ---===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the Hopper tensor-core matmul kernel (TensorCores.h).
// Its K loop is a pipeline of `stages` buffers: each tile of A (tileM x
// tileK) and B (tileK x tileN) is copied global -> shared with cp.async (16
// bytes a copy, no registers) `lead` tiles ahead of the one the tensor
// cores read. Each warpgroup computes its 64 x tileN part of C as tileK / 16
// wgmma.mma_async.m64n<tileN>k16 per K tile, both operands read from
// shared memory through matrix descriptors, tileN / 2 f32 accumulators a
// thread. With three stages or more, a K tile's wgmma still runs while the
// next tile's are issued (wgmma.wait_group 1), and the copies run
// stages - 2 tiles ahead; with two, each tile's wgmma is waited for and the
// copies run one ahead. Two shapes (WgmmaConfig):
//  - a launch of its own (lowerToWgmma): a CTA of two warpgroups on a
//    128 x tileN tile of C, of WgmmaLaunchShape (by default 128 x 128,
//    K 64 a stage, 4 stages: 128 KiB of dynamic shared memory); CTAs take
//    their tiles groupM rows of tiles at a time;
//  - one CTA of a fused tile (buildWgmmaCta): the tile's 128 threads are
//    one warpgroup on its 64 x 64 matmul, K 32 a stage, 2 stages (16 KiB).
//
// Shared memory layouts (PTX ISA, "Shared Memory Matrix Layout", the
// no-swizzle mode): a core matrix is 8 rows of 16 bytes (8 halves), 128
// contiguous bytes.
//  - A is K-major: a stage is [tileM/8][tileK/8][8][8], element (m, k) at
//    ((m / 8) * (tileK / 8) + k / 8) * 64 + (m % 8) * 8 + k % 8. Canonical
//    layout ((8,m),(T,2k)):((1T,SBO),(1,LBO)) with T = 8: the leading byte
//    offset (the next core matrix along K) is 128, the stride byte offset
//    (the next 8 rows) tileK / 8 * 128.
//  - B is N-major (imm-trans-b = 1): a stage is [tileK/8][tileN/8][8][8],
//    element (k, n) at ((k / 8) * (tileN / 8) + n / 8) * 64 + (k % 8) * 8 +
//    n % 8. Canonical layout ((T,1,m),(8,k)):((1,T,SBO),(1T,LBO)): the
//    stride byte offset (the next 8 columns of N) is 128, the leading byte
//    offset (the next 8 rows of K) tileN / 8 * 128.
// In both, the 16-byte chunk q of a stage is at element q * 8 and holds 8
// elements that are contiguous in global memory (a row of A along K, a row
// of B along N): one cp.async each, 8 consecutive threads filling one core
// matrix (128 contiguous bytes: no bank conflict).
//
// With TMA (WgmmaLaunchShape::tma, a launch of its own, swizzled layouts
// only), a third warpgroup loads the stages: the host makes a tensor map of
// A (boxes of tileM x 64) and of B (boxes of 64 x 64: the widest row a
// 128-byte swizzle takes) with nvgpu.tma.create.descriptor, and the kernel
// gets a pointer to each. Thread 0 of the producer warpgroup waits for a
// stage's "empty" mbarrier, sets its "full" mbarrier to expect the stage's
// bytes and issues cp.async.bulk.tensor for A and for each 64-column box
// of B; the two computing warpgroups wait for "full", issue the stage's
// wgmma, and, once the previous stage's wgmma are done (wait_group 1),
// arrive on its "empty" mbarrier (all 256 threads). A's stage lands in the
// layout above; B's in tileN / 64 boxes of [64 rows of K][64 columns], one
// after the other, so its LBO (the next 64 columns) is a box, tileK / 8
// atoms, and its SBO (the next 8 rows of K) one atom. The producer keeps
// 40 registers (setmaxnreg), the computing warpgroups 232. Zeros past the
// edges of A and B come from the tensor maps, and a box's bytes count whole
// towards "full" wherever it lies.
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
/// K per stage of a fused tile's CTA.
constexpr int64_t kTileK = 32;
/// Halves in a 16-byte copy, and in a core matrix's row.
constexpr int64_t kChunk = 8;
constexpr int64_t kCoreMatrixBytes = 128, kHalfBytes = 2;
constexpr int64_t kWgmmaK = 16;
/// A 128-byte swizzle atom: 8 rows of 8 chunks (1 KiB).
constexpr int64_t kSwizzleRows = 8, kSwizzleChunks = 8;
constexpr int64_t kSwizzleAtomBytes =
    kSwizzleRows * kSwizzleChunks * kChunk * kHalfBytes;
/// The most shared memory a CTA of sm_90 can have (227 KiB, dynamic).
constexpr int64_t kMaxSharedBytes = 227 * 1024;
/// An mbarrier is 8 bytes of shared memory, 8-byte aligned.
constexpr int64_t kMbarrierBytes = 8;
/// Registers a thread of the TMA kernel's producer and computing
/// warpgroups keep (setmaxnreg): 128 x 40 + 256 x 232 = 64512 of the SM's
/// 65536, what a 384-thread CTA starts with (168 each).
constexpr int64_t kProducerRegisters = 40, kConsumerRegisters = 232;
/// The shared-memory address spaces of NVPTX: the CTA's, and the
/// cluster's (which a TMA load writes through).
constexpr unsigned kSharedCta = 3, kSharedCluster = 7;
/// How long a thread waiting on an mbarrier may be suspended before it
/// checks again (mbarrier.try_wait's hint, ns; CUTLASS's).
constexpr int64_t kSuspendHintNs = 10000000;

/// The kernel's shape: warpgroups (each 64 rows of C), columns of C, K per
/// stage and pipeline stages.
struct WgmmaConfig {
  int64_t warpgroups, tileN, tileK, stages;
  /// Shared stages in the 128-byte swizzled layouts (tileK 64, tileN a
  /// multiple of 64) instead of the interleaved ones.
  bool swizzle = false;
  /// Stages loaded by TMA from a producer warpgroup (one more than
  /// `warpgroups`, which compute), with mbarriers after B's stages.
  bool tma = false;

  constexpr int64_t tileM() const { return kWarpgroupRows * warpgroups; }
  constexpr int64_t threads() const {
    return kWarpgroupThreads * (warpgroups + (tma ? 1 : 0));
  }
  /// Elements of one stage of A (tileM x tileK) and of B (tileK x tileN).
  constexpr int64_t aStage() const { return tileM() * tileK; }
  constexpr int64_t bStage() const { return tileK * tileN; }
  /// f32 accumulators per thread of a m64n<tileN> wgmma.
  constexpr int64_t accumulators() const {
    return kWarpgroupRows * tileN / kWarpgroupThreads;
  }
  /// K tiles whose wgmma may still run while the next is issued: one when
  /// there are stages enough (three or more), so that the tensor cores
  /// never wait for the issue of the next tile's.
  constexpr int64_t inFlight() const { return stages >= 3 ? 1 : 0; }
  /// How many K tiles ahead of the one read the copies run: every stage
  /// not being read (by the tile's wgmma or one still in flight).
  constexpr int64_t lead() const { return stages - 1 - inFlight(); }
  /// Bytes of the mbarriers of a TMA pipeline: a "full" and an "empty" one
  /// per stage, and one the first K tile's arrival goes to (no stage to
  /// free yet; a select instead of a branch, which LLVM would peel the
  /// loop for).
  constexpr int64_t barrierBytes() const {
    return tma ? (2 * stages + 1) * kMbarrierBytes : 0;
  }
  /// Shared memory of the stages and barriers.
  constexpr int64_t sharedBytes() const {
    return stages * (aStage() + bStage()) * kHalfBytes + barrierBytes();
  }
};
/// One CTA of a fused tile: one warpgroup on its 64 x 64 matmul.
constexpr WgmmaConfig kCtaConfig{1, kBlockN, kTileK, 2};
static_assert(kCtaConfig.tileM() == kBlockM && kCtaConfig.threads() == kThreads,
              "a fused tile's CTA is one warpgroup on a 64 x 64 tile");

/// A launch of its own: two warpgroups.
WgmmaConfig launchConfig(const WgmmaLaunchShape &shape) {
  return {2, shape.tileN, shape.tileK, shape.stages, shape.swizzle, shape.tma};
}

class WgmmaKernelBuilder {
public:
  WgmmaKernelBuilder(OpBuilder &b, Location loc, const TensorCoreMatmul &mm,
                     const CtaTile &tile, const WgmmaConfig &config)
      : b(b), loc(loc), im{b, loc}, mm(mm), tile(tile), config(config) {}

  /// The kernel with cp.async loads by every thread.
  void build();
  /// The kernel with TMA loads from a producer warpgroup, the tensor maps
  /// of A and B (generic pointers) `aMap` and `bMap`.
  void buildWithTma(Value aMap, Value bMap);

private:
  /// A thread's first row and column of C in a warpgroup's fragment.
  struct Fragment {
    Value row0, col0;
  };
  /// The fragment of this thread in warpgroup `warpgroup` (64 rows each).
  Fragment fragmentOf(Value warpgroup);
  /// Row and column of C of accumulator `i` of a fragment.
  std::pair<Value, Value> accumulatorAt(const Fragment &f, int64_t i);
  /// Whether (r, c) lies in C (null: the tiles divide C).
  Value accumulatorBounds(Value r, Value c);
  Type accumulatorType();
  /// The accumulators, from C (or +0).
  Value startAccumulators(const Fragment &f);
  void storeAccumulators(Value acc, const Fragment &f);
  /// Issues the wgmma of stage `stage` (of the stages at shared bytes
  /// `aBase` and `bBase`) for the 64 rows of A of computing warpgroup
  /// `warpgroup` (`bInBoxes`: B in TMA's 64-column boxes) on `sum` and
  /// commits them; returns the new accumulators.
  Value multiplyStage(Value sum, Value aBase, Value bBase, Value stage,
                      Value warpgroup, bool bInBoxes);
  /// `elements` x `scale` as i64 bytes.
  Value bytes(Value elements, int64_t scale);
  /// The shared-window address `address` (i64) as a pointer of `space`.
  Value sharedPointer(Value address, unsigned space);
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
  Value descriptor(Value address, int64_t leadingBytes, int64_t strideBytes,
                   bool swizzled = false);
  /// Waits for every wgmma (the K loop's last) and returns this thread's
  /// first row and column of C in `row0` and `col0`, computed before.
  void waitForAllThenIndexC(Value &row0, Value &col0);
  /// The element offset in a stage of 128-byte swizzle atoms (8 rows of
  /// 64 halves, 1 KiB, 1 KiB aligned) of chunk `chunk` (0-7) of row `row`
  /// (0-7) of atom `atom`: the chunk's 16 bytes move to chunk
  /// `chunk ^ row` of the row (PTX ISA, "Shared Memory Matrix Layout",
  /// 128-byte swizzling: Swizzle<3,4,3> on the byte address).
  Value swizzle(Value atom, Value row, Value chunk);
  /// Where chunk `chunk` (8 halves along K) of row `row` (along M) of a
  /// stage of A goes: K-major, atoms [tileM / 8], a row's 64 halves of K
  /// in one atom row.
  Value swizzledA(Value row, Value chunk);
  /// Where chunk `chunk` (8 halves along N) of row `row` (along K) of a
  /// stage of B goes: N-major, atoms [tileK / 8][tileN / 64].
  Value swizzledB(Value row, Value chunk);
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
  int64_t tileM = config.tileM(), tileN = config.tileN, tileK = config.tileK;
  bool checkM = mm.m % tileM, checkN = mm.n % tileN, checkK = mm.k % tileK;
  Value k0 = im.mul(kt, tileK);
  // Each thread copies chunks tid, tid + threads, ... of each operand's
  // stage (whyInvalid: as many each).
  auto chunks = [&](int64_t elements, auto copy) {
    for (int64_t i = 0; i < elements / kChunk / config.threads(); ++i)
      copy(im.add(tile.tid, i * config.threads()));
  };
  Value aBase = im.mul(stage, config.aStage());
  Value bBase = im.mul(stage, config.bStage());
  if (config.swizzle) {
    // Chunk q is row q / rowChunks, chunk q % rowChunks of the operand's
    // tile (consecutive threads read a row's consecutive 16 bytes), stored
    // at its place in the swizzled layout.
    chunks(config.aStage(), [&](Value q) {
      Value row = im.div(q, kSwizzleChunks), chunk = im.rem(q, kSwizzleChunks);
      Value r = im.add(tile.m0, row), c = im.add(k0, im.mul(chunk, kChunk));
      copyChunk(mm.a, r, c, im.inBounds(r, mm.m, checkM, c, mm.k, checkK),
                tile.as, im.add(aBase, swizzledA(row, chunk)));
    });
    int64_t rowChunks = tileN / kChunk;
    chunks(config.bStage(), [&](Value q) {
      Value row = im.div(q, rowChunks), chunk = im.rem(q, rowChunks);
      Value r = im.add(k0, row), c = im.add(tile.n0, im.mul(chunk, kChunk));
      copyChunk(mm.b, r, c, im.inBounds(r, mm.k, checkK, c, mm.n, checkN),
                tile.bs, im.add(bBase, swizzledB(row, chunk)));
    });
    return;
  }
  // A: chunk q is row 8 * (q / tileK) + q % 8, columns
  // 8 * ((q / 8) % (tileK / 8)).
  chunks(config.aStage(), [&](Value q) {
    Value inRow = im.rem(q, kChunk);
    Value r = im.add(im.add(tile.m0, im.mul(im.div(q, tileK), 8)), inRow);
    Value c =
        im.add(k0, im.mul(im.rem(im.div(q, kChunk), tileK / kChunk), kChunk));
    copyChunk(mm.a, r, c, im.inBounds(r, mm.m, checkM, c, mm.k, checkK),
              tile.as, im.add(aBase, im.mul(q, kChunk)));
  });
  // B: chunk q is row 8 * (q / tileN) + q % 8, columns
  // 8 * ((q / 8) % (tileN / 8)).
  chunks(config.bStage(), [&](Value q) {
    Value inRow = im.rem(q, kChunk);
    Value r = im.add(im.add(k0, im.mul(im.div(q, tileN), 8)), inRow);
    Value c = im.add(tile.n0,
                     im.mul(im.rem(im.div(q, kChunk), tileN / kChunk), kChunk));
    copyChunk(mm.b, r, c, im.inBounds(r, mm.k, checkK, c, mm.n, checkN),
              tile.bs, im.add(bBase, im.mul(q, kChunk)));
  });
}

Value WgmmaKernelBuilder::swizzle(Value atom, Value row, Value chunk) {
  Value swizzled = arith::XOrIOp::create(b, loc, chunk, row);
  return im.add(im.add(im.mul(atom, kSwizzleAtomBytes / kHalfBytes),
                       im.mul(row, kSwizzleChunks * kChunk)),
                im.mul(swizzled, kChunk));
}

Value WgmmaKernelBuilder::swizzledA(Value row, Value chunk) {
  return swizzle(im.div(row, kSwizzleRows), im.rem(row, kSwizzleRows), chunk);
}

Value WgmmaKernelBuilder::swizzledB(Value row, Value chunk) {
  // Atoms [tileK / 8][tileN / 64]: the next 64 columns one atom on, the
  // next 8 rows tileN / 64 atoms on.
  Value atom = im.add(im.mul(im.div(row, kSwizzleRows),
                             config.tileN / (kSwizzleChunks * kChunk)),
                      im.div(chunk, kSwizzleChunks));
  return swizzle(atom, im.rem(row, kSwizzleRows),
                 im.rem(chunk, kSwizzleChunks));
}

Value WgmmaKernelBuilder::sharedAddress(Value smem) {
  Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, smem);
  return arith::IndexCastUIOp::create(b, loc, b.getI64Type(), pointer);
}

Value WgmmaKernelBuilder::descriptor(Value address, int64_t leadingBytes,
                                     int64_t strideBytes, bool swizzled) {
  // Bits 0-13: (address & 0x3FFFF) >> 4; 16-29: the leading byte offset
  // >> 4; 32-45: the stride byte offset >> 4; base offset 0 (swizzle atoms
  // start on 1 KiB boundaries); bits 62-63 the swizzle mode: 0 none, 1 128
  // bytes.
  Value start = arith::ShRUIOp::create(
      b, loc, arith::AndIOp::create(b, loc, address, i64(0x3FFFF)), i64(4));
  int64_t fields = ((leadingBytes >> 4) << 16) | ((strideBytes >> 4) << 32) |
                   (int64_t(swizzled) << 62);
  return arith::OrIOp::create(b, loc, start, i64(fields));
}

WgmmaKernelBuilder::Fragment WgmmaKernelBuilder::fragmentOf(Value warpgroup) {
  Value inGroup = im.rem(tile.tid, kWarpgroupThreads);
  Value warp = im.div(inGroup, kWarpSize), lane = im.rem(inGroup, kWarpSize);
  Value g = im.div(lane, 4), t = im.rem(lane, 4);
  // This thread's first row and column of C.
  return {im.add(im.add(tile.m0, im.mul(warpgroup, kWarpgroupRows)),
                 im.add(im.mul(warp, 16), g)),
          im.add(tile.n0, im.mul(t, 2))};
}

std::pair<Value, Value> WgmmaKernelBuilder::accumulatorAt(const Fragment &f,
                                                          int64_t i) {
  int64_t j = i / 4, v = i % 4;
  return {im.add(f.row0, 8 * (v / 2)), im.add(f.col0, 8 * j + v % 2)};
}

Value WgmmaKernelBuilder::accumulatorBounds(Value r, Value c) {
  return im.inBounds(r, mm.m, mm.m % config.tileM(), c, mm.n,
                     mm.n % config.tileN);
}

Type WgmmaKernelBuilder::accumulatorType() {
  return LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(config.accumulators(), b.getF32Type()));
}

Value WgmmaKernelBuilder::startAccumulators(const Fragment &f) {
  // linalg.matmul accumulates into C: the accumulators start from it (or
  // from +0).
  Value acc = LLVM::UndefOp::create(b, loc, accumulatorType());
  for (int64_t i = 0; i < config.accumulators(); ++i) {
    auto [r, c] = accumulatorAt(f, i);
    acc = LLVM::InsertValueOp::create(
        b, loc, acc,
        initialAccumulator(b, loc, mm, indices(r, c), accumulatorBounds(r, c)),
        i);
  }
  return acc;
}

void WgmmaKernelBuilder::storeAccumulators(Value acc, const Fragment &f) {
  for (int64_t i = 0; i < config.accumulators(); ++i) {
    auto [r, c] = accumulatorAt(f, i);
    storeAccumulator(b, loc, LLVM::ExtractValueOp::create(b, loc, acc, i), mm.c,
                     indices(r, c), accumulatorBounds(r, c));
  }
}

Value WgmmaKernelBuilder::multiplyStage(Value sum, Value aBase, Value bBase,
                                        Value stage, Value warpgroup,
                                        bool bInBoxes) {
  MLIRContext *ctx = b.getContext();
  int64_t tileN = config.tileN, tileK = config.tileK;
  // The warpgroup's 64 rows of A's stage, and B's stage.
  Value aStage = arith::AddIOp::create(
      b, loc,
      arith::AddIOp::create(b, loc, aBase,
                            bytes(stage, config.aStage() * kHalfBytes)),
      bytes(warpgroup, kWarpgroupRows * tileK * kHalfBytes));
  Value bStage = arith::AddIOp::create(
      b, loc, bBase, bytes(stage, config.bStage() * kHalfBytes));
  // Interleaved: A's LBO is the next core matrix along K, its SBO the
  // next 8 rows; B's LBO the next 8 rows of K, its SBO the next 8
  // columns. A k16 step is 2 core matrices along K into A, 2 row groups
  // into B.
  int64_t aLeading = kCoreMatrixBytes,
          aStride = tileK / kChunk * kCoreMatrixBytes;
  int64_t bLeading = tileN / kChunk * kCoreMatrixBytes,
          bStride = kCoreMatrixBytes;
  int64_t aStep = kWgmmaK / kChunk * aLeading,
          bStep = kWgmmaK / kChunk * bLeading;
  if (config.swizzle) {
    // 128-byte swizzled, A K-major: LBO unused (1), SBO the next 8 rows
    // (one atom); a k16 step is 32 bytes into the atoms' rows (the
    // swizzle applies to the address). B N-major: LBO the next 64
    // columns, SBO the next 8 rows of K; a k16 step is two such. The
    // cp.async layout interleaves the 64-column groups by atom (LBO one
    // atom, SBO tileN / 64 atoms); TMA's boxes hold one group each, all of
    // K (LBO a box, tileK / 8 atoms; SBO one atom).
    aLeading = 16;
    aStride = kSwizzleAtomBytes;
    aStep = kWgmmaK * kHalfBytes;
    int64_t groups = tileN / (kSwizzleChunks * kChunk);
    bLeading =
        bInBoxes ? tileK / kSwizzleRows * kSwizzleAtomBytes : kSwizzleAtomBytes;
    bStride = bInBoxes ? kSwizzleAtomBytes : groups * kSwizzleAtomBytes;
    bStep = kWgmmaK / kSwizzleRows * bStride;
  }
  NVVM::WGMMATypes type =
      mm.elem.isBF16() ? NVVM::WGMMATypes::bf16 : NVVM::WGMMATypes::f16;
  NVVM::WgmmaFenceAlignedOp::create(b, loc);
  for (int64_t s = 0; s < tileK / kWgmmaK; ++s) {
    Value aAddress = arith::AddIOp::create(b, loc, aStage, i64(s * aStep));
    Value bAddress = arith::AddIOp::create(b, loc, bStage, i64(s * bStep));
    sum = NVVM::WgmmaMmaAsyncOp::create(
        b, loc, sum.getType(), sum,
        descriptor(aAddress, aLeading, aStride, config.swizzle),
        descriptor(bAddress, bLeading, bStride, config.swizzle),
        NVVM::MMAShapeAttr::get(ctx, kWarpgroupRows, tileN, kWgmmaK), type,
        type, NVVM::WGMMATypes::f32, NVVM::WGMMAScaleOut::one,
        NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one,
        // A row-major (K-major); B row-major, N-major: transposed.
        NVVM::MMALayout::row, NVVM::MMALayout::row,
        /*satfinite=*/nullptr);
  }
  NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
  return sum;
}

Value WgmmaKernelBuilder::bytes(Value elements, int64_t scale) {
  return arith::IndexCastUIOp::create(b, loc, b.getI64Type(),
                                      im.mul(elements, scale));
}

void WgmmaKernelBuilder::build() {
  Value warpgroup = im.div(tile.tid, kWarpgroupThreads);
  Fragment fragment = fragmentOf(warpgroup);

  // The pipeline's first `lead` tiles. Every step commits one group (empty
  // past the last tile), so "all but the newest lead - 1 groups" is always
  // the tile about to be read.
  int64_t stages = config.stages, tileK = config.tileK;
  int64_t lead = config.lead();
  int64_t kTiles = ceilDiv(mm.k, tileK);
  for (int64_t s = 0; s < lead; ++s) {
    if (s < kTiles)
      copyTile(im.c(s), im.c(s));
    NVVM::CpAsyncCommitGroupOp::create(b, loc);
  }
  Value acc = startAccumulators(fragment);

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
    NVVM::CpAsyncWaitGroupOp::create(b, loc, lead - 1);
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(b.getContext(),
                                   NVVM::SharedSpace::shared_cta));
    gpu::BarrierOp::create(b, loc);

    // The tile `lead` ahead, into the stage read 1 + inFlight steps ago:
    // every warpgroup waited for its wgmma of that step before the barrier.
    Value next = im.add(kt, lead);
    auto ifNext = scf::IfOp::create(b, loc, im.lt(next, kTiles));
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(ifNext.thenBlock());
      copyTile(next, im.rem(next, stages));
    }
    NVVM::CpAsyncCommitGroupOp::create(b, loc);

    // This warpgroup's 64 rows of the stage: tileK / 16 k16 steps.
    Value sum = multiplyStage(kLoop.getRegionIterArgs()[0], aBase, bBase, stage,
                              warpgroup, /*bInBoxes=*/false);
    // Done reading the stage of `inFlight` steps ago before this thread
    // reaches the next barrier, past which that stage is overwritten.
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, config.inFlight());
    scf::YieldOp::create(b, loc, sum);
  }
  if (config.inFlight())
    waitForAllThenIndexC(fragment.row0, fragment.col0);
  storeAccumulators(kLoop.getResult(0), fragment);
}

Value WgmmaKernelBuilder::sharedPointer(Value address, unsigned space) {
  Value pointer = LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext(), kSharedCta), address);
  if (space == kSharedCta)
    return pointer;
  return LLVM::AddrSpaceCastOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext(), space), pointer);
}

void WgmmaKernelBuilder::buildWithTma(Value aMap, Value bMap) {
  MLIRContext *ctx = b.getContext();
  Type i32 = b.getI32Type();
  auto i32Constant = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, i32, v);
  };
  auto toI32 = [&](Value v) -> Value {
    return arith::IndexCastUIOp::create(b, loc, i32, v);
  };
  auto eq = [&](Value v, int64_t c) -> Value {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, im.c(c));
  };
  int64_t stages = config.stages, tileK = config.tileK, tileN = config.tileN;
  int64_t aBytes = config.aStage() * kHalfBytes,
          bBytes = config.bStage() * kHalfBytes;
  int64_t consumers = config.warpgroups;
  Value aBase = sharedAddress(tile.as), bBase = sharedAddress(tile.bs);
  // The barriers follow B's stages: full[s] (the stage's bytes landed),
  // then empty[s] (every computing thread is done reading it), then the
  // first tile's.
  Value barriers = arith::AddIOp::create(b, loc, bBase, i64(stages * bBytes));
  auto barrier = [&](Value stage, int64_t first) {
    Value index = first ? im.add(stage, first) : stage;
    return sharedPointer(
        arith::AddIOp::create(b, loc, barriers, bytes(index, kMbarrierBytes)),
        kSharedCta);
  };
  Value tid = tile.tid;
  Value warpgroup = im.div(tid, kWarpgroupThreads);

  // Thread 0 sets the barriers up; every thread waits for that.
  auto ifFirst = scf::IfOp::create(b, loc, eq(tid, 0));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifFirst.thenBlock());
    for (int64_t s = 0; s < stages; ++s) {
      NVVM::MBarrierInitOp::create(b, loc, barrier(im.c(s), 0), i32Constant(1),
                                   /*predicate=*/Value());
      NVVM::MBarrierInitOp::create(b, loc, barrier(im.c(s), stages),
                                   i32Constant(consumers * kWarpgroupThreads),
                                   /*predicate=*/Value());
    }
    NVVM::MBarrierInitOp::create(b, loc, barrier(im.c(2 * stages), 0),
                                 i32Constant(consumers * kWarpgroupThreads),
                                 /*predicate=*/Value());
    NVVM::FenceMbarrierInitOp::create(b, loc);
  }
  gpu::BarrierOp::create(b, loc);

  int64_t kTiles = ceilDiv(mm.k, tileK);
  // Waits on a barrier's phase of parity round % 2 (`flip`: its parity
  // flipped: the phase before, complete on a new barrier).
  auto waitFor = [&](Value address, Value round, bool flip) {
    Value parity = im.rem(flip ? im.add(round, 1) : round, 2);
    NVVM::MBarrierTryWaitParityOp::create(b, loc, address, toI32(parity),
                                          i32Constant(kSuspendHintNs));
  };
  // A warpgroup's registers a thread (setmaxnreg, all its threads).
  auto keepRegisters = [&](int64_t count, NVVM::SetMaxRegisterAction action) {
    NVVM::SetMaxRegisterOp::create(
        b, loc, b.getI32IntegerAttr(count),
        NVVM::SetMaxRegisterActionAttr::get(ctx, action));
  };
  auto role = scf::IfOp::create(b, loc, eq(warpgroup, 0), /*withElse=*/true);
  {
    // The producer: one thread issues every load, a stage at a time, once
    // the computing warpgroups are done with what it held.
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(role.thenBlock());
    keepRegisters(kProducerRegisters, NVVM::SetMaxRegisterAction::decrease);
    auto ifIssuer = scf::IfOp::create(b, loc, eq(tid, 0));
    b.setInsertionPointToStart(ifIssuer.thenBlock());
    auto loop = scf::ForOp::create(b, loc, im.c(0), im.c(kTiles), im.c(1));
    b.setInsertionPointToStart(loop.getBody());
    Value kt = loop.getInductionVar();
    Value stage = im.rem(kt, stages), round = im.div(kt, stages);
    waitFor(barrier(stage, stages), round, /*flip=*/true);
    Value full = barrier(stage, 0);
    // A box's bytes count whole, also where it lies past the edges (zeros
    // filled).
    NVVM::MBarrierArriveExpectTxOp::create(
        b, loc, /*res=*/Type(), full, i32Constant(aBytes + bBytes),
        NVVM::MemScopeKindAttr::get(ctx, NVVM::MemScopeKind::CTA),
        /*relaxed=*/nullptr, /*predicate=*/Value());
    Value k0 = toI32(im.mul(kt, tileK));
    auto load = [&](Value map, Value to, SmallVector<Value> coordinates) {
      if (mm.batched)
        coordinates.push_back(toI32(tile.batch));
      NVVM::CpAsyncBulkTensorGlobalToSharedClusterOp::create(
          b, loc, sharedPointer(to, kSharedCluster), map, coordinates, full,
          /*im2colOffsets=*/ValueRange{}, /*multicastMask=*/Value(),
          /*l2CacheHint=*/Value(),
          NVVM::TMALoadModeAttr::get(ctx, NVVM::TMALoadMode::TILE),
          /*isCTAOnly=*/b.getBoolAttr(false), /*group=*/nullptr,
          /*predicate=*/Value());
    };
    // Coordinates innermost first: A's (k, m), B's (n, k).
    load(aMap, arith::AddIOp::create(b, loc, aBase, bytes(stage, aBytes)),
         {k0, toI32(tile.m0)});
    int64_t boxColumns = kSwizzleChunks * kChunk;
    for (int64_t j = 0; j < tileN / boxColumns; ++j)
      load(bMap,
           arith::AddIOp::create(
               b, loc,
               arith::AddIOp::create(b, loc, bBase, bytes(stage, bBytes)),
               i64(j * tileK * boxColumns * kHalfBytes)),
           {toI32(im.add(tile.n0, j * boxColumns)), k0});
  }

  // The computing warpgroups: warpgroup w + 1 has rows 64 w... of the tile.
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(role.elseBlock());
  keepRegisters(kConsumerRegisters, NVVM::SetMaxRegisterAction::increase);
  Value consumer = arith::SubIOp::create(b, loc, warpgroup, im.c(1));
  Fragment fragment = fragmentOf(consumer);
  Value acc = startAccumulators(fragment);
  // The loop carries the barrier the next arrival goes to: the spare one
  // first, then the empty barrier of the stage read the step before. (A
  // select on kt > 0 instead makes LLVM peel the first iteration, where
  // the accumulators' zeros land between a wgmma.fence and the wgmma:
  // ptxas fences again, C7519.)
  auto kLoop = scf::ForOp::create(b, loc, im.c(0), im.c(kTiles), im.c(1),
                                  ValueRange{acc, im.c(2 * stages)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value kt = kLoop.getInductionVar();
    Value stage = im.rem(kt, stages), round = im.div(kt, stages);
    waitFor(barrier(stage, 0), round, /*flip=*/false);
    Value sum = multiplyStage(kLoop.getRegionIterArgs()[0], aBase, bBase, stage,
                              consumer, /*bInBoxes=*/true);
    // The previous tile's wgmma are done: its stage may be loaded again
    // (the first tile arrives on the spare barrier).
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, 1);
    NVVM::MBarrierArriveOp::create(
        b, loc, /*res=*/Type(), barrier(kLoop.getRegionIterArgs()[1], 0),
        /*count=*/Value(),
        NVVM::MemScopeKindAttr::get(ctx, NVVM::MemScopeKind::CTA));
    scf::YieldOp::create(b, loc, ValueRange{sum, im.add(stage, stages)});
  }
  waitForAllThenIndexC(fragment.row0, fragment.col0);
  storeAccumulators(kLoop.getResult(0), fragment);
}

void WgmmaKernelBuilder::waitForAllThenIndexC(Value &row0, Value &col0) {
  // One asm statement waits for the last wgmma and passes the coordinates
  // through: LLVM cannot compute the stores' indices before it. (With the
  // index arithmetic between the loop and the wait, ptxas serialises every
  // wgmma of the loop: C7514.)
  Type i32 = b.getI32Type();
  auto toI32 = [&](Value v) {
    return arith::IndexCastUIOp::create(b, loc, i32, v).getResult();
  };
  auto asmOp = LLVM::InlineAsmOp::create(
      b, loc, LLVM::LLVMStructType::getLiteral(b.getContext(), {i32, i32}),
      ValueRange{toI32(row0), toI32(col0)}, "wgmma.wait_group.sync.aligned 0;",
      "=r,=r,0,1",
      /*has_side_effects=*/true, /*is_align_stack=*/false,
      LLVM::TailCallKind::None, LLVM::AsmDialectAttr(), ArrayAttr());
  auto fromI32 = [&](int64_t position) {
    Value v =
        LLVM::ExtractValueOp::create(b, loc, asmOp.getResult(0), position);
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v)
        .getResult();
  };
  row0 = fromI32(0);
  col0 = fromI32(1);
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

/// The shared buffer the stages of A (`a`) or B are staged in (B's with
/// the barriers after its stages).
MemRefType stagesType(const WgmmaConfig &config, Type elem, bool a) {
  int64_t elements =
      a ? config.stages * config.aStage()
        : config.stages * config.bStage() + config.barrierBytes() / kHalfBytes;
  return inWorkgroupMemory(MemRefType::get({elements}, elem));
}

/// A generic pointer to the tensor map of `memref` (global memory) in
/// boxes of `box` (its dimensions' order), made on the host before the
/// launch (nvgpu.tma.create.descriptor: the runtime encodes it) and passed
/// to the kernel as a pointer.
Value createTensorMap(OpBuilder &b, Location loc, Value memref,
                      ArrayRef<int64_t> box) {
  auto type = cast<MemRefType>(memref.getType());
  Value unranked = memref::CastOp::create(
      b, loc, UnrankedMemRefType::get(type.getElementType(), Attribute()),
      memref);
  auto mapType = nvgpu::TensorMapDescriptorType::get(
      b.getContext(),
      inWorkgroupMemory(MemRefType::get(box, type.getElementType())),
      nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
      nvgpu::TensorMapL2PromoKind::L2PROMO_NONE,
      nvgpu::TensorMapOOBKind::OOB_ZERO,
      nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
  IndexMath im{b, loc};
  SmallVector<Value> sizes;
  for (int64_t size : box)
    sizes.push_back(im.c(size));
  Value map =
      nvgpu::TmaCreateDescriptorOp::create(b, loc, mapType, unranked, sizes);
  return UnrealizedConversionCastOp::create(
             b, loc, LLVM::LLVMPointerType::get(b.getContext()), map)
      .getResult(0);
}

} // namespace

bool lowerToWgmma(linalg::LinalgOp op, const TensorCoreMatmul &mm,
                  const WgmmaLaunchShape &chosen) {
  WgmmaLaunchShape shape = chosen.resolved(mm.m, mm.n, mm.batch);
  WgmmaConfig config = launchConfig(shape);
  if (!takesWgmma(mm, config) ||
      !cast<MemRefType>(mm.c.getType()).getLayout().isIdentity())
    return false;
  Value aMap, bMap;
  if (config.tma) {
    // A in boxes of a stage (tileM x tileK), B of 64 columns (the widest
    // 128-byte swizzled box) of a stage's K.
    OpBuilder b(op);
    SmallVector<int64_t> aBox{config.tileM(), config.tileK},
        bBox{config.tileK, kSwizzleChunks * kChunk};
    if (mm.batched) {
      aBox.insert(aBox.begin(), 1);
      bBox.insert(bBox.begin(), 1);
    }
    aMap = createTensorMap(b, op.getLoc(), mm.a, aBox);
    bMap = createTensorMap(b, op.getLoc(), mm.b, bBox);
  }
  launchOverTiles(
      op, mm, config.tileM(), config.tileN, config.threads(),
      stagesType(config, mm.elem, true), stagesType(config, mm.elem, false),
      "wgmma_matmul",
      [&](OpBuilder &b, Location loc, const CtaTile &tile) {
        WgmmaKernelBuilder builder(b, loc, mm, tile, config);
        if (config.tma)
          builder.buildWithTma(aMap, bMap);
        else
          builder.build();
      },
      shape.groupM,
      // Swizzle atoms start on 1 KiB boundaries: dynamic shared memory,
      // which launchOverTiles aligns, even where the stages would fit in
      // static shared memory (aligned to 16 bytes).
      /*dynamic=*/config.swizzle);
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

namespace fungible {

WgmmaLaunchShape WgmmaLaunchShape::resolved(int64_t m, int64_t n,
                                            int64_t batch) const {
  WgmmaLaunchShape shape = *this;
  if (tileN)
    return shape;
  for (int64_t candidate : kAutoTileNs) {
    shape.tileN = candidate;
    int64_t ctas = llvm::divideCeil(m, 2 * gpu_kernels::kWarpgroupRows) *
                   llvm::divideCeil(n, candidate) * batch;
    if (ctas >= sms)
      break;
  }
  return shape;
}

std::string WgmmaLaunchShape::whyInvalid() const {
  // Checked with every tile N it may take when chosen per matmul.
  if (!tileN) {
    for (int64_t candidate : kAutoTileNs) {
      WgmmaLaunchShape shape = *this;
      shape.tileN = candidate;
      if (std::string why = shape.whyInvalid(); !why.empty())
        return why + " (tile N " + std::to_string(candidate) +
               ": one of those chosen per matmul)";
    }
    return "";
  }
  gpu_kernels::WgmmaConfig config = gpu_kernels::launchConfig(*this);
  int64_t sharedBytes = config.sharedBytes();
  std::string why;
  llvm::raw_string_ostream os(why);
  if (tileN < 8 || tileN > 256 || tileN % 8)
    os << "tile N " << tileN << " is not a wgmma N (8 to 256, by 8)";
  else if (tileK < gpu_kernels::kWgmmaK || tileK > 256 ||
           tileK % gpu_kernels::kWgmmaK)
    os << "tile K " << tileK << " is not a multiple of 16 from 16 to 256";
  else if (tma && !swizzle)
    os << "the TMA loads take the 128-byte swizzled layouts (wgmma_swizzle "
          "1)";
  else if (!tma && config.bStage() % (gpu_kernels::kChunk * config.threads()))
    os << "a stage of B (" << tileK << " x " << tileN
       << ") is not a whole number of 16-byte copies for each of the "
       << config.threads() << " threads";
  else if (stages < 2 || stages > 16)
    os << stages << " stages: from 2 to 16";
  else if (swizzle && (tileK != 64 || tileN % 64))
    os << "the 128-byte swizzled layouts take tile K 64 and tile N a "
          "multiple of 64, not "
       << tileK << " and " << tileN;
  else if (groupM < 1)
    os << "group M " << groupM << " is not positive";
  else if (sharedBytes + gpu_kernels::kDynamicSharedAlignment >
           gpu_kernels::kMaxSharedBytes)
    os << stages << " stages of " << config.tileM() << " x " << tileK << " and "
       << tileK << " x " << tileN << " take " << sharedBytes
       << " bytes of shared memory, more than a CTA of sm_90 has ("
       << gpu_kernels::kMaxSharedBytes << ")";
  return why;
}

} // namespace fungible
