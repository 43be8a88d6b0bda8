//===- OutlineKernels.cpp - Group wl ops into wl.kernel ---------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-outline-kernels: it groups the wl ops of every
// function into wl.kernel ops. Grouping is greedy in program order: a
// contraction, reduction or opaque op starts a group; an elementwise or
// data-movement op joins the group of one of its producers when that makes
// no cycle between groups, else starts its own; it pulls in the views
// (broadcast, reshape, transpose) only it reads, and so does an attention;
// a matmul pulls in the reshapes and broadcasts only it reads.
// Groups are then materialised as wl.kernel ops and the block is re-sorted
// topologically.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>

namespace fungible {
#define GEN_PASS_DEF_WORKLOADOUTLINEKERNELSPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;

namespace {

/// Whether `op` is a wl op that belongs in a kernel.
bool isKernelMember(Operation *op) {
  return isa<wl::WorkloadCostInterface>(op) &&
         !isa<wl::KernelOp, wl::TransferOp>(op);
}

/// Whether `op` can be fused into a producer's kernel.
bool isFusible(Operation *op) {
  wl::WorkKind kind = cast<wl::WorkloadCostInterface>(op).getWorkKind();
  return kind == wl::WorkKind::Elementwise ||
         kind == wl::WorkKind::DataMovement;
}

/// A view (broadcast, reshape, transpose) that a consumer's kernel can pull
/// in when it is its only user.
bool isPullableView(Operation *op) {
  return isa<wl::BroadcastOp, wl::ReshapeOp, wl::TransposeOp>(op) &&
         op->hasOneUse();
}

/// A view that moves no element: a reshape (the same bytes) or a
/// broadcast (read with a zero stride).
bool movesNoElement(Operation *op) {
  return isa<wl::BroadcastOp, wl::ReshapeOp>(op);
}

/// A transpose (of rank 3 or more) that keeps its innermost dimension
/// innermost (attention's heads, [B, S, H, D] read as [B, H, S, D]): every
/// family reads a batch matmul operand's tiles through it in place, rows of
/// D contiguous elements.
bool keepsRows(Operation *op) {
  auto transpose = dyn_cast<wl::TransposeOp>(op);
  if (!transpose)
    return false;
  ArrayRef<int64_t> perm = transpose.getPermutation();
  return perm.size() >= 3 && perm.back() == int64_t(perm.size()) - 1;
}

/// A splat constant, cloned into each kernel that uses it rather than
/// passed in.
bool isSplatConstant(Value value) {
  Attribute attr;
  return matchPattern(value, m_Constant(&attr)) && isa<SplatElementsAttr>(attr);
}

/// Kernel names, unique in a module: `<anchor>_<n>` with one counter for
/// the whole module (in program order), skipping names already taken (a
/// kernel outlined before, or written by hand).
class KernelNamer {
public:
  explicit KernelNamer(Operation *module) {
    module->walk(
        [&](wl::KernelOp kernel) { taken.insert(kernel.getSymName()); });
  }

  std::string next(StringRef anchor) {
    while (true) {
      std::string name = (anchor + "_" + Twine(counter++)).str();
      if (taken.insert(name).second)
        return name;
    }
  }

private:
  llvm::StringSet<> taken;
  unsigned counter = 0;
};

/// The grouping of one block.
class Grouping {
public:
  Grouping(Block &block, KernelNamer &namer) : block(block), namer(namer) {}

  void build(bool fuse);
  LogicalResult materialize();

private:
  static constexpr unsigned kNone = ~0u;

  unsigned groupOf(Operation *op) const {
    auto it = group.find(op);
    return it == group.end() ? kNone : it->second;
  }
  unsigned newGroup(Operation *op) {
    members.push_back({op});
    group[op] = members.size() - 1;
    return members.size() - 1;
  }
  void join(Operation *op, unsigned g) {
    members[g].push_back(op);
    group[op] = g;
  }
  /// Whether `value` depends on group `g` once groups run as units.
  bool dependsOn(Value value, unsigned g) const;
  /// Whether `op` can join `g`: each input from outside `g` must not depend
  /// on `g`.
  bool canJoin(Operation *op, unsigned g) const;
  /// After `op` joined `g`: pulls in the groups of single-use views feeding
  /// it (a matmul: only those without a transpose, and a reshape at the end
  /// of a producer's group).
  void pullViews(Operation *op, unsigned g);

  Block &block;
  KernelNamer &namer;
  llvm::DenseMap<Operation *, unsigned> group;
  std::vector<SmallVector<Operation *>> members;
};

bool Grouping::dependsOn(Value value, unsigned g) const {
  SmallVector<Operation *> worklist;
  llvm::SmallPtrSet<Operation *, 32> seen;
  llvm::SmallDenseSet<unsigned, 8> seenGroups;
  auto push = [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (def && def->getBlock() == &block && seen.insert(def).second)
      worklist.push_back(def);
  };
  push(value);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    unsigned h = groupOf(op);
    if (h == g)
      return true;
    if (h == kNone) {
      for (Value operand : op->getOperands())
        push(operand);
      continue;
    }
    // A group runs as a unit: it waits for the inputs of all its ops.
    if (!seenGroups.insert(h).second)
      continue;
    for (Operation *member : members[h])
      for (Value operand : member->getOperands())
        push(operand);
  }
  return false;
}

bool Grouping::canJoin(Operation *op, unsigned g) const {
  return llvm::all_of(op->getOperands(), [&](Value operand) {
    Operation *def = operand.getDefiningOp();
    return (def && groupOf(def) == g) || !dependsOn(operand, g);
  });
}

void Grouping::pullViews(Operation *op, unsigned g) {
  bool matmul = isa<wl::MatmulOp, wl::BatchMatmulOp>(op);
  for (Value operand : op->getOperands()) {
    Operation *def = operand.getDefiningOp();
    if (!def || !isPullableView(def))
      continue;
    // The whole group of views (a transpose and the reshape after it):
    // each member has one use, so the group's only use outside is `op`.
    unsigned h = groupOf(def);
    if (h == kNone || h == g)
      continue;
    if (llvm::all_of(members[h], [&](Operation *member) {
          return isPullableView(member) &&
                 (!matmul || movesNoElement(member) || keepsRows(member)) &&
                 canJoin(member, g);
        })) {
      SmallVector<Operation *> pulled = std::move(members[h]);
      members[h].clear();
      for (Operation *member : pulled)
        join(member, g);
      continue;
    }
    // A matmul takes a reshape at the end of a producer's group (a norm's
    // output reshaped for each of the Q, K and V projections): the
    // producer yields its value once, and each matmul reshapes it (a view,
    // free), rather than the producer yielding one reshape per reader (one
    // copy each on the host: views of one buffer). Not an attention: the
    // GPU's fused attention reads its operands as its producers store
    // them.
    if (matmul && isa<wl::ReshapeOp>(def) && canJoin(def, g)) {
      llvm::erase(members[h], def);
      join(def, g);
    }
  }
}

void Grouping::build(bool fuse) {
  for (Operation &op : block) {
    if (!isKernelMember(&op))
      continue;
    if (!fuse || !isFusible(&op)) {
      unsigned g = newGroup(&op);
      // An attention reads its operands through views on every family (K
      // as K^T): a transpose of K given transposed ([B, D, Sk], the
      // import's) is the attention's, not a copy of its own. A matmul or
      // batch matmul takes the reshapes and broadcasts only it reads (heads
      // split by a reshape, a bias broadcast into the accumulator), as a
      // fusing compiler's dispatch does, and a transpose that keeps rows
      // whole (keepsRows); other transposes stay kernels (the TPU's and
      // Trainium's programs read a matmul operand transposed only in the
      // layouts docs/Codegen.md lists), and so does a convolution's view
      // (the GPU's implicit GEMM tiles its input as it is).
      if (fuse && isa<wl::AttentionOp, wl::MatmulOp, wl::BatchMatmulOp>(op))
        pullViews(&op, g);
      continue;
    }
    // Join the first producer's group that allows it, preferring groups
    // anchored on a contraction or reduction.
    SmallVector<unsigned> candidates;
    for (Value operand : op.getOperands())
      if (Operation *def = operand.getDefiningOp())
        if (unsigned h = groupOf(def); h != kNone && !members[h].empty() &&
                                       !llvm::is_contained(candidates, h))
          candidates.push_back(h);
    std::stable_partition(candidates.begin(), candidates.end(), [&](unsigned h) {
      return !isFusible(members[h].front());
    });
    unsigned chosen = kNone;
    for (unsigned h : candidates) {
      // A kernel of its own (an opaque op) takes no consumers.
      if (isa<wl::OpaqueOp>(members[h].front()))
        continue;
      if (canJoin(&op, h)) {
        chosen = h;
        break;
      }
    }
    if (chosen == kNone) {
      newGroup(&op);
      continue;
    }
    join(&op, chosen);
    pullViews(&op, chosen);
  }
}

LogicalResult Grouping::materialize() {
  // Order groups by their first op so names follow the program.
  llvm::DenseMap<Operation *, unsigned> position;
  unsigned index = 0;
  for (Operation &op : block)
    position[&op] = index++;
  std::vector<SmallVector<Operation *>> groups;
  for (SmallVector<Operation *> &ops : members) {
    if (ops.empty())
      continue;
    llvm::sort(ops, [&](Operation *a, Operation *b) {
      return position[a] < position[b];
    });
    groups.push_back(std::move(ops));
  }
  llvm::sort(groups, [&](const auto &a, const auto &b) {
    return position[a.front()] < position[b.front()];
  });

  for (SmallVector<Operation *> &ops : groups) {
    llvm::SmallPtrSet<Operation *, 8> inGroup(ops.begin(), ops.end());
    llvm::SetVector<Value> inputs;
    SmallVector<Value> outputs;
    for (Operation *op : ops) {
      for (Value operand : op->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if ((!def || !inGroup.contains(def)) && !isSplatConstant(operand))
          inputs.insert(operand);
      }
      for (Value result : op->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *user) {
              return !inGroup.contains(user);
            }))
          outputs.push_back(result);
    }

    OpBuilder builder(ops.back());
    auto kernel = wl::KernelOp::create(
        builder, ops.front()->getLoc(), ValueRange(outputs).getTypes(),
        inputs.getArrayRef(), "kernel");
    Block &body = kernel.getBody().front();
    IRMapping mapping;
    mapping.map(inputs.getArrayRef(), body.getArguments());
    builder.setInsertionPointToStart(&body);
    for (Operation *op : ops) {
      for (Value operand : op->getOperands())
        if (!mapping.contains(operand) && isSplatConstant(operand))
          mapping.map(operand,
                      builder.clone(*operand.getDefiningOp())->getResult(0));
      builder.clone(*op, mapping);
    }
    SmallVector<Value> yielded;
    for (Value output : outputs)
      yielded.push_back(mapping.lookup(output));
    wl::YieldOp::create(builder, kernel.getLoc(), yielded);

    Operation *anchor = kernel.getAnchor();
    kernel.setSymName(namer.next(anchor->getName().stripDialect()));
    for (auto [output, result] : llvm::zip(outputs, kernel.getResults()))
      output.replaceUsesWithIf(result, [&](OpOperand &use) {
        return !inGroup.contains(use.getOwner());
      });
    for (Operation *op : llvm::reverse(ops))
      op->erase();
  }
  // Splat constants that were cloned into every kernel using them.
  for (Operation &op : llvm::make_early_inc_range(block))
    if (op.getNumResults() == 1 && op.use_empty() &&
        isSplatConstant(op.getResult(0)))
      op.erase();
  if (!sortTopologically(&block))
    return failure();
  return success();
}

struct WorkloadOutlineKernelsPass
    : fungible::impl::WorkloadOutlineKernelsPassBase<
          WorkloadOutlineKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    KernelNamer namer(getOperation());
    getOperation().walk([&](FunctionOpInterface func) {
      if (func.isExternal())
        return;
      for (Block &block : func.getFunctionBody()) {
        Grouping grouping(block, namer);
        grouping.build(fuse);
        if (failed(grouping.materialize())) {
          func.emitError("wl-outline-kernels: kernels form a cycle");
          return signalPassFailure();
        }
      }
    });
  }
};

} // namespace
