//===- Schedule.cpp - Running a placed kernel DAG on a fleet ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the fleet, the list schedule with failures and the
// Chrome trace (Schedule.h).
//
//===----------------------------------------------------------------------===//

#include "runtime/Schedule.h"

#include "placement/Links.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

using namespace llvm;

namespace fungible::runtime {

static Error runtimeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

Expected<std::vector<Device>> parseDevices(StringRef text) {
  std::vector<Device> devices;
  SmallVector<StringRef> entries;
  text.split(entries, ',', -1, false);
  // Chips seen so far (a scan of the devices per entry was quadratic).
  llvm::StringSet<> chips;
  for (StringRef entry : entries) {
    entry = entry.trim();
    auto [name, count] = entry.split(':');
    unsigned n = 1;
    if (name.empty() ||
        (!count.empty() && (count.getAsInteger(10, n) || n == 0)))
      return runtimeError("bad device entry '" + entry +
                          "' (expected <chip>[:<count>], count >= 1)");
    // The runtime keeps state per device (the simulator, the schedule,
    // the report): a count is capped, with a clear error, rather than
    // allocating for billions of devices.
    if (n > kMaxDevicesPerChip)
      return runtimeError(formatv("{0} devices of '{1}': at most {2} of one "
                                  "chip (fungible-plan sizes fleets beyond "
                                  "that)",
                                  n, name, kMaxDevicesPerChip)
                              .str());
    if (devices.size() + n > kMaxDevices)
      return runtimeError(
          formatv("the fleet has more than {0} devices", kMaxDevices).str());
    if (!chips.insert(name).second)
      return runtimeError("chip '" + name + "' is listed twice");
    for (unsigned i = 0; i < n; ++i)
      devices.push_back({name.str(), i});
  }
  if (devices.empty())
    return runtimeError("the fleet has no devices");
  return devices;
}

Expected<Fleet> loadFleet(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return runtimeError("cannot read fleet '" + path +
                        "': " + buffer.getError().message());
  return parseFleet((*buffer)->getBuffer(), path);
}

Expected<Fleet> parseFleet(StringRef contents, StringRef path) {
  Expected<json::Value> value = json::parse(contents);
  if (!value)
    return runtimeError(path + ": " + toString(value.takeError()));
  const json::Object *root = value->getAsObject();
  const json::Object *counts = root ? root->getObject("devices") : nullptr;
  if (!counts)
    return runtimeError(path + ": devices: expected an object of chip: count");
  std::vector<std::string> names;
  for (const auto &entry : *counts)
    names.push_back(entry.first.str());
  llvm::sort(names);
  std::string text;
  Fleet fleet;
  for (const std::string &name : names) {
    std::string where = (path + ": devices." + name).str();
    std::optional<int64_t> n = counts->getInteger(name);
    if (const json::Object *entry = counts->getObject(name)) {
      n = entry->getInteger("count");
      if (!n)
        return runtimeError(where + ".count: expected an integer >= 1");
      for (const auto &field : *entry) {
        StringRef key = field.first;
        if (key == "count")
          continue;
        std::optional<double> price = field.second.getAsNumber();
        if (key != "price_per_hour")
          return runtimeError(where + ": unknown field '" + key +
                              "' (expected count, price_per_hour)");
        if (!price || !(*price >= 0) || std::isinf(*price))
          return runtimeError(where +
                              ".price_per_hour: expected a number >= 0");
        fleet.prices.push_back({name, *price});
      }
    }
    if (!n || *n < 1)
      return runtimeError(where + ": expected an integer >= 1 or an object "
                                  "with a count");
    if (*n > kMaxDevicesPerChip)
      return runtimeError(formatv("{0}: {1} devices: at most {2} of one chip",
                                  where, *n, kMaxDevicesPerChip)
                              .str());
    text += (text.empty() ? "" : ",") + name + ":" + std::to_string(*n);
  }
  Expected<std::vector<Device>> devices = parseDevices(text);
  if (!devices)
    return devices.takeError();
  fleet.devices = std::move(*devices);
  return fleet;
}

Expected<Failure> parseFailure(StringRef text) {
  auto [device, when] = text.split('@');
  if (when.consume_front("kernel:")) {
    if (device.empty() || !device.contains(':') || when.empty())
      return runtimeError("bad failure '" + text +
                          "' (expected <chip>:<index>@kernel:<name>)");
    return Failure{device.str(), 0, when.str()};
  }
  double scale = 1;
  if (when.consume_back("ms"))
    scale = 1e-3;
  else if (when.consume_back("us"))
    scale = 1e-6;
  else
    when.consume_back("s");
  double time;
  // NaN and infinities are no time (found by fuzzing: "@nanms" failed a
  // device at NaN seconds).
  if (device.empty() || !device.contains(':') || when.getAsDouble(time) ||
      !std::isfinite(time) || time < 0)
    return runtimeError("bad failure '" + text +
                        "' (expected <chip>:<index>@<time>[s|ms|us] or "
                        "<chip>:<index>@kernel:<name>)");
  return Failure{device.str(), time * scale};
}

/// The time `failure` names by a kernel: halfway through that kernel's
/// first run on the failure's device in `plain`, the schedule without
/// failures. The kernel is named whole or by what follows its function's
/// "/" (matmul_1 for gpt2_block/matmul_1).
static Expected<double> failureTime(const Failure &failure,
                                    ArrayRef<ScheduledKernel> kernels,
                                    const ScheduleResult &plain) {
  auto named = [&](StringRef name) {
    return name == failure.kernel || name.ends_with("/" + failure.kernel);
  };
  const ScheduledKernel *kernel = nullptr;
  for (const ScheduledKernel &k : kernels) {
    if (!named(k.name))
      continue;
    if (kernel)
      return runtimeError("--fail: kernel name '" + failure.kernel +
                          "' is ambiguous ('" + kernel->name + "', '" + k.name +
                          "'): name it whole");
    kernel = &k;
  }
  if (!kernel)
    return runtimeError("--fail: no kernel '" + failure.kernel + "'");
  std::string where;
  for (const Event &e : plain.events) {
    if (e.kind != Event::Kernel || e.name != kernel->name)
      continue;
    if (e.track == failure.device)
      return (e.start + e.end) / 2;
    where = e.track;
  }
  return runtimeError("--fail: '" + kernel->name + "' does not run on '" +
                      failure.device + "' (it runs on '" + where +
                      "'): name a kernel that does");
}

Expected<ScheduleResult>
simulate(ArrayRef<ScheduledKernel> kernels, ArrayRef<const ChipSpec *> targets,
         ArrayRef<Device> devices, std::vector<unsigned> assignment,
         ArrayRef<Failure> failures, const Replacer &replace,
         const SchedulePlan *plan) {
  const double never = std::numeric_limits<double>::infinity();
  unsigned numTargets = targets.size();
  std::vector<unsigned> targetOf(devices.size());
  std::vector<double> freeAt(devices.size(), 0), failAt(devices.size(), never);
  for (auto [d, device] : llvm::enumerate(devices)) {
    auto it = llvm::find_if(
        targets, [&](const ChipSpec *s) { return s->id == device.target; });
    if (it == targets.end())
      return runtimeError("device '" + device.name() + "' has no target");
    targetOf[d] = it - targets.begin();
  }
  // Failures named by a kernel take their time from the schedule
  // without failures.
  std::optional<ScheduleResult> plain;
  for (const Failure &f : failures) {
    auto it = llvm::find_if(
        devices, [&](const Device &d) { return d.name() == f.device; });
    if (it == devices.end())
      return runtimeError("--fail names '" + f.device +
                          "', which is not in the fleet");
    double time = f.time;
    if (!f.kernel.empty()) {
      if (!plain) {
        Expected<ScheduleResult> run =
            simulate(kernels, targets, devices, assignment, {}, replace, plan);
        if (!run)
          return run.takeError();
        plain = std::move(*run);
      }
      Expected<double> at = failureTime(f, kernels, *plain);
      if (!at)
        return at.takeError();
      time = *at;
    }
    failAt[it - devices.begin()] = std::min(failAt[it - devices.begin()], time);
  }

  ScheduleResult result;
  unsigned n = kernels.size();
  if (plan) {
    // A topological order of every kernel, on devices of the fleet.
    std::vector<unsigned> position(n, ~0u);
    bool valid = plan->order.size() == n && plan->device.size() == n;
    for (unsigned i = 0; valid && i < n; ++i) {
      unsigned k = plan->order[i];
      valid = k < n && position[k] == ~0u && plan->device[k] < devices.size();
      if (valid)
        position[k] = i;
    }
    for (unsigned k = 0; valid && k < n; ++k)
      for (const ScheduledKernel::Input &in : kernels[k].inputs)
        valid &= in.producer < 0 || position[in.producer] < position[k];
    if (!valid)
      return runtimeError("the schedule plan is not a topological order of "
                          "every kernel on devices of the fleet");
  }
  result.placement.assign(n, "");
  result.runs.assign(n, 0);
  for (const Device &d : devices)
    result.devices.push_back({d.name(), 0});
  std::vector<double> finish(n, 0), firstFinish(n, never);
  /// The device each kernel's output lives on (-1: not run yet).
  std::vector<int> ranOn(n, -1);
  /// A kernel placed again after a failure starts, and moves its inputs,
  /// no earlier than the failure that made the new placement.
  std::vector<double> earliest(n, 0);
  /// (producer, output, device) -> when that value is there.
  std::map<std::tuple<unsigned, unsigned, unsigned>, double> arrival;
  /// Links: between chips, one per (target, target) pair, as the link
  /// model has it; between two devices of one chip, one per device pair.
  std::map<std::pair<unsigned, unsigned>, double> linkFree, deviceLinkFree;
  std::map<std::string, unsigned> linkIndex;
  auto bill = [&](unsigned target, double seconds) {
    result.dollars += seconds * targets[target]->dollarsPerHour.value / 3600;
    result.joules += seconds * targets[target]->watts.value;
  };

  /// When kernel k's inputs are all on device d, none of them moved before
  /// `notBefore`; moves them (links, events, bills) when `commit`. A value
  /// whose device failed before it could be read off is lost: its producer
  /// is returned in `lost` and nothing is committed.
  auto inputsReady = [&](unsigned k, unsigned d, double notBefore, bool commit,
                         int &lost) -> double {
    unsigned t = targetOf[d];
    double ready = notBefore;
    lost = -1;
    // Without committing, the moves of this kernel still queue behind one
    // another on a shared link.
    llvm::DenseMap<double *, double> pending;
    for (const ScheduledKernel::Input &in : kernels[k].inputs) {
      if (in.producer < 0)
        continue;
      unsigned p = in.producer;
      unsigned from = static_cast<unsigned>(ranOn[p]);
      if (from == d) {
        ready = std::max(ready, finish[p]);
        continue;
      }
      auto key = std::make_tuple(p, in.output, d);
      auto it = arrival.find(key);
      if (it != arrival.end()) {
        ready = std::max(ready, it->second);
        continue;
      }
      unsigned source = targetOf[from];
      bool sameChip = source == t;
      placement::LinkCost link =
          sameChip ? placement::deviceLinkCost(*targets[t])
                   : placement::linkCost(*targets[source], *targets[t]);
      double &free =
          sameChip ? deviceLinkFree[{from, d}] : linkFree[{source, t}];
      double seconds = link.seconds(in.bytes);
      auto queued = pending.find(&free);
      double linkAt = queued != pending.end() ? queued->second : free;
      double start = std::max({finish[p], linkAt, notBefore});
      if (start + seconds > failAt[from]) {
        lost = static_cast<int>(p);
        return never;
      }
      ready = std::max(ready, start + seconds);
      if (!commit) {
        pending[&free] = start + seconds;
        continue;
      }
      free = start + seconds;
      arrival[key] = start + seconds;
      std::string name = sameChip
                             ? devices[from].name() + "->" + devices[d].name()
                             : targets[source]->id + "->" + targets[t]->id;
      auto [slot, added] = linkIndex.try_emplace(name, result.links.size());
      if (added)
        result.links.push_back({name, 0, 0});
      result.links[slot->second].bytes += in.bytes;
      result.links[slot->second].busy += seconds;
      result.events.push_back({Event::Transfer, kernels[p].name, name, start,
                               start + seconds, in.bytes,
                               devices[from].name()});
      bill(source, seconds);
      bill(t, seconds);
    }
    return ready;
  };

  /// Runs kernel k (again, when its output was lost) on the earliest live
  /// device of its target, no earlier than `notBefore`; places the rest
  /// again when its target is gone and re-runs producers whose outputs died
  /// with their device (lineage recomputation).
  std::function<Error(unsigned, double, unsigned)> run =
      [&](unsigned k, double notBefore, unsigned depth) -> Error {
    if (depth > n + 1)
      return runtimeError("kernel '" + kernels[k].name +
                          "' could not be scheduled");
    for (unsigned attempt = 0;; ++attempt) {
      if (attempt > 2 * devices.size() + n + 2)
        return runtimeError("kernel '" + kernels[k].name +
                            "' could not be scheduled");
      notBefore = std::max(notBefore, earliest[k]);
      unsigned t = assignment[k];
      // The planned device when it can still run k, else the live device
      // of the target where k can start first.
      int best = -1, lostProducer = -1;
      double bestStart = never;
      int planned = plan && targetOf[plan->device[k]] == t
                        ? static_cast<int>(plan->device[k])
                        : -1;
      if (planned >= 0) {
        int lost;
        double ready =
            inputsReady(k, planned, notBefore, /*commit=*/false, lost);
        double start = std::max(ready, freeAt[planned]);
        if (lost < 0 && start < failAt[planned]) {
          best = planned;
          bestStart = start;
        }
      }
      bool searchAll = best < 0;
      for (unsigned d = 0; d < devices.size() && searchAll; ++d) {
        if (targetOf[d] != t)
          continue;
        int lost;
        double ready = inputsReady(k, d, notBefore, /*commit=*/false, lost);
        if (lost >= 0) {
          lostProducer = lost;
          continue;
        }
        double start = std::max(ready, freeAt[d]);
        if (start >= failAt[d] || start >= bestStart)
          continue;
        best = d;
        bestStart = start;
      }
      if (best < 0 && lostProducer >= 0) {
        // An input died with its device before it was moved off: its
        // producer runs again, no earlier than that failure.
        unsigned p = static_cast<unsigned>(lostProducer);
        double failedAt = failAt[ranOn[p]];
        result.notes.push_back(formatv(
            "the output of '{0}' was lost with {1} at {2:e} s before '{3}' "
            "could read it: '{0}' runs again",
            kernels[p].name, devices[ranOn[p]].name(), failedAt,
            kernels[k].name));
        if (Error e = run(p, failedAt, depth + 1))
          return e;
        continue;
      }
      if (best < 0) {
        // The target is gone: place what has not run over what is left
        // (targets with a device that can still start a kernel), from the
        // moment its last device failed.
        double gone = 0;
        for (unsigned d = 0; d < devices.size(); ++d)
          if (targetOf[d] == t)
            gone = std::max(gone, std::min(failAt[d], never));
        SmallVector<unsigned> alive;
        for (unsigned c = 0; c < numTargets; ++c)
          for (unsigned d = 0; d < devices.size(); ++d)
            if (targetOf[d] == c && failAt[d] > std::max(gone, freeAt[d])) {
              alive.push_back(c);
              break;
            }
        if (alive.empty())
          return runtimeError("no device is left to run kernel '" +
                              kernels[k].name + "'");
        std::vector<unsigned> before = assignment;
        // Kernels that ran keep their target; k and every one that has not
        // run may move.
        std::vector<char> fixed(n, 0);
        for (unsigned j = 0; j < n; ++j)
          fixed[j] = ranOn[j] >= 0 && j != k;
        if (Error e = replace(alive, fixed, assignment))
          return e;
        unsigned moved = 0, open = 0;
        for (unsigned j = 0; j < n; ++j) {
          open += !fixed[j];
          if (!fixed[j] && before[j] != assignment[j]) {
            ++moved;
            earliest[j] = std::max(earliest[j], gone);
          }
        }
        std::string left;
        for (unsigned c : alive)
          left += (left.empty() ? "" : ", ") + targets[c]->id;
        result.notes.push_back(formatv(
            "every {0} device had failed by {1:e} s, so the {2} kernel(s) "
            "still to run (from '{3}' on) were placed again over what is "
            "left ({4}); {5} of them changed chip",
            targets[t]->id, gone, open, kernels[k].name, left, moved));
        continue;
      }
      const ScheduledKernel::Cost &cost = kernels[k].costs[t];
      if (!cost.feasible)
        return runtimeError("kernel '" + kernels[k].name + "' does not fit " +
                            targets[t]->id);
      int lost;
      double ready = inputsReady(k, best, notBefore, /*commit=*/true, lost);
      bestStart = std::max(ready, freeAt[best]);
      double end = bestStart + cost.seconds;
      ++result.runs[k];
      if (failAt[best] < end) {
        // Lost with its device: bill the part that ran, run it again.
        result.events.push_back({Event::LostKernel, kernels[k].name,
                                 devices[best].name(), bestStart,
                                 failAt[best]});
        result.devices[best].busy += failAt[best] - bestStart;
        bill(t, failAt[best] - bestStart);
        freeAt[best] = failAt[best];
        notBefore = failAt[best];
        result.notes.push_back(formatv("'{0}' was lost when {1} failed at "
                                       "{2:e} s; it runs again",
                                       kernels[k].name, devices[best].name(),
                                       failAt[best]));
        continue;
      }
      result.events.push_back({Event::Kernel, kernels[k].name,
                               devices[best].name(), bestStart, end});
      result.devices[best].busy += cost.seconds;
      result.dollars += cost.dollars;
      result.joules += cost.joules;
      freeAt[best] = end;
      finish[k] = end;
      firstFinish[k] = std::min(firstFinish[k], end);
      // A new copy of the output: where the old one was moved no longer
      // counts (it is moved again from here when needed).
      if (ranOn[k] >= 0 && ranOn[k] != best)
        for (auto it = arrival.begin(); it != arrival.end();)
          it = std::get<0>(it->first) == k ? arrival.erase(it) : std::next(it);
      ranOn[k] = best;
      result.placement[k] = devices[best].name();
      return Error::success();
    }
  };

  for (unsigned i = 0; i < n; ++i)
    if (Error e = run(plan ? plan->order[i] : i, 0, 0))
      return std::move(e);
  // The order to compute numbers in: when each kernel first completed (a
  // re-run recomputes the same value).
  result.order.resize(n);
  for (unsigned k = 0; k < n; ++k)
    result.order[k] = k;
  llvm::stable_sort(result.order, [&](unsigned a, unsigned b) {
    return firstFinish[a] < firstFinish[b];
  });
  for (const Event &e : result.events)
    result.makespan = std::max(result.makespan, e.end);
  return result;
}

void writeTrace(const ScheduleResult &result, raw_ostream &os,
                const TraceInfo *info) {
  // Track ids by name, looked up in constant time (a linear search took
  // 5 s on 80k devices).
  llvm::StringMap<int64_t> tracks;
  for (const ScheduleResult::DeviceUse &d : result.devices)
    tracks.try_emplace(d.name, tracks.size());
  for (const ScheduleResult::LinkUse &l : result.links)
    tracks.try_emplace(l.name, tracks.size());
  auto tid = [&](StringRef track) -> int64_t {
    auto it = tracks.find(track);
    return it == tracks.end() ? static_cast<int64_t>(tracks.size())
                              : it->second;
  };
  // Kernels by name ("k#3", a stream's item 3 of k, is k).
  llvm::StringMap<unsigned> kernelIndex;
  if (info)
    for (auto [k, kernel] : llvm::enumerate(info->kernels))
      kernelIndex[kernel.name] = k;
  // Completed kernel runs by "<name>@<device>", for the flow arrows.
  llvm::StringMap<SmallVector<const Event *, 1>> runsOn;
  if (info)
    for (const Event &e : result.events)
      if (e.kind == Event::Kernel)
        runsOn[e.name + "@" + e.track].push_back(&e);
  auto lookup = [&](StringRef name) -> const ScheduledKernel * {
    if (!info)
      return nullptr;
    auto it = kernelIndex.find(name);
    if (it == kernelIndex.end())
      it = kernelIndex.find(name.rsplit('#').first);
    return it == kernelIndex.end() ? nullptr : &info->kernels[it->second];
  };
  json::OStream j(os, 1);
  j.object([&] {
    j.attribute("displayTimeUnit", "ns");
    j.attributeArray("traceEvents", [&] {
      for (const ScheduleResult::DeviceUse &d : result.devices)
        j.object([&] {
          j.attribute("ph", "M");
          j.attribute("name", "thread_name");
          j.attribute("pid", 1);
          j.attribute("tid", tid(d.name));
          j.attributeObject("args", [&] { j.attribute("name", d.name); });
        });
      for (const ScheduleResult::LinkUse &l : result.links)
        j.object([&] {
          j.attribute("ph", "M");
          j.attribute("name", "thread_name");
          j.attribute("pid", 2);
          j.attribute("tid", tid(l.name));
          j.attributeObject("args",
                            [&] { j.attribute("name", "link " + l.name); });
        });
      for (int pid : {1, 2})
        j.object([&] {
          j.attribute("ph", "M");
          j.attribute("name", "process_name");
          j.attribute("pid", pid);
          j.attributeObject("args", [&] {
            j.attribute("name", pid == 1 ? "devices" : "links");
          });
        });
      int64_t flow = 0;
      for (const Event &e : result.events) {
        j.object([&] {
          j.attribute("ph", "X");
          j.attribute("name", e.kind == Event::Transfer
                                  ? "move " + e.name
                                  : e.kind == Event::LostKernel
                                        ? e.name + " (lost)"
                                        : e.name);
          j.attribute("cat", e.kind == Event::Transfer     ? "transfer"
                             : e.kind == Event::LostKernel ? "lost"
                                                           : "kernel");
          j.attribute("pid", e.kind == Event::Transfer ? 2 : 1);
          j.attribute("tid", tid(e.track));
          j.attribute("ts", e.start * 1e6);
          j.attribute("dur", (e.end - e.start) * 1e6);
          if (e.kind == Event::Transfer) {
            j.attributeObject("args", [&] {
              j.attribute("bytes", e.bytes);
              j.attribute("from", e.from);
            });
            return;
          }
          const ScheduledKernel *kernel = lookup(e.name);
          auto chip = llvm::find(info ? info->chips : ArrayRef<std::string>(),
                                 StringRef(e.track).rsplit(':').first.str());
          if (!kernel || !info || chip == info->chips.end())
            return;
          const ScheduledKernel::Cost &cost =
              kernel->costs[chip - info->chips.begin()];
          j.attributeObject("args", [&] {
            j.attribute("flops", kernel->flops);
            j.attribute("bytes", kernel->bytes);
            j.attribute("bound", stringifyBound(cost.bound));
            j.attribute("estimate_s", cost.seconds);
            j.attribute("dollars", cost.dollars);
            j.attribute("joules", cost.joules);
          });
        });
        if (e.kind != Event::Transfer || !info)
          continue;
        // A flow arrow from the producer's run on the source device (the
        // last that ended by the move's start) to the move.
        const Event *producer = nullptr;
        for (const Event *p : runsOn.lookup(e.name + "@" + e.from))
          if (p->end <= e.start + 1e-15 &&
              (!producer || p->end > producer->end))
            producer = p;
        if (!producer)
          continue;
        ++flow;
        for (bool start : {true, false})
          j.object([&] {
            j.attribute("ph", start ? "s" : "f");
            j.attribute("name", "move " + e.name);
            j.attribute("cat", "transfer");
            j.attribute("id", flow);
            j.attribute("pid", start ? 1 : 2);
            j.attribute("tid", tid(start ? e.from : e.track));
            // Just inside the producer's slice, which the arrow binds to.
            double at =
                start
                    ? producer->end -
                          std::min(1e-9, (producer->end - producer->start) / 2)
                    : e.start;
            j.attribute("ts", at * 1e6);
            if (!start)
              j.attribute("bp", "e");
          });
      }
      if (info)
        for (const Failure &f : info->failures)
          j.object([&] {
            j.attribute("ph", "i");
            j.attribute("s", "t");
            j.attribute("name", f.device + " fails");
            j.attribute("cat", "failure");
            j.attribute("pid", 1);
            j.attribute("tid", tid(f.device));
            j.attribute("ts", f.time * 1e6);
          });
    });
  });
  os << "\n";
}

} // namespace fungible::runtime
