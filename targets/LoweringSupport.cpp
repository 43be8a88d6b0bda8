//===- LoweringSupport.cpp - What the targets' lowerings share --*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "targets/LoweringSupport.h"

#include "passes/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace fungible {

LogicalResult addUpstreamPipeline(OpPassManager &pm, StringRef pipeline) {
  static bool registered = [] {
    registerAllPasses();
    return true;
  }();
  (void)registered;
  return parsePassPipeline(pipeline, pm);
}

LogicalResult addBufferizedLinalgPipeline(OpPassManager &pm) {
  pm.addPass(createConvertWorkloadToLinalgPass());
  // Elementwise arith/math on whole tensors (what opaque kernels may hold)
  // become linalg.generic, which bufferises; TOSA ops inside opaque kernels
  // take upstream's TOSA lowering.
  if (failed(addUpstreamPipeline(
          pm, "func.func(tosa-to-linalg-named, tosa-to-linalg, "
              "tosa-to-tensor, tosa-to-arith, convert-elementwise-to-linalg)")))
    return failure();
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // Contiguous arguments: vector loads need a static innermost stride.
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  return success();
}

} // namespace fungible
