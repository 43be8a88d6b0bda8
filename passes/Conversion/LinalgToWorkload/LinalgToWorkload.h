//===- LinalgToWorkload.h - Raise linalg/tensor ops into wl -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the patterns that raise linalg (named ops and
// linalg.generic whose body and maps match a wl op) and tensor ops into wl.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_LINALGTOWORKLOAD_H
#define FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_LINALGTOWORKLOAD_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace fungible {
/// Contractions (any linalg op whose body is a multiply-accumulate over
/// projected-permutation maps), convolutions and pooling (NCHW and NHWC),
/// softmax, parallel ops (elementwise, transpose, broadcast, copy) and
/// reductions.
void populateLinalgToWorkloadPatterns(mlir::RewritePatternSet &patterns);
/// Static expand/collapse_shape, extract_slice, pad and concat.
void populateTensorToWorkloadPatterns(mlir::RewritePatternSet &patterns);
} // namespace fungible

#endif // FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_LINALGTOWORKLOAD_H
