//===- AttentionPrograms.cpp - Attention as one neuron program --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements neuron::mapAttentions (NeuronProgram.h): an
// attention (targets/Attention.h) becomes the program of its product with
// V, whose stationary tiles (the probabilities transposed, keys on the
// partitions) are made on chip. Per tile of up to 128 query rows (on the
// partitions) and block of 128 keys:
//   - Q^T's tile comes in by a transposing DMA; K^T's blocks (a DMA of the
//     transposed view of K) and V's come in with the first tile of each
//     head; the TensorEngine makes each block's f32 scores in a PSUM bank;
//   - the Vector engine masks them into the block's SBUF tile (its
//     indices from neuron.iota, offset by where the block lies; an
//     additive mask's blocks come in by DMA beside Q's tile);
//   - the softmax's steps run block by block (its folds continue from one
//     block to the next, in the reference's order);
//   - lanes past the last key are zeroed, and the TensorEngine transposes
//     each block of probabilities (neuron.transpose) into the stationary
//     tile of the product with V, whose K steps are the key blocks.
// The scores never go to HBM, as the cost model prices wl.attention. Each
// block is its own tile, so the blocks are unrolled (at most
// kMaxAttentionKeyBlocks).
//
//===----------------------------------------------------------------------===//

#include "targets/Attention.h"
#include "targets/trainium/NeuronProgram.h"
#include "targets/trainium/TrainiumLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <algorithm>

using namespace mlir;

namespace fungible {

int64_t neuronAttentionRows(int64_t sq, int64_t rowPeriod) {
  int64_t rows = std::min(sq, neuron::kPartitions);
  while (rowPeriod && rowPeriod % rows)
    --rows;
  return rows;
}

std::optional<int64_t> neuronAttentionPartitionBytes(int64_t sq, int64_t sk,
                                                     int64_t d, int64_t dv,
                                                     int64_t scoreTiles,
                                                     int64_t rowValues) {
  using neuron::kPartitions;
  int64_t blocks = ceilDiv(sk, kPartitions), tp = std::min(sq, kPartitions);
  if (d > kPartitions || dv > neuron::kMovingFree ||
      blocks > kMaxAttentionKeyBlocks)
    return std::nullopt;
  // Q^T's tile, K^T's blocks, the softmax's blocks and values, and the
  // transposed probabilities, per partition (V's blocks are the product's).
  return 4 * (tp + blocks * kPartitions + scoreTiles * blocks * kPartitions +
              rowValues + blocks * tp);
}

namespace neuron {
namespace {

/// Writes `a` as one program and returns it; null (the IR untouched) when
/// its tiles do not fit, its head dimension is over 128 or it has other
/// than f32 scores (AttentionChain::onChipTiles).
Operation *writeAttention(AttentionChain &a, int64_t sbufPartitionBytes) {
  ImplicitGemm &qk = a.scores;
  Type f32 = Float32Type::get(a.product->getContext());
  int64_t keys = a.keys(), blocks = ceilDiv(keys, kPartitions);
  int64_t tp = neuronAttentionRows(qk.m, a.maskRowPeriod());
  std::optional<AttentionChain::Tiles> softmax = a.onChipTiles();
  if (!softmax)
    return nullptr;
  // The probabilities, transposed, are the stationary tiles: of V's type.
  Type probsType = a.elementType(a.probabilities);
  std::optional<int64_t> bytes = neuronAttentionPartitionBytes(
      qk.m, keys, qk.k, a.values, softmax->wholeRows, softmax->rowValues);
  if (!bytes)
    return nullptr;
  OnChipStationary lhs;
  lhs.rows = tp;
  lhs.partitionBytes = *bytes;
  Value qT, scoresBank, transposedBank;
  SmallVector<Value> kT;
  // Per mask operand, its tile of each key block.
  SmallVector<SmallVector<Value>> maskTiles(a.maskOperands.size());
  llvm::DenseMap<Value, SmallVector<Value>> tiles;
  SmallVector<Value> stationary;
  Operation *program = nullptr;
  lhs.prepare = [&](OpBuilder &b) {
    qk.readTransposedOperandsInPlace(b);
    a.prepareViews(b);
  };
  lhs.allocate = [&](ProgramBuilder &p) {
    auto sbuf = [&](int64_t partitions, int64_t free, Type type) -> Value {
      return SbufAllocOp::create(p.b, p.loc,
                                 MemRefType::get({partitions, free}, type));
    };
    qT = sbuf(qk.k, tp, qk.in);
    for (int64_t c = 0; c < blocks; ++c) {
      kT.push_back(sbuf(qk.k, kPartitions, qk.in));
      for (auto [mask, operand] : llvm::zip(maskTiles, a.maskOperands))
        mask.push_back(sbuf(tp, kPartitions, a.elementType(operand)));
    }
    scoresBank = PsumAllocOp::create(p.b, p.loc,
                                     MemRefType::get({tp, kPartitions}, f32));
    transposedBank = PsumAllocOp::create(
        p.b, p.loc, MemRefType::get({kPartitions, tp}, f32));
    for (auto &[root, buffer] : a.softmax.buffers) {
      bool perRow = buffer.kind == RowOperand::PerRow;
      for (int64_t c = 0; c < (perRow ? 1 : blocks); ++c)
        tiles[root].push_back(
            sbuf(tp, perRow ? 1 : kPartitions, a.elementType(root)));
    }
    for (int64_t c = 0; c < blocks; ++c)
      stationary.push_back(sbuf(kPartitions, tp, probsType));
  };
  lhs.produce = [&](ProgramBuilder &p, ValueRange lead,
                    Value row) -> SmallVector<Value> {
    OpBuilder &b = p.b;
    Location loc = p.loc;
    program = enclosingProgram(b);
    Value zero = p.index(0);
    // Each engine op waits for the DMAs and every op before it.
    auto serial = [&](Engine engine) {
      p.wait(engine, Loaded);
      p.wait(engine, Computed);
    };
    TileAddress q = qk.aTile(b, loc, lead, row, zero, zero);
    p.wait(Engine::Sync, Computed);
    DmaLoadOp::create(b, loc, q.hbm, q.indices, qT, /*transpose=*/true,
                      p.sem(Loaded));
    // The mask's tiles beside each block of scores.
    for (auto [i, mask] : llvm::enumerate(maskTiles))
      for (int64_t c = 0; c < blocks; ++c) {
        TileAddress m =
            a.maskTile(b, loc, i, lead, row, p.index(c * kPartitions));
        DmaLoadOp::create(b, loc, m.hbm, m.indices, mask[c],
                          /*transpose=*/false, p.sem(Loaded));
      }
    // K^T's blocks are the same for every tile of a head's queries: loaded
    // with the first.
    p.ifFirst(row, [&] {
      for (int64_t c = 0; c < blocks; ++c) {
        TileAddress kBlock =
            qk.bTile(b, loc, lead, p.index(c * kPartitions), zero, zero);
        DmaLoadOp::create(b, loc, kBlock.hbm, kBlock.indices, kT[c],
                          /*transpose=*/false, p.sem(Loaded));
      }
    });
    SmallVector<Value> &input = tiles[a.softmaxInput];
    for (int64_t c = 0; c < blocks; ++c) {
      Value c0 = p.index(c * kPartitions);
      serial(Engine::Tensor);
      MatmulOp::create(b, loc, qT, kT[c], scoresBank,
                       arith::ConstantIntOp::create(b, loc, 1, 1),
                       p.sem(Computed));
      serial(Engine::Vector);
      SmallVector<Value> ins = {scoresBank};
      for (SmallVector<Value> &mask : maskTiles)
        ins.push_back(mask[c]);
      p.elementwise(Engine::Vector, ins, input[c],
                    [&](OpBuilder &nb, ValueRange args) {
                      Value r = arith::AddIOp::create(
                          nb, loc, row, IotaOp::create(nb, loc, 0));
                      Value col = arith::AddIOp::create(
                          nb, loc, c0, IotaOp::create(nb, loc, 1));
                      return a.applyMask(nb, loc, args[0], args.drop_front(), r,
                                         col);
                    });
    }
    // The softmax, step by step, each over every block in order.
    for (const RowChain::Step &step : a.softmax.steps) {
      Engine engine = step.fill ? Engine::Vector : engineFor(step.op);
      bool perRow = a.softmax.bufferOf(step.output).kind == RowOperand::PerRow;
      int64_t times = perRow && !step.fold ? 1 : blocks;
      for (int64_t c = 0; c < times; ++c) {
        auto tileOf = [&](Value value) {
          SmallVector<Value> &t = tiles[RowChain::rootOf(value)];
          return t.size() == 1 ? t.front() : t[c];
        };
        SmallVector<Value> ins;
        for (Value in : step.inputs)
          ins.push_back(tileOf(in));
        linalg::LinalgOp op = step.op;
        auto body = [&](OpBuilder &nb, ValueRange args) {
          return cloneScalarBody(nb, op, args);
        };
        serial(engine);
        if (step.fold)
          p.fold(engine, ins, tileOf(step.output),
                 p.index(std::min(kPartitions, keys - c * kPartitions)), body);
        else
          p.elementwise(engine, ins, tileOf(step.output), body);
      }
    }
    // Per-row values read after the product (its epilogue's reciprocals of
    // the rows' sums) go to HBM before its tiles read them.
    if (!a.rowOutputs.empty())
      p.wait(Engine::Sync, Computed);
    for (auto [i, root] : llvm::enumerate(a.rowOutputs)) {
      TileAddress t = a.rowOutputTile(b, loc, i, lead, row);
      DmaStoreOp::create(b, loc, tiles[root].front(), t.hbm, t.indices,
                         p.sem(Stored));
    }
    if (!a.rowOutputs.empty())
      p.wait(Engine::Sync, Stored);
    SmallVector<Value> &probs = tiles[a.probabilities];
    if (keys % kPartitions) {
      // Lanes past the last key: zeros (what the softmax left may be inf).
      serial(Engine::Vector);
      p.elementwise(
          Engine::Vector, probs.back(), probs.back(),
          [&](OpBuilder &nb, ValueRange args) {
            Value inside = arith::CmpIOp::create(
                nb, loc, arith::CmpIPredicate::ult, IotaOp::create(nb, loc, 1),
                arith::ConstantIndexOp::create(nb, loc, keys % kPartitions));
            return arith::SelectOp::create(
                nb, loc, inside, args[0],
                arith::ConstantOp::create(nb, loc, nb.getZeroAttr(probsType)));
          });
    }
    // Keys onto the partitions: the product with V's stationary tiles
    // (bf16 probabilities pass through the f32 bank unchanged, and back).
    for (int64_t c = 0; c < blocks; ++c) {
      serial(Engine::Tensor);
      TransposeOp::create(b, loc, probs[c], transposedBank, p.sem(Computed));
      serial(Engine::Vector);
      p.elementwise(Engine::Vector, transposedBank, stationary[c],
                    [&](OpBuilder &nb, ValueRange args) -> Value {
                      if (probsType == f32)
                        return args[0];
                      return arith::TruncFOp::create(nb, loc, probsType,
                                                     args[0]);
                    });
    }
    return stationary;
  };
  if (!mapMatmul(a.product, sbufPartitionBytes, &lhs))
    return nullptr;
  return program;
}

} // namespace

bool mapAttentions(Operation *func, int64_t sbufPartitionBytes) {
  return fungible::mapAttentions(func, [&](AttentionChain &a) {
    return writeAttention(a, sbufPartitionBytes);
  });
}

} // namespace neuron
} // namespace fungible
