//===- LaunchPlan.h - A GPU program as a list of launches -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the launch plan: the host side of a function lowered
// for a GPU (its buffers, its gpu.launch_func ops in order, what it
// returns), written by scripts/gpu-check/plan.py so that a machine with
// CUDA but no MLIR can replay it (fungible-gpu-check). Plain C++17, like
// the rest of runtime/cuda. The text format, one directive per line, '#'
// starting a comment:
//
//   module <binary> <PTX file, relative to the plan's directory>
//   buffer <id> <element type> <rank> <sizes...> [input <salt>]
//   view <id> <buffer id> <offset> <rank> <sizes...> <strides...>
//   launch <binary> <kernel> <gx> <gy> <gz> <bx> <by> <bz> <shared bytes>
//   arg <index|i64|i32|i16|i8|i1|f64|f32|f16|bf16> <bits, 0x hex>
//   arg memref <buffer id>
//   arg tensormap <buffer id> <swizzle bytes> <rank> <box sizes...>
//   end
//   output <buffer id>
//
// Buffer ids count up from 0 in order; a view takes the next id too. An
// input buffer is filled with inputValue(i, salt) converted to its element
// type. A view is a strided window on a buffer (a reshape, a subview: what
// memref.expand_shape, collapse_shape and subview make), with no memory of
// its own; its offset and strides are in elements, and every element it
// spans must lie within the buffer. A memref argument is passed as MLIR's
// expanded descriptor: allocated and aligned pointers, the offset, the
// sizes and the strides (a buffer's: 0 and row-major). A tensormap
// argument is a pointer to the TMA tensor map of a buffer or view (what
// nvgpu.tma.create.descriptor describes), which the replay encodes with
// cuTensorMapEncodeTiled into device memory: boxes of the given sizes (in
// the buffer's dimension order, outermost first), swizzled in 0 (none),
// 32, 64 or 128-byte rows, zeros past the edges.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_CUDA_LAUNCHPLAN_H
#define FUNGIBLE_RUNTIME_CUDA_LAUNCHPLAN_H

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace fungible::cuda {

struct PlanBuffer {
  std::string elementType;
  std::vector<std::int64_t> sizes;
  /// Set for the function's arguments: the salt of inputValue.
  std::optional<int> inputSalt;
  /// Set for a view: the buffer it is a window on, and the window's
  /// offset and strides in elements.
  std::optional<unsigned> viewOf;
  std::int64_t offset = 0;
  std::vector<std::int64_t> strides;

  /// The strides of the descriptor: a view's, or row-major.
  std::vector<std::int64_t> getStrides() const;

  std::int64_t getNumElements() const;
  std::size_t getElementBytes() const;
  std::size_t getBytes() const { return getNumElements() * getElementBytes(); }
};

struct PlanArgument {
  /// A scalar type name, "memref" or "tensormap".
  std::string type;
  /// The scalar's bits, or the buffer id of a memref or tensor map.
  std::uint64_t value = 0;
  /// A tensor map's box (outermost dimension first) and swizzle bytes.
  std::vector<std::int64_t> box;
  unsigned swizzle = 0;
};

/// What cuTensorMapEncodeTiled takes for a tensor map of a plan buffer
/// (CUDA's order: innermost dimension first; its enums as numbers).
struct TensorMapRequest {
  /// CUtensorMapDataType.
  int dataType = 0;
  /// Bytes from the buffer's allocation to the view's first element.
  std::uint64_t byteOffset = 0;
  std::vector<std::uint64_t> dims;
  /// Bytes between consecutive indices of dimensions 1 to rank - 1.
  std::vector<std::uint64_t> strides;
  std::vector<std::uint32_t> box;
  /// CUtensorMapSwizzle.
  int swizzle = 0;
};

struct LaunchPlan;
/// The tensor map of `argument` (a tensormap argument of `plan`), or
/// nothing with `error` set to what TMA cannot take: a rank past 5, a box
/// size outside 1 to 256, an element type without a TMA
/// type, a view that is not contiguous in its last dimension, strides or a
/// first element not on 16 bytes, a swizzled box row wider than its
/// swizzle.
std::optional<TensorMapRequest> describeTensorMap(const LaunchPlan &plan,
                                                  const PlanArgument &argument,
                                                  std::string &error);

struct PlanLaunch {
  std::string module, kernel;
  unsigned grid[3] = {1, 1, 1}, block[3] = {1, 1, 1};
  unsigned sharedBytes = 0;
  std::vector<PlanArgument> arguments;
};

struct LaunchPlan {
  /// Binary name -> PTX path (as written in the plan).
  std::vector<std::pair<std::string, std::string>> modules;
  std::vector<PlanBuffer> buffers;
  std::vector<PlanLaunch> launches;
  std::vector<unsigned> outputs;

  /// Parses a plan; on a malformed one returns nothing and sets `error` to
  /// "<name>:<line>: <what is wrong>".
  static std::optional<LaunchPlan> parse(std::istream &in,
                                         const std::string &name,
                                         std::string &error);
};

/// Bytes of a scalar of `type` (0 for an unknown type name).
std::size_t getScalarBytes(const std::string &type);

/// The deterministic input value of element `i` for `salt`, in [-0.5, 0.5).
float inputValue(std::int64_t i, int salt);

/// Writes element `i` of a buffer of `elementType` holding `value` (floats
/// rounded to nearest even; integers get round(value * 100)). False for an
/// element type that has no conversion.
bool storeElement(const std::string &elementType, float value, void *to);

} // namespace fungible::cuda

#endif // FUNGIBLE_RUNTIME_CUDA_LAUNCHPLAN_H
