//===- WrapBufferCode.cpp - wl-wrap-buffer-code -----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements wl-wrap-buffer-code: code over buffers left at a
// function's top level becomes wl.opaque kernels with value semantics
// (Passes.td has the contract). Runs of ops that touch buffers are found
// first; each is then moved into a kernel whose inputs are the current
// contents, as tensors, of the buffers it uses from outside and whose
// results are the new contents of the buffers it writes that are seen
// after it. The buffers' current contents are tracked run by run, and the
// runs' ops are erased at the end (a later run still refers to an earlier
// run's buffers until then).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialects/Workload/WorkloadOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace fungible {
#define GEN_PASS_DEF_WORKLOADWRAPBUFFERCODEPASS
#include "passes/Passes.h.inc"
} // namespace fungible

using namespace mlir;
using namespace fungible;

namespace {

bool isBuffer(Type type) { return isa<BaseMemRefType>(type); }

/// A view of a buffer (subview, cast, reshape): made again inside each run
/// that uses it, so it does not break a run.
bool isBufferView(Operation *op) {
  return isa<ViewLikeOpInterface>(op) && op->getNumRegions() == 0 &&
         llvm::all_of(op->getResultTypes(), isBuffer);
}

/// The buffer `value` is a view of (itself when it is not a view).
Value rootOf(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>()) {
    if (!isBuffer(view.getViewSource().getType()))
      break;
    value = view.getViewSource();
  }
  return value;
}

/// Whether `op` writes (or frees) the buffer `value`, one of its operands.
/// Views do not; an op that does not say what it does is taken to.
bool writesTo(Operation *op, Value value) {
  if (isa<ViewLikeOpInterface>(op))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return true;
  return hasEffect<MemoryEffects::Write, MemoryEffects::Free>(op, value);
}

/// A plain buffer: static shape, identity layout, default memory space.
LogicalResult checkPlain(Value buffer, Operation *where) {
  auto type = dyn_cast<MemRefType>(buffer.getType());
  if (type && type.hasStaticShape() && type.getLayout().isIdentity() &&
      !type.getMemorySpace())
    return success();
  return where->emitError("not supported: buffer code over ")
         << buffer.getType()
         << " (buffers must have a static shape, the identity layout and "
            "the default memory space)";
}

/// One function's buffer code, wrapped run by run.
class BufferWrapper {
public:
  explicit BufferWrapper(func::FuncOp func)
      : func(func), block(func.getBody().front()) {}

  LogicalResult run();

private:
  /// Takes the top-level to_tensor ops of memref arguments before any
  /// write to them as the arguments' contents (moved to the entry), and a
  /// materialize_in_destination into an argument that nothing after it
  /// touches as its contents for the caller: neither is buffer code.
  void bindArguments();
  /// The runs: maximal sequences of top-level ops that touch buffers (or
  /// use a scalar such an op computed), with constants, tensor.empty, pure
  /// scalar code and views of buffers between them allowed.
  void findRuns();
  LogicalResult wrap(ArrayRef<Operation *> ops);
  /// The tensor holding `root`'s contents before the run being wrapped.
  Value currentContents(Value root);
  /// The top-level op `op` is in.
  Operation *topLevel(Operation *op) const {
    return block.findAncestorOpInBlock(*op);
  }
  /// Whether anything after top-level op `last` (or the caller) sees
  /// `root`, through any of its views.
  bool usedAfter(Value root, Operation *last) const;

  func::FuncOp func;
  Block &block;
  std::vector<SmallVector<Operation *>> runs;
  llvm::DenseMap<Operation *, unsigned> position;
  /// Each buffer's contents as a tensor at the function's top level, as
  /// the runs wrapped so far left it.
  llvm::DenseMap<Value, Value> contents;
  /// Buffers freed by a run: nothing after it may see them.
  llvm::DenseSet<Value> freed;
  /// The memref arguments the runs wrote, with their last contents.
  llvm::MapVector<BlockArgument, Value> written;
  /// The ops bindArguments took, and the arguments whose contents for the
  /// caller the function gives already.
  llvm::DenseSet<Operation *> bindings;
  llvm::DenseSet<Value> writtenBack;
  /// The last of the arguments' contents taken in at the entry, in order.
  Operation *lastBinding = nullptr;
};

/// The memref argument of the function `value` is, if it is one.
static BlockArgument asArgument(Value value, Block &block) {
  auto arg = dyn_cast<BlockArgument>(value);
  return arg && arg.getOwner() == &block && isBuffer(arg.getType())
             ? arg
             : BlockArgument();
}

void BufferWrapper::bindArguments() {
  // The last top-level op that touches each argument, and the arguments
  // written so far.
  llvm::DenseMap<Value, Operation *> lastTouch;
  for (Operation &op : block.without_terminator())
    op.walk([&](Operation *inner) {
      for (Value operand : inner->getOperands())
        if (BlockArgument arg = asArgument(rootOf(operand), block))
          lastTouch[arg] = &op;
    });
  llvm::DenseSet<Value> writtenSoFar;
  for (Operation &op : llvm::make_early_inc_range(block.without_terminator())) {
    if (auto in = dyn_cast<bufferization::ToTensorOp>(op))
      if (BlockArgument arg = asArgument(in.getBuffer(), block);
          arg && !writtenSoFar.contains(arg)) {
        // The argument's contents as the caller gave them.
        if (Value known = contents.lookup(arg)) {
          in.replaceAllUsesWith(known);
          in.erase();
          continue;
        }
        if (lastBinding)
          in->moveAfter(lastBinding);
        else
          in->moveBefore(&block.front());
        lastBinding = in;
        in.setRestrict(true);
        contents[arg] = in.getResult();
        bindings.insert(&op);
        continue;
      }
    if (auto out = dyn_cast<bufferization::MaterializeInDestinationOp>(op))
      if (BlockArgument arg = asArgument(out.getDest(), block);
          arg && lastTouch.lookup(arg) == &op) {
        // The argument's contents for the caller: nothing after sees it.
        writtenBack.insert(arg);
        bindings.insert(&op);
        continue;
      }
    op.walk([&](Operation *inner) {
      for (Value operand : inner->getOperands())
        if (isBuffer(operand.getType()) && writesTo(inner, operand))
          writtenSoFar.insert(rootOf(operand));
    });
  }
}

void BufferWrapper::findRuns() {
  llvm::DenseSet<Operation *> marked;
  SmallVector<Operation *> current;
  auto close = [&] {
    if (!current.empty())
      runs.push_back(std::move(current));
    current.clear();
  };
  unsigned index = 0;
  for (Operation &op : block.without_terminator()) {
    position[&op] = index++;
    if (bindings.contains(&op))
      continue;
    bool usesMarkedScalar = llvm::any_of(op.getOperands(), [&](Value v) {
      Operation *def = v.getDefiningOp();
      return def && marked.contains(def) && !isa<ShapedType>(v.getType());
    });
    // A wl op is a kernel already (a second run of the pass finds them).
    if (!isa<wl::WLDialect>(op.getDialect()) && !isBufferView(&op) &&
        (wl::detail::touchesBuffers(&op) || usesMarkedScalar)) {
      marked.insert(&op);
      current.push_back(&op);
      continue;
    }
    if (op.hasTrait<OpTrait::ConstantLike>() || isa<tensor::EmptyOp>(op) ||
        isPureScalar(&op) || isBufferView(&op))
      continue;
    close();
  }
  close();
}

Value BufferWrapper::currentContents(Value root) {
  if (Value t = contents.lookup(root))
    return t;
  // A memref argument's contents come in at the function's entry.
  auto arg = dyn_cast<BlockArgument>(root);
  if (!arg || arg.getOwner() != &block)
    return {};
  auto type = cast<MemRefType>(arg.getType());
  OpBuilder b = OpBuilder::atBlockBegin(&block);
  if (lastBinding)
    b.setInsertionPointAfter(lastBinding);
  auto t = bufferization::ToTensorOp::create(
      b, func.getLoc(),
      RankedTensorType::get(type.getShape(), type.getElementType()), arg,
      /*restrict=*/true);
  lastBinding = t;
  contents[root] = t;
  return t;
}

bool BufferWrapper::usedAfter(Value root, Operation *last) const {
  if (isa<BlockArgument>(root))
    return true;
  SmallVector<Value> worklist{root};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      Operation *top = topLevel(user);
      if (top && top != last && position.lookup(top) > position.lookup(last))
        return true;
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          llvm::append_range(worklist, user->getResults());
    }
  }
  return false;
}

LogicalResult BufferWrapper::wrap(ArrayRef<Operation *> ops) {
  llvm::DenseSet<Operation *> inRun(ops.begin(), ops.end());
  Operation *last = ops.back();
  auto definedInRun = [&](Value v) {
    Operation *def = v.getDefiningOp();
    return def && inRun.contains(topLevel(def));
  };

  // The buffers the run writes, by root.
  llvm::DenseSet<Value> writtenRoots;
  for (Operation *op : ops) {
    WalkResult bad = op->walk([&](Operation *inner) {
      for (Value operand : inner->getOperands())
        if (isBuffer(operand.getType()) && writesTo(inner, operand)) {
          Value root = rootOf(operand);
          if (failed(checkPlain(root, inner)))
            return WalkResult::interrupt();
          writtenRoots.insert(root);
        }
      return WalkResult::advance();
    });
    if (bad.wasInterrupted())
      return failure();
  }

  OpBuilder outer(last);
  Location loc = ops.front()->getLoc();
  auto opaque =
      wl::OpaqueOp::create(outer, loc, TypeRange(), ValueRange(), "buffers");
  Block &body = opaque.getBody().front();
  OpBuilder b = OpBuilder::atBlockBegin(&body);
  SmallVector<Value> inputs;
  IRMapping mapping;
  auto input = [&](Value outerValue) {
    inputs.push_back(outerValue);
    return body.addArgument(outerValue.getType(), outerValue.getLoc());
  };

  // The buffer of a tensor's contents inside the body: read-only, or a
  // fresh copy when the run writes it (a kernel never writes its inputs,
  // and tensors are values).
  auto bufferOf = [&](Value tensor, MemRefType type, bool written) -> Value {
    Value readOnly = bufferization::ToBufferOp::create(b, loc, type, tensor,
                                                       /*read_only=*/true);
    if (!written)
      return readOnly;
    Value copy = memref::AllocOp::create(b, loc, type);
    memref::CopyOp::create(b, loc, readOnly, copy);
    return copy;
  };

  // A value from outside the run, as the kernel's body sees it.
  std::function<FailureOr<Value>(Value, Operation *)> fromOutside;
  // `v`, defined by `def` outside the run, made again inside.
  auto remake = [&](Value v, Operation *def,
                    Operation *user) -> FailureOr<Value> {
    for (Value operand : def->getOperands())
      if (failed(fromOutside(operand, user)))
        return failure();
    Value made =
        b.clone(*def, mapping)->getResult(cast<OpResult>(v).getResultNumber());
    mapping.map(v, made);
    return made;
  };
  fromOutside = [&](Value v, Operation *user) -> FailureOr<Value> {
    if (Value mapped = mapping.lookupOrNull(v))
      return mapped;
    Operation *def = v.getDefiningOp();
    if (isBuffer(v.getType())) {
      // A view from an earlier run: made again from its buffer.
      if (isa_and_nonnull<ViewLikeOpInterface>(def))
        return remake(v, def, user);
      if (failed(checkPlain(v, user)))
        return failure();
      if (freed.contains(v))
        return user->emitError("not supported: a buffer used after it was "
                               "freed");
      Value t = currentContents(v);
      if (!t)
        return user->emitError("not supported: buffer code over a buffer "
                               "that is neither an argument nor made by "
                               "buffer code");
      Value buffer = bufferOf(input(t), cast<MemRefType>(v.getType()),
                              writtenRoots.contains(v));
      mapping.map(v, buffer);
      return buffer;
    }
    // Inits and scalar code are made again inside; tensors come in.
    if (isMadeAgainInside(v))
      return remake(v, def, user);
    // A tensor, or a scalar argument of the function (the runtime passes
    // it to the kernel by value: HostExecutor's tensorForInput).
    if (isa<TensorType>(v.getType()) || isa<BlockArgument>(v)) {
      Value arg = input(v);
      mapping.map(v, arg);
      return arg;
    }
    return user->emitError("not supported: buffer code using ")
           << v.getType() << " computed outside it";
  };

  // The run's ops, in order, with what they use from outside first.
  SmallVector<Value> ownRoots;
  for (Operation *op : ops) {
    llvm::SetVector<Value> used;
    op->walk([&](Operation *inner) {
      for (Value operand : inner->getOperands())
        if (!definedInRun(operand) &&
            !(isa<BlockArgument>(operand) &&
              cast<BlockArgument>(operand).getOwner() != &block))
          used.insert(operand);
    });
    for (Value v : used)
      if (failed(fromOutside(v, op)))
        return failure();
    if (isa<memref::DeallocOp>(op)) {
      // Kernels free what they allocate; the buffer is dead from here.
      freed.insert(rootOf(op->getOperand(0)));
      continue;
    }
    if (auto alloca = dyn_cast<memref::AllocaOp>(op)) {
      // Its contents may outlive the kernel's frame.
      Value buffer = memref::AllocOp::create(
          b, alloca.getLoc(), alloca.getType(), alloca.getDynamicSizes());
      mapping.map(alloca.getResult(), buffer);
    } else if (auto toBuffer = dyn_cast<bufferization::ToBufferOp>(op);
               toBuffer && writtenRoots.contains(toBuffer.getResult())) {
      // A tensor's buffer written to: a copy.
      if (failed(checkPlain(toBuffer.getResult(), op)))
        return failure();
      mapping.map(toBuffer.getResult(),
                  bufferOf(mapping.lookup(toBuffer.getTensor()),
                           cast<MemRefType>(toBuffer.getType()), true));
    } else {
      Operation *clone = b.clone(*op, mapping);
      // One-Shot Bufferize takes only restrict to_tensor ops; each buffer
      // of the body has one.
      if (auto toTensor = dyn_cast<bufferization::ToTensorOp>(clone))
        toTensor.setRestrict(true);
    }
    for (Value result : op->getResults())
      if (isBuffer(result.getType()) && rootOf(result) == result)
        ownRoots.push_back(result);
  }

  // What the run yields: tensors used after it, then the contents of the
  // buffers seen after it that it made or wrote.
  SmallVector<Value> yielded, replaced;
  for (Operation *op : ops)
    for (Value result : op->getResults()) {
      if (isBuffer(result.getType()))
        continue;
      bool usedLater = llvm::any_of(result.getUsers(), [&](Operation *user) {
        return !inRun.contains(topLevel(user));
      });
      if (!usedLater)
        continue;
      if (!isa<TensorType>(result.getType()))
        return op->emitError("not supported: a scalar computed by buffer "
                             "code used by another kernel");
      yielded.push_back(mapping.lookup(result));
      replaced.push_back(result);
    }
  SmallVector<Value> roots;
  for (Value root : llvm::concat<Value>(ownRoots, writtenRoots)) {
    if (llvm::is_contained(roots, root) || freed.contains(root) ||
        !usedAfter(root, last))
      continue;
    bool own = llvm::is_contained(ownRoots, root);
    if (!own && !writtenRoots.contains(root))
      continue;
    // A tensor's buffer not written keeps the tensor's contents.
    if (auto toBuffer = root.getDefiningOp<bufferization::ToBufferOp>();
        toBuffer && !writtenRoots.contains(root)) {
      contents[root] = toBuffer.getTensor();
      continue;
    }
    if (failed(checkPlain(root, ops.front())))
      return failure();
    // A buffer has one restrict to_tensor: the run's own, if it has one.
    Value buffer = mapping.lookup(root);
    auto runs = llvm::find_if(buffer.getUsers(), [](Operation *user) {
      return isa<bufferization::ToTensorOp>(user);
    });
    Value t;
    if (runs != buffer.getUsers().end()) {
      t = (*runs)->getResult(0);
    } else {
      auto type = cast<MemRefType>(root.getType());
      t = bufferization::ToTensorOp::create(
          b, loc, RankedTensorType::get(type.getShape(), type.getElementType()),
          buffer, /*restrict=*/true);
    }
    yielded.push_back(t);
    roots.push_back(root);
  }
  wl::YieldOp::create(b, loc, yielded);
  // The run's own to_tensor ops nothing uses any more.
  for (Operation &inner : llvm::make_early_inc_range(body))
    if (isa<bufferization::ToTensorOp>(inner) && inner.use_empty())
      inner.erase();
  // A kernel is compiled on its own, without the module's globals: a
  // constant global's contents become a constant in it.
  WalkResult globals = body.walk([&](memref::GetGlobalOp get) {
    auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
        ops.front(), get.getNameAttr());
    auto contents =
        global
            ? dyn_cast_or_null<DenseElementsAttr>(global.getConstantInitValue())
            : DenseElementsAttr();
    if (!contents || !get.getType().getLayout().isIdentity()) {
      get.emitError("not supported: buffer code over the global @")
          << get.getName() << " (only constant globals with an initial value "
          << "are taken, as constants)";
      return WalkResult::interrupt();
    }
    OpBuilder at(get);
    Value constant = arith::ConstantOp::create(at, get.getLoc(), contents);
    Value buffer = bufferization::ToBufferOp::create(
        at, get.getLoc(), get.getType(), constant, /*read_only=*/true);
    get.getResult().replaceAllUsesWith(buffer);
    get.erase();
    return WalkResult::advance();
  });
  if (globals.wasInterrupted())
    return failure();

  // The kernel, with its inputs and results.
  // Named after the ops that do the work (loops, copies), not the
  // buffers' plumbing.
  std::string origin;
  for (Operation *op : ops) {
    StringRef name = op->getName().getStringRef();
    if (isa<ViewLikeOpInterface, memref::AllocOp, memref::AllocaOp,
            memref::DeallocOp>(op) ||
        isa<bufferization::BufferizationDialect>(op->getDialect()) ||
        isPureScalar(op) || origin.find(name.str()) != std::string::npos)
      continue;
    origin += (origin.empty() ? "" : "+") + name.str();
  }
  if (origin.empty())
    origin = ops.front()->getName().getStringRef().str();
  outer.setInsertionPoint(opaque);
  auto kernel = wl::OpaqueOp::create(outer, loc, ValueRange(yielded).getTypes(),
                                     inputs, origin);
  kernel.getBody().takeBody(opaque.getBody());
  opaque.erase();
  for (auto [i, value] : llvm::enumerate(replaced))
    value.replaceUsesWithIf(kernel.getResult(i), [&](OpOperand &use) {
      return !inRun.contains(topLevel(use.getOwner()));
    });
  // Code between the run's ops (pure scalar code) that reads what the run
  // made now follows the kernel, in its order.
  Operation *after = kernel;
  llvm::SmallPtrSet<Operation *, 4> moved;
  for (Operation *op = ops.front()->getNextNode(); op && op != kernel;) {
    Operation *next = op->getNextNode();
    bool readsKernel = llvm::any_of(op->getOperands(), [&](Value v) {
      Operation *def = v.getDefiningOp();
      return def == kernel || moved.contains(def);
    });
    if (!inRun.contains(op) && readsKernel) {
      op->moveAfter(after);
      after = op;
      moved.insert(op);
    }
    op = next;
  }
  for (auto [i, root] : llvm::enumerate(roots)) {
    Value t = kernel.getResult(replaced.size() + i);
    contents[root] = t;
    if (auto arg = dyn_cast<BlockArgument>(root))
      written[arg] = t;
  }
  return success();
}

LogicalResult BufferWrapper::run() {
  Operation *terminator = block.getTerminator();
  bindArguments();
  findRuns();
  if (runs.empty())
    return success();
  for (Value v : terminator->getOperands())
    if (isBuffer(v.getType()))
      return terminator->emitError("not supported: returning a buffer (")
             << v.getType() << ") from a function with buffer code";
  for (ArrayRef<Operation *> ops : runs)
    if (failed(wrap(ops)))
      return failure();
  for (ArrayRef<Operation *> ops : llvm::reverse(runs))
    for (Operation *op : llvm::reverse(ops)) {
      op->dropAllUses();
      op->erase();
    }
  // Scalar code and views the runs took copies of are dead now.
  eraseDeadScalarCode(block, isBufferView);
  // The arguments' new contents go back to the caller.
  OpBuilder b(terminator);
  for (auto [arg, t] : written)
    if (!writtenBack.contains(arg))
      bufferization::MaterializeInDestinationOp::create(
          b, terminator->getLoc(), Type(), t, arg, /*restrict=*/true,
          /*writable=*/true);
  return success();
}

} // namespace

bool fungible::isArgumentContents(Operation *op) {
  auto isArgument = [](Value v) {
    return isa<BlockArgument>(v) && isBuffer(v.getType());
  };
  if (auto in = dyn_cast<bufferization::ToTensorOp>(op))
    return isArgument(in.getBuffer());
  if (auto out = dyn_cast<bufferization::MaterializeInDestinationOp>(op))
    return isArgument(out.getDest());
  return false;
}

namespace {

struct WorkloadWrapBufferCodePass
    : fungible::impl::WorkloadWrapBufferCodePassBase<
          WorkloadWrapBufferCodePass> {
  void runOnOperation() override {
    WalkResult result = getOperation().walk([](func::FuncOp func) {
      if (func.isExternal() || !func.getBody().hasOneBlock())
        return WalkResult::advance();
      return failed(BufferWrapper(func).run()) ? WalkResult::interrupt()
                                               : WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
