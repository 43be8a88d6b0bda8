//===- ChipSpec.h - A chip's published figures ------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares ChipSpec, the data a cost model reads about one chip
// (peaks per element type, memory, units, power, price, links), and the
// reader of its JSON form (targets/specs/*.json, or a user's file). Every
// number carries its source; an unsourced number says so, and models must
// not use it silently (Figure::sourced).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_PLUGINAPI_CHIPSPEC_H
#define FUNGIBLE_TARGETS_PLUGINAPI_CHIPSPEC_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace fungible {

/// A chip family: how it is lowered and which cost model applies.
enum class ChipFamily { GPU, TPU, Trainium, CPU };

/// "gpu", "tpu", "trainium", "cpu".
llvm::StringRef stringifyChipFamily(ChipFamily family);
std::optional<ChipFamily> parseChipFamily(llvm::StringRef name);

/// One published number and where it comes from.
struct Figure {
  double value = 0;
  /// A citation key of shared/HARDWARE.md (e.g. "N2") or a document.
  std::string source;
  /// False when the spec marks the number "unsourced" (a documented
  /// fallback): models must flag estimates that depend on it.
  bool sourced = true;
  /// Why an unsourced number is what it is.
  std::string note;
};

/// Everything Fungible knows about one chip. Units are in the field names.
struct ChipSpec {
  std::string id;   ///< "h100", "tpu-v5p", ...
  std::string name; ///< a human name
  ChipFamily family = ChipFamily::CPU;

  /// Dense peak of the matrix unit (tensor cores, MXU, TensorEngine) per
  /// element type ("bf16", "f16", "f8", "f32", "i8"), TFLOP/s.
  llvm::StringMap<Figure> matrixTflops;
  /// Peak of the vector / CUDA-core units per element type, TFLOP/s.
  llvm::StringMap<Figure> vectorTflops;

  Figure memoryGB;       ///< device memory capacity
  Figure memoryGBps;     ///< device memory bandwidth
  Figure onChipMB;       ///< L2 / VMEM / SBUF
  Figure units;          ///< SMs, TensorCores, NeuronCores, cores
  std::string unitName;  ///< "SM", "TensorCore", ...
  Figure watts;          ///< board power (TDP)
  Figure dollarsPerHour; ///< on-demand price of one chip
  Figure linkGBps;       ///< chip-to-chip link within the family
  Figure hostLinkGBps;   ///< link to the host (PCIe)
  Figure launchMicros;   ///< fixed cost of one kernel / step

  /// Family-specific numbers (e.g. "mxu_dim", "shared_mem_kb_per_sm",
  /// "sbuf_partitions"), each sourced like the rest.
  llvm::StringMap<Figure> params;

  /// The figures that are not sourced, as "field (note)" lines.
  std::vector<std::string> unsourcedFigures() const;
};

/// The power model of every family (docs/CostModel.md): a chip draws its
/// idle share of board power whatever it does, and the rest times the
/// larger of its compute units' busy share and its memory's busy share x
/// `memoryShare`.
struct PowerFigures {
  /// `params.idle_power_fraction` and `params.memory_power_fraction`; 1
  /// (board power throughout) for a spec without them.
  double idle = 1, memoryShare = 1;

  static PowerFigures of(const ChipSpec &spec);

  /// Watts drawn from `boardWatts` with the compute units busy
  /// `busyCompute` and the memory `busyMemory` of the time (0 to 1).
  double watts(double boardWatts, double busyCompute, double busyMemory) const {
    return boardWatts *
           (idle +
            (1 - idle) * std::max(busyCompute, memoryShare * busyMemory));
  }
};

/// Reads a spec from JSON text. Errors name `origin` and the JSON path of
/// the offending field ("memory.bandwidth_gbps.value: must be > 0").
llvm::Expected<ChipSpec> parseChipSpec(llvm::StringRef json,
                                       llvm::StringRef origin);
/// Reads a spec file.
llvm::Expected<ChipSpec> loadChipSpec(llvm::StringRef path);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_PLUGINAPI_CHIPSPEC_H
