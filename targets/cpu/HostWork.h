//===- HostWork.h - What the host's code for a kernel does ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the terms of the `cpu` family's model of its own code
// (docs/CostModel.md, "cpu"). The JIT does not run every op alike: f32
// matmuls take a vectorised, tiled schedule; convolutions, reductions and
// copies are loop nests LLVM compiles as it can; a chain of elementwise
// ops is one loop nest, and every other op of a kernel writes its own
// buffer; ops with enough iterations run on the OpenMP
// thread team. A kernel is described by how much of each kind of work it
// does (its HostWork), counted op by op from its wl ops, and the model's
// time is the sum of each amount times a cost per unit that
// fungible-calibrate fits to the host's measurements
// (`params.host_ns_per_<term>` of the spec).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_HOSTWORK_H
#define FUNGIBLE_TARGETS_CPU_HOSTWORK_H

#include "targets/PluginAPI/ChipSpec.h"

#include "llvm/ADT/StringRef.h"

#include <array>
#include <optional>

namespace fungible {

struct KernelInfo;

/// The terms of the host model. The amounts of compute terms are divided
/// by the threads the op runs on.
enum class HostTerm : unsigned {
  Matmul,             ///< FLOPs of f32 matmuls whose right operand fits the
                      ///< core's cache, padded to the 4x64 register tile
  MatmulLarge,        ///< the same, right operand larger than the cache
  MatmulNonF32,       ///< FLOPs of matmuls of other element types
  MatmulStream,       ///< bytes of right operands streamed through the FMAs
                      ///< of products of fewer rows than a register tile
                      ///< (a matrix-vector product: one load per FMA)
  MatmulChain,        ///< K steps of those products' register tiles whose
                      ///< accumulators are too few to hide an FMA's
                      ///< latency (a 1 x 28 tile's 16, 8 and 4 columns:
                      ///< one vector each), in place of their FLOPs
  Conv,               ///< FLOPs of convolutions whose filter fits the cache
  ConvLarge,          ///< the same, filter larger than the cache
  ConvPointwise,      ///< FLOPs of 1x1 convolutions
  ConvDepthwise,      ///< FLOPs of depthwise convolutions
  ConvChain,          ///< steps of the FMA chains of convolutions whose
                      ///< output tiles have too few accumulators to hide
                      ///< an FMA's latency (one-pixel images)
  ConvChainWindow,    ///< the same, filters of more than one tap (each
                      ///< filter row a 1-D convolution of its own)
  Elementwise,        ///< element operations (add, mul, max, casts, ...)
  ElementwisePass,    ///< elements of loop nests of elementwise ops: the
                      ///< loads, stores and loop a chain of fused ops pays
                      ///< once, however many ops it has
  Transcendental,     ///< exp, tanh, sqrt, ... evaluations the loop
                      ///< vectorises (f32 approximations, sqrt)
  TranscendentalErf,  ///< erf evaluations (the erf form of GELU): an
                      ///< approximation of about twice tanh's work
  TranscendentalLibm, ///< evaluations that call libm (sin, cos, f64)
  Reduction,          ///< elements reduced along the innermost dimension
  ReductionOuter,     ///< elements reduced along outer dimensions
  Pool,               ///< window elements of windowed pooling
  PoolGlobal,         ///< window elements of global pooling (one output per
                      ///< image and channel: contiguous sums)
  Norm,               ///< elements times passes of softmax and the norms
  Copy,               ///< elements copied by layout ops, result within cache
  CopyLarge,          ///< the same, result larger than the cache
  CopyTransposed,     ///< elements copied by transposes that move the
                      ///< innermost dimension (a gather)
  PackTransposed,     ///< elements of right operands read as N x K that cache
                      ///< tiles pack into panels (16 x 16 register
                      ///< transposes)
  CacheBytes,         ///< bytes of ops whose operands fit one core's cache
  OnChipBytes,        ///< bytes of ops whose operands fit on chip only (the
                      ///< shared last-level cache)
  MemoryBytes,        ///< bytes of ops whose operands do not fit on chip and
                      ///< that reuse them (a contraction's tiles): what
                      ///< their arithmetic does not hide
  StreamBytes,        ///< the same for ops that do fewer FLOPs per byte than
                      ///< the host's balance (elementwise, norms, copies):
                      ///< they wait on DRAM
  MatvecOnChipBytes,  ///< bytes of a matrix-vector product's right operand
                      ///< read from the on-chip memory (too large for the
                      ///< cores' caches), a column block at a time
  MatvecStreamBytes,  ///< the same, too large for the on-chip memory: all
                      ///< of it from DRAM
  Ops,                ///< ops that compute a buffer
  ParallelOps,        ///< forks of the thread team (a fork and a join):
                      ///< runs of consecutive loop nests on the threads
  ResultBytes,        ///< bytes of the kernel's results, copied out
  ScalarOp,           ///< FLOPs of loops over buffers (scalar code: the JIT
                      ///< does not vectorise them)
  SerialStep,         ///< iterations of loops over buffers that carry a float
                      ///< (each waits for the previous one's arithmetic)
  StridedAccess,      ///< accesses of loops over buffers that walk a column
                      ///< (a cache line or more per step) of a buffer that
                      ///< fits the core's cache
  StridedAccessLarge, ///< the same, buffer larger than the core's cache
  ReductionChain,     ///< elements of row reductions of rows too short for
                      ///< LLVM to vectorise (kMaxChainRow or fewer): a
                      ///< chain of dependent adds (or maxima) in order
  Arguments,          ///< the call's tensor arguments and results (each
                      ///< a memref descriptor the runtime builds or reads;
                      ///< a result's buffer allocated and freed)
  Call,               ///< one call
};
constexpr unsigned kNumHostTerms = unsigned(HostTerm::Call) + 1;

/// The term's name: "matmul", "conv_large", ... (the spec's parameter is
/// `host_ns_per_<name>`; measurement files use the name).
llvm::StringRef stringifyHostTerm(HostTerm term);
std::optional<HostTerm> parseHostTerm(llvm::StringRef name);
/// The spec parameter holding the term's cost: "host_ns_per_<name>".
std::string hostTermParam(HostTerm term);

/// How much of each term a kernel does.
struct HostWork {
  std::array<double, kNumHostTerms> amount{};
  double &operator[](HostTerm t) { return amount[unsigned(t)]; }
  double operator[](HostTerm t) const { return amount[unsigned(t)]; }
};

/// The host's properties the terms depend on, from a cpu spec: its
/// threads (`units.count`), the cache one core has (`params.core_cache_kb`,
/// 1024 when absent), the on-chip memory (`memory.on_chip_mb`) and its
/// balance, the FLOPs it can do per byte it reads from memory
/// (`compute.matrix_tflops.f32` over `memory.bandwidth_gbps`: the
/// roofline's ridge; 8 when either is absent).
struct HostShape {
  unsigned threads = 1;
  double coreCacheBytes = 1 << 20, onChipBytes = 32 << 20;
  double balance = 8;
  static HostShape of(const ChipSpec &spec);
  /// Adds to `work` the bytes an op that does `flops` moves, its operands
  /// and results `bytes` in all, by the level of the memory they fit: one
  /// core's cache, else the on-chip memory (`nearTerm`: a tiled
  /// contraction's cache tiles read theirs from the core's cache once
  /// packed, CacheBytes), else the bytes beyond the on-chip memory from
  /// DRAM (streamed when the op does fewer FLOPs per byte than the
  /// balance) and as much as it holds from there: the last-level cache
  /// keeps that much between one run and the next (measured on the
  /// project's VM, benchmarks/RESULTS.md 2026-12-06, seventh session).
  void addBytes(HostWork &work, double bytes, double flops,
                HostTerm nearTerm = HostTerm::OnChipBytes) const;
  /// Adds to `work` the bytes of a matrix-vector product's right operand,
  /// read once a run, `threads` threads each reading its share: from the
  /// cores' caches when each share fits one (CacheBytes), else from the
  /// on-chip memory when the whole does (MatvecOnChipBytes), else all of
  /// it from DRAM (MatvecStreamBytes: a sweep larger than the cache evicts
  /// each line before the next run comes back to it). Terms of their own:
  /// VGG-11's classifier weights on the project's VM, all by one row: 16
  /// MiB 65 GB/s, 67 MiB 22, 411 MiB 19, where the sweep's elementwise
  /// streams fit 40-50 (reading the weight by rows, in order, was no
  /// faster; benchmarks/RESULTS.md, 2026-12-07, eleventh session).
  void addStreamedBytes(HostWork &work, double bytes, double threads) const;
};

/// The work of `kernel` on a host of `shape`, op by op from its wl ops.
/// A kernel without ops (a synthetic KernelInfo) counts its GEMM FLOPs as
/// f32 matmul, its other FLOPs as element operations and its bytes as
/// cache or memory bytes.
HostWork describeHostWork(const KernelInfo &kernel, const HostShape &shape);

/// The terms whose costs a spec holds (`params.host_ns_per_<term>`) and
/// those costs, seconds per unit (0 for a term it lacks): every term, none
/// (a spec of the roofline alone), or some (one fitted before the others
/// existed).
struct SpecHostTerms {
  std::array<double, kNumHostTerms> costs{};
  std::array<bool, kNumHostTerms> held{};
};
SpecHostTerms readHostTerms(const ChipSpec &spec);

/// The cost per unit of every term in `spec`, seconds; none when the spec
/// lacks any of them (the model is then the roofline of its figures).
std::optional<std::array<double, kNumHostTerms>>
getHostTermCosts(const ChipSpec &spec);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_CPU_HOSTWORK_H
