//===- Makespan.cpp - Placing a kernel DAG to finish first ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the list-schedule model, HEFT with local search,
// the lower bound and the branch and bound of Makespan.h.
//
//===----------------------------------------------------------------------===//

#include "placement/Makespan.h"
#include "placement/PlacementDetail.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <map>
#include <queue>
#include <random>

using namespace llvm;

namespace fungible::placement {
using namespace detail;

DeviceFleet::DeviceFleet(std::vector<unsigned> counts)
    : count(std::move(counts)), perByte(count.size(), 0),
      perTransfer(count.size(), 0) {}

unsigned DeviceFleet::numDevices() const {
  unsigned sum = 0;
  for (unsigned c : count)
    sum += c;
  return sum;
}

namespace {

/// The DAG and the fleet's devices laid out for scheduling.
struct Layout {
  unsigned n = 0, numTargets = 0, numDevices = 0;
  /// CSR of each kernel's incoming and outgoing edges, in edge order.
  std::vector<unsigned> inOffset, inEdge, outOffset, outEdge;
  /// Per edge, the value it carries: edges of one shared output carry one.
  std::vector<unsigned> value;
  unsigned numValues = 0;
  /// Per target, its first device; per device, its target.
  std::vector<unsigned> base, targetOf;

  Layout(const Problem &p, const DeviceFleet &f)
      : n(p.numKernels), numTargets(p.numTargets) {
    inOffset.assign(n + 1, 0);
    outOffset.assign(n + 1, 0);
    for (const Edge &e : p.edges) {
      ++inOffset[e.to + 1];
      ++outOffset[e.from + 1];
    }
    for (unsigned k = 0; k < n; ++k) {
      inOffset[k + 1] += inOffset[k];
      outOffset[k + 1] += outOffset[k];
    }
    inEdge.resize(p.edges.size());
    outEdge.resize(p.edges.size());
    std::vector<unsigned> inFill(inOffset.begin(), inOffset.end() - 1),
        outFill(outOffset.begin(), outOffset.end() - 1);
    std::map<std::pair<unsigned, unsigned>, unsigned> shared;
    value.resize(p.edges.size());
    unsigned values = 0;
    for (auto [i, e] : llvm::enumerate(p.edges)) {
      inEdge[inFill[e.to]++] = i;
      outEdge[outFill[e.from]++] = i;
      if (e.output == kOwnOutput) {
        value[i] = values++;
        continue;
      }
      auto [it, added] = shared.try_emplace({e.from, e.output}, values);
      value[i] = it->second;
      values += added;
    }
    numValues = values;
    for (unsigned t = 0; t < numTargets; ++t) {
      base.push_back(numDevices);
      numDevices += f.count[t];
      targetOf.resize(numDevices, t);
    }
  }
  ArrayRef<unsigned> inputs(unsigned k) const {
    return ArrayRef(inEdge).slice(inOffset[k], inOffset[k + 1] - inOffset[k]);
  }
  ArrayRef<unsigned> outputs(unsigned k) const {
    return ArrayRef(outEdge).slice(outOffset[k],
                                   outOffset[k + 1] - outOffset[k]);
  }
};

/// A partial list schedule: the kernels placed so far, the devices' and
/// links' free times, and where each value has arrived.
class ListState {
public:
  ListState(const Problem &p, const DeviceFleet &f, const Layout &l)
      : p(&p), f(&f), l(&l), end(l.n, 0), on(l.n, -1), why(l.n, -1),
        deviceFree(l.numDevices, 0), lastOn(l.numDevices, -1),
        targetLink(size_t(l.numTargets) * l.numTargets, 0),
        deviceLink(l.numDevices), arrival(l.numValues) {}

  /// When kernel k would start on device d (its inputs there, the device
  /// free); with `commit`, places it: moves its inputs, takes the device.
  double place(unsigned k, unsigned d, bool commit) {
    unsigned t = l->targetOf[d], numDevices = l->numDevices;
    double ready = 0;
    int cause = -1;
    SmallVector<std::pair<uint64_t, double>, 4> pending;
    for (unsigned e : l->inputs(k)) {
      const Edge &edge = p->edges[e];
      unsigned from = static_cast<unsigned>(on[edge.from]);
      double at;
      if (from == d) {
        at = end[edge.from];
      } else if (const double *there = find(arrival[l->value[e]], d)) {
        at = *there;
      } else {
        unsigned source = l->targetOf[from];
        bool sameChip = source == t;
        uint64_t key = sameChip ? uint64_t(l->numTargets) * l->numTargets +
                                      uint64_t(from) * numDevices + d
                                : uint64_t(source) * l->numTargets + t;
        double seconds = sameChip ? f->deviceTransfer(edge.bytes, t)
                                  : p->transferCost(edge.bytes, source, t);
        double linkAt = linkFree(key);
        for (auto &[queued, when] : pending)
          if (queued == key)
            linkAt = when;
        at = std::max(end[edge.from], linkAt) + seconds;
        if (commit) {
          setLinkFree(key, at);
          arrival[l->value[e]].push_back({d, at});
        } else {
          pending.push_back({key, at});
        }
      }
      if (at > ready) {
        ready = at;
        cause = static_cast<int>(edge.from);
      }
    }
    double start = ready;
    if (deviceFree[d] > ready) {
      start = deviceFree[d];
      cause = lastOn[d];
    }
    if (commit) {
      end[k] = start + p->cost(k, t);
      on[k] = static_cast<int>(d);
      why[k] = cause;
      deviceFree[d] = end[k];
      lastOn[d] = static_cast<int>(k);
      makespan = std::max(makespan, end[k]);
    }
    return start;
  }

  /// The kernels of the critical path, last first.
  std::vector<unsigned> criticalPath() const {
    std::vector<unsigned> path;
    int k = -1;
    for (unsigned i = 0; i < l->n; ++i)
      if (k < 0 || end[i] > end[k])
        k = static_cast<int>(i);
    for (; k >= 0; k = why[k])
      path.push_back(static_cast<unsigned>(k));
    return path;
  }

  /// Whether device d has run anything.
  bool used(unsigned d) const { return lastOn[d] >= 0; }

  const Problem *p;
  const DeviceFleet *f;
  const Layout *l;
  std::vector<double> end;
  /// The device each kernel is on (-1: not placed).
  std::vector<int> on;
  /// What the kernel waited for last: an input's producer or the kernel
  /// before it on its device (-1: nothing).
  std::vector<int> why;
  std::vector<double> deviceFree;
  std::vector<int> lastOn;
  double makespan = 0;

private:
  /// A few (device, time) pairs: where a value has arrived, or when the
  /// links from one device to others are free.
  using PerDevice = SmallVector<std::pair<unsigned, double>, 2>;
  static const double *find(const PerDevice &list, unsigned d) {
    for (const auto &[device, at] : list)
      if (device == d)
        return &at;
    return nullptr;
  }
  /// Keys below targets^2 are links between two targets; above, between
  /// two devices of one target.
  double linkFree(uint64_t key) const {
    if (key < targetLink.size())
      return targetLink[key];
    key -= targetLink.size();
    const double *at = find(deviceLink[key / l->numDevices],
                            static_cast<unsigned>(key % l->numDevices));
    return at ? *at : 0;
  }
  void setLinkFree(uint64_t key, double at) {
    if (key < targetLink.size()) {
      targetLink[key] = at;
      return;
    }
    key -= targetLink.size();
    PerDevice &list = deviceLink[key / l->numDevices];
    unsigned to = static_cast<unsigned>(key % l->numDevices);
    for (auto &[device, free] : list)
      if (device == to) {
        free = at;
        return;
      }
    list.push_back({to, at});
  }
  std::vector<double> targetLink;
  /// Per source device; per value.
  std::vector<PerDevice> deviceLink, arrival;
};

bool runsOn(const Problem &p, const DeviceFleet &f, unsigned k, unsigned t) {
  return f.count[t] > 0 && !std::isinf(p.cost(k, t));
}

/// Each kernel's fastest time over the fleet's targets.
std::vector<double> fastest(const Problem &p, const DeviceFleet &f) {
  std::vector<double> best(p.numKernels, kInfeasible);
  for (unsigned k = 0; k < p.numKernels; ++k)
    for (unsigned t = 0; t < p.numTargets; ++t)
      if (runsOn(p, f, k, t))
        best[k] = std::min(best[k], p.cost(k, t));
  return best;
}

/// A topological order (Kahn), highest `priority` first among the ready
/// kernels, program order on ties; empty when the edges have a cycle.
std::vector<unsigned> topologicalOrder(const Layout &l, const Problem &p,
                                       ArrayRef<double> priority) {
  std::vector<unsigned> indegree(l.n, 0), order;
  for (const Edge &e : p.edges)
    ++indegree[e.to];
  auto lower = [&](unsigned a, unsigned b) {
    return priority[a] != priority[b] ? priority[a] < priority[b] : a > b;
  };
  std::priority_queue<unsigned, std::vector<unsigned>, decltype(lower)> ready(
      lower);
  for (unsigned k = 0; k < l.n; ++k)
    if (!indegree[k])
      ready.push(k);
  while (!ready.empty()) {
    unsigned k = ready.top();
    ready.pop();
    order.push_back(k);
    for (unsigned e : l.outputs(k))
      if (!--indegree[p.edges[e].to])
        ready.push(p.edges[e].to);
  }
  if (order.size() != l.n)
    order.clear();
  return order;
}

/// The longest path from each kernel to the end, each kernel at its
/// fastest, transfers free (`order` topological).
std::vector<double> tails(const Layout &l, const Problem &p,
                          ArrayRef<unsigned> order, ArrayRef<double> weight) {
  std::vector<double> tail(l.n, 0);
  for (unsigned k : llvm::reverse(order)) {
    double after = 0;
    for (unsigned e : l.outputs(k))
      after = std::max(after, tail[p.edges[e].to]);
    tail[k] = weight[k] + after;
  }
  return tail;
}

/// How HEFT orders the kernels: by upward rank from mean costs (HEFT's
/// own), from each kernel's fastest cost, or in program order.
enum class Priority { MeanRank, FastestRank, Program };

/// HEFT over the targets `allowed` allows: kernels in `priority` order,
/// each on the device where it ends first. Empty when a kernel cannot run
/// on any allowed target.
ListSchedule heft(const Problem &p, const DeviceFleet &f, const Layout &l,
                  ArrayRef<char> allowed,
                  Priority priority = Priority::MeanRank,
                  ArrayRef<unsigned> fixedTarget = {}) {
  unsigned n = l.n, numTargets = l.numTargets;
  // Mean kernel cost over the allowed devices; mean move between two of
  // them.
  std::vector<double> meanCost(n, 0);
  for (unsigned k = 0; k < n; ++k) {
    double sum = 0, devices = 0;
    for (unsigned t = 0; t < numTargets; ++t)
      if (allowed[t] && runsOn(p, f, k, t)) {
        sum += f.count[t] * p.cost(k, t);
        devices += f.count[t];
      }
    if (devices == 0)
      return {};
    meanCost[k] = sum / devices;
    if (priority == Priority::FastestRank) {
      meanCost[k] = kInfeasible;
      for (unsigned t = 0; t < numTargets; ++t)
        if (allowed[t] && runsOn(p, f, k, t))
          meanCost[k] = std::min(meanCost[k], p.cost(k, t));
    }
  }
  double pairs = 0, perByte = 0, fixed = 0;
  for (unsigned a = 0; a < numTargets; ++a)
    for (unsigned b = 0; b < numTargets; ++b) {
      if (!allowed[a] || !allowed[b])
        continue;
      double count = a == b ? double(f.count[a]) * (f.count[a] - 1)
                            : double(f.count[a]) * f.count[b];
      unsigned i = a * numTargets + b;
      pairs += count;
      perByte += count * (a == b ? f.perByte[a] : p.costPerByte[i]);
      fixed += count * (a == b ? f.perTransfer[a] : p.costPerTransfer[i]);
    }
  if (pairs > 0) {
    perByte /= pairs;
    fixed /= pairs;
  }
  std::vector<double> rank(n, 0);
  std::vector<unsigned> programOrder =
      topologicalOrder(l, p, std::vector<double>(n, 0));
  for (unsigned k : llvm::reverse(programOrder)) {
    double after = 0;
    for (unsigned e : l.outputs(k)) {
      const Edge &edge = p.edges[e];
      after = std::max(after, edge.bytes * perByte + fixed + rank[edge.to]);
    }
    rank[k] = meanCost[k] + after;
  }
  ListSchedule s;
  s.order = priority == Priority::Program ? programOrder
                                          : topologicalOrder(l, p, rank);
  s.target.assign(n, 0);
  s.device.assign(n, 0);
  ListState state(p, f, l);
  for (unsigned k : s.order) {
    double bestEnd = kInfeasible;
    unsigned best = 0;
    for (unsigned t = 0; t < numTargets; ++t) {
      if (!allowed[t] || !runsOn(p, f, k, t) ||
          (!fixedTarget.empty() && fixedTarget[k] != t))
        continue;
      // The devices of t worth trying: the one free first (a device
      // that holds none of k's inputs) and those that hold an input.
      SmallVector<unsigned, 4> candidates;
      unsigned first = l.base[t];
      for (unsigned d = first + 1; d < l.base[t] + f.count[t]; ++d)
        if (state.deviceFree[d] < state.deviceFree[first])
          first = d;
      candidates.push_back(first);
      for (unsigned e : l.inputs(k)) {
        unsigned d = static_cast<unsigned>(state.on[p.edges[e].from]);
        if (l.targetOf[d] == t && !llvm::is_contained(candidates, d))
          candidates.push_back(d);
      }
      for (unsigned d : candidates) {
        double finish = state.place(k, d, /*commit=*/false) + p.cost(k, t);
        if (finish < bestEnd || (finish == bestEnd && d < best)) {
          bestEnd = finish;
          best = d;
        }
      }
    }
    state.place(k, best, /*commit=*/true);
    s.target[k] = l.targetOf[best];
    s.device[k] = best - l.base[s.target[k]];
  }
  return s;
}

double evaluate(const Problem &p, const DeviceFleet &f, const Layout &l,
                const ListSchedule &s, ListState *out = nullptr) {
  ListState state(p, f, l);
  for (unsigned k : s.order)
    state.place(k, l.base[s.target[k]] + s.device[k], /*commit=*/true);
  double makespan = state.makespan;
  if (out)
    *out = std::move(state);
  return makespan;
}

/// Whether `a` reads an output of `b` directly.
bool reads(const Problem &p, const Layout &l, unsigned a, unsigned b) {
  for (unsigned e : l.inputs(a))
    if (p.edges[e].from == b)
      return true;
  return false;
}

/// Local search on the simulated schedule, within `budget` evaluations:
/// each kernel (those of the critical path first) moved to another device,
/// or one place earlier in the order when it does not read the kernel
/// before it; the first move that lowers (makespan, sum of end times) is
/// taken, until none does. The second term lets a move that shortens a
/// branch which does not end last count, so later moves can use it.
void localSearch(const Problem &p, const DeviceFleet &f, const Layout &l,
                 ListSchedule &s, double &makespan, unsigned budget) {
  ListState state(p, f, l);
  makespan = evaluate(p, f, l, s, &state);
  auto total = [&](const ListState &st) {
    double sum = 0;
    for (double e : st.end)
      sum += e;
    return sum;
  };
  double sum = total(state);
  unsigned evaluations = 0;
  std::vector<unsigned> load(l.numDevices, 0), position(l.n);
  for (unsigned k = 0; k < l.n; ++k)
    ++load[l.base[s.target[k]] + s.device[k]];
  // Takes the schedule in `s` when it is better.
  auto better = [&]() {
    ++evaluations;
    ListState trial(p, f, l);
    double m = evaluate(p, f, l, s, &trial);
    double t = total(trial);
    if (m < makespan * (1 - 1e-12) ||
        (m <= makespan * (1 + 1e-12) && t < sum * (1 - 1e-12))) {
      makespan = std::min(makespan, m);
      sum = t;
      state = std::move(trial);
      return true;
    }
    return false;
  };
  for (bool improved = true; improved && evaluations < budget;) {
    improved = false;
    for (auto [i, k] : llvm::enumerate(s.order))
      position[k] = i;
    std::vector<unsigned> candidates = state.criticalPath();
    std::vector<char> onPath(l.n, 0);
    for (unsigned k : candidates)
      onPath[k] = 1;
    for (unsigned k = 0; k < l.n; ++k)
      if (!onPath[k])
        candidates.push_back(k);
    for (unsigned k : candidates) {
      unsigned oldTarget = s.target[k], oldDevice = s.device[k];
      unsigned old = l.base[oldTarget] + oldDevice;
      for (unsigned d = 0; d < l.numDevices && !improved; ++d) {
        unsigned t = l.targetOf[d];
        if (d == old || !runsOn(p, f, k, t))
          continue;
        // One empty device of a target stands for all of them.
        if (!load[d] && d > l.base[t] && !load[d - 1])
          continue;
        if (evaluations >= budget)
          return;
        s.target[k] = t;
        s.device[k] = d - l.base[t];
        if (better()) {
          --load[old];
          ++load[d];
          improved = true;
        } else {
          s.target[k] = oldTarget;
          s.device[k] = oldDevice;
        }
      }
      unsigned at = position[k];
      if (!improved && at > 0 && !reads(p, l, k, s.order[at - 1])) {
        if (evaluations >= budget)
          return;
        std::swap(s.order[at], s.order[at - 1]);
        improved = better();
        if (!improved)
          std::swap(s.order[at], s.order[at - 1]);
      }
      if (improved)
        break;
    }
  }
}

/// Depth-first branch and bound over topological orders and devices.
class BranchAndBound {
public:
  BranchAndBound(const Problem &p, const DeviceFleet &f, const Layout &l,
                 ArrayRef<double> minCost, ArrayRef<double> tail,
                 double maxNodes)
      : p(p), f(f), l(l), minCost(minCost), tail(tail), maxNodes(maxNodes),
        missing(l.n, 0), placed(l.n, 0) {
    for (const Edge &e : p.edges)
      ++missing[e.to];
    for (unsigned k = 0; k < l.n; ++k)
      remainingWork += minCost[k];
  }

  /// Searches below `incumbent`; false when the node budget ran out.
  bool run(double incumbent) {
    best = incumbent;
    ListState root(p, f, l);
    search(root, 0);
    return nodes <= maxNodes;
  }

  double best = kInfeasible;
  /// The best schedule found below the incumbent (empty when none).
  ListSchedule bestSchedule;

private:
  double bound(const ListState &s) const {
    double lb = s.makespan, freeSum = 0;
    for (double free : s.deviceFree)
      freeSum += free;
    lb = std::max(lb, (freeSum + remainingWork) / l.numDevices);
    for (unsigned k = 0; k < l.n; ++k) {
      if (placed[k] || missing[k])
        continue;
      double ready = 0;
      for (unsigned e : l.inputs(k))
        ready = std::max(ready, s.end[p.edges[e].from]);
      lb = std::max(lb, ready + tail[k]);
    }
    return lb;
  }

  void search(ListState &s, unsigned depth) {
    if (++nodes > maxNodes)
      return;
    if (depth == l.n) {
      if (s.makespan < best * (1 - 1e-12)) {
        best = s.makespan;
        bestSchedule.order = order;
        bestSchedule.target.assign(l.n, 0);
        bestSchedule.device.assign(l.n, 0);
        for (unsigned k = 0; k < l.n; ++k) {
          unsigned d = static_cast<unsigned>(s.on[k]);
          bestSchedule.target[k] = l.targetOf[d];
          bestSchedule.device[k] = d - l.base[l.targetOf[d]];
        }
      }
      return;
    }
    if (bound(s) >= best * (1 - 1e-12))
      return;
    for (unsigned k = 0; k < l.n; ++k) {
      if (placed[k] || missing[k])
        continue;
      placed[k] = 1;
      order.push_back(k);
      remainingWork -= minCost[k];
      for (unsigned e : l.outputs(k))
        --missing[p.edges[e].to];
      for (unsigned t = 0; t < l.numTargets; ++t) {
        if (!runsOn(p, f, k, t))
          continue;
        bool triedUnused = false;
        for (unsigned d = l.base[t]; d < l.base[t] + f.count[t]; ++d) {
          if (!s.used(d)) {
            if (triedUnused)
              continue;
            triedUnused = true;
          }
          double start = s.place(k, d, /*commit=*/false);
          if (start + p.cost(k, t) - minCost[k] + tail[k] >= best * (1 - 1e-12))
            continue;
          ListState next = s;
          next.place(k, d, /*commit=*/true);
          search(next, depth + 1);
          if (nodes > maxNodes)
            break;
        }
      }
      for (unsigned e : l.outputs(k))
        ++missing[p.edges[e].to];
      remainingWork += minCost[k];
      order.pop_back();
      placed[k] = 0;
      if (nodes > maxNodes)
        return;
    }
  }

  const Problem &p;
  const DeviceFleet &f;
  const Layout &l;
  ArrayRef<double> minCost, tail;
  double maxNodes, nodes = 0, remainingWork = 0;
  std::vector<unsigned> missing, order;
  std::vector<char> placed;
};

Error checkFleet(const Problem &p, const DeviceFleet &f) {
  if (Error e = verify(p))
    return e;
  unsigned t = p.numTargets;
  if (f.count.size() != t || f.perByte.size() != t || f.perTransfer.size() != t)
    return problemError(formatv("the fleet describes {0} targets; the problem "
                                "has {1}",
                                f.count.size(), t));
  for (unsigned c = 0; c < t; ++c)
    if (!(f.perByte[c] >= 0) || !(f.perTransfer[c] >= 0) ||
        std::isinf(f.perByte[c]) || std::isinf(f.perTransfer[c]))
      return problemError("the fleet has a negative or non-finite device link "
                          "cost");
  if (f.numDevices() == 0)
    return problemError("the fleet has no devices");
  for (unsigned k = 0; k < p.numKernels; ++k) {
    bool any = false;
    for (unsigned c = 0; c < t && !any; ++c)
      any = runsOn(p, f, k, c);
    if (!any)
      return problemError("kernel " + kernelName(p, k) +
                          " cannot run on any device of the fleet");
  }
  return Error::success();
}

} // namespace

Error verifyFleet(const Problem &p, const DeviceFleet &f) {
  if (Error e = checkFleet(p, f))
    return e;
  Layout l(p, f);
  if (topologicalOrder(l, p, std::vector<double>(l.n, 0)).size() != l.n)
    return problemError("the kernels' edges form a cycle");
  return Error::success();
}

Error verifySchedule(const Problem &p, const DeviceFleet &f,
                     const ListSchedule &s) {
  unsigned n = p.numKernels;
  if (s.order.size() != n || s.target.size() != n || s.device.size() != n)
    return problemError("the schedule does not cover every kernel once");
  std::vector<unsigned> position(n, ~0u);
  for (auto [i, k] : llvm::enumerate(s.order)) {
    if (k >= n || position[k] != ~0u)
      return problemError("the schedule's order does not list every kernel "
                          "once");
    position[k] = i;
  }
  for (const Edge &e : p.edges)
    if (position[e.from] > position[e.to])
      return problemError("the schedule's order puts kernel " +
                          kernelName(p, e.to) + " before its input " +
                          kernelName(p, e.from));
  for (unsigned k = 0; k < n; ++k)
    if (s.target[k] >= p.numTargets || s.device[k] >= f.count[s.target[k]] ||
        std::isinf(p.cost(k, s.target[k])))
      return problemError("kernel " + kernelName(p, k) +
                          " is on a device that cannot run it");
  return Error::success();
}

double evaluateMakespan(const Problem &p, const DeviceFleet &f,
                        const ListSchedule &s, Timing *timing) {
  Layout l(p, f);
  ListState state(p, f, l);
  double makespan = evaluate(p, f, l, s, &state);
  if (timing) {
    timing->start.assign(l.n, 0);
    for (unsigned k = 0; k < l.n; ++k)
      timing->start[k] = state.end[k] - p.cost(k, s.target[k]);
    timing->end = state.end;
    timing->makespan = makespan;
  }
  return makespan;
}

double itemLatency(const Problem &p, ArrayRef<unsigned> assignment,
                   Timing *timing) {
  DeviceFleet one(std::vector<unsigned>(p.numTargets, 1));
  Layout l(p, one);
  ListSchedule item;
  item.order = topologicalOrder(l, p, std::vector<double>(l.n, 0));
  item.target.assign(assignment.begin(), assignment.end());
  item.device.assign(l.n, 0);
  return evaluateMakespan(p, one, item, timing);
}

double makespanLowerBound(const Problem &p, const DeviceFleet &f) {
  Layout l(p, f);
  unsigned t = l.numTargets;
  std::vector<double> minCost = fastest(p, f);
  std::vector<unsigned> order =
      topologicalOrder(l, p, std::vector<double>(l.n, 0));
  // end[k][c]: the earliest kernel k can end on target c in any schedule:
  // its cost there after each input has ended and, from another target,
  // crossed the link (between two devices of c it may cost nothing).
  std::vector<double> end(size_t(l.n) * t, kInfeasible);
  double critical = 0, work = 0;
  for (unsigned k : order) {
    double best = kInfeasible;
    for (unsigned c = 0; c < t; ++c) {
      if (!runsOn(p, f, k, c))
        continue;
      double ready = 0;
      for (unsigned e : l.inputs(k)) {
        const Edge &edge = p.edges[e];
        double arrives = kInfeasible;
        for (unsigned from = 0; from < t; ++from)
          arrives = std::min(arrives,
                             end[size_t(edge.from) * t + from] +
                                 p.transferCost(edge.bytes, from, c));
        ready = std::max(ready, arrives);
      }
      end[size_t(k) * t + c] = ready + p.cost(k, c);
      best = std::min(best, end[size_t(k) * t + c]);
    }
    critical = std::max(critical, best);
  }
  for (double c : minCost)
    work += c;
  return std::max(critical, l.numDevices ? work / l.numDevices : 0);
}

Expected<MakespanSolution>
solveMakespan(const Problem &p, const DeviceFleet &fleet, MakespanMethod method,
              unsigned maxExactKernels, double maxExactNodes) {
  if (Error e = verifyFleet(p, fleet))
    return std::move(e);
  // n kernels use at most n devices of a chip; the others are idle and
  // interchangeable with them. Solving over min(count, n) devices of each
  // chip is exact and keeps the work O(kernels), not O(devices): 262144
  // devices took 77 s on an 11-kernel block before, 0.13 s now.
  DeviceFleet f = fleet;
  for (unsigned &count : f.count)
    count = std::min(count, std::max(1u, p.numKernels));
  Layout l(p, f);
  unsigned n = l.n;
  std::vector<unsigned> programOrder =
      topologicalOrder(l, p, std::vector<double>(n, 0));
  if (method == MakespanMethod::Exact && n > maxExactKernels)
    return problemError(formatv("the exact makespan solver takes at most {0} "
                                "kernels; this DAG has {1}: use the heuristic",
                                maxExactKernels, n));
  MakespanSolution s;
  s.lowerBound = makespanLowerBound(p, f);
  s.makespan = kInfeasible;
  // HEFT over each target alone (the best single target), and over the
  // whole fleet in three orders, each improved by local search; the best.
  // The whole schedule is evaluated per move, so the number of moves
  // shrinks with the problem (about 2e7 kernel placements in all).
  for (unsigned only = 0; only < l.numTargets; ++only) {
    std::vector<char> allowed(l.numTargets, 0);
    allowed[only] = 1;
    ListSchedule candidate = heft(p, f, l, allowed);
    if (candidate.order.empty() && n)
      continue;
    double m = evaluate(p, f, l, candidate);
    if (m < s.bestSingle) {
      s.bestSingle = m;
      s.bestSingleTarget = only;
      s.makespan = m;
      s.schedule = std::move(candidate);
    }
  }
  std::vector<char> all(l.numTargets, 1);
  std::vector<ListSchedule> starts;
  for (Priority priority :
       {Priority::MeanRank, Priority::FastestRank, Priority::Program})
    starts.push_back(heft(p, f, l, all, priority));
  // The serial-total optimum's chips (exact on chains and trees, where
  // the makespan is the serial total), devices chosen as HEFT does.
  {
    Problem fleetOnly = p;
    for (unsigned k = 0; k < n; ++k)
      for (unsigned c = 0; c < l.numTargets; ++c)
        if (!f.count[c])
          fleetOnly.cost(k, c) = kInfeasible;
    if (Expected<Solution> serial = solve(fleetOnly))
      starts.push_back(
          heft(p, f, l, all, Priority::MeanRank, serial->assignment));
    else
      consumeError(serial.takeError());
  }
  // Local search on every start when the problem is small, else on the
  // best one: the whole schedule is evaluated per move, so the number of
  // moves shrinks with the problem.
  if (n > 2000) {
    std::vector<double> made;
    for (const ListSchedule &start : starts)
      made.push_back(evaluate(p, f, l, start));
    unsigned best = std::min_element(made.begin(), made.end()) - made.begin();
    starts = {std::move(starts[best])};
  }
  unsigned budget = static_cast<unsigned>(
      std::clamp(3e6 / (double(n) + p.edges.size() + 1), 5.0, 3000.0));
  for (ListSchedule &candidate : starts) {
    double m;
    localSearch(p, f, l, candidate, m, budget);
    if (m < s.makespan) {
      s.makespan = m;
      s.schedule = std::move(candidate);
    }
  }
  // Iterated local search on small DAGs: two kernels of the best schedule
  // moved to random devices (seeded: the same problem gives the same
  // schedule), then local search again; 60 rounds up to 200 kernels.
  if (n >= 2 && n <= 200) {
    std::mt19937 rng(n * 7919 + l.numDevices);
    for (unsigned round = 0; round < 60; ++round) {
      ListSchedule candidate = s.schedule;
      for (unsigned i = 0; i < 2; ++i) {
        unsigned k = rng() % n, d = rng() % l.numDevices;
        if (runsOn(p, f, k, l.targetOf[d])) {
          candidate.target[k] = l.targetOf[d];
          candidate.device[k] = d - l.base[l.targetOf[d]];
        }
      }
      double m;
      localSearch(p, f, l, candidate, m, budget / 4);
      if (m < s.makespan * (1 - 1e-12)) {
        s.makespan = m;
        s.schedule = std::move(candidate);
      }
    }
  }
  s.method = "heuristic";
  if (method == MakespanMethod::Heuristic || n > maxExactKernels) {
    s.optimal = s.makespan <= s.lowerBound * (1 + 1e-12);
    return s;
  }
  std::vector<double> minCost = fastest(p, f);
  std::vector<double> tail = tails(l, p, programOrder, minCost);
  BranchAndBound search(p, f, l, minCost, tail, maxExactNodes);
  bool complete = search.run(s.makespan);
  if (!search.bestSchedule.order.empty()) {
    s.makespan = search.best;
    s.schedule = std::move(search.bestSchedule);
  }
  if (complete) {
    s.method = "exact";
    s.optimal = true;
    s.lowerBound = s.makespan;
    return s;
  }
  if (method == MakespanMethod::Exact)
    return problemError(formatv("the exact makespan solver would visit more "
                                "than {0} nodes: use the heuristic",
                                maxExactNodes));
  s.optimal = s.makespan <= s.lowerBound * (1 + 1e-12);
  return s;
}

} // namespace fungible::placement
