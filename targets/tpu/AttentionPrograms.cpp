//===- AttentionPrograms.cpp - Attention as one mxu program -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements tpu::mapAttentions (MxuProgram.h): an attention
// (targets/Attention.h) whose tiles fit in VMEM (chooseMxuAttentionTiling)
// becomes the program of its product with V, whose A tile (the
// probabilities of `tm` query rows against every key) is made on chip:
//   - Q's tile comes in by DMA, K^T whole (through a transposed view of K)
//     and V whole with the first tile of each head, and the MXU multiplies
//     Q's tile and K^T into an f32 scores tile;
//   - the mask runs on the VPU, its indices the tile's row and lane
//     (mxu.iota) offset by where the tile lies, an additive mask's tile
//     loaded beside Q's;
//   - the softmax's steps run on the tiles (writeRowChainSteps), the
//     probabilities into the A tile (in V's type: a bf16 attention's are
//     rounded by the softmax's last step); lanes past the last key are
//     zeroed;
//   - the product with V and its epilogue are the matmul program's.
// The scores never go to HBM, as the cost model prices wl.attention.
//
//===----------------------------------------------------------------------===//

#include "targets/Attention.h"
#include "targets/tpu/MxuProgram.h"
#include "targets/tpu/TpuLowering.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

namespace fungible::tpu {
namespace {

/// Writes `a` as one program and returns it; null (the IR untouched) when
/// its tiles do not fit in `vmemBytes` or it has other than f32 scores
/// (AttentionChain::onChipTiles).
Operation *writeAttention(AttentionChain &a, int64_t dim, int64_t vmemBytes) {
  ImplicitGemm &qk = a.scores;
  Type f32 = Float32Type::get(a.product->getContext());
  std::optional<AttentionChain::Tiles> softmax = a.onChipTiles();
  if (!softmax)
    return nullptr;
  // The scores' accumulator is a tile of its own when a mask follows it.
  std::optional<MxuAttentionTiling> tiling = chooseMxuAttentionTiling(
      qk.m, a.keys(), qk.k, a.values, vmemBytes, byteWidth(qk.in), dim,
      softmax->wholeRows + (a.mask ? 1 : 0), softmax->rowValues,
      a.maskRowPeriod());
  if (!tiling)
    return nullptr;
  int64_t tm = tiling->rows, keyLanes = tiling->keyLanes;

  Value qBuf, kBuf, scoresBuf;
  SmallVector<Value> maskBufs;
  llvm::DenseMap<Value, Value> tiles;
  Operation *program = nullptr;
  OnChipLhs lhs;
  lhs.rows = tm;
  lhs.vmemBytes = tiling->producerBytes;
  lhs.prepare = [&](OpBuilder &b) {
    qk.readTransposedOperandsInPlace(b);
    a.prepareViews(b);
  };
  lhs.allocate = [&](ProgramBuilder &p) {
    qBuf = p.alloc(1, tm, tiling->headLanes, qk.in);
    kBuf = p.alloc(1, tiling->headLanes, keyLanes, qk.in);
    scoresBuf = p.alloc(1, tm, keyLanes, f32);
    for (Value operand : a.maskOperands)
      maskBufs.push_back(p.alloc(1, tm, keyLanes, a.elementType(operand)));
    if (!a.mask)
      tiles[a.softmaxInput] = scoresBuf;
    for (auto &[root, buffer] : a.softmax.buffers)
      if (!tiles.count(root)) {
        auto [rows, lanes] = rowTileShape(buffer.kind, tm, keyLanes);
        tiles[root] = p.alloc(1, rows, lanes, a.elementType(root));
      }
    return tiles[a.probabilities];
  };
  lhs.produce = [&](ProgramBuilder &p, ValueRange lead, Value row,
                    Value probs) {
    OpBuilder &b = p.b;
    Location loc = p.loc;
    program = enclosingProgram(b);
    Value zero = p.index(0);
    // K^T is the same for every tile of a head's queries: loaded with the
    // first.
    p.ifFirst(row, [&] {
      TileAddress kT = qk.bTile(b, loc, lead, zero, zero, zero);
      mxu::DmaLoadOp::create(b, loc, kT.hbm, kT.indices, kBuf, zero);
      mxu::DmaWaitOp::create(b, loc, kBuf, zero);
    });
    TileAddress q = qk.aTile(b, loc, lead, row, zero, zero);
    mxu::DmaLoadOp::create(b, loc, q.hbm, q.indices, qBuf, zero);
    // The mask's tiles beside the scores'.
    for (auto [i, maskBuf] : llvm::enumerate(maskBufs)) {
      TileAddress m = a.maskTile(b, loc, i, lead, row, zero);
      mxu::DmaLoadOp::create(b, loc, m.hbm, m.indices, maskBuf, zero);
    }
    mxu::DmaWaitOp::create(b, loc, qBuf, zero);
    for (Value maskBuf : maskBufs)
      mxu::DmaWaitOp::create(b, loc, maskBuf, zero);
    p.vpu({}, zero, scoresBuf, zero, [&](OpBuilder &nb, ValueRange) -> Value {
      return arith::ConstantOp::create(nb, loc, nb.getZeroAttr(f32));
    });
    mxu::MatmulOp::create(b, loc, qBuf, zero, kBuf, zero, scoresBuf, zero,
                          b.getI64IntegerAttr(dim));
    if (a.mask) {
      SmallVector<Value> ins = {scoresBuf};
      ins.append(maskBufs);
      p.vpu(ins, zero, tiles[a.softmaxInput], zero,
            [&](OpBuilder &nb, ValueRange args) {
              Value r = arith::AddIOp::create(nb, loc, row,
                                              mxu::IotaOp::create(nb, loc, 0));
              Value c = mxu::IotaOp::create(nb, loc, 1);
              return a.applyMask(nb, loc, args[0], args.drop_front(), r, c);
            });
    }
    writeRowChainSteps(p, a.softmax, [&](Value root) { return tiles[root]; });
    // Per-row values read after the product (its epilogue's reciprocals of
    // the rows' sums) go to HBM before its tiles read them.
    for (auto [i, root] : llvm::enumerate(a.rowOutputs)) {
      TileAddress t = a.rowOutputTile(b, loc, i, lead, row);
      mxu::DmaStoreOp::create(b, loc, tiles[root], zero, t.hbm, t.indices);
      mxu::DmaWaitOp::create(b, loc, tiles[root], zero);
    }
    if (keyLanes == a.keys())
      return;
    // Lanes past the last key meet V's zero rows: make them zeros too
    // (what the softmax left there may be inf).
    Type element = a.elementType(a.probabilities);
    p.vpu(probs, zero, probs, zero, [&](OpBuilder &nb, ValueRange args) {
      Value inside = arith::CmpIOp::create(
          nb, loc, arith::CmpIPredicate::ult, mxu::IotaOp::create(nb, loc, 1),
          arith::ConstantIndexOp::create(nb, loc, a.keys()));
      return arith::SelectOp::create(
          nb, loc, inside, args[0],
          arith::ConstantOp::create(nb, loc, nb.getZeroAttr(element)));
    });
  };
  if (!mapMatmul(a.product, dim, vmemBytes, &lhs))
    return nullptr;
  return program;
}

} // namespace

bool mapAttentions(Operation *func, int64_t dim, int64_t vmemBytes) {
  return fungible::mapAttentions(func, [&](AttentionChain &a) {
    return writeAttention(a, dim, vmemBytes);
  });
}

} // namespace fungible::tpu
