//===- WorkloadDialect.cpp - The wl dialect ---------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file registers the ops of the wl dialect and defines the helpers of
// WorkloadCostInterface and the StaticShapes trait.
//
//===----------------------------------------------------------------------===//

#include "dialects/Workload/WorkloadDialect.h"
#include "dialects/Workload/WorkloadOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/InliningUtils.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace fungible::wl;

#include "dialects/Workload/WorkloadDialect.cpp.inc"
#include "dialects/Workload/WorkloadEnums.cpp.inc"
#include "dialects/Workload/WorkloadInterfaces.cpp.inc"

namespace {
/// Every wl op is pure and carries no symbol: a call to a function of wl
/// ops can be inlined (the tools inline calls before outlining kernels).
struct WLInlinerInterface : DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
  bool isLegalToInline(Region *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

void WLDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Workload/WorkloadOps.cpp.inc"
      >();
  addInterfaces<WLInlinerInterface>();
}

Operation *WLDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}

LogicalResult WLDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  Attribute value = attribute.getValue();
  auto expect = [&](bool ok, StringRef what) -> LogicalResult {
    if (ok)
      return success();
    return op->emitError() << "'" << name << "' must be " << what << ", not "
                           << value;
  };
  auto isNonEmptyString = [](Attribute a) {
    auto s = dyn_cast<StringAttr>(a);
    return s && !s.getValue().empty();
  };
  auto isDictionaryOf = [](Attribute a, function_ref<bool(Attribute)> ok) {
    auto d = dyn_cast<DictionaryAttr>(a);
    return d && llvm::all_of(d, [&](NamedAttribute entry) {
             return ok(entry.getValue());
           });
  };
  if (name == TargetAttrHelper::getNameStr() ||
      name == CheapestAttrHelper::getNameStr() ||
      name == KernelAttrHelper::getNameStr() ||
      name == KernelFingerprintAttrHelper::getNameStr())
    return expect(isNonEmptyString(value), "a non-empty string");
  if (name == EstimatesAttrHelper::getNameStr())
    return expect(
        isDictionaryOf(value,
                       [](Attribute a) { return isa<DictionaryAttr>(a); }),
        "a dictionary of chip -> estimate dictionary");
  if (name == PlacementAttrHelper::getNameStr())
    return expect(isa<DictionaryAttr>(value), "a dictionary");
  if (name == CompiledAttrHelper::getNameStr()) {
    auto array = dyn_cast<ArrayAttr>(value);
    return expect(array && llvm::all_of(array, isNonEmptyString),
                  "an array of chip names");
  }
  if (name == NotCompiledAttrHelper::getNameStr())
    return expect(isDictionaryOf(value, isNonEmptyString),
                  "a dictionary of chip -> reason");
  if (name == ScheduleAttrHelper::getNameStr()) {
    // {device, position: integers >= 0; start, end: seconds, start <= end}.
    auto d = dyn_cast<DictionaryAttr>(value);
    auto count = [&](StringRef key) {
      auto i = d ? d.getAs<IntegerAttr>(key) : IntegerAttr();
      return i && i.getType().isInteger(64) && i.getInt() >= 0;
    };
    auto seconds = [&](StringRef key) {
      auto f = d ? d.getAs<FloatAttr>(key) : FloatAttr();
      return f && f.getValueAsDouble() >= 0 ? f.getValueAsDouble() : -1.0;
    };
    return expect(d && d.size() == 4 && count("device") && count("position") &&
                      seconds("start") >= 0 &&
                      seconds("end") >= seconds("start"),
                  "a dictionary {device, position: i64 >= 0; start, end: "
                  "seconds, start <= end}");
  }
  return op->emitError()
         << "unknown attribute '" << name
         << "' of the wl dialect (known: wl.target, wl.estimates, "
            "wl.cheapest, wl.placement, wl.compiled, wl.not_compiled, "
            "wl.kernel, wl.kernel_fingerprint, wl.schedule)";
}

int64_t fungible::wl::detail::elementBytes(Type type) {
  return (static_cast<int64_t>(type.getIntOrFloatBitWidth()) + 7) / 8;
}

int64_t fungible::wl::detail::tensorBytes(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getNumElements() * elementBytes(type.getElementType());
}

int64_t fungible::wl::detail::sumTensorBytes(ValueRange values) {
  int64_t total = 0;
  for (Value value : values)
    if (auto type = dyn_cast<RankedTensorType>(value.getType()))
      if (type.hasStaticShape() && type.getElementType().isIntOrFloat())
        total += tensorBytes(value);
  return total;
}

LogicalResult fungible::wl::detail::verifyStaticShapes(Operation *op) {
  auto check = [&](Type type, StringRef what, unsigned index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return success();
    if (!tensor.hasStaticShape())
      return op->emitOpError("dynamic shapes are not supported yet: ")
             << what << " #" << index << " has type " << type;
    // Work counts are int64_t: a tensor's size in bytes must fit.
    if (!tensor.getElementType().isIntOrFloat())
      return success();
    int64_t bytes = elementBytes(tensor.getElementType());
    for (int64_t dim : tensor.getShape())
      if (llvm::MulOverflow(bytes, dim, bytes))
        return op->emitOpError("tensor too large: the size in bytes of ")
               << what << " #" << index << " (" << type
               << ") does not fit in 64 bits";
    return success();
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}
