//===- GpuCheckMain.cpp - Replay a launch plan on a GPU ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// fungible-gpu-check PLAN OUT [--repeats N] [--runs N] [--no-data]
//   [--driver LIBCUDA]
// fungible-gpu-check --plans LIST [same options]
//
// Replays a launch plan (LaunchPlan.h) on device 0: loads its PTX modules,
// fills the input buffers with their deterministic values, runs every launch
// in order once (waiting after each, so a failure names its launch), copies
// the outputs back, then times the whole sequence: `repeats` more times
// between two driver events (their mean), and, with --runs, N more times
// one by one after 3 warm-up runs (their median and spread, what the cost
// model's fidelity is measured with). It writes OUT/input<id>.bin and
// OUT/output<k>.bin (raw little-endian elements; not with --no-data) and
// OUT/manifest.txt:
//
//   device <name> sm_<compute capability>
//   input <id> <element type> <sizes...>
//   output <k> <buffer id> <element type> <sizes...>
//   time_ms <milliseconds per run> repeats <N>
//   median_ms <median of the runs> spread <IQR / median> runs <N>
//
// With --plans, LIST names one "PLAN OUT" pair per line; every plan is
// replayed in turn by one process (one driver initialisation), and one that
// fails is reported without stopping the others. scripts/gpu-check/check.py
// compares the outputs with a reference; scripts/gpu-check/measurements.py
// turns the times into the cost model's measurement file. Plain C++17 and
// the CUDA driver through dlopen: it builds on a machine with a C++
// compiler and a GPU driver and nothing else. Exits 1 with a message on
// any failure (no driver, a PTX the driver rejects, a failed launch).
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/LaunchPlan.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <sys/stat.h>

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

/// `tensorMaps` holds the device address of each tensormap argument's map,
/// in order.
LaunchArguments marshal(const PlanLaunch &launch, const LaunchPlan &plan,
                        const std::vector<std::uint64_t> &devicePointers,
                        const std::vector<std::uint64_t> &tensorMaps) {
  LaunchArguments args;
  std::size_t nextMap = 0;
  for (const PlanArgument &argument : launch.arguments) {
    if (argument.type == "tensormap") {
      args.storage.push_back(tensorMaps[nextMap++]);
      continue;
    }
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
    args.storage.push_back(static_cast<std::uint64_t>(buffer.offset));
    for (std::int64_t size : buffer.sizes)
      args.storage.push_back(static_cast<std::uint64_t>(size));
    for (std::int64_t stride : buffer.getStrides())
      args.storage.push_back(static_cast<std::uint64_t>(stride));
  }
  for (std::uint64_t &slot : args.storage)
    args.pointers.push_back(&slot);
  return args;
}

struct Options {
  int repeats = 10, runs = 0;
  bool writeData = true;
};

/// The median of `times` and their interquartile range over it.
std::pair<double, double> medianAndSpread(std::vector<float> times) {
  std::sort(times.begin(), times.end());
  auto quantile = [&](double q) {
    double at = q * (times.size() - 1);
    std::size_t low = static_cast<std::size_t>(at);
    std::size_t high = std::min(low + 1, times.size() - 1);
    return times[low] + (at - low) * (times[high] - times[low]);
  };
  double median = quantile(0.5);
  return {median, median > 0 ? (quantile(0.75) - quantile(0.25)) / median : 0};
}

/// Replays the plan at `planPath` on `driver`, writing to `outDir` (made if
/// missing); 0, or 1 after printing why.
int replay(Driver &driver, const std::string &planPath,
           const std::string &outDir, const Options &options) {
  if (::mkdir(outDir.c_str(), 0755) != 0 && errno != EEXIST)
    return fail("cannot make " + outDir + ": " + std::strerror(errno));
  std::ifstream planFile(planPath);
  if (!planFile)
    return fail("cannot read the plan " + planPath);
  std::string error;
  std::optional<LaunchPlan> plan = LaunchPlan::parse(planFile, planPath, error);
  if (!plan)
    return fail(error);

  // Modules and kernels.
  std::map<std::string, void *> modules;
  auto unload = [&] {
    std::string ignored;
    for (auto &[binary, module] : modules)
      driver.unloadModule(module, ignored);
  };
  for (const auto &[binary, path] : plan->modules) {
    std::string fullPath = directoryOf(planPath) + "/" + path;
    std::ifstream in(fullPath);
    if (!in) {
      unload();
      return fail("cannot read the PTX " + fullPath);
    }
    std::stringstream ptx;
    ptx << in.rdbuf();
    void *module = driver.loadModule(ptx.str(), error);
    if (!module) {
      unload();
      return fail(fullPath + ": " + error);
    }
    modules[binary] = module;
  }
  std::vector<void *> functions;
  for (const PlanLaunch &launch : plan->launches) {
    void *function =
        driver.getFunction(modules[launch.module], launch.kernel, error);
    if (!function) {
      unload();
      return fail(launch.module + "::" + launch.kernel + ": " + error);
    }
    functions.push_back(function);
  }

  // Buffers: inputs get their values; everything else starts as all-ones
  // bytes (NaN for floats), so an element no kernel writes shows. A view
  // has its buffer's pointer (its offset is in its descriptor).
  std::vector<std::uint64_t> devicePointers;
  std::vector<std::uint64_t> allocated;
  int status = 0;
  std::ofstream manifest(outDir + "/manifest.txt");
  if (!manifest) {
    unload();
    return fail("cannot write " + outDir + "/manifest.txt");
  }
  manifest << "device " << driver.getName() << " sm_"
           << driver.getComputeCapability() << "\n";
  for (std::size_t id = 0; id < plan->buffers.size(); ++id) {
    const PlanBuffer &buffer = plan->buffers[id];
    if (buffer.viewOf) {
      devicePointers.push_back(devicePointers[*buffer.viewOf]);
      continue;
    }
    std::size_t bytes = buffer.getBytes();
    std::uint64_t pointer = 0;
    if (!driver.allocate(bytes ? bytes : 1, pointer, error)) {
      status = fail("buffer " + std::to_string(id) + " (" +
                    std::to_string(bytes) + " bytes): " + error);
      break;
    }
    devicePointers.push_back(pointer);
    allocated.push_back(pointer);
    std::vector<unsigned char> host(bytes, 0xFF);
    if (buffer.inputSalt) {
      std::size_t width = buffer.getElementBytes();
      for (std::int64_t i = 0; !status && i < buffer.getNumElements(); ++i)
        if (!storeElement(buffer.elementType, inputValue(i, *buffer.inputSalt),
                          host.data() + i * width))
          status =
              fail("no input values for element type " + buffer.elementType);
      if (status)
        break;
      std::string name = "input" + std::to_string(id) + ".bin";
      if (options.writeData &&
          !writeFile(outDir + "/" + name, host.data(), bytes)) {
        status = fail("cannot write " + outDir + "/" + name);
        break;
      }
      manifest << "input " << id << " " << describeBuffer(buffer) << "\n";
    }
    if (!driver.copyToDevice(pointer, host.data(), bytes, error)) {
      status = fail("buffer " + std::to_string(id) + ": " + error);
      break;
    }
  }

  // The tensor maps of TMA loads, each in device memory of its own.
  std::vector<std::vector<std::uint64_t>> tensorMaps(plan->launches.size());
  for (std::size_t i = 0; !status && i < plan->launches.size(); ++i)
    for (const PlanArgument &argument : plan->launches[i].arguments) {
      if (argument.type != "tensormap" || status)
        continue;
      std::string where = "launch " + std::to_string(i) +
                          ": tensor map of buffer " +
                          std::to_string(argument.value) + ": ";
      std::optional<TensorMapRequest> request =
          describeTensorMap(*plan, argument, error);
      TensorMap map;
      std::uint64_t pointer = 0;
      if (!request ||
          !driver.encodeTensorMap(*request, devicePointers[argument.value], map,
                                  error) ||
          !driver.allocate(sizeof(map), pointer, error)) {
        status = fail(where + error);
        break;
      }
      allocated.push_back(pointer);
      if (!driver.copyToDevice(pointer, &map, sizeof(map), error)) {
        status = fail(where + error);
        break;
      }
      tensorMaps[i].push_back(pointer);
    }

  // One checked run, then the timed runs.
  std::vector<LaunchArguments> arguments;
  for (std::size_t i = 0; !status && i < plan->launches.size(); ++i)
    arguments.push_back(
        marshal(plan->launches[i], *plan, devicePointers, tensorMaps[i]));
  for (std::size_t i = 0; !status && i < plan->launches.size(); ++i) {
    const PlanLaunch &launch = plan->launches[i];
    if (!driver.launch(functions[i], launch.grid, launch.block,
                       launch.sharedBytes, arguments[i].pointers.data(),
                       /*wait=*/true, error))
      status = fail("launch " + std::to_string(i) + " (" + launch.module +
                    "::" + launch.kernel + "): " + error);
  }
  for (std::size_t k = 0; !status && k < plan->outputs.size(); ++k) {
    unsigned id = plan->outputs[k];
    const PlanBuffer &buffer = plan->buffers[id];
    manifest << "output " << k << " " << id << " " << describeBuffer(buffer)
             << "\n";
    if (!options.writeData)
      continue;
    std::vector<unsigned char> host(buffer.getBytes());
    if (!driver.copyToHost(host.data(), devicePointers[id], host.size(),
                           error)) {
      status = fail("output " + std::to_string(k) + ": " + error);
      break;
    }
    std::string name = "output" + std::to_string(k) + ".bin";
    if (!writeFile(outDir + "/" + name, host.data(), host.size()))
      status = fail("cannot write " + outDir + "/" + name);
  }
  auto enqueue = [&](std::string &error) {
    for (std::size_t i = 0; i < plan->launches.size(); ++i) {
      const PlanLaunch &launch = plan->launches[i];
      if (!driver.launch(functions[i], launch.grid, launch.block,
                         launch.sharedBytes, arguments[i].pointers.data(),
                         /*wait=*/false, error))
        return false;
    }
    return true;
  };
  float milliseconds = 0;
  if (!status && options.repeats > 0) {
    if (!driver.timeRegion(enqueue, options.repeats, milliseconds, error)) {
      status = fail("timed runs: " + error);
    } else {
      manifest << "time_ms " << milliseconds / options.repeats << " repeats "
               << options.repeats << "\n";
      std::printf("%s: %zu launches, %.4f ms per run (%d runs) on %s\n",
                  planPath.c_str(), plan->launches.size(),
                  milliseconds / options.repeats, options.repeats,
                  driver.getName().c_str());
    }
  }
  // Run by run: each between its own pair of events, after a warm-up.
  std::vector<float> times;
  for (int run = -3; !status && run < options.runs && options.runs > 0; ++run) {
    float one = 0;
    if (!driver.timeRegion(enqueue, 1, one, error))
      status = fail("timed run: " + error);
    else if (run >= 0)
      times.push_back(one);
  }
  if (!status && !times.empty()) {
    auto [median, spread] = medianAndSpread(times);
    manifest << "median_ms " << median << " spread " << spread << " runs "
             << times.size() << "\n";
    std::printf("%s: %zu launches, median %.4f ms (spread %.3f, %zu runs)\n",
                planPath.c_str(), plan->launches.size(), median, spread,
                times.size());
  }
  for (std::uint64_t pointer : allocated)
    driver.release(pointer, error);
  unload();
  return status;
}

} // namespace

int main(int argc, char **argv) {
  const char *usage = "usage: fungible-gpu-check PLAN OUT | --plans LIST "
                      "[--repeats N] [--runs N] [--no-data] [--driver LIBCUDA]";
  std::string listPath, driverLibrary = "libcuda.so.1";
  std::vector<std::string> positional;
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--repeats" || arg == "--runs") && i + 1 < argc) {
      int value = std::atoi(argv[++i]);
      if (value < (arg == "--runs" ? 1 : 0))
        return fail(arg + " must be at least " + (arg == "--runs" ? "1" : "0"));
      (arg == "--runs" ? options.runs : options.repeats) = value;
    } else if (arg == "--no-data") {
      options.writeData = false;
    } else if (arg == "--plans" && i + 1 < argc) {
      listPath = argv[++i];
    } else if (arg == "--driver" && i + 1 < argc) {
      driverLibrary = argv[++i];
    } else if (positional.size() < 2) {
      positional.push_back(arg);
    } else {
      return fail("unexpected argument '" + arg + "' (" + usage + ")");
    }
  }
  std::vector<std::pair<std::string, std::string>> plans;
  if (!listPath.empty()) {
    if (!positional.empty())
      return fail(std::string("--plans and a PLAN: give one (") + usage + ")");
    std::ifstream list(listPath);
    if (!list)
      return fail("cannot read the plan list " + listPath);
    std::string line;
    for (int number = 1; std::getline(list, line); ++number) {
      std::istringstream words(line);
      std::string plan, out, extra;
      if (!(words >> plan))
        continue;
      if (!(words >> out) || (words >> extra))
        return fail(listPath + ":" + std::to_string(number) +
                    ": expected '<plan> <output directory>'");
      plans.emplace_back(plan, out);
    }
    if (plans.empty())
      return fail(listPath + " lists no plan");
  } else if (positional.size() != 2) {
    return fail(usage);
  } else {
    plans.emplace_back(positional[0], positional[1]);
  }

  // A plan that does not parse fails before the driver is needed.
  for (const auto &[path, out] : plans) {
    std::ifstream planFile(path);
    if (!planFile)
      return fail("cannot read the plan " + path);
    std::string error;
    if (!LaunchPlan::parse(planFile, path, error))
      return fail(error);
  }
  std::string error;
  std::unique_ptr<Driver> driver = Driver::load(error, driverLibrary.c_str());
  if (!driver)
    return fail(error);
  int failed = 0;
  for (const auto &[path, out] : plans)
    failed += replay(*driver, path, out, options);
  if (failed && plans.size() > 1)
    std::fprintf(stderr, "fungible-gpu-check: %d of %zu plans failed\n", failed,
                 plans.size());
  return failed ? 1 : 0;
}
