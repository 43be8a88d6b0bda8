//===- fungible-cost.cpp - Per-kernel cost table across chips ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// fungible-cost MODEL.mlir [--targets=h100,tpu-v5p,...] [--metric=...]
//   [--format=table|csv|json] [--explain=KERNEL] [--target-spec=FILE]...
//   [--load-target-plugin=PATH]...
//
// Reads a model (wl, or upstream linalg/TOSA, which is imported first),
// outlines its kernels (wl-outline-kernels; --per-op makes every wl op a
// kernel), and prints what every kernel costs on every target, the
// cheapest per kernel marked, with totals. Targets come from the built-in
// specs, from --target-spec files and from plugins.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadDialect.h"
#include "dialects/Workload/WorkloadOps.h"
#include "passes/Passes.h"
#include "runtime/HostExecutor.h"
#include "runtime/Measure.h"
#include "targets/BuiltinTargets.h"
#include "targets/Kernels.h"
#include "targets/cpu/HostWork.h"
#include "targets/gpu/GpuTarget.h"
#include "tools/ToolSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <optional>

using namespace mlir;
using namespace fungible;

namespace {

struct Kernel {
  std::string name;
  KernelInfo info;
  std::string kind() const { return stringifyKernelKind(info.kind).str(); }
  int64_t flops() const { return static_cast<int64_t>(info.flops); }
  int64_t bytes() const {
    return static_cast<int64_t>(info.bytesRead + info.bytesWritten);
  }
};

/// --measure: per kernel, the host's time (runs == 0: not measured), the
/// column of the estimates that is cpu-host's, and the statistics over the
/// measured kernels.
struct Measurements {
  std::vector<runtime::KernelTiming> timings;
  size_t hostColumn = 0;
  runtime::Fidelity fidelity;
  unsigned runs = 0;
};

/// Times every kernel that is a wl.kernel at the top of its function (the
/// host executor's unit) on random inputs of its operand types, and
/// compares the times with column `hostColumn` of `estimates`.
llvm::Expected<Measurements>
measureKernels(const std::vector<Kernel> &kernels,
               const std::vector<std::vector<CostEstimate>> &estimates,
               size_t hostColumn, unsigned runs) {
  Measurements m;
  m.runs = runs;
  m.hostColumn = hostColumn;
  m.timings.resize(kernels.size());
  // One executor per function; a kernel's index is its place among the
  // function's top-level kernels.
  llvm::DenseMap<Operation *, std::unique_ptr<runtime::HostExecutor>> executors;
  llvm::DenseMap<Operation *, unsigned> indices;
  std::vector<double> estimated, times;
  std::vector<std::string> kinds;
  for (auto [r, kernel] : llvm::enumerate(kernels)) {
    auto op = dyn_cast_or_null<wl::KernelOp>(kernel.info.op);
    if (!op)
      continue;
    auto func = op->getParentOfType<FunctionOpInterface>();
    if (!func || op->getBlock() != &func.getFunctionBody().front())
      continue;
    std::unique_ptr<runtime::HostExecutor> &executor =
        executors[func.getOperation()];
    if (!executor) {
      unsigned index = 0;
      for (Operation &other : func.getFunctionBody().front())
        if (isa<wl::KernelOp>(other))
          indices[&other] = index++;
      llvm::Expected<std::unique_ptr<runtime::HostExecutor>> created =
          runtime::HostExecutor::create(
              func, {}, compileProgressPrinter("fungible-cost"));
      if (!created)
        return created.takeError();
      executor = std::move(*created);
    }
    std::vector<runtime::HostTensor> inputs;
    for (auto [i, type] : llvm::enumerate(op.getInputs().getTypes())) {
      RankedTensorType taken = runtime::tensorForInput(type);
      // A scalar integer (an index into buffers: a position) is 0, valid
      // for any buffer, as fungible-run makes it.
      if (!isa<RankedTensorType>(type) && taken.getElementType().isInteger())
        inputs.push_back(runtime::HostTensor{
            taken, runtime::HostBuffer(
                       runtime::elementBytes(taken.getElementType()))});
      else
        inputs.push_back(runtime::randomTensor(taken, r * 131 + i));
    }
    std::vector<const runtime::HostTensor *> pointers;
    for (const runtime::HostTensor &t : inputs)
      pointers.push_back(&t);
    // Inputs updated in place are handed over where fungible-run would.
    unsigned index = indices.lookup(op);
    llvm::SmallVector<bool, 8> donate(inputs.size(), false);
    for (unsigned i : executor->getInputsToHandOver(index))
      donate[i] = true;
    llvm::Expected<runtime::KernelTiming> timing =
        runtime::timeKernel(*executor, index, pointers, runs, donate);
    if (!timing)
      return llvm::createStringError(kernel.name + ": " +
                                     llvm::toString(timing.takeError()));
    m.timings[r] = *timing;
    estimated.push_back(estimates[r][hostColumn].seconds);
    times.push_back(timing->median);
    kinds.push_back(runtime::fidelityKind(kernel.info));
  }
  m.fidelity =
      runtime::computeFidelity(runtime::kHostChip, estimated, times, kinds);
  return m;
}

double metricOf(const CostEstimate &e, const std::string &metric) {
  return valueOf(e, parseObjective(metric).value_or(Objective::Time));
}

/// The relative error assumed on `target`'s estimate of a kernel of
/// fidelity kind `kind`: the spec's measured mean error for that kind
/// (`params.measured_error_<kind>`) when it has one, else `fallback`
/// (--error-band). Whether it was measured goes to `measuredBand`.
double errorBandOf(const Target &target, llvm::StringRef kind, double fallback,
                   bool *measuredBand = nullptr) {
  const ChipSpec &spec = target.getSpec();
  auto it = spec.params.find(("measured_error_" + kind).str());
  if (measuredBand)
    *measuredBand = it != spec.params.end();
  return it != spec.params.end() ? it->second.value : fallback;
}

int fail(const llvm::Twine &message) {
  llvm::errs() << "fungible-cost: " << message << "\n";
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Fungible: what every kernel of a model costs on every chip"};
  std::string input, metric = "all", format = "table", explain;
  std::string targetList, specsDir;
  bool perOp = false, keepLoops = false, listTargets = false;
  unsigned measureRuns = 0;
  double errorBand = 0.1;
  std::vector<std::string> specFiles, plugins;
  keepLargeAllocationsInHeap();
  addCommonOptions(app, "fungible-cost");
  app.add_option("model", input, "model .mlir file (wl, linalg, TOSA)");
  app.add_option("--targets", targetList,
                 "comma-separated target names (default: all)");
  app.add_option("--metric", metric,
                 "time, energy, dollars, or all (the table's default: one "
                 "table each; CSV and JSON's cheapest: time)")
      ->check(CLI::IsMember({"time", "energy", "dollars", "all"}));
  app.add_option("--format", format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  app.add_option("--explain", explain, "break down one kernel's estimates");
  app.add_option("--target-spec", specFiles, "add a chip from a JSON spec");
  app.add_option("--load-target-plugin", plugins, "load a target plugin");
  app.add_option("--specs-dir", specsDir, "directory of built-in chip specs");
  app.add_flag("--per-op", perOp,
               "cost every wl op as a kernel of its own (no fusion)");
  app.add_flag("--keep-loops", keepLoops,
               "leave loops over buffers as written, each run of them one "
               "opaque kernel (to measure scalar loops), not raised");
  app.add_flag("--measure{10}", measureRuns,
               "time every kernel's host code N times after a warm-up on "
               "random inputs (--measure alone: 10) and compare the cpu-host "
               "model's estimates with the medians (needs cpu-host among "
               "the targets)")
      ->check(CLI::Range(1u, 100000u));
  app.add_option("--error-band", errorBand,
                 "the relative error assumed on every estimate when saying "
                 "which kernels' cheapest target could flip (default 0.1)")
      ->check(CLI::Range(0.0, 0.999));
  app.add_flag("--list-targets", listTargets,
               "list the targets (built-in, --target-spec, plugins) and exit");
  CLI11_PARSE(app, argc, argv);

  TargetRegistry registry;
  if (llvm::Error e = buildTargetRegistry(registry, specsDir, specFiles, plugins))
    return fail(llvm::toString(std::move(e)));
  if (listTargets) {
    printTargetList(registry, llvm::outs());
    return 0;
  }
  if (input.empty())
    return fail("a model file is required (see --help)");
  std::vector<std::string> names;
  llvm::SmallVector<llvm::StringRef> parts;
  llvm::StringRef(targetList).split(parts, ',', -1, false);
  for (llvm::StringRef part : parts)
    names.push_back(part.trim().str());
  llvm::Expected<std::vector<const Target *>> selected =
      selectTargets(registry, names);
  if (!selected)
    return fail(llvm::toString(selected.takeError()));
  std::vector<const Target *> targets = std::move(*selected);

  // Parse (diagnostics carry file:line:col) and import into wl.
  ModelReader reader;
  std::string error;
  OwningOpRef<ModuleOp> module = reader.read(input, error);
  if (!module)
    return error.empty() ? 1 : fail(error);
  // The kernels every tool sees (fungible-run's names, too).
  PassManager pm(&reader.getContext());
  buildImportAndOutlinePipeline(pm, /*fuse=*/!perOp, /*raiseLoops=*/!keepLoops);
  if (failed(pm.run(*module)))
    return 1;

  std::vector<Kernel> kernels;
  for (NamedKernel &named : collectKernels(*module))
    if (std::optional<KernelInfo> info = summarizeKernel(named.op))
      kernels.push_back({std::move(named.name), std::move(*info)});

  // --measure compares with the cpu-host model: its column.
  size_t hostColumn = llvm::find_if(targets,
                                    [](const Target *t) {
                                      return t->getName() == runtime::kHostChip;
                                    }) -
                      targets.begin();
  if (measureRuns && hostColumn == targets.size())
    return fail("--measure compares the cpu-host model's estimates with "
                "the host's times: add cpu-host to --targets");

  // Estimates: rows are kernels, columns targets. Explanations only when
  // asked for.
  std::vector<std::vector<CostEstimate>> estimates;
  for (const Kernel &k : kernels) {
    estimates.emplace_back();
    for (const Target *t : targets)
      estimates.back().push_back(t->estimate(k.info, !explain.empty()));
  }
  auto cheapestBy = [&](size_t row, const std::string &metric) {
    size_t best = 0;
    for (size_t c = 1; c < targets.size(); ++c) {
      const CostEstimate &e = estimates[row][c], &b = estimates[row][best];
      if ((e.feasible && !b.feasible) ||
          (e.feasible == b.feasible &&
           metricOf(e, metric) < metricOf(b, metric)))
        best = c;
    }
    return best;
  };
  // CSV, JSON and the cheapest target: `all` means time.
  bool allMetrics = metric == "all";
  if (allMetrics)
    metric = "time";
  auto cheapest = [&](size_t row) { return cheapestBy(row, metric); };
  // How sure the cheapest target is: the smallest relative error, on every
  // estimate alike, that makes another feasible target the cheapest (the
  // cheapest's estimate that much too low, the runner-up's that much too
  // high): (r - b) / (r + b), with b the cheapest's metric and r the
  // runner-up's. None when fewer than two targets can run the kernel.
  auto flipBand = [&](size_t row) -> std::optional<std::pair<double, size_t>> {
    size_t best = cheapest(row);
    if (!estimates[row][best].feasible)
      return std::nullopt;
    std::optional<size_t> runnerUp;
    for (size_t c = 0; c < targets.size(); ++c)
      if (c != best && estimates[row][c].feasible &&
          (!runnerUp || metricOf(estimates[row][c], metric) <
                            metricOf(estimates[row][*runnerUp], metric)))
        runnerUp = c;
    if (!runnerUp)
      return std::nullopt;
    double b = metricOf(estimates[row][best], metric);
    double r = metricOf(estimates[row][*runnerUp], metric);
    return std::make_pair(r + b > 0 ? (r - b) / (r + b) : 0.0, *runnerUp);
  };
  // With each chip's own error for the kernel's kind (measured where its
  // spec has one, else --error-band): another feasible target could be the
  // cheapest when the cheapest's estimate is that much too low and the
  // other's that much too high, b (1 + e_b) >= m (1 - e_m). The target
  // whose m (1 - e_m) is the lowest of those, or none.
  auto flipsWithin = [&](size_t row) -> std::optional<size_t> {
    size_t best = cheapest(row);
    if (!estimates[row][best].feasible)
      return std::nullopt;
    std::string kind = runtime::fidelityKind(kernels[row].info);
    double b = metricOf(estimates[row][best], metric) *
               (1 + errorBandOf(*targets[best], kind, errorBand));
    std::optional<size_t> other;
    double lowest = b;
    for (size_t c = 0; c < targets.size(); ++c) {
      if (c == best || !estimates[row][c].feasible)
        continue;
      double band = std::min(errorBandOf(*targets[c], kind, errorBand), 1.0);
      double low = metricOf(estimates[row][c], metric) * (1 - band);
      if (low <= lowest) {
        lowest = low;
        other = c;
      }
    }
    return other;
  };
  // The targets whose specs carry measured errors.
  std::vector<std::string> measuredTargets;
  for (const Target *t : targets)
    if (llvm::any_of(t->getSpec().params, [](const auto &p) {
          return p.getKey().starts_with("measured_error_");
        }))
      measuredTargets.push_back(t->getName().str());

  // The kernels with a runner-up, and those whose flip band is within
  // --error-band, as (band, row), closest first; each kernel's flip with
  // the measured errors.
  size_t compared = 0, flippingMeasured = 0;
  std::vector<std::pair<double, size_t>> close;
  std::vector<std::optional<size_t>> couldFlipTo(kernels.size());
  for (size_t r = 0; r < kernels.size(); ++r) {
    couldFlipTo[r] = flipsWithin(r);
    flippingMeasured += couldFlipTo[r].has_value();
    if (std::optional<std::pair<double, size_t>> flip = flipBand(r)) {
      ++compared;
      if (flip->first <= errorBand)
        close.emplace_back(flip->first, r);
    }
  }
  llvm::sort(close);
  // Whether each target can run every kernel: a total over one that cannot
  // is marked, like the kernel.
  std::vector<bool> runsAll(targets.size(), true);
  for (const std::vector<CostEstimate> &row : estimates)
    for (size_t c = 0; c < targets.size(); ++c)
      runsAll[c] = runsAll[c] && row[c].feasible;

  llvm::raw_ostream &os = llvm::outs();
  if (!explain.empty()) {
    auto it = llvm::find_if(kernels,
                            [&](const Kernel &k) { return k.name == explain; });
    if (it == kernels.end())
      return fail("no kernel named '" + explain + "' (the table names them)");
    size_t row = it - kernels.begin();
    os << explain << ": " << it->kind() << ", " << it->flops()
       << " FLOPs, " << it->bytes() << " bytes\n";
    for (size_t c = 0; c < targets.size(); ++c) {
      const CostEstimate &e = estimates[row][c];
      os << "  " << targets[c]->getName() << ": " << e.seconds << " s, "
         << e.joules << " J, $" << e.dollars << ", " << stringifyBound(e.bound)
         << "-bound, utilization " << e.utilization << ", padding waste "
         << e.paddingWaste << (e.feasible ? "" : ", INFEASIBLE") << "\n    "
         << e.explanation << "\n";
    }
    std::string kind = runtime::fidelityKind(it->info);
    os << "  errors assumed for a " << kind << " kernel:";
    for (auto [c, target] : llvm::enumerate(targets)) {
      bool measuredBand = false;
      double band = errorBandOf(*target, kind, errorBand, &measuredBand);
      os << (c ? ", " : " ") << target->getName() << " "
         << llvm::formatv("{0:P}", band) << (measuredBand ? " (measured)" : "");
    }
    os << "\n";
    if (std::optional<std::pair<double, size_t>> flip = flipBand(row)) {
      std::optional<size_t> other = couldFlipTo[row];
      os << "  with those errors the cheapest "
         << (other ? "could be " + targets[*other]->getName().str()
                   : std::string("holds"))
         << "\n";
      size_t best = cheapest(row);
      double b = metricOf(estimates[row][best], metric);
      double r = metricOf(estimates[row][flip->second], metric);
      os << llvm::formatv(
          "  cheapest on {0}: {1}; the runner-up, {2}, costs {3:P} more: an "
          "error of {4:P} on both estimates flips the choice ({5} the "
          "--error-band of {6:P})\n",
          metric, targets[best]->getName(), targets[flip->second]->getName(),
          b > 0 ? r / b - 1 : 0.0, flip->first,
          flip->first <= errorBand ? "within" : "beyond", errorBand);
    }
    return 0;
  }

  // --measure: the host's times beside the cpu-host model's estimates.
  std::optional<Measurements> measured;
  if (measureRuns) {
    llvm::Expected<Measurements> m =
        measureKernels(kernels, estimates, hostColumn, measureRuns);
    if (!m)
      return fail(llvm::toString(m.takeError()));
    measured = std::move(*m);
  }

  if (format == "json") {
    llvm::json::OStream json(os, 2);
    json.object([&] {
      json.attribute("metric", metric);
      json.attributeArray("targets", [&] {
        for (const Target *t : targets)
          json.value(t->getName());
      });
      json.attributeArray("kernels", [&] {
        for (size_t r = 0; r < kernels.size(); ++r) {
          json.object([&] {
            json.attribute("name", kernels[r].name);
            json.attribute("kind", kernels[r].kind());
            json.attribute("fidelity_kind",
                           runtime::fidelityKind(kernels[r].info));
            json.attribute("flops", kernels[r].flops());
            json.attribute("bytes", kernels[r].bytes());
            json.attributeObject("estimates", [&] {
              for (size_t c = 0; c < targets.size(); ++c) {
                const CostEstimate &e = estimates[r][c];
                json.attributeObject(targets[c]->getName(), [&] {
                  json.attribute("seconds", e.seconds);
                  json.attribute("joules", e.joules);
                  json.attribute("dollars", e.dollars);
                  json.attribute("bound", stringifyBound(e.bound));
                  json.attribute("utilization", e.utilization);
                  json.attribute("padding_waste", e.paddingWaste);
                  json.attribute("feasible", e.feasible);
                  // What the gpu model counts (at unit efficiency): the
                  // record fungible-calibrate --from fits a GPU with.
                  const ChipSpec &spec = targets[c]->getSpec();
                  if (spec.family != ChipFamily::GPU || !e.feasible)
                    return;
                  GpuWork work = describeGpuWork(spec, kernels[r].info);
                  json.attributeObject("gpu_work", [&] {
                    for (unsigned f = 0; f < GpuFactors::kNumFactors; ++f) {
                      auto factor = GpuFactors::Factor(f);
                      json.attribute(GpuFactors::getWorkKey(factor),
                                     getGpuWorkTerm(work, factor));
                    }
                    if (work.ctas > 0)
                      json.attribute("ctas", work.ctas);
                  });
                });
              }
            });
            json.attribute("cheapest", targets[cheapest(r)]->getName());
            if (std::optional<size_t> other = couldFlipTo[r])
              json.attribute("could_flip_to", targets[*other]->getName());
            if (std::optional<std::pair<double, size_t>> flip = flipBand(r))
              json.attribute("flip_band", flip->first);
            else
              json.attribute("flip_band", nullptr);
            if (measured && measured->timings[r].runs) {
              json.attribute("measured_s", measured->timings[r].median);
              json.attribute("measured_spread", measured->timings[r].spread);
              // What the host model counts for the kernel: the
              // measurement's record for fungible-calibrate --from.
              HostWork work = describeHostWork(
                  kernels[r].info,
                  HostShape::of(targets[hostColumn]->getSpec()));
              json.attributeObject("host_work", [&] {
                for (unsigned t = 0; t < kNumHostTerms; ++t)
                  json.attribute(stringifyHostTerm(HostTerm(t)),
                                 work.amount[t]);
              });
            }
          });
        }
      });
      json.attributeObject("totals", [&] {
        for (size_t c = 0; c < targets.size(); ++c) {
          double s = 0, j = 0, d = 0;
          for (size_t r = 0; r < kernels.size(); ++r) {
            s += estimates[r][c].seconds;
            j += estimates[r][c].joules;
            d += estimates[r][c].dollars;
          }
          json.attributeObject(targets[c]->getName(), [&] {
            json.attribute("seconds", s);
            json.attribute("joules", j);
            json.attribute("dollars", d);
            json.attribute("feasible", bool(runsAll[c]));
          });
        }
      });
      json.attributeObject("sensitivity", [&] {
        json.attribute("error_band", errorBand);
        json.attribute("kernels_compared", int64_t(compared));
        json.attribute("kernels_flipping", int64_t(close.size()));
        json.attribute("kernels_flipping_measured", int64_t(flippingMeasured));
        json.attributeArray("measured_errors", [&] {
          for (const std::string &name : measuredTargets)
            json.value(name);
        });
      });
      if (measured)
        json.attributeObject("fidelity", [&] {
          json.attribute("runs", int64_t(measured->runs));
          json.attribute("host", describeHost());
          runtime::writeFidelityJson(json, measured->fidelity);
        });
    });
    os << "\n";
    return 0;
  }

  bool csv = format == "csv";
  auto cell = [&](double v) {
    char b[32];
    std::snprintf(b, sizeof(b), "%.3e", v);
    return std::string(b);
  };
  // One table (or CSV) per metric: rows are kernels, columns targets.
  auto print = [&](const std::string &metric) {
    const char *unit =
        metric == "time" ? "s" : metric == "energy" ? "J" : "$";
    if (csv) {
      os << "kernel,kind,flops,bytes";
      for (const Target *t : targets)
        os << "," << t->getName();
      os << ",cheapest\n";
    } else {
      os << llvm::format("%-28s %-13s %16s", "kernel", "kind", "FLOPs");
      for (const Target *t : targets)
        os << llvm::format(" %11s", t->getName().str().c_str());
      os << "   (" << metric << ", " << unit << "; * = cheapest)\n";
    }
    std::vector<double> totals(targets.size(), 0);
    for (size_t r = 0; r < kernels.size(); ++r) {
      size_t best = cheapestBy(r, metric);
      if (csv)
        os << kernels[r].name << "," << kernels[r].kind() << ","
           << kernels[r].flops() << "," << kernels[r].bytes();
      else
        os << llvm::format("%-28s %-13s %16lld", kernels[r].name.c_str(),
                           kernels[r].kind().c_str(),
                           static_cast<long long>(kernels[r].flops()));
      for (size_t c = 0; c < targets.size(); ++c) {
        double v = metricOf(estimates[r][c], metric);
        totals[c] += v;
        std::string text = cell(v) + (estimates[r][c].feasible ? "" : "!");
        if (csv)
          os << "," << text;
        else
          os << llvm::format(" %10s%s", text.c_str(), c == best ? "*" : " ");
      }
      if (csv)
        os << "," << targets[best]->getName();
      os << "\n";
    }
    if (csv)
      return;
    os << llvm::format("%-28s %-13s %16s", "total", "", "");
    for (size_t c = 0; c < targets.size(); ++c)
      os << llvm::format(" %10s ",
                         (cell(totals[c]) + (runsAll[c] ? "" : "!")).c_str());
    os << "\n";
  };
  if (allMetrics && !csv) {
    print("time");
    os << "\n";
    print("energy");
    os << "\n";
    print("dollars");
  } else {
    print(metric);
  }
  if (!csv) {
    // Which kernels' cheapest target the error band could flip.
    os << llvm::formatv("\ncheapest target on {0}: {1} of {2} kernels could "
                        "flip within a {3:P} error on every estimate",
                        metric, close.size(), compared, errorBand);
    for (auto [i, c] : llvm::enumerate(close)) {
      if (i == 10) {
        os << ", ...";
        break;
      }
      os << (i ? ", " : ": ") << kernels[c.second].name << " ("
         << llvm::formatv("{0:P}", c.first) << ")";
    }
    os << "\n";
    if (!measuredTargets.empty())
      os << llvm::formatv("with the errors measured per kind for {0} (the "
                          "others {1:P}): {2} of {3} kernels could flip\n",
                          llvm::join(measuredTargets, ", "), errorBand,
                          flippingMeasured, compared);
  }
  if (measured && !csv) {
    // The host's times beside the cpu-host model's.
    os << "\n"
       << llvm::format("%-28s %-13s %12s %12s %8s %8s\n", "kernel", "kind",
                       "estimated", "measured", "spread", "error");
    for (size_t r = 0; r < kernels.size(); ++r) {
      const runtime::KernelTiming &t = measured->timings[r];
      double estimated = estimates[r][measured->hostColumn].seconds;
      if (!t.runs) {
        os << llvm::format("%-28s %-13s %12s %12s\n", kernels[r].name.c_str(),
                           kernels[r].kind().c_str(), cell(estimated).c_str(),
                           "not measured");
        continue;
      }
      double error = (estimated - t.median) / t.median;
      os << llvm::format("%-28s %-13s %12s %12s %7.1f%% %+7.1f%%\n",
                         kernels[r].name.c_str(), kernels[r].kind().c_str(),
                         cell(estimated).c_str(), cell(t.median).c_str(),
                         100 * t.spread, 100 * error);
    }
    runtime::printFidelity(os, measured->fidelity, measured->runs);
  }
  return 0;
}
