//===- LinalgBuilders.cpp - Helpers that build linalg on tensors -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the builders declared in LinalgBuilders.h.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/WorkloadToLinalg/LinalgBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

#include <cmath>
#include <cstdint>

namespace fungible::linalg_builders {

Type computeType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (isa<FloatType>(type))
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
  // The verifiers keep integer values in range; saturate anyway (a
  // double out of int64_t's range converts to undefined behaviour).
  int64_t integer = std::isnan(value)  ? 0
                    : value <= -0x1p63 ? INT64_MIN
                    : value >= 0x1p63  ? INT64_MAX
                                       : static_cast<int64_t>(value);
  return arith::ConstantOp::create(b, loc, type,
                                   b.getIntegerAttr(type, integer));
}

Value convertScalar(OpBuilder &b, Location loc, Value value, Type to) {
  Type from = value.getType();
  if (from == to)
    return value;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, value);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, to, value);
    // Same width, other format (f16 <-> bf16): go through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, value);
  if (toFloat)
    return arith::SIToFPOp::create(b, loc, to, value);
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtSIOp::create(b, loc, to, value);
  return arith::TruncIOp::create(b, loc, to, value);
}

#define FUNGIBLE_TYPED_BINARY(Name, FloatOp, IntOp)                            \
  Value Name(OpBuilder &b, Location loc, Value x, Value y) {                   \
    if (isa<FloatType>(x.getType()))                                           \
      return arith::FloatOp::create(b, loc, x, y);                             \
    return arith::IntOp::create(b, loc, x, y);                                 \
  }
FUNGIBLE_TYPED_BINARY(addS, AddFOp, AddIOp)
FUNGIBLE_TYPED_BINARY(subS, SubFOp, SubIOp)
FUNGIBLE_TYPED_BINARY(mulS, MulFOp, MulIOp)
FUNGIBLE_TYPED_BINARY(divS, DivFOp, DivSIOp)
FUNGIBLE_TYPED_BINARY(maxS, MaximumFOp, MaxSIOp)
FUNGIBLE_TYPED_BINARY(minS, MinimumFOp, MinSIOp)
#undef FUNGIBLE_TYPED_BINARY

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value) {
  Value empty = emptyTensor(b, loc, type);
  return linalg::FillOp::create(b, loc, TypeRange{type}, ValueRange{value},
                                ValueRange{empty})
      ->getResult(0);
}

Value identityTensor(OpBuilder &b, Location loc, RankedTensorType type,
                     arith::AtomicRMWKind kind) {
  Value identity =
      arith::getIdentityValue(kind, type.getElementType(), b, loc);
  return filledTensor(b, loc, type, identity);
}

AffineMap broadcastMap(ArrayRef<int64_t> shape, ArrayRef<int64_t> outShape,
                       MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  size_t offset = outShape.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i) {
    size_t d = offset + i;
    if (shape[i] == 1 && outShape[d] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(d, ctx));
  }
  return AffineMap::get(outShape.size(), 0, exprs, ctx);
}

Value buildStructured(OpBuilder &b, Location loc, Value init,
                      ValueRange inputs, ArrayRef<AffineMap> maps,
                      ArrayRef<utils::IteratorType> iterators, BodyFn body) {
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
      });
  return generic->getResult(0);
}

Value buildGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                   ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                   BodyFn body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  return buildStructured(b, loc, emptyTensor(b, loc, resultType), inputs,
                         maps, iterators, body);
}

Value buildElementwise(OpBuilder &b, Location loc,
                       RankedTensorType resultType, ValueRange inputs,
                       BodyFn body) {
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(
        broadcastMap(cast<RankedTensorType>(input.getType()).getShape(),
                     resultType.getShape(), b.getContext()));
  return buildGeneric(b, loc, resultType, inputs, maps, body);
}

Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> dims, arith::AtomicRMWKind kind) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> outShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (llvm::is_contained(dims, d)) {
      iterators.push_back(utils::IteratorType::reduction);
      continue;
    }
    iterators.push_back(utils::IteratorType::parallel);
    outShape.push_back(type.getDimSize(d));
    outExprs.push_back(b.getAffineDimExpr(d));
  }
  auto outType = RankedTensorType::get(outShape, type.getElementType());
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(type.getRank()),
      AffineMap::get(type.getRank(), 0, outExprs, b.getContext())};
  return buildStructured(
      b, loc, identityTensor(b, loc, outType, kind), input, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        return arith::getReductionOp(kind, nb, nloc, args[0], args[1]);
      });
}

Value castTensor(OpBuilder &b, Location loc, Value input, Type elementType) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getElementType() == elementType)
    return input;
  return buildElementwise(
      b, loc, type.clone(elementType), input,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        return convertScalar(nb, nloc, args[0], elementType);
      });
}

Value reshapeTensor(OpBuilder &b, Location loc, Value input,
                    RankedTensorType type) {
  auto src = cast<RankedTensorType>(input.getType());
  if (src == type)
    return input;
  if (src.getRank() > type.getRank())
    if (auto re = getReassociationIndicesForCollapse(src.getShape(),
                                                     type.getShape()))
      return tensor::CollapseShapeOp::create(b, loc, type, input, *re);
  if (src.getRank() < type.getRank())
    if (auto re = getReassociationIndicesForCollapse(type.getShape(),
                                                     src.getShape()))
      return tensor::ExpandShapeOp::create(b, loc, type, input, *re);
  // No direct reassociation: collapse to the coarsest shape both refine
  // (the products of their non-unit dims, group by group) and expand from
  // it. A unit dim moving (1x7x7x64 -> 7x7x64x1) then stays a collapse and
  // an expand of unit dims, which elementwise fusion moves through; only
  // shapes that share no boundary go through a 1-D tensor.
  auto nonUnit = [](ArrayRef<int64_t> shape) {
    SmallVector<int64_t> dims;
    for (int64_t d : shape)
      if (d != 1)
        dims.push_back(d);
    return dims;
  };
  SmallVector<int64_t> from = nonUnit(src.getShape()),
                       to = nonUnit(type.getShape()), common;
  for (size_t i = 0, j = 0; i < from.size() && j < to.size();) {
    int64_t left = from[i++], right = to[j++];
    while (left != right && i <= from.size() && j <= to.size()) {
      if (left < right && i < from.size())
        left *= from[i++];
      else if (right < left && j < to.size())
        right *= to[j++];
      else
        break;
    }
    common.push_back(left);
  }
  if (!common.empty() && common.size() < static_cast<size_t>(src.getRank()) &&
      common.size() < static_cast<size_t>(type.getRank())) {
    auto commonType = RankedTensorType::get(common, src.getElementType());
    auto collapse = getReassociationIndicesForCollapse(src.getShape(), common);
    auto expand = getReassociationIndicesForCollapse(type.getShape(), common);
    if (collapse && expand) {
      Value collapsed =
          tensor::CollapseShapeOp::create(b, loc, commonType, input, *collapse);
      return tensor::ExpandShapeOp::create(b, loc, type, collapsed, *expand);
    }
  }
  // Otherwise go through a 1-D tensor.
  auto flatType =
      RankedTensorType::get({src.getNumElements()}, src.getElementType());
  auto all = [](int64_t rank) {
    SmallVector<ReassociationIndices> re;
    if (rank > 0)
      re.push_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    return re;
  };
  Value flat = input;
  if (src.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input,
                                           all(src.getRank()));
  else if (src.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, input, all(0));
  if (type.getRank() == 1)
    return flat;
  if (type.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, type, flat, all(0));
  return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                       all(type.getRank()));
}

/// The identity map of `rank` loops and the map dropping `axis` (a row's
/// value, reduced along it).
static std::pair<AffineMap, AffineMap> rowMaps(OpBuilder &b, int64_t rank,
                                               int64_t axis) {
  SmallVector<AffineExpr> rowExprs;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      rowExprs.push_back(b.getAffineDimExpr(d));
  return {b.getMultiDimIdentityMap(rank),
          AffineMap::get(rank, 0, rowExprs, b.getContext())};
}

Value buildShiftedExps(OpBuilder &b, Location loc, Value input, int64_t axis) {
  auto type = cast<RankedTensorType>(input.getType());
  Type compute = computeType(type.getElementType());
  Value x = castTensor(b, loc, input, compute);
  auto [identity, row] = rowMaps(b, type.getRank(), axis);
  Value max = buildReduction(b, loc, x, {axis}, arith::AtomicRMWKind::maximumf);
  return buildGeneric(
      b, loc, type.clone(compute), {x, max}, {identity, row},
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value shifted = arith::SubFOp::create(nb, nloc, args[0], args[1]);
        return math::ExpOp::create(nb, nloc, shifted);
      });
}

Value buildSoftmax(OpBuilder &b, Location loc, Value input, int64_t axis) {
  auto type = cast<RankedTensorType>(input.getType());
  Value exps = buildShiftedExps(b, loc, input, axis);
  auto [identity, row] = rowMaps(b, type.getRank(), axis);
  Value sum = buildReduction(b, loc, exps, {axis}, arith::AtomicRMWKind::addf);
  Value probs =
      buildGeneric(b, loc, cast<RankedTensorType>(exps.getType()), {exps, sum},
                   {identity, row},
                   [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                     return arith::DivFOp::create(nb, nloc, args[0], args[1]);
                   });
  return castTensor(b, loc, probs, type.getElementType());
}

} // namespace fungible::linalg_builders
