//===- PassSupport.h - What the target-aware passes share -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the option handling wl-estimate-costs and wl-place
// share: an objective option, and the targets their options name, with
// errors prefixed by the pass's name; and how the tools name a location
// in their messages and tables.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_PASSSUPPORT_H
#define FUNGIBLE_PASSES_PASSSUPPORT_H

#include "targets/BuiltinTargets.h"

#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace fungible {

/// loadTargets for a pass's `specs-dir`, `target-specs` and `targets`
/// options; errors are prefixed with the pass's name.
mlir::FailureOr<TargetSelection>
loadPassTargets(mlir::MLIRContext *context, llvm::StringRef pass,
                llvm::StringRef specsDir,
                llvm::ArrayRef<std::string> targetSpecs,
                llvm::ArrayRef<std::string> targets);

/// A pass list option's values.
template <typename ListOptionT>
std::vector<std::string> optionValues(const ListOptionT &option) {
  return std::vector<std::string>(option.begin(), option.end());
}

/// `loc` as `file:line:col` (a fused location's first, a name location's
/// name), or "?" when it has none.
std::string locationString(mlir::Location loc);

} // namespace fungible

#endif // FUNGIBLE_PASSES_PASSSUPPORT_H
