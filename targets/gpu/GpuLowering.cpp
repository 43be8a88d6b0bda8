//===- GpuLowering.cpp - The GPU target's lowering to PTX -------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the GPU target's lowering (GpuLowering.h).
//
// The tensor-core kernel follows the PTX ISA's fragment layouts for
// mma.sync.aligned.m16n8k16.row.col.f32.{bf16,f16}: with g = lane / 4 and
// t = lane % 4,
//   A (16x16, row): register 0 = A[g][2t..2t+1],   1 = A[g+8][2t..2t+1],
//                   register 2 = A[g][2t+8..2t+9], 3 = A[g+8][2t+8..2t+9];
//   B (16x8, col):  register 0 = B[2t..2t+1][g],   1 = B[2t+8..2t+9][g];
//   C/D (16x8 f32): c0, c1 = C[g][2t..2t+1], c2, c3 = C[g+8][2t..2t+1];
// the lower-indexed half of a register is its low 16 bits. B is staged in
// shared memory transposed (Bs[n][k]) so that each B register is one
// 32-bit load, as each A register is.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuLowering.h"
#include "targets/LoweringSupport.h"
#include "targets/gpu/GpuPasses.h"
#include "targets/gpu/SimtMatmul.h"
#include "targets/gpu/TensorCores.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Utils/GPUUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace fungible {
#define GEN_PASS_DEF_GPUMAPMATMULSTOTENSORCORESPASS
#define GEN_PASS_DEF_GPUMAPLINALGTOGRIDPASS
#define GEN_PASS_DEF_GPUAPPROXIMATEMATHPASS
#define GEN_PASS_DEF_GPUALIGNWORKGROUPMEMORYPASS
#define GEN_PASS_DEF_GPUSINKCONSTANTSPASS
#include "targets/gpu/GpuPasses.h.inc"

namespace {

using namespace gpu_kernels;

/// What gpu-module-to-binary needs to turn NVVM into PTX: the NVVM target
/// attribute's serialiser and the translations to LLVM IR.
void registerPtxSerialization(DialectRegistry &registry) {
  registry.insert<NVVM::NVVMDialect, LLVM::LLVMDialect, gpu::GPUDialect>();
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

//===----------------------------------------------------------------------===//
// Tensor-core matmuls (TensorCores.{h,cpp})
//===----------------------------------------------------------------------===//

struct GpuMapMatmulsToTensorCoresPass
    : impl::GpuMapMatmulsToTensorCoresPassBase<GpuMapMatmulsToTensorCoresPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<std::pair<linalg::LinalgOp, TensorCoreMatmul>> matmuls;
    getOperation().walk([&](linalg::LinalgOp op) {
      // A matmul in a tile loop is lowered with the rest of its tile.
      if (op->getParentOfType<gpu::LaunchOp>() ||
          op->getParentOfType<scf::ForallOp>())
        return;
      if (std::optional<TensorCoreMatmul> mm = matchTensorCoreMatmul(op))
        matmuls.emplace_back(op, *mm);
    });
    WgmmaLaunchShape shape;
    for (auto [option, field] : {std::pair(int64_t(wgmmaTileN), &shape.tileN),
                                 std::pair(int64_t(wgmmaTileK), &shape.tileK),
                                 std::pair(int64_t(wgmmaStages), &shape.stages),
                                 std::pair(int64_t(wgmmaGroupM), &shape.groupM),
                                 std::pair(int64_t(wgmmaSms), &shape.sms)})
      if (option)
        *field = option;
    if (wgmmaSwizzle >= 0)
      shape.swizzle = wgmmaSwizzle != 0;
    if (wgmmaTma >= 0)
      shape.tma = wgmmaTma != 0;
    if (std::string why = shape.whyInvalid(); wgmma && !why.empty()) {
      getOperation().emitError("the sm_90a GEMM kernel cannot take its "
                               "shape: ")
          << why;
      return signalPassFailure();
    }
    for (auto &[op, mm] : matmuls) {
      // A +0 fill just before it (the zeros a wl.matmul starts from) is the
      // kernel's zeroed accumulators instead of a launch of its own and a
      // read of C. Only +0: a -0 fill would keep an all -0 sum -0.
      linalg::FillOp fill = zeroFillBefore(op);
      mm.zeroInit = fill && matchPattern(fill.getInputs()[0], m_PosZeroFloat());
      if (!wgmma || !lowerToWgmma(op, mm, shape))
        lowerToTensorCores(op, mm);
      if (mm.zeroInit)
        fill.erase();
    }
  }
};

//===----------------------------------------------------------------------===//
// Everything else: parallel loops on a 1-D grid
//===----------------------------------------------------------------------===//

/// A loop nest's constant bounds, normalised: iteration i of dimension d
/// is lbs[d] + i * steps[d], for i < trips[d]; `total` iterations in all.
struct ConstantLoops {
  SmallVector<int64_t> lbs, steps, trips;
  int64_t total = 1;
};

/// The bounds of a loop nest, if all are constant (with positive steps).
std::optional<ConstantLoops> getConstantLoops(ArrayRef<OpFoldResult> lbs,
                                              ArrayRef<OpFoldResult> ubs,
                                              ArrayRef<OpFoldResult> steps) {
  ConstantLoops loops;
  for (auto [lb, ub, step] : llvm::zip(lbs, ubs, steps)) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    loops.lbs.push_back(*l);
    loops.steps.push_back(*s);
    loops.trips.push_back(std::max<int64_t>(0, ceilDiv(*u - *l, *s)));
    loops.total *= loops.trips.back();
  }
  return loops;
}

/// Maps each of `ivs` to its value at iteration `linear` of `loops`
/// (innermost dimension fastest).
void mapDelinearized(IndexMath &im, Value linear, const ConstantLoops &loops,
                     ValueRange ivs, IRMapping &mapping) {
  Value rest = linear;
  for (int64_t d = loops.trips.size() - 1; d >= 0; --d) {
    Value i = d ? im.rem(rest, loops.trips[d]) : rest;
    if (d)
      rest = im.div(rest, loops.trips[d]);
    mapping.map(ivs[d], im.add(im.mul(i, loops.steps[d]), loops.lbs[d]));
  }
}

constexpr int64_t kGridThreads = 256;

/// Maps the scf.parallel `loop` (constant bounds), the outermost loop in
/// `launch`'s body, onto a 1-D grid: one thread per iteration.
LogicalResult mapToGrid(scf::ParallelOp loop, gpu::LaunchOp launch) {
  std::optional<ConstantLoops> loops =
      getConstantLoops(getAsOpFoldResult(loop.getLowerBound()),
                       getAsOpFoldResult(loop.getUpperBound()),
                       getAsOpFoldResult(loop.getStep()));
  if (!loops)
    return loop.emitError("a parallel loop without constant bounds cannot "
                          "be mapped to the GPU grid");
  int64_t total = loops->total;
  OpBuilder b(launch);
  Location loc = loop.getLoc();
  IndexMath im{b, loc};
  int64_t threads = std::min(total, kGridThreads);
  launch.getGridSizeXMutable().assign(
      im.c(std::max<int64_t>(1, ceilDiv(total, threads))));
  launch.getBlockSizeXMutable().assign(im.c(std::max<int64_t>(1, threads)));

  b.setInsertionPoint(loop);
  Value linear =
      im.add(im.mul(launch.getBlockIds().x, threads), launch.getThreadIds().x);
  auto guard = scf::IfOp::create(b, loc, im.lt(linear, total));
  b.setInsertionPointToStart(guard.thenBlock());
  IRMapping mapping;
  mapDelinearized(im, linear, *loops, loop.getInductionVars(), mapping);
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  loop.erase();
  return success();
}

/// Wraps `op` in a gpu.launch and lowers it to loops there; its outermost
/// parallel loop is then spread over the grid (one thread runs an op
/// without parallel loops).
LogicalResult lowerToGrid(linalg::LinalgOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto launch = gpu::LaunchOp::create(b, loc, one, one, one, one, one, one);
  Block &body = launch.getBody().front();
  OpBuilder inner = OpBuilder::atBlockBegin(&body);
  auto terminator = gpu::TerminatorOp::create(inner, loc);
  op->moveBefore(terminator);
  IRRewriter rewriter(op->getContext());
  rewriter.setInsertionPoint(op);
  if (failed(linalg::linalgOpToParallelLoops(rewriter, op)))
    return op->emitError("cannot lower this op to loops for the GPU");
  rewriter.eraseOp(op);
  // The loops come after the constants they use.
  auto loops = body.getOps<scf::ParallelOp>();
  if (!loops.empty())
    return mapToGrid(*loops.begin(), launch);
  return success();
}

//===----------------------------------------------------------------------===//
// Fused kernels: one tile loop, one launch
//===----------------------------------------------------------------------===//

/// The threads of a CTA running a fused tile.
constexpr int64_t kTileThreads = kThreads;
/// Static shared memory a CTA may use (CUDA's limit without opting in).
constexpr int64_t kMaxSharedBytes = 48 * 1024;

int64_t byteSize(MemRefType type) {
  return type.getNumElements() *
         ceilDiv(type.getElementType().getIntOrFloatBitWidth(), 8);
}

/// Rebuilds the view ops reading `root` (whose type just changed memory
/// space), so that their result types follow.
void retypeViews(Value root) {
  SmallVector<Operation *> users(root.getUsers());
  for (Operation *user : users) {
    OpBuilder b(user);
    Value rebuilt;
    if (auto subview = dyn_cast<memref::SubViewOp>(user)) {
      auto type =
          cast<MemRefType>(memref::SubViewOp::inferRankReducedResultType(
              subview.getType().getShape(), cast<MemRefType>(root.getType()),
              subview.getMixedOffsets(), subview.getMixedSizes(),
              subview.getMixedStrides()));
      rebuilt = memref::SubViewOp::create(
          b, subview.getLoc(), type, root, subview.getMixedOffsets(),
          subview.getMixedSizes(), subview.getMixedStrides());
    } else if (auto expand = dyn_cast<memref::ExpandShapeOp>(user)) {
      rebuilt = memref::ExpandShapeOp::create(
          b, expand.getLoc(), expand.getResultType().getShape(), root,
          expand.getReassociationIndices());
    } else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(user)) {
      rebuilt = memref::CollapseShapeOp::create(
          b, collapse.getLoc(), root, collapse.getReassociationIndices());
    } else {
      continue;
    }
    user->getResult(0).replaceAllUsesWith(rebuilt);
    user->erase();
    retypeViews(rebuilt);
  }
}

/// Distributes `op`'s parallel loops over the CTA's `threads` threads
/// (thread `tid` runs iterations tid, tid + threads, ...); an op without
/// parallel loops runs on thread 0.
LogicalResult distributeOverThreads(linalg::LinalgOp op, Value tid) {
  IRRewriter rewriter(op->getContext());
  rewriter.setInsertionPoint(op);
  Block *block = op->getBlock();
  Operation *next = op->getNextNode();
  if (failed(linalg::linalgOpToParallelLoops(rewriter, op)))
    return op->emitError("cannot lower this op to loops for the GPU");
  rewriter.eraseOp(op);
  // The first loop the lowering made.
  Operation *first = nullptr;
  for (Operation &candidate : *block) {
    if (&candidate == next)
      break;
    if (isa<scf::ParallelOp, scf::ForOp>(candidate))
      first = &candidate;
  }
  if (!first)
    return success();
  OpBuilder b(first);
  Location loc = first->getLoc();
  IndexMath im{b, loc};
  auto parallel = dyn_cast<scf::ParallelOp>(first);
  if (!parallel) {
    auto guard = scf::IfOp::create(b, loc, im.lt(tid, 1));
    first->moveBefore(guard.thenBlock()->getTerminator());
    return success();
  }
  // Trip counts may be dynamic (a tile of a padded operand).
  SmallVector<Value> trips;
  Value total = im.c(1);
  for (auto [lb, ub, step] :
       llvm::zip(parallel.getLowerBound(), parallel.getUpperBound(),
                 parallel.getStep())) {
    Value span = arith::SubIOp::create(b, loc, ub, lb);
    Value trip = arith::CeilDivUIOp::create(b, loc, span, step);
    trips.push_back(trip);
    total = arith::MulIOp::create(b, loc, total, trip);
  }
  auto loop = scf::ForOp::create(b, loc, tid, total, im.c(kTileThreads));
  b.setInsertionPointToStart(loop.getBody());
  IRMapping mapping;
  Value rest = loop.getInductionVar();
  for (int64_t d = trips.size() - 1; d >= 0; --d) {
    Value i =
        d ? arith::RemUIOp::create(b, loc, rest, trips[d]).getResult() : rest;
    if (d)
      rest = arith::DivUIOp::create(b, loc, rest, trips[d]);
    Value scaled = arith::MulIOp::create(b, loc, i, parallel.getStep()[d]);
    mapping.map(parallel.getInductionVars()[d],
                im.add(scaled, parallel.getLowerBound()[d]));
  }
  for (Operation &inner : parallel.getBody()->without_terminator())
    b.clone(inner, mapping);
  parallel.erase();
  return success();
}

/// Whether `a` and `b` are the same memory: one value, or equal views of
/// one buffer.
bool sameView(Value a, Value b) {
  if (a == b)
    return true;
  Operation *x = a.getDefiningOp(), *y = b.getDefiningOp();
  return x && y && isa<memref::SubViewOp>(x) &&
         OperationEquivalence::isEquivalentTo(
             x, y, OperationEquivalence::IgnoreLocations);
}

/// Replaces the tile loop `forall` (on buffers, constant bounds) with one
/// gpu.launch: a CTA of kTileThreads threads per iteration. In the CTA the
/// tile's temporaries live in shared memory (or, past kMaxSharedBytes, in
/// a global scratch buffer with a slice per CTA), its ops run one after
/// the other with a barrier between, a tensor-core matmul as one CTA of
/// the tensor-core kernel (of the sm_90a kernel with `wgmma`, where its
/// operands allow), everything else spread over the threads.
LogicalResult mapForallToLaunch(scf::ForallOp forall, bool tensorCores,
                                bool wgmma) {
  std::optional<ConstantLoops> loops =
      getConstantLoops(forall.getMixedLowerBound(), forall.getMixedUpperBound(),
                       forall.getMixedStep());
  if (!loops)
    return forall.emitError("a tile loop without constant bounds cannot "
                            "be mapped to the GPU grid");
  int64_t total = loops->total;
  Location loc = forall.getLoc();
  OpBuilder b(forall);
  IndexMath im{b, loc};
  auto launch =
      gpu::LaunchOp::create(b, loc, im.c(std::max<int64_t>(1, total)), im.c(1),
                            im.c(1), im.c(kTileThreads), im.c(1), im.c(1));
  launch->setAttr("fungible.kernel", b.getStringAttr("fused_tile"));
  Block &body = launch.getBody().front();
  OpBuilder inner = OpBuilder::atBlockBegin(&body);
  IndexMath bim{inner, loc};
  IRMapping mapping;
  mapDelinearized(bim, launch.getBlockIds().x, *loops,
                  forall.getInductionVars(), mapping);
  for (Operation &op : forall.getBody()->without_terminator())
    inner.clone(op, mapping);
  gpu::TerminatorOp::create(inner, loc);
  forall.erase();

  // The tile's temporaries.
  SmallVector<memref::AllocOp> allocs;
  for (Operation &op : body)
    if (auto alloc = dyn_cast<memref::AllocOp>(op))
      allocs.push_back(alloc);
  // A matmul that fits one CTA runs as the tensor-core kernel's CTA.
  auto matchCtaMatmul = [&](Operation *op) -> std::optional<TensorCoreMatmul> {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || !tensorCores)
      return std::nullopt;
    std::optional<TensorCoreMatmul> mm = matchTensorCoreMatmul(linalgOp);
    if (mm && mm->m <= kBlockM && mm->n <= kBlockN && mm->batch == 1)
      return mm;
    return std::nullopt;
  };
  // The sm_90a CTA where its operands allow: one rule for the shared
  // memory counted and for the kernel written.
  auto hopperCta = [&](const TensorCoreMatmul &mm) {
    return wgmma && takesWgmmaCta(mm);
  };
  auto ctaStaging = [&](const TensorCoreMatmul &mm) {
    if (hopperCta(mm))
      return wgmmaCtaStagingTypes(mm.elem);
    return std::make_pair(stagingType(mm.elem), stagingType(mm.elem));
  };
  int64_t shared = 0;
  for (Operation &op : body)
    if (std::optional<TensorCoreMatmul> mm = matchCtaMatmul(&op)) {
      auto [aType, bType] = ctaStaging(*mm);
      shared += byteSize(aType) + byteSize(bType);
    }
  for (memref::AllocOp alloc : allocs) {
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity())
      return alloc.emitError("a tile temporary without a static shape "
                             "cannot be placed on the GPU");
    Value replacement;
    OpBuilder ab(alloc);
    if (shared + byteSize(type) <= kMaxSharedBytes) {
      shared += byteSize(type);
      replacement = launch.addWorkgroupAttribution(inWorkgroupMemory(type),
                                                   alloc.getLoc());
    } else {
      // One slice per CTA of a global buffer allocated before the launch.
      OpBuilder outer(launch);
      SmallVector<int64_t> shape = {std::max<int64_t>(1, total)};
      llvm::append_range(shape, type.getShape());
      Value scratch = memref::AllocOp::create(
          outer, alloc.getLoc(), MemRefType::get(shape, type.getElementType()));
      SmallVector<OpFoldResult> offsets(shape.size(), ab.getIndexAttr(0));
      offsets[0] = launch.getBlockIds().x;
      SmallVector<OpFoldResult> sizes = {ab.getIndexAttr(1)};
      for (int64_t dim : type.getShape())
        sizes.push_back(ab.getIndexAttr(dim));
      SmallVector<OpFoldResult> strides(shape.size(), ab.getIndexAttr(1));
      auto sliceType =
          cast<MemRefType>(memref::SubViewOp::inferRankReducedResultType(
              type.getShape(), cast<MemRefType>(scratch.getType()), offsets,
              sizes, strides));
      replacement = memref::SubViewOp::create(ab, alloc.getLoc(), sliceType,
                                              scratch, offsets, sizes, strides);
    }
    for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        user->erase();
    alloc.getResult().replaceAllUsesWith(replacement);
    alloc.erase();
    retypeViews(replacement);
  }

  // The tile's ops, in order, a barrier after each; a copy of a buffer
  // onto itself (what bufferisation leaves of an in-place tile) is none.
  SmallVector<Operation *> work;
  for (Operation &op : llvm::make_early_inc_range(body)) {
    auto copy = dyn_cast<memref::CopyOp>(op);
    if (copy && sameView(copy.getSource(), copy.getTarget()))
      op.erase();
    else if (isa<linalg::LinalgOp, memref::CopyOp>(op))
      work.push_back(&op);
  }
  Value tid = launch.getThreadIds().x;
  for (Operation *op : work) {
    OpBuilder ob(op);
    if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      op = linalg::CopyOp::create(ob, copy.getLoc(), copy.getSource(),
                                  copy.getTarget());
      copy.erase();
    }
    auto linalgOp = cast<linalg::LinalgOp>(op);
    ob.setInsertionPointAfter(op);
    gpu::BarrierOp::create(ob, op->getLoc());
    std::optional<TensorCoreMatmul> mm = matchCtaMatmul(op);
    if (!mm) {
      // Other contractions and reductions on the CUDA cores, their
      // accumulators in registers.
      if (lowerOnCudaCores(linalgOp, tid, kTileThreads))
        continue;
      if (failed(distributeOverThreads(linalgOp, tid)))
        return failure();
      continue;
    }
    OpBuilder mb(op);
    IndexMath mim{mb, op->getLoc()};
    auto [aType, bType] = ctaStaging(*mm);
    Value as = launch.addWorkgroupAttribution(aType, op->getLoc());
    Value bs = launch.addWorkgroupAttribution(bType, op->getLoc());
    CtaTile tile{tid, mim.c(0), mim.c(0), mim.c(0), as, bs};
    if (hopperCta(*mm))
      buildWgmmaCta(mb, op->getLoc(), *mm, tile);
    else
      TensorCoreKernelBuilder(mb, op->getLoc(), *mm, tile).build();
    op->erase();
  }
  // Every thread would run an op left nested in other control flow, racing
  // the others on its output.
  WalkResult nested = launch.walk([](Operation *op) {
    if (!isa<linalg::LinalgOp, memref::CopyOp>(op))
      return WalkResult::advance();
    op->emitError("an op nested in control flow in a fused tile cannot be "
                  "spread over the CTA's threads");
    return WalkResult::interrupt();
  });
  return failure(nested.wasInterrupted());
}

struct GpuMapLinalgToGridPass
    : impl::GpuMapLinalgToGridPassBase<GpuMapLinalgToGridPass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registry.insert<math::MathDialect>();
    registerPtxSerialization(registry);
  }

  void runOnOperation() override {
    // Contractions accumulate with FMAs, as NVPTX would contract them and
    // as every other device's code does (the same bits in emulation); the
    // f16/bf16 matmuls the tensor cores take stay named.
    fuseContractionAccumulations(getOperation(), [&](linalg::LinalgOp op) {
      return tensorCores && isPlainNamedMatmul(op) &&
             isa<Float16Type, BFloat16Type>(
                 getElementTypeOrSelf(op.getDpsInputs()[0]));
    });
    // A fused kernel's tile loop is one launch.
    SmallVector<scf::ForallOp> tiles;
    getOperation().walk([&](scf::ForallOp forall) {
      if (!forall->getParentOfType<gpu::LaunchOp>())
        tiles.push_back(forall);
    });
    for (scf::ForallOp forall : tiles)
      if (failed(mapForallToLaunch(forall, tensorCores, wgmma)))
        return signalPassFailure();
    // Copies between buffers run on the device too.
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!copy->getParentOfType<gpu::LaunchOp>())
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      if (!op.hasPureBufferSemantics()) {
        op->emitError("expected a linalg op on buffers after bufferisation");
        return signalPassFailure();
      }
      if (failed(lowerToGrid(op)))
        return signalPassFailure();
    }
  }
};

struct GpuSinkConstantsPass
    : impl::GpuSinkConstantsPassBase<GpuSinkConstantsPass> {
  void runOnOperation() override {
    constexpr StringLiteral kTripCount = "fungible.trip_count";
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp l) { launches.push_back(l); });
    for (gpu::LaunchOp launch : launches) {
      // A loop's constant upper bound gets a copy of its own outside, which
      // stays there.
      launch.walk([&](scf::ForOp loop) {
        OpOperand &bound = loop.getUpperBoundMutable();
        Operation *def = bound.get().getDefiningOp();
        if (!def || launch->isAncestor(def) || !matchPattern(def, m_Constant()))
          return;
        OpBuilder b(def);
        Operation *copy = b.clone(*def);
        copy->setAttr(kTripCount, b.getUnitAttr());
        bound.set(copy->getResult(0));
      });
      if (failed(sinkOperationsIntoLaunchOp(launch, [&](Operation *op) {
            return matchPattern(op, m_Constant()) && !op->hasAttr(kTripCount);
          })))
        return signalPassFailure();
    }
  }
};

struct GpuAlignWorkgroupMemoryPass
    : impl::GpuAlignWorkgroupMemoryPassBase<GpuAlignWorkgroupMemoryPass> {
  void runOnOperation() override {
    constexpr int64_t kAlignment = 16;
    StringRef name = LLVM::LLVMDialect::getAlignAttrName();
    getOperation().walk([&](gpu::GPUFuncOp func) {
      Builder b(func.getContext());
      for (unsigned i = 0, e = func.getNumWorkgroupAttributions(); i < e; ++i) {
        auto align = dyn_cast_or_null<IntegerAttr>(
            func.getWorkgroupAttributionAttr(i, name));
        if (!align || align.getInt() < kAlignment)
          func.setWorkgroupAttributionAttr(i, name,
                                           b.getI64IntegerAttr(kAlignment));
      }
    });
  }
};

/// Math functions NVPTX has no instruction for become polynomials (the
/// alternative, libdevice, would tie the build to a CUDA installation).
struct GpuApproximateMathPass
    : impl::GpuApproximateMathPassBase<GpuApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    math::populateExpansionPatterns(patterns);
    populateMathF32ExpansionPatterns(patterns, [](StringRef) { return true; });
    populateMathPolynomialApproximationPatterns(patterns,
                                                [](StringRef) { return true; });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // convert-gpu-to-nvvm sends what is left to libdevice (and refuses the
    // LLVM intrinsics it would otherwise become): call the intrinsics
    // directly, NVPTX has instructions for them.
    SmallVector<Operation *> left;
    getOperation().walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()))
        left.push_back(op);
    });
    bool unsupported = false;
    for (Operation *op : left) {
      StringRef intrinsic =
          llvm::TypeSwitch<Operation *, StringRef>(op)
              .Case([](math::FloorOp) { return "llvm.floor"; })
              .Case([](math::CeilOp) { return "llvm.ceil"; })
              .Case([](math::TruncOp) { return "llvm.trunc"; })
              .Case([](math::RoundEvenOp) { return "llvm.roundeven"; })
              .Case([](math::SqrtOp) { return "llvm.sqrt"; })
              .Case([](math::AbsFOp) { return "llvm.fabs"; })
              .Case([](math::FmaOp) { return "llvm.fma"; })
              .Case([](math::CopySignOp) { return "llvm.copysign"; })
              .Default([](Operation *) { return ""; });
      if (intrinsic.empty()) {
        op->emitError("no GPU lowering without libdevice for this math op");
        unsupported = true;
        continue;
      }
      OpBuilder b(op);
      auto call = LLVM::CallIntrinsicOp::create(
          b, op->getLoc(), op->getResult(0).getType(),
          b.getStringAttr(intrinsic), op->getOperands());
      op->replaceAllUsesWith(call->getResults());
      op->erase();
    }
    if (unsupported)
      signalPassFailure();
  }
};

} // namespace

bool usesWgmma(unsigned smArch) { return smArch == 90; }

std::string getSmChip(unsigned smArch) {
  // wgmma is an sm_90a feature: PTX for sm_90a runs on compute capability
  // 9.0 only, which is what an sm_90 spec describes.
  return "sm_" + std::to_string(smArch) + (usesWgmma(smArch) ? "a" : "");
}

std::string getPtxFeatures(unsigned smArch) {
  // PTX ISA 8.0 introduced sm_90; 8.6 sm_100.
  return smArch >= 100 ? "+ptx86" : "+ptx80";
}

LogicalResult buildGpuLoweringPipeline(OpPassManager &pm,
                                       const GpuLoweringOptions &options) {
  if (failed(addBufferizedLinalgPipeline(
          pm, /*deallocate=*/false, [](OpPassManager &tensors) {
            tensors.addPass(createGpuTileAndFuseKernelsPass());
            tensors.addPass(createCanonicalizerPass());
            tensors.addPass(createCSEPass());
          })))
    return failure();
  const WgmmaLaunchShape &shape = options.wgmma;
  pm.addPass(createGpuMapMatmulsToTensorCoresPass(
      GpuMapMatmulsToTensorCoresPassOptions{
          usesWgmma(options.smArch), shape.tileN, shape.tileK, shape.stages,
          shape.groupM, shape.sms, int64_t(shape.swizzle),
          int64_t(shape.tma)}));
  pm.addPass(createGpuMapLinalgToGridPass(GpuMapLinalgToGridPassOptions{
      /*tensorCores=*/true, usesWgmma(options.smArch)}));
  if (failed(addUpstreamPipeline(pm, "canonicalize, cse")))
    return failure();
  if (options.stopAtLaunch)
    return success();
  // Constants are sunk into the launches first (loop trip counts aside:
  // GpuSinkConstantsPass). The host's copies are dead then; canonicalize
  // removes them (a launch plan replays only buffers and launches).
  pm.addPass(createGpuSinkConstantsPass());
  std::string pipeline = "gpu-kernel-outlining, canonicalize, "
                         "nvvm-attach-target{chip=" +
                         getSmChip(options.smArch) +
                         " features=" + getPtxFeatures(options.smArch) +
                         " O=" + std::to_string(options.optLevel) + "}";
  if (failed(addUpstreamPipeline(pm, pipeline)))
    return failure();
  pm.addNestedPass<gpu::GPUModuleOp>(createGpuApproximateMathPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createGpuAlignWorkgroupMemoryPass());
  return addUpstreamPipeline(
      pm, "gpu.module(expand-strided-metadata, lower-affine, "
          "convert-scf-to-cf, convert-nvgpu-to-nvvm, convert-gpu-to-nvvm, "
          "convert-nvvm-to-llvm, canonicalize, cse, "
          "reconcile-unrealized-casts), gpu-module-to-binary{format=isa}");
}

} // namespace fungible
