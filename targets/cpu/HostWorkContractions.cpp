//===- HostWorkContractions.cpp - Host work of contractions ---------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The host work of matmuls, attentions and convolutions, counted as the
// JIT's schedules run them: cache tiles and 4 x 64 register tiles and
// their edges (CpuMatmulSchedule.cpp, CpuMatmulEdges.cpp), attention in
// tiles of query rows (CpuAttentionRows.cpp), convolution output tiles and
// their FMA chains.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"
#include "targets/CostModelSupport.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/HostWorkCounter.h"

#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;

namespace fungible::host_work {

namespace {

/// Whether `perm` swaps the last two dimensions and keeps the others.
bool swapsLastTwo(ArrayRef<int64_t> perm) {
  int64_t rank = perm.size();
  if (rank < 2 || perm[rank - 2] != rank - 1 || perm[rank - 1] != rank - 2)
    return false;
  for (int64_t d = 0; d + 2 < rank; ++d)
    if (perm[d] != d)
      return false;
  return true;
}

/// Accumulators a convolution tile (or a matrix-vector product's register
/// tile) needs for the FMA pipes to hide an
/// FMA's latency (4 cycles) well enough that the FLOPs' fitted rate holds:
/// with fewer (1 to 3: a one-pixel image's, a two-pixel row's 16 or 32
/// channels) each step waits on the previous one. Counting tiles of up to
/// 3 accumulators as chains fitted the sweep best and lowered the models'
/// convolutions' error from 20.8% to 19.1% (2 only: 20.3%; up to 7, the
/// pipes' latency times their 2 ports: 20.3%, the short chains of 4 to 7
/// overlapping in the out-of-order window; benchmarks/RESULTS.md,
/// 2026-12-06, seventh session).
constexpr double kMinConvAccumulators = 4;

/// Chain steps the out-of-order window holds of a chain while it drains.
constexpr double kChainWindowSteps = 64;

/// The output tiles (convolutionTile) of a convolution of NHWC result
/// `type`: N x OH x ceil(OW / ow) x ceil(F / lanes).
double outputTiles(RankedTensorType type, ConvTile tile) {
  return double(type.getDimSize(0)) * type.getDimSize(1) *
         std::ceil(double(type.getDimSize(2)) / tile.ow) *
         std::ceil(double(type.getDimSize(3)) / tile.lanes);
}

/// The time, in steps, of `chains` FMA chains of `steps` steps each that
/// run one after the other (a convolution's or a product's narrow tiles),
/// each `vectors` vectors of channels (or columns) wide: each step waits on
/// the previous one's FMA, but the next chain of one vector starts in the
/// out-of-order window while this one's last kChainWindowSteps drain, and
/// the two run side by side for those, so short chains overlap their
/// neighbours more. A one-pixel image's 1 x 1 convolution into 240
/// channels (15 tiles of 16) took 0.65 ns a step with 40 input channels a
/// chain, 0.76 with 128, 1.03 with 576; one tile alone 1.16. Tiles of two
/// vectors did not overlap (96 channels, 3 tiles of 32: 1.1-1.7 ns a step
/// at every length), nor did EfficientNet's tiles of 32 channels, where
/// MobileNetV3's of 16 on 2 x 2 images (two accumulators, one vector of
/// channels) did (benchmarks/RESULTS.md, 2026-12-07, tenth session).
double overlappedChains(double chains, double steps, double vectors) {
  if (vectors > 1)
    return chains * steps;
  return chains * steps -
         std::max(0.0, chains - 1) * std::min(steps, kChainWindowSteps) / 2;
}
/// Bytes of one vector register (AVX-512; kVectorLanes f32 lanes).
constexpr double kVectorBytes = kVectorLanes * 4;

} // namespace

double Counter::countAttention(wl::AttentionOp attention,
                               function_ref<double(double)> lanes,
                               double &bytes) {
  SmallVector<Gemm, 2> gemms = getGemms(attention);
  if (gemms.size() != 2)
    return 1.0;
  Gemm qk = gemms[0], pv = gemms[1];
  auto query = cast<ShapedType>(attention.getQuery().getType());
  Type element = getElementTypeOrSelf(attention.getType());
  int64_t scoreBytes = element.isF64() ? 8 : 4;
  double scores = double(qk.batch) * qk.m * qk.n;
  bool rank3 = query.getRank() == 3;
  int64_t rows = scores * scoreBytes > double(kMinTiledScoreBytes)
                     ? attentionRowTile(qk.m, qk.n, scoreBytes)
                     : 0;
  // Tiled when one reshape at most stands between the products and the
  // operands' layout: 3-D heads, or 4-D [B, H, M, D] with H merged into
  // the batch or (grouped-query) into the rows, a tile within one head.
  unsigned shared = attention.getSharedBatchRank();
  int64_t headRows = query.getDimSize(query.getRank() - 2);
  bool oneReshape = (rank3 && shared == 1) ||
                    (query.getRank() == 4 && (shared == 2 || shared == 1));
  if (!oneReshape || (rows && headRows % rows))
    rows = 0;
  auto given = attention.getKey().getDefiningOp<wl::TransposeOp>();
  bool keyT = given && swapsLastTwo(given.getPermutation());
  bool packed = !keyT && rank3 && !rows;
  if (!keyT && !packed)
    countOperandTranspose(attention.getKey());
  double tiles = 0;
  if (rows) {
    tiles = double(qk.batch) * (qk.m / rows);
    qk.batch = pv.batch = int64_t(tiles);
    qk.m = pv.m = rows;
  }
  // Tiled, the products are in the tiles' loop (one fork, counted by
  // count()); untiled, their loop nests come in order: Q K^T's zeros and
  // tiles, the passes, scores x V's zeros and tiles (below).
  if (!rows)
    initFill(scores);
  double used = matmul(qk, matmulTerm(qk, element), elementBytes(element),
                       packed, /*nest=*/!rows);
  auto productWithV = [&] {
    return matmul(pv, matmulTerm(pv, element), elementBytes(element),
                  /*packed=*/false, /*nest=*/!rows);
  };
  double threads = rows ? balancedThreads(tiles) : lanes(scores);
  // The f32 scores are written by Q K^T, read and written by the
  // scaling, read 4 times and written twice by the softmax's passes
  // (max, exp, sum, divide), and read by the product with V; a mask is
  // read once per score. Normalised after the product: 3 reads and a
  // write (max, exp, sum), then the product read and written once more
  // by its rows' scaling.
  bool late = attention.getNormalizeAfter();
  double outputs = double(pv.batch) * pv.m * pv.n;
  double passes = (late ? 8 * scores + 2 * outputs : 10 * scores) * scoreBytes;
  if (rows)
    work[HostTerm::CacheBytes] += passes;
  else
    bytes += passes;
  Value mask = attention.getMask();
  if (mask)
    bytes += scores *
             getElementTypeOrSelf(mask.getType()).getIntOrFloatBitWidth() / 8;
  // The scaling multiplies, adds the mask, and compares and selects when
  // causal.
  work[HostTerm::Elementwise] +=
      (1 + (mask ? 1 : 0) + (attention.getCausal() ? 2 : 0)) * scores / threads;
  work[HostTerm::ElementwisePass] += scores / threads;
  work[HostTerm::Norm] += (late ? 3 : 4) * scores / threads;
  work[HostTerm::Transcendental] += scores / threads;
  // The rows' reciprocals and the product's scaling.
  if (late) {
    double scaled =
        (outputs + double(pv.batch) * pv.m) / (rows ? threads : lanes(outputs));
    work[HostTerm::Elementwise] += scaled;
    work[HostTerm::ElementwisePass] += scaled;
  }
  // Ops of their own besides Q K^T (the attention's own): the scaling,
  // the softmax's 4 passes (3, the reciprocals and the product's scaling
  // when normalised after it), scores x V; tiled, each tile's, a tile
  // loop's share per thread, in one fork.
  double ops = late ? 8 : 7;
  if (rows) {
    productWithV();
    work[HostTerm::Ops] += ops * std::ceil(tiles / threads) - 1;
    return threads;
  }
  work[HostTerm::Ops] += ops - 1;
  // Untiled, the softmax's 4 passes (normalised before the product) are
  // a row chain of their own, computed in tiles of rows in one fork when
  // large enough (CpuNormRows.cpp); the scaling forks on its own.
  SmallVector<int64_t> scoreShape(query.getShape().drop_back(2));
  scoreShape.append({query.getDimSize(query.getRank() - 2), qk.n});
  double passNests = !late && normRowTile(scoreShape, scoreBytes) ? 2 : ops - 2;
  for (double i = 0; i < passNests; ++i)
    loopNest(threads > 1);
  initFill(double(pv.batch) * pv.m * pv.n);
  productWithV();
  return used;
}

double Counter::balancedThreads(double tiles) const {
  if (tiles <= 1)
    return 1.0;
  return tiles / std::ceil(tiles / double(shape.threads));
}

double Counter::convolutionThreads(wl::Conv2DOp conv, bool depthwise,
                                   double macs) {
  auto type = cast<RankedTensorType>(conv.getType());
  if ((conv.getGroups() > 1 && !depthwise) || !type.hasStaticShape())
    return macs < kMinParallelIterations ? 1.0 : double(shape.threads);
  if (!contractionWorthThreads(macs, bytesOf(conv.getFilter())))
    return 1.0;
  ConvTile tile =
      convolutionTile(type.getDimSize(2), type.getDimSize(3), depthwise);
  double tiles = outputTiles(type, tile);
  return balancedThreads(tiles);
}

double Counter::chainSteps(wl::Conv2DOp conv, bool depthwise) const {
  auto type = cast<RankedTensorType>(conv.getType());
  if (depthwise || conv.getGroups() > 1 || !type.hasStaticShape())
    return 0;
  ConvTile tile = convolutionTile(type.getDimSize(2), type.getDimSize(3),
                                  /*depthwise=*/false);
  double laneBytes = tile.lanes * elementBytes(type.getElementType());
  double accumulators = tile.ow * std::ceil(laneBytes / kVectorBytes);
  if (accumulators >= kMinConvAccumulators)
    return 0;
  ArrayRef<int64_t> f = cast<ShapedType>(conv.getFilter().getType()).getShape();
  double tiles = outputTiles(type, tile);
  return overlappedChains(tiles, double(f[0]) * f[1] * f[2],
                          std::ceil(laneBytes / kVectorBytes));
}

double Counter::vectorPadding(wl::Conv2DOp conv, bool depthwise) const {
  auto type = cast<RankedTensorType>(conv.getType());
  if ((conv.getGroups() > 1 && !depthwise) || !type.hasStaticShape())
    return 1.0;
  int64_t lanes =
      convolutionTile(type.getDimSize(2), type.getDimSize(3), depthwise).lanes;
  return double(roundUp(lanes, kVectorLanes)) / double(lanes);
}

HostTerm Counter::matmulTerm(const Gemm &g, Type element) const {
  if (!element.isF32())
    return HostTerm::MatmulNonF32;
  return double(g.k) * g.n * 4 > shape.coreCacheBytes ? HostTerm::MatmulLarge
                                                      : HostTerm::Matmul;
}

double Counter::matmul(const Gemm &g, HostTerm term, double rhsBytes,
                       bool packed, bool nest) {
  if (g.batch <= 0 || g.m <= 0 || g.n <= 0 || g.k <= 0)
    return 1.0; // Empty (or of unknown size): no FLOPs, no tiles.
  double multiplyAdds = double(g.batch) * g.m * g.n * g.k;
  double matrixBytes = double(g.k) * g.n * rhsBytes;
  double batchThreads = g.batch > 1 && contractionWorthThreads(
                                           multiplyAdds, g.batch * matrixBytes)
                            ? balancedThreads(double(g.batch))
                            : 1.0;
  auto [cm, cn] = matmulCacheTile(g.m, g.n);
  double used = batchThreads, perElement = 0, packedPerElement = 0,
         streamedPerElement = 0, chainedPerElement = 0;
  // A batch on the threads is one parallel loop over its elements;
  // else each part's tiles are a loop of their own, in this order.
  if (nest && batchThreads > 1)
    loopNest(true);
  for (auto [pm, pn] :
       {std::pair{g.m - g.m % cm, g.n - g.n % cn},
        std::pair{g.m % cm, g.n - g.n % cn},
        std::pair{g.m - g.m % cm, g.n % cn}, std::pair{g.m % cm, g.n % cn}}) {
    if (pm == 0 || pn == 0)
      continue;
    auto [tm, tn] = matmulCacheTile(pm, pn);
    double threads =
        g.batch > 1 || !contractionWorthThreads(double(pm) * pn * g.k,
                                                double(g.k) * pn * rhsBytes)
            ? 1.0
            : balancedThreads(double(pm / tm * (pn / tn)));
    // A part of fewer rows than a register tile (a matrix-vector
    // product) is register tiles of that many rows (tileRegisterEdges):
    // its FMAs are its rows' only, but each loads its vector of the
    // right operand, which the part reads once, from wherever it is.
    // Its edge tiles of fewer accumulators than kMinConvAccumulators (a
    // row's 16, 8 and 4 columns of 28: a vector each) wait at each K
    // step on the previous step's FMA, as a convolution's chains do:
    // their steps, not their FLOPs (a 1 x 672 x 28 product took 2.3 us,
    // 3.4 ns a K step for its 3 tiles; its FLOPs at the matmul rate 0.6).
    bool streams = tm < kRegisterTileM;
    double rows = double(streams ? tm : roundUp(tm, kRegisterTileM));
    // Chains one vector wide, and wider.
    double columns = double(tn - tn % kRegisterTileN), single = 0, wider = 0;
    for (int64_t width : registerEdgeWidths(tn % kRegisterTileN)) {
      double accumulators =
          double(tm) * double(llvm::divideCeil(width, kVectorLanes));
      if (streams && accumulators < kMinConvAccumulators)
        (width <= kVectorLanes ? single : wider) += 1;
      else
        columns += double(roundUp(width, kVectorLanes));
    }
    double tiles = double(pm / tm) * (pn / tn);
    chainedPerElement += (overlappedChains(tiles * single, double(g.k), 1) +
                          overlappedChains(tiles * wider, double(g.k), 2)) /
                         threads;
    perElement += 2.0 * (pm / tm) * rows * (pn / tn) * columns * g.k / threads;
    if (streams) {
      streamedPerElement += double(pn) * g.k * rhsBytes / threads;
      streamedRight += double(g.batch) * pn * g.k * rhsBytes;
      streamedThreads = std::max(streamedThreads, threads * batchThreads);
    }
    if (packed)
      packedPerElement += double(pn) * g.k * (pm / tm) / threads;
    if (nest && batchThreads == 1)
      loopNest(threads > 1);
    used = std::max(used, threads);
  }
  work[term] += g.batch * perElement / batchThreads;
  work[HostTerm::PackTransposed] += g.batch * packedPerElement / batchThreads;
  work[HostTerm::MatmulStream] += g.batch * streamedPerElement / batchThreads;
  work[HostTerm::MatmulChain] += g.batch * chainedPerElement / batchThreads;
  forksCounted = forksCounted || nest;
  return used;
}

} // namespace fungible::host_work
