//===- NeuronDialect.h - The neuron dialect (Trainium-like) -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the neuron dialect and its ops (generated from
// Neuron.td) and the NeuronCore limits its verifiers check.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_NEURON_NEURONDIALECT_H
#define FUNGIBLE_DIALECTS_NEURON_NEURONDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Neuron/NeuronDialect.h.inc"
#include "dialects/Neuron/NeuronEnums.h.inc"

#define GET_OP_CLASSES
#include "dialects/Neuron/NeuronOps.h.inc"

namespace fungible::neuron {
/// The function attribute holding SBUF bytes per partition.
constexpr llvm::StringLiteral kSbufPartitionBytesAttr =
    "neuron.sbuf_partition_bytes";
/// NeuronCore limits (shared/HARDWARE.md, A2).
constexpr int64_t kPartitions = 128;
constexpr int64_t kPsumBanks = 8, kPsumBankBytes = 2048;
constexpr int64_t kStationaryFree = 128, kMovingFree = 512;
} // namespace fungible::neuron

#endif // FUNGIBLE_DIALECTS_NEURON_NEURONDIALECT_H
