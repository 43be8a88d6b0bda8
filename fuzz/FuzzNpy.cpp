//===- FuzzNpy.cpp - .npy bytes -> the host executor's reader -------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// An --inputs .npy file read into an argument: the first byte picks the
// argument's type (f32, f16, i32 or i8, of 1 to 64 elements in one or two
// dimensions), the rest is the file. What is read must have the type's
// size.
//
//===----------------------------------------------------------------------===//

#include "runtime/HostExecutor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <cstdlib>

using namespace fungible::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext context;
  if (size < 1)
    return 0;
  uint8_t pick = data[0];
  mlir::Type elements[] = {mlir::Float32Type::get(&context),
                           mlir::Float16Type::get(&context),
                           mlir::IntegerType::get(&context, 32),
                           mlir::IntegerType::get(&context, 8)};
  mlir::Type element = elements[pick & 3];
  int64_t n = 1 + ((pick >> 2) & 7) * 8;
  llvm::SmallVector<int64_t> shape =
      pick & 0x80 ? llvm::SmallVector<int64_t>{n / 4 + 1, 4}
                  : llvm::SmallVector<int64_t>{n};
  auto type = mlir::RankedTensorType::get(shape, element);
  llvm::StringRef bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  llvm::Expected<HostTensor> t = parseNpy(bytes, "fuzz.npy", type);
  if (!t) {
    llvm::consumeError(t.takeError());
    return 0;
  }
  unsigned width = (element.getIntOrFloatBitWidth() + 7) / 8;
  if (t->data.size() != size_t(type.getNumElements()) * width)
    std::abort();
  return 0;
}
