//===- CpuJit.cpp - Compile and run wl kernels on the host ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CPU target's JIT (CpuJit.h).
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuJit.h"


#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

namespace fungible {

CpuJit::CpuJit(std::unique_ptr<ExecutionEngine> engine)
    : engine(std::move(engine)) {}
CpuJit::~CpuJit() = default;

llvm::Expected<std::unique_ptr<CpuJit>>
CpuJit::compile(ModuleOp module, const CpuJitOptions &options) {
  return compile(module, options.optLevel, [&](OpPassManager &pm) {
    return buildCpuLoweringPipeline(pm, options);
  });
}

llvm::Expected<std::unique_ptr<CpuJit>>
CpuJit::compile(ModuleOp module, unsigned optLevel,
                function_ref<LogicalResult(OpPassManager &)> buildPipeline) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  MLIRContext *context = module.getContext();
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  registerOpenMPDialectTranslation(*context);

  std::string diagnostics;
  {
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
      llvm::raw_string_ostream os(diagnostics);
      os << diag.getLocation() << ": " << diag.str() << "\n";
      for (Diagnostic &note : diag.getNotes())
        os << "  " << note.getLocation() << ": note: " << note.str() << "\n";
      return success();
    });
    PassManager pm(context, ModuleOp::getOperationName());
    if (failed(buildPipeline(pm)) ||
        failed(pm.run(module)))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "lowering for the host failed:\n%s",
                                     diagnostics.c_str());
  }

  // Upstream's conversions are partial: say which op was left behind
  // rather than letting the translation to LLVM IR fail obscurely.
  Operation *leftover = nullptr;
  module.walk([&](Operation *op) {
    if (!leftover && op != module.getOperation() &&
        !isa<LLVM::LLVMDialect, omp::OpenMPDialect>(op->getDialect()))
      leftover = op;
  });
  if (leftover) {
    std::string where;
    llvm::raw_string_ostream os(where);
    os << leftover->getLoc();
    std::string types;
    llvm::raw_string_ostream ts(types);
    llvm::interleaveComma(leftover->getOperandTypes(), ts);
    ts << " -> ";
    llvm::interleaveComma(leftover->getResultTypes(), ts);
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "cannot lower '%s' (%s) for the host at %s: no LLVM lowering for "
        "these types",
        leftover->getName().getStringRef().str().c_str(), types.c_str(),
        where.c_str());
  }

  // The optimiser is told the host's CPU, as the code generator is: without
  // it, LLVM's cost models see no vector registers and leave every loop
  // the MLIR vectoriser did not write (elementwise ops, norms, copies)
  // scalar.
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  // Gathers and scatters are slower than scalar code on the hosts measured
  // (AMD EPYC, AVX-512: a transpose's 8x8 blocks 2.2 times slower); x86
  // names the tuning, other targets have no such feature.
  if (builder->getTargetTriple().isX86()) {
    builder->getFeatures().AddFeature("prefer-no-gather");
    builder->getFeatures().AddFeature("prefer-no-scatter");
  }
  auto machine = builder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  ExecutionEngineOptions engineOptions;
  auto transformer = makeOptimizingTransformer(optLevel,
                                               /*sizeLevel=*/0, machine->get());
  engineOptions.transformer = transformer;
  // memref.copy of strided memrefs calls memrefCopy, from MLIR's C runner
  // utilities; parallel loops call the OpenMP runtime (__kmpc_fork_call).
  StringRef runtimeLibs[] = {FUNGIBLE_MLIR_C_RUNNER_UTILS, FUNGIBLE_LIBOMP};
  engineOptions.sharedLibPaths = runtimeLibs;
  engineOptions.enableGDBNotificationListener = false;
  engineOptions.enablePerfNotificationListener = false;
  llvm::Expected<std::unique_ptr<ExecutionEngine>> engine =
      ExecutionEngine::create(module, engineOptions);
  if (!engine)
    return engine.takeError();
  return std::unique_ptr<CpuJit>(new CpuJit(std::move(*engine)));
}

llvm::Error CpuJit::invoke(StringRef name, MutableArrayRef<void *> args) {
  // The JIT's symbol lookup costs microseconds: look each function up once.
  auto found = functions.find(name);
  if (found == functions.end()) {
    llvm::Expected<void (*)(void **)> fn =
        engine->lookupPacked(("_mlir_ciface_" + name).str());
    if (!fn)
      return fn.takeError();
    found = functions.try_emplace(name, *fn).first;
  }
  found->second(args.data());
  return llvm::Error::success();
}

} // namespace fungible
