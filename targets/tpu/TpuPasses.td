//===- TpuPasses.td - The TPU target's lowering passes -----*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the stages of the TPU-like target's lowering
// (buildTpuLoweringPipeline runs them; each can also be run alone from
// fungible-opt). Registration and boilerplate are generated from it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_TPU_TPUPASSES_TD
#define FUNGIBLE_TARGETS_TPU_TPUPASSES_TD

include "mlir/Pass/PassBase.td"

def TpuMapToMxuPass : Pass<"fungible-tpu-map-to-mxu", "::mlir::ModuleOp"> {
  let summary = "Write mxu programs (VMEM tiles, DMA, MXU, VPU) for matmuls "
                "and elementwise linalg ops on memrefs";
  let description = [{
    Every matmul, batch matmul, elementwise `linalg.generic` and
    `linalg.fill` on memrefs becomes one `mxu` program: tiles sized to the
    VMEM budget, double-buffered DMAs issued a step ahead, `mxu.matmul` on
    tiles padded to the systolic array and `mxu.vpu` for elementwise
    bodies. The function records its VMEM budget as `mxu.vmem_bytes`.
  }];
  let dependentDialects = [
    "::fungible::mxu::MxuDialect", "::mlir::scf::SCFDialect",
    "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect",
  ];
  let options = [
    Option<"mxuDim", "mxu-dim", "int64_t", /*default=*/"128",
           "Systolic array dimension (128, 256)">,
    Option<"vmemBytes", "vmem-bytes", "int64_t", /*default=*/"64000000",
           "VMEM bytes per TensorCore">,
  ];
}

def TpuEmulatePass : Pass<"fungible-tpu-emulate", "::mlir::ModuleOp"> {
  let summary = "Lower mxu programs to linalg on memref views, to run on the "
                "host";
  let description = [{
    The functional emulator: VMEM buffers become host buffers, DMAs become
    copies between views (zero-padding ragged tiles), `mxu.matmul` a
    `linalg.matmul` on tile views and `mxu.vpu` a `linalg.generic` with its
    body. What is left is bufferised linalg for the host back end.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect",
  ];
}

#endif // FUNGIBLE_TARGETS_TPU_TPUPASSES_TD
