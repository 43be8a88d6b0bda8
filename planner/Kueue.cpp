//===- Kueue.cpp - The plan as Kueue manifests ------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements writeKueueManifests (Plan.h): one period of a plan
// as the Kueue objects that enact it on a cluster (kueue.x-k8s.io/v1beta2,
// the schemas of ../shared/kueue/).
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <map>

using namespace llvm;

namespace fungible::planner {

namespace {

/// The Kubernetes resource a family's chips are requested as.
StringRef resourceOf(StringRef family) {
  if (family == "gpu")
    return "nvidia.com/gpu";
  if (family == "tpu")
    return "google.com/tpu";
  if (family == "trainium")
    return "aws.amazon.com/neuron";
  return "cpu";
}

/// The node label the clouds put on nodes with this chip.
std::pair<std::string, std::string> nodeLabel(StringRef chip,
                                              StringRef family) {
  static const std::map<std::string, std::pair<std::string, std::string>>
      known = {
          // NVIDIA GPU feature discovery, on every cloud.
          {"h100", {"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}},
          {"h200", {"nvidia.com/gpu.product", "NVIDIA-H200"}},
          {"b200", {"nvidia.com/gpu.product", "NVIDIA-B200"}},
          // GKE's TPU node label.
          {"tpu-v5e",
           {"cloud.google.com/gke-tpu-accelerator", "tpu-v5-lite-podslice"}},
          {"tpu-v5p",
           {"cloud.google.com/gke-tpu-accelerator", "tpu-v5p-slice"}},
          {"tpu-v6e",
           {"cloud.google.com/gke-tpu-accelerator", "tpu-v6e-slice"}},
          // EKS: the instance type carries the Trainium generation.
          {"trn1", {"node.kubernetes.io/instance-type", "trn1.32xlarge"}},
          {"trn2", {"node.kubernetes.io/instance-type", "trn2.48xlarge"}},
          {"cpu-host", {"kubernetes.io/arch", "amd64"}},
      };
  auto it = known.find(chip.str());
  if (it != known.end())
    return it->second;
  // A chip no cloud labels yet (a plugin's, a spec file's): a label of our
  // own that the cluster's nodes must carry.
  return {"fungible.dev/chip", chip.str()};
}

/// A Kubernetes object name: lowercase letters, digits and '-', starting
/// and ending alphanumeric.
std::string dnsName(StringRef name) {
  std::string out;
  for (char c : name.lower())
    out += isAlnum(c) ? c : '-';
  while (!out.empty() && out.front() == '-')
    out.erase(out.begin());
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  return out.empty() ? "workload" : out.substr(0, 63);
}

Error writeFile(StringRef dir, StringRef name,
                function_ref<void(raw_ostream &)> write) {
  SmallString<128> path(dir);
  sys::path::append(path, name);
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return createStringError(ec, "cannot write '%s': %s", path.c_str(),
                             ec.message().c_str());
  write(os);
  return Error::success();
}

} // namespace

Error writeKueueManifests(const PlanInput &plan, const PlanResult &result,
                          ArrayRef<KueueChip> chips, unsigned period,
                          StringRef scenario, StringRef ns, StringRef dir) {
  auto error = [](const Twine &message) {
    return createStringError(inconvertibleErrorCode(), message);
  };
  if (period >= plan.periods)
    return error(formatv("--period {0}: the plan has periods 0 to {1}", period,
                         plan.periods - 1)
                     .str());
  if (!llvm::any_of(plan.scenarios,
                    [&](const Scenario &s) { return s.name == scenario; }))
    return error("no scenario named '" + scenario + "'");
  if (std::error_code ec = sys::fs::create_directories(dir))
    return error("cannot create '" + dir + "': " + ec.message());
  unsigned P = plan.pools.size();
  // Whole chips per pool and workload: the period's allocation rounded by
  // largest remainder, so each pool's quotas add up to its chips given out
  // (rounded), never more than it has.
  std::map<std::pair<std::string, std::string>, unsigned> quota;
  std::vector<double> capacity(P, 0);
  for (const PlanResult::Capacity &c : result.capacity)
    if (c.scenario == scenario && c.period == period)
      for (unsigned p = 0; p < P; ++p)
        if (plan.pools[p].chip == c.pool)
          capacity[p] = c.chips;
  for (unsigned p = 0; p < P; ++p) {
    std::vector<std::pair<double, std::string>> parts;
    double total = 0;
    for (const PlanResult::Allocation &a : result.allocations)
      if (a.scenario == scenario && a.period == period &&
          a.pool == plan.pools[p].chip) {
        parts.push_back({a.chips, a.workload});
        total += a.chips;
      }
    unsigned whole =
        static_cast<unsigned>(std::min(capacity[p], std::floor(total + 0.5)));
    unsigned given = 0;
    for (auto &[chipsOf, w] : parts) {
      unsigned q = static_cast<unsigned>(std::floor(chipsOf));
      quota[{plan.pools[p].chip, w}] = q;
      given += q;
    }
    llvm::stable_sort(parts, [](const auto &a, const auto &b) {
      return a.first - std::floor(a.first) > b.first - std::floor(b.first);
    });
    for (auto &[chipsOf, w] : parts) {
      if (given >= whole)
        break;
      ++quota[{plan.pools[p].chip, w}];
      ++given;
    }
  }
  // The pools a workload may use: a rate it can run at, on a chip it is
  // allowed.
  auto usable = [&](const Workload &w, unsigned p) {
    const std::string &chip = plan.pools[p].chip;
    if (!w.chips.empty() && !llvm::is_contained(w.chips, chip))
      return false;
    return llvm::any_of(result.rates, [&](const Rate &r) {
      return r.workload == w.name && r.chip == chip && r.feasible;
    });
  };
  auto amount = [&](unsigned p, double value) {
    double scale = chips[p].family == "cpu" ? chips[p].cores : 1;
    return static_cast<int64_t>(std::llround(value * scale));
  };
  const char *api = "kueue.x-k8s.io/v1beta2";
  std::string cohort = "fungible-envelope";

  if (Error e = writeFile(dir, "resourceflavors.yaml", [&](raw_ostream &os) {
        for (auto [p, pool] : llvm::enumerate(plan.pools)) {
          auto [key, value] = nodeLabel(pool.chip, chips[p].family);
          os << (p ? "---\n" : "") << "apiVersion: " << api
             << "\nkind: ResourceFlavor\nmetadata:\n  name: "
             << dnsName(pool.chip) << "\nspec:\n  nodeLabels:\n    " << key
             << ": \"" << value << "\"\n";
        }
      }))
    return e;
  if (Error e = writeFile(dir, "cohort.yaml", [&](raw_ostream &os) {
        os << "apiVersion: " << api
           << "\nkind: Cohort\nmetadata:\n  name: " << cohort << "\nspec: {}\n";
      }))
    return e;
  if (Error e = writeFile(dir, "clusterqueues.yaml", [&](raw_ostream &os) {
        for (auto [wi, w] : llvm::enumerate(plan.workloads)) {
          os << (wi ? "---\n" : "") << "apiVersion: " << api
             << "\nkind: ClusterQueue\nmetadata:\n  name: " << dnsName(w.name)
             << "\n  annotations:\n    fungible.dev/plan-period: \"" << period
             << "\"\n    fungible.dev/plan-scenario: \"" << scenario
             << "\"\nspec:\n  cohortName: " << cohort
             << "\n  namespaceSelector: {}\n  resourceGroups:\n";
          // One group per resource (a family's chips), the pools of that
          // family it may use as its flavors.
          std::vector<std::string> resources;
          for (unsigned p = 0; p < P; ++p) {
            std::string r = resourceOf(chips[p].family).str();
            if (usable(w, p) && !llvm::is_contained(resources, r))
              resources.push_back(r);
          }
          for (const std::string &r : resources) {
            os << "  - coveredResources: [\"" << r << "\"]\n    flavors:\n";
            for (unsigned p = 0; p < P; ++p) {
              if (resourceOf(chips[p].family) != r || !usable(w, p))
                continue;
              unsigned q = quota.count({plan.pools[p].chip, w.name})
                               ? quota[{plan.pools[p].chip, w.name}]
                               : 0;
              double rest = std::max(0.0, capacity[p] - q);
              os << "    - name: " << dnsName(plan.pools[p].chip)
                 << "\n      resources:\n      - name: \"" << r
                 << "\"\n        nominalQuota: " << amount(p, q)
                 << "\n        borrowingLimit: " << amount(p, rest)
                 << "\n        lendingLimit: " << amount(p, q) << "\n";
            }
          }
        }
      }))
    return e;
  return writeFile(dir, "localqueues.yaml", [&](raw_ostream &os) {
    for (auto [wi, w] : llvm::enumerate(plan.workloads))
      os << (wi ? "---\n" : "") << "apiVersion: " << api
         << "\nkind: LocalQueue\nmetadata:\n  name: " << dnsName(w.name)
         << "\n  namespace: " << ns
         << "\nspec:\n  clusterQueue: " << dnsName(w.name) << "\n";
  });
}

} // namespace fungible::planner
