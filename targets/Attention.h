//===- Attention.h - Attention as one program -------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what a family needs to write an attention (a
// `wl.attention`, or the same ops written out by an importer) as one
// program, with the scores kept on chip as the cost models price it.
// Bufferised, an attention is a (batch) matmul Q K^T into the scores, an
// optional elementwise op on them (the scaling and the causal mask, which
// reads the element's indices, and an additive mask, read element by
// element beside the scores), a softmax (a RowChain: its row folds and
// steps over the scores' rows) and a (batch) matmul of its probabilities
// with V. A family's program computes, per tile of query rows, the scores
// against every key, the mask and the softmax on chip, and feeds the
// probabilities to the product with V as its A tile.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_ATTENTION_H
#define FUNGIBLE_TARGETS_ATTENTION_H

#include "targets/RowChains.h"
#include "targets/TiledOps.h"

#include <optional>

namespace fungible {

/// An attention found around a softmax row chain.
struct AttentionChain {
  /// S = Q K^T (a linalg.matmul or linalg.batch_matmul after a zero fill).
  ImplicitGemm scores;
  mlir::linalg::FillOp scoresFill;
  /// The elementwise op on the scores before the softmax (null: none).
  /// Its input `scoresInput` is the scores; it reads its others (an
  /// additive mask's operands) at the scores' element, each through a
  /// strided view over the scores' shape (`maskOperands`: the operands,
  /// then, after prepareMaskViews, their views).
  mlir::linalg::GenericOp mask;
  unsigned scoresInput = 0;
  llvm::SmallVector<mlir::Value, 1> maskOperands;
  /// Nonzero when the mask runs over the query heads of a group folded
  /// into the product's rows (grouped-query attention): its row index is
  /// the product's row modulo this, the rows of one query head.
  int64_t headRows = 0;
  /// The softmax; it reads `softmaxInput` (the scores, or the mask's
  /// result) and writes `probabilities`, read only by `product`.
  RowChain softmax;
  mlir::Value softmaxInput, probabilities;
  /// Per-row buffers the softmax writes that are read after the product
  /// (an attention normalised after it: the reciprocals of the rows' sums,
  /// which the product's epilogue multiplies its rows by). The program
  /// stores each row tile's values before the product's tiles that read
  /// them (`rowOutputTile`).
  llvm::SmallVector<mlir::Value, 1> rowOutputs;
  /// O = P V (a linalg.matmul or linalg.batch_matmul).
  mlir::linalg::LinalgOp product;

  /// The columns of V (the product's N).
  int64_t values = 0;

  /// Number of keys (the softmax's columns, the product's K).
  int64_t keys() const { return softmax.cols; }

  /// The softmax's buffers as tiles a family allocates: whole rows of
  /// scores (or of what the softmax makes of them) and per-row values.
  struct Tiles {
    int64_t wholeRows = 0, rowValues = 0;
  };
  /// Its tiles when the families' programs take it, else nullopt: the
  /// scores accumulate in f32 and the softmax is f32 (the families'
  /// programs keep f32 scores) but for the probabilities, which may be
  /// rounded to the product's narrower operand type (a bf16 attention's);
  /// mask operands are of any float type (each tile in its own).
  std::optional<Tiles> onChipTiles() const;

  /// The element type of `buffer` (a softmax buffer's root or a mask
  /// operand), which its tile has.
  mlir::Type elementType(mlir::Value buffer) const;

  /// Before the program, at `b`: replaces `maskOperands` by their views
  /// over the scores' shape (memref.reinterpret_cast; stride 0 where the
  /// mask is broadcast), and makes the views `lead... x m x 1` of
  /// `rowOutputs` that rowOutputTile addresses.
  void prepareViews(mlir::OpBuilder &b);

  /// Where the values of the rows of the scores' tile at (`lead`, `row`)
  /// go in row output `i` (its prepared view), built at `b`: a store of a
  /// tile of rows keeps those of the view, the rest of the tile is past
  /// its head's rows.
  TileAddress rowOutputTile(mlir::OpBuilder &b, mlir::Location loc, unsigned i,
                            mlir::ValueRange lead, mlir::Value row) const;

  /// The tile of mask operand `i` (its prepared view) beside the scores'
  /// tile at (`lead`, `row`, `col`) (ImplicitGemm's output indices), built
  /// at `b`: a dimension the operand repeats along (a mask the query
  /// heads of a group share) is read modulo its period.
  TileAddress maskTile(mlir::OpBuilder &b, mlir::Location loc, unsigned i,
                       mlir::ValueRange lead, mlir::Value row,
                       mlir::Value col) const;

  /// The rows after which every mask operand repeats (the gcd of their
  /// row periods), 0 when none does: what row tiles must divide, so that
  /// each lies within one run (chooseMxuAttentionTiling and
  /// neuronAttentionRows choose such tiles).
  int64_t maskRowPeriod() const;

  /// The mask's body on the scalar `score` of the tile element at row
  /// `row` and column `col` of its scores' matrix (the last two indices;
  /// the mask reads no other) and the scalars `operands` of its mask
  /// operands there, built at `b`; `score` when there is no mask.
  mlir::Value applyMask(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value score, mlir::ValueRange operands,
                        mlir::Value row, mlir::Value col) const;

  /// Once a program at the product replaced it all: erases the scores'
  /// product, its fill, the mask and the softmax's steps, and moves the
  /// frees among them after `program`.
  void erase(mlir::Operation *program);

private:
  friend std::optional<AttentionChain> matchAttention(const RowChain &);
  /// matchAttention on `chain` as it is.
  static std::optional<AttentionChain> match(const RowChain &chain);
  /// Frees between the scores' product and the product with V.
  llvm::SmallVector<mlir::Operation *> frees;
  /// Per mask operand: the strides of its view over the scores' shape,
  /// and per dimension the period it repeats with and the divisor its
  /// index is read with, or 0 (reshapeStrides).
  llvm::SmallVector<llvm::SmallVector<int64_t>, 1> maskStrides, maskPeriods,
      maskDivisors;
  /// The views of `rowOutputs` (prepareViews).
  llvm::SmallVector<mlir::Value, 1> rowOutputViews;
};

/// The attention whose softmax is `chain`, if it is one: the chain reads
/// one buffer (the scores, or a mask's result over them and operands
/// defined before the scores' product that it reads element by element) and
/// writes one that is read after it only as the A operand of a matmul whose K
/// is its columns; both products have the same leading dimensions and rows, and
/// nothing between them but the chain, the mask, fills, views and frees.
std::optional<AttentionChain> matchAttention(const RowChain &chain);

/// Finds the attentions of `func` (matchAttention on each of its row
/// chains), then hands each to `write`, which writes its program and
/// returns it (the attention's ops are then erased) or returns null
/// without touching the IR. Whether any was written.
bool mapAttentions(
    mlir::Operation *func,
    llvm::function_ref<mlir::Operation *(AttentionChain &)> write);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_ATTENTION_H
