//===- HostTensor.cpp - Tensors in host memory and .npy files ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements host tensors: their element sizes, deterministic
// random contents, constants, and .npy files (HostTensor.h).
//
//===----------------------------------------------------------------------===//

#include "runtime/HostTensor.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace mlir;
using namespace llvm;

namespace fungible::runtime {

static Error hostError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

unsigned elementBytes(Type type) {
  // An index is 64 bits on the host the JIT compiles for (the data layout's
  // default), as the kernels' memrefs of index hold it.
  if (type.isIndex())
    return 8;
  return (type.getIntOrFloatBitWidth() + 7) / 8;
}

RankedTensorType tensorForInput(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor;
  if (type.isIndex())
    return RankedTensorType::get({}, IntegerType::get(type.getContext(), 64));
  if (type.isIntOrFloat())
    return RankedTensorType::get({}, type);
  return {};
}

/// Stores `value` as one element of float type `type` at `out`.
static void storeFloat(FloatType type, double value, char *out) {
  if (type.isF32()) {
    float f = static_cast<float>(value);
    std::memcpy(out, &f, 4);
    return;
  }
  APFloat f(value);
  bool lost;
  f.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
  uint64_t bits = f.bitcastToAPInt().getZExtValue();
  std::memcpy(out, &bits, elementBytes(type));
}

/// The element at `in` of float type `type`, as a float.
static float loadFloat(FloatType type, const char *in) {
  if (type.isF32()) {
    float f;
    std::memcpy(&f, in, 4);
    return f;
  }
  uint64_t bits = 0;
  std::memcpy(&bits, in, elementBytes(type));
  APFloat f(type.getFloatSemantics(), APInt(type.getWidth(), bits));
  return f.convertToFloat();
}

static float loadFloatOrZero(Type type, const char *in) {
  return isa<FloatType>(type) ? loadFloat(cast<FloatType>(type), in) : 0;
}

HostTensor randomTensor(RankedTensorType type, uint64_t seed) {
  HostTensor t{type, {}};
  Type elem = type.getElementType();
  unsigned bytes = elementBytes(elem);
  int64_t n = type.getNumElements();
  t.data.resize(n * bytes);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> real(-0.5, 0.5);
  for (int64_t i = 0; i < n; ++i) {
    char *out = t.data.data() + i * bytes;
    if (auto f = dyn_cast<FloatType>(elem)) {
      storeFloat(f, real(rng), out);
    } else {
      int64_t v = static_cast<int64_t>(rng() % 7);
      std::memcpy(out, &v, bytes); // little-endian
    }
  }
  return t;
}

Expected<HostTensor> constantTensor(Attribute value, RankedTensorType type) {
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || dense.getElementType().isInteger(1))
    return hostError("constants other than dense tensors are not supported "
                     "by the runtime yet");
  HostTensor t{type, {}};
  ArrayRef<char> raw = dense.getRawData();
  unsigned bytes = elementBytes(type.getElementType());
  int64_t n = type.getNumElements();
  if (dense.isSplat()) {
    t.data.resize(n * bytes);
    for (int64_t i = 0; i < n; ++i)
      std::memcpy(t.data.data() + i * bytes, raw.data(), bytes);
  } else {
    t.data.assign(raw.data(), raw.data() + raw.size());
  }
  return t;
}

Error writeNpy(const HostTensor &tensor, StringRef path) {
  Type elem = tensor.type.getElementType();
  bool isFloat = isa<FloatType>(elem), isDouble = elem.isF64();
  std::string shape;
  for (int64_t d : tensor.type.getShape())
    shape += std::to_string(d) + ", ";
  if (tensor.type.getRank() > 1)
    shape.resize(shape.size() - 1);
  std::string header =
      formatv("{{'descr': '{0}', 'fortran_order': False, 'shape': ({1}), }",
              isDouble  ? "<f8"
              : isFloat ? "<f4"
                        : "<i4",
              StringRef(shape).rtrim())
          .str();
  // Magic (6) + version (2) + length (2) + header, padded to 64 with '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return hostError("cannot write '" + path + "': " + ec.message());
  os << "\x93NUMPY" << char(1) << char(0);
  uint16_t length = header.size();
  os << char(length & 0xff) << char(length >> 8) << header;
  unsigned bytes = elementBytes(elem);
  int64_t n = tensor.type.getNumElements();
  for (int64_t i = 0; i < n; ++i) {
    const char *in = tensor.data.data() + i * bytes;
    if (isDouble) {
      os.write(in, 8);
    } else if (isFloat) {
      float f = loadFloatOrZero(elem, in);
      os.write(reinterpret_cast<const char *>(&f), 4);
    } else {
      int64_t v = 0;
      std::memcpy(&v, in, bytes);
      if (bytes == 1)
        v = static_cast<int8_t>(v);
      int32_t w = static_cast<int32_t>(v);
      os.write(reinterpret_cast<const char *>(&w), 4);
    }
  }
  return Error::success();
}

Expected<HostTensor> readNpy(StringRef path, RankedTensorType type) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return hostError("cannot read '" + path +
                     "': " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path, type);
}

Expected<HostTensor> parseNpy(StringRef text, StringRef path,
                              RankedTensorType type) {
  if (text.size() < 10 || !text.starts_with("\x93NUMPY"))
    return hostError(path + ": not a .npy file");
  size_t length = uint8_t(text[8]) | uint8_t(text[9]) << 8;
  if (text.size() < 10 + length)
    return hostError(path + ": truncated header");
  StringRef header = text.substr(10, length);
  // The element type: NumPy's descr, little-endian (or byte-sized).
  size_t descrAt = header.find("'descr':");
  StringRef descr;
  if (descrAt != StringRef::npos) {
    size_t q0 = header.find('\'', descrAt + 8);
    size_t q1 = q0 == StringRef::npos ? q0 : header.find('\'', q0 + 1);
    if (q1 != StringRef::npos)
      descr = header.slice(q0 + 1, q1);
  }
  enum class Kind { Float, Signed, Unsigned, Bool };
  std::optional<std::pair<Kind, unsigned>> source =
      llvm::StringSwitch<std::optional<std::pair<Kind, unsigned>>>(descr)
          .Case("<f8", std::make_pair(Kind::Float, 8u))
          .Case("<f4", std::make_pair(Kind::Float, 4u))
          .Case("<f2", std::make_pair(Kind::Float, 2u))
          .Case("<i8", std::make_pair(Kind::Signed, 8u))
          .Case("<i4", std::make_pair(Kind::Signed, 4u))
          .Case("<i2", std::make_pair(Kind::Signed, 2u))
          .Case("|i1", std::make_pair(Kind::Signed, 1u))
          .Case("|u1", std::make_pair(Kind::Unsigned, 1u))
          .Case("|b1", std::make_pair(Kind::Bool, 1u))
          .Default(std::nullopt);
  if (!source)
    return hostError(path + ": arrays of '" + descr +
                     "' are not read (float64/32/16, int64/32/16/8, uint8 "
                     "or bool, little-endian)");
  auto [kind, width] = *source;
  if (header.contains("'fortran_order': True"))
    return hostError(path + ": Fortran-ordered arrays are not read");
  size_t open = header.find("'shape': ("), close = header.find(')', open);
  if (open == StringRef::npos || close == StringRef::npos)
    return hostError(path + ": no shape in the header");
  SmallVector<int64_t> shape;
  SmallVector<StringRef> dims;
  header.slice(open + 10, close).split(dims, ',', -1, false);
  for (StringRef d : dims) {
    int64_t v;
    if (d.trim().getAsInteger(10, v))
      return hostError(path + ": bad shape");
    shape.push_back(v);
  }
  if (ArrayRef<int64_t>(shape) != type.getShape())
    return hostError(formatv("{0}: shape ({1}) does not match {2}", path,
                             header.slice(open + 10, close), type)
                         .str());
  StringRef body = text.substr(10 + length);
  int64_t n = type.getNumElements();
  if (body.size() < size_t(n) * width)
    return hostError(path + ": truncated data");
  HostTensor t{type, {}};
  Type elem = type.getElementType();
  unsigned bytes = elementBytes(elem);
  unsigned elemBits = elem.getIntOrFloatBitWidth();
  t.data.resize(n * bytes);
  for (int64_t i = 0; i < n; ++i) {
    const char *in = body.data() + i * width;
    char *out = t.data.data() + i * bytes;
    // Integers stay exact (an int64 above 2^53 would not survive a double).
    double value = 0;
    int64_t integer = 0;
    if (kind == Kind::Float) {
      if (width == 8) {
        std::memcpy(&value, in, 8);
      } else if (width == 4) {
        float f;
        std::memcpy(&f, in, 4);
        value = f;
      } else {
        uint16_t bits;
        std::memcpy(&bits, in, 2);
        value = APFloat(APFloat::IEEEhalf(), APInt(16, bits)).convertToFloat();
      }
      // NaN, infinities and values past int64_t's range have no integer
      // (converting them is undefined behaviour); an integer argument
      // rejects them below.
      bool convertible =
          std::isfinite(value) && value >= -0x1p63 && value < 0x1p63;
      if (!convertible && !isa<FloatType>(elem))
        return hostError(formatv("{0}: element {1} ({2}) is not an integer, "
                                 "but the argument is {3}",
                                 path, i, llvm::format("%g", value), type)
                             .str());
      integer = convertible ? static_cast<int64_t>(value) : 0;
    } else {
      uint64_t raw = 0;
      std::memcpy(&raw, in, width);
      integer = kind == Kind::Signed ? SignExtend64(raw, width * 8)
                                     : static_cast<int64_t>(raw);
      value = static_cast<double>(integer);
    }
    if (auto f = dyn_cast<FloatType>(elem)) {
      storeFloat(f, value, out);
      continue;
    }
    if (kind == Kind::Float && value != static_cast<double>(integer))
      return hostError(formatv("{0}: element {1} ({2}) is not an integer, "
                               "but the argument is {3}",
                               path, i, llvm::format("%g", value), type)
                           .str());
    if (!isIntN(elemBits, integer))
      return hostError(formatv("{0}: element {1} ({2}) does not fit {3}", path,
                               i, integer, elem)
                           .str());
    std::memcpy(out, &integer, bytes);
  }
  return t;
}

} // namespace fungible::runtime
