//===- GpuCheckMain.cpp - Replay a launch plan on a GPU ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// fungible-gpu-check PLAN OUT [--repeats N] [--driver LIBCUDA]
//
// Replays a launch plan (LaunchPlan.h) on device 0: loads its PTX modules,
// fills the input buffers with their deterministic values, runs every launch
// in order once (waiting after each, so a failure names its launch), copies
// the outputs back, then times the whole sequence `repeats` more times with
// driver events. It writes OUT/input<id>.bin and OUT/output<k>.bin (raw
// little-endian elements) and OUT/manifest.txt:
//
//   device <name> sm_<compute capability>
//   input <id> <element type> <sizes...>
//   output <k> <buffer id> <element type> <sizes...>
//   time_ms <milliseconds per run> repeats <N>
//
// scripts/gpu-check/check.py compares the outputs with a reference. Plain
// C++17 and the CUDA driver through dlopen: it builds on a machine with a
// C++ compiler and a GPU driver and nothing else. Exits 1 with a message on
// any failure (no driver, a PTX the driver rejects, a failed launch).
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/LaunchPlan.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

using namespace fungible::cuda;

namespace {

int fail(const std::string &message) {
  std::cerr << "fungible-gpu-check: " << message << "\n";
  return 1;
}

std::string directoryOf(const std::string &path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

bool writeFile(const std::string &path, const void *data, std::size_t bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char *>(data), bytes);
  return static_cast<bool>(out);
}

std::string describeBuffer(const PlanBuffer &buffer) {
  std::string text = buffer.elementType;
  for (std::int64_t size : buffer.sizes)
    text += " " + std::to_string(size);
  return text;
}

/// The kernel parameters of one launch: storage for each value and the
/// array of their addresses that cuLaunchKernel reads.
struct LaunchArguments {
  std::vector<std::uint64_t> storage;
  std::vector<void *> pointers;
};

LaunchArguments marshal(const PlanLaunch &launch, const LaunchPlan &plan,
                        const std::vector<std::uint64_t> &devicePointers) {
  LaunchArguments args;
  for (const PlanArgument &argument : launch.arguments) {
    if (argument.type != "memref") {
      args.storage.push_back(argument.value); // Little-endian: low bytes.
      continue;
    }
    // MLIR's expanded memref descriptor: allocated and aligned pointers,
    // offset, sizes, row-major strides.
    const PlanBuffer &buffer = plan.buffers[argument.value];
    std::uint64_t pointer = devicePointers[argument.value];
    args.storage.push_back(pointer);
    args.storage.push_back(pointer);
    args.storage.push_back(0);
    for (std::int64_t size : buffer.sizes)
      args.storage.push_back(static_cast<std::uint64_t>(size));
    std::vector<std::uint64_t> strides(buffer.sizes.size(), 1);
    for (std::size_t i = buffer.sizes.size(); i-- > 1;)
      strides[i - 1] = strides[i] * buffer.sizes[i];
    args.storage.insert(args.storage.end(), strides.begin(), strides.end());
  }
  for (std::uint64_t &slot : args.storage)
    args.pointers.push_back(&slot);
  return args;
}

} // namespace

int main(int argc, char **argv) {
  std::string planPath, outDir, driverLibrary = "libcuda.so.1";
  int repeats = 10;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--repeats" && i + 1 < argc) {
      repeats = std::atoi(argv[++i]);
      if (repeats < 1)
        return fail("--repeats must be at least 1");
    } else if (arg == "--driver" && i + 1 < argc) {
      driverLibrary = argv[++i];
    } else if (planPath.empty()) {
      planPath = arg;
    } else if (outDir.empty()) {
      outDir = arg;
    } else {
      return fail("unexpected argument '" + arg +
                  "' (usage: fungible-gpu-check PLAN OUT [--repeats N] "
                  "[--driver LIBCUDA])");
    }
  }
  if (outDir.empty())
    return fail("usage: fungible-gpu-check PLAN OUT [--repeats N] "
                "[--driver LIBCUDA]");

  std::ifstream planFile(planPath);
  if (!planFile)
    return fail("cannot read the plan " + planPath);
  std::string error;
  std::optional<LaunchPlan> plan = LaunchPlan::parse(planFile, planPath, error);
  if (!plan)
    return fail(error);

  std::unique_ptr<Driver> driver = Driver::load(error, driverLibrary.c_str());
  if (!driver)
    return fail(error);

  // Modules and kernels.
  std::map<std::string, void *> modules;
  for (const auto &[binary, path] : plan->modules) {
    std::string fullPath = directoryOf(planPath) + "/" + path;
    std::ifstream in(fullPath);
    if (!in)
      return fail("cannot read the PTX " + fullPath);
    std::stringstream ptx;
    ptx << in.rdbuf();
    void *module = driver->loadModule(ptx.str(), error);
    if (!module)
      return fail(fullPath + ": " + error);
    modules[binary] = module;
  }
  std::vector<void *> functions;
  for (const PlanLaunch &launch : plan->launches) {
    void *function =
        driver->getFunction(modules[launch.module], launch.kernel, error);
    if (!function)
      return fail(launch.module + "::" + launch.kernel + ": " + error);
    functions.push_back(function);
  }

  // Buffers: inputs get their values; everything else starts as all-ones
  // bytes (NaN for floats), so an element no kernel writes shows.
  std::vector<std::uint64_t> devicePointers;
  int status = 0;
  std::ofstream manifest(outDir + "/manifest.txt");
  if (!manifest)
    return fail("cannot write " + outDir + "/manifest.txt");
  manifest << "device " << driver->getName() << " sm_"
           << driver->getComputeCapability() << "\n";
  for (std::size_t id = 0; id < plan->buffers.size(); ++id) {
    const PlanBuffer &buffer = plan->buffers[id];
    std::size_t bytes = buffer.getBytes();
    std::uint64_t pointer = 0;
    if (!driver->allocate(bytes ? bytes : 1, pointer, error)) {
      status = fail("buffer " + std::to_string(id) + " (" +
                    std::to_string(bytes) + " bytes): " + error);
      break;
    }
    devicePointers.push_back(pointer);
    std::vector<unsigned char> host(bytes, 0xFF);
    if (buffer.inputSalt) {
      std::size_t width = buffer.getElementBytes();
      for (std::int64_t i = 0; i < buffer.getNumElements(); ++i)
        if (!storeElement(buffer.elementType, inputValue(i, *buffer.inputSalt),
                          host.data() + i * width))
          return fail("no input values for element type " +
                      buffer.elementType);
      std::string name = "input" + std::to_string(id) + ".bin";
      if (!writeFile(outDir + "/" + name, host.data(), bytes))
        return fail("cannot write " + outDir + "/" + name);
      manifest << "input " << id << " " << describeBuffer(buffer) << "\n";
    }
    if (!driver->copyToDevice(pointer, host.data(), bytes, error)) {
      status = fail("buffer " + std::to_string(id) + ": " + error);
      break;
    }
  }

  // One checked run, then the timed runs.
  std::vector<LaunchArguments> arguments;
  for (const PlanLaunch &launch : plan->launches)
    arguments.push_back(marshal(launch, *plan, devicePointers));
  for (std::size_t i = 0; !status && i < plan->launches.size(); ++i) {
    const PlanLaunch &launch = plan->launches[i];
    if (!driver->launch(functions[i], launch.grid, launch.block,
                        launch.sharedBytes, arguments[i].pointers.data(),
                        /*wait=*/true, error))
      status = fail("launch " + std::to_string(i) + " (" + launch.module +
                    "::" + launch.kernel + "): " + error);
  }
  for (std::size_t k = 0; !status && k < plan->outputs.size(); ++k) {
    unsigned id = plan->outputs[k];
    const PlanBuffer &buffer = plan->buffers[id];
    std::vector<unsigned char> host(buffer.getBytes());
    if (!driver->copyToHost(host.data(), devicePointers[id], host.size(),
                            error)) {
      status = fail("output " + std::to_string(k) + ": " + error);
      break;
    }
    std::string name = "output" + std::to_string(k) + ".bin";
    if (!writeFile(outDir + "/" + name, host.data(), host.size()))
      status = fail("cannot write " + outDir + "/" + name);
    manifest << "output " << k << " " << id << " " << describeBuffer(buffer)
             << "\n";
  }
  float milliseconds = 0;
  if (!status &&
      !driver->timeRegion(
          [&](std::string &error) {
            for (std::size_t i = 0; i < plan->launches.size(); ++i) {
              const PlanLaunch &launch = plan->launches[i];
              if (!driver->launch(functions[i], launch.grid, launch.block,
                                  launch.sharedBytes,
                                  arguments[i].pointers.data(),
                                  /*wait=*/false, error))
                return false;
            }
            return true;
          },
          repeats, milliseconds, error))
    status = fail("timed runs: " + error);
  if (!status) {
    manifest << "time_ms " << milliseconds / repeats << " repeats " << repeats
             << "\n";
    std::printf("%s: %zu launches, %.4f ms per run (%d runs) on %s\n",
                planPath.c_str(), plan->launches.size(),
                milliseconds / repeats, repeats, driver->getName().c_str());
  }
  for (std::uint64_t pointer : devicePointers)
    driver->release(pointer, error);
  return status;
}
