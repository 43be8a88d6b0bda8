//===- Calibrate.h - fungible-calibrate's shared pieces ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// What fungible-calibrate's host and GPU paths share: writing fitted
// figures into a spec and writing the spec once it reads back as one.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TOOLS_FUNGIBLE_CALIBRATE_CALIBRATE_H
#define FUNGIBLE_TOOLS_FUNGIBLE_CALIBRATE_CALIBRATE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <string>

namespace fungible::calibrate {

/// Today's date (UTC), YYYY-MM-DD.
std::string today();

/// Sets the figure at `path` (object keys) of `spec` to `value`, its
/// source "<how> by fungible-calibrate on <today>" and its note `note`.
void setFigure(llvm::json::Object &spec, llvm::ArrayRef<llvm::StringRef> path,
               double value, const std::string &note,
               const std::string &how = "measured");

/// Writes `spec` to `out` ('-': stdout) once it reads back as a spec;
/// returns the exit status.
int writeSpec(const std::string &out, llvm::json::Object spec);

/// Prints "fungible-calibrate: <message>" and returns 1.
int fail(const llvm::Twine &message);

/// Options of the GPU fit (`--from` a GPU's measurement file).
struct GpuOptions {
  std::string from, out, base, validate;
  bool anyDevice = false;
};

/// Fits the gpu model's factors of the spec named by the measurement file
/// (scripts/gpu-check.sh's) to its kernels, prints the fidelity before and
/// after (and on --validate's kernels, never fitted on) and writes the
/// spec; returns the exit status.
int calibrateGpu(const GpuOptions &options);

/// A measurement file (fungible-cost --measure's, or a GPU's from
/// scripts/gpu-check.sh) read as JSON: it has `kernels` and a `fidelity`
/// object naming the model its times are compared with.
struct MeasurementFile {
  llvm::json::Value root = nullptr;
  std::string model;
};

/// Reads `path`, or says why it is not a measurement file.
llvm::Expected<MeasurementFile> readMeasurementFile(llvm::StringRef path);

/// The model a measurement file compares ("cpu-host", "h200", ...), or an
/// error saying why the file is not one.
llvm::Expected<std::string> getMeasuredModel(llvm::StringRef path);

} // namespace fungible::calibrate

#endif // FUNGIBLE_TOOLS_FUNGIBLE_CALIBRATE_CALIBRATE_H
