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

def GpuTileAndFuseKernelsPass
    : Pass<"fungible-gpu-tile-and-fuse-kernels", "::mlir::ModuleOp"> {
  let summary = "Make each kernel function one tiled loop nest: its output "
                "tiled over CTAs, its producers fused into the tiles";
  let description = [{
    Runs on linalg on tensors, one function per kernel (what `wl-compile`
    hands a target), in five steps:
    1. an op accumulating into an argument gets an explicit copy of it (a
       tile fuses the copy; bufferisation would launch it apart);
    2. named ops other than contractions, convolutions and fills are
       generalised, elementwise producers with one use fused into their
       consumers (never into a contraction, which stays a
       multiply-accumulate) and reshapes propagated out of their way;
    3. a concat of equal pieces (insert_slices tiling a tensor.empty along
       one dimension) becomes a generic over the result, that dimension
       split into (piece, position), each point selecting its piece's
       value; tiles take the piece loop whole;
    4. a long innermost reduction (at least 256, a multiple of 32) is split
       into 32 interleaved partial sums and their combination, so that the
       few rows of a tile spread over all the CTA's threads;
    5. in a function that still has more than one linalg op, the op
       computing its result (looking through reshapes) is tiled over its
       parallel loops with an `scf.forall`, one iteration per CTA, and every
       producer is fused into the tile: the contraction's epilogue (bias,
       activation, residual), the reductions of a norm or softmax, a
       convolution's padded window, with no round trip through global
       memory. Several results: the one whose op reads the others is tiled
       and its tiles write their slices of the others too; independent
       results are tiled alike and their loops merged. Tiles divide their
       loops: 64 on two parallel loops when the function holds a
       contraction or convolution (every pair tried, on a copy, until one
       fuses everything), otherwise up to 4096 points taken innermost
       first.
    `fungible-gpu-map-linalg-to-grid` turns each `scf.forall` into one
    `gpu.launch`.

    Only a kernel variant's module (what `wl-compile` makes, marked
    `wl.kernel`) is fused unless `every-function` is set: a whole model
    lowered at once has its kernels inlined into one function, and fusing
    across them would recompute whole kernels in every tile.
  }];
  let options = [
    Option<"everyFunction", "every-function", "bool", /*default=*/"false",
           "Fuse every function of the module, kernel variant or not">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def GpuMapMatmulsToTensorCoresPass
    : Pass<"fungible-gpu-map-matmuls-to-tensor-cores", "::mlir::ModuleOp"> {
  let summary = "Turn f16/bf16 matmuls on memrefs into tensor-core gpu.launch ops";
  let description = [{
    Every `linalg.matmul` and `linalg.batch_matmul` on memrefs whose inputs
    are f16 or bf16 (outside a `gpu.launch`) becomes one `gpu.launch` of a
    tensor-core kernel: 128-thread blocks, tiles of A and B staged in
    workgroup memory, `mma.sync` on `m16n8k16` fragments and an f32
    accumulator rounded once; a +0 fill of C just before the matmul is
    absorbed (the accumulators start at zero). Other matmuls are left for
    `fungible-gpu-map-linalg-to-grid`. With `wgmma` (sm_90a), a matmul
    whose operands are contiguous with K and N multiples of 8 becomes the
    Hopper kernel instead (Wgmma.cpp): 256-thread CTAs of two warpgroups
    on 128 x `wgmma-tile-n` tiles of C (by default 256 when such tiles
    still give each of the `wgmma-sms` SMs a CTA, else 128), a
    `wgmma-stages` `cp.async`
    pipeline of A and B tiles (`wgmma-tile-k` deep) into shared memory
    (dynamic shared memory past 48 KiB) and `wgmma.mma_async` reading them
    through matrix descriptors, one K tile's wgmma still running while the
    next is issued; CTAs are dispatched `wgmma-group-m` rows of tiles at a
    time, its stages in the 128-byte swizzled layouts unless
    `wgmma-swizzle=0`. With `wgmma-tma=1` the stages are loaded by the
    tensor memory accelerator instead (`cp.async.bulk.tensor` from tensor
    maps made on the host by `nvgpu.tma.create.descriptor`): a third,
    producer warpgroup (384-thread CTAs) issues them from one thread, and
    mbarriers (a "full" and an "empty" one per stage) pass each stage
    between it and the two warpgroups computing. 0 (-1 for the swizzle and
    TMA) is the built-in default (WgmmaLaunchShape); an invalid shape fails
    the pass with the reason.
  }];
  let options = [
    Option<"wgmma", "wgmma", "bool", /*default=*/"false",
           "Use the sm_90a kernel (cp.async + wgmma) where it applies">,
    Option<"wgmmaTileN", "wgmma-tile-n", "int64_t", /*default=*/"0",
           "Columns of C per CTA of the sm_90a kernel (0: the default)">,
    Option<"wgmmaTileK", "wgmma-tile-k", "int64_t", /*default=*/"0",
           "K per pipeline stage of the sm_90a kernel (0: the default)">,
    Option<"wgmmaStages", "wgmma-stages", "int64_t", /*default=*/"0",
           "Pipeline stages of the sm_90a kernel (0: the default)">,
    Option<"wgmmaGroupM", "wgmma-group-m", "int64_t", /*default=*/"0",
           "Rows of tiles the sm_90a kernel's CTAs are dispatched in "
           "(0: the default)">,
    Option<"wgmmaSms", "wgmma-sms", "int64_t", /*default=*/"0",
           "SMs of the GPU, for the sm_90a kernel's choice of tile N (0: "
           "the default, 132)">,
    Option<"wgmmaSwizzle", "wgmma-swizzle", "int64_t", /*default=*/"-1",
           "Stages of the sm_90a kernel in the 128-byte swizzled layouts "
           "(1) or the interleaved ones (0); -1: the default">,
    Option<"wgmmaTma", "wgmma-tma", "int64_t", /*default=*/"-1",
           "Stages of the sm_90a kernel loaded by TMA from a producer "
           "warpgroup (1) or by cp.async from every thread (0); -1: the "
           "default">,
  ];
  let dependentDialects = [
    "::mlir::nvgpu::NVGPUDialect", "::mlir::memref::MemRefDialect",
    "::mlir::gpu::GPUDialect", "::mlir::NVVM::NVVMDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def GpuMapLinalgToGridPass
    : Pass<"fungible-gpu-map-linalg-to-grid", "::mlir::ModuleOp"> {
  let options = [
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "Run an f16/bf16 matmul in a fused tile as one CTA of the "
           "tensor-core kernel (off: spread over the threads like any op, "
           "which fungible-gpu-emulate-launches can run on the host)">,
    Option<"wgmma", "wgmma", "bool", /*default=*/"false",
           "Run such a matmul as one CTA of the sm_90a kernel (cp.async + "
           "wgmma, one warpgroup) where its operands allow">,
  ];
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
    "::mlir::linalg::LinalgDialect", "::mlir::NVVM::NVVMDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::vector::VectorDialect",
    "::mlir::nvgpu::NVGPUDialect", "::mlir::memref::MemRefDialect",
  ];
}

def GpuEmulateLaunchesPass
    : Pass<"fungible-gpu-emulate-launches", "::mlir::ModuleOp"> {
  let summary = "Run gpu.launch bodies on the host: a loop over CTAs, and "
                "per barrier-separated phase, a loop over threads";
  let description = [{
    The host emulator of the kernels `fungible-gpu-map-linalg-to-grid`
    makes (without tensor cores: NVVM has no host semantics), for numeric
    tests without a GPU. Each `gpu.launch` becomes loops over its grid; in
    each CTA the workgroup buffers are allocated, ops that do not depend on
    the thread id run once, and each phase between two top-level
    `gpu.barrier`s runs thread after thread, which is what the barriers
    guarantee. A value computed by one thread and used past a barrier, a
    barrier nested in control flow, or a multi-dimensional CTA is an error.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
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

def GpuSinkConstantsPass
    : Pass<"fungible-gpu-sink-constants", "::mlir::ModuleOp"> {
  let summary = "Move the constants a gpu.launch uses into it, loop trip "
                "counts aside";
  let description = [{
    Before outlining: every constant defined outside a `gpu.launch` and
    used inside is cloned into it (upstream's
    `sinkOperationsIntoLaunchOp`), so it is an immediate in the kernel, not
    a kernel parameter (a division by a parameter is a 64-bit division in
    PTX; the sm_90a GEMM used 234 registers with its constants as
    parameters, 96 without). Except an `scf.for`'s upper bound: it stays a
    parameter (its own copy of the constant), so that LLVM does not unroll
    a convolution's reduction loop of a known trip count past the register
    file (ResNet-18's 3x3 convolutions then spilled 2216 bytes a thread).
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def GpuAlignWorkgroupMemoryPass
    : Pass<"fungible-gpu-align-workgroup-memory", "::mlir::gpu::GPUModuleOp"> {
  let summary = "Align every workgroup buffer of a GPU module to 16 bytes";
  let description = [{
    Sets `llvm.align` = 16 on each workgroup attribution of each `gpu.func`
    that has no alignment (or a smaller one). A 16-byte `cp.async` writes an
    aligned 16-byte chunk, and a `wgmma` matrix descriptor addresses shared
    memory in units of 16 bytes; without the attribute the buffer is
    aligned to its element only.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // FUNGIBLE_TARGETS_GPU_GPUPASSES_TD
