//===- WorkloadAttrs.td - Enums of the wl dialect ----------*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the enumerations used by wl ops and by the cost
// interface: the kind of work an op does, reduction kinds and pool kinds.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADATTRS_TD
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADATTRS_TD

include "mlir/IR/EnumAttr.td"

def WL_WorkKindAttr : I32EnumAttr<"WorkKind", "the kind of work an op does", [
    I32EnumAttrCase<"Contraction", 0, "contraction">,
    I32EnumAttrCase<"Elementwise", 1, "elementwise">,
    I32EnumAttrCase<"Reduction", 2, "reduction">,
    I32EnumAttrCase<"DataMovement", 3, "data_movement">,
    I32EnumAttrCase<"Opaque", 4, "opaque">]> {
  let cppNamespace = "::fungible::wl";
}

def WL_ReduceKindAttr : I32EnumAttr<"ReduceKind", "a reduction combiner", [
    I32EnumAttrCase<"Sum", 0, "sum">,
    I32EnumAttrCase<"Max", 1, "max">,
    I32EnumAttrCase<"Min", 2, "min">,
    I32EnumAttrCase<"Mean", 3, "mean">]> {
  let cppNamespace = "::fungible::wl";
}

def WL_PoolKindAttr : I32EnumAttr<"PoolKind", "a pooling combiner", [
    I32EnumAttrCase<"Max", 0, "max">,
    I32EnumAttrCase<"Avg", 1, "avg">,
    I32EnumAttrCase<"Sum", 2, "sum">]> {
  let cppNamespace = "::fungible::wl";
}

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADATTRS_TD
