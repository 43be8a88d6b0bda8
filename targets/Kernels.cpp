//===- Kernels.cpp - Finding and summarising kernels ------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements Kernels.h: kernels found in a module and summarised
// from the wl dialect's WorkloadCostInterface.
//
//===----------------------------------------------------------------------===//

#include "targets/Kernels.h"

#include "dialects/Workload/WorkloadOps.h"
#include "dialects/Workload/WorkloadUtils.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/xxhash.h"

using namespace mlir;
namespace wl = fungible::wl;

namespace fungible {

/// The attention `op` is, if it is one, as wl-to-linalg runs it: over the
/// key/value heads, the query heads of a group (grouped-query attention)
/// folded into the rows.
static std::optional<AttentionShape> getAttention(Operation *op) {
  auto attn = dyn_cast<wl::AttentionOp>(op);
  if (!attn)
    return std::nullopt;
  auto q = cast<RankedTensorType>(attn.getQuery().getType());
  auto v = cast<RankedTensorType>(attn.getValue().getType());
  int64_t rank = q.getRank();
  auto [heads, rows] = attn.getHeadsAndRows();
  AttentionShape shape{heads, rows, v.getDimSize(rank - 2),
                       q.getDimSize(rank - 1), v.getDimSize(rank - 1)};
  if (Value mask = attn.getMask()) {
    shape.maskElements = heads * shape.queries * shape.keys;
    // The dimensions folded into the rows are q's [shared, rank - 2] (the
    // last the queries); the mask, aligned to the right, repeats every
    // product of those from the outermost it varies along inwards.
    auto m = cast<RankedTensorType>(mask.getType());
    int64_t shared = attn.getSharedBatchRank(), period = 0, run = 1;
    for (int64_t i = rank - 2; i >= shared; --i) {
      run *= q.getDimSize(i);
      int64_t maskDim = i - (rank - m.getRank());
      if (maskDim >= 0 && m.getDimSize(maskDim) != 1)
        period = run;
    }
    shape.maskRowPeriod = period < rows ? period : 0;
  }
  return shape;
}

SmallVector<Gemm, 2> getGemms(Operation *op) {
  if (auto mm = dyn_cast<wl::MatmulOp>(op)) {
    wl::MatmulDims d = wl::getMatmulDims(mm);
    return {Gemm{1, d.m, d.n, d.k}};
  }
  if (auto bmm = dyn_cast<wl::BatchMatmulOp>(op)) {
    wl::MatmulDims d = wl::getMatmulDims(bmm);
    return {Gemm{d.b, d.m, d.n, d.k}};
  }
  if (auto conv = dyn_cast<wl::Conv2DOp>(op)) {
    auto out = cast<RankedTensorType>(conv.getType());
    auto filter = cast<RankedTensorType>(conv.getFilter().getType());
    int64_t groups = conv.getGroups();
    return {Gemm{
        groups, out.getDimSize(0) * out.getDimSize(1) * out.getDimSize(2),
        out.getDimSize(3) / groups,
        filter.getDimSize(0) * filter.getDimSize(1) * filter.getDimSize(2)}};
  }
  if (std::optional<AttentionShape> a = getAttention(op))
    return {Gemm{a->batch, a->queries, a->keys, a->headDim},
            Gemm{a->batch, a->queries, a->valueDim, a->keys}};
  return {};
}

/// The pooling `op` is, if it is one.
static std::optional<WindowFold> getWindow(Operation *op) {
  auto pool = dyn_cast<wl::Pool2DOp>(op);
  if (!pool)
    return std::nullopt;
  auto out = cast<RankedTensorType>(pool.getType());
  if (!out.hasStaticShape())
    return std::nullopt;
  int64_t taps = 1;
  for (int64_t size : pool.getWindow())
    taps *= size;
  return WindowFold{out.getNumElements(), taps};
}

static KernelKind toKernelKind(wl::WorkKind kind) {
  switch (kind) {
  case wl::WorkKind::Contraction:
    return KernelKind::Contraction;
  case wl::WorkKind::Elementwise:
    return KernelKind::Elementwise;
  case wl::WorkKind::Reduction:
    return KernelKind::Reduction;
  case wl::WorkKind::DataMovement:
    return KernelKind::DataMovement;
  case wl::WorkKind::Opaque:
    return KernelKind::Opaque;
  }
  llvm_unreachable("unknown work kind");
}

/// Whether an op in `root` (itself included) has an operand or result of
/// a type `match` accepts.
static bool anyTypeIn(Operation *root, function_ref<bool(Type)> match) {
  WalkResult found = root->walk([&](Operation *op) {
    return llvm::any_of(op->getOperandTypes(), match) ||
                   llvm::any_of(op->getResultTypes(), match)
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return found.wasInterrupted();
}

bool usesF64(const KernelInfo &kernel) {
  if (kernel.elementType && kernel.elementType.isF64())
    return true;
  return kernel.op && anyTypeIn(kernel.op, [](Type t) {
           return getElementTypeOrSelf(t).isF64();
         });
}

bool usesBuffers(const KernelInfo &kernel) {
  return kernel.op && wl::detail::touchesBuffers(kernel.op);
}

std::optional<KernelInfo> summarizeKernel(Operation *kernel) {
  auto costed = dyn_cast_or_null<wl::WorkloadCostInterface>(kernel);
  if (!costed)
    return std::nullopt;
  KernelInfo info;
  info.op = kernel;
  info.kind = toKernelKind(costed.getWorkKind());
  info.flops = static_cast<double>(costed.getFlops());
  info.bytesRead = static_cast<double>(costed.getBytesRead());
  info.bytesWritten = static_cast<double>(costed.getBytesWritten());
  Operation *anchor = kernel;
  if (auto group = dyn_cast<wl::KernelOp>(kernel)) {
    anchor = group.getAnchor();
    for (Operation &op : group.getBody().front().without_terminator()) {
      info.gemms.append(getGemms(&op));
      if (std::optional<WindowFold> window = getWindow(&op))
        info.windows.push_back(*window);
      if (std::optional<AttentionShape> attention = getAttention(&op))
        info.attentions.push_back(*attention);
    }
  } else {
    info.gemms = getGemms(kernel);
    if (std::optional<WindowFold> window = getWindow(kernel))
      info.windows.push_back(*window);
    if (std::optional<AttentionShape> attention = getAttention(kernel))
      info.attentions.push_back(*attention);
  }
  for (const Gemm &g : info.gemms)
    info.gemmFlops += 2.0 * g.batch * g.m * g.n * g.k;
  if (anchor && anchor->getNumOperands())
    info.elementType = getElementTypeOrSelf(anchor->getOperand(0).getType());
  for (Value input : kernel->getOperands())
    info.tensorInputs += isa<RankedTensorType>(input.getType());
  // A buffer updated in place is copied only when something else still
  // reads the input (the runtime's rule).
  for (const InPlaceUpdate &update : findInPlaceUpdates(kernel))
    if (isSoleReader(kernel, update.input)) {
      info.bytesRead -= static_cast<double>(update.bytes);
      info.bytesWritten -= static_cast<double>(update.bytes);
    }
  return info;
}

std::vector<NamedKernel> collectKernels(ModuleOp module) {
  std::vector<NamedKernel> kernels;
  module.walk([&](FunctionOpInterface func) {
    if (func.isExternal())
      return;
    unsigned index = 0;
    func.getFunctionBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto kernel = dyn_cast<wl::KernelOp>(op)) {
        kernels.push_back({(func.getName() + "/" + kernel.getSymName()).str(),
                           op});
        ++index;
        return WalkResult::skip();
      }
      if (isa<wl::OpaqueOp>(op)) {
        kernels.push_back({(func.getName() + "/opaque_" + Twine(index++)).str(),
                           op});
        return WalkResult::skip();
      }
      if (isa<wl::WorkloadCostInterface>(op) && !isa<wl::TransferOp>(op))
        kernels.push_back({(func.getName() + "/" +
                            op->getName().stripDialect() + "_" +
                            Twine(index++))
                               .str(),
                           op});
      return WalkResult::advance();
    });
  });
  return kernels;
}

std::string kernelFingerprint(Operation *kernel) {
  // A canonical copy: the canonicalizer hoists constants and folds, so a
  // kernel and its canonicalized self (as the runtime imports a model) have
  // one fingerprint. The copy sits in a function that returns its results,
  // so that it is not erased as dead.
  MLIRContext *context = kernel->getContext();
  Location loc = UnknownLoc::get(context);
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(loc);
  OpBuilder b = OpBuilder::atBlockEnd(scratch->getBody());
  auto func = func::FuncOp::create(
      b, loc, "fingerprint",
      b.getFunctionType(kernel->getOperandTypes(), kernel->getResultTypes()));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToEnd(entry);
  IRMapping map;
  map.map(kernel->getOperands(), entry->getArguments());
  Operation *copy = b.clone(*kernel, map);
  copy->setDiscardableAttrs(DictionaryAttr::get(context));
  func::ReturnOp::create(b, loc, copy->getResults());
  PassManager pm(context);
  pm.addPass(createCanonicalizerPass());
  // A kernel the canonicalizer cannot handle keeps its printed form.
  (void)pm.run(*scratch);
  std::string text;
  llvm::raw_string_ostream os(text);
  scratch->print(os, OpPrintingFlags().printGenericOpForm().enableDebugInfo(
                         /*enable=*/false));
  // A kernel with in-place updates is called another way since they were
  // made (its function does not return them): a variant compiled before
  // has another fingerprint.
  if (!findInPlaceUpdates(kernel).empty())
    text += "in-place updates";
  return llvm::formatv("{0:x16}", llvm::xxh3_64bits(text)).str();
}

namespace {
/// Where an in-place update sits in a body (a kernel's, or the function
/// made of it): `copy` copies the body's argument `input`, through
/// `toBuffer`, into `alloc`, which the body gives back as its result
/// `result`; or `insert` puts a slice into the argument and the body gives
/// the whole back.
struct UpdateSite {
  unsigned input;
  unsigned result;
  bufferization::ToBufferOp toBuffer;
  memref::AllocOp alloc;
  memref::CopyOp copy;
  tensor::InsertSliceOp insert;
};
} // namespace

/// What the update at `site` is to its callers: the copy it saves (an
/// insert still writes its slice).
static InPlaceUpdate describe(UpdateSite &site) {
  if (site.insert) {
    RankedTensorType dest = site.insert.getDestType();
    return {
        site.input, site.result,
        (dest.getNumElements() - site.insert.getSourceType().getNumElements()) *
            wl::detail::elementBytes(dest.getElementType())};
  }
  MemRefType type = site.alloc.getType();
  return {site.input, site.result,
          type.getNumElements() *
              wl::detail::elementBytes(type.getElementType())};
}

/// The use of `value`, if it has exactly one.
static OpOperand *soleUse(Value value) {
  return value.hasOneUse() ? &*value.use_begin() : nullptr;
}

/// The in-place updates of the opaque ops of `body`, whose results
/// `terminator` gives back: the pattern wl-wrap-buffer-code writes for a
/// buffer the code writes (to_buffer read_only, alloc, a copy of the whole,
/// writes, to_tensor, yield), where the copy is the input's only reader
/// and the buffer is not touched before the copy, not freed, and yielded
/// once.
static SmallVector<UpdateSite> findUpdateSites(Block &body,
                                               Operation *terminator) {
  SmallVector<UpdateSite> sites;
  for (auto opaque : body.getOps<wl::OpaqueOp>()) {
    Block &inner = opaque.getBody().front();
    // The body's argument that `v`, an argument of the opaque's region read
    // only by the site, carries in, when nothing else reads it either.
    auto inputOf = [&](Value v) -> BlockArgument {
      auto regionArg = dyn_cast<BlockArgument>(v);
      if (!regionArg || regionArg.getOwner() != &inner ||
          !regionArg.hasOneUse())
        return {};
      auto input =
          dyn_cast<BlockArgument>(opaque->getOperand(regionArg.getArgNumber()));
      return input && input.getOwner() == &body && input.hasOneUse()
                 ? input
                 : BlockArgument();
    };
    // The terminator's operand that gives `v` back, when the opaque yields
    // it once and the body gives that result back once.
    auto givenBack = [&](Value v) -> OpOperand * {
      OpOperand *yielded = soleUse(v);
      if (!yielded || yielded->getOwner() != inner.getTerminator())
        return nullptr;
      OpOperand *given =
          soleUse(opaque->getResult(yielded->getOperandNumber()));
      return given && given->getOwner() == terminator ? given : nullptr;
    };
    // An input and its slice put in, the whole given back (a KV cache's
    // row written at a position: wl-raise-buffer-loops's).
    for (auto insert : inner.getOps<tensor::InsertSliceOp>()) {
      BlockArgument input = inputOf(insert.getDest());
      OpOperand *given = givenBack(insert.getResult());
      if (input && given)
        sites.push_back({input.getArgNumber(),
                         given->getOperandNumber(),
                         {},
                         {},
                         {},
                         insert});
    }
    for (auto copy : inner.getOps<memref::CopyOp>()) {
      auto toBuffer =
          copy.getSource().getDefiningOp<bufferization::ToBufferOp>();
      auto alloc = copy.getTarget().getDefiningOp<memref::AllocOp>();
      if (!toBuffer || !alloc || !toBuffer.getReadOnly() ||
          !toBuffer->hasOneUse() || alloc->getBlock() != &inner ||
          toBuffer.getType() != alloc.getType() ||
          !alloc.getType().getLayout().isIdentity() ||
          !alloc.getType().hasStaticShape())
        continue;
      // The input: the opaque's argument and the body's, read only here.
      BlockArgument input = inputOf(toBuffer.getTensor());
      if (!input)
        continue;
      // The buffer: used only after the copy, never freed, given back once.
      bufferization::ToTensorOp contents;
      bool usable = true;
      for (OpOperand &use : alloc->getUses()) {
        Operation *user = use.getOwner();
        if (user == copy.getOperation())
          continue;
        Operation *inBlock = inner.findAncestorOpInBlock(*user);
        if (!inBlock || !copy->isBeforeInBlock(inBlock) ||
            isa<memref::DeallocOp>(user)) {
          usable = false;
          break;
        }
        if (auto t = dyn_cast<bufferization::ToTensorOp>(user)) {
          usable = !contents && t->getBlock() == &inner;
          contents = t;
        }
      }
      if (!usable || !contents)
        continue;
      OpOperand *given = givenBack(contents.getResult());
      if (!given)
        continue;
      sites.push_back({input.getArgNumber(), given->getOperandNumber(),
                       toBuffer, alloc, copy});
    }
  }
  return sites;
}

SmallVector<InPlaceUpdate, 2> findInPlaceUpdates(Operation *op) {
  SmallVector<InPlaceUpdate, 2> updates;
  auto kernel = dyn_cast<wl::KernelOp>(op);
  if (!kernel)
    return updates;
  Block &body = kernel.getBody().front();
  for (UpdateSite &site : findUpdateSites(body, body.getTerminator()))
    updates.push_back(describe(site));
  return updates;
}

Value carriedValue(Value value) {
  while (auto transfer = value.getDefiningOp<wl::TransferOp>())
    value = transfer.getInput();
  if (auto contents = value.getDefiningOp<bufferization::ToTensorOp>())
    value = contents.getBuffer();
  return value;
}

bool isSoleReader(Operation *op, unsigned input) {
  auto kernel = dyn_cast<wl::KernelOp>(op);
  if (!kernel || input >= kernel.getInputs().size())
    return false;
  Value root = carriedValue(kernel.getInputs()[input]);
  unsigned reads = 0;
  bool overwritten = false;
  SmallVector<Value> carriers{root};
  while (!carriers.empty()) {
    Value value = carriers.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isa<wl::TransferOp, bufferization::ToTensorOp>(user)) {
        carriers.push_back(user->getResult(0));
        continue;
      }
      auto writeBack =
          dyn_cast<bufferization::MaterializeInDestinationOp>(user);
      if (writeBack && &use == &writeBack.getDestMutable()) {
        overwritten = true;
        continue;
      }
      if (user != op || use.getOperandNumber() !=
                            kernel.getInputsMutable()[input].getOperandNumber())
        return false;
      ++reads;
    }
  }
  // A buffer argument nothing is written back into keeps what it came in
  // with, which the run writes out.
  if (isa<BaseMemRefType>(root.getType()) && !overwritten)
    return false;
  return reads == 1;
}

func::FuncOp kernelAsFunction(OpBuilder &b, Operation *op, StringRef name,
                              SmallVectorImpl<InPlaceUpdate> *updates) {
  auto kernel = dyn_cast<wl::KernelOp>(op);
  if (!kernel)
    return {};
  auto fn = func::FuncOp::create(
      b, kernel.getLoc(), name,
      b.getFunctionType(kernel.getInputs().getTypes(),
                        kernel->getResultTypes()));
  for (unsigned a = 0; a < fn.getNumArguments(); ++a)
    fn.setArgAttr(a, "bufferization.writable", b.getBoolAttr(false));
  Block *entry = fn.addEntryBlock();
  IRMapping mapping;
  Block &body = kernel.getBody().front();
  mapping.map(body.getArguments(), entry->getArguments());
  OpBuilder fb = OpBuilder::atBlockEnd(entry);
  for (Operation &inner : body.without_terminator())
    fb.clone(inner, mapping);
  SmallVector<Value> yielded;
  for (Value v : cast<wl::YieldOp>(body.getTerminator()).getValues())
    yielded.push_back(mapping.lookupOrDefault(v));
  auto ret = func::ReturnOp::create(fb, kernel.getLoc(), yielded);
  // In-place updates: the copy goes, the code writes into the argument,
  // and the argument's buffer is the result.
  llvm::BitVector inPlace(yielded.size());
  for (UpdateSite &site : findUpdateSites(*entry, ret)) {
    if (updates)
      updates->push_back(describe(site));
    if (site.insert) {
      // The slice is copied into the argument's buffer.
      tensor::InsertSliceOp insert = site.insert;
      OpBuilder ib(insert);
      Location loc = insert.getLoc();
      RankedTensorType dest = insert.getDestType(),
                       source = insert.getSourceType();
      auto destBuffer = MemRefType::get(dest.getShape(), dest.getElementType());
      Value whole = bufferization::ToBufferOp::create(
          ib, loc, destBuffer, insert.getDest(), /*read_only=*/false);
      MemRefType sliceType = memref::SubViewOp::inferRankReducedResultType(
          source.getShape(), destBuffer, insert.getMixedOffsets(),
          insert.getMixedSizes(), insert.getMixedStrides());
      Value slice = memref::SubViewOp::create(
          ib, loc, sliceType, whole, insert.getMixedOffsets(),
          insert.getMixedSizes(), insert.getMixedStrides());
      Value from = bufferization::ToBufferOp::create(
          ib, loc, MemRefType::get(source.getShape(), source.getElementType()),
          insert.getSource(), /*read_only=*/true);
      memref::CopyOp::create(ib, loc, from, slice);
      insert.getResult().replaceAllUsesWith(insert.getDest());
      insert->erase();
    } else {
      site.toBuffer.setReadOnly(false);
      site.alloc->replaceAllUsesWith(site.toBuffer->getResults());
      site.copy->erase();
      site.alloc->erase();
    }
    fn.setArgAttr(site.input, "bufferization.writable", b.getBoolAttr(true));
    inPlace.set(site.result);
  }
  if (inPlace.any()) {
    SmallVector<Value> returned;
    SmallVector<Type> types;
    for (auto [r, v] : llvm::enumerate(yielded))
      if (!inPlace.test(r)) {
        returned.push_back(v);
        types.push_back(v.getType());
      }
    ret->setOperands(returned);
    fn.setType(b.getFunctionType(fn.getArgumentTypes(), types));
  }
  return fn;
}

} // namespace fungible
