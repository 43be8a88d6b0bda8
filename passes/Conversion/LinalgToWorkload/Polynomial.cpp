//===- Polynomial.cpp - Expressions as polynomials over leaves --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements Polynomial (see Polynomial.h).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToWorkload/Polynomial.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible::import {

namespace {
/// Limits that keep the view cheap on any input: the expansion of a
/// product of sums grows fast, and an idiom is never that large.
constexpr unsigned kMaxTerms = 32, kMaxDegree = 8, kMaxDepth = 48;
constexpr unsigned kMaxPower = 8;

using Terms = std::map<Polynomial::Monomial, double>;

std::optional<double> attributeValue(Attribute attr) {
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValueAsDouble();
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return static_cast<double>(i.getValue().getSExtValue());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    if (dense.isSplat())
      return attributeValue(dense.getSplatValue<Attribute>());
  return std::nullopt;
}

void addInto(Terms &into, const Terms &from, double scale) {
  for (const auto &[monomial, c] : from) {
    double &sum = into[monomial];
    sum += scale * c;
    if (sum == 0)
      into.erase(monomial);
  }
}

std::optional<Terms> multiply(const Terms &a, const Terms &b) {
  Terms product;
  for (const auto &[ma, ca] : a)
    for (const auto &[mb, cb] : b) {
      if (ma.size() + mb.size() > kMaxDegree)
        return std::nullopt;
      Polynomial::Monomial m(ma);
      m.append(mb.begin(), mb.end());
      llvm::sort(m);
      double &sum = product[m];
      sum += ca * cb;
      if (sum == 0)
        product.erase(m);
      if (product.size() > kMaxTerms)
        return std::nullopt;
    }
  return product;
}

/// The constant integral exponent of a power op in [0, kMaxPower].
std::optional<unsigned> smallPower(Value exponent) {
  std::optional<double> e = getConstantValue(exponent);
  if (!e || *e < 0 || *e > kMaxPower || std::floor(*e) != *e)
    return std::nullopt;
  return static_cast<unsigned>(*e);
}
} // namespace

std::optional<double> getConstantValue(Value value) {
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr)))
    return attributeValue(attr);
  // A constant rounded or extended (arith does not fold an inexact truncf),
  // or a splat reshaped or broadcast (TOSA's scalars are rank-1 tensors).
  if (Operation *op = value.getDefiningOp();
      op &&
      isa<arith::TruncFOp, arith::ExtFOp, wl::ReshapeOp, wl::BroadcastOp>(op))
    return getConstantValue(op->getOperand(0));
  return std::nullopt;
}

bool closeTo(double a, double b, Type elementType) {
  double ulp = 0x1p-23; // f32
  if (auto f = dyn_cast<FloatType>(elementType))
    ulp =
        std::ldexp(1.0, 1 - static_cast<int>(llvm::APFloat::semanticsPrecision(
                                f.getFloatSemantics())));
  return std::fabs(a - b) <= 4 * std::max(ulp, 0x1p-23) * std::fabs(b);
}

struct Polynomial::Builder {
  Polynomial &p;
  ArrayRef<Value> stops;

  Terms leaf(Value value) {
    auto it = llvm::find(p.leaves, value);
    unsigned index = it - p.leaves.begin();
    if (it == p.leaves.end())
      p.leaves.push_back(value);
    return Terms{{Monomial{index}, 1.0}};
  }

  std::optional<Terms> build(Value value, unsigned depth) {
    if (std::optional<double> c = getConstantValue(value))
      return *c == 0 ? Terms{} : Terms{{Monomial{}, *c}};
    Operation *op = value.getDefiningOp();
    if (!op || depth > kMaxDepth || llvm::is_contained(stops, value) ||
        !isa<FloatType>(getElementTypeOrSelf(value.getType())))
      return leaf(value);
    auto operand = [&](unsigned i) {
      return build(op->getOperand(i), depth + 1);
    };
    if (isa<arith::AddFOp, wl::AddOp, arith::SubFOp, wl::SubOp>(op)) {
      std::optional<Terms> a = operand(0), b = operand(1);
      if (!a || !b)
        return std::nullopt;
      addInto(*a, *b, isa<arith::SubFOp, wl::SubOp>(op) ? -1.0 : 1.0);
      if (a->size() > kMaxTerms)
        return std::nullopt;
      return a;
    }
    if (isa<arith::MulFOp, wl::MulOp>(op)) {
      std::optional<Terms> a = operand(0), b = operand(1);
      if (!a || !b)
        return std::nullopt;
      return multiply(*a, *b);
    }
    if (isa<arith::NegFOp, wl::NegOp>(op)) {
      std::optional<Terms> a = operand(0);
      if (!a)
        return std::nullopt;
      Terms negated;
      addInto(negated, *a, -1.0);
      return negated;
    }
    if (isa<arith::DivFOp, wl::DivOp>(op)) {
      std::optional<double> divisor = getConstantValue(op->getOperand(1));
      if (divisor && *divisor != 0 && std::isfinite(*divisor)) {
        std::optional<Terms> a = operand(0);
        if (!a)
          return std::nullopt;
        Terms scaled;
        addInto(scaled, *a, 1.0 / *divisor);
        return scaled;
      }
    }
    if (isa<math::FPowIOp, math::PowFOp>(op))
      if (std::optional<unsigned> n = smallPower(op->getOperand(1))) {
        std::optional<Terms> base = operand(0);
        if (!base)
          return std::nullopt;
        Terms power{{Monomial{}, 1.0}};
        for (unsigned i = 0; i < *n && power.size(); ++i) {
          std::optional<Terms> next = multiply(power, *base);
          if (!next)
            return std::nullopt;
          power = std::move(*next);
        }
        return power;
      }
    return leaf(value);
  }
};

std::optional<Polynomial> Polynomial::of(Value value, ArrayRef<Value> stops) {
  Polynomial p;
  Builder builder{p, stops};
  std::optional<Terms> terms = builder.build(value, 0);
  if (!terms)
    return std::nullopt;
  p.terms = std::move(*terms);
  return p;
}

double Polynomial::coefficient(ArrayRef<Value> factors) const {
  Monomial m;
  for (Value factor : factors) {
    auto it = llvm::find(leaves, factor);
    if (it == leaves.end())
      return 0;
    m.push_back(it - leaves.begin());
  }
  llvm::sort(m);
  auto it = terms.find(m);
  return it == terms.end() ? 0 : it->second;
}

} // namespace fungible::import
