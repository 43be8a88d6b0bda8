//===- InitAll.cpp - Every Fungible dialect and pass ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file registers every Fungible dialect and pass (InitAll.h).
//
//===----------------------------------------------------------------------===//

#include "tools/InitAll.h"

#include "dialects/Mxu/MxuDialect.h"
#include "dialects/Neuron/NeuronDialect.h"
#include "dialects/Workload/WorkloadDialect.h"
#include "passes/Passes.h"
#include "targets/cpu/CpuPasses.h"
#include "targets/gpu/GpuPasses.h"
#include "targets/tpu/TpuPasses.h"
#include "targets/trainium/TrainiumPasses.h"

#include "mlir/IR/DialectRegistry.h"

void fungible::registerAllFungibleDialects(mlir::DialectRegistry &registry) {
  registry.insert<wl::WLDialect, mxu::MxuDialect, neuron::NeuronDialect>();
}

void fungible::registerAllFungiblePasses() {
  registerFungiblePasses();
  registerImportAndOutlinePipeline();
  registerFungibleGpuPasses();
  registerFungibleTpuPasses();
  registerFungibleTrainiumPasses();
  registerFungibleCpuPasses();
}
