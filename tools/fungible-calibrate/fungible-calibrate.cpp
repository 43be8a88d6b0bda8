//===- fungible-calibrate.cpp - Fit the host CPU's spec ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// fungible-calibrate --out=FILE [--base=SPEC] [--size=N] [--repeats=R]
//   [--force]
//
// Runs real kernels through the CPU target's JIT on this machine and writes
// a cpu-host spec whose figures are the measurements:
//  - matrix_tflops.f32: an N^3 f32 matmul (wl.matmul, lowered and
//    vectorised exactly as the CPU target compiles it), 2N^3 / best time;
//  - vector_tflops.f32: 16 independent vector<16xf32> FMA chains held in
//    registers (the vector units' FMA rate);
//  - memory.bandwidth_gbps: a vectorised c = a + b over 3 x 32 MiB (12
//    bytes per element moved / best time);
//  - overheads.launch_us: the mean cost of invoking a one-element kernel;
//  - units.count: the hardware threads the host reports.
// Kernels run as the JIT runs them, on OpenMP's threads (every hardware
// thread unless OMP_NUM_THREADS says fewer): the matmul's tiles, the
// stream's chunks and one set of FMA chains per hardware thread are
// parallel loops, so the rates are the whole host's, as a kernel placed on
// cpu-host gets them. The nominal figures the host reports about itself
// (cores x vector width x 2 FMA units x 2 x clock) are printed next to them.
// Every other figure is copied from the base spec (the built-in cpu-host.json).
// The output is validated as a spec before it is written; an existing file
// is never overwritten without --force.
//
// fungible-calibrate --from=TIMES.json --out=FILE [--base=SPEC]
//   [--any-host]
//
// Fits the host model's costs per unit of work (`params.host_ns_per_*`,
// targets/cpu/HostWork.h) to kernels measured on this host by
// `fungible-cost --measure --format=json` (targets/cpu/CpuFit.h):
// docs/Fidelity.md, "Fitting". Without --from the output has no host
// terms (the base's were fitted on another machine's measurements), and
// the cpu model is the roofline of the measured figures.
//
// fungible-calibrate --from=TIMES.json --rescale --out=FILE [--base=SPEC]
//
// Multiplies every host cost of the base by the one factor that fits the
// measured kernels best (CpuFit.h, fitHostScale): the same host on another
// day, its speed moved, re-based from a few kernels.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadDialect.h"
#include "runtime/Measure.h"
#include "targets/BuiltinTargets.h"
#include "targets/cpu/CpuFit.h"
#include "targets/cpu/CpuJit.h"
#include "tools/InitAll.h"
#include "tools/ToolSupport.h"
#include "tools/fungible-calibrate/Calibrate.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

using namespace mlir;
using namespace fungible;
using namespace fungible::calibrate;

namespace fungible::calibrate {

int fail(const llvm::Twine &message) {
  llvm::errs() << "fungible-calibrate: " << message << "\n";
  return 1;
}

std::string today() {
  std::time_t t = std::time(nullptr);
  char buffer[16];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d", std::gmtime(&t));
  return buffer;
}

/// Sets the figure at `path` (object keys) of `spec` to a measurement.
void setFigure(llvm::json::Object &spec, llvm::ArrayRef<llvm::StringRef> path,
               double value, const std::string &note, const std::string &how) {
  llvm::json::Object *object = &spec;
  for (llvm::StringRef key : path.drop_back()) {
    // json::ObjectKey keeps a StringRef without copying it: copy.
    if (!object->getObject(key))
      (*object)[key.str()] = llvm::json::Object();
    object = object->getObject(key);
  }
  (*object)[path.back().str()] = llvm::json::Object{
      {"value", value},
      {"source", how + " by fungible-calibrate on " + today()},
      {"note", note}};
}

/// Writes `spec` to `out` ('-': stdout) once it reads back as a spec.
int writeSpec(const std::string &out, llvm::json::Object spec) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(spec))) << "\n";
  if (llvm::Expected<ChipSpec> check = parseChipSpec(text, out); !check)
    return fail("internal error: the fitted spec is invalid: " +
                llvm::toString(check.takeError()));
  if (out == "-") {
    llvm::outs() << text;
    return 0;
  }
  std::error_code ec;
  llvm::raw_fd_ostream file(out, ec);
  if (ec)
    return fail("cannot write '" + out + "': " + ec.message());
  file << text;
  return 0;
}

} // namespace fungible::calibrate

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// A 1-D or 2-D f32 buffer and its memref descriptor.
struct Buffer {
  std::vector<float> data;
  StridedMemRefType<float, 2> desc2;
  StridedMemRefType<float, 1> desc1;
  void *ptr;

  Buffer(int64_t rows, int64_t cols, float value)
      : data(rows * cols, value) {
    desc2 = {data.data(), data.data(), 0, {rows, cols}, {cols, 1}};
    desc1 = {data.data(), data.data(), 0, {rows * cols}, {1}};
  }
  void *arg2() {
    ptr = &desc2;
    return &ptr;
  }
  void *arg1() {
    ptr = &desc1;
    return &ptr;
  }
};

/// The kernels, as the user would write them (wl) or as a vector
/// microbenchmark (vector dialect), in one module.
std::string kernels(int64_t n, int64_t stream, int64_t chains,
                    unsigned threads) {
  std::string fma;
  std::string accs, types, yields, inits;
  for (int64_t i = 0; i < chains; ++i) {
    fma += llvm::formatv("      %n{0} = vector.fma %a{0}, %x, %y : "
                         "vector<16xf32>\n",
                         i)
               .str();
    accs += llvm::formatv("{0}%a{1} = %i{1}", i ? ", " : "", i).str();
    inits += llvm::formatv("  %k{0} = arith.constant dense<{0}.0> : "
                           "vector<16xf32>\n  %i{0} = arith.addf %v, %k{0} : "
                           "vector<16xf32>\n",
                           i)
                 .str();
    types += std::string(i ? ", " : "") + "vector<16xf32>";
    yields += llvm::formatv("{0}%n{1}", i ? ", " : "", i).str();
  }
  std::string sum = "    %s0 = arith.addf %r#0, %r#1 : vector<16xf32>\n";
  for (int64_t i = 2; i < chains; ++i)
    sum += llvm::formatv("    %s{0} = arith.addf %s{1}, %r#{2} : "
                         "vector<16xf32>\n",
                         i - 1, i - 2, i)
               .str();
  return llvm::formatv(R"mlir(
func.func @gemm(%a: tensor<{0}x{0}xf32>, %b: tensor<{0}x{0}xf32>) -> tensor<{0}x{0}xf32> {{
  %c = wl.matmul %a, %b : (tensor<{0}x{0}xf32>, tensor<{0}x{0}xf32>) -> tensor<{0}x{0}xf32>
  return %c : tensor<{0}x{0}xf32>
}
func.func @stream(%a: memref<{1}xf32>, %b: memref<{1}xf32>, %c: memref<{1}xf32>) {{
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %n = arith.constant {1} : index
  scf.parallel (%i) = (%c0) to (%n) step (%c16) {{
    %x = vector.load %a[%i] : memref<{1}xf32>, vector<16xf32>
    %y = vector.load %b[%i] : memref<{1}xf32>, vector<16xf32>
    %z = arith.addf %x, %y : vector<16xf32>
    vector.store %z, %c[%i] : memref<{1}xf32>, vector<16xf32>
    scf.reduce
  }
  return
}
func.func @fma(%out: memref<{10}xf32>, %iters: index) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %threads = arith.constant {11} : index
  scf.parallel (%t) = (%c0) to (%threads) step (%c1) {{
  %o = arith.muli %t, %c16 : index
  %v = vector.load %out[%o] : memref<{10}xf32>, vector<16xf32>
  %x = arith.constant dense<0.999> : vector<16xf32>
  %y = arith.mulf %v, %x : vector<16xf32>
{9}  %r:{2} = scf.for %i = %c0 to %iters step %c1 iter_args({3}) -> ({4}) {{
{5}      scf.yield {6} : {4}
  }
{7}  vector.store %s{8}, %out[%o] : memref<{10}xf32>, vector<16xf32>
    scf.reduce
  }
  return
}
func.func @tiny(%a: tensor<1xf32>) -> tensor<1xf32> {{
  %b = wl.add %a, %a : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  return %b : tensor<1xf32>
}
)mlir",
                       n, stream, chains, accs, types, fma, yields, sum,
                       chains - 2, inits, 16 * threads, threads)
      .str();
}

/// The best of `repeats` timings of `run` (after one warm-up run).
template <typename Fn>
llvm::Expected<double> best(int repeats, Fn run) {
  if (llvm::Error e = run())
    return std::move(e);
  double fastest = 1e300;
  for (int i = 0; i < repeats; ++i) {
    double start = now();
    if (llvm::Error e = run())
      return std::move(e);
    fastest = std::min(fastest, now() - start);
  }
  return fastest;
}

/// What the host says about itself: threads, f32 lanes of its widest
/// vector unit, and its clock (GHz, from /proc/cpuinfo; 0 if unknown).
struct HostInfo {
  unsigned threads;
  int lanes;
  double ghz;
};

HostInfo queryHost() {
  HostInfo info{std::max(1u, std::thread::hardware_concurrency()), 4, 0};
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    info.lanes = 16;
  else if (features.lookup("avx2") || features.lookup("avx"))
    info.lanes = 8;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("cpu MHz", 0) == 0) {
      info.ghz = std::atof(line.substr(line.find(':') + 1).c_str()) / 1000;
      break;
    }
  return info;
}

/// The measured kernels of a `fungible-cost --measure --format=json` file
/// (kernels without `measured_s` are left out), refusing another host's.
llvm::Expected<std::vector<TimedKernel>> readMeasurements(llvm::StringRef path,
                                                          bool anyHost) {
  llvm::Expected<MeasurementFile> file = readMeasurementFile(path);
  if (!file)
    return file.takeError();
  const llvm::json::Object *root = file->root.getAsObject();
  const llvm::json::Object *fidelity = root->getObject("fidelity");
  const llvm::json::Array *kernels = root->getArray("kernels");
  if (file->model != runtime::kHostChip)
    return llvm::createStringError(
        "'" + path + "' compares the " + file->model +
        " model, not cpu-host's: fungible-calibrate fits the host");
  std::optional<llvm::StringRef> host = fidelity->getString("host");
  std::string here = describeHost();
  if (!anyHost && host != llvm::StringRef(here))
    return llvm::createStringError(
        "'" + path + "' was measured on '" + host.value_or("(not recorded)") +
        "', and this host is '" + here +
        "': measure here, or pass --any-host to fit that host's times");
  std::vector<TimedKernel> timed;
  for (auto [i, value] : llvm::enumerate(*kernels)) {
    std::string where = (path + ": kernels[" + llvm::Twine(i) + "]").str();
    const llvm::json::Object *kernel = value.getAsObject();
    if (!kernel)
      return llvm::createStringError(where + " is not an object");
    std::optional<double> seconds = kernel->getNumber("measured_s");
    if (!seconds)
      continue;
    if (!(*seconds > 0) || !std::isfinite(*seconds))
      return llvm::createStringError(where +
                                     ".measured_s must be a positive "
                                     "number of seconds, not " +
                                     llvm::formatv("{0}", *seconds).str());
    const llvm::json::Object *work = kernel->getObject("host_work");
    if (!work)
      return llvm::createStringError(
          where + " has no 'host_work' (the host model's counts, which "
                  "fungible-cost --measure records): measure it again");
    TimedKernel measuredKernel;
    measuredKernel.seconds = *seconds;
    for (const auto &[key, amount] : *work) {
      std::optional<HostTerm> term = parseHostTerm(key);
      if (!term)
        return llvm::createStringError(where +
                                       ".host_work has an unknown "
                                       "term '" +
                                       key.str() + "'");
      std::optional<double> value = amount.getAsNumber();
      if (!value || !(*value >= 0) || !std::isfinite(*value))
        return llvm::createStringError(where + ".host_work." + key.str() +
                                       " must be a non-negative number");
      measuredKernel.work[*term] = *value;
    }
    timed.push_back(measuredKernel);
  }
  if (timed.empty())
    return llvm::createStringError("'" + path +
                                   "' has no kernel with 'measured_s'");
  return timed;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Fungible: measure this host and write its cpu-host spec"};
  std::string out, base;
  int64_t size = 512;
  int repeats = 5;
  bool force = false, listTargets = false, anyHost = false;
  std::string from, validate;
  addCommonOptions(app, "fungible-calibrate");
  app.add_option("--out,-o", out, "spec file to write ('-' for stdout)");
  app.add_option("--base", base,
                 "spec to start from (default: the built-in cpu-host.json)");
  app.add_option("--size", size, "side of the calibration matmul")
      ->check(CLI::Range(int64_t(16), int64_t(4096)));
  app.add_option("--repeats", repeats, "timed runs per kernel (best kept)")
      ->check(CLI::Range(1, 1000));
  app.add_flag("--force", force, "overwrite --out if it exists");
  app.add_option("--from", from,
                 "fit the figures to measured kernels instead of running the "
                 "microbenchmarks: a 'fungible-cost MODEL --targets=cpu-host "
                 "--measure --format=json' file of this host, or a GPU's "
                 "measurements from scripts/gpu-check.sh (the spec the file "
                 "names is fitted)");
  app.add_option("--validate", validate,
                 "with --from of a GPU's measurements: report the fidelity "
                 "before and after the fit on this file's kernels too (never "
                 "fitted on)");
  std::vector<std::string> only;
  app.add_option("--only", only,
                 "with --from of the host's measurements: fit only these host "
                 "terms (e.g. serial_step,strided_access); the others keep "
                 "the base spec's costs")
      ->delimiter(',');
  bool rescale = false;
  app.add_flag("--rescale", rescale,
               "with --from of the host's measurements: multiply every host "
               "cost of the base by the one factor that fits them best "
               "(the same host on another day: a few kernels will do)");
  app.add_flag("--any-host", anyHost,
               "with --from: fit even if the file was measured on another "
               "host (or, for a GPU, on a device the spec does not name)");
  app.add_flag("--list-targets", listTargets,
               "list the built-in targets and exit");
  CLI11_PARSE(app, argc, argv);

  if (listTargets) {
    if (llvm::Error e = fungible::listTargets("", {}, {}, llvm::outs()))
      return fail(llvm::toString(std::move(e)));
    return 0;
  }
  if (out.empty())
    return fail("--out is required (see --help)");

  if (out != "-" && !force && llvm::sys::fs::exists(out))
    return fail("'" + out + "' exists; pass --force to overwrite it");
  if (!only.empty() && from.empty())
    return fail("--only needs --from (the measured kernels to fit)");
  if (rescale && (from.empty() || !only.empty()))
    return fail("--rescale needs --from (the measured kernels), and fits "
                "one factor: not with --only");
  if (!from.empty()) {
    llvm::Expected<std::string> model = getMeasuredModel(from);
    if (!model)
      return fail(llvm::toString(model.takeError()));
    if (*model != runtime::kHostChip && (!only.empty() || rescale))
      return fail(std::string(rescale ? "--rescale" : "--only") +
                  " fits the host's terms; '" + from + "' measured '" + *model +
                  "'");
    if (*model != runtime::kHostChip)
      return calibrateGpu({from, out, base, validate, anyHost});
  }
  if (!validate.empty())
    return fail("--validate takes a GPU's measurements (with --from of "
                "one); validate the host model with scripts/fidelity.py");
  if (base.empty())
    base = (getDefaultSpecsDir() + "/cpu-host.json").str();
  auto baseText = llvm::MemoryBuffer::getFile(base);
  if (!baseText)
    return fail("cannot read '" + base + "': " + baseText.getError().message());
  llvm::Expected<ChipSpec> baseSpec =
      parseChipSpec((*baseText)->getBuffer(), base);
  if (!baseSpec)
    return fail(llvm::toString(baseSpec.takeError()));
  if (baseSpec->family != ChipFamily::CPU)
    return fail("'" + base + "' is not a cpu spec");
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*baseText)->getBuffer());
  if (!json)
    return fail(llvm::toString(json.takeError()));

  llvm::json::Object &spec = *json->getAsObject();
  if (!from.empty()) {
    llvm::Expected<std::vector<TimedKernel>> kernels =
        readMeasurements(from, anyHost);
    if (!kernels)
      return fail(llvm::toString(kernels.takeError()));
    std::optional<HostTermCosts> baseCosts = getHostTermCosts(*baseSpec);
    if (rescale) {
      if (!baseCosts)
        return fail("--rescale multiplies the base's host costs: '" + base +
                    "' lacks some (fit them with --from, or complete it "
                    "with --only)");
      double factor = fitHostScale(*baseCosts, *kernels);
      HostTermCosts scaled = *baseCosts;
      for (double &cost : scaled)
        cost *= factor;
      double before = hostModelMape(*baseCosts, *kernels),
             after = hostModelMape(scaled, *kernels);
      llvm::errs() << llvm::formatv(
          "rescaled the base's host costs by {0:F4} to {1} kernels of '{2}': "
          "mean error {3:P} -> {4:P}\n",
          factor, kernels->size(), from, before, after);
      std::string note =
          llvm::formatv("the base's cost times {0:F4}, the one factor "
                        "fungible-calibrate --rescale --from={1} fitted to {2} "
                        "kernels (mean error {3:P} -> {4:P})",
                        factor, llvm::sys::path::filename(from),
                        kernels->size(), before, after)
              .str();
      for (unsigned t = 0; t < kNumHostTerms; ++t)
        setFigure(spec, {"params", hostTermParam(HostTerm(t))}, scaled[t] * 1e9,
                  note, "fitted");
      spec["name"] = "Host CPU (rescaled " + today() + ")";
      return writeSpec(out, std::move(spec));
    }
    // The terms whose cost the base holds (all of them, or none, unless it
    // was fitted before some terms existed).
    SpecHostTerms baseTerms = readHostTerms(*baseSpec);
    const std::array<bool, kNumHostTerms> &baseHas = baseTerms.held;
    std::optional<std::array<bool, kNumHostTerms>> onlyTerms;
    if (!only.empty()) {
      onlyTerms.emplace();
      for (const std::string &name : only) {
        std::optional<HostTerm> term = parseHostTerm(name);
        if (!term)
          return fail("--only: unknown host term '" + name + "'");
        (*onlyTerms)[unsigned(*term)] = true;
      }
      if (!llvm::is_contained(baseHas, true))
        return fail("--only keeps the other terms' costs: '" + base +
                    "' has no host terms to keep");
      // A base fitted before some terms existed lacks them: fitted here,
      // they complete it; any other it lacks has no cost to keep.
      std::string lacking;
      for (unsigned t = 0; t < kNumHostTerms; ++t)
        if (!baseHas[t] && !(*onlyTerms)[t])
          lacking += (lacking.empty() ? "" : ", ") +
                     stringifyHostTerm(HostTerm(t)).str();
      if (!lacking.empty())
        return fail("--only keeps the other terms' costs: '" + base +
                    "' lacks " + lacking +
                    " (a spec fitted before those terms existed: add them to "
                    "--only, or fit every term without it)");
      baseCosts = baseTerms.costs;
    }
    CpuFit fit = fitHostTerms(*kernels, baseCosts, onlyTerms);
    std::string before = fit.mapeBefore
                             ? llvm::formatv("{0:P}", *fit.mapeBefore).str()
                             : std::string("none (it has no host terms)");
    llvm::errs() << llvm::formatv(
        "fitted the host model to {0} kernels of '{1}': mean error with the "
        "base spec {2}, fitted {3:P}\n",
        fit.kernels, from, before, fit.mapeAfter);
    std::string note =
        llvm::formatv("fitted by fungible-calibrate --from={0} to {1} kernels "
                      "(mean error with the base spec {2}, fitted {3:P})",
                      llvm::sys::path::filename(from), fit.kernels, before,
                      fit.mapeAfter)
            .str();
    for (unsigned t = 0; t < kNumHostTerms; ++t) {
      auto term = HostTerm(t);
      std::string param = hostTermParam(term);
      if (!fit.fitted[t]) {
        llvm::errs() << "  " << stringifyHostTerm(term)
                     << (onlyTerms && !(*onlyTerms)[t]
                             ? ": not in --only; "
                             : ": no measured kernel has it; ")
                     << (baseCosts && baseHas[t] ? "kept the base's cost"
                                                 : "cost 0")
                     << "\n";
        if (baseCosts && baseHas[t])
          continue;
      }
      llvm::errs() << llvm::formatv(
          "  {0,-18} {1:E3} ns\n", stringifyHostTerm(term), fit.costs[t] * 1e9);
      setFigure(spec, {"params", param}, fit.costs[t] * 1e9, note, "fitted");
    }
    spec["name"] = "Host CPU (fitted " + today() + ")";
    return writeSpec(out, std::move(spec));
  }

  // Compile the kernels through the CPU target's path.
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllFungibleDialects(registry);
  MLIRContext context(registry);
  const int64_t streamElems = 8 * 1024 * 1024, chains = 16;
  HostInfo host = queryHost();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      kernels(size, streamElems, chains, host.threads), &context);
  if (!module)
    return fail("internal error: the calibration kernels do not parse");
  llvm::Expected<std::unique_ptr<CpuJit>> jit = CpuJit::compile(*module);
  if (!jit)
    return fail(llvm::toString(jit.takeError()));

  // GEMM: results are returned as memrefs the kernel allocates.
  Buffer a(size, size, 0.5f), b(size, size, 0.25f);
  StridedMemRefType<float, 2> result;
  llvm::Expected<double> gemm = best(repeats, [&]() -> llvm::Error {
    void *resultPtr = &result;
    void *args[] = {&resultPtr, a.arg2(), b.arg2()};
    if (llvm::Error e = (*jit)->invoke("gemm", args))
      return e;
    // Every element sums `size` products 0.5 * 0.25: exact in f32.
    float last = result.data[result.offset + (size - 1) * result.strides[0] +
                             (size - 1) * result.strides[1]];
    free(result.basePtr);
    if (last != 0.125f * size)
      return llvm::createStringError("the matmul kernel computed a wrong "
                                     "value");
    return llvm::Error::success();
  });
  if (!gemm)
    return fail(llvm::toString(gemm.takeError()));
  double gemmRate = 2.0 * size * size * size / *gemm;

  Buffer x(1, streamElems, 1.0f), y(1, streamElems, 2.0f),
      z(1, streamElems, 0.0f);
  llvm::Expected<double> stream = best(repeats, [&]() -> llvm::Error {
    void *args[] = {x.arg1(), y.arg1(), z.arg1()};
    return (*jit)->invoke("stream", args);
  });
  if (!stream)
    return fail(llvm::toString(stream.takeError()));
  if (z.data[streamElems - 1] != 3.0f)
    return fail("the stream kernel computed a wrong value");
  double bandwidth = 12.0 * streamElems / *stream;

  Buffer sink(1, 16 * host.threads, 0.5f);
  intptr_t iters = 1 << 22;
  llvm::Expected<double> fma = best(repeats, [&]() -> llvm::Error {
    void *args[] = {sink.arg1(), &iters};
    return (*jit)->invoke("fma", args);
  });
  if (!fma)
    return fail(llvm::toString(fma.takeError()));
  double vectorRate = 2.0 * 16 * chains * iters * host.threads / *fma;

  Buffer one(1, 1, 1.0f);
  StridedMemRefType<float, 1> tinyResult;
  const int calls = 2000;
  llvm::Expected<double> tiny = best(repeats, [&]() -> llvm::Error {
    for (int i = 0; i < calls; ++i) {
      void *resultPtr = &tinyResult;
      void *args[] = {&resultPtr, one.arg1()};
      if (llvm::Error e = (*jit)->invoke("tiny", args))
        return e;
      free(tinyResult.basePtr);
    }
    return llvm::Error::success();
  });
  if (!tiny)
    return fail(llvm::toString(tiny.takeError()));
  double launchUs = *tiny / calls * 1e6;

  double nominal = host.threads * host.lanes * 2.0 * 2.0 * host.ghz * 1e9;
  llvm::errs() << llvm::formatv(
      "host: {0} threads, {1} f32 lanes, {2:F2} GHz -> nominal {3:F1} GFLOP/s "
      "(all cores)\n"
      "measured on the JIT's threads: matmul {4}^3 {5:F1} GFLOP/s, vector FMA "
      "{6:F1} GFLOP/s, stream {7:F1} GB/s, launch {8:F2} us\n",
      host.threads, host.lanes, host.ghz, nominal / 1e9, size, gemmRate / 1e9,
      vectorRate / 1e9, bandwidth / 1e9, launchUs);

  std::string thread = " on the JIT's OpenMP threads, as it runs kernels; "
                       "host nominal for all cores: " +
                       llvm::formatv("{0:F1}", nominal / 1e9).str() +
                       " GFLOP/s";
  setFigure(spec, {"compute", "matrix_tflops", "f32"}, gemmRate / 1e12,
            llvm::formatv("{0}^3 f32 wl.matmul through the CPU JIT, best of "
                          "{1}",
                          size, repeats)
                    .str() +
                thread);
  setFigure(spec, {"compute", "vector_tflops", "f32"}, vectorRate / 1e12,
            std::to_string(chains) +
                " vector<16xf32> FMA chains per hardware thread" + thread);
  setFigure(spec, {"memory", "bandwidth_gbps"}, bandwidth / 1e9,
            "vectorised c = a + b over 3 x 32 MiB, 12 bytes per element, on "
            "the JIT's OpenMP threads");
  setFigure(spec, {"overheads", "launch_us"}, launchUs,
            "mean cost of invoking a one-element JIT kernel");
  setFigure(spec, {"units", "count"}, host.threads,
            "std::thread::hardware_concurrency()");
  spec["name"] = "Host CPU (calibrated " + today() + ")";
  // The base's host terms were fitted to another measurement (the built-in
  // spec's: the project's VM); they are not this host's.
  if (llvm::json::Object *params = spec.getObject("params")) {
    bool dropped = false;
    for (unsigned t = 0; t < kNumHostTerms; ++t)
      dropped |= params->erase(hostTermParam(HostTerm(t)));
    if (dropped)
      llvm::errs() << "left out the base spec's host terms: fit this host's "
                      "with --from (docs/Fidelity.md); until then the cpu "
                      "model is the roofline of the figures above\n";
  }

  return writeSpec(out, std::move(spec));
}
