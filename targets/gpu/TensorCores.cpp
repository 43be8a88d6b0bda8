//===- TensorCores.cpp - The GPU's tensor-core matmul kernel ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the tensor-core matmul kernel (TensorCores.h): one
// CTA of 4 warps per kBlockM x kBlockN tile of C, the K loop staging A and
// B through shared memory, mma.sync on PTX fragments.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/TensorCores.h"
#include "targets/LoweringSupport.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace fungible::gpu_kernels {

std::optional<TensorCoreMatmul> matchTensorCoreMatmul(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  TensorCoreMatmul mm;
  MLIRContext *ctx = op->getContext();
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation())) {
    if (matmul.getIndexingMapsArray() !=
        linalg::MatmulOp::getDefaultIndexingMaps(ctx))
      return std::nullopt;
  } else if (auto bmm = dyn_cast<linalg::BatchMatmulOp>(op.getOperation())) {
    if (bmm.getIndexingMapsArray() !=
        linalg::BatchMatmulOp::getDefaultIndexingMaps(ctx))
      return std::nullopt;
    mm.batched = true;
  } else {
    return std::nullopt;
  }
  mm.a = op.getDpsInputOperand(0)->get();
  mm.b = op.getDpsInputOperand(1)->get();
  mm.c = op.getDpsInitOperand(0)->get();
  auto aType = dyn_cast<MemRefType>(mm.a.getType());
  auto bType = dyn_cast<MemRefType>(mm.b.getType());
  auto cType = dyn_cast<MemRefType>(mm.c.getType());
  if (!aType || !bType || !cType ||
      !takesTensorCoreOperands(aType, bType, cType, mm.batched))
    return std::nullopt;
  mm.elem = aType.getElementType();
  mm.accElem = cType.getElementType();
  ArrayRef<int64_t> cShape = cType.getShape();
  unsigned rank = cShape.size();
  mm.m = cShape[rank - 2];
  mm.n = cShape[rank - 1];
  mm.k = aType.getShape()[rank - 1];
  mm.batch = mm.batched ? cShape[0] : 1;
  return mm;
}

bool takesTensorCoreOperands(ShapedType a, ShapedType b, ShapedType c,
                             bool batched) {
  if (!a.hasStaticShape() || !b.hasStaticShape() || !c.hasStaticShape())
    return false;
  Type elem = a.getElementType(), acc = c.getElementType();
  if (!(elem.isF16() || elem.isBF16()) || b.getElementType() != elem ||
      !(acc == elem || acc.isF32()))
    return false;
  ArrayRef<int64_t> cShape = c.getShape();
  int64_t m = cShape[cShape.size() - 2], batch = batched ? cShape[0] : 1;
  return ceilDiv(m, kBlockM) <= kMaxGridYZ && batch <= kMaxGridYZ;
}

Value loadOrZero(OpBuilder &b, Location loc, Value mem, ValueRange indices,
                 Value inBounds) {
  if (!inBounds)
    return memref::LoadOp::create(b, loc, mem, indices);
  Type type = cast<MemRefType>(mem.getType()).getElementType();
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{type}, inBounds,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(
      b, loc, memref::LoadOp::create(b, loc, mem, indices).getResult());
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(
      b, loc,
      arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, 0.0))
          .getResult());
  return ifOp.getResult(0);
}

Value initialAccumulator(OpBuilder &b, Location loc, const TensorCoreMatmul &mm,
                         ValueRange indices, Value inBounds) {
  Type f32 = b.getF32Type();
  if (mm.zeroInit)
    return arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0.0));
  Value x = loadOrZero(b, loc, mm.c, indices, inBounds);
  if (x.getType() != f32)
    x = arith::ExtFOp::create(b, loc, f32, x);
  return x;
}

void storeAccumulator(OpBuilder &b, Location loc, Value acc, Value mem,
                      ValueRange indices, Value inBounds) {
  Type type = cast<MemRefType>(mem.getType()).getElementType();
  if (acc.getType() != type)
    acc = arith::TruncFOp::create(b, loc, type, acc);
  OpBuilder::InsertionGuard guard(b);
  if (inBounds) {
    auto ifOp = scf::IfOp::create(b, loc, inBounds);
    b.setInsertionPointToStart(ifOp.thenBlock());
  }
  memref::StoreOp::create(b, loc, acc, mem, indices);
}

Value TensorCoreKernelBuilder::guardedLoad(Value mem, Value r, Value c,
                                           Value inBounds) {
  return loadOrZero(b, loc, mem, indices(r, c), inBounds);
}

void TensorCoreKernelBuilder::stageTiles(Value k0) {
  bool checkM = mm.m % kBlockM, checkN = mm.n % kBlockN,
       checkK = mm.k % kBlockK;
  // Both tiles hold kBlockK x 64 elements: kPerThread each per thread,
  // consecutive threads on consecutive global addresses. Unrolled here:
  // the kernel's loop bounds are parameters (fungible-gpu-sink-constants),
  // so LLVM would not.
  static_assert(kBlockM == kBlockN, "A and B tiles are staged alike");
  constexpr int64_t kPerThread = kBlockM * kBlockK / kThreads;
  for (int64_t i = 0; i < kPerThread; ++i)
    stageElements(im.add(tid, i * kThreads), k0, checkM, checkN, checkK);
}

void TensorCoreKernelBuilder::stageElements(Value idx, Value k0, bool checkM,
                                            bool checkN, bool checkK) {
  Value as = tile.as, bs = tile.bs;
  // Element idx of a tile `cols` wide is global[row0 + idx / cols]
  // [col0 + idx % cols] (consecutive threads, consecutive addresses),
  // stored at smem[r][c], or smem[c][r] when `transpose`.
  auto stage = [&](Value global, Value smem, int64_t cols, Value row0,
                   Value col0, int64_t rowLimit, int64_t colLimit,
                   bool checkRow, bool checkCol, bool transpose) {
    Value r = im.div(idx, cols), c = im.rem(idx, cols);
    Value gr = im.add(row0, r), gc = im.add(col0, c);
    Value v = guardedLoad(
        global, gr, gc,
        im.inBounds(gr, rowLimit, checkRow, gc, colLimit, checkCol));
    memref::StoreOp::create(b, loc, v, smem,
                            transpose ? ValueRange{c, r} : ValueRange{r, c});
  };
  // A as As[m][k]; B (k x n, read n fastest) as Bs[n][k].
  stage(mm.a, as, kBlockK, m0, k0, mm.m, mm.k, checkM, checkK, false);
  stage(mm.b, bs, kBlockN, k0, n0, mm.k, mm.n, checkK, checkN, true);
}

Value TensorCoreKernelBuilder::loadPair(Value smem, Value row, Value col) {
  auto pairType = VectorType::get({2}, mm.elem);
  Value pair =
      vector::LoadOp::create(b, loc, pairType, smem, ValueRange{row, col},
                             /*nontemporal=*/false,
                             /*alignment=*/llvm::MaybeAlign(4));
  // NVVM takes bf16 pairs as i32 and f16 pairs as vector<2xf16>.
  if (mm.elem.isF16())
    return pair;
  return LLVM::BitcastOp::create(b, loc, b.getI32Type(), pair);
}

void TensorCoreKernelBuilder::build() {
  Value warp = im.div(tid, kWarpSize);
  lane = im.rem(tid, kWarpSize);
  g = im.div(lane, 4);
  t = im.rem(lane, 4);
  warpRow = im.mul(im.div(warp, kWarpsN), kWarpM);
  warpCol = im.mul(im.rem(warp, kWarpsN), kWarpN);
  Type f32 = b.getF32Type();
  bool checkM = mm.m % kBlockM, checkN = mm.n % kBlockN;

  // The accumulators' C coordinates: fragment (i, j), value v.
  auto accCoords = [&](int64_t i, int64_t j, int64_t v) {
    Value r = im.add(im.add(m0, warpRow), i * kMmaM + (v / 2) * 8);
    Value c = im.add(im.add(n0, warpCol), j * kMmaN + v % 2);
    return std::make_pair(im.add(r, g), im.add(c, im.mul(t, 2)));
  };
  auto accBounds = [&](Value r, Value c) {
    return im.inBounds(r, mm.m, checkM, c, mm.n, checkN);
  };

  // linalg.matmul accumulates into C: start from it (or from +0).
  SmallVector<Value> init;
  for (int64_t i = 0; i < kFragsM; ++i)
    for (int64_t j = 0; j < kFragsN; ++j)
      for (int64_t v = 0; v < 4; ++v) {
        auto [r, c] = accCoords(i, j, v);
        init.push_back(
            initialAccumulator(b, loc, mm, indices(r, c), accBounds(r, c)));
      }

  auto kLoop =
      scf::ForOp::create(b, loc, im.c(0), im.c(mm.k), im.c(kBlockK), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    stageTiles(kLoop.getInductionVar());
    gpu::BarrierOp::create(b, loc);
    SmallVector<Value> acc(kLoop.getRegionIterArgs());
    Value as = tile.as, bs = tile.bs;
    auto structType = LLVM::LLVMStructType::getLiteral(
        b.getContext(), SmallVector<Type>(4, f32));
    NVVM::MMATypes ptxType =
        mm.elem.isBF16() ? NVVM::MMATypes::bf16 : NVVM::MMATypes::f16;
    Value t2 = im.mul(t, 2);
    for (int64_t kk = 0; kk < kBlockK; kk += kMmaK) {
      Value col = im.add(t2, kk), colHi = im.add(t2, kk + 8);
      SmallVector<SmallVector<Value, 4>> aRegs(kFragsM), bRegs(kFragsN);
      for (int64_t i = 0; i < kFragsM; ++i) {
        Value row = im.add(im.add(warpRow, g), i * kMmaM);
        Value rowHi = im.add(row, 8);
        aRegs[i] = {loadPair(as, row, col), loadPair(as, rowHi, col),
                    loadPair(as, row, colHi), loadPair(as, rowHi, colHi)};
      }
      for (int64_t j = 0; j < kFragsN; ++j) {
        Value n = im.add(im.add(warpCol, g), j * kMmaN);
        bRegs[j] = {loadPair(bs, n, col), loadPair(bs, n, colHi)};
      }
      for (int64_t i = 0; i < kFragsM; ++i)
        for (int64_t j = 0; j < kFragsN; ++j) {
          MutableArrayRef<Value> c =
              MutableArrayRef<Value>(acc).slice((i * kFragsN + j) * 4, 4);
          Value d = NVVM::MmaOp::create(
              b, loc, structType, aRegs[i], bRegs[j], SmallVector<Value>(c),
              ArrayRef<int64_t>{kMmaM, kMmaN, kMmaK},
              /*b1Op=*/std::nullopt, /*intOverflow=*/std::nullopt,
              std::array<NVVM::MMATypes, 2>{ptxType, ptxType},
              std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                             NVVM::MMALayout::col});
          for (int64_t v = 0; v < 4; ++v)
            c[v] = LLVM::ExtractValueOp::create(b, loc, d, v);
        }
    }
    // The next iteration overwrites the tiles.
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, acc);
  }

  for (int64_t i = 0; i < kFragsM; ++i)
    for (int64_t j = 0; j < kFragsN; ++j)
      for (int64_t v = 0; v < 4; ++v) {
        auto [r, c] = accCoords(i, j, v);
        storeAccumulator(b, loc, kLoop.getResult((i * kFragsN + j) * 4 + v),
                         mm.c, indices(r, c), accBounds(r, c));
      }
}

MemRefType inWorkgroupMemory(MemRefType type) {
  return MemRefType::Builder(type).setMemorySpace(gpu::AddressSpaceAttr::get(
      type.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace()));
}

MemRefType stagingType(Type elem) {
  return inWorkgroupMemory(MemRefType::get({kBlockM, kSmemRow}, elem));
}

void launchOverTiles(
    linalg::LinalgOp op, const TensorCoreMatmul &mm, int64_t tileM,
    int64_t tileN, int64_t threads, MemRefType aType, MemRefType bType,
    StringRef name,
    llvm::function_ref<void(OpBuilder &, Location, const CtaTile &)> build,
    int64_t groupM, bool dynamic) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  IndexMath im{b, loc};
  auto bytesOf = [](MemRefType type) {
    return type.getNumElements() * type.getElementTypeBitWidth() / 8;
  };
  int64_t aBytes = bytesOf(aType), sharedBytes = aBytes + bytesOf(bType);
  dynamic |= sharedBytes > kMaxStaticSharedBytes;
  if (dynamic)
    sharedBytes += kDynamicSharedAlignment;
  int64_t nTiles = ceilDiv(mm.n, tileN), mTiles = ceilDiv(mm.m, tileM);
  auto launch = gpu::LaunchOp::create(
      b, loc, im.c(nTiles), im.c(mTiles), im.c(mm.batch), im.c(threads),
      im.c(1), im.c(1),
      dynamic
          ? arith::ConstantIntOp::create(b, loc, b.getI32Type(), sharedBytes)
                .getResult()
          : Value(),
      /*asyncTokenType=*/nullptr, /*asyncDependencies=*/{},
      dynamic ? TypeRange{} : TypeRange{aType, bType});
  launch->setAttr("fungible.kernel", b.getStringAttr(name));
  OpBuilder body = OpBuilder::atBlockBegin(&launch.getBody().front());
  IndexMath bim{body, loc};
  gpu::KernelDim3 blockIds = launch.getBlockIds();
  Value mTile = blockIds.y, nTile = blockIds.x;
  if (groupM > 1 && mTiles > 1) {
    // CTA pid takes the tile at row firstM + (pid % perGroup) % rows and
    // column (pid % perGroup) / rows of its group of `rows` rows of tiles
    // (groupM, fewer in a last, partial group).
    int64_t perGroup = groupM * nTiles;
    Value pid = bim.add(bim.mul(blockIds.y, nTiles), blockIds.x);
    Value firstM = bim.mul(bim.div(pid, perGroup), groupM);
    Value inGroup = bim.rem(pid, perGroup);
    Value rows = bim.c(groupM);
    if (mTiles % groupM)
      rows = arith::MinUIOp::create(
          body, loc, rows,
          arith::SubIOp::create(body, loc, bim.c(mTiles), firstM));
    mTile = bim.add(firstM, arith::RemUIOp::create(body, loc, inGroup, rows));
    nTile = arith::DivUIOp::create(body, loc, inGroup, rows);
  }
  Value as, bs;
  if (dynamic) {
    auto bytes = MemRefType::get(
        {ShapedType::kDynamic}, body.getI8Type(), MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(
            b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace()));
    Value shared = gpu::DynamicSharedMemoryOp::create(body, loc, bytes);
    // The first 1 KiB boundary: (-address) % 1024 bytes on.
    Value address =
        memref::ExtractAlignedPointerAsIndexOp::create(body, loc, shared);
    Value skip = bim.rem(
        arith::SubIOp::create(body, loc, bim.c(kDynamicSharedAlignment),
                              bim.rem(address, kDynamicSharedAlignment)),
        kDynamicSharedAlignment);
    as = memref::ViewOp::create(body, loc, aType, shared, skip, ValueRange{});
    bs = memref::ViewOp::create(body, loc, bType, shared, bim.add(skip, aBytes),
                                ValueRange{});
  } else {
    as = launch.getWorkgroupAttributions()[0];
    bs = launch.getWorkgroupAttributions()[1];
  }
  CtaTile tile{launch.getThreadIds().x,
               bim.mul(mTile, tileM),
               bim.mul(nTile, tileN),
               blockIds.z,
               as,
               bs};
  build(body, loc, tile);
  gpu::TerminatorOp::create(body, loc);
  op->erase();
}

void lowerToTensorCores(linalg::LinalgOp op, const TensorCoreMatmul &mm) {
  MemRefType smemType = stagingType(mm.elem);
  launchOverTiles(op, mm, kBlockM, kBlockN, kThreads, smemType, smemType,
                  "tensor_core_matmul",
                  [&](OpBuilder &b, Location loc, const CtaTile &tile) {
                    TensorCoreKernelBuilder(b, loc, mm, tile).build();
                  });
}

} // namespace fungible::gpu_kernels
