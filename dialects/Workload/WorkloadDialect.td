//===- WorkloadDialect.td - The wl dialect and its base classes -*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the `wl` (Workload) dialect, its base op class and the
// tensor type constraints shared by every op.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADDIALECT_TD
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADDIALECT_TD

include "mlir/IR/OpBase.td"

def WL_Dialect : Dialect {
  let name = "wl";
  let summary = "Chip-neutral description of ML workloads";
  let description = [{
    The Workload dialect describes an ML workload once, independent of the
    chip it will run on. Its ops work on statically shaped, ranked tensors
    and carry exactly the information a cost model, a placer and a
    per-target lowering need: contractions (`wl.matmul`, `wl.conv2d`,
    `wl.attention`, ...), elementwise arithmetic with numpy broadcasting,
    reductions and normalisations, pooling, pure data-layout ops, and
    `wl.transfer`, which moves a tensor between devices.

    Every compute op implements `WorkloadCostInterface`, the single source
    of FLOP and byte counts for every cost model. `convert-wl-to-linalg`
    lowers every op to upstream `linalg`/`tensor` on tensors, which is the
    reference semantics of the dialect.

    The passes record what they decide as the dialect's own attributes,
    declared here and checked by the dialect's verifier wherever they
    appear (an unknown `wl.` attribute is an error):
    - `wl.estimates` (wl-estimate-costs): chip -> estimate dictionary
      (`seconds`, `joules`, `dollars`, `bound`, ...), on a kernel;
    - `wl.cheapest` (wl-estimate-costs): the cheapest chip, on a kernel;
    - `wl.target` (wl-place): the chip a kernel is placed on; on a fat
      module's variant (wl-compile), the chip it was compiled for;
    - `wl.placement` (wl-place): the placement's summary (cost, bound,
      method, objective, ...), on a function;
    - `wl.compiled` / `wl.not_compiled` (wl-compile): the chips a kernel
      was compiled for, and chip -> why not for the others;
    - `wl.kernel`, `wl.kernel_fingerprint` (wl-compile): on a variant, the
      kernel it was compiled from and that kernel's fingerprint.
  }];
  let cppNamespace = "::fungible::wl";
  let discardableAttrs = (ins
    "::mlir::StringAttr":$target,
    "::mlir::DictionaryAttr":$estimates,
    "::mlir::StringAttr":$cheapest,
    "::mlir::DictionaryAttr":$placement,
    "::mlir::ArrayAttr":$compiled,
    "::mlir::DictionaryAttr":$not_compiled,
    "::mlir::StringAttr":$kernel,
    "::mlir::StringAttr":$kernel_fingerprint,
    "::mlir::DictionaryAttr":$schedule
  );
  let hasOperationAttrVerify = 1;
  // Folds of constants (a transpose or reshape of one) become
  // arith.constant.
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

/// Element types a workload tensor may hold.
def WL_ElementType : AnyTypeOf<[F64, F32, F16, BF16, F8E4M3FN, I8, I32],
    "a Workload element type (f64, f32, f16, bf16, f8E4M3FN, i8, i32)">;

/// A ranked tensor of a Workload element type. Static shapes are checked by
/// the `StaticShapes` trait, which gives a dedicated diagnostic.
def WL_Tensor : RankedTensorOf<[F64, F32, F16, BF16, F8E4M3FN, I8, I32]>;

/// What wl.cast converts from: a Workload tensor, or i64 (brought into a
/// Workload type by the cast).
def WL_CastInput : RankedTensorOf<[F64, F32, F16, BF16, F8E4M3FN, I8, I32, I64]>;

/// A ranked tensor of a floating-point Workload element type.
def WL_FloatTensor : RankedTensorOf<[F64, F32, F16, BF16, F8E4M3FN]>;

/// Rejects dynamic dimensions with "dynamic shapes are not supported yet".
def WL_StaticShapes : NativeOpTrait<"StaticShapes"> {
  let cppNamespace = "::fungible::wl";
}

class WL_Op<string mnemonic, list<Trait> traits = []> :
    Op<WL_Dialect, mnemonic, traits>;

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADDIALECT_TD
