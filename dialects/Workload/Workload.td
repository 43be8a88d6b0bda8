//===- Workload.td - Umbrella for the wl dialect ------------*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file includes every TableGen file of the wl dialect; the dialect
// documentation is generated from it.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOAD_TD
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOAD_TD

include "dialects/Workload/WorkloadDialect.td"
include "dialects/Workload/WorkloadAttrs.td"
include "dialects/Workload/WorkloadInterfaces.td"
include "dialects/Workload/WorkloadOps.td"

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOAD_TD
