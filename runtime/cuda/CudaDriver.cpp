//===- CudaDriver.cpp - The CUDA driver API, loaded at run time -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CUDA device layer (CudaDriver.h). The driver's
// types are declared here by their ABI (handles are pointers, CUresult and
// CUdevice are ints, device pointers 64-bit), so no CUDA header is needed
// to build it; the entry points are the versioned symbols cuda.h's macros
// name in CUDA 12 and 13.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/LaunchPlan.h"

#include <dlfcn.h>

namespace fungible::cuda {

namespace {
using Result = int; // CUresult; 0 is CUDA_SUCCESS.
using DevicePtr = std::uint64_t;
constexpr int kComputeCapabilityMajor = 75, kComputeCapabilityMinor = 76;
// cuModuleLoadDataEx options: CU_JIT_ERROR_LOG_BUFFER and its size.
constexpr int kJitErrorLogBuffer = 5, kJitErrorLogBufferSize = 6;
// CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, and the dynamic shared
// memory a kernel may use without raising it.
constexpr int kMaxDynamicSharedSizeBytes = 8;
constexpr unsigned kDefaultDynamicSharedBytes = 48 * 1024;
} // namespace

struct Api {
  Result (*init)(unsigned);
  Result (*deviceGet)(int *, int);
  Result (*deviceGetCount)(int *);
  Result (*deviceGetName)(char *, int, int);
  Result (*deviceGetAttribute)(int *, int, int);
  Result (*primaryCtxRetain)(void **, int);
  Result (*primaryCtxRelease)(int);
  Result (*ctxSetCurrent)(void *);
  Result (*ctxSynchronize)();
  Result (*moduleLoadDataEx)(void **, const void *, unsigned, int *, void **);
  Result (*moduleGetFunction)(void **, void *, const char *);
  Result (*moduleUnload)(void *);
  Result (*memAlloc)(DevicePtr *, std::size_t);
  Result (*memFree)(DevicePtr);
  Result (*memcpyHtoD)(DevicePtr, const void *, std::size_t);
  Result (*memcpyDtoH)(void *, DevicePtr, std::size_t);
  Result (*funcSetAttribute)(void *, int, int);
  Result (*launchKernel)(void *, unsigned, unsigned, unsigned, unsigned,
                         unsigned, unsigned, unsigned, void *, void **,
                         void **);
  Result (*eventCreate)(void **, unsigned);
  Result (*eventRecord)(void *, void *);
  Result (*eventSynchronize)(void *);
  Result (*eventElapsedTime)(float *, void *, void *);
  Result (*eventDestroy)(void *);
  Result (*getErrorString)(Result, const char **);
  /// Null where the driver predates TMA (CUDA 12).
  Result (*tensorMapEncodeTiled)(TensorMap *, int, std::uint32_t, void *,
                                 const std::uint64_t *, const std::uint64_t *,
                                 const std::uint32_t *, const std::uint32_t *,
                                 int, int, int, int);
};

namespace {

/// Resolves the first of `names` that `library` exports into `slot`.
template <typename Fn>
bool resolve(void *library, Fn &slot, std::initializer_list<const char *> names,
             std::string &missing) {
  for (const char *name : names)
    if (void *symbol = dlsym(library, name)) {
      slot = reinterpret_cast<Fn>(symbol);
      return true;
    }
  missing = *names.begin();
  return false;
}

} // namespace

std::string Driver::describe(const char *what, int result) const {
  const char *text = nullptr;
  if (!api || !api->getErrorString || api->getErrorString(result, &text) ||
      !text)
    text = "unknown CUDA error";
  return std::string(what) + ": " + text + " (CUresult " +
         std::to_string(result) + ")";
}

std::unique_ptr<Driver> Driver::load(std::string &error, const char *path) {
  std::unique_ptr<Driver> driver(new Driver());
  driver->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!driver->library) {
    const char *why = dlerror();
    error = std::string("cannot load the CUDA driver (") + path +
            "): " + (why ? why : "unknown error");
    return nullptr;
  }
  driver->api = std::make_unique<Api>();
  Api &a = *driver->api;
  void *l = driver->library;
  std::string missing;
  bool ok =
      resolve(l, a.init, {"cuInit"}, missing) &&
      resolve(l, a.deviceGet, {"cuDeviceGet"}, missing) &&
      resolve(l, a.deviceGetCount, {"cuDeviceGetCount"}, missing) &&
      resolve(l, a.deviceGetName, {"cuDeviceGetName"}, missing) &&
      resolve(l, a.deviceGetAttribute, {"cuDeviceGetAttribute"}, missing) &&
      resolve(l, a.primaryCtxRetain, {"cuDevicePrimaryCtxRetain"}, missing) &&
      resolve(l, a.primaryCtxRelease,
              {"cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"},
              missing) &&
      resolve(l, a.ctxSetCurrent, {"cuCtxSetCurrent"}, missing) &&
      resolve(l, a.ctxSynchronize, {"cuCtxSynchronize"}, missing) &&
      resolve(l, a.moduleLoadDataEx, {"cuModuleLoadDataEx"}, missing) &&
      resolve(l, a.moduleGetFunction, {"cuModuleGetFunction"}, missing) &&
      resolve(l, a.moduleUnload, {"cuModuleUnload"}, missing) &&
      resolve(l, a.memAlloc, {"cuMemAlloc_v2"}, missing) &&
      resolve(l, a.memFree, {"cuMemFree_v2"}, missing) &&
      resolve(l, a.memcpyHtoD, {"cuMemcpyHtoD_v2"}, missing) &&
      resolve(l, a.memcpyDtoH, {"cuMemcpyDtoH_v2"}, missing) &&
      resolve(l, a.funcSetAttribute, {"cuFuncSetAttribute"}, missing) &&
      resolve(l, a.launchKernel, {"cuLaunchKernel"}, missing) &&
      resolve(l, a.eventCreate, {"cuEventCreate"}, missing) &&
      resolve(l, a.eventRecord, {"cuEventRecord"}, missing) &&
      resolve(l, a.eventSynchronize, {"cuEventSynchronize"}, missing) &&
      resolve(l, a.eventElapsedTime,
              {"cuEventElapsedTime_v2", "cuEventElapsedTime"}, missing) &&
      resolve(l, a.eventDestroy, {"cuEventDestroy_v2", "cuEventDestroy"},
              missing) &&
      resolve(l, a.getErrorString, {"cuGetErrorString"}, missing);
  if (!ok) {
    error = std::string("the CUDA driver (") + path + ") lacks " + missing;
    return nullptr;
  }
  std::string optional;
  if (!resolve(l, a.tensorMapEncodeTiled, {"cuTensorMapEncodeTiled"}, optional))
    a.tensorMapEncodeTiled = nullptr;
  int count = 0;
  if (Result r = a.init(0)) {
    error = driver->describe("cuInit", r);
    return nullptr;
  }
  if (Result r = a.deviceGetCount(&count)) {
    error = driver->describe("cuDeviceGetCount", r);
    return nullptr;
  }
  if (count < 1) {
    error = "the CUDA driver sees no device";
    return nullptr;
  }
  int major = 0, minor = 0;
  char name[256] = {0};
  if (Result r = a.deviceGet(&driver->device, 0)) {
    error = driver->describe("cuDeviceGet", r);
    return nullptr;
  }
  if (Result r = a.deviceGetName(name, sizeof(name) - 1, driver->device)) {
    error = driver->describe("cuDeviceGetName", r);
    return nullptr;
  }
  if (Result r = a.deviceGetAttribute(&major, kComputeCapabilityMajor,
                                      driver->device)) {
    error = driver->describe("cuDeviceGetAttribute", r);
    return nullptr;
  }
  a.deviceGetAttribute(&minor, kComputeCapabilityMinor, driver->device);
  driver->name = name;
  driver->computeCapability = major * 10 + minor;
  if (Result r = a.primaryCtxRetain(&driver->context, driver->device)) {
    error = driver->describe("cuDevicePrimaryCtxRetain", r);
    return nullptr;
  }
  if (Result r = a.ctxSetCurrent(driver->context)) {
    error = driver->describe("cuCtxSetCurrent", r);
    return nullptr;
  }
  return driver;
}

Driver::~Driver() {
  if (api && context)
    api->primaryCtxRelease(device);
  // The driver library stays loaded: unloading libcuda is not supported
  // while the process may still hold driver state.
}

void *Driver::loadModule(const std::string &ptx, std::string &error) {
  char log[8192] = {0};
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1)};
  void *module = nullptr;
  if (Result r =
          api->moduleLoadDataEx(&module, ptx.c_str(), 2, options, values)) {
    error = describe("cuModuleLoadDataEx", r) + (log[0] ? "\n" : "") + log;
    return nullptr;
  }
  return module;
}

bool Driver::encodeTensorMap(const TensorMapRequest &request,
                             std::uint64_t globalAddress, TensorMap &map,
                             std::string &error) {
  if (!api->tensorMapEncodeTiled) {
    error = "the CUDA driver lacks cuTensorMapEncodeTiled (TMA needs CUDA 12 "
            "or later)";
    return false;
  }
  // CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE,
  // CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE (zeros).
  constexpr int kInterleaveNone = 0, kL2PromotionNone = 0, kOobZeros = 0;
  std::vector<std::uint32_t> elementStrides(request.dims.size(), 1);
  if (Result r = api->tensorMapEncodeTiled(
          &map, request.dataType,
          static_cast<std::uint32_t>(request.dims.size()),
          reinterpret_cast<void *>(globalAddress + request.byteOffset),
          request.dims.data(), request.strides.data(), request.box.data(),
          elementStrides.data(), kInterleaveNone, request.swizzle,
          kL2PromotionNone, kOobZeros)) {
    error = describe("cuTensorMapEncodeTiled", r);
    return false;
  }
  return true;
}

void *Driver::getFunction(void *module, const std::string &kernel,
                          std::string &error) {
  void *function = nullptr;
  if (Result r = api->moduleGetFunction(&function, module, kernel.c_str())) {
    error = describe(("cuModuleGetFunction(" + kernel + ")").c_str(), r);
    return nullptr;
  }
  // A handle can be one an unloaded module's function had: nothing is
  // allowed it yet.
  dynamicSharedAllowed.erase(function);
  return function;
}

bool Driver::unloadModule(void *module, std::string &error) {
  if (Result r = api->moduleUnload(module)) {
    error = describe("cuModuleUnload", r);
    return false;
  }
  return true;
}

bool Driver::allocate(std::size_t bytes, std::uint64_t &pointer,
                      std::string &error) {
  if (Result r = api->memAlloc(&pointer, bytes ? bytes : 1)) {
    error = describe("cuMemAlloc", r);
    return false;
  }
  return true;
}

bool Driver::release(std::uint64_t pointer, std::string &error) {
  if (Result r = api->memFree(pointer)) {
    error = describe("cuMemFree", r);
    return false;
  }
  return true;
}

bool Driver::copyToDevice(std::uint64_t to, const void *from,
                          std::size_t bytes, std::string &error) {
  if (Result r = api->memcpyHtoD(to, from, bytes)) {
    error = describe("cuMemcpyHtoD", r);
    return false;
  }
  return true;
}

bool Driver::copyToHost(void *to, std::uint64_t from, std::size_t bytes,
                        std::string &error) {
  if (Result r = api->memcpyDtoH(to, from, bytes)) {
    error = describe("cuMemcpyDtoH", r);
    return false;
  }
  return true;
}

bool Driver::launch(void *function, const unsigned grid[3],
                    const unsigned block[3], unsigned sharedBytes, void **args,
                    bool wait, std::string &error) {
  // Past 48 KiB, a kernel's dynamic shared memory has to be allowed first
  // (once per function: the largest asked for so far).
  if (sharedBytes > kDefaultDynamicSharedBytes &&
      sharedBytes > dynamicSharedAllowed[function]) {
    if (Result r = api->funcSetAttribute(function, kMaxDynamicSharedSizeBytes,
                                         static_cast<int>(sharedBytes))) {
      std::string what = "cuFuncSetAttribute(max dynamic shared memory " +
                         std::to_string(sharedBytes) + " bytes)";
      error = describe(what.c_str(), r);
      return false;
    }
    dynamicSharedAllowed[function] = sharedBytes;
  }
  if (Result r = api->launchKernel(function, grid[0], grid[1], grid[2],
                                   block[0], block[1], block[2], sharedBytes,
                                   nullptr, args, nullptr)) {
    error = describe("cuLaunchKernel", r);
    return false;
  }
  if (wait)
    if (Result r = api->ctxSynchronize()) {
      error = describe("cuCtxSynchronize (the kernel failed)", r);
      return false;
    }
  return true;
}

bool Driver::timeLaunches(void *function, const unsigned grid[3],
                          const unsigned block[3], unsigned sharedBytes,
                          void **args, int repeats, float &milliseconds,
                          std::string &error) {
  return timeRegion(
      [&](std::string &error) {
        return launch(function, grid, block, sharedBytes, args, false, error);
      },
      repeats, milliseconds, error);
}

bool Driver::timeRegion(const std::function<bool(std::string &)> &enqueue,
                        int repeats, float &milliseconds, std::string &error) {
  void *start = nullptr, *stop = nullptr;
  if (Result r = api->eventCreate(&start, 0)) {
    error = describe("cuEventCreate", r);
    return false;
  }
  if (Result r = api->eventCreate(&stop, 0)) {
    api->eventDestroy(start);
    error = describe("cuEventCreate", r);
    return false;
  }
  bool ok = true;
  if (Result r = api->eventRecord(start, nullptr)) {
    error = describe("cuEventRecord", r);
    ok = false;
  }
  for (int i = 0; ok && i < repeats; ++i)
    ok = enqueue(error);
  if (ok)
    if (Result r = api->eventRecord(stop, nullptr)) {
      error = describe("cuEventRecord", r);
      ok = false;
    }
  if (ok)
    if (Result r = api->eventSynchronize(stop)) {
      error = describe("cuEventSynchronize (a kernel failed)", r);
      ok = false;
    }
  if (ok)
    if (Result r = api->eventElapsedTime(&milliseconds, start, stop)) {
      error = describe("cuEventElapsedTime", r);
      ok = false;
    }
  api->eventDestroy(start);
  api->eventDestroy(stop);
  return ok;
}

} // namespace fungible::cuda
