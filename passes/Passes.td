//===- Passes.td - Fungible passes ---------------------------*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares every pass of Fungible. Registration and the pass
// boilerplate are generated from it (GEN_PASS_DEF_*, GEN_PASS_REGISTRATION).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PASSES_PASSES_TD
#define FUNGIBLE_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertWorkloadToLinalgPass : Pass<"convert-wl-to-linalg"> {
  let summary = "Lower every wl op to linalg, tensor, arith and math on tensors";
  let description = [{
    Replaces every op of the `wl` dialect with upstream ops on tensors: named
    linalg ops where upstream has one (`linalg.matmul`, `batch_matmul`,
    `conv_2d_nhwc_hwcf`, `pooling_nhwc_max/sum`, `transpose`, `fill`), and
    `linalg.generic` otherwise (elementwise ops with numpy broadcasting,
    reductions, softmax, normalisations, grouped convolutions, attention),
    plus `tensor.pad`, `tensor.extract_slice`, `tensor.insert_slice` and
    reshapes. Floats narrower than f32 are computed in f32 inside each op
    and rounded once. `wl.transfer` is the identity. This is the reference
    semantics of the dialect: the whole of upstream MLIR can take the
    result further (bufferisation, loops, LLVM).

    ```
    fungible-opt --convert-wl-to-linalg model.mlir
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def FuseElementwiseProducersPass : Pass<"fungible-fuse-elementwise-producers"> {
  let summary = "Fuse elementwise linalg producers with one use into their "
                "consumers, on tensors";
  let description = [{
    Upstream's elementwise fusion (`populateElementwiseOpsFusionPatterns`)
    with one rule: a producer fuses only into its one user. Unlike
    `linalg-fuse-elementwise-ops` it moves no reshapes, so named
    contractions stay named ops that a matrix unit's mapping takes. The
    fused body computes the same scalar ops in the same order: the results
    are equal to the bit. The TPU and Trainium lowerings run it before
    bufferisation, so a chain of elementwise ops (a convolution's batch
    norm and ReLU, a matmul's bias and activation) is one VPU or engine
    op, and an elementwise producer of a reduction is applied in its fold.
    An elementwise op that reads, through the identity, the transpose of a
    contraction's or convolution's epilogue chain runs before the
    transpose instead (its other operands read through the permutation),
    so the chain takes it and the transpose is the program's store (the
    MobileNet block's NCHW residual added to an NHWC convolution's tiles).
    A transpose read only by a layout copy (a generic that yields its one
    input: a broadcast) folds into the copy's map, so one copy is left,
    which the program's stores do (the RoPE table's cos, transposed and
    repeated over both halves). With `sink-transposes=false` (the CPU's
    pipeline) transposes stay where they are: on the host a transpose sunk below a broadcasting op copies
    the larger result (the RoPE table's broadcast over its new dimension
    of 2 made its kernel 1.4 times slower).
    With `fuse-broadcasts=false` (the CPU's pipeline) a producer its user
    reads broadcast (fewer elements than the user's iterations: a norm's
    per-row scale, a squeeze-excitation gate's sigmoid over [1, 1, 1, C]
    multiplied into [1, H, W, C]) stays a loop of its own: fused, its ops
    would run once per element of the user, not once per its own element.
  }];
  let options = [
    Option<"sinkTransposes", "sink-transposes", "bool", /*default=*/"true",
           "Run an elementwise op over a transposed epilogue chain before "
           "the transpose, and fold a transpose into the layout copy that "
           "reads it">,
    Option<"fuseBroadcasts", "fuse-broadcasts", "bool", /*default=*/"true",
           "Fuse a producer its user reads broadcast (its ops then run once "
           "per element of the user)">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def WorkloadPrintWorkPass : Pass<"wl-print-work", "::mlir::ModuleOp"> {
  let summary = "Print every wl op's FLOPs, bytes and kind, per function";
  let description = [{
    Prints, for every function, one row per op that implements
    `WorkloadCostInterface` (its kind, result type, FLOPs, bytes read and
    written, and arithmetic intensity) and a total row. A `wl.kernel` or
    `wl.opaque` is one row; the ops inside it are counted in it. The counts are the
    interface's, so this is how a user checks what every cost model will
    see. The IR is left unchanged.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"table\"",
           "Output format: 'table' (for people) or 'json' (for tools)">,
  ];
}

def WorkloadImportPass : Pass<"wl-import", "::mlir::ModuleOp"> {
  let summary = "Raise upstream linalg, tensor and TOSA ops into wl";
  let description = [{
    Raises the MLIR users already have into `wl`: linalg contractions
    (named or `linalg.generic` whose body is a multiply-accumulate over
    permuted operands) into `wl.matmul`/`wl.batch_matmul` with the needed
    transposes and reshapes; NCHW and NHWC convolutions, depthwise
    convolutions and pooling (absorbing the `tensor.pad` in front of them)
    into `wl.conv2d`/`wl.pool2d`; parallel linalg ops into one wl op per
    body op (with numpy broadcasting in place of the indexing maps);
    reductions into `wl.reduce`; `linalg.softmax`; static `tensor` reshapes,
    slices, pads and concats; and TOSA ops. An output that a linalg op
    accumulates into is added back unless it is zero, so the program
    computes the same values. Constant powers (`math.fpowi`, `math.powf`)
    become multiplications, `sqrt` or `rsqrt`; arith and math ops on whole
    tensors become the wl ops their scalar forms raise to.

    Activations and normalisations written out as arithmetic, whatever the
    operand order and association, are raised as the one wl op a fusing
    compiler makes of them: GELU in its erf and tanh forms (`wl.gelu`),
    sigmoid and SiLU (`wl.sigmoid`), layer norm and RMS norm over the
    trailing dims with or without scale and bias (`wl.layer_norm`,
    `wl.rms_norm`; the means as sums over the count or mean reductions),
    and softmax (`wl.softmax`; divided by the sum or multiplied by its
    reciprocal). The matchers see an expression as a polynomial over its
    leaves (passes/Conversion/LinalgToWorkload/Idioms.h); a constant must
    match to four units in the last place of its element type, so a near
    miss (another coefficient, an unbiased variance) stays as written.

    The layout transposes raising puts around NHWC convolutions and
    pooling in an NCHW model sink past the layout-blind ops between them
    (elementwise ops, whose smaller operands are permuted to match, and
    unit-dim reshapes; a transpose with several users when all of them
    are such ops) and cancel (passes/Conversion/LinalgToWorkload/
    Layout.h). Then reshapes sink below the elementwise ops after them
    and fold into the next one.

    What cannot be raised (a lone `math.erf`, a gather, an `i64` tensor,
    ...) is wrapped in a `wl.opaque` kernel, still costed and run
    through the reference lowering, so an import never fails merely
    because an op is unfamiliar. Dynamic shapes are rejected with a
    diagnostic on the op. `wl-import-report` says what was raised.
  }];
  let dependentDialects = [
    "::fungible::wl::WLDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def WorkloadImportReportPass : Pass<"wl-import-report", "::mlir::ModuleOp"> {
  let summary = "Print what an import raised into wl and what stayed opaque";
  let description = [{
    For every function, counts the raised wl ops and their FLOPs (by op),
    the `wl.opaque` kernels and their FLOPs (by the op they wrap) and every
    other op left as it is at the function's top level, whatever its
    dialect, with its FLOPs: `tensor.insert_slice` (none), math on whole
    tensors (one per element), `scf.for`/`affine.for` loops over buffers
    (trip count times the body's arithmetic), `bufferization.to_buffer`.
    Constants, terminators, `tensor.empty` and host-side func, cf and llvm
    code (calls, asserts, timers) are not counted. It then prints a module
    total with the share of all the FLOPs that ended up in raised wl ops. Run it after `wl-import`:
    `fungible-opt --wl-import --wl-import-report model.mlir`.
  }];
}

def WorkloadRaiseBufferLoopsPass : Pass<"wl-raise-buffer-loops", "::mlir::ModuleOp"> {
  let summary = "Raise the loops of buffer-code kernels into ops on tensors";
  let description = [{
    A `wl.opaque` kernel of buffer code (what `wl-wrap-buffer-code` makes
    of loops over memrefs) becomes ops on tensors when its loops compute,
    store by store and reduction by reduction, what whole-tensor ops
    compute; those are then raised into `wl` as `wl-import` raises linalg
    (a dot product over a row of a cache becomes a `wl.batch_matmul`, a
    running maximum a `wl.reduce`). Part of `wl-import-and-outline`.

    Each buffer of the kernel (a fresh allocation, a copy of an input, an
    input read in place) is followed as a tensor of its contents. Each
    `scf.for`/`affine.for` nest (constant bounds, positive steps, nothing
    in it but loops, loads, stores and pure scalar code) is split into
    `linalg.generic` ops, emitted in program order:

    - a store is a parallel generic over the loops around it, each loop
      one dim of the stored buffer (an index `64 * h + d` with `d < 64`
      splits a dim in two; an index without loops, such as a position
      argument, is a slice); its result goes back into the buffer's
      contents (a `tensor.insert_slice` where it covers part of it);
    - a value a loop carries and combines with one op (`acc + x`,
      `max(m, s)`) is a reduction over the loops around it and the loop;
    - a float value computed in fewer loops than the code that uses it
      (the reciprocal of a row's sum) is a generic over its own loops, so
      its work is not repeated per use.

    Loads read the contents as they were where they stand; a value a store
    wrote is read back from the stored result. Splitting a nest this way
    keeps its meaning when no element passes between iterations of a loop
    that two accesses to a buffer share: for every write and every other
    access to its buffer, each shared loop must select disjoint parts of
    the buffer in both (the same `c * loop` term in some dim, the rest of
    that dim's index within `c`). A kernel for which any of this does not
    hold stays as it is, opaque (its FLOPs counted from its loops).
  }];
  let dependentDialects = [
    "::fungible::wl::WLDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def WorkloadWrapLeftoversPass : Pass<"wl-wrap-leftovers", "::mlir::ModuleOp"> {
  let summary = "Wrap tensor ops left at a function's top level as opaque "
                "kernels";
  let description = [{
    What `wl-import` leaves at a function's top level that computes ranked
    tensors (an integer fill, elementwise math on whole tensors; not a
    constant or `tensor.empty`) is moved into a `wl.opaque` op, so it is
    costed, placed and run as a kernel of its own. Part of
    `wl-import-and-outline`, the pipeline every tool takes a model through.
  }];
  let dependentDialects = ["::fungible::wl::WLDialect"];
}

def WorkloadWrapBufferCodePass : Pass<"wl-wrap-buffer-code", "::mlir::ModuleOp"> {
  let summary = "Wrap code over buffers (loops over memrefs) as opaque "
                "kernels with value semantics";
  let description = [{
    Code a producer left at the buffer level (`scf.for`/`affine.for` nests
    that load and store `memref`s, `memref.alloc`, `memref.copy`,
    `bufferization.to_buffer`/`to_tensor`: a decode step's KV-cache write
    and hand-written attention) becomes `wl.opaque` kernels that take and
    give tensors, so it is costed, placed and run like any other kernel.

    Each run of consecutive top-level ops that touch a buffer (constants
    and pure scalar code between them do not break a run) is one kernel.
    A buffer it uses from outside (a `memref` argument of the function, a
    buffer an earlier run allocated, a `to_buffer` of a tensor) comes in
    as a tensor of its current contents; one the run writes is copied
    into a fresh buffer first, and the run yields its new contents
    (`bufferization.to_tensor`) when anything after it, or the caller,
    sees it. Views of a buffer (subview, cast, reshapes) are made again
    inside each run that uses them. A `memref` argument's contents come
    in through a `bufferization.to_tensor` at the function's entry and,
    when a run writes it, go back through a
    `bufferization.materialize_in_destination` before the return, so the
    function computes what it did and upstream's lowering still takes it.
    A constant global a run reads becomes a constant in its kernel (a
    kernel is compiled without the module's globals).

    Not supported, with a diagnostic: a `memref` argument or buffer with a
    dynamic shape, a layout or a memory space; a function returning a
    `memref`; a scalar computed from buffers that code after another
    kernel uses; a mutable global.
  }];
  let dependentDialects = [
    "::fungible::wl::WLDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def WorkloadOutlineKernelsPass : Pass<"wl-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Group wl ops into named kernels (wl.kernel)";
  let description = [{
    Groups the wl ops of every function into `wl.kernel` ops, the units
    that are costed, placed and compiled. A contraction or a reduction
    (softmax, normalisations and pooling included) starts a kernel; the
    elementwise and data-movement ops that consume its results, directly or
    through one another, are fused into it (a bias add, an activation, a
    residual add, a cast; `x * sigmoid(x)` and GELU written out op by op
    alike); so is a broadcast, reshape or transpose whose only user is
    fused and whose input comes from outside (a bias broadcast). An
    elementwise op with no kernel to join starts one of its own that later
    elementwise consumers join. A `wl.opaque` is a kernel on its own;
    `wl.transfer` is never part of a kernel.

    An op only joins a kernel when no other input of it depends on that
    kernel, so kernels never form a cycle; the function's ops are then
    reordered topologically. Values used after a kernel are its results;
    values used only inside stay on chip, so a kernel's bytes are what
    crosses its boundary. Each kernel is named after its anchor op and its
    position in the module (`matmul_0`, `softmax_3`, ...: one count for
    the whole module, in program order, skipping names already taken), so
    names are unique in a module; tools address it as `<function>/<name>`. Splat constants used inside are cloned in.

    ```
    fungible-opt --wl-import --wl-outline-kernels model.mlir
    ```
  }];
  let options = [
    Option<"fuse", "fuse", "bool", /*default=*/"true",
           "Fuse consumers into kernels; with fuse=false every wl op is a "
           "kernel of its own">,
  ];
  let dependentDialects = ["::fungible::wl::WLDialect"];
}

def WorkloadEstimateCostsPass : Pass<"wl-estimate-costs", "::mlir::ModuleOp"> {
  let summary = "Attach every target's cost estimate to every kernel";
  let description = [{
    Asks every selected target for its estimate of every kernel (each
    `wl.kernel`, or each wl op of a module that was not outlined) and
    attaches them as the `wl.estimates` dictionary: one entry per target
    with `seconds`, `joules`, `dollars`, `bound`, `utilization`,
    `padding_waste` and `feasible`, plus `wl.cheapest`, the target with the
    lowest `metric` among the feasible ones. Targets are the built-in chip
    specs (`specs-dir`), the specs added with `target-specs` and the
    targets of plugins loaded with `fungible-opt --load-target-plugin`.

    ```
    fungible-opt --wl-outline-kernels \
        --wl-estimate-costs=targets=h100,trn2,tpu-v5p model.mlir
    ```
  }];
  let options = [
    ListOption<"targets", "targets", "std::string",
               "Targets to estimate (default: every registered target)">,
    ListOption<"targetSpecs", "target-specs", "std::string",
               "Chip spec JSON files to add as targets">,
    Option<"specsDir", "specs-dir", "std::string", /*default=*/"\"\"",
           "Directory of the built-in chip specs (default: the installed "
           "ones)">,
    Option<"metric", "metric", "::fungible::Objective",
           /*default=*/"::fungible::Objective::Time",
           "What wl.cheapest minimises", [{::llvm::cl::values(
             clEnumValN(::fungible::Objective::Time, "time", "seconds"),
             clEnumValN(::fungible::Objective::Energy, "energy", "joules"),
             clEnumValN(::fungible::Objective::Dollars, "dollars",
                        "dollars"))}]>,
  ];
}

def WorkloadPlacePass : Pass<"wl-place", "::mlir::ModuleOp"> {
  let summary = "Place every kernel on its cheapest target, transfers counted";
  let description = [{
    For every function, builds the placement problem of its kernels (each
    `wl.kernel`, or each wl op of a module that was not outlined): every
    target's estimate of every kernel in the chosen `objective`, infinite
    where the kernel does not fit; every value one kernel passes to another
    as an edge carrying its bytes; and the link model between targets
    (`placement/Links.h`: the family link within a family, PCIe to
    the host, staged through the host across families). The solver
    (`placement/Placement.h`) minimises kernels plus transfers:
    exactly on chains, trees and graphs of small induced width, with a
    heuristic and a lower bound beyond.

    Each kernel gets `wl.target`; every value used on another target than
    its producer's goes through one `wl.transfer` per destination target,
    inserted after the producer. With one target the placement is the
    identity (no transfers). The function gets `wl.placement`: the
    objective, the placement's cost, its lower bound and method, and the
    best single-target cost, which the placement never exceeds. Transfers
    cost time at link speed; in dollars and energy, a transfer bills both
    ends for its duration (price and board power). Function arguments and
    results are not pinned to a device. A value read by several kernels is
    charged, as it is moved, once per distinct destination target.

    `objective=makespan` places and orders the kernels over devices
    (`devices=h100:2,trn2:4`; one per target not listed) so that one
    execution ends first, independent kernels on different devices and
    transfers overlapping compute (`placement/Makespan.h`: HEFT and local
    search, branch and bound up to 8 kernels, a lower bound). Each kernel
    also gets `wl.schedule`: its device (index within its target), its
    position in the order, and its planned start and end in seconds;
    `wl.placement`'s cost is the makespan. `method=tree` does not apply;
    caps do not either.

    `max-dollars` or `max-joules` caps the placement's total dollars or
    energy (kernels plus transfers, as above) while it minimises the
    objective: the solver relaxes the cap with a Lagrange multiplier and
    reports a lower bound and `optimal` honestly (`wl.placement` gains
    `budget`, `budget_limit` and `budget_used`; the best single target is
    then the best one within the cap). A cap no placement meets is an error
    that says the least it could be.

    ```
    fungible-opt --wl-import --wl-outline-kernels \
        --wl-place="objective=dollars targets=h100,tpu-v5p,trn2,cpu-host" m.mlir
    ```
  }];
  let options = [
    Option<"objective", "objective", "::fungible::PlaceObjective",
           /*default=*/"::fungible::PlaceObjective::Time", "What to minimise",
           [{::llvm::cl::values(
             clEnumValN(::fungible::PlaceObjective::Time, "time",
                        "seconds, kernels plus transfers"),
             clEnumValN(::fungible::PlaceObjective::Energy, "energy",
                        "joules, kernels plus transfers"),
             clEnumValN(::fungible::PlaceObjective::Dollars, "dollars",
                        "dollars, kernels plus transfers"),
             clEnumValN(::fungible::PlaceObjective::Makespan, "makespan",
                        "the end of one execution over the devices"))}]>,
    ListOption<"devices", "devices", "std::string",
               "With objective=makespan: devices per target as chip:count "
               "(a target not listed has one)">,
    ListOption<"targets", "targets", "std::string",
               "Targets to place on (default: every registered target)">,
    ListOption<"targetSpecs", "target-specs", "std::string",
               "Chip spec JSON files to add as targets">,
    Option<"specsDir", "specs-dir", "std::string", /*default=*/"\"\"",
           "Directory of the built-in chip specs (default: the installed "
           "ones)">,
    Option<"method", "method", "::fungible::placement::Method",
           /*default=*/"::fungible::placement::Method::Auto", "Solver",
           [{::llvm::cl::values(
             clEnumValN(::fungible::placement::Method::Auto, "auto",
                        "tree when it applies, else exact, else heuristic"),
             clEnumValN(::fungible::placement::Method::Tree, "tree",
                        "exact DP on a forest"),
             clEnumValN(::fungible::placement::Method::Exact, "exact",
                        "bucket elimination"),
             clEnumValN(::fungible::placement::Method::Heuristic, "heuristic",
                        "spanning-forest DP, local and window search"))}]>,
    Option<"maxDollars", "max-dollars", "double", /*default=*/"-1",
           "Cap on the placement's total dollars (default: none)">,
    Option<"maxJoules", "max-joules", "double", /*default=*/"-1",
           "Cap on the placement's total energy in joules (default: none)">,
  ];
  let dependentDialects = ["::fungible::wl::WLDialect"];
}

def WorkloadLowerPass : Pass<"wl-lower", "::mlir::ModuleOp"> {
  let summary = "Lower the module to one chip's code with that target's pipeline";
  let description = [{
    Runs the lowering pipeline that the target named by `target` contributes
    (`Target::buildLoweringPipeline`) on the module, as a dynamic pipeline,
    so `--mlir-print-ir-after-all` shows every stage. Built-in pipelines:

    - `gpu` family (`h100`, `h200`: sm_90; `b200`: sm_100; a spec's
      `sm_arch` param): wl -> linalg -> buffers -> one `gpu.launch` per
      linalg op (f16/bf16 matmuls on tensor cores with `mma.sync`, the rest
      on a 1-D grid) -> NVVM -> PTX, left in a `gpu.binary` per kernel
      module (`assembly = "..."`);
    - `tpu` family (`tpu-v5e`, `tpu-v5p`, `tpu-v6e`): wl -> linalg ->
      buffers -> an `mxu` program (VMEM tiles, DMA, MXU, VPU) for every
      matmul and elementwise op; other ops stay loops on HBM buffers;
    - `cpu` family (`cpu-host`): the JIT's own lowering, to the LLVM
      dialect.

    With `emulate`, the target's host emulation pipeline runs instead
    (`Target::buildEmulationPipeline`): the module ends in the LLVM dialect
    for the host and computes what the chip's code computes (`tpu`: the
    `mxu` programs lowered to loops; `trainium`: the `neuron` programs
    lowered to loops; `cpu`: its own code).

    A target without a lowering (a plugin that adds none) or without an
    emulator (with `emulate`: the `gpu` family) is an error naming the
    targets that have one.

    ```
    fungible-opt --wl-import --wl-lower=target=h100 model.mlir
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "The chip to lower for (a registered target's name)">,
    ListOption<"targetSpecs", "target-specs", "std::string",
               "Chip spec JSON files to add as targets">,
    Option<"specsDir", "specs-dir", "std::string", /*default=*/"\"\"",
           "Directory of the built-in chip specs (default: the installed "
           "ones)">,
    Option<"emulate", "emulate", "bool", /*default=*/"false",
           "Lower to the LLVM dialect for the host instead: the target's "
           "functional emulator (Target::buildEmulationPipeline)">,
  ];
}

def WorkloadCompilePass : Pass<"wl-compile", "::mlir::ModuleOp"> {
  let summary = "Compile every kernel for every target it fits: a fat module";
  let description = [{
    For every `wl.kernel` of every function and every target of `targets`
    (default: every registered one) whose cost model finds the kernel
    feasible there and that has a lowering, the kernel becomes a function
    of its own in a nested module `@"<kernel>.<chip>"` (attributes
    `wl.kernel`, `wl.target`) lowered by that target's pipeline (what
    `wl-lower{target=<chip>}` runs). Each kernel records the chips it was
    compiled for (`wl.compiled`) and why the others were left out
    (`wl.not_compiled`: "infeasible: ..." or "no lowering"). The functions
    themselves are unchanged, so the module still runs and places as
    before; the runtime can pick any compiled variant without
    recompiling.

    The variants are lowered in parallel (each by its own copy of its
    target's pipeline; `--mlir-disable-threading` for one thread) and the
    result does not depend on the thread count. Kernel names must be unique
    in the module (`wl-outline-kernels` makes them so); a duplicate is an
    error on the kernel.

    ```
    fungible-opt --wl-outline-kernels --wl-compile=targets=h100,tpu-v5p,trn2,cpu-host model.mlir
    ```
  }];
  let options = [
    ListOption<"targets", "targets", "std::string",
               "Chips to compile for (default: every registered target)">,
    ListOption<"targetSpecs", "target-specs", "std::string",
               "Chip spec JSON files to add as targets">,
    Option<"specsDir", "specs-dir", "std::string", /*default=*/"\"\"",
           "Directory of the built-in chip specs (default: the installed "
           "ones)">,
  ];
}

#endif // FUNGIBLE_PASSES_PASSES_TD
