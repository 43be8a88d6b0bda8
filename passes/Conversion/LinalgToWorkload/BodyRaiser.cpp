//===- BodyRaiser.cpp - Scalar bodies to tensor wl ops ----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements BodyRaiser (see BodyRaiser.h).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToWorkload/BodyRaiser.h"
#include "passes/Conversion/LinalgToWorkload/Idioms.h"
#include "passes/Conversion/LinalgToWorkload/Polynomial.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible::import {

namespace {
bool isZeroConstant(Value scalar) {
  return matchPattern(scalar, m_AnyZeroFloat()) ||
         matchPattern(scalar, m_Zero());
}

/// For select(cmp(pred, a, b), a, b): +1 if it is max(a, b), -1 if min.
int selectDirection(Operation *cmp) {
  if (auto f = dyn_cast<arith::CmpFOp>(cmp)) {
    switch (f.getPredicate()) {
    case arith::CmpFPredicate::OGT:
    case arith::CmpFPredicate::OGE:
    case arith::CmpFPredicate::UGT:
    case arith::CmpFPredicate::UGE:
      return 1;
    case arith::CmpFPredicate::OLT:
    case arith::CmpFPredicate::OLE:
    case arith::CmpFPredicate::ULT:
    case arith::CmpFPredicate::ULE:
      return -1;
    default:
      return 0;
    }
  }
  if (auto i = dyn_cast<arith::CmpIOp>(cmp)) {
    switch (i.getPredicate()) {
    case arith::CmpIPredicate::sgt:
    case arith::CmpIPredicate::sge:
      return 1;
    case arith::CmpIPredicate::slt:
    case arith::CmpIPredicate::sle:
      return -1;
    default:
      return 0;
    }
  }
  return 0;
}
} // namespace

FailureOr<Value> BodyRaiser::raise(Value scalar) {
  auto it = values.find(scalar);
  if (it != values.end())
    return it->second;
  Operation *op = scalar.getDefiningOp();
  if (!op || op->getNumResults() != 1 ||
      !isWorkloadElementType(scalar.getType()))
    return failure();
  FailureOr<Value> tensor = raiseOp(op);
  if (succeeded(tensor))
    values[scalar] = *tensor;
  return tensor;
}

FailureOr<Value> BodyRaiser::raiseSelect(Operation *select) {
  auto sel = cast<arith::SelectOp>(select);
  Operation *cmp = sel.getCondition().getDefiningOp();
  if (!cmp || !isa<arith::CmpFOp, arith::CmpIOp>(cmp))
    return failure();
  int direction = selectDirection(cmp);
  Value a = cmp->getOperand(0), b = cmp->getOperand(1);
  Value t = sel.getTrueValue(), f = sel.getFalseValue();
  if (t == b && f == a)
    direction = -direction; // select(a > b, b, a) = min(a, b)
  else if (!(t == a && f == b))
    return failure();
  if (direction == 0)
    return failure();
  // max(x, 0) is a relu.
  if (direction > 0 && (isZeroConstant(b) || isZeroConstant(a))) {
    FailureOr<Value> x = raise(isZeroConstant(b) ? a : b);
    if (failed(x))
      return failure();
    return wb.unary<wl::ReluOp>(*x);
  }
  FailureOr<Value> lhs = raise(a), rhs = raise(b);
  if (failed(lhs) || failed(rhs))
    return failure();
  Value result = direction > 0 ? wb.binary<wl::MaxOp>(*lhs, *rhs)
                               : wb.binary<wl::MinOp>(*lhs, *rhs);
  if (!result)
    return failure();
  return result;
}

FailureOr<Value> BodyRaiser::raisePower(Operation *pow) {
  std::optional<double> exponent = getConstantValue(pow->getOperand(1));
  if (!exponent)
    return failure();
  FailureOr<Value> x = raise(pow->getOperand(0));
  if (failed(x))
    return failure();
  if (*exponent == 0.5)
    return wb.unary<wl::SqrtOp>(*x);
  if (*exponent == -0.5)
    return wb.unary<wl::RsqrtOp>(*x);
  double n = std::fabs(*exponent);
  if (std::floor(n) != n || n < 1 || n > kMaxRaisedPower)
    return failure();
  // x^n by squaring: ceil(log2 n) + popcount(n) - 1 multiplications.
  Value result, square = *x;
  for (auto bits = static_cast<unsigned>(n); bits; bits >>= 1) {
    if (bits & 1)
      result = result ? wb.binary<wl::MulOp>(result, square) : square;
    if (bits > 1)
      square = wb.binary<wl::MulOp>(square, square);
  }
  if (*exponent < 0) {
    Type elem = cast<RankedTensorType>(result.getType()).getElementType();
    result = wb.binary<wl::DivOp>(wb.scalar(FloatAttr::get(elem, 1.0)), result);
  }
  return result;
}

FailureOr<Value> BodyRaiser::raiseIdiom(Operation *op) {
  Value root = op->getResult(0);
  if (std::optional<GeluMatch> gelu = matchGelu(root)) {
    FailureOr<Value> x = raise(gelu->x);
    if (failed(x))
      return failure();
    return Value(wb.track(
        wl::GeluOp::create(wb.b, wb.loc, x->getType(), *x, gelu->approximate)));
  }
  if (std::optional<SigmoidMatch> sigmoid = matchSigmoid(root)) {
    FailureOr<Value> x = raise(sigmoid->x);
    if (failed(x))
      return failure();
    Value s = wb.unary<wl::SigmoidOp>(*x);
    return sigmoid->timesX ? wb.binary<wl::MulOp>(*x, s) : s;
  }
  return failure();
}

FailureOr<Value> BodyRaiser::raiseOp(Operation *op) {
  if (isa<FloatType>(op->getResult(0).getType()) &&
      isa<arith::MulFOp, arith::AddFOp, arith::DivFOp>(op))
    if (FailureOr<Value> idiom = raiseIdiom(op); succeeded(idiom))
      return idiom;
  if (isa<math::FPowIOp, math::PowFOp>(op))
    return raisePower(op);
  // Scalar constants become rank-0 tensors that broadcast.
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    auto typed = dyn_cast<TypedAttr>(constant.getValue());
    if (!typed || isa<ShapedType>(typed.getType()))
      return failure();
    return wb.scalar(typed);
  }
  if (isa<arith::SelectOp>(op))
    return raiseSelect(op);
  // A float constant rounded or extended (truncf of an f64 epsilon, which
  // arith does not fold because it is inexact) is a constant.
  if (isa<arith::TruncFOp, arith::ExtFOp>(op)) {
    FloatAttr value;
    if (matchPattern(op->getOperand(0), m_Constant(&value))) {
      auto type = cast<FloatType>(op->getResult(0).getType());
      APFloat converted = value.getValue();
      bool losesInfo = false;
      converted.convert(type.getFloatSemantics(),
                        APFloat::rmNearestTiesToEven, &losesInfo);
      return wb.scalar(FloatAttr::get(type, converted));
    }
  }
  // Any other op of constants folds to a constant.
  SmallVector<Attribute> constants;
  for (Value operand : op->getOperands()) {
    Attribute attr;
    if (!matchPattern(operand, m_Constant(&attr)))
      break;
    constants.push_back(attr);
  }
  SmallVector<OpFoldResult> folded;
  if (constants.size() == op->getNumOperands() &&
      succeeded(op->fold(constants, folded)) && folded.size() == 1)
    if (auto typed = dyn_cast_if_present<TypedAttr>(
            dyn_cast<Attribute>(folded.front())))
      if (!isa<ShapedType>(typed.getType()))
        return wb.scalar(typed);

  SmallVector<Value> operands;
  for (Value operand : op->getOperands()) {
    FailureOr<Value> tensor = raise(operand);
    if (failed(tensor))
      return failure();
    operands.push_back(*tensor);
  }
  return raiseWithOperands(wb, op, operands);
}

FailureOr<Value> raiseWithOperands(WorkloadBuilder &wb, Operation *op,
                                   ArrayRef<Value> operands) {
  auto binary = [&](auto tag) -> FailureOr<Value> {
    using OpTy = decltype(tag);
    Value v = wb.binary<OpTy>(operands[0], operands[1]);
    if (!v)
      return failure();
    return v;
  };
  // max(x, 0) written as a maximumf is a relu too.
  if (isa<arith::MaximumFOp, arith::MaxNumFOp, arith::MaxSIOp>(op)) {
    if (isZeroConstant(op->getOperand(1)))
      return wb.unary<wl::ReluOp>(operands[0]);
    if (isZeroConstant(op->getOperand(0)))
      return wb.unary<wl::ReluOp>(operands[1]);
    return binary(wl::MaxOp());
  }
  if (isa<arith::AddFOp, arith::AddIOp>(op))
    return binary(wl::AddOp());
  if (isa<arith::SubFOp, arith::SubIOp>(op))
    return binary(wl::SubOp());
  if (isa<arith::MulFOp, arith::MulIOp>(op))
    return binary(wl::MulOp());
  if (isa<arith::DivFOp, arith::DivSIOp>(op))
    return binary(wl::DivOp());
  if (isa<arith::MinimumFOp, arith::MinNumFOp, arith::MinSIOp>(op))
    return binary(wl::MinOp());
  if (isa<arith::NegFOp>(op))
    return wb.unary<wl::NegOp>(operands[0]);
  if (isa<math::ExpOp>(op))
    return wb.unary<wl::ExpOp>(operands[0]);
  if (isa<math::TanhOp>(op))
    return wb.unary<wl::TanhOp>(operands[0]);
  if (isa<math::SqrtOp>(op))
    return wb.unary<wl::SqrtOp>(operands[0]);
  if (isa<math::RsqrtOp>(op))
    return wb.unary<wl::RsqrtOp>(operands[0]);
  if (isa<math::SinOp>(op))
    return wb.unary<wl::SinOp>(operands[0]);
  if (isa<math::CosOp>(op))
    return wb.unary<wl::CosOp>(operands[0]);
  if (isa<arith::ExtFOp, arith::TruncFOp, arith::SIToFPOp, arith::FPToSIOp,
          arith::ExtSIOp, arith::TruncIOp>(op))
    return wb.cast(operands[0], getElementTypeOrSelf(op->getResult(0)));
  return failure();
}

} // namespace fungible::import
