//===- GpuLowering.h - The GPU target's lowering to PTX ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the NVIDIA GPU target's lowering: wl -> linalg; in a
// kernel variant's module, the kernel's output tiled over an scf.forall
// with every producer fused into the tile (GpuFusion.cpp); bufferised
// linalg; then each tile loop becomes one gpu.launch (a CTA per tile, its
// temporaries in shared memory, its ops one after the other between
// barriers), and every linalg op left outside one becomes one gpu.launch:
//   - a matmul or batch matmul on f16/bf16 operands becomes a tensor-core
//     kernel: 64x64 output tiles per CTA of 4 warps (2x2, 32x32 each),
//     K in steps of 32 staged through shared memory, mma.sync m16n8k16
//     with f32 accumulators;
//   - everything else becomes its parallel loops flattened onto a 1-D grid
//     of 256-thread CTAs (one thread per output point; reduction loops run
//     inside the thread);
// then kernel outlining, NVVM (math functions by polynomial approximation,
// so no libdevice is needed), and LLVM's NVPTX back end: the module ends
// with one gpu.binary per kernel module holding the PTX text
// (`gpu-module-to-binary format=isa`).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_GPULOWERING_H
#define FUNGIBLE_TARGETS_GPU_GPULOWERING_H

#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>

namespace mlir {
class OpPassManager;
class Pass;
} // namespace mlir

namespace fungible {

/// The shape of the sm_90a GEMM kernel when a matmul is a launch of its own
/// (Wgmma.cpp): a CTA of two warpgroups on 128 x `tileN` of C, K staged
/// `tileK` at a time through a pipeline of `stages` shared buffers, and CTAs
/// dispatched `groupM` rows of tiles at a time (consecutive CTAs share
/// their tiles of B in L2), the stages in the 128-byte swizzled layouts
/// or the interleaved ones, loaded by every thread with cp.async or, with
/// `tma`, by a producer warpgroup with the tensor memory accelerator. A
/// spec can set each (params `wgmma_tile_n`, `wgmma_tile_k`,
/// `wgmma_stages`, `wgmma_group_m`, `wgmma_swizzle`, `wgmma_tma`).
struct WgmmaLaunchShape {
  /// 0: chosen per matmul, the widest of kAutoTileNs whose grid still
  /// gives every SM (`sms`) a CTA, else the narrowest (measured on an
  /// H200: 4096^3 is fastest in 128 x 256 tiles, 512x384x256 in 128 x 64).
  int64_t tileN = 0;
  static constexpr int64_t kAutoTileNs[] = {256, 128, 64};
  int64_t tileK = 64, stages = 4, groupM = 8;
  bool swizzle = true;
  /// Stages loaded by TMA (cp.async.bulk.tensor, one thread of a third,
  /// producer warpgroup issuing them; mbarriers between it and the two
  /// warpgroups computing) instead of cp.async by every thread. Needs the
  /// swizzled layouts. Not the default until it is timed on a GPU.
  bool tma = false;
  /// The GPU's SMs (its spec's units.count).
  int64_t sms = 132;

  /// This shape for an M x N (x batch) matmul: tileN chosen.
  WgmmaLaunchShape resolved(int64_t m, int64_t n, int64_t batch) const;
  /// Why the kernel cannot take this shape (empty: it can).
  std::string whyInvalid() const;
};

struct GpuLoweringOptions {
  /// Compute capability times ten: 90 is sm_90 (Hopper), 100 is sm_100
  /// (Blackwell).
  unsigned smArch = 90;
  /// LLVM optimisation level of the NVPTX back end.
  unsigned optLevel = 3;
  /// Stop after mapping to gpu.launch (no outlining, no PTX): what the
  /// FileCheck tests of the kernels' shape read.
  bool stopAtLaunch = false;
  /// The standalone sm_90a GEMM's shape (smArch 90).
  WgmmaLaunchShape wgmma;
};

/// Whether the lowering for `smArch` uses the sm_90a kernel (wgmma): 90.
bool usesWgmma(unsigned smArch);
/// "sm_90a" (wgmma needs the architecture-specific target), "sm_100", ...
std::string getSmChip(unsigned smArch);
/// The PTX ISA version that `smArch` needs, as an NVPTX feature
/// ("+ptx80" for sm_90, "+ptx86" for sm_100).
std::string getPtxFeatures(unsigned smArch);

/// Adds the whole lowering to `pm` (a module pass manager). Fails only if
/// upstream's pipeline text does not parse (a build with passes missing).
llvm::LogicalResult buildGpuLoweringPipeline(mlir::OpPassManager &pm,
                                             const GpuLoweringOptions &options);

/// Registers the pipeline's own stages: fungible-gpu-tile-and-fuse-kernels
/// (a kernel on tensors -> one scf.forall of fused tiles),
/// fungible-gpu-map-matmuls-to-tensor-cores (f16/bf16 (batch) matmuls on
/// memrefs -> tensor-core gpu.launch), fungible-gpu-map-linalg-to-grid
/// (each tile loop -> one gpu.launch; every other linalg op, and
/// memref.copy, -> a gpu.launch over its flattened parallel loops),
/// fungible-gpu-approximate-math (on gpu.module), and the test-only
/// fungible-gpu-emulate-launches (gpu.launch -> host loops).
void registerGpuLoweringPasses();

} // namespace fungible

#endif // FUNGIBLE_TARGETS_GPU_GPULOWERING_H
