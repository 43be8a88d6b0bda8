//===- PolynomialTest.cpp - The idiom matchers' view of arithmetic -*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks Polynomial (expressions as sums of monomials over their
// leaves) on scalar bodies with coefficients expanded by hand, and the
// activation matchers on forms that must and must not match.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "passes/Conversion/LinalgToWorkload/Idioms.h"
#include "passes/Conversion/LinalgToWorkload/Polynomial.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace fungible;
using namespace fungible::import;
using namespace fungible::testing;

namespace {

class PolynomialTest : public ::testing::Test, public WorkloadFixture {
protected:
  PolynomialTest() {
    context.loadDialect<arith::ArithDialect, math::MathDialect,
                        tosa::TosaDialect>();
  }

  /// Parses `body` (scalar f32 arithmetic over %x, %y) and returns the
  /// value named %r; the function's arguments go to `args`.
  Value expression(const std::string &body) {
    module = parse("%x: f32, %y: f32", body);
    if (!module)
      return nullptr;
    Value result;
    module->walk([&](Operation *op) {
      for (Value v : op->getResults())
        result = v; // the last value defined is %r
    });
    auto func = *module->getOps<func::FuncOp>().begin();
    args.assign(func.getArguments().begin(), func.getArguments().end());
    return result;
  }

  OwningOpRef<ModuleOp> module;
  SmallVector<Value> args;
};

TEST_F(PolynomialTest, ExpandsProductsOfSums) {
  // (x + 2)(x - y) / 4 = x^2/4 + x/2 - xy/4 - y/2.
  Value r = expression(R"(
    %c2 = arith.constant 2.0 : f32
    %c4 = arith.constant 4.0 : f32
    %a = arith.addf %x, %c2 : f32
    %b = arith.subf %x, %y : f32
    %p = arith.mulf %a, %b : f32
    %r = arith.divf %p, %c4 : f32)");
  ASSERT_TRUE(r) << messages;
  std::optional<Polynomial> p = Polynomial::of(r);
  ASSERT_TRUE(p);
  Value x = args[0], y = args[1];
  EXPECT_EQ(p->size(), 4u);
  EXPECT_DOUBLE_EQ(p->coefficient({x, x}), 0.25);
  EXPECT_DOUBLE_EQ(p->coefficient({x}), 0.5);
  EXPECT_DOUBLE_EQ(p->coefficient({y, x}), -0.25);
  EXPECT_DOUBLE_EQ(p->coefficient({y}), -0.5);
  EXPECT_DOUBLE_EQ(p->constant(), 0);
}

TEST_F(PolynomialTest, CancelsAndPowers) {
  // x^3 (fpowi) - x*x*x + negf(y) * -1 = y: the cubes cancel.
  Value r = expression(R"(
    %three = arith.constant 3 : i32
    %m1 = arith.constant -1.0 : f32
    %c = math.fpowi %x, %three : f32, i32
    %x2 = arith.mulf %x, %x : f32
    %x3 = arith.mulf %x2, %x : f32
    %d = arith.subf %c, %x3 : f32
    %n = arith.negf %y : f32
    %ny = arith.mulf %n, %m1 : f32
    %r = arith.addf %d, %ny : f32)");
  ASSERT_TRUE(r) << messages;
  std::optional<Polynomial> p = Polynomial::of(r);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size(), 1u);
  EXPECT_DOUBLE_EQ(p->coefficient({args[1]}), 1);
}

TEST_F(PolynomialTest, StopsAtLeavesAndStops) {
  // tanh and a division by a non-constant are leaves; a stop value is a
  // leaf whatever computes it.
  Value r = expression(R"(
    %t = math.tanh %x : f32
    %q = arith.divf %x, %y : f32
    %s = arith.addf %x, %y : f32
    %a = arith.mulf %t, %q : f32
    %r = arith.addf %a, %s : f32)");
  ASSERT_TRUE(r) << messages;
  std::optional<Polynomial> p = Polynomial::of(r);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->getLeaves().size(), 4u); // t, q, x, y
  EXPECT_EQ(p->size(), 3u);
  Value s = r.getDefiningOp()->getOperand(1);
  std::optional<Polynomial> stopped = Polynomial::of(r, {s});
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->size(), 2u);
  EXPECT_DOUBLE_EQ(stopped->coefficient({s}), 1);
}

TEST_F(PolynomialTest, GivesUpOnLargeExpansions) {
  // (x + y)^8 has 9 terms; (x + y + 1)^8 has 45, past the limit of 32.
  Value small = expression(R"(
    %e = arith.constant 8.0 : f32
    %s = arith.addf %x, %y : f32
    %r = math.powf %s, %e : f32)");
  ASSERT_TRUE(small) << messages;
  std::optional<Polynomial> p = Polynomial::of(small);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size(), 9u);
  EXPECT_DOUBLE_EQ(p->coefficient({args[0], args[0], args[0], args[0], args[1],
                                   args[1], args[1], args[1]}),
                   70); // C(8, 4)
  Value large = expression(R"(
    %e = arith.constant 8.0 : f32
    %one = arith.constant 1.0 : f32
    %s0 = arith.addf %x, %y : f32
    %s = arith.addf %s0, %one : f32
    %r = math.powf %s, %e : f32)");
  ASSERT_TRUE(large) << messages;
  EXPECT_FALSE(Polynomial::of(large));
}

TEST_F(PolynomialTest, MatchesGeluForms) {
  Value exact = expression(R"(
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %k = arith.constant 0.707106769 : f32
    %u = arith.mulf %k, %x : f32
    %e = math.erf %u : f32
    %s = arith.addf %one, %e : f32
    %h = arith.mulf %s, %x : f32
    %r = arith.mulf %h, %half : f32)");
  ASSERT_TRUE(exact) << messages;
  std::optional<GeluMatch> m = matchGelu(exact);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->x, args[0]);
  EXPECT_FALSE(m->approximate);
  // The erf of x / 2 is not GELU's.
  Value wrong = expression(R"(
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %u = arith.mulf %half, %x : f32
    %e = math.erf %u : f32
    %s = arith.addf %one, %e : f32
    %h = arith.mulf %s, %x : f32
    %r = arith.mulf %h, %half : f32)");
  ASSERT_TRUE(wrong) << messages;
  EXPECT_FALSE(matchGelu(wrong));
}

TEST_F(PolynomialTest, MatchesSigmoidAndSilu) {
  Value silu = expression(R"(
    %one = arith.constant 1.0 : f32
    %n = arith.negf %x : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %r = arith.divf %x, %d : f32)");
  ASSERT_TRUE(silu) << messages;
  std::optional<SigmoidMatch> m = matchSigmoid(silu);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->x, args[0]);
  EXPECT_TRUE(m->timesX);
  // y / (1 + e^-x) is neither.
  Value other = expression(R"(
    %one = arith.constant 1.0 : f32
    %n = arith.negf %x : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %r = arith.divf %y, %d : f32)");
  ASSERT_TRUE(other) << messages;
  EXPECT_FALSE(matchSigmoid(other));
}

TEST(ClosenessTest, FollowsThePrecisionOfTheType) {
  MLIRContext context;
  Type f32 = Float32Type::get(&context), bf16 = BFloat16Type::get(&context);
  // 0.044715 in bf16 is 0.044677734375: 8.3e-4 off, within bf16's 4 ulp
  // (0.031) but not f32's (4.8e-7).
  EXPECT_TRUE(closeTo(0.044677734375, 0.044715, bf16));
  EXPECT_FALSE(closeTo(0.044677734375, 0.044715, f32));
  EXPECT_TRUE(closeTo(0.797884583f, 0.79788456080286535588, f32));
  EXPECT_FALSE(closeTo(0.045, 0.044715, f32));
}

} // namespace
