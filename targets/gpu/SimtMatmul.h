//===- SimtMatmul.h - Contractions on CUDA cores in a tile -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the CUDA-core kernels of a fused tile: a matmul or
// convolution (f32, f64, or anything the tensor cores do not take) whose
// threads each keep a block of up to 4x8 outputs in registers, so that
// each operand element a thread loads serves 4 or 8 multiply-adds, and
// any other reduction with its accumulator in a register. Internal to the
// gpu family.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_SIMTMATMUL_H
#define FUNGIBLE_TARGETS_GPU_SIMTMATMUL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace fungible::gpu_kernels {

/// Emits `op` spread over the CTA's `threads` threads (`tid` this one's
/// id) when it is a reduction on buffers these kernels take (one output,
/// which reads every parallel loop and no other; static loops; inputs
/// affine in them; a body without regions or memory effects), and erases
/// it: a contraction or convolution of two inputs in blocks of up to 4x8
/// outputs a thread, any other reduction one output a thread at a time,
/// both with their accumulators in registers through the reduction loops
/// in their order (the same bits as the op's loops). False (nothing
/// changed) otherwise.
bool lowerOnCudaCores(mlir::linalg::LinalgOp op, mlir::Value tid,
                      int64_t threads);

} // namespace fungible::gpu_kernels

#endif // FUNGIBLE_TARGETS_GPU_SIMTMATMUL_H
