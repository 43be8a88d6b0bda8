//===- ChipSpec.cpp - Reading chip specs from JSON --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file reads and validates chip specs with llvm::json. The schema is
// documented in targets/specs/README.md.
//
//===----------------------------------------------------------------------===//

#include "targets/PluginAPI/ChipSpec.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace llvm;

namespace fungible {

StringRef stringifyChipFamily(ChipFamily family) {
  switch (family) {
  case ChipFamily::GPU:
    return "gpu";
  case ChipFamily::TPU:
    return "tpu";
  case ChipFamily::Trainium:
    return "trainium";
  case ChipFamily::CPU:
    return "cpu";
  }
  llvm_unreachable("unknown chip family");
}

std::optional<ChipFamily> parseChipFamily(StringRef name) {
  return StringSwitch<std::optional<ChipFamily>>(name)
      .Case("gpu", ChipFamily::GPU)
      .Case("tpu", ChipFamily::TPU)
      .Case("trainium", ChipFamily::Trainium)
      .Case("cpu", ChipFamily::CPU)
      .Default(std::nullopt);
}

namespace {

/// The plausible range of a figure (targets/specs/README.md): wide enough
/// for any chip past, present or imagined, narrow enough that the cost
/// models and lowerings cannot overflow or divide by zero on what passes.
struct Range {
  double lo, hi;
  /// Used as a count or a size: a whole number.
  bool integer = false;
};

constexpr Range kRate{1e-6, 1e6};     // TFLOP/s, GB/s
constexpr Range kAmount{1e-6, 1e6};   // GB, MB, W
constexpr Range kPrice{1e-6, 1e6};    // $ per hour
constexpr Range kMicros{1e-6, 1e6};   // us
constexpr Range kShare{1e-3, 1};      // efficiencies
constexpr Range kCount{1, 1e6, true}; // units, sizes in KB
constexpr Range kAnyParam{1e-12, 1e12};

/// The range of `params.<name>`; a parameter no built-in model reads (a
/// plugin's) gets a wide one.
Range paramRange(StringRef name) {
  if (name.ends_with("_efficiency") || name.starts_with("gemm_efficiency") ||
      name.ends_with("_power_fraction"))
    return kShare;
  // The host model's costs per unit (targets/cpu/HostWork.h): 0 is a term
  // the fit found the others explain.
  if (name.starts_with("host_ns_per_"))
    return {0, 1e9};
  // A model's measured mean error on one kind of kernel (fungible-cost's
  // sensitivity): a fraction, an overestimate's possibly above 1.
  if (name.starts_with("measured_error_"))
    return {0, 10};
  return StringSwitch<Range>(name)
      .Case("mxu_dim", {1, 4096, true})
      .Case("mxu_count_per_core", {1, 1024, true})
      .Case("pe_array_dim", {1, 4096, true})
      .Case("sbuf_partitions", {1, 4096, true})
      .Case("psum_banks", {1, 1024, true})
      .Cases({"sbuf_kb_per_partition", "psum_kb_per_partition",
              "shared_mem_kb_per_sm", "moving_free_max", "core_cache_kb"},
             kCount)
      .Case("sm_arch", {10, 1000, true})
      .Cases({"wgmma_tile_n", "wgmma_tile_k", "wgmma_stages", "wgmma_group_m"},
             {1, 4096, true})
      .Cases({"wgmma_swizzle", "wgmma_tma"}, {0, 1, true})
      .Case("tensor_engine_ghz", {1e-3, 100})
      .Case("dma_gbps_per_core", kRate)
      .Cases({"dma_latency_us", "grid_step_us"}, kMicros)
      .Default(kAnyParam);
}

/// Reads one spec, remembering the first error with its JSON path.
class SpecReader {
public:
  explicit SpecReader(StringRef origin) : origin(origin) {}

  bool fail(const Twine &path, const Twine &message) {
    if (error.empty())
      error = (origin + ": " + path + ": " + message).str();
    return false;
  }

  const json::Object *object(const json::Object &parent, StringRef key,
                             const Twine &path) {
    const json::Value *v = parent.get(key);
    if (!v)
      return fail(path, "missing field"), nullptr;
    const json::Object *o = v->getAsObject();
    if (!o)
      fail(path, "expected an object");
    return o;
  }

  bool string(const json::Object &parent, StringRef key, const Twine &path,
              std::string &out) {
    const json::Value *v = parent.get(key);
    if (!v)
      return fail(path, "missing field");
    std::optional<StringRef> s = v->getAsString();
    if (!s || s->empty())
      return fail(path, "expected a non-empty string");
    out = s->str();
    return true;
  }

  /// {"value": in `range`, "source": "...", ["note": "..."]}; "source":
  /// "unsourced" needs a note.
  bool figure(const json::Object &parent, StringRef key, const Twine &path,
              Figure &out, Range range) {
    std::string p = path.str();
    const json::Object *o = object(parent, key, p);
    if (!o)
      return false;
    const json::Value *v = o->get("value");
    if (!v)
      return fail(p + ".value", "missing field");
    std::optional<double> d = v->getAsNumber();
    if (!d)
      return fail(p + ".value", "expected a number");
    if (!(*d >= range.lo && *d <= range.hi) ||
        (range.integer && *d != std::floor(*d))) {
      std::string message;
      raw_string_ostream os(message);
      os << "must be " << (range.integer ? "a whole number" : "a number")
         << format(" from %g to %g", range.lo, range.hi)
         << format(", got %g", *d);
      return fail(p + ".value", message);
    }
    out.value = *d;
    if (!string(*o, "source", p + ".source", out.source))
      return false;
    if (const json::Value *n = o->get("note"))
      if (std::optional<StringRef> s = n->getAsString())
        out.note = s->str();
    out.sourced = out.source != "unsourced";
    if (!out.sourced && out.note.empty())
      return fail(p + ".note",
                  "an unsourced figure must say what its value rests on");
    return true;
  }

  /// {"bf16": figure, ...} with at least one entry; `rangeOf` gives each
  /// entry's range.
  bool figureMap(const json::Object &parent, StringRef key, const Twine &path,
                 StringMap<Figure> &out, bool required,
                 function_ref<Range(StringRef)> rangeOf) {
    std::string p = path.str();
    if (!parent.get(key) && !required)
      return true;
    const json::Object *o = object(parent, key, p);
    if (!o)
      return false;
    if (required && o->empty())
      return fail(p, "needs at least one entry");
    for (const auto &kv : *o) {
      Figure f;
      if (!figure(*o, kv.first, p + "." + kv.first.str(), f, rangeOf(kv.first)))
        return false;
      out[kv.first.str()] = f;
    }
    return true;
  }

  std::string origin, error;
};

} // namespace

PowerFigures PowerFigures::of(const ChipSpec &spec) {
  PowerFigures power;
  if (auto it = spec.params.find("idle_power_fraction");
      it != spec.params.end())
    power.idle = it->second.value;
  if (auto it = spec.params.find("memory_power_fraction");
      it != spec.params.end())
    power.memoryShare = it->second.value;
  return power;
}

std::vector<std::string> ChipSpec::unsourcedFigures() const {
  std::vector<std::string> out;
  auto check = [&](StringRef field, const Figure &f) {
    if (!f.sourced)
      out.push_back((field + " (" + f.note + ")").str());
  };
  check("memory.capacity_gb", memoryGB);
  check("memory.bandwidth_gbps", memoryGBps);
  check("memory.on_chip_mb", onChipMB);
  check("units.count", units);
  check("power_watts", watts);
  check("price_per_hour", dollarsPerHour);
  check("links.family_gbps", linkGBps);
  check("links.host_gbps", hostLinkGBps);
  check("overheads.launch_us", launchMicros);
  for (const auto &[group, map] :
       {std::pair<StringRef, const StringMap<Figure> *>{"matrix_tflops",
                                                        &matrixTflops},
        {"vector_tflops", &vectorTflops},
        {"params", &params}})
    for (const auto &kv : *map)
      check((group + "." + kv.first()).str(), kv.second);
  return out;
}

Expected<ChipSpec> parseChipSpec(StringRef text, StringRef origin) {
  Expected<json::Value> parsed = json::parse(text);
  if (!parsed)
    return createStringError(inconvertibleErrorCode(), "%s: invalid JSON: %s",
                             origin.str().c_str(),
                             toString(parsed.takeError()).c_str());
  SpecReader r(origin);
  ChipSpec spec;
  const json::Object *root = parsed->getAsObject();
  if (!root)
    return createStringError(inconvertibleErrorCode(),
                             "%s: expected a JSON object",
                             origin.str().c_str());
  std::string family;
  bool ok = r.string(*root, "id", "id", spec.id) &&
            r.string(*root, "name", "name", spec.name) &&
            r.string(*root, "family", "family", family);
  if (ok) {
    if (std::optional<ChipFamily> f = parseChipFamily(family))
      spec.family = *f;
    else
      ok = r.fail("family", "unknown family '" + family +
                                "', expected gpu, tpu, trainium or cpu");
  }
  const json::Object *compute =
      ok ? r.object(*root, "compute", "compute") : nullptr;
  ok = ok && compute &&
       r.figureMap(*compute, "matrix_tflops", "compute.matrix_tflops",
                   spec.matrixTflops, /*required=*/true,
                   [](StringRef) { return kRate; }) &&
       r.figureMap(*compute, "vector_tflops", "compute.vector_tflops",
                   spec.vectorTflops, /*required=*/true,
                   [](StringRef) { return kRate; });
  // The peaks each family's cost model reads (found by fuzzing: a spec
  // without them estimated infinite times).
  if (ok && !spec.vectorTflops.count("f32"))
    ok = r.fail("compute.vector_tflops.f32",
                "missing field (every cost model prices vector work at the "
                "f32 rate)");
  SmallVector<StringRef, 2> matrix;
  if (spec.family == ChipFamily::CPU)
    matrix = {"f32"};
  else if (spec.family == ChipFamily::TPU)
    matrix = {"bf16"};
  else if (spec.family == ChipFamily::Trainium)
    matrix = {"bf16", "f32"};
  for (StringRef type : matrix)
    if (ok && !spec.matrixTflops.count(type))
      ok = r.fail("compute.matrix_tflops." + type,
                  "missing field (the " + stringifyChipFamily(spec.family) +
                      " cost model prices its GEMMs at this rate)");
  const json::Object *memory =
      ok ? r.object(*root, "memory", "memory") : nullptr;
  ok = ok && memory &&
       r.figure(*memory, "capacity_gb", "memory.capacity_gb", spec.memoryGB,
                kAmount) &&
       r.figure(*memory, "bandwidth_gbps", "memory.bandwidth_gbps",
                spec.memoryGBps, kRate) &&
       r.figure(*memory, "on_chip_mb", "memory.on_chip_mb", spec.onChipMB,
                kAmount);
  const json::Object *units = ok ? r.object(*root, "units", "units") : nullptr;
  ok = ok && units &&
       r.figure(*units, "count", "units.count", spec.units, kCount) &&
       r.string(*units, "name", "units.name", spec.unitName);
  ok = ok &&
       r.figure(*root, "power_watts", "power_watts", spec.watts, kAmount) &&
       r.figure(*root, "price_per_hour", "price_per_hour", spec.dollarsPerHour,
                kPrice);
  const json::Object *links = ok ? r.object(*root, "links", "links") : nullptr;
  ok = ok && links &&
       r.figure(*links, "family_gbps", "links.family_gbps", spec.linkGBps,
                kRate) &&
       r.figure(*links, "host_gbps", "links.host_gbps", spec.hostLinkGBps,
                kRate);
  const json::Object *overheads =
      ok ? r.object(*root, "overheads", "overheads") : nullptr;
  ok = ok && overheads &&
       r.figure(*overheads, "launch_us", "overheads.launch_us",
                spec.launchMicros, kMicros) &&
       r.figureMap(*root, "params", "params", spec.params,
                   /*required=*/false, paramRange);
  if (!ok)
    return createStringError(inconvertibleErrorCode(), "%s", r.error.c_str());
  return spec;
}

Expected<ChipSpec> loadChipSpec(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return createStringError(buffer.getError(), "%s: cannot read: %s",
                             path.str().c_str(),
                             buffer.getError().message().c_str());
  return parseChipSpec((*buffer)->getBuffer(), path);
}

} // namespace fungible
