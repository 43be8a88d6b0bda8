//===- TiledOps.h - The tiled ops of the TPU and Trainium -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the TPU and Trainium lowerings share to tile the
// ops with an input window or a reduction dimension, and where each of
// their operand tiles lies in HBM:
//   - ImplicitGemm: a (batch) matmul or a convolution on the matrix unit. A
//     convolution is an implicit GEMM, as the cost models price it
//     (getGemms): its output pixels are the rows, its filters the columns,
//     and its reduction runs over the filter taps, each a GEMM step over
//     the input channels whose A tile is a window of the input read in
//     place;
//   - WindowReduction: a depthwise convolution or a pooling on the vector
//     unit: per filter tap, an elementwise step of the accumulator tile
//     with that tap's window of the input (times the tap's weights);
//   - ConvWindow: the window both read. A zero-padded copy of the input in
//     front of the op is absorbed: the window's DMA reads zeros outside the
//     input.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TILEDOPS_H
#define FUNGIBLE_TARGETS_TILEDOPS_H

#include "targets/LayoutCopies.h"
#include "targets/MatmulEpilogues.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

#include <array>
#include <cstdint>
#include <optional>

namespace fungible {

/// Where a DMA reads one operand tile: an HBM memref (or a view of one)
/// and its indices, the last two being the tile's first row and column.
struct TileAddress {
  mlir::Value hbm;
  llvm::SmallVector<mlir::Value> indices;
  /// What the DMA reads outside `hbm` (null: zero).
  mlir::TypedAttr padding = {};
};

/// The input of a 2-D NHWC convolution or pooling as the windows its taps
/// read: tap (kh, kw) of output pixel (n, oh, ow) reads input pixel
/// (n, sh * oh + dh * kh - top, sw * ow + dw * kw - left).
class ConvWindow {
public:
  /// `op`'s window over `input` (its NHWC input operand) with filters
  /// `filterWidth` wide; absorbs a zero-padded copy in front of `op`, or
  /// one padded with any constant when `anyPadValue` (a max pool's -inf)
  /// (matchPaddedCopy in the .cpp: then `input()` is the unpadded source
  /// and its tiles read the constant outside it).
  static ConvWindow match(mlir::linalg::LinalgOp op, mlir::Value input,
                          int64_t filterWidth,
                          mlir::DenseIntElementsAttr strides,
                          mlir::DenseIntElementsAttr dilations,
                          bool anyPadValue = false);

  mlir::Value input() const { return source; }

  /// The tile of input channels `c0`... that tap `tap` (kh * KW + kw)
  /// reads for the output pixels `row`... of image row `oh` of image `n`:
  /// rows `sw` pixels apart (a strided view for sw > 1), at a signed
  /// offset (the padding reads zeros).
  TileAddress tile(mlir::OpBuilder &b, mlir::Location loc, mlir::Value n,
                   mlir::Value oh, mlir::Value row, mlir::Value tap,
                   mlir::Value c0) const;

  /// The filter tap (kh, kw) of tap index `tap`.
  std::pair<mlir::Value, mlir::Value>
  tapOf(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tap) const;

  /// Erases the padded copy absorbed, once the op reading it is gone.
  void erasePadding();

private:
  mlir::Value source;
  int64_t filterWidth = 1;
  std::array<int64_t, 2> strides = {1, 1}, dilations = {1, 1}, padding = {0, 0};
  /// The constant of the padded copy absorbed (null: none, or zero).
  mlir::TypedAttr padValue;
  /// The padded copy absorbed (its copy, view, fill, frees and
  /// allocation, in that order).
  llvm::SmallVector<mlir::Operation *> padOps;
};

/// The GEMM a matrix unit computes for a linalg.matmul, a
/// linalg.batch_matmul or a linalg.conv_2d_nhwc_hwcf on plain memrefs
/// (default maps and signed casts; A and B of one element type with an
/// accumulator type, the output that type or a float it rounds to).
///
/// The output `c` is `lead... x m x n`: its tiles are `tm x tn` at
/// (lead indices..., row, col), so an elementwise epilogue over `c` reads
/// its other operands' tiles at the same indices. The reduction is `taps`
/// groups of `k` each: one for a matmul, one per filter tap (kh, kw) of the
/// C input channels for a convolution (lead = N x OH, m = OW, n = F).
class ImplicitGemm {
public:
  /// The op's GEMM, or nothing when the matrix unit does not take it.
  static std::optional<ImplicitGemm> match(mlir::linalg::LinalgOp op);

  mlir::linalg::LinalgOp op;
  mlir::Value c;
  mlir::Type in, out, acc;
  /// The output is not the accumulator type: the sum is converted.
  bool convert = false;
  llvm::SmallVector<int64_t> lead;
  int64_t m = 0, n = 0, k = 0, taps = 1;

  /// The K group (tap) and the first channel of step `step` of the
  /// reduction, with `kSteps` steps of `tk` per group.
  std::pair<mlir::Value, mlir::Value>
  splitStep(mlir::OpBuilder &b, mlir::Location loc, mlir::Value step,
            int64_t kSteps, int64_t tk) const;

  /// A's tile of rows `row`... of the output tile at `leadIndices`, columns
  /// `k0`... of K group `tap`: a convolution's is the window of the input
  /// that tap reads (ConvWindow::tile).
  TileAddress aTile(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::ValueRange leadIndices, mlir::Value row,
                    mlir::Value tap, mlir::Value k0) const;

  /// B's tile of rows `k0`... of K group `tap`, columns `col`...
  TileAddress bTile(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::ValueRange leadIndices, mlir::Value col,
                    mlir::Value tap, mlir::Value k0) const;

  /// Before the program, at `b`: A and B that a transpose wrote just for
  /// the op are read through transposed views of its source instead
  /// (TransposedOperand).
  void readTransposedOperandsInPlace(mlir::OpBuilder &b);

  /// After a program replaced it: erases the op, the padded copy of its
  /// input and the transposes of its operands it absorbed.
  void erase();

private:
  /// A and B (a convolution: the filter as B; its input is `window`).
  mlir::Value lhs, rhs;
  std::optional<ConvWindow> window;
  std::optional<TransposedOperand> transposedLhs, transposedRhs;
};

/// A linalg.depthwise_conv_2d_nhwc_hwc, linalg.pooling_nhwc_sum or
/// linalg.pooling_nhwc_max on plain memrefs of one float type: per output
/// pixel and channel, a fold over the filter taps of the input window
/// (times the tap's weight, for a depthwise convolution), in tap order.
/// The output `c` is `N x OH x OW x C` (lead = N x OH, m = OW, n = C): its
/// tiles are `tm` pixels of one image row by `tn` channels, as an
/// ImplicitGemm's, so a matmul's epilogue applies to them.
class WindowReduction {
public:
  static std::optional<WindowReduction> match(mlir::linalg::LinalgOp op);

  enum class Kind { MultiplyAdd, Add, Max };

  mlir::linalg::LinalgOp op;
  Kind kind = Kind::Add;
  mlir::Value c;
  mlir::Type element;
  llvm::SmallVector<int64_t> lead;
  int64_t m = 0, n = 0, taps = 1;

  /// Whether each tap multiplies by its weights (a depthwise convolution).
  bool weighted() const { return kind == Kind::MultiplyAdd; }

  /// The input tile tap `tap` reads for the output tile at (`leadIndices`,
  /// `row`, `c0`).
  TileAddress inputTile(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::ValueRange leadIndices, mlir::Value row,
                        mlir::Value tap, mlir::Value c0) const;

  /// Tap `tap`'s weights for channels `c0`..., the same in every row of a
  /// tile: a view of the filter with row stride 0 (weighted() only; built
  /// at `b`, before the program).
  mlir::Value weightRows(mlir::OpBuilder &b, mlir::Location loc,
                         int64_t rows) const;
  TileAddress weightTile(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value rows, mlir::Value tap,
                         mlir::Value c0) const;

  /// The accumulator after one tap: acc + x * w (one fused multiply-add,
  /// as every back end's convolutions accumulate), acc + x, or max(acc, x).
  mlir::Value combine(mlir::OpBuilder &b, mlir::Location loc, mlir::Value acc,
                      mlir::Value x, mlir::Value w) const;

  /// After a program replaced it: erases the op and the padded copy of
  /// its input it absorbed.
  void erase();

private:
  mlir::Value filter;
  ConvWindow window;
};

/// The linalg.fill of `op`'s output just before it, with a constant, or
/// null: a tiled program starts its accumulator from that constant.
mlir::linalg::FillOp constantFillBefore(mlir::linalg::LinalgOp op);

/// The stores of the tiles of the program of `op` (writing `c`, from
/// `fill` or null, then `epilogues`): into the buffer the epilogue ends
/// with, or through the copies that read it (TileStores), prepared.
TileStores planTileStores(mlir::linalg::LinalgOp op, mlir::Value c,
                          mlir::linalg::FillOp fill,
                          llvm::ArrayRef<MatmulEpilogue> epilogues);

/// The stores of each branch of collectMatmulEpilogueBranches (its last
/// result's tiles, through the copies that read it), prepared: the other
/// branches' ops and the copies taken before are the program's too.
std::vector<TileStores> planBranchStores(mlir::linalg::LinalgOp op,
                                         mlir::Value c,
                                         mlir::linalg::FillOp fill,
                                         const EpilogueBranches &branches);

/// What a program writer sets up at a window reduction before its program:
/// the fill it starts from (constantFillBefore), its epilogue (collected
/// for `tileElements` per tile within `bytesLeft`, and prepared), its
/// stores (planTileStores), and, when weighted, the weights' view for
/// tiles of `rows` rows.
struct WindowProgramPlan {
  mlir::linalg::FillOp fill;
  llvm::SmallVector<MatmulEpilogue> epilogues;
  TileStores stores;
  mlir::Value weights;
};
WindowProgramPlan planWindowProgram(mlir::OpBuilder &b,
                                    const WindowReduction &window,
                                    int64_t tileElements, int64_t bytesLeft,
                                    int64_t rows);

/// After a program replaced a tiled op: erases the fill it started from
/// (if any), the op (`erase`: ImplicitGemm's or WindowReduction's), its
/// epilogue's ops and buffers, and the copies its stores absorbed.
void eraseReplacedOps(mlir::linalg::FillOp fill,
                      llvm::function_ref<void()> erase, mlir::Value c,
                      llvm::ArrayRef<MatmulEpilogue> epilogues,
                      TileStores &stores);
/// The same for every branch and its stores (planBranchStores).
void eraseReplacedOps(mlir::linalg::FillOp fill,
                      llvm::function_ref<void()> erase, mlir::Value c,
                      const EpilogueBranches &branches,
                      std::vector<TileStores> &stores);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_TILEDOPS_H
