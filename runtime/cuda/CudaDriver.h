//===- CudaDriver.h - The CUDA driver API, loaded at run time ---*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the runtime's CUDA device layer: the few driver API
// calls that run PTX (load a module, allocate, copy, launch, time), taken
// from libcuda.so.1 with dlopen. Nothing links against CUDA and nothing
// here needs MLIR or LLVM: the layer builds with a bare C++17 compiler, so
// scripts/gpu-check.sh can carry its sources to a GPU machine that has
// CUDA but no LLVM. Every call reports failure as a message (the driver's
// own error string), never by aborting.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_CUDA_CUDADRIVER_H
#define FUNGIBLE_RUNTIME_CUDA_CUDADRIVER_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace fungible::cuda {

struct Api;
struct TensorMapRequest;

/// A CUtensorMap: 128 opaque bytes, 64-byte aligned.
struct alignas(64) TensorMap {
  std::uint64_t words[16];
};

/// Device 0 of the machine, through its primary context.
class Driver {
public:
  ~Driver();
  Driver(const Driver &) = delete;
  Driver &operator=(const Driver &) = delete;

  /// Loads libcuda.so.1 (or `library`), initialises the driver and makes
  /// device 0's primary context current. Null with `error` set when there
  /// is no driver, no device or a call fails.
  static std::unique_ptr<Driver> load(std::string &error,
                                      const char *library = "libcuda.so.1");

  /// The device's name and compute capability x 10 (90 for sm_90).
  const std::string &getName() const { return name; }
  int getComputeCapability() const { return computeCapability; }

  /// Loads PTX text (JIT-compiled by the driver for this device); returns
  /// the module handle or null with `error` set (the driver's JIT log
  /// included).
  void *loadModule(const std::string &ptx, std::string &error);
  /// Unloads a module loadModule returned; false with `error` set when the
  /// driver refuses.
  bool unloadModule(void *module, std::string &error);
  /// The kernel `name` of `module`, or null with `error` set.
  void *getFunction(void *module, const std::string &name,
                    std::string &error);

  /// Device memory. Each returns false with `error` set on failure.
  bool allocate(std::size_t bytes, std::uint64_t &pointer, std::string &error);
  bool release(std::uint64_t pointer, std::string &error);
  bool copyToDevice(std::uint64_t to, const void *from, std::size_t bytes,
                    std::string &error);
  bool copyToHost(void *to, std::uint64_t from, std::size_t bytes,
                  std::string &error);

  /// Encodes the TMA tensor map `request` describes of the device memory
  /// at `globalAddress` (cuTensorMapEncodeTiled, CUDA 12 and later: no
  /// interleave, no L2 promotion, zeros past the edges); false with
  /// `error` set when the driver lacks it or refuses the request.
  bool encodeTensorMap(const TensorMapRequest &request,
                       std::uint64_t globalAddress, TensorMap &map,
                       std::string &error);

  /// Launches `function` on a grid of `grid` CTAs of `block` threads with
  /// `sharedBytes` of dynamic shared memory (allowed first past 48 KiB);
  /// `args` holds the address of each kernel argument. Waits for it when
  /// `wait` is set.
  bool launch(void *function, const unsigned grid[3], const unsigned block[3],
              unsigned sharedBytes, void **args, bool wait,
              std::string &error);

  /// Milliseconds between two points of the default stream, measured with
  /// driver events around `repeats` launches of `function`.
  bool timeLaunches(void *function, const unsigned grid[3],
                    const unsigned block[3], unsigned sharedBytes, void **args,
                    int repeats, float &milliseconds, std::string &error);

  /// Milliseconds of the work `enqueue` puts on the default stream, called
  /// `repeats` times between two driver events (it launches without
  /// waiting and returns false with `error` set on failure).
  bool timeRegion(const std::function<bool(std::string &)> &enqueue,
                  int repeats, float &milliseconds, std::string &error);

private:
  Driver() = default;
  /// `what` failed with `result`: "<what>: <driver's error string>".
  std::string describe(const char *what, int result) const;

  void *library = nullptr;
  std::unique_ptr<Api> api;
  /// The dynamic shared memory each function was allowed past 48 KiB.
  std::map<void *, unsigned> dynamicSharedAllowed;
  int device = 0;
  void *context = nullptr;
  std::string name;
  int computeCapability = 0;
};

} // namespace fungible::cuda

#endif // FUNGIBLE_RUNTIME_CUDA_CUDADRIVER_H
