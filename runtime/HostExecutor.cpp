//===- HostExecutor.cpp - Computing kernels' numbers on the host *- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the host executor (HostExecutor.h).
//
//===----------------------------------------------------------------------===//

#include "runtime/HostExecutor.h"
#include "passes/PassSupport.h"

#include "dialects/Workload/WorkloadOps.h"
#include "targets/Kernels.h"
#include "targets/PluginAPI/Target.h"
#include "targets/cpu/CpuJit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Threading.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>

using namespace mlir;
using namespace llvm;

namespace fungible::runtime {

static Error hostError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// Kernel functions compiled for the host in parts, each part its own JIT:
/// the parts compile in parallel, and a long compile reports progress
/// after each part.
struct HostExecutor::Code {
  std::vector<std::unique_ptr<CpuJit>> parts;
  llvm::StringMap<CpuJit *> byFunction;
};

HostExecutor::~HostExecutor() = default;

namespace {
/// JIT-compiles `module` with the pipeline `build` (a member of Target
/// that adds passes ending in the host's LLVM dialect) adds.
Expected<std::unique_ptr<CpuJit>>
compileWith(ModuleOp module, const Target &target,
            Expected<bool> (Target::*build)(OpPassManager &) const) {
  return CpuJit::compile(
      module, CpuJitOptions().optLevel, [&](OpPassManager &pm) {
        Expected<bool> built = (target.*build)(pm);
        if (!built) {
          llvm::consumeError(built.takeError());
          return failure();
        }
        return success();
      });
}
} // namespace

namespace {
/// How many functions each part of `total` holds: a small module is one
/// part (one JIT, as before parts existed); a large one is cut into about
/// four parts per thread, of 16 to 256 functions, so that the threads stay
/// busy and progress is reported often enough.
size_t functionsPerPart(size_t total, unsigned threads) {
  constexpr size_t kOnePart = 32, kMin = 16, kMax = 256;
  if (total <= kOnePart)
    return std::max<size_t>(total, 1);
  size_t wanted = llvm::divideCeil(total, 4 * std::max(threads, 1u));
  return std::clamp(wanted, kMin, kMax);
}
} // namespace

Expected<std::unique_ptr<HostExecutor::Code>> HostExecutor::compileInParts(
    ModuleOp module,
    llvm::function_ref<Expected<std::unique_ptr<CpuJit>>(ModuleOp)> compile) {
  MLIRContext *context = module.getContext();
  std::vector<func::FuncOp> functions(module.getOps<func::FuncOp>().begin(),
                                      module.getOps<func::FuncOp>().end());
  unsigned threads =
      context->isMultithreadingEnabled() ? context->getNumThreads() : 1;
  size_t perPart = functionsPerPart(functions.size(), threads);
  size_t numParts =
      std::max<size_t>(llvm::divideCeil(functions.size(), perPart), 1);
  // Part i: functions [i * perPart, its end), copied into a module of its
  // own (built again, alone, after a failure).
  auto partEnd = [&](size_t i) {
    return std::min((i + 1) * perPart, functions.size());
  };
  auto partModule = [&](size_t i) {
    OwningOpRef<ModuleOp> part = ModuleOp::create(module.getLoc());
    OpBuilder b = OpBuilder::atBlockEnd(part->getBody());
    for (size_t f = i * perPart; f < partEnd(i); ++f)
      b.clone(*functions[f]);
    return part;
  };
  // The parts' modules are built first (in order), then compiled.
  std::vector<OwningOpRef<ModuleOp>> modules;
  for (size_t i = 0; i < numParts; ++i)
    modules.push_back(partModule(i));
  auto code = std::make_unique<Code>();
  code->parts.resize(modules.size());
  std::vector<std::optional<Error>> errors(modules.size());
  std::mutex progressMutex;
  size_t done = 0;
  auto started = std::chrono::steady_clock::now();
  auto compilePart = [&](size_t i) {
    Expected<std::unique_ptr<CpuJit>> jit = compile(*modules[i]);
    if (!jit) {
      errors[i] = jit.takeError();
      return;
    }
    code->parts[i] = std::move(*jit);
    if (!progress)
      return;
    std::lock_guard<std::mutex> lock(progressMutex);
    done += partEnd(i) - i * perPart;
    progress(done, functions.size(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                           started)
                 .count());
  };
  // The first part is compiled alone: its pipeline loads the dialects and
  // registers the translations to LLVM IR, which must not happen while
  // threads use the context. The others then compile in parallel.
  compilePart(0);
  if (!errors[0])
    parallelFor(context, 1, modules.size(), compilePart);
  // A failed part's diagnostics may have gone to another part's handler
  // (they run on threads): it is compiled again, alone, for its message.
  for (size_t i = 0; i < modules.size(); ++i) {
    if (!errors[i])
      continue;
    if (modules.size() == 1)
      return std::move(*errors[i]);
    llvm::consumeError(std::move(*errors[i]));
    OwningOpRef<ModuleOp> again = partModule(i);
    Expected<std::unique_ptr<CpuJit>> jit = compile(*again);
    if (!jit)
      return jit.takeError();
    code->parts[i] = std::move(*jit);
  }
  for (size_t i = 0; i < functions.size(); ++i)
    code->byFunction[functions[i].getName()] = code->parts[i / perPart].get();
  return code;
}

Expected<std::unique_ptr<HostExecutor>>
HostExecutor::create(FunctionOpInterface func, ArrayRef<ModuleOp> variants,
                     Progress progress) {
  MLIRContext *context = func->getContext();
  context->getOrLoadDialect<func::FuncDialect>();
  Location loc = func->getLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder b(module->getBodyRegion());
  std::unique_ptr<HostExecutor> executor(new HostExecutor());
  executor->progress = std::move(progress);
  unsigned index = 0;
  // Identical kernels (a model's repeated layers) share one function: the
  // key is the function's generic form under a fixed name, without
  // locations, so that a module of 48 equal blocks compiles one block.
  llvm::StringMap<unsigned> byBody;
  for (Operation &op : func.getFunctionBody().front()) {
    auto kernel = dyn_cast<wl::KernelOp>(&op);
    if (!kernel)
      continue;
    std::vector<RankedTensorType> results;
    for (Type type : kernel->getResultTypes())
      results.push_back(cast<RankedTensorType>(type));
    std::vector<unsigned> scalarBytes;
    for (Type type : kernel.getInputs().getTypes()) {
      RankedTensorType taken = tensorForInput(type);
      if (!taken) {
        std::string printed;
        llvm::raw_string_ostream os(printed);
        os << type;
        return hostError("kernel '" + kernel.getSymName() +
                         "' takes an input of type " + printed +
                         ": kernels take tensors and scalars");
      }
      scalarBytes.push_back(isa<RankedTensorType>(type)
                                ? 0
                                : elementBytes(taken.getElementType()));
    }
    executor->scalarInputs.push_back(std::move(scalarBytes));
    executor->kernelNames.push_back(kernel.getSymName().str());
    SmallVector<InPlaceUpdate> updates;
    func::FuncOp fn = kernelAsFunction(b, kernel, "k", &updates);
    std::vector<std::pair<unsigned, unsigned>> inPlace;
    std::vector<unsigned> handOver;
    for (const InPlaceUpdate &update : updates) {
      inPlace.emplace_back(update.input, update.result);
      if (isSoleReader(kernel, update.input))
        handOver.push_back(update.input);
    }
    // By result, as run() puts them back among the returned ones.
    llvm::sort(inPlace, [](auto x, auto y) { return x.second < y.second; });
    // The function returns the results not updated in place.
    std::vector<RankedTensorType> returned;
    for (auto [r, type] : llvm::enumerate(results))
      if (llvm::none_of(inPlace, [r = r](auto u) { return u.second == r; }))
        returned.push_back(type);
    executor->resultTypes.push_back(std::move(results));
    executor->returnedTypes.push_back(std::move(returned));
    executor->inPlace.push_back(std::move(inPlace));
    llvm::sort(handOver);
    executor->handOver.push_back(std::move(handOver));
    std::string body;
    llvm::raw_string_ostream os(body);
    fn->print(os, OpPrintingFlags().printGenericOpForm().enableDebugInfo(
                      /*enable=*/false));
    auto [it, inserted] = byBody.try_emplace(body, index);
    if (inserted) {
      fn.setName(("k" + Twine(index)).str());
    } else {
      fn.erase();
    }
    executor->functionNames.push_back("k" + std::to_string(it->second));
    ++index;
  }
  executor->distinctKernels = byBody.size();
  executor->source = module->clone();
  // A fat module's variants, for the kernels they were compiled from.
  bool fat = false;
  llvm::StringMap<unsigned> byName;
  for (auto [i, name] : llvm::enumerate(executor->kernelNames))
    byName[name] = i;
  // Fingerprints (a canonicalizer run each) only of kernels with variants.
  std::vector<Operation *> kernelOps;
  for (Operation &op : func.getFunctionBody().front())
    if (isa<wl::KernelOp>(op))
      kernelOps.push_back(&op);
  std::vector<std::string> fingerprints(kernelOps.size());
  for (ModuleOp nested : variants) {
    MLIRContext *context = nested.getContext();
    StringAttr kernelName =
        wl::WLDialect::KernelAttrHelper(context).getAttr(nested);
    StringAttr chip = wl::WLDialect::TargetAttrHelper(context).getAttr(nested);
    StringAttr fingerprint =
        wl::WLDialect::KernelFingerprintAttrHelper(context).getAttr(nested);
    if (!kernelName || !chip)
      continue;
    auto it = byName.find(kernelName.getValue());
    if (it == byName.end())
      continue;
    std::string &own = fingerprints[it->second];
    if (own.empty())
      own = kernelFingerprint(kernelOps[it->second]);
    if (!fingerprint || fingerprint.getValue() != own) {
      executor->variantsSkipped.push_back(
          (kernelName.getValue() + "@" + chip.getValue()).str());
      continue;
    }
    if (!SymbolTable::lookupSymbolIn(nested, kernelName.getValue())) {
      return hostError("the compiled variant of kernel '" +
                       kernelName.getValue() + "' for '" + chip.getValue() +
                       "' (at " + locationString(nested.getLoc()) +
                       ") has no function '" + kernelName.getValue() + "'");
    }
    executor->variants[(Twine(it->second) + "@" + chip.getValue()).str()] =
        nested.clone();
    fat = true;
  }
  llvm::sort(executor->variantsSkipped);
  // Without variants every kernel needs the host build: compile it now.
  if (!fat)
    if (Expected<Code *> host = executor->getHostJit(); !host)
      return host.takeError();
  return executor;
}

Expected<HostExecutor::Code *> HostExecutor::getHostJit() {
  if (jit)
    return jit.get();
  Expected<std::unique_ptr<Code>> compiled = compileInParts(
      *source, [](ModuleOp part) { return CpuJit::compile(part); });
  if (!compiled)
    return compiled.takeError();
  jit = std::move(*compiled);
  return jit.get();
}

Expected<CpuJit *> HostExecutor::getVariantJit(unsigned index,
                                               const Target *target) {
  std::string key = (Twine(index) + "@" + target->getName()).str();
  auto variant = variants.find(key);
  if (variant == variants.end())
    return nullptr;
  auto found = variantJits.find(key);
  if (found != variantJits.end())
    return found->second.get();
  OpPassManager probe(ModuleOp::getOperationName());
  Expected<bool> has = target->buildProgramEmulationPipeline(probe);
  if (!has)
    return has.takeError();
  std::unique_ptr<CpuJit> &slot = variantJits[key];
  if (!*has)
    return nullptr;
  OwningOpRef<ModuleOp> module = variant->second->clone();
  Expected<std::unique_ptr<CpuJit>> compiled = compileWith(
      *module, *target, &Target::buildProgramEmulationPipeline);
  if (!compiled)
    return hostError(("kernel '" + kernelNames[index] + "': its compiled " +
                      target->getName() + " variant: " +
                      llvm::toString(compiled.takeError()))
                         .str());
  slot = std::move(*compiled);
  return slot.get();
}

std::vector<std::string> HostExecutor::getVariantsRun() const {
  return {variantsRun.begin(), variantsRun.end()};
}

Expected<HostExecutor::Code *> HostExecutor::getJit(const Target *target) {
  if (!target || target->getFamily() == ChipFamily::CPU)
    return getHostJit();
  auto found = emulators.find(target->getName());
  if (found != emulators.end())
    return found->second ? found->second.get() : getHostJit();
  // Does the target have an emulator at all?
  OpPassManager probe(ModuleOp::getOperationName());
  Expected<bool> has = target->buildEmulationPipeline(probe);
  if (!has)
    return has.takeError();
  if (!*has) {
    emulators[target->getName()] = nullptr;
    return getHostJit();
  }
  Expected<std::unique_ptr<Code>> compiled =
      compileInParts(*source, [&](ModuleOp part) {
        return compileWith(part, *target, &Target::buildEmulationPipeline);
      });
  if (!compiled)
    return hostError(("the " + target->getName() + " emulator: " +
                      llvm::toString(compiled.takeError()))
                         .str());
  Code *result = compiled->get();
  emulators[target->getName()] = std::move(*compiled);
  return result;
}

std::vector<std::string> HostExecutor::getEmulatedTargets() const {
  std::vector<std::string> names;
  for (const auto &entry : emulators)
    if (entry.second)
      names.push_back(entry.first().str());
  llvm::sort(names);
  return names;
}

std::vector<unsigned>
HostExecutor::getInputsUpdatedInPlace(unsigned index) const {
  std::vector<unsigned> inputs;
  for (auto [input, result] : inPlace[index])
    inputs.push_back(input);
  return inputs;
}

const std::vector<unsigned> &
HostExecutor::getInputsToHandOver(unsigned index) const {
  return handOver[index];
}

Error HostExecutor::run(unsigned index, ArrayRef<const HostTensor *> inputs,
                        std::vector<HostTensor> &results, const Target *target,
                        ArrayRef<HostTensor *> donated) {
  // The fat module's variant for the target, else a build of the kernel.
  // Every run of a kernel passes here (fungible-run's, and each of
  // --measure's timed runs): its bookkeeping lives on the stack, not in
  // a heap allocation per input.
  StringRef name = functionNames[index];
  Expected<CpuJit *> variant = target ? getVariantJit(index, target) : nullptr;
  if (!variant)
    return variant.takeError();
  CpuJit *code = *variant;
  if (code) {
    name = kernelNames[index];
    variantsRun.insert((name + "@" + target->getName()).str());
  } else {
    Expected<Code *> built = getJit(target);
    if (!built)
      return built.takeError();
    code = (*built)->byFunction.lookup(name);
    if (!code)
      return hostError("kernel '" + kernelNames[index] +
                       "' has no host function '" + name + "'");
  }
  // Memref descriptors: {allocated, aligned, offset, sizes[r], strides[r]},
  // all 8-byte fields; several results are returned as consecutive ones.
  auto descriptorSize = [](RankedTensorType type) {
    return 3 + 2 * type.getRank();
  };
  const std::vector<unsigned> &scalars = scalarInputs[index];
  if (inputs.size() != scalars.size())
    return hostError("kernel '" + kernelNames[index] + "' takes " +
                     Twine(scalars.size()) + " inputs, given " +
                     Twine(inputs.size()));
  // An input updated in place is written into: a donated tensor's buffer
  // (taken from it), else a copy. That buffer is then the result.
  llvm::SmallDenseMap<unsigned, HostBuffer, 2> updated;
  for (auto [input, result] : inPlace[index]) {
    HostTensor *given = input < donated.size() ? donated[input] : nullptr;
    if (given)
      updated[input] = std::move(given->data);
    else
      updated[input] = inputs[input]->data;
  }
  // The inputs' descriptors one after the other (`starts`: where each
  // begins).
  SmallVector<int64_t, 64> descs;
  SmallVector<size_t, 8> starts(inputs.size(), 0);
  SmallPtrSet<const void *, 8> inputData;
  for (auto [i, in] : llvm::enumerate(inputs)) {
    RankedTensorType type = in->type;
    // A scalar goes by value: the packed call reads it where it lies.
    if (scalars[i]) {
      if (type.getRank() != 0 || in->data.size() != scalars[i])
        return hostError("kernel '" + kernelNames[index] + "': input " +
                         Twine(i) + " is a scalar: it takes a 0-d tensor of " +
                         Twine(scalars[i]) + " bytes");
      continue;
    }
    starts[i] = descs.size();
    descs.resize(descs.size() + descriptorSize(type));
    int64_t *desc = &descs[starts[i]];
    auto update = updated.find(i);
    void *data = update != updated.end() ? update->second.data()
                                         : const_cast<char *>(in->data.data());
    inputData.insert(data);
    std::memcpy(&desc[0], &data, 8);
    std::memcpy(&desc[1], &data, 8);
    desc[2] = 0;
    int64_t stride = 1;
    for (int64_t d = type.getRank(); d-- > 0;) {
      desc[3 + d] = type.getDimSize(d);
      desc[3 + type.getRank() + d] = stride;
      stride *= type.getDimSize(d);
    }
  }
  const std::vector<RankedTensorType> &types = returnedTypes[index];
  size_t resultWords = 0;
  for (RankedTensorType type : types)
    resultWords += descriptorSize(type);
  SmallVector<int64_t, 16> resultDesc(std::max<size_t>(resultWords, 1), 0);
  void *resultPtr = resultDesc.data();
  SmallVector<void *, 8> pointers(inputs.size(), nullptr);
  SmallVector<void *, 9> args;
  if (!types.empty())
    args.push_back(&resultPtr);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (scalars[i]) {
      args.push_back(const_cast<char *>(inputs[i]->data.data()));
      continue;
    }
    pointers[i] = &descs[starts[i]];
    args.push_back(&pointers[i]);
  }
  if (Error e = code->invoke(name, args))
    return e;
  // A result is adopted where the kernel wrote it: its allocation becomes
  // the tensor's, without a copy. Results that share an allocation (views
  // of one tensor), an input returned as it is and a global constant
  // (whose descriptor MLIR marks 0xdeadbeef) are copied; a shared
  // allocation is freed once, after.
  results.clear();
  auto allocationOf = [&](size_t at) {
    void *allocated;
    std::memcpy(&allocated, &resultDesc[at], 8);
    return allocated;
  };
  llvm::SmallDenseMap<void *, unsigned, 4> sharing;
  for (size_t r = 0, at = 0; r < types.size();
       at += descriptorSize(types[r]), ++r)
    ++sharing[allocationOf(at)];
  SmallPtrSet<void *, 8> allocations;
  size_t at = 0;
  for (RankedTensorType type : types) {
    void *allocated = allocationOf(at), *aligned;
    std::memcpy(&aligned, &resultDesc[at + 1], 8);
    int64_t offset = resultDesc[at + 2];
    unsigned bytes = elementBytes(type.getElementType());
    char *start = static_cast<char *>(aligned) + offset * bytes;
    size_t size = type.getNumElements() * bytes;
    bool global = reinterpret_cast<uintptr_t>(allocated) == 0xdeadbeef;
    bool owned = !global && allocated && !inputData.contains(allocated);
    HostTensor t{type, {}};
    if (owned && sharing[allocated] == 1) {
      t.data = HostBuffer::adopt(allocated, start, size);
    } else {
      t.data.assign(start, start + size);
      if (owned)
        allocations.insert(allocated);
    }
    results.push_back(std::move(t));
    at += descriptorSize(type);
  }
  for (void *allocated : allocations)
    std::free(allocated);
  for (auto [input, result] : inPlace[index])
    results.insert(
        results.begin() + result,
        HostTensor{resultTypes[index][result], std::move(updated[input])});
  return Error::success();
}

} // namespace fungible::runtime
