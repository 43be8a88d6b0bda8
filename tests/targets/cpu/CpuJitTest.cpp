//===- CpuJitTest.cpp - The CPU target's lowering and JIT -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks that kernels compiled by the CPU JIT (tiled, vectorised
// matmuls, ragged edges cut into matmuls of their own; loops for the rest)
// compute what a
// naive reference loop computes, on shapes that are not multiples of the
// 4x64 register tile or the 256x128x128 cache tile.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuJit.h"
#include "dialects/Workload/WorkloadDialect.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace mlir;
using namespace fungible;

namespace {

class CpuJitTest : public ::testing::TestWithParam<bool> {
protected:
  CpuJitTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registry.insert<fungible::wl::WLDialect>();
    context.appendDialectRegistry(registry);
  }

  std::unique_ptr<CpuJit> compile(const std::string &source) {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    if (!module)
      return nullptr;
    CpuJitOptions options;
    options.vectorize = GetParam();
    llvm::Expected<std::unique_ptr<CpuJit>> jit =
        CpuJit::compile(*module, options);
    EXPECT_TRUE(static_cast<bool>(jit)) << llvm::toString(jit.takeError());
    return jit ? std::move(*jit) : nullptr;
  }

  /// @p: an m x k by k x n matmul; @t: m x k by an n x k weight read
  /// transposed (`wl.matmul {transpose_rhs}`).
  std::unique_ptr<CpuJit> compilePlainAndLinear(int64_t m, int64_t n,
                                                int64_t k) {
    return compile(llvm::formatv(R"mlir(
func.func @p(%a: tensor<{0}x{2}xf32>, %b: tensor<{2}x{1}xf32>) -> tensor<{0}x{1}xf32> {{
  %c = wl.matmul %a, %b : (tensor<{0}x{2}xf32>, tensor<{2}x{1}xf32>) -> tensor<{0}x{1}xf32>
  return %c : tensor<{0}x{1}xf32>
}
func.func @t(%a: tensor<{0}x{2}xf32>, %bt: tensor<{1}x{2}xf32>) -> tensor<{0}x{1}xf32> {{
  %c = wl.matmul %a, %bt {{transpose_rhs} : (tensor<{0}x{2}xf32>, tensor<{1}x{2}xf32>) -> tensor<{0}x{1}xf32>
  return %c : tensor<{0}x{1}xf32>
}
)mlir",
                                 m, n, k)
                       .str());
  }

  MLIRContext context;
};

/// A deterministic value per index, in [-0.5, 0.5).
float valueAt(int64_t i, int salt) {
  return static_cast<float>((i * 37 + salt * 11) % 101) / 101.0f - 0.5f;
}

/// An m x k left operand and a right operand both as k x n (b) and as its
/// n x k transpose (bt), of valueAt's values, with memref descriptors of
/// each. Not copyable: the descriptors point into the vectors.
struct MatmulOperands {
  MatmulOperands(int64_t m, int64_t n, int64_t k, int saltA, int saltB)
      : a(m * k), bt(n * k), b(k * n),
        da{a.data(), a.data(), 0, {m, k}, {k, 1}},
        dbt{bt.data(), bt.data(), 0, {n, k}, {k, 1}},
        db{b.data(), b.data(), 0, {k, n}, {n, 1}} {
    for (int64_t i = 0; i < m * k; ++i)
      a[i] = valueAt(i, saltA);
    for (int64_t j = 0; j < n; ++j)
      for (int64_t l = 0; l < k; ++l)
        b[l * n + j] = bt[j * k + l] = valueAt(j * k + l, saltB);
  }
  MatmulOperands(const MatmulOperands &) = delete;
  MatmulOperands &operator=(const MatmulOperands &) = delete;

  /// Runs `name` of `jit` on a and b (bt with `transposedRhs`) into `out`,
  /// whose buffer the caller frees.
  llvm::Error invoke(CpuJit &jit, llvm::StringRef name, bool transposedRhs,
                     StridedMemRefType<float, 2> &out) {
    void *pa = &da, *pb = transposedRhs ? &dbt : &db, *pc = &out;
    void *args[] = {&pc, &pa, &pb};
    return jit.invoke(name, args);
  }

  std::vector<float> a, bt, b;
  StridedMemRefType<float, 2> da, dbt, db;
};

/// Element (i, j) of a 2-D result.
float elementAt(const StridedMemRefType<float, 2> &m, int64_t i, int64_t j) {
  return m.data[m.offset + i * m.strides[0] + j * m.strides[1]];
}

TEST_P(CpuJitTest, RaggedMatmulMatchesReference) {
  const int64_t m = 37, n = 53, k = 29;
  std::unique_ptr<CpuJit> jit = compile(llvm::formatv(R"mlir(
func.func @mm(%a: tensor<{0}x{2}xf32>, %b: tensor<{2}x{1}xf32>) -> tensor<{0}x{1}xf32> {{
  %c = wl.matmul %a, %b : (tensor<{0}x{2}xf32>, tensor<{2}x{1}xf32>) -> tensor<{0}x{1}xf32>
  return %c : tensor<{0}x{1}xf32>
}
)mlir",
                                                      m, n, k)
                                            .str());
  ASSERT_TRUE(jit);
  std::vector<float> a(m * k), b(k * n);
  for (int64_t i = 0; i < m * k; ++i)
    a[i] = valueAt(i, 1);
  for (int64_t i = 0; i < k * n; ++i)
    b[i] = valueAt(i, 2);
  StridedMemRefType<float, 2> da{a.data(), a.data(), 0, {m, k}, {k, 1}};
  StridedMemRefType<float, 2> db{b.data(), b.data(), 0, {k, n}, {n, 1}};
  StridedMemRefType<float, 2> dc;
  void *pa = &da, *pb = &db, *pc = &dc;
  void *args[] = {&pc, &pa, &pb};
  ASSERT_FALSE(static_cast<bool>(jit->invoke("mm", args)));
  ASSERT_EQ(dc.sizes[0], m);
  ASSERT_EQ(dc.sizes[1], n);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double expected = 0;
      for (int64_t l = 0; l < k; ++l)
        expected += double(a[i * k + l]) * b[l * n + j];
      float got = elementAt(dc, i, j);
      ASSERT_NEAR(got, expected, 1e-4) << "at (" << i << ", " << j << ")";
    }
  free(dc.basePtr);
}

TEST_P(CpuJitTest, FusedKernelWithBatchMatmulAndEpilogue) {
  // A wl.kernel as wl-outline-kernels makes it: batch matmul, bias, relu.
  std::unique_ptr<CpuJit> jit = compile(R"mlir(
func.func @k(%a: tensor<3x5x7xf32>, %b: tensor<3x7x33xf32>, %bias: tensor<33xf32>) -> tensor<3x5x33xf32> {
  %r = wl.kernel "batch_matmul_0" (%a, %b, %bias) : (tensor<3x5x7xf32>, tensor<3x7x33xf32>, tensor<33xf32>) -> tensor<3x5x33xf32> {
  ^bb0(%x: tensor<3x5x7xf32>, %y: tensor<3x7x33xf32>, %z: tensor<33xf32>):
    %m = wl.batch_matmul %x, %y : (tensor<3x5x7xf32>, tensor<3x7x33xf32>) -> tensor<3x5x33xf32>
    %s = wl.add %m, %z : (tensor<3x5x33xf32>, tensor<33xf32>) -> tensor<3x5x33xf32>
    %o = wl.relu %s : tensor<3x5x33xf32>
    wl.yield %o : tensor<3x5x33xf32>
  }
  return %r : tensor<3x5x33xf32>
}
)mlir");
  ASSERT_TRUE(jit);
  const int64_t bs = 3, m = 5, k = 7, n = 33;
  std::vector<float> a(bs * m * k), b(bs * k * n), bias(n);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = valueAt(i, 3);
  for (size_t i = 0; i < b.size(); ++i)
    b[i] = valueAt(i, 4);
  for (size_t i = 0; i < bias.size(); ++i)
    bias[i] = valueAt(i, 5);
  StridedMemRefType<float, 3> da{
      a.data(), a.data(), 0, {bs, m, k}, {m * k, k, 1}};
  StridedMemRefType<float, 3> db{
      b.data(), b.data(), 0, {bs, k, n}, {k * n, n, 1}};
  StridedMemRefType<float, 1> dz{bias.data(), bias.data(), 0, {n}, {1}};
  StridedMemRefType<float, 3> dr;
  void *pa = &da, *pb = &db, *pz = &dz, *pr = &dr;
  void *args[] = {&pr, &pa, &pb, &pz};
  ASSERT_FALSE(static_cast<bool>(jit->invoke("k", args)));
  for (int64_t p = 0; p < bs; ++p)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = bias[j];
        for (int64_t l = 0; l < k; ++l)
          acc += double(a[(p * m + i) * k + l]) * b[(p * k + l) * n + j];
        double expected = std::max(acc, 0.0);
        float got = dr.data[dr.offset + p * dr.strides[0] + i * dr.strides[1] +
                            j * dr.strides[2]];
        ASSERT_NEAR(got, expected, 1e-4)
            << "at (" << p << ", " << i << ", " << j << ")";
      }
  free(dr.basePtr);
}

TEST_P(CpuJitTest, LoweringErrorsAreReported) {
  // f8 has no LLVM lowering of its conversions: compile reports an error
  // naming the op; nothing aborts.
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(R"mlir(
func.func @f(%a: tensor<4xf32>) -> tensor<4xf8E4M3FN> {
  %b = wl.cast %a : tensor<4xf32> -> tensor<4xf8E4M3FN>
  return %b : tensor<4xf8E4M3FN>
}
)mlir",
                                                             &context);
  ASSERT_TRUE(module);
  llvm::Expected<std::unique_ptr<CpuJit>> jit = CpuJit::compile(*module);
  ASSERT_FALSE(static_cast<bool>(jit));
  std::string message = llvm::toString(jit.takeError());
  EXPECT_NE(message.find("f8E4M3FN"), std::string::npos) << message;
}

TEST_P(CpuJitTest, ThreadedResultIsTheOneThreadResultBitForBit) {
  // 300x600 output: 3x3 cache tiles, ragged in both M and N, run on
  // OpenMP's threads; the epilogue (180000 elements) and the row sums
  // (300 rows of 600) are parallel loops too. Splitting only independent
  // outputs keeps every sum in the same order: the bits cannot change.
  const int64_t m = 300, k = 150, n = 600;
  std::string source = llvm::formatv(R"mlir(
func.func @k(%a: tensor<{0}x{1}xf32>, %b: tensor<{1}x{2}xf32>, %bias: tensor<{2}xf32>) -> (tensor<{0}x{2}xf32>, tensor<{0}xf32>) {{
  %m = wl.matmul %a, %b : (tensor<{0}x{1}xf32>, tensor<{1}x{2}xf32>) -> tensor<{0}x{2}xf32>
  %s = wl.add %m, %bias : (tensor<{0}x{2}xf32>, tensor<{2}xf32>) -> tensor<{0}x{2}xf32>
  %r = wl.reduce sum %s dims = [1] : tensor<{0}x{2}xf32> -> tensor<{0}xf32>
  return %s, %r : tensor<{0}x{2}xf32>, tensor<{0}xf32>
}
)mlir",
                                     m, k, n)
                           .str();
  std::vector<float> a(m * k), b(k * n), bias(n);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = valueAt(i, 6);
  for (size_t i = 0; i < b.size(); ++i)
    b[i] = valueAt(i, 7);
  for (size_t i = 0; i < bias.size(); ++i)
    bias[i] = valueAt(i, 8);

  struct Result {
    std::vector<float> s, r;
  };
  auto run = [&](bool parallel) -> Result {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    CpuJitOptions options;
    options.vectorize = GetParam();
    options.parallel = parallel;
    llvm::Expected<std::unique_ptr<CpuJit>> jit =
        CpuJit::compile(*module, options);
    if (!jit) {
      ADD_FAILURE() << llvm::toString(jit.takeError());
      return {};
    }
    StridedMemRefType<float, 2> da{a.data(), a.data(), 0, {m, k}, {k, 1}};
    StridedMemRefType<float, 2> db{b.data(), b.data(), 0, {k, n}, {n, 1}};
    StridedMemRefType<float, 1> dz{bias.data(), bias.data(), 0, {n}, {1}};
    struct {
      StridedMemRefType<float, 2> s;
      StridedMemRefType<float, 1> r;
    } out;
    void *pa = &da, *pb = &db, *pz = &dz, *po = &out;
    void *args[] = {&po, &pa, &pb, &pz};
    EXPECT_FALSE(static_cast<bool>((*jit)->invoke("k", args)));
    Result result;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j)
        result.s.push_back(elementAt(out.s, i, j));
      result.r.push_back(out.r.data[out.r.offset + i * out.r.strides[0]]);
    }
    free(out.s.basePtr);
    free(out.r.basePtr);
    return result;
  };
  Result threaded = run(true), single = run(false);
  ASSERT_EQ(threaded.s.size(), size_t(m * n));
  ASSERT_EQ(single.s.size(), size_t(m * n));
  EXPECT_EQ(0, std::memcmp(threaded.s.data(), single.s.data(),
                           m * n * sizeof(float)));
  EXPECT_EQ(0,
            std::memcmp(threaded.r.data(), single.r.data(), m * sizeof(float)));
  // And both are the product: an independent double-precision loop.
  for (int64_t i = 0; i < m; i += 37) {
    double rowSum = 0;
    for (int64_t j = 0; j < n; ++j) {
      double acc = bias[j];
      for (int64_t l = 0; l < k; ++l)
        acc += double(a[i * k + l]) * b[l * n + j];
      rowSum += acc;
      ASSERT_NEAR(threaded.s[i * n + j], acc, 1e-4) << i << ", " << j;
    }
    ASSERT_NEAR(threaded.r[i], rowSum, 1e-2) << i;
  }
}

TEST_P(CpuJitTest, TransposedRightOperandIsPackedToTheSameBits) {
  // A right operand read as N x K (torch's and TOSA's linear layers) is
  // copied, a cache tile's K x N block at a time, into a panel the plain
  // matmul schedule reads: the same FMAs in the same order as the matmul
  // of the transposed operand, so the same bits. Shapes: 16 x 16 blocks
  // that divide (40 x 256 x 512), and ragged N and K tiles (37 x 200 x
  // 300: the panel copied by a linalg.transpose), and one K step with N
  // under a cache tile (5 x 48 x 24).
  struct Shape {
    int64_t m, n, k;
  };
  for (Shape shape :
       {Shape{40, 256, 512}, Shape{37, 200, 300}, Shape{5, 48, 24}}) {
    const int64_t m = shape.m, n = shape.n, k = shape.k;
    std::unique_ptr<CpuJit> jit = compilePlainAndLinear(m, n, k);
    ASSERT_TRUE(jit);
    MatmulOperands ops(m, n, k, 3, 4);
    StridedMemRefType<float, 2> transposed, plain;
    ASSERT_FALSE(static_cast<bool>(ops.invoke(*jit, "t", true, transposed)));
    ASSERT_FALSE(static_cast<bool>(ops.invoke(*jit, "p", false, plain)));
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float got = elementAt(transposed, i, j);
        float want = elementAt(plain, i, j);
        ASSERT_EQ(0, std::memcmp(&got, &want, sizeof(float)))
            << m << "x" << n << "x" << k << " at (" << i << ", " << j
            << "): " << got << " against " << want;
        double expected = 0;
        for (int64_t l = 0; l < k; ++l)
          expected += double(ops.a[i * k + l]) * ops.bt[j * k + l];
        ASSERT_NEAR(got, expected, 1e-3) << "at (" << i << ", " << j << ")";
      }
    free(transposed.basePtr);
    free(plain.basePtr);
  }
}

TEST_P(CpuJitTest, MatmulEdgesAreTheFmaSumBitForBit) {
  // Rows and columns the tiles do not divide are matmuls of their own
  // (CpuMatmulEdges.cpp): cache tiles of 256 rows and 128 columns leave
  // 6 rows of 262 and 104 columns of 1000, and 4 x 64 register tiles
  // leave 2 rows and 40 columns of those; a single row (M = 1) and fewer
  // than 64 columns (N = 8) are register tiles of their own shape. Each
  // element is still the FMAs of its products in K order from zero,
  // K steps of 128 included: bit for bit what std::fma gives in that
  // order, for a plain right operand and one read as N x K.
  struct Shape {
    int64_t m, n, k;
  };
  for (Shape shape : {Shape{262, 1000, 150}, Shape{1, 300, 70},
                      Shape{130, 8, 33}, Shape{6, 104, 129}}) {
    const int64_t m = shape.m, n = shape.n, k = shape.k;
    std::unique_ptr<CpuJit> jit = compilePlainAndLinear(m, n, k);
    ASSERT_TRUE(jit);
    MatmulOperands ops(m, n, k, 6, 7);
    for (const char *name : {"p", "t"}) {
      StridedMemRefType<float, 2> dc;
      ASSERT_FALSE(
          static_cast<bool>(ops.invoke(*jit, name, name[0] == 't', dc)));
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          float want = 0;
          for (int64_t l = 0; l < k; ++l)
            want = std::fma(ops.a[i * k + l], ops.b[l * n + j], want);
          float got = elementAt(dc, i, j);
          // The reference path (no vectorisation) is LLVM's loops, whose
          // multiply-adds it may or may not fuse: near, not the same bits.
          if (GetParam())
            ASSERT_EQ(0, std::memcmp(&got, &want, sizeof(float)))
                << name << " " << m << "x" << n << "x" << k << " at (" << i
                << ", " << j << "): " << got << " against " << want;
          else
            ASSERT_NEAR(got, want, 1e-4)
                << name << " at (" << i << ", " << j << ")";
        }
      free(dc.basePtr);
    }
  }
}

TEST_P(CpuJitTest, HeadSplitOperandsAreReadInPlaceToTheFmaSum) {
  // Attention's operands out of a [S, H * D] cache: K^T is the cache's
  // [S, H, D] view transposed to [H, D, S], V its [H, S, D] view. Neither is
  // copied (readPermutedBatchRhsInPlace): each head's product reads the
  // cache through a strided view, K^T's packed in 16 x 16 blocks (S = 128,
  // D = 64) or copied by a transpose (S = 40, D = 24, not multiples of 16).
  // Each element is the FMAs of its products in K order from zero.
  struct Shape {
    int64_t h, m, s, d;
  };
  for (Shape shape : {Shape{3, 1, 128, 64}, Shape{2, 5, 40, 24}}) {
    const int64_t h = shape.h, m = shape.m, s = shape.s, d = shape.d;
    std::unique_ptr<CpuJit> jit = compile(llvm::formatv(R"mlir(
func.func @scores(%q: tensor<{0}x{1}x{3}xf32>, %cache: tensor<{2}x{4}xf32>) -> tensor<{0}x{1}x{2}xf32> {{
  %k = wl.reshape %cache : tensor<{2}x{4}xf32> -> tensor<{2}x{0}x{3}xf32>
  %kt = wl.transpose %k perm = [1, 2, 0] : tensor<{2}x{0}x{3}xf32> -> tensor<{0}x{3}x{2}xf32>
  %r = wl.batch_matmul %q, %kt : (tensor<{0}x{1}x{3}xf32>, tensor<{0}x{3}x{2}xf32>) -> tensor<{0}x{1}x{2}xf32>
  return %r : tensor<{0}x{1}x{2}xf32>
}
func.func @values(%p: tensor<{0}x{1}x{2}xf32>, %cache: tensor<{2}x{4}xf32>) -> tensor<{0}x{1}x{3}xf32> {{
  %v = wl.reshape %cache : tensor<{2}x{4}xf32> -> tensor<{2}x{0}x{3}xf32>
  %vt = wl.transpose %v perm = [1, 0, 2] : tensor<{2}x{0}x{3}xf32> -> tensor<{0}x{2}x{3}xf32>
  %r = wl.batch_matmul %p, %vt : (tensor<{0}x{1}x{2}xf32>, tensor<{0}x{2}x{3}xf32>) -> tensor<{0}x{1}x{3}xf32>
  return %r : tensor<{0}x{1}x{3}xf32>
}
)mlir",
                                                        h, m, s, d, h * d)
                                              .str());
    ASSERT_TRUE(jit);
    std::vector<float> q(h * m * d), p(h * m * s), cache(s * h * d);
    for (size_t i = 0; i < q.size(); ++i)
      q[i] = valueAt(i, 1);
    for (size_t i = 0; i < p.size(); ++i)
      p[i] = valueAt(i, 2);
    for (size_t i = 0; i < cache.size(); ++i)
      cache[i] = valueAt(i, 3);
    // cache[t, head * d + j], the row t of keys or values.
    auto at = [&](int64_t t, int64_t head, int64_t j) {
      return cache[t * h * d + head * d + j];
    };
    StridedMemRefType<float, 2> dc{
        cache.data(), cache.data(), 0, {s, h * d}, {h * d, 1}};
    auto check = [&](const char *name, std::vector<float> &lhs, int64_t k,
                     int64_t n, auto rhs) {
      StridedMemRefType<float, 3> dl{
          lhs.data(), lhs.data(), 0, {h, m, k}, {m * k, k, 1}};
      StridedMemRefType<float, 3> dr;
      void *pl = &dl, *pc = &dc, *pr = &dr;
      void *args[] = {&pr, &pl, &pc};
      ASSERT_FALSE(static_cast<bool>(jit->invoke(name, args)));
      for (int64_t b = 0; b < h; ++b)
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < n; ++j) {
            float want = 0;
            for (int64_t l = 0; l < k; ++l)
              want = std::fma(lhs[(b * m + i) * k + l], rhs(b, l, j), want);
            float got = dr.data[dr.offset + b * dr.strides[0] +
                                i * dr.strides[1] + j * dr.strides[2]];
            if (GetParam())
              ASSERT_EQ(0, std::memcmp(&got, &want, sizeof(float)))
                  << name << " " << h << "x" << m << "x" << s << "x" << d
                  << " at (" << b << ", " << i << ", " << j << "): " << got
                  << " against " << want;
            else
              ASSERT_NEAR(got, want, 1e-4)
                  << name << " at (" << b << ", " << i << ", " << j << ")";
          }
      free(dr.basePtr);
    };
    // Scores: q [h, m, d] times K^T [h, d, s], K^T[b, l, j] = cache row j.
    check("scores", q, d, s,
          [&](int64_t b, int64_t l, int64_t j) { return at(j, b, l); });
    // Values: p [h, m, s] times V [h, s, d], V[b, l, j] = cache row l.
    check("values", p, s, d,
          [&](int64_t b, int64_t l, int64_t j) { return at(l, b, j); });
  }
}

TEST_P(CpuJitTest, ApproximatedMathIsWithinUlpsOfLibm) {
  // The host back end computes f32 tanh, exp, erf and log with upstream's
  // polynomials (fungible-cpu-approximate-math), so that the loops
  // vectorise. Against libm in double precision, over 8192 inputs from
  // -20 to 20 (exp: -80 to 80, within f32's normal range; log: of |x|
  // from 1e-3), each stays within a few ulp of the true value.
  const int64_t n = 8192;
  std::unique_ptr<CpuJit> jit = compile(llvm::formatv(R"mlir(
#map = affine_map<(d0) -> (d0)>
func.func @f(%x: tensor<{0}xf32>) -> (tensor<{0}xf32>, tensor<{0}xf32>, tensor<{0}xf32>, tensor<{0}xf32>) {{
  %e = tensor.empty() : tensor<{0}xf32>
  %r:4 = linalg.generic {{indexing_maps = [#map, #map, #map, #map, #map], iterator_types = ["parallel"]}
      ins(%x : tensor<{0}xf32>) outs(%e, %e, %e, %e : tensor<{0}xf32>, tensor<{0}xf32>, tensor<{0}xf32>, tensor<{0}xf32>) {{
  ^bb0(%v: f32, %o0: f32, %o1: f32, %o2: f32, %o3: f32):
    %c4 = arith.constant 4.0 : f32
    %t = math.tanh %v : f32
    %w = arith.mulf %v, %c4 : f32
    %ex = math.exp %w : f32
    %er = math.erf %v : f32
    %a = math.absf %v : f32
    %l = math.log %a : f32
    linalg.yield %t, %ex, %er, %l : f32, f32, f32, f32
  } -> (tensor<{0}xf32>, tensor<{0}xf32>, tensor<{0}xf32>, tensor<{0}xf32>)
  return %r#0, %r#1, %r#2, %r#3 : tensor<{0}xf32>, tensor<{0}xf32>, tensor<{0}xf32>, tensor<{0}xf32>
}
)mlir",
                                                      n)
                                            .str());
  ASSERT_TRUE(jit);
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i) {
    x[i] = -20.0f + 40.0f * static_cast<float>(i) / (n - 1);
    if (std::fabs(x[i]) < 1e-3f)
      x[i] = 1e-3f;
  }
  StridedMemRefType<float, 1> dx{x.data(), x.data(), 0, {n}, {1}};
  struct {
    StridedMemRefType<float, 1> r[4];
  } out;
  void *px = &dx, *po = &out;
  void *args[] = {&po, &px};
  ASSERT_FALSE(static_cast<bool>(jit->invoke("f", args)));
  double (*const reference[])(double) = {
      [](double v) { return std::tanh(v); },
      [](double v) { return std::exp(4 * v); },
      [](double v) { return std::erf(v); },
      [](double v) { return std::log(std::fabs(v)); }};
  const char *const names[] = {"tanh", "exp", "erf", "log"};
  for (int f = 0; f < 4; ++f) {
    double worst = 0;
    for (int64_t i = 0; i < n; ++i) {
      float got = out.r[f].data[out.r[f].offset + i * out.r[f].strides[0]];
      double want = reference[f](static_cast<double>(x[i]));
      // In ulps of the true value (of 1 for values below 1 in magnitude
      // near the zeros of log and erf: their absolute error).
      double ulp =
          std::ldexp(1.0, std::ilogb(std::max(std::fabs(want), 1.0 / 64)) - 23);
      worst = std::max(worst, std::fabs(got - want) / ulp);
    }
    EXPECT_LE(worst, 4.0) << names[f];
    free(out.r[f].basePtr);
  }
}

INSTANTIATE_TEST_SUITE_P(Vectorized, CpuJitTest, ::testing::Values(true));
INSTANTIATE_TEST_SUITE_P(Loops, CpuJitTest, ::testing::Values(false));

} // namespace
