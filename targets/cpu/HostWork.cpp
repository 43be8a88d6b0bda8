//===- HostWork.cpp - What the host's code for a kernel does --------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Counts a kernel's HostWork op by op. Each count mirrors what the op's
// lowering on the host runs (passes/Conversion/WorkloadToLinalg and
// targets/cpu/CpuMatmulSchedule.cpp): a matmul's vectorised 4x64 register
// tiles, a convolution's multiply-accumulates, the passes of a softmax, the
// elements a transpose copies.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/HostWork.h"
#include "dialects/Workload/WorkloadInterfaces.h"
#include "dialects/Workload/WorkloadOps.h"
#include "targets/CostModelSupport.h"
#include "targets/Kernels.h"
#include "targets/PluginAPI/KernelInfo.h"
#include "targets/cpu/CpuLowering.h"
#include "targets/cpu/HostWorkCounter.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace fungible {

namespace {

/// The term of an op's transcendental function on the host: f32 exp,
/// tanh, erf and the like are polynomial approximations the loop
/// vectorises (fungible-cpu-approximate-math), and sqrt is an instruction;
/// sin and cos, and every other f64 function, call libm once per element.
/// The erf of an erf-form GELU is an approximation of its own, about
/// twice tanh's (512 x 512 on the project's VM: the erf form 86 us, the
/// tanh form 60, exp alone 40; benchmarks/RESULTS.md, 2026-12-07, tenth
/// session).
HostTerm transcendentalTerm(Operation *op) {
  if (isa<wl::SqrtOp, wl::RsqrtOp>(op))
    return HostTerm::Transcendental;
  Type element = getElementTypeOrSelf(op->getResult(0).getType());
  if (isa<wl::SinOp, wl::CosOp>(op) || element.isF64())
    return HostTerm::TranscendentalLibm;
  auto gelu = dyn_cast<wl::GeluOp>(op);
  return gelu && !gelu.getApproximate() ? HostTerm::TranscendentalErf
                                        : HostTerm::Transcendental;
}

/// Whether `transpose` moves the innermost dimension (its unit dimensions
/// aside): consecutive elements of the result are read a row apart in the
/// input, so its loop gathers rather than streams (NCHW <-> NHWC, the RoPE
/// table's angles transposed).
bool movesInnermost(wl::TransposeOp transpose) {
  // The last dimension of more than one element, if any.
  auto innermost = [](Value value) -> std::optional<int64_t> {
    ArrayRef<int64_t> shape = cast<ShapedType>(value.getType()).getShape();
    for (int64_t d = shape.size() - 1; d >= 0; --d)
      if (shape[d] != 1)
        return d;
    return std::nullopt;
  };
  std::optional<int64_t> in = innermost(transpose.getInput()),
                         out = innermost(transpose.getResult());
  return in && out && *in != transpose.getPermutation()[*out];
}

/// The elements of a row of `transpose`'s output as its loops read it:
/// the innermost non-unit dimension's, times those of the dimensions
/// before it that are consecutive in the input too (a 7 x 7 image's h and
/// w in NHWC -> NCHW: 49; NCHW -> NHWC of 3 channels: 3).
int64_t transposeRow(wl::TransposeOp transpose) {
  ArrayRef<int64_t> out =
      cast<ShapedType>(transpose.getResult().getType()).getShape();
  ArrayRef<int64_t> perm = transpose.getPermutation();
  int64_t d = int64_t(out.size()) - 1;
  while (d > 0 && out[d] == 1)
    --d;
  if (d < 0)
    return 1;
  int64_t row = out[d];
  for (; d > 0 && perm[d] == perm[d - 1] + 1; --d)
    row *= out[d - 1];
  return row;
}

/// Whether the host reads the result of `transpose` where its input is
/// (CpuPackOperands.cpp, readPermutedBatchRhsInPlace): a 3-D transpose
/// that only 3-D batch products read, as their right operand (a batch
/// matmul's plain one, an attention's keys or values), is a strided view
/// of its input, not a copy (the head split of a [S, H, D] cache).
bool readInPlace(wl::TransposeOp transpose) {
  auto type = cast<ShapedType>(transpose.getType());
  if (type.getRank() != 3 || !type.hasStaticShape() ||
      transpose.getResult().use_empty())
    return false;
  return llvm::all_of(transpose.getResult().getUses(), [](OpOperand &use) {
    Operation *user = use.getOwner();
    if (auto bmm = dyn_cast<wl::BatchMatmulOp>(user))
      return !bmm.getTransposeRhs() && &use == &bmm.getRhsMutable();
    if (auto attention = dyn_cast<wl::AttentionOp>(user))
      return &use == &attention.getKeyMutable() ||
             &use == &attention.getValueMutable();
    return false;
  });
}

constexpr const char *kTermNames[kNumHostTerms] = {"matmul",
                                                   "matmul_large",
                                                   "matmul_non_f32",
                                                   "matmul_stream",
                                                   "matmul_chain",
                                                   "conv",
                                                   "conv_large",
                                                   "conv_pointwise",
                                                   "conv_depthwise",
                                                   "conv_chain",
                                                   "conv_chain_window",
                                                   "elementwise",
                                                   "elementwise_pass",
                                                   "transcendental",
                                                   "transcendental_erf",
                                                   "transcendental_libm",
                                                   "reduction",
                                                   "reduction_outer",
                                                   "pool",
                                                   "pool_global",
                                                   "norm",
                                                   "copy",
                                                   "copy_large",
                                                   "copy_transposed",
                                                   "pack_transposed",
                                                   "cache_bytes",
                                                   "on_chip_bytes",
                                                   "memory_bytes",
                                                   "stream_bytes",
                                                   "matvec_on_chip_bytes",
                                                   "matvec_stream_bytes",
                                                   "ops",
                                                   "parallel_ops",
                                                   "result_bytes",
                                                   "scalar_op",
                                                   "serial_step",
                                                   "strided_access",
                                                   "strided_access_large",
                                                   "reduction_chain",
                                                   "arguments",
                                                   "call"};

/// The FLOPs of `op` (the cost interface's count; none without it).
double flopsOf(Operation *op) {
  auto costed = dyn_cast<wl::WorkloadCostInterface>(op);
  return costed ? double(costed.getFlops()) : 0;
}

} // namespace

double host_work::bytesOf(Value value) {
  return double(wl::detail::tensorBytes(value));
}

namespace host_work {

void Counter::count(Operation *op) {
  forksCounted = false;
  streamedRight = 0;
  streamedThreads = 1;
  if (isa<wl::ReshapeOp>(op))
    return; // A view: no code.
  if (auto transpose = dyn_cast<wl::TransposeOp>(op);
      transpose && readInPlace(transpose))
    return; // A view too.
  if (op->hasTrait<OpTrait::ConstantLike>())
    return; // A global (a weight): no code, nothing moved to make it.
  // An elementwise op fused into its user's loop nest runs there, once
  // per element of that loop; its result is no buffer.
  Operation *host = fusedInto(op);
  double resultElements = host ? elementsOf(host->getResult(0).getType())
                          : op->getNumResults()
                              ? elementsOf(op->getResult(0).getType())
                              : 0;
  double bytes = 0;
  for (Value operand : op->getOperands())
    if (!fusedInto(operand.getDefiningOp()))
      bytes += double(wl::detail::sumTensorBytes(operand));
  if (!host)
    bytes += double(wl::detail::sumTensorBytes(op->getResults()));
  // Threads an op of `iterations` loop iterations runs on.
  auto lanes = [&](double iterations) {
    return iterations >= kMinParallelIterations && resultElements > 1
               ? double(shape.threads)
               : 1.0;
  };
  double used = 1;
  // A matmul's cache tiles read its operands from the core's cache once
  // packed: what it streams from the shared cache is in its FLOPs' rate
  // (matmul_large for a right operand beyond the cache).
  bool tiledContraction =
      isa<wl::MatmulOp, wl::BatchMatmulOp, wl::AttentionOp>(op);
  llvm::TypeSwitch<Operation *>(op)
      .Case<wl::MatmulOp, wl::BatchMatmulOp>([&](auto mm) {
        // A matmul reading its right operand as N x K runs the plain
        // schedule on panels its cache tiles pack (CpuPackOperands.cpp;
        // a batch matmul's per element). A left operand read transposed
        // is first copied by a transpose of its own (wl-to-linalg).
        bool packed = mm.getTransposeRhs();
        if (mm.getTransposeLhs())
          countOperandTranspose(mm.getLhs());
        initFill(resultElements);
        Type element = getElementTypeOrSelf(mm.getLhs().getType());
        for (const Gemm &g : getGemms(op))
          used = std::max(
              used,
              matmul(g, matmulTerm(g, element),
                     elementBytes(getElementTypeOrSelf(mm.getRhs())), packed));
        // An accumulator is added after the product (wl-to-linalg): a
        // loop nest of one op.
        if (mm.getAcc()) {
          work[HostTerm::Elementwise] += resultElements / used;
          work[HostTerm::ElementwisePass] += resultElements / used;
        }
      })
      .Case<wl::AttentionOp>([&](wl::AttentionOp attention) {
        used = countAttention(attention, lanes, bytes);
      })
      .Case<wl::Conv2DOp>([&](wl::Conv2DOp conv) {
        countPadding(conv.getInput(), conv.getPadding());
        initFill(resultElements);
        auto filter = cast<ShapedType>(conv.getFilter().getType());
        ArrayRef<int64_t> f = filter.getShape(); // KH x KW x C/g x F
        double macs = resultElements * f[0] * f[1] * f[2];
        bool depthwise = conv.getGroups() > 1 && f[2] == 1;
        HostTerm term = depthwise                ? HostTerm::ConvDepthwise
                        : f[0] == 1 && f[1] == 1 ? HostTerm::ConvPointwise
                        : bytesOf(conv.getFilter()) > shape.coreCacheBytes
                            ? HostTerm::ConvLarge
                            : HostTerm::Conv;
        auto type = cast<RankedTensorType>(conv.getType());
        if (!depthwise && conv.getGroups() == 1 && type.hasStaticShape() &&
            convolutionIsMatmul(
                f[0], f[1],
                llvm::all_of(conv.getStrides(),
                             [](int64_t s) { return s == 1; }),
                type.getElementType().isF32() &&
                    getElementTypeOrSelf(conv.getInput().getType()).isF32() &&
                    filter.getElementType().isF32(),
                type.getDimSize(2), type.getDimSize(3))) {
          // The schedule's matmul: output pixels by channels.
          Gemm g{1,
                 type.getDimSize(0) * type.getDimSize(1) * type.getDimSize(2),
                 type.getDimSize(3), f[2]};
          used = matmul(g, matmulTerm(g, type.getElementType()),
                        elementBytes(type.getElementType()));
          tiledContraction = true;
          return;
        }
        used = convolutionThreads(conv, depthwise, macs);
        if (double steps = chainSteps(conv, depthwise))
          work[f[0] * f[1] > 1 ? HostTerm::ConvChainWindow
                               : HostTerm::ConvChain] += steps / used;
        else
          work[term] += 2 * macs * vectorPadding(conv, depthwise) / used;
      })
      .Case<wl::ReluOp, wl::NegOp, wl::AddOp, wl::SubOp, wl::MulOp, wl::DivOp,
            wl::MaxOp, wl::MinOp, wl::CastOp>([&](Operation *) {
        used = lanes(resultElements);
        work[HostTerm::Elementwise] += resultElements / used;
      })
      .Case<wl::ExpOp, wl::TanhOp, wl::SinOp, wl::CosOp, wl::SqrtOp,
            wl::RsqrtOp>([&](Operation *) {
        used = lanes(resultElements);
        work[transcendentalTerm(op)] += resultElements / used;
      })
      .Case<wl::SigmoidOp>([&](Operation *) {
        // 1 / (1 + exp(-x)).
        used = lanes(resultElements);
        work[transcendentalTerm(op)] += resultElements / used;
        work[HostTerm::Elementwise] += 3 * resultElements / used;
      })
      .Case<wl::GeluOp>([&](wl::GeluOp gelu) {
        // tanh form: 0.5x(1 + tanh(c(x + 0.044715x^3))), 7 operations
        // besides tanh; erf form: 0.5x(1 + erf(x / sqrt 2)), 4.
        used = lanes(resultElements);
        work[transcendentalTerm(op)] += resultElements / used;
        work[HostTerm::Elementwise] +=
            (gelu.getApproximate() ? 7 : 4) * resultElements / used;
      })
      .Case<wl::ReduceOp>([&](wl::ReduceOp reduce) {
        double input = elementsOf(reduce.getInput().getType());
        auto rank = cast<ShapedType>(reduce.getInput().getType()).getRank();
        bool inner =
            !reduce.getDims().empty() && reduce.getDims().back() == rank - 1;
        initFill(resultElements);
        used = lanes(input);
        work[inner ? HostTerm::Reduction : HostTerm::ReductionOuter] +=
            input / used;
        if (inner && resultElements > 0 &&
            input / resultElements <= kMaxChainRow)
          work[HostTerm::ReductionChain] += input / used;
      })
      .Case<wl::SoftmaxOp, wl::LayerNormOp, wl::RmsNormOp>([&](Operation *) {
        // Passes over the input as the lowering makes them: softmax max,
        // exp of the difference, sum, divide; layer norm mean, centred
        // square, its sum, normalise, scale and shift; RMS norm square,
        // sum, normalise and scale.
        double input = elementsOf(op->getOperand(0).getType());
        double passes = isa<wl::SoftmaxOp>(op)     ? 4
                        : isa<wl::LayerNormOp>(op) ? 5
                                                   : 3;
        // Each pass streams the input again: past the cache, that is
        // traffic; unless the passes run in tiles of rows (over the
        // innermost dimension, CpuNormRows.cpp), whose rows stay in the
        // core's cache between them.
        auto type = cast<RankedTensorType>(op->getOperand(0).getType());
        auto softmax = dyn_cast<wl::SoftmaxOp>(op);
        bool innermost =
            softmax
                ? softmax.getAxis() == uint64_t(type.getRank() - 1)
                : cast<ShapedType>(op->getOperand(1).getType()).getRank() == 1;
        double again = (passes - 1) * bytesOf(op->getOperand(0));
        if (innermost &&
            normRowTile(type.getShape(), elementBytes(type.getElementType())))
          work[HostTerm::CacheBytes] += again;
        else
          bytes += again;
        used = lanes(input);
        work[HostTerm::Norm] += passes * input / used;
        if (isa<wl::SoftmaxOp>(op))
          work[HostTerm::Transcendental] += input / used;
        // Rows too short for LLVM to vectorise their reductions (softmax's
        // max and sum, layer norm's two sums, RMS norm's one): chains.
        double row = softmax ? double(type.getDimSize(softmax.getAxis()))
                             : elementsOf(op->getOperand(1).getType());
        if (innermost && row <= kMaxChainRow)
          work[HostTerm::ReductionChain] +=
              (isa<wl::RmsNormOp>(op) ? 1 : 2) * input / used;
      })
      .Case<wl::Pool2DOp>([&](wl::Pool2DOp pool) {
        countPadding(pool.getInput(), pool.getPadding());
        initFill(resultElements);
        double window = 1;
        for (int64_t w : pool.getWindow())
          window *= double(w);
        used = lanes(resultElements * window);
        // A window over the whole unpadded image (a global pool: 1 x 1
        // outputs) adds each row of channels once, into one tile of
        // accumulators; a sliding one reads rows its neighbours read too
        // (both vectorised as depthwise convolutions are,
        // CpuMatmulSchedule.cpp; a cost each).
        auto type = cast<RankedTensorType>(pool.getInput().getType());
        bool global =
            type.getDimSize(1) == pool.getWindow()[0] &&
            type.getDimSize(2) == pool.getWindow()[1] &&
            llvm::all_of(pool.getPadding(), [](int64_t p) { return p == 0; });
        work[global ? HostTerm::PoolGlobal : HostTerm::Pool] +=
            resultElements * window / used;
      })
      .Case<wl::TransposeOp, wl::PadOp, wl::ConcatOp, wl::SliceOp,
            wl::BroadcastOp>([&](Operation *) {
        used = lanes(resultElements);
        bool large = bytesOf(op->getResult(0)) > shape.coreCacheBytes;
        // A transpose that moves the innermost dimension gathers, in
        // blocks; one whose output rows are too short for blocks reads
        // that many lines along their length, as a copy does (NCHW ->
        // NHWC of 3 channels: 0.08 ns an element where gathers took 0.3).
        auto transpose = dyn_cast<wl::TransposeOp>(op);
        bool gathers = transpose && movesInnermost(transpose) &&
                       transposeRow(transpose) >= kTransposeBlock;
        work[gathers ? HostTerm::CopyTransposed
             : large ? HostTerm::CopyLarge
                     : HostTerm::Copy] += resultElements / used;
      })
      .Default([&](Operation *other) {
        // An opaque op or one the model does not know: its FLOPs as
        // element operations. Loops over buffers (wl-wrap-buffer-code's
        // kernels) stay loops: one thread runs them, one element at a
        // time (a scale loop over memref arguments ran at 0.1 ns an
        // element where the vectorised elementwise rate is 0.025).
        if (auto costed = dyn_cast<wl::WorkloadCostInterface>(other)) {
          double flops = double(costed.getFlops());
          bool buffers = wl::detail::touchesBuffers(other);
          used = buffers ? 1.0 : lanes(flops);
          work[buffers ? HostTerm::ScalarOp : HostTerm::Elementwise] +=
              flops / used;
          if (buffers) {
            // Scalar loops: latency the elementwise rate does not have.
            wl::detail::LoopLatency latency =
                wl::detail::countLoopLatency(other);
            work[HostTerm::SerialStep] += double(latency.serialSteps);
            for (auto [accesses, bytes] : latency.stridedAccesses)
              work[bytes > shape.coreCacheBytes ? HostTerm::StridedAccessLarge
                                                : HostTerm::StridedAccess] +=
                  double(accesses);
          }
        }
      });
  // A matrix-vector product's right operand is read once, from wherever
  // it lives (a GEMM's cache tiles read theirs again from the core's cache).
  double streamed = std::min(streamedRight, bytes);
  shape.addStreamedBytes(work, streamed, streamedThreads);
  shape.addBytes(work, bytes - streamed, flopsOf(op),
                 tiledContraction ? HostTerm::CacheBytes
                                  : HostTerm::OnChipBytes);
  if (host)
    return; // No loop nest or buffer of its own.
  // The loop nest of a chain of fused elementwise ops (or of one): its
  // loads, stores and loop, once per element however many ops the chain
  // has; each op's arithmetic is its own term. A chain of 1, 2 or 4
  // adds over 256 x 512 took 9.5-10.8 us alike on the project's VM, 8
  // of them 17 us (benchmarks/RESULTS.md, 2026-12-07, tenth session).
  if (isElementwise(op))
    work[HostTerm::ElementwisePass] += resultElements / used;
  work[HostTerm::Ops] += 1;
  if (!forksCounted)
    loopNest(used > 1);
}

void Counter::loopNest(bool parallel) {
  if (parallel && !forked)
    work[HostTerm::ParallelOps] += 1;
  forked = parallel;
}

void Counter::initFill(double elements) {
  loopNest(elements >= kMinParallelIterations);
}

bool Counter::isElementwise(Operation *op) {
  return isa_and_nonnull<wl::ReluOp, wl::NegOp, wl::AddOp, wl::SubOp, wl::MulOp,
                         wl::DivOp, wl::MaxOp, wl::MinOp, wl::CastOp, wl::ExpOp,
                         wl::TanhOp, wl::SinOp, wl::CosOp, wl::SqrtOp,
                         wl::RsqrtOp, wl::SigmoidOp, wl::GeluOp>(op);
}

Operation *Counter::fusedInto(Operation *op) {
  Operation *host = nullptr;
  while (isElementwise(op) && op->getNumResults() == 1 &&
         op->getResult(0).hasOneUse()) {
    Operation *user = *op->getResult(0).getUsers().begin();
    if (!isElementwise(user) || user->getNumResults() != 1 ||
        elementsOf(user->getResult(0).getType()) >
            elementsOf(op->getResult(0).getType()))
      break;
    host = op = user;
  }
  return host;
}

void Counter::countPadding(Value input, ArrayRef<int64_t> padding) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return;
  auto type = dyn_cast<RankedTensorType>(input.getType());
  if (!type || !type.hasStaticShape() || type.getRank() != 4 ||
      padding.size() != 4)
    return;
  double image = double(type.getNumElements());
  if (image == 0)
    return;
  double padded = double(type.getDimSize(0)) *
                  (type.getDimSize(1) + padding[0] + padding[1]) *
                  (type.getDimSize(2) + padding[2] + padding[3]) *
                  type.getDimSize(3);
  double elementBytes = bytesOf(input) / image;
  // The fill writes the padded buffer; the copy reads the image and
  // writes it again.
  HostTerm term = padded * elementBytes > shape.coreCacheBytes
                      ? HostTerm::CopyLarge
                      : HostTerm::Copy;
  countCopy(padded, padded * elementBytes, term);
  countCopy(image, 2 * image * elementBytes, term);
}

void Counter::countOperandTranspose(Value operand) {
  auto type = dyn_cast<RankedTensorType>(operand.getType());
  if (!type || !type.hasStaticShape() || type.getRank() < 2)
    return;
  int64_t rank = type.getRank();
  double elements = double(type.getNumElements()), bytes = bytesOf(operand);
  HostTerm term =
      type.getDimSize(rank - 2) != 1 && type.getDimSize(rank - 1) != 1
          ? HostTerm::CopyTransposed
      : bytes > shape.coreCacheBytes ? HostTerm::CopyLarge
                                     : HostTerm::Copy;
  countCopy(elements, 2 * bytes, term);
}

void Counter::countCopy(double elements, double moved, HostTerm term) {
  double threads =
      elements >= kMinParallelIterations ? double(shape.threads) : 1.0;
  work[term] += elements / threads;
  shape.addBytes(work, moved, /*flops=*/0);
  work[HostTerm::Ops] += 1;
  loopNest(threads > 1);
}

} // namespace host_work

llvm::StringRef stringifyHostTerm(HostTerm term) {
  return kTermNames[unsigned(term)];
}

std::optional<HostTerm> parseHostTerm(llvm::StringRef name) {
  for (unsigned i = 0; i < kNumHostTerms; ++i)
    if (name == kTermNames[i])
      return HostTerm(i);
  return std::nullopt;
}

std::string hostTermParam(HostTerm term) {
  return ("host_ns_per_" + stringifyHostTerm(term)).str();
}

HostShape HostShape::of(const ChipSpec &spec) {
  HostShape shape;
  shape.threads = std::max(1u, unsigned(spec.units.value));
  auto cache = spec.params.find("core_cache_kb");
  if (cache != spec.params.end())
    shape.coreCacheBytes = cache->second.value * 1024;
  if (spec.onChipMB.value > 0)
    shape.onChipBytes = spec.onChipMB.value * (1 << 20);
  double peak = spec.matrixTflops.lookup("f32").value;
  if (peak > 0 && spec.memoryGBps.value > 0)
    shape.balance = peak * 1e12 / (spec.memoryGBps.value * 1e9);
  return shape;
}

void HostShape::addBytes(HostWork &work, double bytes, double flops,
                         HostTerm nearTerm) const {
  if (bytes <= coreCacheBytes) {
    work[HostTerm::CacheBytes] += bytes;
  } else if (bytes <= onChipBytes) {
    work[nearTerm] += bytes;
  } else {
    work[nearTerm] += onChipBytes;
    work[flops < balance * bytes ? HostTerm::StreamBytes
                                 : HostTerm::MemoryBytes] +=
        bytes - onChipBytes;
  }
}

void HostShape::addStreamedBytes(HostWork &work, double bytes,
                                 double threads) const {
  if (bytes / std::max(threads, 1.0) <= coreCacheBytes)
    work[HostTerm::CacheBytes] += bytes;
  else if (bytes <= onChipBytes)
    work[HostTerm::MatvecOnChipBytes] += bytes;
  else
    work[HostTerm::MatvecStreamBytes] += bytes;
}

HostWork describeHostWork(const KernelInfo &kernel, const HostShape &shape) {
  HostWork work;
  work[HostTerm::Call] = 1;
  if (kernel.op) {
    // The tensors the call takes and returns (a scalar goes by value).
    auto tensors = [](TypeRange types) {
      return double(llvm::count_if(
          types, [](Type type) { return isa<ShapedType>(type); }));
    };
    work[HostTerm::Arguments] = tensors(kernel.op->getOperandTypes()) +
                                tensors(kernel.op->getResultTypes());
  }
  double bytes = kernel.bytesRead + kernel.bytesWritten;
  if (!kernel.op) {
    work[HostTerm::Matmul] = kernel.gemmFlops;
    work[HostTerm::Elementwise] =
        std::max(0.0, kernel.flops - kernel.gemmFlops);
    shape.addBytes(work, bytes, kernel.flops);
    work[HostTerm::Ops] = 1;
    work[HostTerm::ResultBytes] = kernel.bytesWritten;
    return work;
  }
  host_work::Counter counter(shape, work);
  if (auto group = dyn_cast<wl::KernelOp>(kernel.op)) {
    for (Operation &op : group.getBody().front().without_terminator())
      counter.count(&op);
  } else {
    counter.count(kernel.op);
  }
  work[HostTerm::ResultBytes] =
      double(wl::detail::sumTensorBytes(kernel.op->getResults()));
  SmallVector<InPlaceUpdate, 2> handed;
  for (const InPlaceUpdate &update : findInPlaceUpdates(kernel.op))
    if (isSoleReader(kernel.op, update.input))
      handed.push_back(update);
  if (usesBuffers(kernel) || !handed.empty()) {
    // Code over buffers moves what its loads, stores and copies move, and
    // a row put into a cache the row (the kernel's bytes: a copy that an
    // in-place update saves is not among them), not whole tensors; a
    // result updated in place is not made.
    double moved = kernel.bytesRead + kernel.bytesWritten;
    work[HostTerm::CacheBytes] = work[HostTerm::OnChipBytes] =
        work[HostTerm::MemoryBytes] = work[HostTerm::StreamBytes] = 0;
    shape.addBytes(work, moved, kernel.flops);
    for (const InPlaceUpdate &update : handed)
      work[HostTerm::ResultBytes] -= double(update.bytes);
  }
  return work;
}

SpecHostTerms readHostTerms(const ChipSpec &spec) {
  SpecHostTerms terms;
  for (unsigned i = 0; i < kNumHostTerms; ++i) {
    auto it = spec.params.find(hostTermParam(HostTerm(i)));
    terms.held[i] = it != spec.params.end();
    if (terms.held[i])
      terms.costs[i] = it->second.value * 1e-9;
  }
  return terms;
}

std::optional<std::array<double, kNumHostTerms>>
getHostTermCosts(const ChipSpec &spec) {
  SpecHostTerms terms = readHostTerms(spec);
  if (llvm::is_contained(terms.held, false))
    return std::nullopt;
  return terms.costs;
}

} // namespace fungible
