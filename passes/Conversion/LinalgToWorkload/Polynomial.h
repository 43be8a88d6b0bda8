//===- Polynomial.h - Expressions as polynomials over leaves ----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares Polynomial, the view the idiom matchers take of an
// arithmetic expression: a sum of monomials, each a constant times a
// product of leaves (values the view does not look into: arguments, tanh,
// erf, rsqrt, reductions...). Sums, differences, products, negations,
// divisions by a constant and constant integer powers are looked through,
// whether they are scalar arith/math ops (a linalg body) or wl ops on
// tensors, so `0.5 * x * (1 + tanh(u))` and `x * 0.5 + (x * tanh(u)) * 0.5`
// are the same polynomial and one matcher recognises every order and
// association a producer may write. Floating-point rounding differs
// between such forms; the matchers accept it, as a fusing compiler does.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_POLYNOMIAL_H
#define FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_POLYNOMIAL_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <optional>

namespace fungible::import {

class Polynomial {
public:
  /// A product of leaves, as sorted leaf indices (a repeated index is a
  /// power); empty for the constant term.
  using Monomial = llvm::SmallVector<unsigned, 4>;

  /// The polynomial `value` computes, or nullopt when it is not one within
  /// the size limits (the view gives up on large expansions). The values
  /// in `stops` are leaves whatever computes them.
  static std::optional<Polynomial> of(mlir::Value value,
                                      llvm::ArrayRef<mlir::Value> stops = {});

  /// The leaves, in first-seen order; monomials index into it.
  llvm::ArrayRef<mlir::Value> getLeaves() const { return leaves; }
  const std::map<Monomial, double> &getTerms() const { return terms; }
  /// The coefficient of the product of `factors` (0 when absent).
  double coefficient(llvm::ArrayRef<mlir::Value> factors) const;
  /// The constant term.
  double constant() const { return coefficient({}); }
  /// Number of non-zero terms.
  size_t size() const { return terms.size(); }

private:
  struct Builder;
  llvm::SmallVector<mlir::Value, 4> leaves;
  std::map<Monomial, double> terms;
};

/// The float value of a scalar constant or a splat tensor constant.
std::optional<double> getConstantValue(mlir::Value value);

/// Whether `a` agrees with the real number `b` as far as a constant of
/// `elementType` (or a product of two) can: within four units in the last
/// place of its precision (relative 4.8e-7 for f32, 0.031 for bf16).
bool closeTo(double a, double b, mlir::Type elementType);

} // namespace fungible::import

#endif // FUNGIBLE_PASSES_CONVERSION_LINALGTOWORKLOAD_POLYNOMIAL_H
