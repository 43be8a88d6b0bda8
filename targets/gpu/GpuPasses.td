//===- GpuPasses.td - The GPU target's lowering passes -----*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the stages of the GPU target's lowering
// (buildGpuLoweringPipeline runs them; each can also be run alone from
// fungible-opt). Registration and boilerplate are generated from it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_GPU_GPUPASSES_TD
#define FUNGIBLE_TARGETS_GPU_GPUPASSES_TD

include "mlir/Pass/PassBase.td"

def GpuMapMatmulsToTensorCoresPass
    : Pass<"fungible-gpu-map-matmuls-to-tensor-cores", "::mlir::ModuleOp"> {
  let summary = "Turn f16/bf16 matmuls on memrefs into tensor-core gpu.launch ops";
  let description = [{
    Every `linalg.matmul` and `linalg.batch_matmul` on memrefs whose inputs
    are f16 or bf16 (outside a `gpu.launch`) becomes one `gpu.launch` of a
    tensor-core kernel: 128-thread blocks, tiles of A and B staged in
    workgroup memory, `mma.sync` on `m16n8k16` fragments and an f32
    accumulator rounded once. Other matmuls are left for
    `fungible-gpu-map-linalg-to-grid`.
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect", "::mlir::NVVM::NVVMDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def GpuMapLinalgToGridPass
    : Pass<"fungible-gpu-map-linalg-to-grid", "::mlir::ModuleOp"> {
  let summary = "Turn linalg ops on memrefs into gpu.launch ops over their "
                "flattened parallel loops";
  let description = [{
    Wraps every linalg op on memrefs left outside a `gpu.launch` (and every
    `memref.copy`, as a `linalg.copy`) in a launch of its own: the op is
    lowered to loops and its outermost parallel loop is spread over a 1-D
    grid of 256-thread blocks, one thread per iteration. A parallel loop
    without constant bounds is an error.
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
    "::mlir::linalg::LinalgDialect",
  ];
}

def GpuApproximateMathPass
    : Pass<"fungible-gpu-approximate-math", "::mlir::gpu::GPUModuleOp"> {
  let summary = "Expand and approximate math functions inside GPU modules";
  let description = [{
    Math functions NVPTX has no instruction for become polynomials (the
    alternative, libdevice, would tie the build to a CUDA installation);
    those it has (`floor`, `sqrt`, `fma`, ...) become calls to the LLVM
    intrinsics. Anything else is an error on the op.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // FUNGIBLE_TARGETS_GPU_GPUPASSES_TD
