//===- GpuEmulate.cpp - gpu.launch run on the host --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements fungible-gpu-emulate-launches: the GPU kernels
// (without tensor cores) as host loops, so that the fused tiles' numbers
// are tested on machines without a GPU. A CTA's threads are run one after
// the other between barriers: any interleaving the barriers allow computes
// the same values in a race-free kernel, and this one is such an
// interleaving.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace fungible {
#define GEN_PASS_DEF_GPUEMULATELAUNCHESPASS
#include "targets/gpu/GpuPasses.h.inc"

namespace {

/// Whether `op` (or an op nested in it) reads a value of `values`.
bool usesAny(Operation *op, const llvm::DenseSet<Value> &values) {
  WalkResult result = op->walk([&](Operation *inner) {
    for (Value operand : inner->getOperands())
      if (values.contains(operand))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// `type` in host memory (no memory space).
MemRefType inHostMemory(MemRefType type) {
  return MemRefType::Builder(type).setMemorySpace(Attribute());
}

LogicalResult emulate(gpu::LaunchOp launch) {
  Location loc = launch.getLoc();
  OpBuilder b(launch);
  auto constant = [&](Value v) { return getConstantIntValue(v); };
  std::optional<int64_t> bx = constant(launch.getBlockSizeX()),
                         by = constant(launch.getBlockSizeY()),
                         bz = constant(launch.getBlockSizeZ());
  if (!bx || by != 1 || bz != 1)
    return launch.emitError("only launches with constant 1-D CTAs can be "
                            "emulated");
  Block &body = launch.getBody().front();
  gpu::KernelDim3 threads = launch.getThreadIds();
  gpu::KernelDim3 blocks = launch.getBlockIds();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);

  // The grid: z, y, x loops.
  IRMapping ctaMap;
  auto gridLoop = [&](Value size, Value id) {
    auto loop = scf::ForOp::create(b, loc, zero, size, one);
    b.setInsertionPointToStart(loop.getBody());
    ctaMap.map(id, loop.getInductionVar());
    return loop;
  };
  scf::ForOp outermost = gridLoop(launch.getGridSizeZ(), blocks.z);
  gridLoop(launch.getGridSizeY(), blocks.y);
  gridLoop(launch.getGridSizeX(), blocks.x);
  gpu::KernelDim3 gridArgs = launch.getGridSize(),
                  blockArgs = launch.getBlockSize();
  ctaMap.map(gridArgs.x, launch.getGridSizeX());
  ctaMap.map(gridArgs.y, launch.getGridSizeY());
  ctaMap.map(gridArgs.z, launch.getGridSizeZ());
  ctaMap.map(blockArgs.x, launch.getBlockSizeX());
  ctaMap.map(blockArgs.y, launch.getBlockSizeY());
  ctaMap.map(blockArgs.z, launch.getBlockSizeZ());
  ctaMap.map(threads.y, zero);
  ctaMap.map(threads.z, zero);
  // A CTA's workgroup buffers (on the heap: a stack allocation per CTA
  // would grow the stack with the grid).
  SmallVector<Value> shared;
  for (BlockArgument buffer : launch.getWorkgroupAttributions()) {
    shared.push_back(memref::AllocOp::create(
        b, loc, inHostMemory(cast<MemRefType>(buffer.getType()))));
    ctaMap.map(buffer, shared.back());
  }
  if (!launch.getPrivateAttributions().empty())
    return launch.emitError("private attributions cannot be emulated");

  // Values that differ between threads.
  llvm::DenseSet<Value> perThread = {threads.x};
  SmallVector<Operation *> phase;
  auto runPhase = [&]() -> LogicalResult {
    if (phase.empty())
      return success();
    auto loop = scf::ForOp::create(b, loc, zero, launch.getBlockSizeX(), one);
    OpBuilder tb = OpBuilder::atBlockBegin(loop.getBody());
    IRMapping threadMap = ctaMap;
    threadMap.map(threads.x, loop.getInductionVar());
    for (Operation *op : phase)
      tb.clone(*op, threadMap);
    // A thread's value is gone once its phase ends.
    for (Operation *op : phase)
      for (Value result : op->getResults())
        for (Operation *user : result.getUsers())
          if (!llvm::is_contained(phase, body.findAncestorOpInBlock(*user)))
            return user->emitError("a value computed per thread is used past "
                                   "a barrier; cannot emulate");
    phase.clear();
    return success();
  };
  for (Operation &op : body.without_terminator()) {
    if (isa<gpu::BarrierOp>(op)) {
      if (failed(runPhase()))
        return failure();
      continue;
    }
    bool nestedBarrier = op.walk([](gpu::BarrierOp) {
                             return WalkResult::interrupt();
                           }).wasInterrupted();
    if (nestedBarrier)
      return op.emitError("a barrier nested in control flow cannot be "
                          "emulated");
    if (!usesAny(&op, perThread) && isMemoryEffectFree(&op)) {
      b.clone(op, ctaMap);
      continue;
    }
    for (Value result : op.getResults())
      perThread.insert(result);
    phase.push_back(&op);
  }
  if (failed(runPhase()))
    return failure();
  for (Value buffer : shared)
    memref::DeallocOp::create(b, loc, buffer);
  // Views of the workgroup buffers are views of host memory now.
  outermost->walk([](Operation *op) {
    for (Value result : op->getResults())
      if (auto type = dyn_cast<MemRefType>(result.getType()))
        if (type.getMemorySpace())
          result.setType(inHostMemory(type));
  });
  launch.erase();
  return success();
}

struct GpuEmulateLaunchesPass
    : impl::GpuEmulateLaunchesPassBase<GpuEmulateLaunchesPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk(
        [&](gpu::LaunchOp launch) { launches.push_back(launch); });
    for (gpu::LaunchOp launch : launches)
      if (failed(emulate(launch)))
        return signalPassFailure();
  }
};

} // namespace
} // namespace fungible
