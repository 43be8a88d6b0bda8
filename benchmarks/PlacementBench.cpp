//===- PlacementBench.cpp - Placement solver speed --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file measures how long the placement solver takes on ML-shaped
// DAGs (a chain of layers where every fourth kernel also reads the output
// of four kernels back, a residual connection) of 1k to 1M kernels on 4
// and 9 targets, with random costs and transfer costs (seeded). With
// `shared`, the residual reads the same output as the next layer does, as
// in a real network: that output is moved once per target, not per reader.
// The makespan solver runs on the same chains and on layered DAGs of
// parallel branches, over fleets of up to 64 devices.
//
//===----------------------------------------------------------------------===//

#include "placement/Makespan.h"
#include "placement/Placement.h"
#include "placement/Throughput.h"

#include "benchmark/benchmark.h"

#include <random>

using namespace fungible::placement;

namespace {

/// Links between every two chips: 10 us a move plus 0.01-0.1 ns a byte.
void setLinks(Problem &p, std::mt19937 &rng) {
  std::uniform_real_distribution<double> perByte(1e-12, 1e-10);
  unsigned t = p.numTargets;
  for (unsigned a = 0; a < t; ++a)
    for (unsigned b = 0; b < t; ++b)
      if (a != b) {
        p.costPerByte[a * t + b] = perByte(rng);
        p.costPerTransfer[a * t + b] = 1e-5;
      }
}

Problem residualChain(unsigned n, unsigned t, bool shared) {
  std::mt19937 rng(n * 31 + t);
  std::uniform_real_distribution<double> cost(1e-6, 1e-4), bytes(1e4, 1e7);
  Problem p(n, t);
  std::vector<double> outputBytes(n);
  for (unsigned k = 0; k < n; ++k) {
    for (unsigned c = 0; c < t; ++c)
      p.cost(k, c) = cost(rng);
    outputBytes[k] = bytes(rng);
    if (k > 0)
      p.edges.push_back({k - 1, k, outputBytes[k - 1],
                         shared ? 0 : kOwnOutput});
    if (k >= 4 && k % 4 == 0)
      p.edges.push_back({k - 4, k, shared ? outputBytes[k - 4] : bytes(rng),
                         shared ? 0 : kOwnOutput});
  }
  setLinks(p, rng);
  return p;
}

/// Times `solve` (a call of one of the solvers) over `kernels` kernels;
/// labels the run with the method used and its gap.
template <typename Solve>
void timeSolves(benchmark::State &state, unsigned kernels, Solve solve) {
  std::string used;
  double gap = 0;
  for (auto _ : state) {
    llvm::Expected<Solution> s = solve();
    if (!s) {
      state.SkipWithError(llvm::toString(s.takeError()).c_str());
      return;
    }
    used = s->method;
    gap = s->gap();
    benchmark::DoNotOptimize(s->objective);
  }
  state.SetLabel(used);
  state.counters["gap_%"] = 100 * gap;
  state.SetItemsProcessed(state.iterations() * kernels);
}

void BM_Place(benchmark::State &state) {
  Problem p = residualChain(state.range(0), state.range(1), state.range(3));
  Method method = state.range(2) ? Method::Heuristic : Method::Auto;
  timeSolves(state, p.numKernels, [&] { return solve(p, method); });
}

/// Minimise time within a dollar budget halfway between the cheapest
/// placement's dollars and the fastest placement's: the Lagrangian search
/// (dozens of solves) plus budget moves where the problem is small enough.
void BM_PlaceWithBudget(benchmark::State &state) {
  unsigned n = state.range(0), t = state.range(1);
  Problem time = residualChain(n, t, /*shared=*/true);
  // Dollars: a price per target, so fast targets are dear.
  Problem dollars = time;
  std::mt19937 rng(n + 7 * t);
  std::uniform_real_distribution<double> price(0.5, 5);
  std::vector<double> perSecond(t);
  for (double &p : perSecond)
    p = price(rng);
  for (unsigned k = 0; k < n; ++k)
    for (unsigned c = 0; c < t; ++c)
      dollars.cost(k, c) = time.cost(k, c) * perSecond[c];
  llvm::Expected<Solution> fastest = solve(time);
  llvm::Expected<Solution> cheapest = solve(dollars);
  if (!fastest || !cheapest) {
    state.SkipWithError("the unconstrained solves failed");
    llvm::consumeError(fastest.takeError());
    llvm::consumeError(cheapest.takeError());
    return;
  }
  double limit = 0.5 * (evaluate(dollars, cheapest->assignment) +
                        evaluate(dollars, fastest->assignment));
  timeSolves(state, n,
             [&] { return solve(time, Budget{&dollars, limit}); });
}

/// Layers of `width` parallel kernels, each reading one or two kernels of
/// the layer before (a branchy model: multi-head blocks, ensembles).
Problem layered(unsigned n, unsigned t, unsigned width) {
  std::mt19937 rng(n * 17 + t);
  std::uniform_real_distribution<double> cost(1e-6, 1e-4), bytes(1e4, 1e7);
  Problem p(n, t);
  for (unsigned k = 0; k < n; ++k) {
    for (unsigned c = 0; c < t; ++c)
      p.cost(k, c) = cost(rng);
    if (k < width)
      continue;
    unsigned layer = k / width * width;
    p.edges.push_back({layer - width + k % width, k, bytes(rng)});
    if (rng() % 2)
      p.edges.push_back(
          {layer - width + unsigned(rng() % width), k, bytes(rng)});
  }
  setLinks(p, rng);
  return p;
}

/// `devices` spread over `t` targets (the first ones get the remainder).
DeviceFleet fleetOf(unsigned t, unsigned devices) {
  std::vector<unsigned> counts(t, devices / t);
  for (unsigned c = 0; c < devices % t; ++c)
    ++counts[c];
  DeviceFleet fleet(counts);
  for (unsigned c = 0; c < t; ++c) {
    fleet.perByte[c] = 1.0 / 450e9;
    fleet.perTransfer[c] = 5e-6;
  }
  return fleet;
}

/// Times `solve(problem, fleet)` on the fleet benchmarks' input (args:
/// kernels, targets, devices, width; width 0 is the residual chain) and
/// reports its method, its gap to the bound and how many times better than
/// the best single chip it is (`figure` of the solution: makespan or
/// period).
template <typename Solve, typename Figure>
void timeFleetSolve(benchmark::State &state, Solve solve, Figure figure) {
  unsigned n = state.range(0), t = state.range(1);
  Problem p = state.range(3) ? layered(n, t, state.range(3))
                             : residualChain(n, t, /*shared=*/true);
  DeviceFleet fleet = fleetOf(t, state.range(2));
  double gap = 0, speedup = 0;
  std::string method;
  for (auto _ : state) {
    auto s = solve(p, fleet);
    if (!s) {
      state.SkipWithError(llvm::toString(s.takeError()).c_str());
      return;
    }
    gap = s->gap();
    speedup = s->bestSingle / figure(*s);
    method = s->method;
    benchmark::DoNotOptimize(figure(*s));
  }
  state.SetLabel(method);
  state.counters["gap_%"] = 100 * gap;
  state.counters["vs_single"] = speedup;
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_PlaceMakespan(benchmark::State &state) {
  timeFleetSolve(
      state,
      [](const Problem &p, const DeviceFleet &f) {
        return solveMakespan(p, f);
      },
      [](const MakespanSolution &s) { return s.makespan; });
}

void BM_PlaceThroughput(benchmark::State &state) {
  timeFleetSolve(
      state,
      [](const Problem &p, const DeviceFleet &f) {
        return solveThroughput(p, f);
      },
      [](const ThroughputSolution &s) { return s.period(); });
}

/// The fleet benchmarks' sizes: 1k to 100k kernels on 9 chips with 64
/// devices, chains and layers of 16.
void fleetSizes(benchmark::internal::Benchmark *b) {
  b->ArgNames({"kernels", "targets", "devices", "width"});
  for (int kernels : {1000, 10000, 100000})
    for (int width : {0, 16})
      b->Args({kernels, 9, 64, width});
  b->Unit(benchmark::kMillisecond);
}

/// A chain (every kernel reads the one before): the DP against the
/// heuristic.
void BM_PlaceThroughputChain(benchmark::State &state) {
  unsigned n = state.range(0), t = state.range(1);
  Problem p = residualChain(n, t, /*shared=*/false);
  llvm::erase_if(p.edges, [](const Edge &e) { return e.to != e.from + 1; });
  DeviceFleet fleet = fleetOf(t, state.range(2));
  ThroughputMethod method =
      state.range(3) ? ThroughputMethod::Heuristic : ThroughputMethod::Chain;
  double period = 0;
  for (auto _ : state) {
    llvm::Expected<ThroughputSolution> s = solveThroughput(p, fleet, method);
    if (!s) {
      state.SkipWithError(llvm::toString(s.takeError()).c_str());
      return;
    }
    period = s->period();
  }
  state.counters["period_us"] = period * 1e6;
  state.SetItemsProcessed(state.iterations() * n);
}

} // namespace

BENCHMARK(BM_PlaceThroughput)->Apply(fleetSizes);

// Args: kernels, targets, devices, heuristic (0: the chain DP).
BENCHMARK(BM_PlaceThroughputChain)
    ->ArgNames({"kernels", "targets", "devices", "heuristic"})
    ->Args({200, 4, 16, 0})
    ->Args({200, 4, 16, 1})
    ->Args({1000, 9, 64, 0})
    ->Args({1000, 9, 64, 1})
    ->Unit(benchmark::kMillisecond);

// Plus 100k kernels on 4 chips with 8 devices, where mixing pays.
BENCHMARK(BM_PlaceMakespan)->Apply(fleetSizes)->Args({100000, 4, 8, 16});

BENCHMARK(BM_PlaceWithBudget)
    ->ArgNames({"kernels", "targets"})
    ->Args({1000, 4})
    ->Args({10000, 4})
    ->Args({100000, 4})
    ->Unit(benchmark::kMillisecond);

// Args: kernels, targets, heuristic (0: Auto, which solves small-width
// graphs exactly), shared (residuals read the next layer's input).
BENCHMARK(BM_Place)
    ->ArgNames({"kernels", "targets", "heuristic", "shared"})
    ->Args({1000, 4, 0, 0})
    ->Args({1000, 9, 0, 0})
    ->Args({10000, 4, 0, 0})
    ->Args({10000, 9, 1, 0})
    ->Args({100000, 4, 1, 0})
    ->Args({100000, 9, 1, 0})
    ->Args({1000000, 4, 1, 0})
    ->Args({1000000, 9, 1, 0})
    ->Args({1000, 4, 0, 1})
    ->Args({10000, 4, 0, 1})
    ->Args({100000, 4, 1, 1})
    ->Args({1000000, 4, 1, 1})
    ->Args({1000000, 9, 1, 1})
    ->Unit(benchmark::kMillisecond);
