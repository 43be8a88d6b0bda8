//===- HostWorkCounter.h - Counting a kernel's host work --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Private to targets/cpu: the counter behind describeHostWork (HostWork.h).
// HostWork.cpp counts each op's own work; HostWorkContractions.cpp the
// matmuls, attentions and convolutions, whose counts follow the JIT's
// schedules (CpuMatmulSchedule.cpp, CpuMatmulEdges.cpp,
// CpuAttentionRows.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_HOSTWORKCOUNTER_H
#define FUNGIBLE_TARGETS_CPU_HOSTWORKCOUNTER_H

#include "targets/Kernels.h"
#include "targets/cpu/HostWork.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace fungible {
namespace wl {
class AttentionOp;
class Conv2DOp;
} // namespace wl

namespace host_work {

/// The longest row whose reduction LLVM's loop vectoriser leaves a scalar
/// loop in order (its cost model prices the vector loop above the saving):
/// RMS norms of 64 x 16, 32, 48 and 64 took 0.52, 1.0, 1.7 and 2.4 us on
/// the project's VM, 0.6 ns an element; of 64 x 96 0.82 (vectorised;
/// benchmarks/RESULTS.md, 2026-12-07, eleventh session).
constexpr double kMaxChainRow = 64;

/// Elements of a statically shaped type (0 for any other).
inline double elementsOf(mlir::Type type) {
  auto shaped = mlir::dyn_cast<mlir::ShapedType>(type);
  return shaped && shaped.hasStaticShape() ? double(shaped.getNumElements())
                                           : 0;
}

/// Bytes of a statically shaped tensor (the cost interface's count).
double bytesOf(mlir::Value value);

/// Bytes of one element of an int or float type.
inline double elementBytes(mlir::Type element) {
  return element.isIntOrFloat() ? element.getIntOrFloatBitWidth() / 8.0 : 8.0;
}

/// Counts the ops of one kernel into a HostWork.
class Counter {
public:
  Counter(const HostShape &shape, HostWork &work) : shape(shape), work(work) {}

  /// Adds the work of `op`, one op of a kernel in program order.
  void count(mlir::Operation *op);

private:
  /// Counts a loop nest of the kernel's code, in program order: one on the
  /// threads forks them (ParallelOps) unless the nest before it did and
  /// nothing ran on one thread since (consecutive parallel loops share one
  /// fork, CpuMergeParallelRegions.cpp); one on one thread ends the fork.
  void loopNest(bool parallel);

  /// The initial values a contraction or reduction of `elements` results
  /// accumulates into (wl-to-linalg's linalg.fill: zeros, a max's lowest
  /// value): a loop nest of its own, chunked on the threads from
  /// kMinParallelIterations as any op, so a small one between two parallel
  /// ops keeps them two forks (its time is in the op's cost; only its fork
  /// is counted).
  void initFill(double elements);

  /// wl-to-linalg's ops for `attention`: K^T (read as it is when K comes
  /// as a transpose of K^T; else, of 3-D operands, read in place and
  /// packed per cache tile as N x K, CpuPackOperands.cpp; else copied by
  /// a transpose), Q K^T, the scores scaled (and masked), their softmax,
  /// scores x V. Scores beyond kMinTiledScoreBytes of a 3-D attention whose
  /// query rows are the products' rows, or a 4-D one (heads, or a
  /// grouped-query attention's heads of a group, merged by one reshape),
  /// are computed in tiles of query rows (CpuAttentionRows.cpp): each tile's
  /// products and passes on its thread, the passes in the core's cache, K^T
  /// copied once for the tiles to read. Adds the scores' bytes to `bytes`
  /// (tiled: to cache bytes); returns the threads the attention runs on.
  /// `lanes` is count()'s: the threads an untiled op of so many iterations runs
  /// on.
  double countAttention(wl::AttentionOp attention,
                        llvm::function_ref<double(double)> lanes,
                        double &bytes);

  /// The elementwise ops of the host's code (wl-to-linalg's elementwise
  /// linalg.generic ops).
  static bool isElementwise(mlir::Operation *op);

  /// The op whose loop nest computes `op` when the CPU pipeline fuses it
  /// (fungible-fuse-elementwise-producers: an elementwise producer with one
  /// use goes into its elementwise user, and that user's into its own,
  /// unless the user reads it broadcast: fuse-broadcasts=false); null when
  /// `op` has loops of its own.
  static mlir::Operation *fusedInto(mlir::Operation *op);

  /// The threads `tiles` equal tiles run on, as the time they take: the
  /// OpenMP loop's static schedule gives each thread ceil(tiles / T) of
  /// them, so 3 tiles on 2 threads take 2 tiles' time (1.5 threads).
  double balancedThreads(double tiles) const;

  /// The threads a convolution of `macs` multiply-adds runs on: the JIT's
  /// output tiles (convolutionTile) are an scf.forall, so no more threads
  /// than tiles (a 1x1 image of 64 channels is one tile: no fork). Grouped
  /// convolutions that are not depthwise are generic loops, chunked as
  /// any op.
  double convolutionThreads(wl::Conv2DOp conv, bool depthwise, double macs);

  /// The steps of a convolution's FMA chains when its output tiles
  /// (convolutionTile) hold fewer accumulator vectors than
  /// kMinConvAccumulators: each step of a tile (a filter tap and an input
  /// channel) then waits for the previous one's FMA to finish, whatever the
  /// tile's width, so the tiles' steps, KH x KW x C each, are its time; 0 when
  /// the FMAs can fill the pipes (the FLOPs are). A one-pixel image's 1 x 1024
  /// -> 16 convolution (one accumulator) took 1.2 ns a step on the project's
  /// VM, 4 cycles; its 4 x 4 image (4 accumulators) 0.29 ns an FMA, one
  /// cycle (benchmarks/RESULTS.md, 2026-12-06, seventh session).
  double chainSteps(wl::Conv2DOp conv, bool depthwise) const;

  /// What a convolution's channel vectors cost over its FLOPs: the
  /// schedule's output tiles (convolutionTile) are `lanes` channels wide,
  /// and a tile narrower than a whole vector of kVectorLanes, or not a
  /// multiple of one, still takes whole vectors' time (24 channels are 3
  /// tiles of 8: each FMA does half a vector's work). 1 for grouped
  /// convolutions that are not depthwise (generic loops).
  double vectorPadding(wl::Conv2DOp conv, bool depthwise) const;

  /// A convolution's or pooling's padding (top, bottom, left, right of an
  /// NHWC image): the lowering fills a padded buffer with the pad value and
  /// copies the image into its middle, two more ops (wl-to-linalg's
  /// tensor.pad; fungible-cpu-copies-to-loops makes the copy loops).
  void countPadding(mlir::Value input, llvm::ArrayRef<int64_t> padding);

  /// An operand a matmul reads transposed, which wl-to-linalg copies by a
  /// transpose of its last two dimensions: a gather unless one of them is
  /// a unit (a 512 x 1 vector's transpose streams).
  void countOperandTranspose(mlir::Value operand);

  /// A copy op of its own (a padding's fill or copy, an operand's
  /// transpose): `elements` of `term` over its threads, `moved` bytes
  /// read and written, one op.
  void countCopy(double elements, double moved, HostTerm term);

  /// The term of a GEMM of `element`s: f32 by whether its right operand
  /// fits the core's cache, other types alike.
  HostTerm matmulTerm(const Gemm &g, mlir::Type element) const;

  /// Adds a GEMM's padded FLOPs to `term`; returns the threads it runs on.
  /// A batch of two or more worth threads (contractionWorthThreads: its
  /// multiply-adds, or the bytes of its right operands, of `rhsBytes`
  /// bytes an element) is an scf.forall over its elements, each element's
  /// cache tiles then on that thread. One element is cut where its cache
  /// tile does not divide it (splitCacheEdges), and each part's cache
  /// tiles (matmulCacheTile) are an scf.forall of its own (a loop when the
  /// part, with its K x pn of the right operand, is not worth threads).
  /// Inside a tile, rows the 4 x 64 register tile does not divide take its
  /// time of 4 rows (but a tile of fewer than 4 rows is those rows' FMAs,
  /// each loading a vector of the right operand, whose bytes it streams:
  /// MatmulStream), and columns it does not divide are register tiles of
  /// power-of-two widths (registerEdgeWidths), each padded to whole
  /// vectors (one of fewer than 4 rows with too few accumulators to hide
  /// an FMA's latency: its K steps, MatmulChain). With `packed`, each row of a
  /// part's cache tiles packs the part's N x K block of the right operand. With
  /// `nest`, its loop nests are counted (loopNest) and count() counts no other
  /// for the op; without, the caller counts the loop it runs in.
  double matmul(const Gemm &g, HostTerm term, double rhsBytes,
                bool packed = false, bool nest = true);

  const HostShape &shape;
  HostWork &work;
  /// Whether the last loop nest counted ran on the threads (its fork still
  /// open for the next one to share).
  bool forked = false;
  /// Whether the op being counted has counted its loop nests itself.
  bool forksCounted = false;
  /// The bytes of right operands the op's matrix-vector products stream
  /// (parts of fewer rows than a register tile: each read once), and the
  /// most threads they are read on.
  double streamedRight = 0, streamedThreads = 1;
};

} // namespace host_work
} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_HOSTWORKCOUNTER_H
