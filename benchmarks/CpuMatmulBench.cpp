//===- CpuMatmulBench.cpp - CPU JIT kernels against OpenBLAS ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file measures the CPU target's f32 matmul (wl.matmul through the CPU
// JIT: tiled and vectorised) in GFLOP/s at 256, 1024 and 2048 (and with
// 128, 384 and 3136 rows over 768 x 768, shapes 256 does not divide), on one
// thread and on OpenMP's threads (all cores, or OMP_NUM_THREADS), and
// OpenBLAS's sgemm on the same shapes and thread counts in the same run as
// the reference line (when the build found OpenBLAS); linear layers, whose
// weight is read transposed (BM_CpuJitLinear); and the JIT's code
// for the ops between the matmuls (BM_CpuJitRowOp: GELU, softmax, a
// square, exp over 1024 x 3072); and its 3 x 3 convolutions by image size
// (BM_CpuJitConv). Rates are per wall-clock second.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadDialect.h"
#include "targets/cpu/CpuJit.h"
#include "tools/InitAll.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"

#include "benchmark/benchmark.h"

#ifdef FUNGIBLE_HAVE_OPENBLAS
#include <cblas.h>
#endif

#include <array>
#include <cstdlib>
#include <optional>
#include <vector>

using namespace mlir;

namespace {

void setGflops(benchmark::State &state, int64_t m, int64_t n, int64_t k) {
  state.counters["GFLOP/s"] = benchmark::Counter(
      2.0 * m * n * k * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}

/// A function JIT-compiled for the host (its MLIR context kept with it).
struct JitFunction {
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<fungible::CpuJit> jit;
};

/// `source` compiled by the CPU JIT, on one thread or OpenMP's; null (the
/// benchmark skipped with the error) when it does not compile.
std::optional<JitFunction>
compileJit(benchmark::State &state, const std::string &source, bool parallel) {
  fungible::CpuJitOptions options;
  options.parallel = parallel;
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  fungible::registerAllFungibleDialects(registry);
  JitFunction f{std::make_unique<MLIRContext>(registry), nullptr};
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(source, f.context.get());
  if (!module) {
    state.SkipWithError("the benchmark's MLIR does not parse");
    return std::nullopt;
  }
  llvm::Expected<std::unique_ptr<fungible::CpuJit>> jit =
      fungible::CpuJit::compile(*module, options);
  if (!jit) {
    state.SkipWithError(llvm::toString(jit.takeError()).c_str());
    return std::nullopt;
  }
  f.jit = std::move(*jit);
  return f;
}

/// The JIT's m x k by k x n matmul, on one thread or OpenMP's; with
/// `transposedRhs`, the right operand is n x k (a linear layer's weight,
/// `wl.matmul {transpose_rhs}`).
void runJitMatmul(benchmark::State &state, int64_t m, int64_t n, int64_t k,
                  bool parallel, bool transposedRhs = false) {
  std::optional<JitFunction> f = compileJit(
      state,
      llvm::formatv(R"mlir(
func.func @mm(%a: tensor<{0}x{2}xf32>, %b: tensor<{3}xf32>) -> tensor<{0}x{1}xf32> {{
  %c = wl.matmul %a, %b {4} : (tensor<{0}x{2}xf32>, tensor<{3}xf32>) -> tensor<{0}x{1}xf32>
  return %c : tensor<{0}x{1}xf32>
}
)mlir",
                    m, n, k,
                    transposedRhs ? llvm::formatv("{0}x{1}", n, k).str()
                                  : llvm::formatv("{0}x{1}", k, n).str(),
                    transposedRhs ? "{transpose_rhs}" : "")
          .str(),
      parallel);
  if (!f)
    return;
  fungible::CpuJit *jit = f->jit.get();
  std::vector<float> a(m * k, 0.5f), b(k * n, 0.25f);
  StridedMemRefType<float, 2> da{a.data(), a.data(), 0, {m, k}, {k, 1}};
  StridedMemRefType<float, 2> db{b.data(), b.data(), 0, {k, n}, {n, 1}};
  if (transposedRhs)
    db = {b.data(), b.data(), 0, {n, k}, {k, 1}};
  StridedMemRefType<float, 2> dc;
  void *pa = &da, *pb = &db, *pc = &dc;
  for (auto _ : state) {
    void *args[] = {&pc, &pa, &pb};
    if (llvm::Error e = jit->invoke("mm", args)) {
      state.SkipWithError(llvm::toString(std::move(e)).c_str());
      return;
    }
    free(dc.basePtr);
  }
  setGflops(state, m, n, k);
}

void BM_CpuJitMatmul(benchmark::State &state) {
  int64_t n = state.range(0);
  runJitMatmul(state, n, n, n, state.range(1) != 0);
}

/// Rows x 768 by 768 x 768 (a BERT-base projection over `m` tokens): rows
/// that 256 does not divide.
void BM_CpuJitMatmulRows(benchmark::State &state) {
  runJitMatmul(state, state.range(0), 768, 768, state.range(1) != 0);
}

/// m x k by a weight of n x k read transposed (torch's and TOSA's linear
/// layers): a 40-token Qwen2-1.5B MLP projection (40 x 1536 by
/// 8960 x 1536) and 1024^3.
void BM_CpuJitLinear(benchmark::State &state) {
  runJitMatmul(state, state.range(0), state.range(1), state.range(2),
               state.range(3) != 0, /*transposedRhs=*/true);
}

/// The linear layers' shapes (m, n, k) on one thread and on OpenMP's: the
/// JIT's and OpenBLAS's.
void linearShapes(benchmark::internal::Benchmark *b) {
  b->ArgNames({"m", "n", "k", "threaded"})
      ->ArgsProduct({{40}, {8960}, {1536}, {0, 1}})
      ->Args({1024, 1024, 1024, 0})
      ->Args({1024, 1024, 1024, 1})
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

/// m x k by k x n for shapes the JIT's tiles do not divide
/// (CpuMatmulEdges.cpp): a classifier's 1000 classes on one image (ResNet's
/// 512 features, EfficientNet's 1280) and on 64, 96^3, 8 columns, 50 rows.
void BM_CpuJitMatmulShape(benchmark::State &state) {
  runJitMatmul(state, state.range(0), state.range(1), state.range(2),
               state.range(3) != 0);
}

/// The ragged shapes (m, n, k) on one thread and on OpenMP's: the JIT's
/// and OpenBLAS's.
void raggedShapes(benchmark::internal::Benchmark *b) {
  b->ArgNames({"m", "n", "k", "threaded"});
  for (auto [m, n, k] : {std::array<int64_t, 3>{1, 1000, 512},
                         {1, 1000, 1280},
                         {64, 1000, 128},
                         {96, 96, 96},
                         {128, 8, 512},
                         {50, 512, 512}})
    for (int64_t threaded : {0, 1})
      b->Args({m, n, k, threaded});
  b->UseRealTime()->Unit(benchmark::kMicrosecond);
}

/// A 3 x 3 convolution of `channels` to `channels` on one NHWC image,
/// its output `width` x `width` (the input is given padded: the
/// convolution alone), on OpenMP's threads: VGG's and ResNet's layers
/// from 56 x 56 x 128 down to the 1 x 1 image of a 32-pixel input, and
/// 7 x 7 x 128 (7-column tiles whose filter fits the core's cache).
void BM_CpuJitConv(benchmark::State &state) {
  int64_t w = state.range(0), c = state.range(1), in = w + 2;
  std::optional<JitFunction> f = compileJit(state,
                                            llvm::formatv(R"mlir(
func.func @conv(%x: tensor<1x{0}x{0}x{2}xf32>, %w: tensor<3x3x{2}x{2}xf32>) -> tensor<1x{1}x{1}x{2}xf32> {{
  %y = wl.conv2d %x, %w : (tensor<1x{0}x{0}x{2}xf32>, tensor<3x3x{2}x{2}xf32>) -> tensor<1x{1}x{1}x{2}xf32>
  return %y : tensor<1x{1}x{1}x{2}xf32>
}
)mlir",
                                                          in, w, c)
                                                .str(),
                                            /*parallel=*/true);
  if (!f)
    return;
  std::vector<float> x(in * in * c, 0.5f), filter(9 * c * c, 0.25f);
  StridedMemRefType<float, 4> dx{
      x.data(), x.data(), 0, {1, in, in, c}, {in * in * c, in * c, c, 1}};
  StridedMemRefType<float, 4> dw{
      filter.data(), filter.data(), 0, {3, 3, c, c}, {3 * c * c, c * c, c, 1}};
  StridedMemRefType<float, 4> dy;
  void *px = &dx, *pw = &dw, *py = &dy;
  for (auto _ : state) {
    void *args[] = {&py, &px, &pw};
    if (llvm::Error e = f->jit->invoke("conv", args)) {
      state.SkipWithError(llvm::toString(std::move(e)).c_str());
      return;
    }
    free(dy.basePtr);
  }
  setGflops(state, w * w, c, 9 * c);
}

/// The ops around the matmuls of a transformer (the tanh GELU of GPT-2's
/// MLP, a softmax over its rows, a square, an exp, a layer norm and an
/// RMS norm over its rows) on a 1024 x 3072 f32 tensor, on one thread or
/// OpenMP's; elements per second.
void BM_CpuJitRowOp(benchmark::State &state) {
  constexpr int64_t rows = 1024, cols = 3072;
  static const char *const bodies[] = {
      "%y = wl.gelu %x {approximate} : tensor<1024x3072xf32>",
      "%y = wl.softmax %x axis = 1 : tensor<1024x3072xf32>",
      "%y = wl.mul %x, %x : (tensor<1024x3072xf32>, tensor<1024x3072xf32>) "
      "-> tensor<1024x3072xf32>",
      "%y = wl.exp %x : tensor<1024x3072xf32>",
      "%g = arith.constant dense<1.5> : tensor<3072xf32>\n"
      "  %b = arith.constant dense<0.25> : tensor<3072xf32>\n"
      "  %y = wl.layer_norm %x, %g, %b : (tensor<1024x3072xf32>, "
      "tensor<3072xf32>, tensor<3072xf32>) -> tensor<1024x3072xf32>",
      "%g = arith.constant dense<1.5> : tensor<3072xf32>\n"
      "  %y = wl.rms_norm %x, %g : (tensor<1024x3072xf32>, tensor<3072xf32>) "
      "-> tensor<1024x3072xf32>"};
  static const char *const names[] = {"gelu", "softmax",    "mul",
                                      "exp",  "layer_norm", "rms_norm"};
  int64_t op = state.range(0);
  state.SetLabel(names[op]);
  std::optional<JitFunction> f =
      compileJit(state,
                 llvm::formatv("func.func @f(%x: tensor<1024x3072xf32>) -> "
                               "tensor<1024x3072xf32> {{\n  {0}\n  return %y : "
                               "tensor<1024x3072xf32>\n}\n",
                               bodies[op])
                     .str(),
                 state.range(1) != 0);
  if (!f)
    return;
  std::vector<float> x(rows * cols);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(i % 97) / 16.0f - 3.0f;
  StridedMemRefType<float, 2> dx{
      x.data(), x.data(), 0, {rows, cols}, {cols, 1}};
  StridedMemRefType<float, 2> dy;
  void *px = &dx, *py = &dy;
  for (auto _ : state) {
    void *args[] = {&py, &px};
    if (llvm::Error e = f->jit->invoke("f", args)) {
      state.SkipWithError(llvm::toString(std::move(e)).c_str());
      return;
    }
    free(dy.basePtr);
  }
  state.counters["elements/s"] =
      benchmark::Counter(static_cast<double>(rows * cols) * state.iterations(),
                         benchmark::Counter::kIsRate);
}

#ifdef FUNGIBLE_HAVE_OPENBLAS
void runOpenBlasSgemm(benchmark::State &state, int64_t m, int64_t n, int64_t k,
                      bool parallel, bool transposedRhs = false) {
  // 0: OpenBLAS's own default (every core).
  openblas_set_num_threads(parallel ? 0 : 1);
  std::vector<float> a(m * k, 0.5f), b(k * n, 0.25f), c(m * n);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans,
                transposedRhs ? CblasTrans : CblasNoTrans, m, n, k, 1.0f,
                a.data(), k, b.data(), transposedRhs ? k : n, 0.0f, c.data(),
                n);
    benchmark::DoNotOptimize(c.data());
  }
  setGflops(state, m, n, k);
}
void BM_OpenBlasSgemm(benchmark::State &state) {
  int64_t n = state.range(0);
  runOpenBlasSgemm(state, n, n, n, state.range(1) != 0);
}
void BM_OpenBlasSgemmRows(benchmark::State &state) {
  runOpenBlasSgemm(state, state.range(0), 768, 768, state.range(1) != 0);
}
void BM_OpenBlasSgemmLinear(benchmark::State &state) {
  runOpenBlasSgemm(state, state.range(0), state.range(1), state.range(2),
                   state.range(3) != 0, /*transposedRhs=*/true);
}
void BM_OpenBlasSgemmShape(benchmark::State &state) {
  runOpenBlasSgemm(state, state.range(0), state.range(1), state.range(2),
                   state.range(3) != 0);
}
BENCHMARK(BM_OpenBlasSgemmLinear)->Apply(linearShapes);
BENCHMARK(BM_OpenBlasSgemmShape)->Apply(raggedShapes);
BENCHMARK(BM_OpenBlasSgemm)
    ->ArgNames({"n", "threaded"})
    ->ArgsProduct({{256, 1024, 2048}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OpenBlasSgemmRows)
    ->ArgNames({"m", "threaded"})
    ->ArgsProduct({{128, 384, 3136}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
#endif

} // namespace

BENCHMARK(BM_CpuJitMatmul)
    ->ArgNames({"n", "threaded"})
    ->ArgsProduct({{256, 1024, 2048}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CpuJitLinear)->Apply(linearShapes);
BENCHMARK(BM_CpuJitMatmulShape)->Apply(raggedShapes);
BENCHMARK(BM_CpuJitRowOp)
    ->ArgNames({"op", "threaded"})
    ->ArgsProduct({{0, 1, 2, 3, 4, 5}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CpuJitConv)
    ->ArgNames({"width", "channels"})
    ->Args({56, 128})
    ->Args({28, 256})
    ->Args({14, 512})
    ->Args({7, 512})
    ->Args({1, 512})
    ->Args({7, 128})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CpuJitMatmulRows)
    ->ArgNames({"m", "threaded"})
    ->ArgsProduct({{128, 384, 3136}, {0, 1}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
