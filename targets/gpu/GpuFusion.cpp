//===- GpuFusion.cpp - One tiled loop nest per GPU kernel -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements fungible-gpu-tile-and-fuse-kernels: the step that
// makes an outlined kernel one GPU program, as the cost model priced it.
// Upstream does the work: linalg's elementwise fusion merges chains of
// elementwise ops, and scf's tile-and-fuse (TilingInterface) tiles the
// kernel's output over an scf.forall and computes, inside each tile, the
// slice of every producer that tile reads.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadOps.h"
#include "targets/LoweringSupport.h"
#include "targets/gpu/GpuFusionSteps.h"
#include "targets/gpu/GpuPasses.h"
#include "targets/gpu/GpuSchedule.h"
#include "targets/gpu/TensorCores.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>

using namespace mlir;

namespace fungible {
#define GEN_PASS_DEF_GPUTILEANDFUSEKERNELSPASS
#include "targets/gpu/GpuPasses.h.inc"

namespace {

using gpu_fusion::isContractionLike;
using gpu_fusion::kPieceLoopAttr;
using gpu_fusion::kSplitLanesAttr;
using gpu_kernels::kChainedContractionColumns;
using gpu_kernels::kContractionTile;
using gpu_kernels::largestDivisorAtMost;
using gpu_kernels::reductionLanes;
using gpu_kernels::shrinkToEnoughTiles;
using gpu_kernels::splitWholeTile;

/// The most points a tile of a kernel without a contraction covers.
constexpr int64_t kPointsPerTile = 4096;
/// The most loop iterations (of all the kernel's ops, reductions counted)
/// a tile of a kernel without a contraction runs: 1024 a thread.
constexpr int64_t kWorkPerTile = 128 * 1024;

/// The tilings of `root`'s loops to try, best first, as tile sizes (0: not
/// tiled). Reductions are never tiled, and every size divides its loop
/// (largestDivisorAtMost). With a contraction in the kernel, two parallel
/// loops take the CTA tile and the others 1: the last two first, then
/// every other pair, innermost first (a reshape between the contraction and
/// the output may put its rows and columns elsewhere), loops of one
/// iteration last. Otherwise the
/// innermost parallel loops are taken whole while the tile has at most
/// `points` points (pointsPerTile), the innermost whatever its length with
/// `wholeRows` (the kernel reduces rows). With `chainedContractions` (an
/// attention: one contraction reads another's result), pairs whose inner
/// loop is whole come first: a tile of 64 queries with all of the head's
/// columns reads K and V once for 64 queries, where tiles of one query
/// (or half a head) read them per query. Tiles shrink then while there are
/// fewer than kEnoughTiles of them (enoughTiles): a contraction's two
/// loops (with `smallerContractionTiles`: not the tensor cores' 64x64;
/// down to `fewestPoints` outputs, fewer than a thread each where a
/// matrix-vector product's partial sums give each output several),
/// or the outer loops of any other kernel, whose innermost loop a fused
/// row reduction may walk.
SmallVector<SmallVector<int64_t>>
tilingCandidates(linalg::LinalgOp root, bool hasContraction, int64_t points,
                 bool smallerContractionTiles, bool wholeRows,
                 bool chainedContractions,
                 int64_t fewestPoints = gpu_kernels::kFewestPointsPerTile) {
  SmallVector<int64_t> ranges = root.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = root.getIteratorTypesArray();
  auto pieceLoop = root->getAttrOfType<IntegerAttr>(kPieceLoopAttr);
  SmallVector<unsigned> parallel;
  for (unsigned d = 0; d < ranges.size(); ++d)
    if (iterators[d] == utils::IteratorType::parallel &&
        (!pieceLoop || pieceLoop.getInt() != d))
      parallel.push_back(d);
  auto enoughTiles = [&](SmallVector<int64_t> &sizes,
                         ArrayRef<unsigned> shrinkable, bool widestFirst) {
    shrinkToEnoughTiles(ranges, parallel, sizes, shrinkable, widestFirst,
                        fewestPoints);
  };
  SmallVector<SmallVector<int64_t>> candidates;
  auto add = [&](SmallVector<int64_t> sizes) {
    splitWholeTile(ranges, parallel, sizes);
    if (!llvm::is_contained(candidates, sizes))
      candidates.push_back(sizes);
    // Next, the same tiles with the loops they take whole left untiled:
    // their slices' offsets are then the constant 0, which moving a slice
    // through a reshape between producer and root may need.
    for (unsigned d : parallel)
      if (sizes[d] == ranges[d])
        sizes[d] = 0;
    if (!llvm::is_contained(candidates, sizes))
      candidates.push_back(std::move(sizes));
  };
  if (!hasContraction) {
    SmallVector<int64_t> sizes(ranges.size(), 0);
    int64_t budget = points;
    if (pieceLoop)
      budget = std::max<int64_t>(1, budget / ranges[pieceLoop.getInt()]);
    for (unsigned d : llvm::reverse(parallel)) {
      // A fused row reduction walks the innermost loop: tiles cut across
      // it would each recompute the row's sums (8 times for a 32000-wide
      // softmax in tiles of 4000).
      bool whole = wholeRows && d == parallel.back() && parallel.size() > 1;
      sizes[d] = whole ? ranges[d] : largestDivisorAtMost(ranges[d], budget);
      budget = std::max<int64_t>(1, budget / sizes[d]);
    }
    ArrayRef<unsigned> outer(parallel);
    enoughTiles(sizes, outer.drop_back(parallel.size() > 1 ? 1 : 0),
                /*widestFirst=*/false);
    add(sizes);
    return candidates;
  }
  // Loops of one iteration (a reshape's unit dims moved into the root)
  // tile nothing: pairs of longer loops come first, as the model tiles the
  // result's dims of more than one (GpuSchedule's contractionTile).
  auto isUnit = [&](int64_t i) { return i >= 0 && ranges[parallel[i]] == 1; };
  SmallVector<int64_t> inners;
  for (int64_t i = parallel.size() - 1; i >= 0; --i)
    inners.push_back(i);
  std::stable_partition(inners.begin(), inners.end(),
                        [&](int64_t i) { return !isUnit(i); });
  // With `innerWhole`, the inner loop is taken whole (up to
  // kChainedContractionColumns).
  auto pairs = [&](bool innerWhole) {
    for (int64_t inner : inners) {
      unsigned innerDim = parallel[inner];
      if (innerWhole && ranges[innerDim] > kChainedContractionColumns)
        continue;
      SmallVector<int64_t> outers;
      for (int64_t outer = inner - 1; outer >= -1; --outer)
        if (outer >= 0 || parallel.size() == 1)
          outers.push_back(outer);
      std::stable_partition(outers.begin(), outers.end(),
                            [&](int64_t i) { return !isUnit(i); });
      // An attention's queries are the longest loop beside the head's
      // columns: tried first.
      if (innerWhole)
        llvm::stable_sort(outers, [&](int64_t x, int64_t y) {
          return x >= 0 && y >= 0 && ranges[parallel[x]] > ranges[parallel[y]];
        });
      for (int64_t outer : outers) {
        SmallVector<int64_t> sizes(ranges.size(), 0);
        for (unsigned d : parallel)
          sizes[d] = 1;
        SmallVector<unsigned, 2> tiled = {innerDim};
        if (outer >= 0)
          tiled.push_back(parallel[outer]);
        for (unsigned d : tiled)
          sizes[d] = largestDivisorAtMost(ranges[d], kContractionTile);
        if (innerWhole)
          sizes[innerDim] = ranges[innerDim];
        if (smallerContractionTiles)
          enoughTiles(sizes, tiled, /*widestFirst=*/true);
        add(sizes);
      }
    }
  };
  if (chainedContractions)
    pairs(/*innerWhole=*/true);
  pairs(/*innerWhole=*/false);
  return candidates;
}

/// The points a tile of `root` (in `func`, without a contraction) takes:
/// kPointsPerTile at most, fewer where each point costs more than one
/// iteration of the kernel's ops (a row sum fused into its tile walks the
/// row), so that a tile runs at most kWorkPerTile iterations. A 16384x4096
/// row sum took 4 tiles of 4096 rows, and 4 CTAs ran it on a GPU of 132
/// multiprocessors (12.5 GB/s on an H200).
int64_t pointsPerTile(func::FuncOp func, linalg::LinalgOp root) {
  auto iterations = [](linalg::LinalgOp op, bool parallelOnly) {
    int64_t n = 1;
    for (auto [range, iterator] :
         llvm::zip(op.getStaticLoopRanges(), op.getIteratorTypesArray()))
      if (!ShapedType::isDynamic(range) &&
          (!parallelOnly || iterator == utils::IteratorType::parallel))
        n *= range;
    return n;
  };
  int64_t work = 0;
  func.walk([&](linalg::LinalgOp op) { work += iterations(op, false); });
  int64_t perPoint =
      std::max<int64_t>(1, work / std::max<int64_t>(1, iterations(root, true)));
  return std::clamp<int64_t>(kWorkPerTile / perPoint, 1, kPointsPerTile);
}

/// The values `func` returns, looking through reshapes (views of the
/// buffer of the op that computes them).
llvm::SetVector<Value> returnedValues(func::FuncOp func) {
  llvm::SetVector<Value> values;
  auto ret = dyn_cast<func::ReturnOp>(func.getBody().front().getTerminator());
  if (!ret)
    return values;
  for (Value result : ret.getOperands()) {
    while (isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
        result.getDefiningOp()))
      result = result.getDefiningOp()->getOperand(0);
    values.insert(result);
  }
  return values;
}

/// Whether `op` reads, directly or through other ops, a value `target`
/// defines.
bool dependsOn(Operation *op, Operation *target) {
  SmallVector<Operation *> stack = {op};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!stack.empty()) {
    Operation *current = stack.pop_back_val();
    if (current == target)
      return true;
    if (!seen.insert(current).second)
      continue;
    for (Value operand : current->getOperands())
      if (Operation *def = operand.getDefiningOp())
        stack.push_back(def);
  }
  return false;
}

/// The op to tile: the one computing `func`'s result, or, when it returns
/// several values (other than views of one), the statically shaped linalg
/// op computing one of them that reads all the others (they are then
/// produced by its tiles too); null if there is none.
linalg::LinalgOp findRoot(func::FuncOp func) {
  llvm::SetVector<Value> values = returnedValues(func);
  for (Value value : values) {
    auto root = value.getDefiningOp<linalg::LinalgOp>();
    if (!root || !root.hasPureTensorSemantics() ||
        llvm::any_of(root.getStaticLoopRanges(), ShapedType::isDynamic))
      continue;
    if (llvm::all_of(values, [&](Value other) {
          Operation *def = other.getDefiningOp();
          return def && dependsOn(root, def);
        }))
      return root;
  }
  return {};
}

/// Tiles `root` with `sizes` over an scf.forall and fuses every producer
/// it can into the tile; erases what is left unused. Returns the number
/// of linalg ops left outside the tile loop.
FailureOr<unsigned> tileAndFuseWith(func::FuncOp func, linalg::LinalgOp root,
                                    ArrayRef<int64_t> sizes) {
  IRRewriter rewriter(func.getContext());
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(func.getContext(), sizes));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // A producer whose value the kernel also returns is written by the tiles
  // as well.
  llvm::SetVector<Value> returned = returnedValues(func);
  options.setFusionControlFn(
      [returned](tensor::ExtractSliceOp, OpResult producer, bool)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        return scf::SCFTileAndFuseOptions::ControlFnResult{
            returned.contains(producer)};
      });
  RewritePatternSet cleanup(func.getContext());
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(cleanup);
  tensor::populateBubbleUpExtractSliceOpPatterns(cleanup);
  // A padded input's tile is the pad of its slice, without the guard for
  // an empty slice (the scf.if a CTA could not spread over its threads).
  cleanup.add<linalg::ExtractSliceOfPadTensorSwapPattern>(
      func.getContext(), [](tensor::ExtractSliceOp) { return false; });
  options.cleanupPatterns = FrozenRewritePatternSet(std::move(cleanup));
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root.getOperation()), options);
  if (failed(result))
    return failure();
  // Uses before the tile loop are the producers' own (dead once fused).
  Operation *loop = result->loops.front();
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
      Operation *user =
          loop->getBlock()->findAncestorOpInBlock(*use.getOwner());
      return user && loop->isBeforeInBlock(user);
    });
  // Ops with no uses left are dead, in the tile loop and outside it: a
  // slice of a fused producer's whole result left unused in the tile would
  // otherwise keep that producer, and its launch, alive.
  Block &body = func.getBody().front();
  for (bool erased = true; erased;) {
    erased = false;
    func.walk<WalkOrder::PostOrder>([&](Operation *op) {
      if (op != func && op->getNumResults() && isOpTriviallyDead(op)) {
        op->erase();
        erased = true;
      }
    });
  }
  return static_cast<unsigned>(llvm::count_if(
      body, [](Operation &op) { return isa<linalg::LinalgOp>(op); }));
}

/// Makes `func` one tile loop: its output op tiled over an scf.forall with
/// every producer fused into the tile, trying tilingCandidates in turn
/// (each on a copy) until one fuses everything, else keeping the one that
/// leaves fewest ops outside. Leaves a function with one linalg op, or
/// whose result is not computed by a statically shaped linalg op, as it
/// is: its ops are then launched one by one.
/// The ops to tile: findRoot's one, or else, when the kernel returns
/// several values none of which reads the others (a QKV split), the ops
/// computing each, if they are statically shaped linalg ops over the same
/// loops (their tile loops are then merged); empty if neither.
SmallVector<linalg::LinalgOp> findRoots(func::FuncOp func) {
  if (linalg::LinalgOp root = findRoot(func))
    return {root};
  SmallVector<linalg::LinalgOp> roots;
  for (Value value : returnedValues(func)) {
    auto root = value.getDefiningOp<linalg::LinalgOp>();
    if (!root || !root.hasPureTensorSemantics() ||
        llvm::any_of(root.getStaticLoopRanges(), ShapedType::isDynamic))
      return {};
    if (!roots.empty() &&
        (root.getStaticLoopRanges() != roots.front().getStaticLoopRanges() ||
         root.getIteratorTypesArray() != roots.front().getIteratorTypesArray()))
      return {};
    roots.push_back(root);
  }
  return roots;
}

/// Merges the tile loops in `func`'s body (one per root, same bounds) into
/// one, at the last one's place; fails if they differ.
LogicalResult mergeTileLoops(func::FuncOp func) {
  SmallVector<scf::ForallOp> loops(
      func.getBody().front().getOps<scf::ForallOp>());
  for (scf::ForallOp loop : loops)
    if (loop.getMixedLowerBound() != loops.front().getMixedLowerBound() ||
        loop.getMixedUpperBound() != loops.front().getMixedUpperBound() ||
        loop.getMixedStep() != loops.front().getMixedStep())
      return failure();
  // Reshapes of the results (views the function returns) move to the
  // return, out of the way of the merged loop, which takes the last one's
  // place.
  Block &body = func.getBody().front();
  Operation *ret = body.getTerminator();
  llvm::SmallPtrSet<Operation *, 8> views = {ret};
  SmallVector<Operation *> sunk;
  for (Operation &op : llvm::reverse(body))
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op) &&
        llvm::all_of(op.getUsers(),
                     [&](Operation *user) { return views.contains(user); })) {
      views.insert(&op);
      sunk.push_back(&op);
    }
  for (Operation *op : llvm::reverse(sunk))
    op->moveBefore(ret);
  IRRewriter rewriter(func.getContext());
  scf::ForallOp merged = loops.back();
  for (scf::ForallOp loop : llvm::reverse(ArrayRef(loops).drop_back()))
    merged = fuseIndependentSiblingForallLoops(loop, merged, rewriter);
  return success();
}

/// Whether `func` is an f16 or bf16 matmul from +0 and nothing else (a
/// fill and a plain named matmul, static shapes): the standalone
/// tensor-core kernel (GpuMapMatmulsToTensorCores) takes it whole, fill
/// included, with 128x128 tiles and a cp.async pipeline on sm_90a, where a
/// fused tile is one 64x64 CTA without a pipeline (8192^3 bf16 on an H200:
/// 78 TFLOP/s fused, 152 standalone).
bool isLoneTensorCoreMatmul(func::FuncOp func) {
  SmallVector<linalg::LinalgOp> ops;
  func.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
  if (ops.size() != 2)
    return false;
  auto fill = dyn_cast<linalg::FillOp>(ops[0].getOperation());
  linalg::LinalgOp matmul = ops[1];
  if (!fill || !matchPattern(fill.getInputs()[0], m_PosZeroFloat()) ||
      !isPlainNamedMatmul(matmul) || matmul.getNumDpsInits() != 1 ||
      matmul.getDpsInits()[0] != fill.getResult(0))
    return false;
  auto a = dyn_cast<ShapedType>(matmul.getDpsInputs()[0].getType());
  auto b = dyn_cast<ShapedType>(matmul.getDpsInputs()[1].getType());
  auto c = dyn_cast<ShapedType>(matmul.getDpsInits()[0].getType());
  return a && b && c &&
         gpu_kernels::takesTensorCoreOperands(
             a, b, c, isa<linalg::BatchMatmulOp>(matmul.getOperation()));
}

/// Makes `func` one tile loop: its output op tiled over an scf.forall with
/// every producer fused into the tile, trying tilingCandidates in turn
/// (each on a copy) until one fuses everything, else keeping the one that
/// leaves fewest ops outside. Several independent outputs are tiled alike
/// and their loops merged. Leaves a function with one linalg op, or whose
/// results are not computed by statically shaped linalg ops, as it is:
/// its ops are then launched one by one.
void tileAndFuse(func::FuncOp func) {
  SmallVector<linalg::LinalgOp> roots = findRoots(func);
  if (roots.empty())
    return;
  unsigned linalgOps = 0;
  bool hasContraction = false, tensorCoreTiles = false, reduces = false,
       chained = false;
  // A matrix-vector product's outputs each have `lanes` partial sums: a
  // tile of 128 / lanes outputs has a thread for each.
  int64_t fewestPoints = gpu_kernels::kFewestPointsPerTile;
  llvm::SmallPtrSet<Operation *, 4> contractions;
  func.walk([&](linalg::LinalgOp op) {
    ++linalgOps;
    reduces |= op.getNumReductionLoops() > 0;
    if (auto lanes = op->getAttrOfType<IntegerAttr>(kSplitLanesAttr))
      fewestPoints = std::min<int64_t>(
          fewestPoints, std::max<int64_t>(1, gpu_kernels::kFewestPointsPerTile /
                                                 lanes.getInt()));
    if (!isContractionLike(op))
      return;
    for (Operation *earlier : contractions)
      chained |= dependsOn(op, earlier);
    contractions.insert(op);
    hasContraction = true;
    tensorCoreTiles |= isa<Float16Type, BFloat16Type>(
        getElementTypeOrSelf(op.getDpsInputs()[0]));
  });
  // A lone op is already one program, spread over the whole grid.
  if (linalgOps < 2 || isLoneTensorCoreMatmul(func))
    return;
  func::FuncOp best;
  unsigned bestLeft = linalgOps;
  for (ArrayRef<int64_t> sizes : tilingCandidates(
           roots.front(), hasContraction, pointsPerTile(func, roots.front()),
           /*smallerContractionTiles=*/!tensorCoreTiles,
           /*wholeRows=*/reduces,
           /*chainedContractions=*/chained, fewestPoints)) {
    func::FuncOp trial = func.clone();
    FailureOr<unsigned> left = failure();
    for (linalg::LinalgOp root : findRoots(trial)) {
      left = tileAndFuseWith(trial, root, sizes);
      if (failed(left))
        break;
    }
    if (succeeded(left) && roots.size() > 1) {
      // A trial that merges loops out of order is discarded, silently.
      ScopedDiagnosticHandler quiet(func.getContext(),
                                    [](Diagnostic &) { return success(); });
      if (failed(mergeTileLoops(trial)) || failed(verify(trial)))
        left = failure();
    }
    if (failed(left) || *left >= bestLeft) {
      trial.erase();
      continue;
    }
    if (best)
      best.erase();
    best = trial;
    bestLeft = *left;
    if (bestLeft == 0)
      break;
  }
  if (!best)
    return;
  func.getBody().takeBody(best.getBody());
  best.erase();
}

struct GpuTileAndFuseKernelsPass
    : impl::GpuTileAndFuseKernelsPassBase<GpuTileAndFuseKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!everyFunction && !wl::WLDialect::KernelAttrHelper(&getContext())
                               .isAttrPresent(getOperation()))
      return;
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      gpu_fusion::copyAccumulatedArguments(func);
      if (failed(gpu_fusion::fuseElementwise(func)))
        return signalPassFailure();
      gpu_fusion::concatsAsGenerics(func);
      // After the elementwise fusion, whose reshape propagation would fold
      // the matmul's reshapes back into a convolution's loops.
      gpu_fusion::convolutionsAsMatrixVectorProducts(func);
      gpu_fusion::splitRowReductions(func);
      tileAndFuse(func);
      func.walk([](linalg::GenericOp op) {
        op->removeAttr(kPieceLoopAttr);
        op->removeAttr(kSplitLanesAttr);
      });
    }
  }
};

} // namespace
} // namespace fungible
