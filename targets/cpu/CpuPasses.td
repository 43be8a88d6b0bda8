//===- CpuPasses.td - The CPU target's lowering passes -----*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the stages of the CPU target's lowering
// (buildCpuLoweringPipeline and the host back end run them; each can also
// be run alone from fungible-opt). Registration and boilerplate are
// generated from it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TARGETS_CPU_CPUPASSES_TD
#define FUNGIBLE_TARGETS_CPU_CPUPASSES_TD

include "mlir/Pass/PassBase.td"

def CpuWidenAccumulatorsPass
    : Pass<"fungible-cpu-widen-accumulators", "::mlir::ModuleOp"> {
  let summary = "Accumulate bf16/f16/f8 matmuls on memrefs in f32";
  let description = [{
    Narrow float matmuls (bf16, f16, f8 results) accumulate in f32 and round
    once, as tensor cores, MXUs and TensorEngines do, instead of rounding
    after every step as linalg's named ops define it: a kernel then gives
    the same numbers on the host as on every chip. C is widened into an f32
    buffer, the product accumulates there, and the sum is rounded back.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def CpuTileAttentionRowsPass
    : Pass<"fungible-cpu-tile-attention-rows", "::mlir::ModuleOp"> {
  let summary = "Compute an attention in tiles of query rows that keep "
                "their scores in cache";
  let description = [{
    Runs on tensors (before bufferisation). An attention as wl-to-linalg
    writes it (a batch matmul's [B, M, N] scores, linalg ops on them, a
    second batch matmul, and possibly an elementwise op after it: one op
    ends the chain) whose scores exceed 1 MiB is tiled by its last op into
    an `scf.forall` over one batch element and R rows at a time (R a
    multiple of 4 dividing M, the most whose [R, N] scores take 512 KiB, at
    least two tiles per element), with every op of the chain fused into the
    tile: the softmax's passes read and write a block in the core's cache
    instead of the whole scores in DRAM. K^T and V are read by every tile,
    not fused. 4-D attentions' reshapes (heads merged into the batch, or a
    grouped-query attention's heads of a group into the rows) are crossed.
    The same operations on the same elements in the same order: the same
    bits.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def CpuTileNormRowsPass
    : Pass<"fungible-cpu-tile-norm-rows", "::mlir::ModuleOp"> {
  let summary = "Compute norms and softmax in tiles of rows: one fork, "
                "the passes in cache";
  let description = [{
    Runs on tensors (before bufferisation). A chain that a reduction of
    the innermost dimension starts (a layer norm's means and variances, an
    RMS norm's sums of squares, a softmax's maximum and sum, as
    wl-to-linalg writes them), ending in one elementwise op over the
    input's shape, whose input has at least 2^16 elements, is tiled by its
    last op into an `scf.forall` over R rows of the innermost row dimension
    at a time (normRowTile: a power of two dividing it, R rows within
    64 KiB, at least two tiles), the chain fused into the tile: one fork
    instead of one per pass, each tile's rows in the core's cache through
    the passes. The input's producer is not fused. The same operations on
    the same elements in the same order: the same bits.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
  ];
}

def CpuVectorizeMatmulsPass
    : Pass<"fungible-cpu-vectorize-matmuls", "::mlir::ModuleOp"> {
  let summary = "Tile matmuls and convolutions for cache and registers and "
                "vectorise them";
  let description = [{
    Vectorises the bufferised module's NHWC convolutions
    (`linalg.conv_2d_nhwc_hwcf`, `linalg.depthwise_conv_2d_nhwc_hwc`, static
    float shapes): output tiles of OWt x Ft (4 x 64 when they divide) as an
    `scf.forall` when the convolution has at least 2^15 multiply-adds,
    loops over filter rows and channel tiles inside, each filter row a 1-D
    convolution on rank-reduced views that upstream's vectoriser turns into
    contractions. Float NHWC sum and max poolings take the same tiles (on
    the threads from 2^16 loop iterations), each window row a 1-D pooling
    that the vectoriser turns into vector adds or maxes into the tile's
    registers. Then applies the CPU's matmul schedule (a
    transform-dialect script): 256x128x128 cache tiles as an `scf.forall`
    (each tile owns its block of C), 4x64 register tiles vectorised with
    masks, contractions (the convolutions' too) lowered to outer-product
    FMAs and the accumulator hoisted out of the K loop.
  }];
  let dependentDialects = ["::mlir::transform::TransformDialect"];
}

def CpuFuseContractionsPass
    : Pass<"fungible-cpu-fuse-contractions", "::mlir::ModuleOp"> {
  let summary = "Accumulate every float contraction with fused multiply-adds";
  let description = [{
    The vectorised matmuls and convolutions accumulate with `vector.fma`
    (one rounding per step, as tensor cores, MXUs and TensorEngines do).
    This pass makes the contractions and convolutions left to loops (named
    or generic: dynamic shapes, NCHW, transposed operands) do the same: the
    `arith.addf` of a product into the op's accumulator becomes `math.fma`,
    in the same order. Every device's host code then gives the same bits
    for the same kernel, and a reference lowering that runs this pass
    before its loops matches them. Other multiply-adds (elementwise ops,
    norms) are left as they are.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
  ];
}

def CpuReassociateReductionsPass
    : Pass<"fungible-cpu-reassociate-reductions", "::mlir::ModuleOp"> {
  let summary = "Let the loop vectoriser split a float reduction's "
                "accumulator into lanes";
  let description = [{
    Marks the combiner of a float reduction that is not a contraction (the
    `arith.addf`, `mulf`, `maximumf`, `minimumf`, `maxnumf` or `minnumf`
    that updates a `linalg.generic`'s or `linalg.reduce`'s output from
    its body: a row sum, a norm's mean and variance, a softmax's max and
    sum) `reassoc`, so that LLVM's loop vectoriser may keep one partial
    result per lane and combine them at the end. Without it the sum is a
    chain of dependent scalar adds: a layer norm over 1024 x 768 f32 took
    0.6 ms on the project's 2-core VM, as long as 4 such chains of its
    rows. The sum's rounding changes as any vectorised reduction's does
    (IREE's and XLA's CPU code reassociate theirs): within a few ulp of
    the sum per partial sum, not to the bit of the in-order loop.
    Contractions keep their order (fungible-cpu-fuse-contractions runs
    first: their adds are FMAs by then).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def CpuApproximateMathPass
    : Pass<"fungible-cpu-approximate-math", "::mlir::ModuleOp"> {
  let summary = "Compute f32 tanh, exp, log and erf with polynomials the "
                "loop vectoriser takes";
  let description = [{
    Rewrites f32 `math.tanh`, `exp`, `expm1`, `log`, `log1p`, `log2`,
    `erf`, `erfc`, `atan` and `atan2` (scalars or vectors, anywhere: in
    linalg bodies too) as upstream's polynomial approximations, arithmetic
    within a few ulp of libm's. A loop that calls libm is not vectorised:
    a tanh-GELU over 1024x3072 took 26.6 ms on the project's 2-core VM
    (8.5 ns an element). `sin` and `cos` keep libm's calls: the
    approximation reduces the argument with one f32 constant, which is
    off by 1e-4 at the 3000 radians of a RoPE table.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def CpuRegisterAccumulatorsPass
    : Pass<"fungible-cpu-register-accumulators", "::mlir::ModuleOp"> {
  let summary = "Carry a loop's accumulator in a register, not in memory";
  let description = [{
    Runs on loops (after `convert-linalg-to-loops`). An `scf.for` whose
    body loads one element at indices defined outside it, updates it and
    stores it back at the same place, with no other store, and whose other
    reads are of buffers that cannot overlap it (one of the two allocated
    in the function: two arguments may be one buffer), carries the element
    as an iteration argument
    instead: one load before the loop, one store after, innermost loops
    first, so a reduction over several loops (a pooling window) keeps its
    accumulator in a register through all of them. linalg's loops load
    and store the output element at every step of a reduction, and LLVM
    cannot keep it in a register when it cannot prove the output does not
    alias the inputs, as in the OpenMP chunks, whose buffers arrive as
    pointers (a 1024x3072 softmax on one thread: 14.9 -> 12.1 ms; most of
    the rest of its gap to plain loops was the 8x8 blocks that
    fungible-cpu-parallel-loops cut a row broadcast into). The sums keep
    their order: the same bits.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
  ];
}

def CpuCopiesToLoopsPass
    : Pass<"fungible-cpu-copies-to-loops", "::mlir::ModuleOp"> {
  let summary = "Copy strided buffers with loops, not the runtime's "
                "element-by-element memrefCopy";
  let description = [{
    A `memref.copy` whose source or target is not contiguous (a padded
    convolution's input copied into the middle of its padded buffer, a
    concat's parts, a slice) becomes `linalg.copy`: upstream lowers such a
    copy to a call of the C runner utilities' `memrefCopy`, which walks the
    elements one by one with a rank-generic index computation (3-4 ns an
    element here: 1.5 ms to pad a 56x56x128 image, 20 times the depthwise
    convolution it feeds). As a linalg op it is split into parallel chunks
    when large (`fungible-cpu-parallel-loops`) and lowered to loops LLVM
    vectorises. Contiguous copies stay `memref.copy` (a `memcpy`).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def CpuParallelLoopsPass
    : Pass<"fungible-cpu-parallel-loops", "::mlir::ModuleOp"> {
  let summary = "Split large linalg ops into parallel chunks";
  let description = [{
    Every linalg op on memrefs with at least 2^16 loop-body executions that
    is not already inside a parallel loop is tiled into an `scf.forall` of
    about 256 chunks of its parallel dimensions, outermost first (whole
    dimensions while the count allows, then one dimension cut into the
    chunks still wanted); each chunk is the op on subviews, lowered later
    to plain loops with its reductions in their order: the result is the
    same bits on any number of threads. `scf-forall-to-parallel` and
    `convert-scf-to-openmp` then run the chunks on OpenMP's threads. A
    transpose (reads down a column) is read in 8 x 8 blocks: each chunk's,
    and a transpose too small for threads whole. A transpose whose output
    rows are shorter than a block (NHWC -> NCHW of a 7 x 7 image) is first
    a generic op on collapsed views, the loops every operand indexes one
    after the other one loop (its rows then H x W elements long). An
    elementwise op whose rows (its innermost loop, along which every
    operand is read at stride 1 or not at all) are 16 to 256 bytes long is
    computed a row at a time as vectors (a transpose of outer dimensions,
    [B, S, H, D] -> [B, H, S, D]; a gate broadcast over an image's rows of
    channels): LLVM leaves loops that short scalar.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def CpuMergeParallelRegionsPass
    : Pass<"fungible-cpu-merge-parallel-regions", "::mlir::ModuleOp"> {
  let summary = "Run consecutive parallel loops in one OpenMP fork";
  let description = [{
    Runs after `convert-scf-to-openmp`, which gives every parallel loop an
    `omp.parallel` of its own: a fork of the thread team and a join, a few
    microseconds each on the project's VM. Two `omp.parallel` ops of one
    block with nothing between them but allocations (hoisted above the
    first), deallocations (sunk below the second) and ops free of memory
    effects (hoisted) become one: the second's body follows the first's,
    after a barrier (none when the first ends with a worksharing loop,
    whose end is one). Every thread still finishes the first loop before
    any starts the second; each loop's iterations and order are unchanged:
    the same bits. Regions with clauses (threads, privatisation,
    reductions) are left alone.
  }];
}

def CpuEmitCInterfacePass
    : Pass<"fungible-cpu-emit-c-interface", "::mlir::ModuleOp"> {
  let summary = "Give every public function a C interface";
  let description = [{
    Marks public functions with `llvm.emit_c_interface`, so the LLVM
    lowering adds `_mlir_ciface_<name>` wrappers the host's
    ExecutionEngine calls.
  }];
}

#endif // FUNGIBLE_TARGETS_CPU_CPUPASSES_TD
