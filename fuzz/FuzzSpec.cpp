//===- FuzzSpec.cpp - Chip-spec JSON -> loadChipSpec -> estimates ---------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A chip spec as a user would pass it with --target-spec: read, checked,
// made a target of its family, and asked to estimate GEMMs of every element
// type and vector kernels; any estimate must be finite and non-negative.
//
//===----------------------------------------------------------------------===//

#include "targets/BuiltinTargets.h"
#include "targets/PluginAPI/ChipSpec.h"
#include "targets/PluginAPI/KernelInfo.h"
#include "targets/PluginAPI/Target.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdlib>

using namespace fungible;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext context;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<ChipSpec> spec = parseChipSpec(text, "fuzz.json");
  if (!spec) {
    llvm::consumeError(spec.takeError());
    return 0;
  }
  std::unique_ptr<Target> target = createBuiltinTarget(*spec);
  mlir::Type types[] = {mlir::Float32Type::get(&context),
                        mlir::BFloat16Type::get(&context),
                        mlir::IntegerType::get(&context, 8)};
  for (mlir::Type type : types)
    for (Gemm g : {Gemm{1, 1, 1, 1}, Gemm{3, 4096, 77, 1 << 20}}) {
      KernelInfo k;
      k.kind = KernelKind::Contraction;
      k.gemms = {g};
      k.gemmFlops = k.flops = 2.0 * g.batch * g.m * g.n * g.k;
      k.bytesRead = k.bytesWritten = 4.0 * g.m * g.n;
      k.elementType = type;
      k.tensorInputs = 2;
      CostEstimate e = target->estimate(k);
      if (e.feasible &&
          (!std::isfinite(e.seconds) || e.seconds < 0 ||
           !std::isfinite(e.joules) || !std::isfinite(e.dollars))) {
        llvm::errs() << "fuzz: " << spec->id << " estimates " << e.seconds
                     << " s, " << e.joules << " J, $" << e.dollars << "\n";
        std::abort();
      }
    }
  return 0;
}
