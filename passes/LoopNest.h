//===- LoopNest.h - Loop nests over buffers, analysed ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares what wl-raise-buffer-loops knows of a loop nest over
// buffers: its loops (constant bounds), each index as a linear sum of the
// loops' counters and outer values, and whether the nest may be split into
// computations that each run over all of their iterations.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_LOOPNEST_H
#define FUNGIBLE_PASSES_LOOPNEST_H

#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/DenseMap.h"

namespace fungible {

/// A loop of a nest: its induction variable is `lb + step * i` for the
/// counter i in [0, trip).
struct Loop {
  mlir::LoopLikeOpInterface op;
  int64_t lb, step, trip;
};

/// An index as a sum over loop counters and outer index values:
/// sum(coef * counter) + sum(coef * symbol) + constant.
struct Linear {
  llvm::SmallVector<std::pair<unsigned, int64_t>> terms;
  llvm::SmallVector<std::pair<mlir::Value, int64_t>> symbols;
  int64_t constant = 0;

  static Linear of(int64_t c) {
    Linear l;
    l.constant = c;
    return l;
  }
  Linear scaled(int64_t k) const {
    Linear l;
    for (auto [loop, c] : terms)
      l.terms.push_back({loop, c * k});
    for (auto [s, c] : symbols)
      l.symbols.push_back({s, c * k});
    l.constant = constant * k;
    l.normalize();
    return l;
  }
  Linear plus(const Linear &o) const {
    Linear l = *this;
    l.terms.append(o.terms.begin(), o.terms.end());
    l.symbols.append(o.symbols.begin(), o.symbols.end());
    l.constant += o.constant;
    l.normalize();
    return l;
  }
  int64_t coefficient(unsigned loop) const {
    for (auto [l, c] : terms)
      if (l == loop)
        return c;
    return 0;
  }
  bool isConstant() const { return terms.empty() && symbols.empty(); }
  /// Merges repeated loops and symbols and drops zeros; loops by id,
  /// symbols in the order they first appear.
  void normalize() {
    merge(terms);
    llvm::sort(terms);
    merge(symbols);
  }
  /// Whether both have the same symbols with the same coefficients.
  bool sameSymbols(const Linear &o) const {
    return symbols.size() == o.symbols.size() &&
           llvm::all_of(symbols, [&](auto &p) {
             return llvm::is_contained(o.symbols, p);
           });
  }

private:
  /// Adds the coefficients of equal keys into the first and drops zeros.
  template <typename Key>
  static void merge(llvm::SmallVector<std::pair<Key, int64_t>> &pairs) {
    llvm::SmallVector<std::pair<Key, int64_t>> merged;
    for (auto [key, c] : pairs) {
      auto it = llvm::find_if(
          merged, [&, key = key](auto &p) { return p.first == key; });
      if (it != merged.end())
        it->second += c;
      else
        merged.push_back({key, c});
    }
    llvm::erase_if(merged, [](auto &p) { return p.second == 0; });
    pairs = std::move(merged);
  }
};

/// A nest of scf.for/affine.for loops with constant bounds and positive
/// steps, with nothing in it but loops, loads, stores (memref or affine)
/// and pure ops without regions.
class LoopNest {
public:
  /// The nest rooted at `root`; failure for any other op with regions in
  /// it, a loop of another kind or one whose bounds are not constants.
  static mlir::FailureOr<LoopNest> analyze(mlir::Operation *root);

  /// Whether `v` is defined inside the nest (the root's own results and
  /// the loops' induction variables included).
  bool contains(mlir::Value v) const;
  const Loop &loop(unsigned id) const { return loops[id]; }
  /// The id of loop `op`, if it is one of the nest's.
  std::optional<unsigned> idOf(mlir::Operation *op) const;
  /// The loop whose induction variable `v` is, if any.
  std::optional<unsigned> loopOfIv(mlir::Value v) const;
  /// The nest's loops around `op`, outermost first.
  llvm::SmallVector<unsigned> loopsAround(mlir::Operation *op) const;

  /// `v` as a linear index; failure for anything but constants, induction
  /// variables, index values from outside (symbols) and sums, differences
  /// and products by constants of those (arith or affine.apply).
  mlir::FailureOr<Linear> linear(mlir::Value v) const;
  /// The results of `map` over `operands`, each linear (see linear()).
  mlir::FailureOr<llvm::SmallVector<Linear>>
  evalMap(mlir::AffineMap map, mlir::ValueRange operands) const;
  /// The indices a load or store (memref or affine) or a tensor.extract
  /// accesses.
  mlir::FailureOr<llvm::SmallVector<Linear>>
  indices(mlir::Operation *access) const;
  /// The buffer a load or store accesses; null for any other op.
  static mlir::Value bufferOf(mlir::Operation *access);

  /// Whether running each store and each reduction of the nest over all
  /// of its iterations, one after another in program order, computes what
  /// the nest does: for every store and every other access to its buffer
  /// (each buffer one `isTracked` accepts), each loop they share selects
  /// disjoint parts of the buffer in both (the same `c * loop` term in some
  /// dim, the rest of that dim's index within `c`). Failure also when the
  /// nest touches memory other than by such loads and stores.
  mlir::LogicalResult
  checkSplittable(llvm::function_ref<bool(mlir::Value)> isTracked) const;

private:
  mlir::Operation *root = nullptr;
  llvm::SmallVector<Loop> loops;
  llvm::DenseMap<mlir::Operation *, unsigned> loopId;
  llvm::DenseMap<mlir::Value, unsigned> ivLoop;
};

} // namespace fungible

#endif // FUNGIBLE_PASSES_LOOPNEST_H
