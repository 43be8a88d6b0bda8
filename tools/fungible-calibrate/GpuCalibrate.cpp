//===- GpuCalibrate.cpp - Fit a GPU's spec to its measured kernels -*- C++
//-*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// fungible-calibrate --from=GPU.json --out=FILE [--base=SPEC]
//   [--validate=OTHER.json] [--any-host]
//
// GPU.json is what scripts/gpu-check.sh writes on a GPU machine: the
// `fungible-cost --format=json` report of a set of kernels (each gpu
// estimate with its `gpu_work`) with every kernel's median time on the
// device (`measured_s`) and a `fidelity` object naming the model and the
// device. The gpu model's factors (GpuFactors) are fitted to those times
// (targets/gpu/GpuFit.h); the fidelity summary is printed with the base
// spec's factors and with the fitted ones, on the fitted kernels and on
// --validate's (never fitted on); the spec is written with the fitted
// factors. docs/Fidelity.md, "Fitting a GPU".
//
//===----------------------------------------------------------------------===//

#include "runtime/Measure.h"
#include "targets/BuiltinTargets.h"
#include "targets/gpu/GpuFit.h"
#include "tools/fungible-calibrate/Calibrate.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <vector>

using namespace fungible;

namespace fungible::calibrate {
namespace {} // namespace

llvm::Expected<MeasurementFile> readMeasurementFile(llvm::StringRef path) {
  auto text = llvm::MemoryBuffer::getFile(path);
  if (!text)
    return llvm::createStringError("cannot read '" + path +
                                   "': " + text.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*text)->getBuffer());
  if (!json)
    return llvm::createStringError(
        "'" + path + "' is not JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Object *fidelity =
      root ? root->getObject("fidelity") : nullptr;
  if (!fidelity || !root->getArray("kernels"))
    return llvm::createStringError(
        "'" + path +
        "' holds no measurements: make it with 'fungible-cost "
        "MODEL --targets=cpu-host --measure --format=json' (the host) or "
        "scripts/gpu-check.sh (a GPU)");
  std::optional<llvm::StringRef> model = fidelity->getString("model");
  if (!model)
    return llvm::createStringError("'" + path +
                                   "': fidelity.model (the chip whose model "
                                   "the times are compared with) is missing");
  MeasurementFile file;
  file.model = model->str();
  file.root = std::move(*json);
  return file;
}

namespace {

/// A GPU's measured kernels: what the fit and the fidelity tables need.
struct GpuMeasurements {
  std::string device;
  unsigned runs = 0;
  std::vector<TimedGpuKernel> kernels;
  std::vector<std::string> names, kinds;
  /// Kernels of the file without a time (not run on the device).
  std::vector<std::string> unmeasured;
  /// Terms of the CUDA-core schedule (cuda_core_loads, serial_steps) a
  /// file from an older fungible-cost lacks, read as 0.
  std::set<std::string> absentTerms;
};

llvm::Expected<GpuMeasurements> readGpuMeasurements(llvm::StringRef path,
                                                    const ChipSpec &spec,
                                                    bool anyDevice) {
  llvm::Expected<MeasurementFile> file = readMeasurementFile(path);
  if (!file)
    return file.takeError();
  if (file->model != spec.id)
    return llvm::createStringError(
        "'" + path + "' compares the " + file->model +
        " model, and the spec "
        "fitted is " +
        spec.id + ": fit " + file->model +
        "'s spec (the default), or measure with " + spec.id + "'s model");
  const llvm::json::Object &root = *file->root.getAsObject();
  const llvm::json::Object &fidelity = *root.getObject("fidelity");
  GpuMeasurements m;
  std::optional<llvm::StringRef> device = fidelity.getString("device");
  if (!device)
    return llvm::createStringError(
        "'" + path +
        "': fidelity.device (the GPU the kernels ran on) is "
        "missing: this is not scripts/gpu-check.sh's measurement file");
  m.device = device->str();
  if (!anyDevice && !llvm::StringRef(m.device).contains_insensitive(spec.id))
    return llvm::createStringError(
        "'" + path + "' was measured on '" + m.device + "', which is not " +
        "the " + spec.id + " (" + spec.name +
        ") the spec describes: measure "
        "on that chip, or pass --any-host to fit its spec to this device");
  m.runs = static_cast<unsigned>(fidelity.getInteger("runs").value_or(0));
  for (auto [i, value] : llvm::enumerate(*root.getArray("kernels"))) {
    std::string where = (path + ": kernels[" + llvm::Twine(i) + "]").str();
    const llvm::json::Object *kernel = value.getAsObject();
    if (!kernel)
      return llvm::createStringError(where + " is not an object");
    std::string name = kernel->getString("name").value_or("").str();
    if (!name.empty())
      where += " (" + name + ")";
    std::optional<double> seconds = kernel->getNumber("measured_s");
    if (!seconds) {
      m.unmeasured.push_back(name.empty() ? where : name);
      continue;
    }
    if (!(*seconds > 0) || !std::isfinite(*seconds))
      return llvm::createStringError(
          where + ".measured_s must be a positive number of seconds, not " +
          llvm::formatv("{0}", *seconds).str());
    const llvm::json::Object *estimates = kernel->getObject("estimates");
    const llvm::json::Object *estimate =
        estimates ? estimates->getObject(spec.id) : nullptr;
    const llvm::json::Object *work =
        estimate ? estimate->getObject("gpu_work") : nullptr;
    if (!work)
      return llvm::createStringError(
          where + " has no estimates." + spec.id +
          ".gpu_work (the gpu model's counts, which fungible-cost "
          "--format=json records): prepare the measurement again");
    TimedGpuKernel timed;
    timed.seconds = *seconds;
    for (unsigned f = 0; f < GpuFactors::kNumFactors; ++f) {
      auto factor = GpuFactors::Factor(f);
      llvm::StringRef key = GpuFactors::getWorkKey(factor);
      std::optional<double> amount = work->getNumber(key);
      if (!amount && !work->get(key) &&
          (factor == GpuFactors::LoadEfficiency ||
           factor == GpuFactors::StepSeconds)) {
        m.absentTerms.insert(key.str());
        amount = 0;
      }
      if (!amount || !(*amount >= 0) || !std::isfinite(*amount))
        return llvm::createStringError(where + ".estimates." + spec.id +
                                       ".gpu_work." + key +
                                       " must be a non-negative number");
      getGpuWorkTerm(timed.work, factor) = *amount;
    }
    m.kernels.push_back(timed);
    m.names.push_back(name);
    std::optional<llvm::StringRef> kind = kernel->getString("fidelity_kind");
    if (!kind)
      kind = kernel->getString("kind");
    m.kinds.push_back(kind.value_or("opaque").str());
  }
  if (m.kernels.empty())
    return llvm::createStringError("'" + path +
                                   "' has no kernel with 'measured_s'");
  return m;
}

runtime::Fidelity fidelityAt(const GpuFactors &factors,
                             const GpuMeasurements &m, llvm::StringRef model) {
  std::vector<double> estimated, measured;
  for (const TimedGpuKernel &k : m.kernels) {
    estimated.push_back(estimateGpuSeconds(factors, k.work).total());
    measured.push_back(k.seconds);
  }
  return runtime::computeFidelity(model, estimated, measured, m.kinds);
}

/// Prints the fidelity of `m` at the base's and at the fitted factors.
void printBeforeAfter(const GpuMeasurements &m, const GpuFactors &base,
                      const GpuFactors &fitted, const ChipSpec &spec,
                      llvm::StringRef what) {
  llvm::errs() << what << ", with the base spec's factors:\n";
  runtime::printFidelity(llvm::errs(), fidelityAt(base, m, spec.id), m.runs,
                         m.device);
  llvm::errs() << what << ", fitted:\n";
  runtime::printFidelity(llvm::errs(), fidelityAt(fitted, m, spec.id), m.runs,
                         m.device);
}

/// `value` as printf's %.4g.
std::string g4(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4g", value);
  return text;
}

void reportUnmeasured(llvm::StringRef path, const GpuMeasurements &m) {
  if (!m.absentTerms.empty()) {
    llvm::errs() << "warning: '" << path
                 << "' was written by an older fungible-cost: its estimates "
                    "have no";
    for (const std::string &term : m.absentTerms)
      llvm::errs() << " " << term;
    llvm::errs() << ", read as 0 (re-estimate it with scripts/gpu-check/"
                    "measurements.py --times-from to fit them)\n";
  }
  if (m.unmeasured.empty())
    return;
  llvm::errs() << llvm::formatv("warning: {0} of the kernels of '{1}' have "
                                "no measured_s (they did not run on the "
                                "device) and are left out:",
                                m.unmeasured.size(), path);
  for (size_t i = 0; i < m.unmeasured.size() && i < 5; ++i)
    llvm::errs() << " " << m.unmeasured[i];
  llvm::errs() << (m.unmeasured.size() > 5 ? " ...\n" : "\n");
}

} // namespace

llvm::Expected<std::string> getMeasuredModel(llvm::StringRef path) {
  llvm::Expected<MeasurementFile> file = readMeasurementFile(path);
  if (!file)
    return file.takeError();
  return file->model;
}

int calibrateGpu(const GpuOptions &options) {
  llvm::Expected<std::string> model = getMeasuredModel(options.from);
  if (!model)
    return fail(llvm::toString(model.takeError()));
  std::string base = options.base;
  if (base.empty())
    base = (getDefaultSpecsDir() + "/" + *model + ".json").str();
  auto baseText = llvm::MemoryBuffer::getFile(base);
  if (!baseText)
    return fail("'" + options.from + "' measures the " + *model +
                " model; cannot read its spec '" + base +
                "': " + baseText.getError().message() + " (pass --base=SPEC)");
  llvm::Expected<ChipSpec> spec = parseChipSpec((*baseText)->getBuffer(), base);
  if (!spec)
    return fail(llvm::toString(spec.takeError()));
  if (spec->family != ChipFamily::GPU)
    return fail("'" + base + "' is a " + stringifyChipFamily(spec->family) +
                " spec: fungible-calibrate fits the host (cpu-host) and the "
                "gpu family");
  llvm::Expected<GpuMeasurements> measured =
      readGpuMeasurements(options.from, *spec, options.anyDevice);
  if (!measured)
    return fail(llvm::toString(measured.takeError()));
  std::optional<GpuMeasurements> validation;
  if (!options.validate.empty()) {
    llvm::Expected<GpuMeasurements> v =
        readGpuMeasurements(options.validate, *spec, options.anyDevice);
    if (!v)
      return fail(llvm::toString(v.takeError()));
    if (v->device != measured->device)
      return fail("'" + options.validate + "' was measured on '" + v->device +
                  "' and '" + options.from + "' on '" + measured->device +
                  "': validate on the device the fit is for");
    validation = std::move(*v);
  }
  reportUnmeasured(options.from, *measured);
  if (validation)
    reportUnmeasured(options.validate, *validation);

  GpuFactors baseFactors = GpuFactors::of(*spec);
  GpuFit fit = fitGpuFactors(measured->kernels, baseFactors);
  llvm::errs() << llvm::formatv(
      "fitted the gpu model of {0} to {1} kernels measured on {2}: mean "
      "error with the base spec {3:P}, fitted {4:P}\n",
      spec->id, fit.kernels, measured->device, fit.mapeBefore, fit.mapeAfter);
  std::string note =
      llvm::formatv("fitted by fungible-calibrate --from={0} to {1} kernels "
                    "measured on {2} (mean error with the base spec {3:P}, "
                    "fitted {4:P})",
                    llvm::sys::path::filename(options.from), fit.kernels,
                    measured->device, fit.mapeBefore, fit.mapeAfter)
          .str();
  llvm::json::Value json =
      llvm::cantFail(llvm::json::parse((*baseText)->getBuffer()));
  llvm::json::Object &out = *json.getAsObject();
  for (unsigned f = 0; f < GpuFactors::kNumFactors; ++f) {
    auto factor = GpuFactors::Factor(f);
    llvm::StringRef field = GpuFactors::getFieldName(factor);
    double before = baseFactors.value[f], after = fit.factors.value[f];
    double scale = 1 / GpuFactors::getSpecUnit(factor);
    if (!fit.deciding[f]) {
      llvm::errs() << llvm::formatv("  {0,-28} {1}: decides no measured "
                                    "kernel's estimate; kept the base's\n",
                                    field, g4(before * scale));
      continue;
    }
    llvm::errs() << llvm::formatv(
        "  {0,-28} {1} -> {2} (decides {3} kernels)\n", field,
        g4(before * scale), g4(after * scale), fit.deciding[f]);
    auto [object, key] = field.split('.');
    setFigure(out, {object, key}, after * scale, note, "fitted");
  }
  printBeforeAfter(*measured, baseFactors, fit.factors, *spec,
                   "the fitted kernels");
  if (validation)
    printBeforeAfter(*validation, baseFactors, fit.factors, *spec,
                     "validation (never fitted on)");
  out["name"] = spec->name + " (fitted " + today() + ")";
  return writeSpec(options.out, std::move(out));
}

} // namespace fungible::calibrate
