//===- Throughput.cpp - Placing a kernel DAG for a stream -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the steady-state loads, the chain DP and the local
// search of Throughput.h.
//
//===----------------------------------------------------------------------===//

#include "placement/Throughput.h"
#include "placement/PlacementDetail.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <array>
#include <cmath>
#include <map>
#include <random>

using namespace llvm;

namespace fungible::placement {
using namespace detail;

namespace {

bool runsOn(const Problem &p, const DeviceFleet &f, unsigned k, unsigned t) {
  return f.count[t] > 0 && !std::isinf(p.cost(k, t));
}

std::string targetName(const Problem &p, unsigned t) {
  return t < p.targetNames.size() ? p.targetNames[t] : "#" + std::to_string(t);
}

/// The values of a problem: an output read by several kernels is one
/// value, moved once per item to each target its readers sit on.
struct Values {
  struct Value {
    unsigned producer;
    double bytes;
    SmallVector<unsigned, 2> readers;
  };
  std::vector<Value> values;
  /// Per kernel: the values it reads and those it produces.
  std::vector<SmallVector<unsigned, 2>> reads, produces;

  explicit Values(const Problem &p)
      : reads(p.numKernels), produces(p.numKernels) {
    std::map<std::pair<unsigned, unsigned>, unsigned> shared;
    for (const Edge &e : p.edges) {
      unsigned v = values.size();
      if (e.output != kOwnOutput) {
        auto [it, added] = shared.try_emplace({e.from, e.output}, v);
        v = it->second;
        if (!added) {
          values[v].readers.push_back(e.to);
          reads[e.to].push_back(v);
          continue;
        }
      }
      values.push_back({e.from, e.bytes, {e.to}});
      reads[e.to].push_back(v);
      produces[e.from].push_back(v);
    }
  }
};

/// What local search lowers, compared in order.
using Score = std::array<double, 3>;

bool better(const Score &a, const Score &b) {
  for (unsigned i = 0; i < 3; ++i) {
    double tolerance = 1e-12 * std::max(std::abs(b[i]), 1e-300);
    if (a[i] < b[i] - tolerance)
      return true;
    if (a[i] > b[i] + tolerance)
      return false;
  }
  return false;
}

/// An assignment's loads, kept up to date as kernels move.
class StreamState {
public:
  StreamState(const Problem &p, const DeviceFleet &f, const Values &v,
              std::vector<unsigned> assignment,
              const ThroughputFloor *floor = nullptr)
      : p(p), f(f), v(v), floor(floor), t(p.numTargets),
        asg(std::move(assignment)), work(t, 0), link(size_t(t) * t, 0),
        readersOn(v.values.size() * t, 0) {
    for (unsigned k = 0; k < p.numKernels; ++k)
      work[asg[k]] += p.cost(k, asg[k]);
    for (unsigned i = 0; i < v.values.size(); ++i) {
      for (unsigned r : v.values[i].readers)
        ++readersOn[i * t + asg[r]];
      addValue(i, +1);
    }
  }

  /// Moves kernel k to target c.
  void move(unsigned k, unsigned c) {
    unsigned old = asg[k];
    if (old == c)
      return;
    for (unsigned i : v.reads[k])
      addValue(i, -1);
    for (unsigned i : v.produces[k])
      addValue(i, -1);
    work[old] -= p.cost(k, old);
    work[c] += p.cost(k, c);
    for (unsigned i : v.reads[k]) {
      --readersOn[i * t + old];
      ++readersOn[i * t + c];
    }
    asg[k] = c;
    for (unsigned i : v.reads[k])
      addValue(i, +1);
    for (unsigned i : v.produces[k])
      addValue(i, +1);
  }

  /// Without a floor: (period, sum of squared loads, 0). With one, at its
  /// rate X: (how far the fleet falls short of X, the held devices'
  /// dollars per second, the same before rounding devices up).
  Score score() const {
    if (floor) {
      double x = floor->itemsPerSecond, shortfall = 0, held = 0, fraction = 0;
      for (unsigned c = 0; c < t; ++c) {
        if (!f.count[c])
          continue;
        double devices = work[c] * x;
        shortfall += std::max(0.0, devices / f.count[c] - 1);
        held += floor->pricePerSecond[c] * std::ceil(devices * (1 - 1e-12));
        fraction += floor->pricePerSecond[c] * devices;
      }
      for (double l : link)
        shortfall += std::max(0.0, l * x - 1);
      return {shortfall, held, fraction};
    }
    double period = 0, squares = 0;
    for (unsigned c = 0; c < t; ++c) {
      if (!f.count[c])
        continue;
      double load = work[c] / f.count[c];
      period = std::max(period, load);
      squares += load * load;
    }
    for (double l : link) {
      period = std::max(period, l);
      squares += l * l;
    }
    return {period, squares, 0};
  }

  const std::vector<unsigned> &assignment() const { return asg; }

private:
  /// Adds (sign +1) or removes (-1) value i's moves: to each target its
  /// readers sit on, other than its producer's.
  void addValue(unsigned i, int sign) {
    const Values::Value &value = v.values[i];
    unsigned from = asg[value.producer];
    for (unsigned c = 0; c < t; ++c)
      if (c != from && readersOn[i * t + c])
        link[from * t + c] += sign * p.transferCost(value.bytes, from, c);
  }

  const Problem &p;
  const DeviceFleet &f;
  const Values &v;
  const ThroughputFloor *floor;
  unsigned t;
  std::vector<unsigned> asg;
  std::vector<double> work, link;
  std::vector<unsigned> readersOn;
};

/// Moves one kernel at a time to the target that lowers the score most,
/// sweeping every kernel until a sweep changes nothing or the `budget` of
/// tried moves (shared, counted down) runs out.
std::vector<unsigned> localSearch(const Problem &p, const DeviceFleet &f,
                                  const Values &v, std::vector<unsigned> start,
                                  double &budget,
                                  const ThroughputFloor *floor = nullptr) {
  StreamState state(p, f, v, std::move(start), floor);
  double &tried = budget;
  for (bool improved = true; improved && tried > 0;) {
    improved = false;
    for (unsigned k = 0; k < p.numKernels && tried > 0; ++k) {
      unsigned current = state.assignment()[k], best = current;
      Score bestScore = state.score();
      for (unsigned c = 0; c < p.numTargets; ++c) {
        if (c == current || !runsOn(p, f, k, c))
          continue;
        --tried;
        state.move(k, c);
        Score score = state.score();
        if (better(score, bestScore)) {
          bestScore = score;
          best = c;
        }
        state.move(k, current);
      }
      if (best != current) {
        state.move(k, best);
        improved = true;
      }
    }
  }
  return state.assignment();
}

/// Whether every edge goes from a kernel to the next.
bool isChain(const Problem &p) {
  return llvm::all_of(p.edges,
                      [](const Edge &e) { return e.to == e.from + 1; });
}

/// The stage-partitioning DP for chains: the chain cut into contiguous
/// stages on distinct targets, the largest stage or boundary load as
/// small as it can be (bisection on it). Fills `assignment`.
Error chainDP(const Problem &p, const DeviceFleet &f, double lo, double hi,
              std::vector<unsigned> &assignment) {
  unsigned n = p.numKernels;
  SmallVector<unsigned> usable;
  for (unsigned c = 0; c < p.numTargets; ++c)
    if (f.count[c])
      usable.push_back(c);
  unsigned u = usable.size();
  if (u > 12)
    return problemError(formatv("the chain DP takes at most 12 targets with "
                                "devices; this fleet has {0}",
                                u));
  double entries = double(1u << u) * u * (n + 1);
  if (entries > 3e7)
    return problemError(formatv("the chain DP would need {0} entries (2^{1} "
                                "target sets x {1} targets x {2} positions); "
                                "use the heuristic",
                                entries, u, n + 1));
  // Prefix work per target (infinite past a kernel it cannot run), and the
  // per-item seconds each boundary's values take from one target to
  // another.
  std::vector<std::vector<double>> prefix(u, std::vector<double>(n + 1, 0));
  std::vector<std::vector<unsigned>> cannot(u,
                                            std::vector<unsigned>(n + 1, 0));
  for (unsigned i = 0; i < u; ++i)
    for (unsigned k = 0; k < n; ++k) {
      double c = p.cost(k, usable[i]);
      prefix[i][k + 1] = prefix[i][k] + (std::isinf(c) ? 0 : c);
      cannot[i][k + 1] = cannot[i][k] + std::isinf(c);
    }
  std::vector<double> boundary(size_t(n + 1) * u * u, 0);
  for (const Edge &e : p.edges)
    for (unsigned a = 0; a < u; ++a)
      for (unsigned b = 0; b < u; ++b)
        if (a != b)
          boundary[(size_t(e.to) * u + a) * u + b] +=
              p.transferCost(e.bytes, usable[a], usable[b]);
  // The last position a stage from j on target i can reach within B.
  auto reach = [&](unsigned j, unsigned i, double limit) {
    const std::vector<double> &w = prefix[i];
    const std::vector<unsigned> &bad = cannot[i];
    unsigned low = j, high = n;
    while (low < high) {
      unsigned mid = (low + high + 1) / 2;
      if (bad[mid] == bad[j] && w[mid] - w[j] <= limit)
        low = mid;
      else
        high = mid - 1;
    }
    return low;
  };
  unsigned words = (n + 1 + 63) / 64;
  size_t states = size_t(1u << u) * u;
  std::vector<uint64_t> bits;
  std::vector<int32_t> parent; // (set, last, position) -> previous position
  std::vector<int8_t> parentLast;
  std::vector<unsigned> reachOf(size_t(u) * (n + 1));
  auto run = [&](double b, bool record) {
    bits.assign(states * words, 0);
    if (record) {
      parent.assign(states * (n + 1), -1);
      parentLast.assign(states * (n + 1), -1);
    }
    // The last position a stage from each j reaches on each target (it
    // never decreases with j: two pointers).
    for (unsigned i = 0; i < u; ++i) {
      for (unsigned j = 0; j <= n; ++j)
        reachOf[size_t(i) * (n + 1) + j] = reach(j, i, b * f.count[usable[i]]);
    }
    // Sets positions from..to of state (mask, last), reached from
    // position prev of state (mask without last, prevLast).
    auto set = [&](unsigned mask, unsigned last, unsigned from, unsigned to,
                   unsigned prev, int prevLast) {
      size_t s = size_t(mask) * u + last;
      uint64_t *row = &bits[s * words];
      for (unsigned w = from / 64; w <= to / 64; ++w) {
        uint64_t range = ~uint64_t(0);
        if (w == from / 64)
          range &= ~uint64_t(0) << (from % 64);
        if (w == to / 64 && to % 64 != 63)
          range &= (uint64_t(1) << (to % 64 + 1)) - 1;
        uint64_t fresh = range & ~row[w];
        row[w] |= fresh;
        if (record)
          for (; fresh; fresh &= fresh - 1) {
            unsigned j = w * 64 + __builtin_ctzll(fresh);
            parent[s * (n + 1) + j] = static_cast<int32_t>(prev);
            parentLast[s * (n + 1) + j] = static_cast<int8_t>(prevLast);
          }
      }
    };
    for (unsigned i = 0; i < u; ++i) {
      unsigned end = reachOf[size_t(i) * (n + 1)];
      if (end > 0)
        set(1u << i, i, 1, end, 0, -1);
    }
    for (unsigned mask = 1; mask < (1u << u); ++mask)
      for (unsigned last = 0; last < u; ++last) {
        if (!(mask >> last & 1))
          continue;
        const uint64_t *row = &bits[(size_t(mask) * u + last) * words];
        for (unsigned i = 0; i < u; ++i) {
          if (mask >> i & 1)
            continue;
          // Positions already set from an earlier j need not be again.
          unsigned covered = 0;
          for (unsigned w = 0; w < words; ++w)
            for (uint64_t word = row[w]; word; word &= word - 1) {
              unsigned j = w * 64 + __builtin_ctzll(word);
              if (j >= n || boundary[(size_t(j) * u + last) * u + i] > b)
                continue;
              unsigned end = reachOf[size_t(i) * (n + 1) + j];
              unsigned from = std::max(j + 1, covered + 1);
              if (end >= from) {
                set(mask | 1u << i, i, from, end, j, last);
                covered = end;
              }
            }
        }
      }
    for (unsigned mask = 1; mask < (1u << u); ++mask)
      for (unsigned last = 0; last < u; ++last)
        if (bits[(size_t(mask) * u + last) * words + n / 64] >> (n % 64) & 1)
          return std::make_pair(mask, last);
    return std::make_pair(0u, 0u);
  };
  // A little above the given bound, which a pipeline meets exactly (the
  // division by device counts rounds).
  hi *= 1 + 1e-9;
  if (run(hi, false).first == 0)
    return problemError("no pipeline visits each target once: the targets "
                        "the kernels can run on alternate along the chain");
  for (unsigned step = 0; step < 50 && hi - lo > 1e-12 * hi; ++step) {
    double mid = 0.5 * (lo + hi);
    if (run(mid, false).first)
      hi = mid;
    else
      lo = mid;
  }
  auto [mask, last] = run(hi, true);
  assignment.assign(n, 0);
  for (unsigned j = n; j > 0;) {
    size_t s = size_t(mask) * u + last;
    unsigned from = static_cast<unsigned>(parent[s * (n + 1) + j]);
    int prevLast = parentLast[s * (n + 1) + j];
    for (unsigned k = from; k < j; ++k)
      assignment[k] = usable[last];
    mask &= ~(1u << last);
    j = from;
    if (prevLast >= 0)
      last = static_cast<unsigned>(prevLast);
  }
  return Error::success();
}

/// One item's latency and each kernel's start in it (itemLatency).
void setLatency(const Problem &p, ThroughputSolution &s) {
  Timing timing;
  s.latency = itemLatency(p, s.assignment, &timing);
  s.offset = std::move(timing.start);
}

} // namespace

StreamLoads evaluateStream(const Problem &p, const DeviceFleet &f,
                           ArrayRef<unsigned> assignment) {
  Values values(p);
  unsigned t = p.numTargets;
  StreamLoads loads;
  loads.target.assign(t, 0);
  loads.link.assign(size_t(t) * t, 0);
  for (unsigned k = 0; k < p.numKernels; ++k)
    loads.target[assignment[k]] += p.cost(k, assignment[k]);
  for (unsigned c = 0; c < t; ++c)
    loads.target[c] = f.count[c] ? loads.target[c] / f.count[c]
                      : loads.target[c] > 0 ? kInfeasible
                                            : 0;
  for (const Values::Value &v : values.values) {
    unsigned from = assignment[v.producer];
    SmallVector<unsigned, 4> to;
    for (unsigned r : v.readers)
      if (assignment[r] != from && !llvm::is_contained(to, assignment[r]))
        to.push_back(assignment[r]);
    for (unsigned c : to)
      loads.link[from * t + c] += p.transferCost(v.bytes, from, c);
  }
  loads.bottleneck = t ? targetName(p, 0) : "";
  for (unsigned c = 0; c < t; ++c)
    if (loads.target[c] > loads.period) {
      loads.period = loads.target[c];
      loads.bottleneck = targetName(p, c);
    }
  for (unsigned a = 0; a < t; ++a)
    for (unsigned b = 0; b < t; ++b)
      if (loads.link[a * t + b] > loads.period) {
        loads.period = loads.link[a * t + b];
        loads.bottleneck = targetName(p, a) + "->" + targetName(p, b);
      }
  return loads;
}

double streamLowerBound(const Problem &p, const DeviceFleet &f) {
  double work = 0, single = 0;
  unsigned devices = f.numDevices();
  for (unsigned k = 0; k < p.numKernels; ++k) {
    double fastest = kInfeasible, perDevice = kInfeasible;
    for (unsigned c = 0; c < p.numTargets; ++c)
      if (runsOn(p, f, k, c)) {
        fastest = std::min(fastest, p.cost(k, c));
        perDevice = std::min(perDevice, p.cost(k, c) / f.count[c]);
      }
    work += fastest;
    single = std::max(single, perDevice);
  }
  return std::max(devices ? work / devices : 0, single);
}

Expected<ThroughputSolution> solveThroughput(const Problem &p,
                                             const DeviceFleet &f,
                                             ThroughputMethod method) {
  if (Error e = verifyFleet(p, f))
    return std::move(e);
  unsigned n = p.numKernels, t = p.numTargets;
  bool chain = isChain(p);
  if (method == ThroughputMethod::Chain && !chain)
    return problemError("the chain DP needs a chain (every edge from a "
                        "kernel to the next); this DAG is not one");
  ThroughputSolution s;
  s.lowerBound = streamLowerBound(p, f);
  Values values(p);
  // Starts: every single target that runs everything, the serial-total
  // optimum's targets, each kernel on its fastest target.
  std::vector<std::vector<unsigned>> starts;
  for (unsigned c = 0; c < t; ++c) {
    bool all = true;
    for (unsigned k = 0; k < n && all; ++k)
      all = runsOn(p, f, k, c);
    if (!all)
      continue;
    std::vector<unsigned> single(n, c);
    double period = evaluateStream(p, f, single).period;
    if (period < s.bestSingle) {
      s.bestSingle = period;
      s.bestSingleTarget = c;
    }
    starts.push_back(std::move(single));
  }
  Problem fleetOnly = p;
  std::vector<unsigned> fastest(n, 0);
  for (unsigned k = 0; k < n; ++k) {
    double best = kInfeasible;
    for (unsigned c = 0; c < t; ++c) {
      if (!f.count[c])
        fleetOnly.cost(k, c) = kInfeasible;
      else if (p.cost(k, c) < best) {
        best = p.cost(k, c);
        fastest[k] = c;
      }
    }
  }
  starts.push_back(fastest);
  if (Expected<Solution> serial = solve(fleetOnly, Method::Heuristic))
    starts.push_back(serial->assignment);
  else
    consumeError(serial.takeError());

  double best = kInfeasible;
  if (method != ThroughputMethod::Chain) {
    // Tried moves: each costs O(targets^2) plus the kernel's values; 1.5e6
    // for the starts, as many for the rounds below (about a second).
    for (std::vector<unsigned> &start : starts) {
      double budget = 1.5e6 / starts.size();
      std::vector<unsigned> a = localSearch(p, f, values, start, budget);
      double period = evaluateStream(p, f, a).period;
      if (period < best) {
        best = period;
        s.assignment = std::move(a);
        s.method = "heuristic";
      }
    }
    // Iterated local search: a few kernels of the best placement moved at
    // random (seeded: the same problem gives the same placement), then
    // local search again; up to 100 rounds, fewer on large problems.
    std::mt19937 rng(n * 7919 + t);
    unsigned kick = std::max(2u, n / 10);
    double budget = 1.5e6;
    for (unsigned round = 0; round < 100 && budget > 0; ++round) {
      std::vector<unsigned> a = s.assignment;
      for (unsigned i = 0; i < kick; ++i) {
        unsigned k = rng() % n, c = rng() % t;
        if (runsOn(p, f, k, c))
          a[k] = c;
      }
      a = localSearch(p, f, values, std::move(a), budget);
      double period = evaluateStream(p, f, a).period;
      if (period < best * (1 - 1e-12)) {
        best = period;
        s.assignment = std::move(a);
      }
    }
  }
  if (chain && method != ThroughputMethod::Heuristic) {
    std::vector<unsigned> a;
    double hi = s.bestSingle;
    if (std::isinf(hi)) {
      // No single target runs everything: any pipeline loads no link or
      // target beyond the sum of everything.
      hi = 0;
      for (unsigned k = 0; k < n; ++k) {
        double worst = 0;
        for (unsigned c = 0; c < t; ++c)
          if (runsOn(p, f, k, c))
            worst = std::max(worst, p.cost(k, c));
        hi += worst;
      }
      for (const Edge &e : p.edges)
        for (unsigned a2 = 0; a2 < t; ++a2)
          for (unsigned b = 0; b < t; ++b)
            hi += p.transferCost(e.bytes, a2, b);
    }
    Error e = chainDP(p, f, 0, hi, a);
    if (e && method == ThroughputMethod::Chain)
      return std::move(e);
    if (e) {
      consumeError(std::move(e));
    } else {
      double period = evaluateStream(p, f, a).period;
      if (period < best * (1 - 1e-12) || s.assignment.empty()) {
        best = period;
        s.assignment = std::move(a);
        s.method = "chain";
      }
    }
  }
  s.loads = evaluateStream(p, f, s.assignment);
  s.optimal = s.loads.period <= s.lowerBound * (1 + 1e-12);
  if (s.optimal)
    s.lowerBound = s.loads.period;
  s.held.assign(t, 0);
  for (unsigned k = 0; k < n; ++k)
    s.held[s.assignment[k]] = f.count[s.assignment[k]];
  setLatency(p, s);
  return s;
}

Expected<ThroughputSolution>
solveThroughputFloor(const Problem &p, const DeviceFleet &f,
                     const ThroughputFloor &floor) {
  unsigned n = p.numKernels, t = p.numTargets;
  if (floor.pricePerSecond.size() != t ||
      !llvm::all_of(floor.pricePerSecond,
                    [](double d) { return d >= 0 && std::isfinite(d); }))
    return problemError("the floor needs one finite price >= 0 per target");
  double x = floor.itemsPerSecond;
  if (!(x > 0) || !std::isfinite(x))
    return problemError("the throughput floor must be a positive number of "
                        "items per second");
  Expected<ThroughputSolution> fastest = solveThroughput(p, f);
  if (!fastest)
    return fastest.takeError();
  if (fastest->period() * x > 1 + 1e-9)
    return problemError(
        formatv("no placement on this fleet serves {0} items/s: the best found "
                "sustains {1} items/s (bottleneck {2})",
                format("%g", x), format("%g", fastest->throughput()),
                fastest->loads.bottleneck));
  Values values(p);
  // Starts: the throughput optimum, each single target, each kernel on
  // the target where it costs least per item.
  std::vector<std::vector<unsigned>> starts = {fastest->assignment};
  std::vector<unsigned> cheapest(n, 0);
  for (unsigned k = 0; k < n; ++k) {
    double best = kInfeasible;
    for (unsigned c = 0; c < t; ++c)
      if (runsOn(p, f, k, c) && p.cost(k, c) * floor.pricePerSecond[c] < best) {
        best = p.cost(k, c) * floor.pricePerSecond[c];
        cheapest[k] = c;
      }
  }
  starts.push_back(cheapest);
  for (unsigned c = 0; c < t; ++c) {
    bool all = true;
    for (unsigned k = 0; k < n && all; ++k)
      all = runsOn(p, f, k, c);
    if (all)
      starts.push_back(std::vector<unsigned>(n, c));
  }
  ThroughputSolution s = std::move(*fastest);
  Score best = StreamState(p, f, values, s.assignment, &floor).score();
  for (std::vector<unsigned> &start : starts) {
    double budget = 1.5e6 / starts.size();
    std::vector<unsigned> a =
        localSearch(p, f, values, std::move(start), budget, &floor);
    Score score = StreamState(p, f, values, a, &floor).score();
    if (score[0] == 0 && better(score, best)) {
      best = score;
      s.assignment = std::move(a);
    }
  }
  // The devices held: what each target's work needs at the rate.
  DeviceFleet held = f;
  s.held.assign(t, 0);
  s.dollarsPerSecond = 0;
  std::vector<double> work(t, 0);
  std::vector<char> used(t, 0);
  for (unsigned k = 0; k < n; ++k) {
    work[s.assignment[k]] += p.cost(k, s.assignment[k]);
    used[s.assignment[k]] = 1;
  }
  for (unsigned c = 0; c < t; ++c) {
    // A target with kernels holds a device, even when they cost nothing.
    if (used[c])
      s.held[c] = std::min<unsigned>(
          f.count[c], std::max(1.0, std::ceil(work[c] * x * (1 - 1e-12))));
    held.count[c] = s.held[c];
    s.dollarsPerSecond += s.held[c] * floor.pricePerSecond[c];
  }
  s.loads = evaluateStream(p, held, s.assignment);
  s.method = "heuristic+floor";
  s.optimal = false;
  s.lowerBound = 0;
  setLatency(p, s);
  return s;
}

} // namespace fungible::placement
