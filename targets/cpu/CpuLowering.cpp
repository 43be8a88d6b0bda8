//===- CpuLowering.cpp - The CPU target's lowering pipeline -----*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CPU target's lowering (CpuLowering.h): the
// shared front end to bufferised linalg, the matmul schedule
// (CpuMatmulSchedule.cpp), the parallel loops (CpuParallelLoops.cpp), then
// upstream's path to the LLVM dialect; and the passes that are small: f32
// accumulators for narrow matmuls, FMAs in contractions left to loops, the
// C interface.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuLowering.h"
#include "passes/Passes.h"
#include "targets/LoweringSupport.h"
#include "targets/cpu/CpuPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace fungible {
#define GEN_PASS_DEF_CPUWIDENACCUMULATORSPASS
#define GEN_PASS_DEF_CPUFUSECONTRACTIONSPASS
#define GEN_PASS_DEF_CPUEMITCINTERFACEPASS
#define GEN_PASS_DEF_CPUAPPROXIMATEMATHPASS
#define GEN_PASS_DEF_CPUREASSOCIATEREDUCTIONSPASS
#define GEN_PASS_DEF_CPUREGISTERACCUMULATORSPASS
#define GEN_PASS_DEF_CPUCOPIESTOLOOPSPASS
#include "targets/cpu/CpuPasses.h.inc"

namespace {

/// Narrow float matmuls (bf16, f16, f8 results) accumulate in f32 and round
/// once, as tensor cores, MXUs and TensorEngines do, instead of rounding
/// after every step as linalg's named ops define it: a kernel then gives
/// the same numbers on the host as on every chip. On memrefs: C is widened
/// into an f32 buffer, the product accumulates there, and the sum is
/// rounded back into C.
struct CpuWidenAccumulatorsPass
    : impl::CpuWidenAccumulatorsPassBase<CpuWidenAccumulatorsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isPlainNamedMatmul(op) && op.hasPureBufferSemantics())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      Value c = op.getDpsInits()[0];
      auto type = dyn_cast<MemRefType>(c.getType());
      auto element = type ? dyn_cast<FloatType>(type.getElementType())
                          : FloatType();
      if (!element || element.getWidth() >= 32 || !type.hasStaticShape())
        continue;
      OpBuilder b(op);
      Location loc = op.getLoc();
      Type f32 = b.getF32Type();
      Value wide = memref::AllocOp::create(
          b, loc, MemRefType::get(type.getShape(), f32));
      AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
      SmallVector<utils::IteratorType> parallel(
          type.getRank(), utils::IteratorType::parallel);
      auto convert = [&](Value from, Value to, Type into) {
        linalg::GenericOp::create(
            b, loc, TypeRange(), from, to,
            SmallVector<AffineMap>{identity, identity}, parallel,
            [&](OpBuilder &nb, Location l, ValueRange args) {
              linalg::YieldOp::create(nb, l,
                                      convertFloat(nb, l, args[0], into));
            });
      };
      convert(c, wide, f32);
      // A named op's body is built for its output type: build it anew.
      SmallVector<Value> inputs(op.getDpsInputs());
      if (isa<linalg::MatmulOp>(op))
        linalg::MatmulOp::create(b, loc, inputs, ValueRange{wide});
      else
        linalg::BatchMatmulOp::create(b, loc, inputs, ValueRange{wide});
      convert(wide, c, element);
      memref::DeallocOp::create(b, loc, wide);
      op->erase();
    }
  }
};

/// Rewrites the accumulation of a float contraction or convolution left to
/// loops as math.fma (CpuPasses.td; fuseContractionAccumulations).
struct CpuFuseContractionsPass
    : impl::CpuFuseContractionsPassBase<CpuFuseContractionsPass> {
  void runOnOperation() override {
    fuseContractionAccumulations(getOperation());
  }
};

/// Marks the combiners of float reductions reassociable (CpuPasses.td).
struct CpuReassociateReductionsPass
    : impl::CpuReassociateReductionsPassBase<CpuReassociateReductionsPass> {
  void runOnOperation() override {
    getOperation().walk([](linalg::LinalgOp op) {
      if (!isa<linalg::GenericOp, linalg::ReduceOp>(op) ||
          !op.getNumReductionLoops())
        return;
      Block *body = op.getBlock();
      for (auto [init, yielded] :
           llvm::zip(op.getRegionOutputArgs(),
                     body->getTerminator()->getOperands())) {
        Operation *combiner = yielded.getDefiningOp();
        if (!combiner || combiner->getBlock() != body ||
            !llvm::is_contained(combiner->getOperands(), init) ||
            !isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp,
                 arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp>(
                combiner))
          continue;
        auto math = cast<arith::ArithFastMathInterface>(combiner);
        arith::FastMathFlagsAttr given = math.getFastMathFlagsAttr();
        arith::FastMathFlags flags =
            given ? given.getValue() : arith::FastMathFlags::none;
        math->setAttr(
            math.getFastMathAttrName(),
            arith::FastMathFlagsAttr::get(
                op.getContext(), flags | arith::FastMathFlags::reassoc));
      }
    });
  }
};

/// Replaces the f32 math ops a vectorised loop cannot call libm for with
/// upstream's polynomial approximations (CpuPasses.td).
struct CpuApproximateMathPass
    : impl::CpuApproximateMathPassBase<CpuApproximateMathPass> {
  void runOnOperation() override {
    static constexpr StringLiteral approximated[] = {
        "tanh", "exp", "expm1", "log",  "log1p",
        "log2", "erf", "erfc",  "atan", "atan2"};
    auto selected = [](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained(approximated, name);
    };
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) &&
          selected(op->getName().getStringRef()))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, selected);
    // Only those ops and what their rewrites make: the rest of the module
    // stays as the earlier passes left it.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    config.enableFolding(false);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      return signalPassFailure();
  }
};

/// Whether a view of `root` and one of `other` (roots both) cannot share
/// an element: two buffers, one of them allocated here (an allocation
/// never overlaps another buffer; two arguments, or views of the same
/// buffer, may).
bool cannotOverlap(Value root, Value other) {
  auto allocated = [](Value v) {
    return isa_and_nonnull<memref::AllocOp, memref::AllocaOp>(
        v.getDefiningOp());
  };
  return root != other && (allocated(root) || allocated(other));
}

/// Carries the element `loop` accumulates in memory (CpuPasses.td) as an
/// iteration argument; false when the loop has no such element.
bool registerAccumulator(RewriterBase &rewriter, scf::ForOp loop) {
  // The one store in the loop's body (any other write fails the walk
  // below).
  memref::StoreOp store;
  for (memref::StoreOp s : loop.getBody()->getOps<memref::StoreOp>()) {
    if (store)
      return false;
    store = s;
  }
  if (!store || llvm::any_of(store.getIndices(), [&](Value index) {
        return !loop.isDefinedOutsideOfLoop(index);
      }))
    return false;
  // The one read of the element: the same buffer at the same indices,
  // before the store; nothing else in the loop touches that buffer.
  memref::LoadOp load;
  for (Operation *user : store.getMemRef().getUsers()) {
    if (user == store.getOperation() || !loop->isAncestor(user))
      continue;
    auto l = dyn_cast<memref::LoadOp>(user);
    if (!l || load || l->getBlock() != loop.getBody() ||
        l.getIndices() != store.getIndices() || !l->isBeforeInBlock(store))
      return false;
    load = l;
  }
  if (!load)
    return false;
  // Nothing else in the loop writes memory, and every other read is of a
  // buffer that cannot overlap the element's (user code over buffers may
  // pass one buffer twice).
  Value root = baseOf(store.getMemRef());
  WalkResult others = loop.getBody()->walk([&](Operation *op) {
    if (op == load.getOperation() || op == store.getOperation())
      return WalkResult::advance();
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      bool opaque = !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() &&
                    !isMemoryEffectFree(op);
      return opaque ? WalkResult::interrupt() : WalkResult::advance();
    }
    if (effects.hasEffect<MemoryEffects::Write>())
      return WalkResult::interrupt();
    if (!effects.hasEffect<MemoryEffects::Read>())
      return WalkResult::advance();
    for (Value operand : op->getOperands())
      if (isa<BaseMemRefType>(operand.getType()) &&
          !cannotOverlap(root, baseOf(operand)))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (others.wasInterrupted())
    return false;
  Location loc = loop.getLoc();
  rewriter.setInsertionPoint(loop);
  Value init = memref::LoadOp::create(rewriter, loc, store.getMemRef(),
                                      store.getIndices());
  Value stored = store.getValueToStore();
  FailureOr<LoopLikeOpInterface> carried =
      cast<LoopLikeOpInterface>(loop.getOperation())
          .replaceWithAdditionalYields(
              rewriter, init, /*replaceInitOperandUsesInLoop=*/false,
              [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
                return SmallVector<Value>{stored};
              });
  if (failed(carried))
    return false;
  auto promoted = cast<scf::ForOp>(carried->getOperation());
  rewriter.replaceOp(load, promoted.getRegionIterArgs().back());
  rewriter.setInsertionPointAfter(promoted);
  memref::StoreOp::create(rewriter, loc, promoted.getResults().back(),
                          store.getMemRef(), store.getIndices());
  rewriter.eraseOp(store);
  return true;
}

/// Carries accumulators in registers (CpuPasses.td), innermost loops
/// first.
struct CpuRegisterAccumulatorsPass
    : impl::CpuRegisterAccumulatorsPassBase<CpuRegisterAccumulatorsPass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) { loops.push_back(loop); });
    IRRewriter rewriter(&getContext());
    for (scf::ForOp loop : loops)
      registerAccumulator(rewriter, loop);
  }
};

/// Whether upstream lowers a copy from or to `type` as a memcpy (its
/// MemRefCopyOpLowering's test): an identity layout or a static,
/// contiguous row-major one.
bool isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && (memref.getLayout().isIdentity() ||
                    memref::isStaticShapeAndContiguousRowMajor(memref));
}

/// Rewrites strided memref.copy ops as linalg.copy (CpuPasses.td).
struct CpuCopiesToLoopsPass
    : impl::CpuCopiesToLoopsPassBase<CpuCopiesToLoopsPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      Type source = copy.getSource().getType(),
           target = copy.getTarget().getType();
      // Unranked copies have no loops to write; contiguous ones are memcpy.
      if (isa<MemRefType>(source) && isa<MemRefType>(target) &&
          !(isContiguous(source) && isContiguous(target)))
        copies.push_back(copy);
    });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }
  }
};

/// Marks public functions for a C interface (_mlir_ciface_<name>).
struct CpuEmitCInterfacePass
    : impl::CpuEmitCInterfacePassBase<CpuEmitCInterfacePass> {
  void runOnOperation() override {
    getOperation().walk([](func::FuncOp func) {
      if (func.isPublic() && !func.isExternal())
        func->setAttr("llvm.emit_c_interface",
                      UnitAttr::get(func.getContext()));
    });
  }
};

} // namespace

void addEmitCInterfacePass(OpPassManager &pm) {
  pm.addPass(createCpuEmitCInterfacePass());
}

LogicalResult buildCpuHostBackend(OpPassManager &pm) {
  addEmitCInterfacePass(pm);
  return buildCpuBackendPipeline(pm, CpuJitOptions());
}

LogicalResult buildCpuBackendPipeline(OpPassManager &pm,
                                      const CpuJitOptions &options) {
  pm.addPass(createCpuWidenAccumulatorsPass());
  if (options.vectorize)
    pm.addPass(createCpuVectorizeMatmulsPass());
  pm.addPass(createCpuFuseContractionsPass());
  pm.addPass(createCpuReassociateReductionsPass());
  pm.addPass(createCpuApproximateMathPass());
  pm.addPass(createCpuCopiesToLoopsPass());
  if (options.parallel) {
    pm.addPass(createCpuParallelLoopsPass());
    if (failed(addUpstreamPipeline(pm, "scf-forall-to-parallel")))
      return failure();
  } else if (failed(addUpstreamPipeline(pm, "scf-forall-to-for"))) {
    return failure();
  }
  // The rest is upstream's textual pipeline, as the lit tests spell it.
  // Transfers are fully unrolled: the masked rank-3 transfers of ragged
  // batch-matmul tiles otherwise get an alloca'd buffer per loop iteration
  // and overflow the stack (GPT-2's attention at batch 1 needed > 512 MiB).
  // The thread count is OpenMP's (OMP_NUM_THREADS, else every core).
  if (failed(addUpstreamPipeline(
          pm, "convert-linalg-to-loops, loop-invariant-code-motion")))
    return failure();
  pm.addPass(createCpuRegisterAccumulatorsPass());
  if (failed(addUpstreamPipeline(pm, "expand-strided-metadata, lower-affine")))
    return failure();
  // convert-scf-to-openmp wraps each parallel body in memref.alloca_scope,
  // which must stay one block: canonicalisation inlines the scopes that
  // allocate nothing (all of ours) before the loops inside become blocks.
  // Consecutive parallel loops then share one fork.
  if (options.parallel) {
    if (failed(addUpstreamPipeline(pm, "convert-scf-to-openmp, canonicalize")))
      return failure();
    pm.addPass(createCpuMergeParallelRegionsPass());
  }
  return addUpstreamPipeline(
      pm, "convert-vector-to-scf{full-unroll=true}, convert-scf-to-cf, "
          "convert-vector-to-llvm, "
          "convert-math-to-llvm, convert-math-to-libm, convert-to-llvm, "
          "reconcile-unrealized-casts");
}

LogicalResult buildCpuLoweringPipeline(OpPassManager &pm,
                                       const CpuJitOptions &options) {
  addEmitCInterfacePass(pm);
  if (failed(addBufferizedLinalgPipeline(
          pm, /*deallocate=*/true, [](OpPassManager &tensors) {
            // A chain of elementwise ops (a convolution's batch norm and
            // activation, a matmul's bias) is one loop nest over one
            // buffer, not one pass over memory and one buffer per op; a
            // chain its user reads broadcast (a squeeze-excitation gate's
            // sigmoid, a norm's per-row scale) runs once per its own
            // element, in a loop of its own.
            tensors.addPass(createFuseElementwiseProducersPass(
                FuseElementwiseProducersPassOptions{/*sinkTransposes=*/false,
                                                    /*fuseBroadcasts=*/false}));
            // An attention's scores in cache-sized tiles of query rows.
            tensors.addPass(createCpuTileAttentionRowsPass());
            // A norm's or softmax's passes in cache-sized tiles of rows.
            tensors.addPass(createCpuTileNormRowsPass());
          })))
    return failure();
  return buildCpuBackendPipeline(pm, options);
}

} // namespace fungible
