//===- ImportBuilder.cpp - Building wl ops while raising --------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the helpers declared in ImportBuilder.h.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToWorkload/ImportBuilder.h"

#include "dialects/Workload/WorkloadUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace fungible::import {

bool isWorkloadElementType(Type type) {
  return type.isF64() || type.isF32() || type.isF16() || type.isBF16() ||
         isa<Float8E4M3FNType>(type) || type.isSignlessInteger(8) ||
         type.isSignlessInteger(32);
}

bool isWorkloadTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         isWorkloadElementType(tensor.getElementType());
}

bool allWorkloadTensors(TypeRange types) {
  return llvm::all_of(types, isWorkloadTensor);
}

std::optional<Attribute> getSplatValue(Value value) {
  if (auto fill = value.getDefiningOp<linalg::FillOp>()) {
    Attribute scalar;
    if (matchPattern(fill.getInputs()[0], m_Constant(&scalar)))
      return scalar;
    return std::nullopt;
  }
  DenseElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)) && dense.isSplat())
    return dense.getSplatValue<Attribute>();
  return std::nullopt;
}

bool isZeroOrUndefined(Value value) {
  if (value.getDefiningOp<tensor::EmptyOp>())
    return true;
  std::optional<Attribute> splat = getSplatValue(value);
  if (!splat)
    return false;
  if (auto f = dyn_cast<FloatAttr>(*splat))
    return f.getValue().isZero();
  if (auto i = dyn_cast<IntegerAttr>(*splat))
    return i.getValue().isZero();
  return false;
}

Value WorkloadBuilder::transpose(Value value, ArrayRef<int64_t> perm) {
  bool identity = true;
  for (auto [i, p] : llvm::enumerate(perm))
    identity &= static_cast<int64_t>(i) == p;
  if (identity)
    return value;
  auto type = llvm::cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return track(wl::TransposeOp::create(b, loc, type.clone(shape), value, perm));
}

Value WorkloadBuilder::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return track(wl::ReshapeOp::create(b, loc, type.clone(shape), value));
}

Value WorkloadBuilder::broadcast(Value value, ArrayRef<int64_t> shape) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return track(wl::BroadcastOp::create(b, loc, type.clone(shape), value));
}

Value WorkloadBuilder::cast(Value value, Type elementType) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  return track(wl::CastOp::create(b, loc, type.clone(elementType), value));
}

template <typename OpTy>
Value WorkloadBuilder::binary(Value lhs, Value rhs) {
  auto l = llvm::cast<RankedTensorType>(lhs.getType());
  auto r = llvm::cast<RankedTensorType>(rhs.getType());
  SmallVector<int64_t> shape;
  if (l.getElementType() != r.getElementType() ||
      !wl::getBroadcastShape(l.getShape(), r.getShape(), shape))
    return nullptr;
  return track(OpTy::create(b, loc, l.clone(shape), lhs, rhs));
}

template Value WorkloadBuilder::binary<wl::AddOp>(Value, Value);
template Value WorkloadBuilder::binary<wl::SubOp>(Value, Value);
template Value WorkloadBuilder::binary<wl::MulOp>(Value, Value);
template Value WorkloadBuilder::binary<wl::DivOp>(Value, Value);
template Value WorkloadBuilder::binary<wl::MaxOp>(Value, Value);
template Value WorkloadBuilder::binary<wl::MinOp>(Value, Value);

Value WorkloadBuilder::scalar(TypedAttr value) {
  auto type = RankedTensorType::get({}, value.getType());
  return track(arith::ConstantOp::create(b, loc, type,
                                         DenseElementsAttr::get(type, value)));
}

void WorkloadBuilder::rollback() {
  for (Operation *op : llvm::reverse(created))
    b.eraseOp(op);
  created.clear();
}

} // namespace fungible::import
