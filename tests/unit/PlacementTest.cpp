//===- PlacementTest.cpp - The placement solvers ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the placement solvers against hand-worked problems and
// against brute force on hundreds of random DAGs, and the heuristic against
// the exact solver on random ML-like DAGs of 50-200 kernels.
//
//===----------------------------------------------------------------------===//

#include "placement/Placement.h"
#include "PlacementBruteForce.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <set>
#include <tuple>

using namespace fungible::placement;

namespace {

/// Two targets: "fast" (1 s per kernel) and "slow" (3 s); moving a byte
/// between them costs `perByte`.
Problem twoTargets(unsigned kernels, double perByte) {
  Problem p(kernels, 2);
  for (unsigned k = 0; k < kernels; ++k) {
    p.cost(k, 0) = 3;
    p.cost(k, 1) = 1;
  }
  p.costPerByte = {0, perByte, perByte, 0};
  return p;
}

TEST(Placement, ChainMovesOnceWhenItPays) {
  // k0 is cheap on target 0 only; k1, k2 are cheaper on target 1. Moving
  // after k0 costs 1 (1 byte at 1/byte) and saves 2 + 2: place 0, 1, 1.
  Problem p = twoTargets(3, 1);
  p.cost(0, 0) = 1;
  p.cost(0, 1) = 10;
  p.edges = {{0, 1, 1}, {1, 2, 1}};
  llvm::Expected<Solution> s = solve(p);
  ASSERT_TRUE(static_cast<bool>(s)) << llvm::toString(s.takeError());
  EXPECT_EQ(s->assignment, (std::vector<unsigned>{0, 1, 1}));
  EXPECT_DOUBLE_EQ(s->objective, 1 + 1 + 1 + 1);
  EXPECT_EQ(s->method, "tree");
  EXPECT_TRUE(s->optimal);
}

TEST(Placement, ChainStaysWhenTheTransferCostsMore) {
  // The same chain, but a move costs 5: staying on target 0 costs
  // 1 + 3 + 3 = 7 against 1 + 5 + 1 + 1 = 8.
  Problem p = twoTargets(3, 5);
  p.cost(0, 0) = 1;
  p.cost(0, 1) = 10;
  p.edges = {{0, 1, 1}, {1, 2, 1}};
  llvm::Expected<Solution> s = solve(p);
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s->assignment, (std::vector<unsigned>{0, 0, 0}));
  EXPECT_DOUBLE_EQ(s->objective, 7);
}

TEST(Placement, DiamondIsSolvedExactly) {
  // a -> {b, c} -> d: b is only cheap on target 1, the rest on target 0;
  // moving b costs 2 transfers x 1 = 2 and saves 5 - 1 = 4.
  Problem p(4, 2);
  double costs[4][2] = {{1, 4}, {5, 1}, {1, 4}, {1, 4}};
  for (unsigned k = 0; k < 4; ++k)
    for (unsigned t = 0; t < 2; ++t)
      p.cost(k, t) = costs[k][t];
  p.costPerByte = {0, 1, 1, 0};
  p.edges = {{0, 1, 1}, {0, 2, 1}, {1, 3, 1}, {2, 3, 1}};
  llvm::Expected<Solution> s = solve(p);
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s->method, "exact");
  EXPECT_EQ(s->assignment, (std::vector<unsigned>{0, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(s->objective, 1 + 1 + 1 + 1 + 2);
}

TEST(Placement, FixedTransferCostCounts) {
  // Zero bytes but a fixed 3 per transfer: not worth moving for a saving
  // of 2.
  Problem p = twoTargets(2, 0);
  p.costPerTransfer = {0, 3, 3, 0};
  p.cost(0, 0) = 1;
  p.cost(0, 1) = 10;
  p.edges = {{0, 1, 0}};
  llvm::Expected<Solution> s = solve(p);
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s->assignment, (std::vector<unsigned>{0, 0}));
}

TEST(Placement, InfeasibleKernelIsAnErrorNamingIt) {
  Problem p = twoTargets(2, 1);
  p.kernelNames = {"f/matmul_0", "f/softmax_1"};
  p.cost(1, 0) = kInfeasible;
  p.cost(1, 1) = kInfeasible;
  llvm::Expected<Solution> s = solve(p);
  ASSERT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(llvm::toString(s.takeError()),
            "kernel 'f/softmax_1' cannot run on any of the available "
            "targets");
}

TEST(Placement, InfeasibleTargetIsAvoided) {
  Problem p = twoTargets(2, 0.1);
  p.cost(1, 1) = kInfeasible;
  p.edges = {{0, 1, 1}};
  llvm::Expected<Solution> s = solve(p);
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s->assignment, (std::vector<unsigned>{1, 0}));
}

TEST(Placement, MalformedProblemsAreErrors) {
  Problem p = twoTargets(2, 1);
  p.edges = {{0, 7, 1}};
  llvm::Error bad = verify(p);
  ASSERT_TRUE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(std::move(bad)).find("bad edge 0 -> 7"),
            std::string::npos);
  Problem q = twoTargets(2, 1);
  q.cost(0, 0) = -1;
  llvm::Expected<Solution> s = solve(q);
  ASSERT_FALSE(static_cast<bool>(s));
  EXPECT_NE(llvm::toString(s.takeError()).find("negative"), std::string::npos);
  Problem r(3, 0);
  llvm::Expected<Solution> none = solve(r);
  ASSERT_FALSE(static_cast<bool>(none));
  llvm::consumeError(none.takeError());
}

TEST(Placement, SharedOutputMovesOncePerTarget) {
  // k0 is cheap on target 0 only; its output (2.5 bytes at 1/byte) is read
  // by k1 and k2, each 2 cheaper on target 1. Moved once, the output costs
  // 2.5 for a saving of 4: 1 + 1 + 1 + 2.5 = 5.5 beats 1 + 3 + 3 = 7.
  // Moved per reader it would cost 5 and not pay.
  Problem p = twoTargets(3, 1);
  p.cost(0, 0) = 1;
  p.cost(0, 1) = 10;
  p.edges = {{0, 1, 2.5, 0}, {0, 2, 2.5, 0}, {0, 1, 2.5, 0}};
  EXPECT_DOUBLE_EQ(evaluate(p, {0, 1, 1}), 5.5);
  EXPECT_DOUBLE_EQ(evaluate(p, {0, 1, 0}), 1 + 1 + 3 + 2.5);
  EXPECT_DOUBLE_EQ(evaluate(p, {1, 0, 0}), 10 + 3 + 3 + 2.5);
  for (Method method : {Method::Auto, Method::Exact, Method::Heuristic}) {
    llvm::Expected<Solution> s = solve(p, method);
    ASSERT_TRUE(static_cast<bool>(s)) << llvm::toString(s.takeError());
    EXPECT_EQ(s->assignment, (std::vector<unsigned>{0, 1, 1}));
    EXPECT_DOUBLE_EQ(s->objective, 5.5);
  }
  // The same edges as separate outputs: staying costs 7 < 1 + 1 + 1 + 5.
  for (Edge &e : p.edges)
    e.output = kOwnOutput;
  p.edges.pop_back();
  llvm::Expected<Solution> own = solve(p);
  ASSERT_TRUE(static_cast<bool>(own));
  EXPECT_EQ(own->method, "tree");
  EXPECT_EQ(own->assignment, (std::vector<unsigned>{0, 0, 0}));
  EXPECT_DOUBLE_EQ(own->objective, 7);
}

TEST(Placement, SharedOutputMovesToEachDistinctTarget) {
  // Readers on targets 1, 2 and 1 of an output on target 0: two moves,
  // 3 bytes at 1 and 2 per byte, plus 0.5 per move.
  Problem p(4, 3);
  p.costPerByte = {0, 1, 2, 1, 0, 1, 2, 1, 0};
  p.costPerTransfer = {0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0};
  p.edges = {{0, 1, 3, 7}, {0, 2, 3, 7}, {0, 3, 3, 7}};
  EXPECT_DOUBLE_EQ(evaluate(p, {0, 1, 2, 1}), 3.5 + 6.5);
  EXPECT_DOUBLE_EQ(evaluate(p, {1, 1, 2, 1}), 3.5);
  EXPECT_DOUBLE_EQ(evaluate(p, {2, 2, 2, 2}), 0);
}

TEST(Placement, OutputWithUnequalBytesIsAnError) {
  Problem p = twoTargets(3, 1);
  p.kernelNames = {"f/a", "f/b", "f/c"};
  p.edges = {{0, 1, 2, 0}, {0, 2, 3, 0}};
  llvm::Expected<Solution> s = solve(p);
  ASSERT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(llvm::toString(s.takeError()),
            "placement problem: output 0 of kernel 'f/a' has edges carrying "
            "2.00 and 3.00 bytes");
}

TEST(Placement, TreeMethodRefusesSharedOutputs) {
  Problem p = twoTargets(3, 1);
  p.edges = {{0, 1, 1, 0}, {0, 2, 1, 0}};
  llvm::Expected<Solution> s = solve(p, Method::Tree);
  ASSERT_FALSE(static_cast<bool>(s));
  EXPECT_NE(llvm::toString(s.takeError()).find("links them all"),
            std::string::npos);
}

TEST(Placement, TreeMethodRefusesCycles) {
  Problem p = twoTargets(3, 1);
  p.edges = {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}};
  llvm::Expected<Solution> s = solve(p, Method::Tree);
  ASSERT_FALSE(static_cast<bool>(s));
  EXPECT_NE(llvm::toString(s.takeError()).find("forest"), std::string::npos);
}

/// A random DAG: each kernel reads 1-3 earlier kernels (mostly the last
/// ones, as layers do, sometimes a skip connection), random costs with a
/// few infeasible entries, random transfer costs.
/// With `shared` > 0, each kernel has one output of random bytes and an
/// edge reads it (output 0, moved once per target) with that probability.
Problem randomProblem(std::mt19937 &rng, unsigned n, unsigned t,
                      unsigned window, double shared = 0) {
  std::uniform_real_distribution<double> cost(0.1, 10), bytes(0, 4),
      perByte(0.1, 2), unit(0, 1);
  Problem p(n, t);
  std::vector<double> outputBytes;
  for (unsigned k = 0; k < n; ++k) {
    unsigned feasible = rng() % t;
    for (unsigned c = 0; c < t; ++c)
      p.cost(k, c) = c != feasible && unit(rng) < 0.1 ? kInfeasible : cost(rng);
    if (shared > 0)
      outputBytes.push_back(bytes(rng));
    if (k == 0)
      continue;
    unsigned parents = 1 + rng() % 3;
    for (unsigned j = 0; j < parents; ++j) {
      unsigned back = 1 + rng() % std::min(k, window);
      if (shared > 0 && unit(rng) < shared)
        p.edges.push_back({k - back, k, outputBytes[k - back], 0});
      else
        p.edges.push_back({k - back, k, bytes(rng)});
    }
  }
  for (unsigned a = 0; a < t; ++a)
    for (unsigned b = 0; b < t; ++b)
      if (a != b) {
        p.costPerByte[a * t + b] = perByte(rng);
        p.costPerTransfer[a * t + b] = unit(rng) * 0.5;
      }
  return p;
}

/// The objective written out from the definition, apart from the solver
/// library: each output is moved once to each distinct target among its
/// readers' that is not its producer's.
double referenceObjective(const Problem &p,
                          const std::vector<unsigned> &labels) {
  double sum = 0;
  for (unsigned k = 0; k < p.numKernels; ++k)
    sum += p.cost(k, labels[k]);
  std::set<std::tuple<unsigned, unsigned, unsigned>> moved;
  for (unsigned e = 0; e < p.edges.size(); ++e) {
    const Edge &edge = p.edges[e];
    unsigned from = labels[edge.from], to = labels[edge.to];
    if (edge.from == edge.to || from == to)
      continue;
    // An own output is keyed by its edge, beyond any real output index.
    unsigned output = edge.output == kOwnOutput ? (1u << 31) + e : edge.output;
    if (moved.insert({edge.from, output, to}).second)
      sum += edge.bytes * p.costPerByte[from * p.numTargets + to] +
             p.costPerTransfer[from * p.numTargets + to];
  }
  return sum;
}

TEST(Placement, EvaluateFollowsTheDefinition) {
  std::mt19937 rng(5);
  for (int seed = 0; seed < 200; ++seed) {
    unsigned n = 1 + rng() % 30, t = 1 + rng() % 5;
    Problem p = randomProblem(rng, n, t, /*window=*/6, /*shared=*/0.6);
    std::vector<unsigned> labels(n);
    for (unsigned k = 0; k < n; ++k)
      do
        labels[k] = rng() % t;
      while (p.cost(k, labels[k]) == kInfeasible);
    ASSERT_NEAR(evaluate(p, labels), referenceObjective(p, labels),
                1e-9 * (1 + referenceObjective(p, labels)));
  }
}

TEST(Placement, ExactEqualsBruteForceWithSharedOutputs) {
  std::mt19937 rng(11);
  for (int seed = 0; seed < 300; ++seed) {
    unsigned n = 1 + rng() % 11, t = 1 + rng() % 4;
    Problem p = randomProblem(rng, n, t, /*window=*/n, /*shared=*/0.7);
    Solution reference = bruteForce(p);
    ASSERT_NEAR(referenceObjective(p, reference.assignment),
                reference.objective, 1e-9 * (1 + reference.objective));
    llvm::Expected<Solution> s = solve(p);
    ASSERT_TRUE(static_cast<bool>(s)) << llvm::toString(s.takeError());
    ASSERT_NEAR(s->objective, reference.objective,
                1e-9 * (1 + reference.objective))
        << "seed " << seed << ", " << n << " kernels x " << t << " targets, "
        << s->method;
    ASSERT_NEAR(referenceObjective(p, s->assignment), s->objective,
                1e-9 * (1 + s->objective));
    llvm::Expected<Solution> h = solve(p, Method::Heuristic);
    ASSERT_TRUE(static_cast<bool>(h));
    EXPECT_GE(h->objective, reference.objective * (1 - 1e-12));
    EXPECT_LE(h->lowerBound, reference.objective * (1 + 1e-12));
  }
}

TEST(Placement, ExactEqualsBruteForceOnRandomDags) {
  std::mt19937 rng(20261124);
  for (int seed = 0; seed < 300; ++seed) {
    unsigned n = 1 + rng() % 12, t = 1 + rng() % 4;
    Problem p = randomProblem(rng, n, t, /*window=*/n);
    Solution reference = bruteForce(p);
    llvm::Expected<Solution> s = solve(p);
    ASSERT_TRUE(static_cast<bool>(s)) << llvm::toString(s.takeError());
    ASSERT_NEAR(s->objective, reference.objective,
                1e-9 * (1 + reference.objective))
        << "seed " << seed << ", " << n << " kernels x " << t << " targets, "
        << s->method;
    ASSERT_DOUBLE_EQ(evaluate(p, s->assignment), s->objective);
    // The heuristic is never below the optimum and its bound never above.
    llvm::Expected<Solution> h = solve(p, Method::Heuristic);
    ASSERT_TRUE(static_cast<bool>(h));
    EXPECT_GE(h->objective, reference.objective * (1 - 1e-12));
    EXPECT_LE(h->lowerBound, reference.objective * (1 + 1e-12));
  }
}

TEST(Placement, HeuristicIsWithinOnePercentOfExact) {
  std::mt19937 rng(7);
  double worst = 0;
  for (int seed = 0; seed < 100; ++seed) {
    unsigned n = 50 + rng() % 151;
    Problem p = randomProblem(rng, n, 4, /*window=*/4);
    llvm::Expected<Solution> exact = solve(p, Method::Exact);
    ASSERT_TRUE(static_cast<bool>(exact)) << llvm::toString(exact.takeError());
    llvm::Expected<Solution> h = solve(p, Method::Heuristic);
    ASSERT_TRUE(static_cast<bool>(h));
    double excess = h->objective / exact->objective - 1;
    worst = std::max(worst, excess);
    EXPECT_LE(excess, 0.01) << "seed " << seed << ", " << n << " kernels";
    EXPECT_LE(h->lowerBound, exact->objective * (1 + 1e-12));
  }
  RecordProperty("worst_excess", std::to_string(worst));
  std::printf("worst heuristic excess over exact: %.4f%%\n", 100 * worst);
}

TEST(Placement, HeuristicIsWithinOnePercentOfExactWithSharedOutputs) {
  std::mt19937 rng(8);
  double worst = 0;
  for (int seed = 0; seed < 60; ++seed) {
    unsigned n = 50 + rng() % 151;
    Problem p = randomProblem(rng, n, 4, /*window=*/4, /*shared=*/0.6);
    llvm::Expected<Solution> exact = solve(p, Method::Exact);
    ASSERT_TRUE(static_cast<bool>(exact)) << llvm::toString(exact.takeError());
    llvm::Expected<Solution> h = solve(p, Method::Heuristic);
    ASSERT_TRUE(static_cast<bool>(h));
    double excess = h->objective / exact->objective - 1;
    worst = std::max(worst, excess);
    EXPECT_LE(excess, 0.01) << "seed " << seed << ", " << n << " kernels";
    EXPECT_LE(h->lowerBound, exact->objective * (1 + 1e-12));
  }
  std::printf("worst heuristic excess over exact, shared outputs: %.4f%%\n",
              100 * worst);
}

/// Two kernels in a chain: target 0 is fast and dear (k0 1 s, k1 2 s, $5
/// each), target 1 slow and cheap (3 s, $1 each); moves are free.
std::pair<Problem, Problem> fastAndDear() {
  Problem time(2, 2), dollars(2, 2);
  time.cost(0, 0) = 1;
  time.cost(1, 0) = 2;
  time.cost(0, 1) = time.cost(1, 1) = 3;
  dollars.cost(0, 0) = dollars.cost(1, 0) = 5;
  dollars.cost(0, 1) = dollars.cost(1, 1) = 1;
  time.edges = dollars.edges = {{0, 1, 1}};
  return {time, dollars};
}

TEST(Placement, BudgetChangesThePlacement) {
  auto [time, dollars] = fastAndDear();
  // $10 affords both on the fast chip: 3 s.
  llvm::Expected<Solution> rich = solve(time, Budget{&dollars, 10});
  ASSERT_TRUE(static_cast<bool>(rich)) << llvm::toString(rich.takeError());
  EXPECT_EQ(rich->assignment, (std::vector<unsigned>{0, 0}));
  EXPECT_DOUBLE_EQ(rich->objective, 3);
  EXPECT_DOUBLE_EQ(rich->capped, 10);
  EXPECT_TRUE(rich->optimal);
  // $6: one kernel on the fast chip; k0 there (1 + 3 = 4 s) beats k1
  // there (3 + 2 = 5 s).
  llvm::Expected<Solution> six = solve(time, Budget{&dollars, 6});
  ASSERT_TRUE(static_cast<bool>(six)) << llvm::toString(six.takeError());
  EXPECT_EQ(six->assignment, (std::vector<unsigned>{0, 1}));
  EXPECT_DOUBLE_EQ(six->objective, 4);
  EXPECT_DOUBLE_EQ(six->capped, 6);
  EXPECT_EQ(six->method, "tree+budget");
  EXPECT_LE(six->lowerBound, 4);
  // $2: both on the cheap chip.
  llvm::Expected<Solution> poor = solve(time, Budget{&dollars, 2});
  ASSERT_TRUE(static_cast<bool>(poor));
  EXPECT_EQ(poor->assignment, (std::vector<unsigned>{1, 1}));
  // $1.5: nothing fits, and the message says what the least is.
  llvm::Expected<Solution> none = solve(time, Budget{&dollars, 1.5});
  ASSERT_FALSE(static_cast<bool>(none));
  EXPECT_EQ(llvm::toString(none.takeError()),
            "no placement fits the budget of 1.5: the least any placement "
            "can cost is 2");
}

TEST(Placement, BudgetOfAnotherShapeIsAnError) {
  auto [time, dollars] = fastAndDear();
  dollars.edges = {{1, 0, 1}};
  llvm::Expected<Solution> s = solve(time, Budget{&dollars, 6});
  ASSERT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(llvm::toString(s.takeError()),
            "the budget's edge 0 differs from the placement problem's");
  Problem three(3, 2);
  s = solve(time, Budget{&three, 6});
  ASSERT_FALSE(static_cast<bool>(s));
  llvm::consumeError(s.takeError());
  s = solve(time, Budget{&time, -1});
  ASSERT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(llvm::toString(s.takeError()), "the budget is negative or NaN");
}

TEST(Placement, BudgetAgainstBruteForce) {
  // Random DAGs with a second, random price; the limit between the least
  // the price can be and what the unconstrained optimum costs in it. The
  // result must fit, be no better than the brute-force optimum within the
  // budget, and its bound not above it.
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> unit(0, 1);
  unsigned optimal = 0, cases = 0;
  double worst = 0;
  for (int seed = 0; seed < 150; ++seed) {
    unsigned n = 1 + rng() % 8, t = 2 + rng() % 2;
    Problem p = randomProblem(rng, n, t, /*window=*/n, /*shared=*/0.5);
    Problem c = p;
    for (double &cost : c.kernelCost)
      if (!std::isinf(cost))
        cost = 0.1 + 10 * unit(rng);
    for (unsigned i = 0; i < t * t; ++i)
      if (i % (t + 1) != 0)
        c.costPerByte[i] = unit(rng);
    Solution cheapest = bruteForce(c);
    Solution fastest = bruteForce(p);
    double least = evaluate(c, cheapest.assignment),
           most = evaluate(c, fastest.assignment);
    double limit = least + unit(rng) * (most - least);
    Solution reference = bruteForce(p, Budget{&c, limit});
    ASSERT_FALSE(reference.assignment.empty());
    llvm::Expected<Solution> s = solve(p, Budget{&c, limit});
    ASSERT_TRUE(static_cast<bool>(s)) << llvm::toString(s.takeError());
    EXPECT_LE(s->capped, limit * (1 + 1e-9)) << "seed " << seed;
    EXPECT_NEAR(s->capped, evaluate(c, s->assignment), 1e-9 * s->capped);
    EXPECT_GE(s->objective, reference.objective * (1 - 1e-12))
        << "seed " << seed;
    EXPECT_LE(s->lowerBound, reference.objective * (1 + 1e-12))
        << "seed " << seed;
    ++cases;
    optimal += s->objective <= reference.objective * (1 + 1e-9);
    worst = std::max(worst, s->objective / reference.objective - 1);
    // Below the least, an error.
    llvm::Expected<Solution> below = solve(p, Budget{&c, least * 0.99});
    EXPECT_FALSE(static_cast<bool>(below));
    if (!below)
      llvm::consumeError(below.takeError());
  }
  std::printf("budget: optimal in %u of %u cases, worst excess %.2f%%\n",
              optimal, cases, 100 * worst);
  // The relaxation plus single and linked moves: 147 of 150 optimal and
  // 2.3% at worst when written; a regression shows here.
  EXPECT_GE(optimal, 140u);
  EXPECT_LE(worst, 0.05);
}

TEST(Placement, SameProblemSamePlacement) {
  std::mt19937 rng(99);
  Problem p = randomProblem(rng, 500, 6, 8);
  llvm::Expected<Solution> a = solve(p, Method::Heuristic);
  llvm::Expected<Solution> b = solve(p, Method::Heuristic);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->assignment, b->assignment);
}

} // namespace
