//===- WorkloadUtils.h - Shape arithmetic of wl ops -------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file holds the shape arithmetic shared by the verifiers, the cost
// interface and the lowerings: matmul dimensions, window output sizes,
// numpy broadcasting and reduced shapes. One definition, used everywhere.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADUTILS_H
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace fungible::wl {

/// M, N, K (and batch B, 1 for plain matmul) of a matmul-like op, with the
/// transposes applied.
struct MatmulDims {
  int64_t b = 1, m = 0, n = 0, k = 0;
};

/// Reads the dims of wl.matmul / wl.batch_matmul (any op with getLhs,
/// getRhs, getTransposeLhs, getTransposeRhs). Valid after rank checks.
template <typename OpTy>
MatmulDims getMatmulDims(OpTy op) {
  auto lhs = llvm::cast<mlir::RankedTensorType>(op.getLhs().getType());
  auto rhs = llvm::cast<mlir::RankedTensorType>(op.getRhs().getType());
  unsigned batch = lhs.getRank() - 2;
  MatmulDims dims;
  if (batch)
    dims.b = lhs.getDimSize(0);
  dims.m = lhs.getDimSize(batch + (op.getTransposeLhs() ? 1 : 0));
  dims.k = lhs.getDimSize(batch + (op.getTransposeLhs() ? 0 : 1));
  dims.n = rhs.getDimSize(batch + (op.getTransposeRhs() ? 0 : 1));
  return dims;
}

/// Whether a contraction of `in` operands may produce `out` elements: the
/// same type, or the accumulator type (f32 for floats, i32 for i8).
inline bool isAccumulatorType(mlir::Type in, mlir::Type out) {
  return in == out || (llvm::isa<mlir::FloatType>(in) && out.isF32()) ||
         (in.isInteger(8) && out.isInteger(32));
}

/// Output size of a sliding window: (in + lo + hi - dil*(k-1) - 1)/s + 1,
/// or <= 0 when the window does not fit; INT64_MAX when the size does not
/// fit in 64 bits. Computed in 128 bits: no figure can overflow it.
inline int64_t windowOutputSize(int64_t in, int64_t window, int64_t stride,
                                int64_t dilation, int64_t padLo,
                                int64_t padHi) {
  __int128 span = static_cast<__int128>(in) + padLo + padHi -
                  static_cast<__int128>(dilation) * (window - 1) - 1;
  if (span < 0 || stride <= 0)
    return 0;
  __int128 size = span / stride + 1;
  return size > INT64_MAX ? INT64_MAX : static_cast<int64_t>(size);
}

/// Grouped-query attention's rule for key/value batch dimensions `kv`
/// against the query's `q`: the leading ones equal `q`'s, the others 1
/// (where `q`'s may not be). The number of leading dimensions shared (a
/// trailing unit dimension of `q`'s counts as shared), or nothing when
/// `kv` is not such a group of `q`.
inline std::optional<unsigned> getSharedBatchRank(llvm::ArrayRef<int64_t> kv,
                                                  llvm::ArrayRef<int64_t> q) {
  if (kv.size() != q.size())
    return std::nullopt;
  unsigned shared = 0;
  while (shared < q.size() && kv[shared] == q[shared])
    ++shared;
  for (int64_t d : kv.drop_front(shared))
    if (d != 1)
      return std::nullopt;
  while (shared < q.size() && q[shared] == 1)
    ++shared;
  return shared;
}

/// Numpy broadcast of two shapes; false when they are incompatible.
inline bool getBroadcastShape(llvm::ArrayRef<int64_t> a,
                              llvm::ArrayRef<int64_t> b,
                              llvm::SmallVectorImpl<int64_t> &out) {
  size_t rank = std::max(a.size(), b.size());
  out.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1)
      return false;
    out[rank - 1 - i] = x == 1 ? y : x;
  }
  return true;
}

/// The shape left after reducing `dims` (kept as 1 with `keepDims`).
inline llvm::SmallVector<int64_t>
getReducedShape(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> dims,
                bool keepDims) {
  llvm::SmallVector<int64_t> out;
  for (int64_t d = 0, e = shape.size(); d < e; ++d) {
    if (!llvm::is_contained(dims, d))
      out.push_back(shape[d]);
    else if (keepDims)
      out.push_back(1);
  }
  return out;
}

} // namespace fungible::wl

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADUTILS_H
