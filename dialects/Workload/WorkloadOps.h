//===- WorkloadOps.h - Ops of the wl dialect --------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the ops of the wl dialect (generated from
// WorkloadOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADOPS_H
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADOPS_H

#include "dialects/Workload/WorkloadDialect.h"
#include "dialects/Workload/WorkloadInterfaces.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/Workload/WorkloadOps.h.inc"

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADOPS_H
