//===- MxuDialect.h - The mxu dialect (TPU-like core) -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the mxu dialect and its ops (generated from Mxu.td).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_MXU_MXUDIALECT_H
#define FUNGIBLE_DIALECTS_MXU_MXUDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Mxu/MxuDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/Mxu/MxuOps.h.inc"

namespace fungible::mxu {
/// The function attribute holding a core's VMEM capacity in bytes.
constexpr llvm::StringLiteral kVmemBytesAttr = "mxu.vmem_bytes";
/// Rows and lanes of a vector register: VMEM tiles are multiples of them.
constexpr int64_t kSublanes = 8, kLanes = 128;
} // namespace fungible::mxu

#endif // FUNGIBLE_DIALECTS_MXU_MXUDIALECT_H
