//===- Target.cpp - Target defaults and the registry ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements Target's defaults and TargetRegistry.
//
//===----------------------------------------------------------------------===//

#include "targets/PluginAPI/Target.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace fungible {

StringRef stringifyBound(Bound bound) {
  switch (bound) {
  case Bound::Compute:
    return "compute";
  case Bound::Memory:
    return "memory";
  case Bound::Overhead:
    return "overhead";
  }
  llvm_unreachable("unknown bound");
}

std::optional<Bound> parseBound(StringRef name) {
  return StringSwitch<std::optional<Bound>>(name)
      .Case("compute", Bound::Compute)
      .Case("memory", Bound::Memory)
      .Case("overhead", Bound::Overhead)
      .Default(std::nullopt);
}

StringRef stringifyObjective(Objective objective) {
  switch (objective) {
  case Objective::Time:
    return "time";
  case Objective::Energy:
    return "energy";
  case Objective::Dollars:
    return "dollars";
  }
  llvm_unreachable("unknown objective");
}

std::optional<Objective> parseObjective(StringRef name) {
  return StringSwitch<std::optional<Objective>>(name)
      .Case("time", Objective::Time)
      .Case("energy", Objective::Energy)
      .Case("dollars", Objective::Dollars)
      .Default(std::nullopt);
}

StringRef stringifyKernelKind(KernelKind kind) {
  switch (kind) {
  case KernelKind::Contraction:
    return "contraction";
  case KernelKind::Elementwise:
    return "elementwise";
  case KernelKind::Reduction:
    return "reduction";
  case KernelKind::DataMovement:
    return "data_movement";
  case KernelKind::Opaque:
    return "opaque";
  }
  llvm_unreachable("unknown kernel kind");
}

Target::Target(ChipSpec chipSpec) : spec(std::move(chipSpec)) {
  for (const std::string &line : spec.unsourcedFigures()) {
    if (!unsourcedSummary.empty())
      unsourcedSummary += ", ";
    unsourcedSummary += line.substr(0, line.find(" ("));
  }
}

Target::~Target() = default;

Expected<bool> Target::buildLoweringPipeline(mlir::OpPassManager &) const {
  return false;
}

Expected<bool> Target::buildEmulationPipeline(mlir::OpPassManager &) const {
  return false;
}

Expected<bool>
Target::buildProgramEmulationPipeline(mlir::OpPassManager &) const {
  return false;
}

Error Target::serialize(mlir::Operation *kernel, raw_ostream &os) const {
  kernel->print(os);
  return Error::success();
}

Error TargetRegistry::add(std::unique_ptr<Target> target) {
  std::string name = target->getName().str();
  if (targets.count(name))
    return createStringError(inconvertibleErrorCode(),
                             "target '%s' is already registered", name.c_str());
  targets[name] = std::move(target);
  return Error::success();
}

const Target *TargetRegistry::lookup(StringRef name) const {
  auto it = targets.find(name);
  return it == targets.end() ? nullptr : it->second.get();
}

std::unique_ptr<Target> TargetRegistry::take(StringRef name) {
  auto it = targets.find(name);
  if (it == targets.end())
    return nullptr;
  std::unique_ptr<Target> target = std::move(it->second);
  targets.erase(it);
  return target;
}

std::vector<std::string> TargetRegistry::getNames() const {
  std::vector<std::string> names;
  for (const auto &entry : targets)
    names.push_back(entry.first().str());
  llvm::sort(names);
  return names;
}

Error TargetRegistry::unknownTarget(StringRef name) const {
  std::vector<std::string> names = getNames();
  return createStringError(
      inconvertibleErrorCode(), "unknown target '%s'; known targets: %s",
      name.str().c_str(), names.empty() ? "(none)" : join(names, ", ").c_str());
}

} // namespace fungible
