//===- TrainiumPasses.td - The Trainium target's passes ----*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the stages of the Trainium-like target's lowering
// (buildTrainiumLoweringPipeline runs them; each can also be run alone
// from fungible-opt). Registration and boilerplate are generated from it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMPASSES_TD
#define FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMPASSES_TD

include "mlir/Pass/PassBase.td"

def TrainiumMapToNeuronPass
    : Pass<"fungible-trainium-map-to-neuron", "::mlir::ModuleOp"> {
  let summary = "Write neuron programs (SBUF/PSUM tiles, DMA, TensorEngine, "
                "Vector/Scalar engines, semaphores) for matmuls and "
                "elementwise linalg ops on memrefs";
  let description = [{
    Every matmul and batch matmul (with the elementwise ops after it that
    take its product: its epilogue), every chain of fills, row folds and
    elementwise steps over the same rows whose whole rows fit in SBUF (a
    norm, a softmax), and every other elementwise op, row op (a reduction
    over the last dimension) and fill on memrefs becomes one `neuron`
    program: 128-partition tiles in SBUF sized to the partition budget,
    TensorEngine matmuls accumulating in PSUM, Vector/Scalar engine ops and
    semaphores ordering the DMAs. The function records its budget as
    `neuron.sbuf_partition_bytes`.
  }];
  let dependentDialects = [
    "::fungible::neuron::NeuronDialect", "::mlir::scf::SCFDialect",
    "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect",
  ];
  let options = [
    Option<"sbufPartitionBytes", "sbuf-partition-bytes", "int64_t",
           /*default=*/"196608", "SBUF bytes per partition">,
  ];
}

def TrainiumEmulatePass
    : Pass<"fungible-trainium-emulate", "::mlir::ModuleOp"> {
  let summary = "Lower neuron programs to linalg on memref views, to run on "
                "the host";
  let description = [{
    The functional emulator: SBUF and PSUM buffers become host buffers,
    DMAs copies between views (transposed and broadcast loads included),
    TensorEngine matmuls `linalg.generic` contractions into PSUM and engine
    ops `linalg.generic`s with their bodies. What is left is bufferised
    linalg for the host back end.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
    "::mlir::math::MathDialect",
  ];
}

#endif // FUNGIBLE_TARGETS_TRAINIUM_TRAINIUMPASSES_TD
