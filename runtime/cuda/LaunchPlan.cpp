//===- LaunchPlan.cpp - A GPU program as a list of launches -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the launch plan's parser and input values
// (LaunchPlan.h).
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/LaunchPlan.h"

#include <cmath>
#include <cstring>
#include <sstream>

namespace fungible::cuda {

namespace {
/// TMA's limits: dimensions, elements of a box along each, and the
/// alignment of the first element and of the strides (bytes).
constexpr std::size_t kMaxTensorMapRank = 5;
constexpr std::int64_t kMaxBoxSize = 256;
constexpr std::uint64_t kTensorMapAlignment = 16;
} // namespace

std::size_t getScalarBytes(const std::string &type) {
  if (type == "index" || type == "i64" || type == "f64")
    return 8;
  if (type == "i32" || type == "f32")
    return 4;
  if (type == "i16" || type == "f16" || type == "bf16")
    return 2;
  if (type == "i8" || type == "i1")
    return 1;
  return 0;
}

std::int64_t PlanBuffer::getNumElements() const {
  std::int64_t count = 1;
  for (std::int64_t size : sizes)
    count *= size;
  return count;
}

std::vector<std::int64_t> PlanBuffer::getStrides() const {
  if (viewOf)
    return strides;
  std::vector<std::int64_t> rowMajor(sizes.size(), 1);
  for (std::size_t i = sizes.size(); i-- > 1;)
    rowMajor[i - 1] = rowMajor[i] * sizes[i];
  return rowMajor;
}

std::size_t PlanBuffer::getElementBytes() const {
  return getScalarBytes(elementType);
}

float inputValue(std::int64_t i, int salt) {
  return static_cast<float>((i * 37 + salt * 11) % 101) / 101.0f - 0.5f;
}

namespace {

std::uint32_t floatBits(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

/// f32 -> bf16, rounding to nearest even (NaN stays NaN).
std::uint16_t toBf16(float value) {
  std::uint32_t bits = floatBits(value);
  if (std::isnan(value))
    return static_cast<std::uint16_t>((bits >> 16) | 0x40);
  bits += 0x7FFF + ((bits >> 16) & 1);
  return static_cast<std::uint16_t>(bits >> 16);
}

/// f32 -> f16, rounding to nearest even; for the inputs' range (|x| < 1)
/// and anything finite up to 65504, with subnormals.
std::uint16_t toF16(float value) {
  std::uint32_t bits = floatBits(value);
  std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000);
  float magnitude = std::fabs(value);
  if (std::isnan(value))
    return sign | 0x7E00;
  if (magnitude >= 65520.0f)
    return sign | 0x7C00;
  if (magnitude < 6.103515625e-05f) { // Subnormal: multiples of 2^-24.
    float units = std::nearbyint(magnitude * 16777216.0f);
    return sign | static_cast<std::uint16_t>(units);
  }
  int exponent;
  float mantissa = std::frexp(magnitude, &exponent); // [0.5, 1)
  float scaled = std::nearbyint(mantissa * 2048.0f); // 11 bits
  if (scaled == 2048.0f) {
    scaled = 1024.0f;
    ++exponent;
  }
  unsigned biased = static_cast<unsigned>(exponent - 1 + 15);
  return sign | static_cast<std::uint16_t>(
                    (biased << 10) | (static_cast<unsigned>(scaled) - 1024));
}

} // namespace

bool storeElement(const std::string &elementType, float value, void *to) {
  if (elementType == "f32") {
    std::memcpy(to, &value, 4);
  } else if (elementType == "f64") {
    double wide = value;
    std::memcpy(to, &wide, 8);
  } else if (elementType == "bf16") {
    std::uint16_t bits = toBf16(value);
    std::memcpy(to, &bits, 2);
  } else if (elementType == "f16") {
    std::uint16_t bits = toF16(value);
    std::memcpy(to, &bits, 2);
  } else if (std::size_t bytes = getScalarBytes(elementType);
             bytes && elementType != "index") {
    std::int64_t integer = std::llround(value * 100.0f);
    if (elementType == "i1")
      integer &= 1;
    std::memcpy(to, &integer, bytes); // Little-endian: the low bytes.
  } else {
    return false;
  }
  return true;
}

std::optional<TensorMapRequest> describeTensorMap(const LaunchPlan &plan,
                                                  const PlanArgument &argument,
                                                  std::string &error) {
  auto fail = [&](const std::string &what) {
    error = what;
    return std::nullopt;
  };
  if (argument.value >= plan.buffers.size())
    return fail("no buffer " + std::to_string(argument.value));
  const PlanBuffer &buffer = plan.buffers[argument.value];
  // CUtensorMapDataType of the element types a plan has.
  static const std::pair<const char *, int> kDataTypes[] = {
      {"i8", 0},  {"i16", 1}, {"i32", 3}, {"i64", 5},
      {"f16", 6}, {"f32", 7}, {"f64", 8}, {"bf16", 9}};
  TensorMapRequest request;
  request.dataType = -1;
  for (auto [name, type] : kDataTypes)
    if (buffer.elementType == name)
      request.dataType = type;
  if (request.dataType < 0)
    return fail("TMA has no " + buffer.elementType + " elements");
  std::size_t rank = buffer.sizes.size();
  if (rank == 0 || rank > kMaxTensorMapRank)
    return fail("rank " + std::to_string(rank) + ": TMA takes 1 to 5");
  if (argument.box.size() != rank)
    return fail("a box of rank " + std::to_string(argument.box.size()) +
                " for a buffer of rank " + std::to_string(rank));
  // CUtensorMapSwizzle: none, 32, 64 and 128 bytes.
  static const unsigned kSwizzles[] = {0, 32, 64, 128};
  request.swizzle = -1;
  for (int i = 0; i < 4; ++i)
    if (argument.swizzle == kSwizzles[i])
      request.swizzle = i;
  if (request.swizzle < 0)
    return fail("swizzle " + std::to_string(argument.swizzle) +
                " bytes: 0, 32, 64 or 128");
  std::size_t elementBytes = buffer.getElementBytes();
  std::vector<std::int64_t> strides = buffer.getStrides();
  if (strides.back() != 1)
    return fail("its last dimension is not contiguous (stride " +
                std::to_string(strides.back()) + ")");
  request.byteOffset = buffer.offset * elementBytes;
  if (request.byteOffset % kTensorMapAlignment)
    return fail("its first element is " + std::to_string(request.byteOffset) +
                " bytes into its buffer, not a multiple of 16");
  for (std::size_t i = rank; i-- > 0;) {
    std::int64_t size = buffer.sizes[i], box = argument.box[i];
    // A box may reach past the edges (zeros are read there).
    if (box < 1 || box > kMaxBoxSize)
      return fail("box size " + std::to_string(box) + " of dimension " +
                  std::to_string(i) + ": 1 to 256");
    request.dims.push_back(static_cast<std::uint64_t>(size));
    request.box.push_back(static_cast<std::uint32_t>(box));
    if (i + 1 == rank)
      continue;
    std::uint64_t bytes = strides[i] * elementBytes;
    if (bytes % kTensorMapAlignment)
      return fail("dimension " + std::to_string(i) + " has a stride of " +
                  std::to_string(bytes) + " bytes, not a multiple of 16");
    request.strides.push_back(bytes);
  }
  if (argument.swizzle && argument.box.back() * elementBytes > argument.swizzle)
    return fail("a box row of " +
                std::to_string(argument.box.back() * elementBytes) +
                " bytes is wider than its " + std::to_string(argument.swizzle) +
                "-byte swizzle");
  return request;
}

std::optional<LaunchPlan> LaunchPlan::parse(std::istream &in,
                                            const std::string &name,
                                            std::string &error) {
  LaunchPlan plan;
  std::string line;
  int number = 0;
  PlanLaunch *open = nullptr;
  auto fail = [&](const std::string &what) {
    error = name + ":" + std::to_string(number) + ": " + what;
    return std::nullopt;
  };
  while (std::getline(in, line)) {
    ++number;
    if (std::size_t hash = line.find('#'); hash != std::string::npos)
      line.resize(hash);
    std::istringstream words(line);
    std::string directive;
    if (!(words >> directive))
      continue;
    if (open && directive != "arg" && directive != "end")
      return fail("'" + directive + "' inside a launch (missing 'end')");
    if (directive == "module") {
      std::string binary, path;
      if (!(words >> binary >> path))
        return fail("expected 'module <binary> <ptx path>'");
      plan.modules.emplace_back(binary, path);
    } else if (directive == "buffer") {
      PlanBuffer buffer;
      std::size_t id, rank;
      if (!(words >> id >> buffer.elementType >> rank))
        return fail("expected 'buffer <id> <element type> <rank> <sizes>'");
      if (id != plan.buffers.size())
        return fail("buffer " + std::to_string(id) + " out of order (next is " +
                    std::to_string(plan.buffers.size()) + ")");
      if (!buffer.getElementBytes() || buffer.elementType == "index")
        return fail("unknown element type '" + buffer.elementType + "'");
      for (std::size_t i = 0; i < rank; ++i) {
        std::int64_t size;
        if (!(words >> size) || size < 0)
          return fail("expected " + std::to_string(rank) +
                      " non-negative sizes");
        buffer.sizes.push_back(size);
      }
      std::string input;
      if (words >> input) {
        int salt;
        if (input != "input" || !(words >> salt))
          return fail("expected 'input <salt>' after the sizes");
        buffer.inputSalt = salt;
      }
      plan.buffers.push_back(std::move(buffer));
    } else if (directive == "view") {
      PlanBuffer view;
      std::size_t id, rank;
      unsigned base;
      if (!(words >> id >> base >> view.offset >> rank))
        return fail("expected 'view <id> <buffer id> <offset> <rank> <sizes> "
                    "<strides>'");
      if (id != plan.buffers.size())
        return fail("view " + std::to_string(id) + " out of order (next is " +
                    std::to_string(plan.buffers.size()) + ")");
      if (base >= plan.buffers.size() || plan.buffers[base].viewOf)
        return fail("view " + std::to_string(id) + " of " +
                    std::to_string(base) +
                    ", which is not a buffer declared before it");
      view.sizes.resize(rank);
      view.strides.resize(rank);
      for (std::int64_t &size : view.sizes)
        if (!(words >> size) || size < 0)
          return fail("expected " + std::to_string(rank) +
                      " non-negative sizes");
      for (std::int64_t &stride : view.strides)
        if (!(words >> stride) || stride < 0)
          return fail("expected " + std::to_string(rank) +
                      " non-negative strides after the sizes");
      // The last element the window reaches must lie within the buffer.
      std::int64_t last = view.offset;
      bool empty = false;
      for (std::size_t i = 0; i < rank; ++i) {
        empty |= view.sizes[i] == 0;
        last += (view.sizes[i] - 1) * view.strides[i];
      }
      const PlanBuffer &buffer = plan.buffers[base];
      if (view.offset < 0 || (!empty && last >= buffer.getNumElements()))
        return fail("view " + std::to_string(id) + " reaches element " +
                    std::to_string(last) + " of buffer " +
                    std::to_string(base) + ", which has " +
                    std::to_string(buffer.getNumElements()));
      view.elementType = buffer.elementType;
      view.viewOf = base;
      plan.buffers.push_back(std::move(view));
    } else if (directive == "launch") {
      PlanLaunch launch;
      if (!(words >> launch.module >> launch.kernel >> launch.grid[0] >>
            launch.grid[1] >> launch.grid[2] >> launch.block[0] >>
            launch.block[1] >> launch.block[2] >> launch.sharedBytes))
        return fail("expected 'launch <binary> <kernel> <grid x y z> "
                    "<block x y z> <shared bytes>'");
      bool known = false;
      for (const auto &module : plan.modules)
        known |= module.first == launch.module;
      if (!known)
        return fail("launch of '" + launch.module +
                    "', which no 'module' line names");
      plan.launches.push_back(std::move(launch));
      open = &plan.launches.back();
    } else if (directive == "arg") {
      if (!open)
        return fail("'arg' outside a launch");
      PlanArgument argument;
      std::string value;
      if (!(words >> argument.type >> value))
        return fail("expected 'arg <type> <value>'");
      char *end = nullptr;
      argument.value = std::strtoull(value.c_str(), &end, 0);
      if (*end)
        return fail("'" + value + "' is not a number");
      if (argument.type == "memref" || argument.type == "tensormap") {
        if (argument.value >= plan.buffers.size())
          return fail(argument.type + " argument names buffer " + value +
                      ", which is not declared before the launch");
      }
      if (argument.type == "tensormap") {
        std::size_t rank;
        if (!(words >> argument.swizzle >> rank) || rank > kMaxTensorMapRank)
          return fail("expected 'arg tensormap <buffer id> <swizzle bytes> "
                      "<rank, at most 5> <box sizes>'");
        argument.box.resize(rank);
        for (std::int64_t &size : argument.box)
          if (!(words >> size))
            return fail("expected " + std::to_string(rank) + " box sizes");
        std::string why;
        if (!describeTensorMap(plan, argument, why))
          return fail("tensor map of buffer " + value + ": " + why);
      } else if (argument.type != "memref" && !getScalarBytes(argument.type)) {
        return fail("unknown argument type '" + argument.type + "'");
      }
      open->arguments.push_back(argument);
    } else if (directive == "end") {
      if (!open)
        return fail("'end' outside a launch");
      open = nullptr;
    } else if (directive == "output") {
      unsigned id;
      if (!(words >> id) || id >= plan.buffers.size())
        return fail("expected 'output <declared buffer id>'");
      if (plan.buffers[id].viewOf)
        return fail("output " + std::to_string(id) +
                    " is a view: outputs are whole buffers");
      plan.outputs.push_back(id);
    } else {
      return fail("unknown directive '" + directive + "'");
    }
  }
  if (open)
    return fail("the last launch has no 'end'");
  if (plan.launches.empty())
    return fail("the plan launches nothing");
  return plan;
}

} // namespace fungible::cuda
