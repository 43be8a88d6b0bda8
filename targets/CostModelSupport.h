//===- CostModelSupport.h - Shared pieces of the cost models ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what every family's cost model shares: tiling
// arithmetic, spec parameters with their fallbacks, explanations built only
// on demand, and the last step of an estimate (time from compute, memory
// and overhead; bound; utilisation; energy; dollars; feasibility).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_COSTMODELSUPPORT_H
#define FUNGIBLE_TARGETS_COSTMODELSUPPORT_H

#include "targets/PluginAPI/Target.h"

#include <cstdint>
#include <string>

namespace fungible {

/// The explanation of an estimate, built only when the caller asked for
/// one: numbers are formatted inside operator<<, so a disabled explanation
/// costs a branch per piece.
class Explanation {
public:
  explicit Explanation(bool enabled) : enabled(enabled) {}
  explicit operator bool() const { return enabled; }

  Explanation &operator<<(llvm::StringRef text);
  Explanation &operator<<(const char *text) {
    return *this << llvm::StringRef(text);
  }
  /// Integers print exactly, doubles as printf's %g.
  Explanation &operator<<(int64_t value);
  Explanation &operator<<(int value) { return *this << int64_t(value); }
  Explanation &operator<<(double value);

  std::string take() { return std::move(text); }

private:
  bool enabled;
  std::string text;
};

/// The estimate for a kernel the host could not summarise: infeasible,
/// explained.
CostEstimate notAKernel();

/// The estimate for a kernel this chip cannot run, with the reason.
CostEstimate cannotRun(std::string reason);

/// Why an accelerator cannot run a kernel of buffer-level code
/// (usesBuffers, Kernels.h).
inline constexpr const char *kBufferCodeIsHostOnly =
    "buffer-level code (loops over memrefs) runs on the host CPU only";

/// The f64 rate of a family whose spec may not give one: the spec's
/// `f64` figure in `rates`, else half its f32 figure (SIMD lanes and
/// NVIDIA's datacenter GPUs since P100 halve for f64), said in `why`.
double f64Rate(const llvm::StringMap<Figure> &rates, Explanation &why);

/// x rounded up to a multiple of `to`.
inline int64_t roundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

/// The side of the largest square tile, a multiple of `quantum`, whose two
/// double-buffered operand tiles, f32 accumulator and `extraBytes` per
/// element (an output staging tile) fit `onChipBytes`:
/// (2 * 2 * elemBytes + 4 + extraBytes) * T^2 <= onChipBytes (at least
/// `quantum`).
int64_t squareTile(double onChipBytes, double elemBytes, int64_t quantum,
                   double extraBytes = 0);

/// HBM bytes a tiled GEMM reads: each LHS row block is read once per
/// column block of tiles (`colBlocks`), each RHS column block once per row
/// block (`rowBlocks`).
double tiledReadBytes(const Gemm &g, double elemBytes, double rowBlocks,
                      double colBlocks);

/// Removes an attention's two GEMMs (Q K^T and P V) from `gemms`, which
/// a family prices as its attention program instead; false (`gemms`
/// untouched) when its Q K^T is not among them.
bool takeAttentionGemms(llvm::SmallVectorImpl<Gemm> &gemms,
                        const AttentionShape &a);

/// HBM bytes an attention program that keeps its scores on chip reads: Q,
/// K and V once each, and its mask's tiles.
double attentionReadBytes(const AttentionShape &a, double elemBytes);

/// The whole-row f32 tiles the program of `a` (as wl-to-linalg lowers
/// wl.attention) keeps per tile of query rows: 4 for its scores and
/// softmax, and one more for a mask's.
inline int64_t attentionWholeRowTiles(const AttentionShape &a) {
  return a.maskElements ? 5 : 4;
}

/// A spec's family parameter; when the spec lacks it, `fallback`, and the
/// assumption is written to `why` so the estimate says what it rests on.
double getParam(const ChipSpec &spec, llvm::StringRef name, double fallback,
                Explanation &why);

/// The last step of every estimate: seconds = max(compute, memory) +
/// overhead (compute + memory + overhead when not `overlapped`: the host's
/// loops do not hide their loads behind their arithmetic); the bound is
/// what dominates (overhead when it does);
/// utilisation of the bounding resource (`peakFlops` or the memory peak);
/// energy as power x seconds, the power idle_power_fraction of board
/// power plus the dynamic rest times max(compute busy share, memory busy
/// share x memory_power_fraction) (board power without these params);
/// dollars at the hourly price; infeasible when
/// `residentBytes` exceed device memory. `why` is the explanation so far;
/// the target's unsourced spec figures are named at its end.
CostEstimate finishEstimate(const Target &target, double compute, double memory,
                            double overhead, double flops, double peakFlops,
                            double traffic, double residentBytes,
                            Explanation &why, bool overlapped = true);

/// A number as printf's %g writes it (989, 0.803, 1.7e-05), for
/// explanations.
std::string formatFigure(double value);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_COSTMODELSUPPORT_H
