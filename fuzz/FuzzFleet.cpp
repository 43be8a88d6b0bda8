//===- FuzzFleet.cpp - --devices, --fail and fleet files -> the runtime ---===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The runtime's readers of what a user types: the first line is a
// --devices string, the second a --fail string, the rest a fleet file.
// A fleet that parses must be within the documented caps.
//
//===----------------------------------------------------------------------===//

#include "runtime/Schedule.h"

#include <cmath>
#include <cstdlib>

using namespace fungible::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto [devices, rest] = text.split('\n');
  auto [failure, fleet] = rest.split('\n');
  llvm::Expected<std::vector<Device>> parsed = parseDevices(devices);
  if (parsed) {
    if (parsed->empty() || parsed->size() > kMaxDevices)
      std::abort();
  } else {
    llvm::consumeError(parsed.takeError());
  }
  llvm::Expected<Failure> f = parseFailure(failure);
  if (f) {
    if (!(f->time >= 0) || !std::isfinite(f->time))
      std::abort();
  } else {
    llvm::consumeError(f.takeError());
  }
  llvm::Expected<Fleet> file = parseFleet(fleet, "fuzz.json");
  if (file) {
    if (file->devices.empty() || file->devices.size() > kMaxDevices)
      std::abort();
  } else {
    llvm::consumeError(file.takeError());
  }
  return 0;
}
