//===- TrainiumLowering.h - The Trainium target's lowering ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the Trainium-like target's lowering: wl -> linalg ->
// bufferised linalg; then each op a NeuronCore runs on its engines becomes
// a neuron program (dialects/Neuron):
//   - a matmul or batch matmul: output tiles of 128 x 512 (one PSUM bank),
//     K in steps of 128 partitions; A's tile DMA'd transposed (K on the
//     partitions) as the stationary operand, B's as the moving one; the
//     TensorEngine accumulates into PSUM, the Vector engine converts the
//     bank to the output type in SBUF, the elementwise ops after it that
//     take the product (its epilogue) run on the tile, and a DMA stores it;
//   - a chain of fills, row folds and elementwise steps over the same rows
//     (a norm, a softmax) whose whole rows fit in SBUF: one program per
//     tile of 128 rows (RowPrograms.cpp);
//   - an elementwise linalg.generic or a linalg.fill: rows on up to 128
//     partitions and up to 2048 columns per tile, on the Scalar
//     (activation) engine when the body calls math functions, otherwise on
//     the Vector engine;
// engines are ordered by semaphores (sem 0: DMA loads done, 1: compute
// done, 2: stores done, 3: accumulator loads done). Every other op stays a
// loop nest on HBM buffers (the GpSimd engine's work). With `emulate` the
// programs continue to loops and memrefs and to the LLVM dialect: the host
// emulator the runtime JIT-compiles.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMLOWERING_H
#define FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMLOWERING_H

#include "targets/LoweringSupport.h"

#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace fungible {

/// The most key blocks (of 128) an attention program unrolls.
constexpr int64_t kMaxAttentionKeyBlocks = 32;

/// The query rows of an attention program's tiles over `sq` rows: up to
/// 128 partitions, a divisor of `rowPeriod` when the mask repeats every
/// `rowPeriod` rows (AttentionShape::maskRowPeriod), so that no tile
/// straddles two runs. Shared by the lowering and the cost model.
int64_t neuronAttentionRows(int64_t sq, int64_t rowPeriod);

/// The SBUF bytes per partition of an attention program
/// (AttentionPrograms.cpp) over `sq` queries and `sk` keys with head
/// dimension `d` and values `dv` wide: Q^T's tile, K^T's block,
/// `scoreTiles` whole-row softmax buffers and `rowValues` per-row ones per
/// key block, and the transposed probabilities, all f32. Nullopt when the
/// lowering does not take it: a head dimension over 128, values over 512,
/// more than kMaxAttentionKeyBlocks key blocks. Shared by the lowering
/// (with its softmax's buffers) and the cost model (with wl.attention's:
/// 4 whole-row, 2 per-row).
std::optional<int64_t> neuronAttentionPartitionBytes(int64_t sq, int64_t sk,
                                                     int64_t d, int64_t dv,
                                                     int64_t scoreTiles = 4,
                                                     int64_t rowValues = 2);

struct TrainiumLoweringOptions {
  /// SBUF bytes per partition (trn1: 192 KiB, trn2: 224 KiB).
  int64_t sbufPartitionBytes = 192 * 1024;
  /// Continue to the LLVM dialect for the host (the functional emulator).
  bool emulate = false;
  /// The host back end the emulator ends with (emulate only; provided by
  /// whoever assembles the targets, see HostBackendBuilder).
  HostBackendBuilder hostBackend;
};

/// Adds what turns a lowered Trainium program (neuron ops on memrefs) into
/// host LLVM: fungible-trainium-emulate, then `hostBackend`. Fails when no
/// host back end is given or upstream's pipeline text does not parse.
llvm::LogicalResult
buildTrainiumProgramEmulationPipeline(mlir::OpPassManager &pm,
                                      const HostBackendBuilder &hostBackend);

/// Adds the whole lowering to `pm` (a module pass manager). Fails only if
/// upstream's pipeline text does not parse (a build with passes missing)
/// or `emulate` is set without a host back end.
llvm::LogicalResult
buildTrainiumLoweringPipeline(mlir::OpPassManager &pm,
                              const TrainiumLoweringOptions &options);

} // namespace fungible

#endif // FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMLOWERING_H
