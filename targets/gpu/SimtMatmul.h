//===- SimtMatmul.h - Contractions on CUDA cores in a tile -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the CUDA-core contraction of a fused tile: a matmul
// or convolution (f32, f64, or anything the tensor cores do not take)
// whose threads each keep a block of up to 4x8 outputs in registers, so
// that each operand element a thread loads serves 4 or 8 multiply-adds.
// Internal to the gpu family.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_SIMTMATMUL_H
#define FUNGIBLE_TARGETS_GPU_SIMTMATMUL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace fungible::gpu_kernels {

/// A contraction or convolution on buffers: out[batch, rows, cols]
/// combined with in0[f(batch, rows, reductions)] and in1[g(batch, cols,
/// reductions)] by its body, the reduction loops in order. `rows` are the
/// parallel loops of more than one iteration only the first input reads,
/// `cols` those only the second reads, `batch` the other parallel loops;
/// every loop is static, the output a projected permutation of the
/// parallel loops and the inputs affine in the loops (a convolution's
/// window, oh + kh).
struct SimtMatmul {
  mlir::linalg::LinalgOp op;
  llvm::SmallVector<unsigned> rows, cols, batch, reductions;
  llvm::SmallVector<int64_t> ranges;
};

/// `op` as such a contraction, or nothing.
std::optional<SimtMatmul> matchSimtMatmul(mlir::linalg::LinalgOp op);

/// Emits `mm` spread over `threads` threads (`tid` this one's id) without
/// barriers: each thread computes blocks of outputs in registers, each
/// output's accumulation in the reduction's order (the same bits as the
/// op's loops). The caller erases the op.
void buildSimtMatmul(mlir::OpBuilder &b, mlir::Location loc,
                     const SimtMatmul &mm, mlir::Value tid, int64_t threads);

/// A reduction on buffers whose outputs the CTA's threads take one at a
/// time, the accumulator in a register through the reduction loops (in
/// their order: the same bits as the op's loops, which would load and
/// store the output element at every step). `parallel` are the loops the
/// output reads (all of them, and no other), `reductions` the others;
/// every loop is static and the inputs affine in them.
struct RegisterReduction {
  mlir::linalg::LinalgOp op;
  llvm::SmallVector<unsigned> parallel, reductions;
  llvm::SmallVector<int64_t> ranges;
};

/// `op` as such a reduction, or nothing.
std::optional<RegisterReduction>
matchRegisterReduction(mlir::linalg::LinalgOp op);

/// Emits `red` spread over `threads` threads (`tid` this one's id), the
/// innermost reduction loop unrolled by 4 or 2 where that divides it. The
/// caller erases the op.
void buildRegisterReduction(mlir::OpBuilder &b, mlir::Location loc,
                            const RegisterReduction &red, mlir::Value tid,
                            int64_t threads);

} // namespace fungible::gpu_kernels

#endif // FUNGIBLE_TARGETS_GPU_SIMTMATMUL_H
