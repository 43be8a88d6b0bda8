//===- Mi300xTarget.cpp - An AMD MI300X-like GPU target plugin --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// An out-of-tree target plugin: it sees only the plugin API headers
// (targets/PluginAPI) and links only Fungible::FungiblePluginAPI.
//
// The chip, "mi300x", is described by a spec in the same JSON format as the
// built-in ones (embedded below, validated by fungible::parseChipSpec), with
// AMD's published figures (the MI300X data sheet: 1307.4 TFLOP/s dense
// BF16/FP16 and 2614.9 FP8 on the matrix cores, 163.4 FP32 matrix and 81.7
// FP32 vector, 304 compute units, 192 GB HBM3 at 5.3 TB/s, 256 MB AMD
// Infinity Cache, 750 W, 896 GB/s Infinity Fabric between GPUs, PCIe Gen5
// x16 to the host).
//
// The cost model for one kernel:
//  - GEMMs run on the matrix cores in 256x256 macro tiles (the tile size
//    of the fastest hipBLASLt BF16 kernels), one tile per CU at a time, so
//    a GEMM takes ceil(tiles / 304) waves, each 2*256*256*K' / (peak / 304
//    * efficiency); padding M, N to 256 and K to 64 gives the waste;
//  - other work (epilogues, elementwise, reductions) runs on the vector
//    units at the FP32 vector peak;
//  - HBM traffic: every operand once if the GEMM's operands fit the 256 MB
//    Infinity Cache, else twice; results once; at the HBM peak times the
//    streaming efficiency;
//  - time = max(compute, memory) + launch overhead.
//
//===----------------------------------------------------------------------===//

#include "targets/PluginAPI/Target.h"
#include "targets/PluginAPI/TargetPlugin.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

namespace {

/// The spec, sourced like the built-in ones. Price and the efficiency
/// factors are not published by AMD: they are marked unsourced with a note,
/// and every estimate names them.
constexpr const char *kSpec = R"json({
  "id": "mi300x",
  "name": "AMD Instinct MI300X (plugin example)",
  "family": "gpu",
  "compute": {
    "matrix_tflops": {
      "bf16": {"value": 1307.4, "source": "AMD MI300X data sheet (dense)"},
      "f16": {"value": 1307.4, "source": "AMD MI300X data sheet (dense)"},
      "f8": {"value": 2614.9, "source": "AMD MI300X data sheet (dense)"},
      "f32": {"value": 163.4, "source": "AMD MI300X data sheet (FP32 matrix)"}
    },
    "vector_tflops": {
      "f32": {"value": 81.7, "source": "AMD MI300X data sheet (FP32 vector)"}
    }
  },
  "memory": {
    "capacity_gb": {"value": 192, "source": "AMD MI300X data sheet"},
    "bandwidth_gbps": {"value": 5300, "source": "AMD MI300X data sheet"},
    "on_chip_mb": {"value": 256, "source": "AMD MI300X data sheet (Infinity Cache)"}
  },
  "units": {
    "count": {"value": 304, "source": "AMD MI300X data sheet"},
    "name": "CU"
  },
  "power_watts": {"value": 750, "source": "AMD MI300X data sheet (TBP)"},
  "price_per_hour": {
    "value": 4.0, "source": "unsourced",
    "note": "no list price in shared/HARDWARE.md; a placeholder in the range of public on-demand offers"
  },
  "links": {
    "family_gbps": {"value": 896, "source": "AMD MI300X data sheet (Infinity Fabric, aggregate)"},
    "host_gbps": {"value": 64, "source": "unsourced", "note": "PCIe Gen5 x16, 64 GB/s per direction nominal"}
  },
  "overheads": {
    "launch_us": {"value": 5, "source": "unsourced", "note": "assumed equal to the H100's host submit cost"}
  },
  "params": {
    "gemm_efficiency_bf16": {
      "value": 0.6, "source": "unsourced",
      "note": "assumed: tuned BF16 GEMMs on MI300X reach a lower share of peak than on H100 (0.8)"
    },
    "bandwidth_efficiency": {
      "value": 0.8, "source": "unsourced",
      "note": "assumed: the H100's measured streaming share"
    }
  }
})json";

constexpr int64_t kTile = 256, kTileK = 64;

int64_t roundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

/// A figure as %g writes it, for explanations.
llvm::format_object<double> fig(double value) {
  return llvm::format("%g", value);
}

const char *matrixKey(mlir::Type type) {
  if (!type)
    return nullptr;
  if (type.isBF16())
    return "bf16";
  if (type.isF16())
    return "f16";
  if (llvm::isa<mlir::Float8E4M3FNType>(type))
    return "f8";
  if (type.isF32())
    return "f32";
  return nullptr;
}

class Mi300x : public fungible::Target {
public:
  using Target::Target;

  fungible::CostEstimate estimate(const fungible::KernelInfo &kernel,
                                  bool explain) const override {
    const fungible::ChipSpec &spec = getSpec();
    double vectorPeak = spec.vectorTflops.lookup("f32").value * 1e12;
    double cus = spec.units.value;
    double gemmEff = spec.params.lookup("gemm_efficiency_bf16").value;
    double bwEff = spec.params.lookup("bandwidth_efficiency").value;
    std::string why;
    llvm::raw_string_ostream os(why);

    double compute = 0, peak = vectorPeak, macs = 0, paddedMacs = 0;
    const char *key = matrixKey(kernel.elementType);
    if (!kernel.gemms.empty() && key && spec.matrixTflops.count(key)) {
      peak = spec.matrixTflops.lookup(key).value * 1e12;
      for (const fungible::Gemm &g : kernel.gemms) {
        int64_t mp = roundUp(g.m, kTile), np = roundUp(g.n, kTile),
                kp = roundUp(g.k, kTileK);
        double tiles = double(g.batch) * (mp / kTile) * (np / kTile);
        double waves = std::ceil(tiles / cus);
        compute += waves * 2.0 * kTile * kTile * kp / (peak / cus * gemmEff);
        macs += double(g.batch) * g.m * g.n * g.k;
        paddedMacs += double(g.batch) * mp * np * kp;
        if (explain)
          os << "GEMM " << g.batch << "x[" << g.m << "x" << g.n << "x" << g.k
             << "] -> " << fig(tiles) << " tiles of 256x256 in " << fig(waves)
             << " waves over " << fig(cus) << " CUs; ";
      }
      if (kernel.flops > kernel.gemmFlops)
        compute += (kernel.flops - kernel.gemmFlops) / vectorPeak;
      if (explain)
        os << "matrix cores " << key << " at " << fig(peak / 1e12) << " TFLOP/s x "
           << fig(gemmEff) << "; ";
    } else {
      compute = kernel.flops / vectorPeak;
      if (explain)
        os << "vector units at " << fig(vectorPeak / 1e12) << " TFLOP/s f32; ";
    }

    double cache = spec.onChipMB.value * 1e6;
    bool fits = kernel.gemms.empty() || kernel.bytesRead <= cache;
    double traffic =
        (fits ? 1 : 2) * kernel.bytesRead + kernel.bytesWritten;
    double memory = traffic / (spec.memoryGBps.value * 1e9 * bwEff);
    double overhead = spec.launchMicros.value * 1e-6;

    fungible::CostEstimate e;
    double work = std::max(compute, memory);
    e.seconds = work + overhead;
    if (overhead >= work)
      e.bound = fungible::Bound::Overhead;
    else
      e.bound = compute >= memory ? fungible::Bound::Compute
                                  : fungible::Bound::Memory;
    e.utilization =
        e.bound == fungible::Bound::Memory
            ? traffic / (e.seconds * spec.memoryGBps.value * 1e9)
            : kernel.flops / (e.seconds * peak);
    e.utilization = std::min(e.utilization, 1.0);
    e.paddingWaste = paddedMacs > 0 ? 1 - macs / paddedMacs : 0;
    e.joules = spec.watts.value * e.seconds;
    e.dollars = spec.dollarsPerHour.value / 3600 * e.seconds;
    double resident = kernel.bytesRead + kernel.bytesWritten;
    e.feasible = resident <= spec.memoryGB.value * 1e9;
    if (explain) {
      os << fig(traffic) << " bytes of HBM traffic ("
         << (fits ? "operands read once" : "operands exceed Infinity Cache: "
                                           "read twice")
         << "); compute " << fig(compute) << " s, memory " << fig(memory)
         << " s, overhead " << fig(overhead) << " s";
      if (!e.feasible)
        os << "; infeasible: " << fig(resident) << " bytes exceed "
           << fig(spec.memoryGB.value) << " GB of HBM";
      if (!getUnsourcedSummary().empty())
        os << "; the spec's unsourced figures: " << getUnsourcedSummary();
      e.explanation = os.str();
    }
    return e;
  }
};

void registerTargets(fungible::TargetRegistry &registry) {
  llvm::Expected<fungible::ChipSpec> spec =
      fungible::parseChipSpec(kSpec, "mi300x plugin");
  // The spec is a constant of this file, checked by the plugin's lit test:
  // a failure here is a bug in the plugin, reported rather than ignored.
  if (!spec) {
    llvm::errs() << "mi300x plugin: " << llvm::toString(spec.takeError())
                 << "\n";
    return;
  }
  if (llvm::Error e =
          registry.add(std::make_unique<Mi300x>(std::move(*spec))))
    llvm::errs() << "mi300x plugin: " << llvm::toString(std::move(e)) << "\n";
}

} // namespace

extern "C" FUNGIBLE_TARGET_PLUGIN_EXPORT fungible::TargetPluginInfo
fungibleGetTargetPluginInfo() {
  return {FUNGIBLE_TARGET_PLUGIN_API_VERSION, "mi300x", LLVM_VERSION_STRING,
          registerTargets};
}
