//===- WorkloadDialect.h - The wl dialect -----------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the wl (Workload) dialect and its registration.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADDIALECT_H
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/Operation.h"

#include "dialects/Workload/WorkloadDialect.h.inc"

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADDIALECT_H
