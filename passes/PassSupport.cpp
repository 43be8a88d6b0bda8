//===- PassSupport.cpp - What the target-aware passes share -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements PassSupport.h.
//
//===----------------------------------------------------------------------===//

#include "passes/PassSupport.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace fungible {

FailureOr<TargetSelection> loadPassTargets(MLIRContext *context,
                                           StringRef pass, StringRef specsDir,
                                           ArrayRef<std::string> targetSpecs,
                                           ArrayRef<std::string> targets) {
  llvm::Expected<TargetSelection> loaded =
      loadTargets(specsDir, targetSpecs, targets);
  if (!loaded)
    return emitError(UnknownLoc::get(context))
           << pass << ": " << llvm::toString(loaded.takeError());
  return std::move(*loaded);
}

std::string locationString(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", file.getFilename().getValue(),
                         file.getLine(), file.getColumn())
        .str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      return locationString(fused.getLocations().front());
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return "?";
}

} // namespace fungible
