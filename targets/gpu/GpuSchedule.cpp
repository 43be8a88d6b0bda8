//===- GpuSchedule.cpp - How the GPU lowering cuts a kernel -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the GPU lowering's choices a cost model reads
// (GpuSchedule.h). scheduleOnCudaCores follows a contraction from its wl
// op to the code: GpuFusion tiles the op computing the kernel's result
// (its root) over the last two of its loops of more than one iteration
// with kContractionTile and shrinks them (the widest first) to
// kEnoughTiles tiles (the first candidate of tilingCandidates), and fuses into
// each tile the slice of the contraction the tile reads, through the
// elementwise ops, transposes and reshapes between them. wl-to-linalg makes a
// matmul's loops (m, n, k), a batch matmul's (b, m, n, k), a convolution's (n,
// oh, ow, f, kh, kw, c), a depthwise one's (n, oh, ow, c, kh, kw) and a grouped
// one's (n, oh, ow, g, fg, kh, kw, cg); in each tile, SimtMatmul gives the
// loops only the first operand reads to a block's rows, those only the
// second reads to its columns, and the others (one iteration, or read by
// both) to the batch of blocks.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuSchedule.h"
#include "dialects/Workload/WorkloadOps.h"
#include "dialects/Workload/WorkloadUtils.h"
#include "targets/LoweringSupport.h"
#include "targets/gpu/TensorCores.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>

using namespace mlir;

namespace fungible::gpu_kernels {

int64_t largestDivisorAtMost(int64_t extent, int64_t limit) {
  for (int64_t size = std::min(extent, limit); size > 1; --size)
    if (extent % size == 0)
      return size;
  return 1;
}

void shrinkToEnoughTiles(ArrayRef<int64_t> ranges, ArrayRef<unsigned> parallel,
                         MutableArrayRef<int64_t> sizes,
                         ArrayRef<unsigned> shrinkable, bool widestFirst,
                         int64_t fewestPoints) {
  while (true) {
    int64_t tiles = 1, tilePoints = 1;
    for (unsigned d : parallel) {
      tiles *= ceilDiv(ranges[d], sizes[d]);
      tilePoints *= sizes[d];
    }
    std::optional<unsigned> pick;
    for (unsigned d : shrinkable)
      if (sizes[d] > 1 && (!pick || (widestFirst && sizes[d] > sizes[*pick])))
        pick = d;
    if (tiles >= kEnoughTiles || !pick)
      return;
    int64_t smaller = largestDivisorAtMost(ranges[*pick], sizes[*pick] / 2);
    if (tilePoints / sizes[*pick] * smaller < fewestPoints)
      return;
    sizes[*pick] = smaller;
  }
}

int64_t reductionLanes(int64_t length) {
  if (ShapedType::isDynamic(length))
    return 0;
  if (length % kLongRowLanes == 0 && length >= 8 * kLongRowLanes)
    return kLongRowLanes;
  if (length % kReductionLanes == 0 && length >= 8 * kReductionLanes)
    return kReductionLanes;
  return 0;
}

bool isMatrixVectorConvolution(ArrayRef<int64_t> input,
                               ArrayRef<int64_t> filter,
                               ArrayRef<int64_t> output, int64_t groups) {
  auto ones = [](ArrayRef<int64_t> shape, unsigned first, unsigned count) {
    return llvm::all_of(shape.slice(first, count),
                        [](int64_t d) { return d == 1; });
  };
  return groups == 1 && input.size() == 4 && filter.size() == 4 &&
         output.size() == 4 && ones(input, 0, 3) && ones(filter, 0, 2) &&
         ones(output, 0, 3) && input[3] == filter[2] &&
         filter[3] == output[3] && !ShapedType::isDynamicShape(input) &&
         !ShapedType::isDynamicShape(filter) &&
         !ShapedType::isDynamicShape(output);
}

void splitWholeTile(ArrayRef<int64_t> ranges, ArrayRef<unsigned> parallel,
                    MutableArrayRef<int64_t> sizes) {
  if (!llvm::all_of(parallel,
                    [&](unsigned d) { return sizes[d] == ranges[d]; }))
    return;
  for (unsigned d : parallel)
    if (ranges[d] > 1) {
      sizes[d] = largestDivisorAtMost(ranges[d], ranges[d] / 2);
      return;
    }
}

std::pair<int64_t, int64_t> blockShape(int64_t rows, int64_t cols,
                                       int64_t threads) {
  int64_t tm = std::min<int64_t>(8, rows), tn = std::min<int64_t>(8, cols);
  auto blocks = [&] { return ceilDiv(rows, tm) * ceilDiv(cols, tn); };
  while (blocks() < threads && (tm > 1 || tn > 1)) {
    if (tn >= tm)
      tn = ceilDiv(tn, 2);
    else
      tm = ceilDiv(tm, 2);
  }
  return {tm, tn};
}

double CudaCoreSchedule::fmas() const {
  return static_cast<double>(ctas) * activeThreads * rounds * depth *
         blockRows * blockCols;
}

double CudaCoreSchedule::sectors() const {
  constexpr int64_t kWarp = 32, kSector = 32;
  int64_t nc = ceilDiv(tileCols, blockCols), nr = ceilDiv(tileRows, blockRows);
  int64_t lanes = std::min(kWarp, activeThreads);
  int64_t cols = std::min(lanes, nc);
  int64_t rows = std::min(nr, ceilDiv(lanes, nc));
  auto sectorsOf = [&](int64_t distinct, bool adjacent) {
    return adjacent ? ceilDiv(distinct * elementBytes, kSector) : distinct;
  };
  double perStep = blockRows * sectorsOf(rows, rowsAdjacent) +
                   blockCols * sectorsOf(cols, colsAdjacent);
  if (splitLanes) {
    // A warp's lanes past its blocks of one K step take the next ks (the
    // partial sums' lanes): the first operand's elements adjacent, the
    // second's a row apart (across its columns when transposed).
    int64_t ks = std::min(splitLanes, ceilDiv(lanes, nc * nr));
    perStep = blockRows * rows * sectorsOf(ks, true) +
              blockCols * (colsAdjacent ? ks * sectorsOf(cols, true)
                                        : cols * sectorsOf(ks, true));
  }
  double warps = static_cast<double>(ctas) * ceilDiv(activeThreads, kWarp);
  return warps * rounds * depth * perStep;
}

namespace {

/// A contraction's output, as SimtMatmul sees it in a tile: the dimensions
/// of its result only the first operand reads (`rows`), only the second
/// reads (`cols`), and the others (`batch`), with the reduction's steps.
/// A grouped convolution's channels are split into (group, channel):
/// `splitLast` is the channels of a group, and its result's last
/// dimension counts for the batch (groups) and the columns (channels).
struct ContractionDims {
  SmallVector<unsigned, 3> rows, cols, batch;
  int64_t depth = 0, splitLast = 0;
  bool rowsAdjacent = false, colsAdjacent = true;
};

std::optional<ContractionDims> getContractionDims(Operation *op) {
  ContractionDims dims;
  if (auto mm = dyn_cast<wl::MatmulOp>(op)) {
    dims.rows = {0};
    dims.cols = {1};
    dims.depth = wl::getMatmulDims(mm).k;
    dims.rowsAdjacent = mm.getTransposeLhs();
    dims.colsAdjacent = !mm.getTransposeRhs();
  } else if (auto bmm = dyn_cast<wl::BatchMatmulOp>(op)) {
    unsigned rank = cast<RankedTensorType>(bmm.getType()).getRank();
    for (unsigned d = 0; d + 2 < rank; ++d)
      dims.batch.push_back(d);
    dims.rows = {rank - 2};
    dims.cols = {rank - 1};
    dims.depth = wl::getMatmulDims(bmm).k;
    dims.rowsAdjacent = bmm.getTransposeLhs();
    dims.colsAdjacent = !bmm.getTransposeRhs();
  } else if (auto conv = dyn_cast<wl::Conv2DOp>(op)) {
    auto in = cast<RankedTensorType>(conv.getInput().getType());
    auto filter = cast<RankedTensorType>(conv.getFilter().getType());
    if (!in.hasStaticShape() || !filter.hasStaticShape() || in.getRank() != 4 ||
        filter.getRank() != 4 || conv.getGroups() <= 0)
      return std::nullopt;
    int64_t groups = conv.getGroups(), channels = in.getDimSize(3);
    int64_t taps = filter.getDimSize(0) * filter.getDimSize(1);
    int64_t perGroup = filter.getDimSize(2), filters = filter.getDimSize(3);
    // (n, oh, ow) are read by the input only, a pixel's channels apart
    // (NHWC); the filter's outputs are adjacent (HWCF).
    dims.rows = {0, 1, 2};
    dims.rowsAdjacent = channels == 1;
    dims.depth = taps * perGroup;
    if (groups == 1) {
      dims.cols = {3};
    } else if (perGroup == 1 && filters == groups && channels == groups) {
      dims.batch = {3}; // Depthwise: both operands read the channel.
    } else {
      dims.splitLast = filters / groups;
      dims.cols = {3};
    }
  } else {
    return std::nullopt;
  }
  if (dims.depth <= 0)
    return std::nullopt;
  return dims;
}

/// Groups of the dimensions of `from` and `to` (shapes of as many
/// elements) whose products are equal, in order; nullopt when they have no
/// such grouping.
std::optional<
    SmallVector<std::pair<SmallVector<unsigned>, SmallVector<unsigned>>>>
reshapeGroups(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  SmallVector<std::pair<SmallVector<unsigned>, SmallVector<unsigned>>> groups;
  unsigned i = 0, j = 0;
  while (i < from.size() || j < to.size()) {
    SmallVector<unsigned> a, b;
    int64_t pa = 1, pb = 1;
    if (i < from.size()) {
      a.push_back(i);
      pa *= from[i++];
    }
    if (j < to.size()) {
      b.push_back(j);
      pb *= to[j++];
    }
    while (pa != pb) {
      if (pa < pb && i < from.size()) {
        a.push_back(i);
        pa *= from[i++];
      } else if (pb < pa && j < to.size()) {
        b.push_back(j);
        pb *= to[j++];
      } else {
        return std::nullopt;
      }
    }
    groups.push_back({std::move(a), std::move(b)});
  }
  return groups;
}

/// Ops that compute each element from the same elements of their operands
/// (broadcast along their dimensions of one).
bool isElementwise(Operation *op) {
  return isa<wl::ReluOp, wl::NegOp, wl::ExpOp, wl::TanhOp, wl::SigmoidOp,
             wl::SqrtOp, wl::RsqrtOp, wl::SinOp, wl::CosOp, wl::GeluOp,
             wl::AddOp, wl::SubOp, wl::MulOp, wl::DivOp, wl::MaxOp, wl::MinOp,
             wl::CastOp, wl::BroadcastOp>(op);
}

/// The slice of `operand` (of `op`, whose result's slice is `slice`) that
/// the slice reads, for the ops a tile fuses through as they are; nullopt
/// for others.
std::optional<SmallVector<int64_t>> operandSlice(Operation *op, Value operand,
                                                 ArrayRef<int64_t> slice) {
  auto type = dyn_cast<RankedTensorType>(operand.getType());
  auto result = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !result || !type.hasStaticShape() || !result.hasStaticShape() ||
      result.getRank() != (int64_t)slice.size())
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> out(shape.size(), 1);
  if (isElementwise(op)) {
    // Aligned to the right; a dimension of one is broadcast.
    int64_t offset = result.getRank() - type.getRank();
    if (offset < 0)
      return std::nullopt;
    for (unsigned d = 0; d < shape.size(); ++d)
      out[d] = shape[d] == 1 ? 1 : std::min(shape[d], slice[d + offset]);
    return out;
  }
  if (auto transpose = dyn_cast<wl::TransposeOp>(op)) {
    ArrayRef<int64_t> perm = transpose.getPermutation();
    for (unsigned d = 0; d < perm.size(); ++d)
      out[perm[d]] = slice[d];
    return out;
  }
  if (isa<wl::SliceOp, wl::ConcatOp>(op)) {
    // As many elements of each dimension (strided or not; of one piece).
    for (unsigned d = 0; d < shape.size(); ++d)
      out[d] = std::min(shape[d], slice[d]);
    return out;
  }
  if (isa<wl::ReshapeOp>(op)) {
    auto groups = reshapeGroups(shape, result.getShape());
    if (!groups)
      return std::nullopt;
    // A group's elements, taken from its innermost dimension outwards.
    for (auto &[from, to] : *groups) {
      int64_t elements = 1;
      for (unsigned d : to)
        elements *= slice[d];
      for (unsigned d : llvm::reverse(from)) {
        out[d] = std::min(shape[d], elements);
        elements = ceilDiv(elements, out[d]);
      }
    }
    return out;
  }
  return std::nullopt;
}

/// The slice of `target` that a slice `slice` of `value` reads, through
/// the ops between them (operandSlice); nullopt when `value` does not
/// read `target` through such ops.
std::optional<SmallVector<int64_t>>
sliceOf(Value value, ArrayRef<int64_t> slice, Value target, unsigned depth) {
  if (value == target)
    return SmallVector<int64_t>(slice);
  Operation *op = value.getDefiningOp();
  if (!op || depth > 32 || op->getNumResults() != 1)
    return std::nullopt;
  for (Value operand : op->getOperands()) {
    std::optional<SmallVector<int64_t>> inner =
        operandSlice(op, operand, slice);
    if (!inner)
      continue;
    if (auto found = sliceOf(operand, *inner, target, depth + 1))
      return found;
  }
  return std::nullopt;
}

/// The CTA tile of a kernel with a contraction whose output is `shape`:
/// the last two dimensions of more than one take kContractionTile (a
/// divisor; unit dimensions only where fewer than two are longer), the others
/// one, shrunk (the widest first) to kEnoughTiles tiles of at least
/// `fewestPoints` points (fewer than a thread each for a matrix-vector
/// product, whose outputs each have lanes of partial sums); the outermost
/// dimension of more than one is halved when one tile would take it all.
SmallVector<int64_t>
contractionTile(ArrayRef<int64_t> shape,
                int64_t fewestPoints = kFewestPointsPerTile) {
  unsigned count = shape.size();
  SmallVector<unsigned, 5> all;
  for (unsigned d = 0; d < count; ++d)
    all.push_back(d);
  SmallVector<int64_t> sizes(count, 1);
  // The last two dimensions of more than one (a unit dimension tiles
  // nothing), then the last ones.
  SmallVector<unsigned, 2> tiled;
  for (bool units : {false, true})
    for (unsigned d = count; d-- > 0 && tiled.size() < 2;)
      if ((shape[d] == 1) == units)
        tiled.push_back(d);
  for (unsigned d : tiled)
    sizes[d] = largestDivisorAtMost(shape[d], kContractionTile);
  shrinkToEnoughTiles(shape, all, sizes, tiled, /*widestFirst=*/true,
                      fewestPoints);
  splitWholeTile(shape, all, sizes);
  return sizes;
}

/// The values GpuFusion tiles for a contraction `op`: its kernel's results
/// past the reshapes before them (returnedValues; several are tiled alike,
/// their tile loops merged), or the contraction's own result when it is
/// not in a kernel.
SmallVector<Value> tiledRoots(Operation *op) {
  auto kernel = op->getParentOfType<wl::KernelOp>();
  if (!kernel)
    return {op->getResult(0)};
  SmallVector<Value> roots;
  for (Value root : kernel.getBody().front().getTerminator()->getOperands()) {
    while (auto reshape = root.getDefiningOp<wl::ReshapeOp>())
      root = reshape->getOperand(0);
    roots.push_back(root);
  }
  return roots;
}

/// The tile of chained contractions (an attention: the second product
/// reads the first's result) of a kernel whose result is `shape`: the
/// first candidate of GpuFusion's tilingCandidates with
/// chainedContractions. The innermost loop of at most
/// kChainedContractionColumns is taken whole (the head's columns), the
/// longest loop outside it (the queries; the innermost of equals) is cut
/// to kContractionTile (a divisor), the others to one; the two shrink (the
/// widest first) to kEnoughTiles tiles. Without such an inner loop, the
/// tile of any contraction.
SmallVector<int64_t> chainedContractionTile(ArrayRef<int64_t> shape) {
  unsigned count = shape.size();
  std::optional<unsigned> inner;
  for (unsigned d = count; d-- > 0;)
    if (shape[d] <= kChainedContractionColumns) {
      inner = d;
      break;
    }
  if (!inner || count < 2)
    return contractionTile(shape);
  std::optional<unsigned> outer;
  for (unsigned d = *inner; d-- > 0;)
    if (!outer || shape[d] > shape[*outer])
      outer = d;
  if (!outer)
    return contractionTile(shape);
  SmallVector<unsigned, 5> all;
  for (unsigned d = 0; d < count; ++d)
    all.push_back(d);
  SmallVector<int64_t> sizes(count, 1);
  sizes[*inner] = shape[*inner];
  sizes[*outer] = largestDivisorAtMost(shape[*outer], kContractionTile);
  SmallVector<unsigned, 2> tiled = {*inner, *outer};
  shrinkToEnoughTiles(shape, all, sizes, tiled, /*widestFirst=*/true);
  splitWholeTile(shape, all, sizes);
  return sizes;
}

/// The CTAs of `op`'s kernel, tiled with `tileOf` of its root's shape, and
/// the slice of `op`'s result a CTA computes (`slices` times: once for
/// each root that reads it, a QKV split's three heads). The tile is the
/// root's; the slice is what the tile reads of `op` (the whole tile when
/// nothing between them moves its elements). A root traced through ops
/// this does not follow (a concat) leaves `op` as its own root.
struct TiledSlice {
  int64_t ctas = 1, slices = 0;
  SmallVector<int64_t> slice;
};

TiledSlice
tiledSliceOf(Operation *op,
             function_ref<SmallVector<int64_t>(ArrayRef<int64_t>)> tileOf) {
  std::optional<SmallVector<int64_t>> slice;
  SmallVector<int64_t> tiled, tile;
  int64_t slices = 0;
  for (Value root : tiledRoots(op)) {
    auto type = dyn_cast<RankedTensorType>(root.getType());
    if (!type || !type.hasStaticShape() ||
        (slice && type.getShape() != ArrayRef<int64_t>(tiled)))
      continue;
    SmallVector<int64_t> shape(type.getShape());
    // A concat of equal pieces is tiled over one piece's positions, every
    // tile computing its slice of each piece (concatsAsGenerics).
    if (auto concat = root.getDefiningOp<wl::ConcatOp>()) {
      int64_t dim = concat.getDim(), pieces = concat.getInputs().size();
      if (dim < 0 || dim >= (int64_t)shape.size() || shape[dim] % pieces ||
          llvm::any_of(concat.getInputs(), [&](Value piece) {
            return cast<RankedTensorType>(piece.getType()).getDimSize(dim) !=
                   shape[dim] / pieces;
          }))
        continue;
      shape[dim] /= pieces;
    }
    SmallVector<int64_t> sizes = tileOf(shape);
    std::optional<SmallVector<int64_t>> found =
        sliceOf(root, sizes, op->getResult(0), 0);
    if (!found)
      continue;
    if (!slice) {
      tiled = shape;
      tile = sizes;
      slice = found;
    }
    ++slices;
  }
  if (!slice) {
    tiled = SmallVector<int64_t>(
        cast<RankedTensorType>(op->getResult(0).getType()).getShape());
    tile = tileOf(tiled);
    slice = tile;
    slices = 1;
  }
  TiledSlice result;
  for (auto [extent, size] : llvm::zip(tiled, tile))
    result.ctas *= ceilDiv(extent, size);
  result.slices = slices;
  result.slice = std::move(*slice);
  return result;
}

/// A tile's `rows` x `cols` outputs (times `batch`) over kThreads
/// threads, `slices` times, each output over `depth` steps: the blocks
/// SimtMatmul gives its threads and the rounds they run.
void spreadOverThreads(CudaCoreSchedule &s, int64_t rows, int64_t cols,
                       int64_t batch, int64_t depth, int64_t slices) {
  s.tileRows = rows;
  s.tileCols = cols;
  s.tileBatch = batch;
  s.threads = kThreads;
  auto [tm, tn] = blockShape(rows, cols, s.threads);
  s.blockRows = tm;
  s.blockCols = tn;
  int64_t blocks = ceilDiv(rows, tm) * ceilDiv(cols, tn) * batch;
  s.activeThreads = std::min(blocks, s.threads);
  s.rounds = slices * ceilDiv(blocks, s.threads);
  s.depth = depth;
}

/// The size in bytes of `value`'s elements (at least one).
int64_t elementBytesOf(Value value) {
  Type element = getElementTypeOrSelf(value.getType());
  return element.isIntOrFloat()
             ? std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8)
             : 4;
}

bool hasStaticPositiveShape(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() &&
         llvm::all_of(type.getShape(), [](int64_t d) { return d > 0; });
}

} // namespace

std::optional<CudaCoreSchedule> scheduleOnCudaCores(Operation *op) {
  std::optional<ContractionDims> dims = getContractionDims(op);
  if (!dims || op->getNumResults() != 1 ||
      !hasStaticPositiveShape(op->getResult(0)))
    return std::nullopt;
  // A matrix-vector product on the CUDA cores (one row, an f32 or f64
  // matmul, or a convolution that is one) splits its K into lanes of
  // partial sums (GpuFusionSteps' isThinContraction): a tile has a thread
  // for each of 128 / lanes outputs' partial sums.
  int64_t rowsOfOp = 1;
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  for (unsigned d : dims->rows)
    rowsOfOp *= result.getDimSize(d);
  Type element = getElementTypeOrSelf(op->getOperand(0).getType());
  bool matrixVector = isa<wl::MatmulOp, wl::BatchMatmulOp>(op);
  if (auto conv = dyn_cast<wl::Conv2DOp>(op))
    matrixVector = isMatrixVectorConvolution(
        cast<RankedTensorType>(conv.getInput().getType()).getShape(),
        cast<RankedTensorType>(conv.getFilter().getType()).getShape(),
        result.getShape(), conv.getGroups());
  int64_t lanes = 0;
  if (matrixVector && rowsOfOp == 1 && (element.isF32() || element.isF64()))
    lanes = reductionLanes(dims->depth);
  int64_t fewest = lanes ? std::max<int64_t>(1, kFewestPointsPerTile / lanes)
                         : kFewestPointsPerTile;
  TiledSlice tile = tiledSliceOf(op, [&](ArrayRef<int64_t> shape) {
    return contractionTile(shape, fewest);
  });
  CudaCoreSchedule s;
  s.ctas = tile.ctas;
  // A grouped convolution's channels of the slice: those of one group are
  // columns, the groups it spans the batch.
  int64_t rows = 1, cols = 1, batch = 1;
  for (unsigned d : dims->rows)
    rows *= tile.slice[d];
  for (unsigned d : dims->batch)
    batch *= tile.slice[d];
  for (unsigned d : dims->cols) {
    int64_t extent = tile.slice[d];
    if (dims->splitLast) {
      batch *= ceilDiv(extent, dims->splitLast);
      extent = std::min(extent, dims->splitLast);
    }
    cols *= extent;
  }
  s.rowsAdjacent = dims->rowsAdjacent;
  s.colsAdjacent = dims->colsAdjacent;
  s.elementBytes = elementBytesOf(op->getOperand(0));
  if (!lanes) {
    spreadOverThreads(s, rows, cols, batch, dims->depth, tile.slices);
    return s;
  }
  // The partial sums: each output's `lanes` of them are a batch of blocks
  // (both operands read the lane), each over K / lanes steps; then a
  // thread an output combines its lanes.
  spreadOverThreads(s, rows, cols, batch * lanes, dims->depth / lanes,
                    tile.slices);
  s.splitLanes = lanes;
  s.combineSteps = ceilDiv(rows * cols * batch, s.threads) * lanes;
  return s;
}

std::optional<AttentionSchedule> scheduleAttentionOnCudaCores(Operation *op) {
  auto attention = dyn_cast<wl::AttentionOp>(op);
  if (!attention || !llvm::all_of(op->getOperands(), hasStaticPositiveShape) ||
      !hasStaticPositiveShape(attention.getResult()))
    return std::nullopt;
  ArrayRef<int64_t> key = attention.getKey().getType().getShape();
  int64_t rank = attention.getType().getRank();
  if (rank < 2 || key.size() < 2)
    return std::nullopt;
  int64_t keys = key[key.size() - 2], head = key.back();
  TiledSlice tile = tiledSliceOf(op, chainedContractionTile);
  int64_t queries = tile.slice[rank - 2], columns = tile.slice[rank - 1];
  int64_t batch = 1;
  for (int64_t d = 0; d + 2 < rank; ++d)
    batch *= tile.slice[d];
  AttentionSchedule a;
  a.scores.ctas = a.values.ctas = tile.ctas;
  // The scores: a query's row of Q against every key's row of K (the
  // keys, a thread's columns, are a row of K apart).
  spreadOverThreads(a.scores, queries, keys, batch, head, tile.slices);
  a.scores.rowsAdjacent = false;
  a.scores.colsAdjacent = false;
  // The values: a query's probabilities (a row of the scratch scores)
  // against V's rows, whose columns are adjacent.
  spreadOverThreads(a.values, queries, columns, batch, keys, tile.slices);
  a.values.rowsAdjacent = false;
  a.values.colsAdjacent = true;
  a.scores.elementBytes = elementBytesOf(attention.getQuery());
  a.values.elementBytes = elementBytesOf(attention.getValue());
  a.scoresPerCta = batch * queries * keys;
  return a;
}

} // namespace fungible::gpu_kernels
